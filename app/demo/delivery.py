"""SCENARIOS §6: a delivery platform in a rain storm. A food-safety complaint is
graded IV, which escalates it to a crisis; a late order is compensated with a
voucher (the platform's logistics); a privacy complaint keeps the caller's
phone number, which responders see masked.
"""

from app.demo.cast import INTAKE, LAB, LEADER, LOGISTICS, PLATFORM_AGENT
from app.demo.script import Script, person
from domain.vocabulary import (
    Channel,
    ContactChannel,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
)

CATEGORY = "外卖平台"


def rain_storm_complaints(pen: Script) -> None:
    pen.resume(hours_ago=1, minutes_ago=20)
    _food_safety(pen)
    pen.later(10)
    _late_order_compensated(pen)
    pen.later(5)
    _privacy_leak(pen)


def _food_safety(pen: Script) -> None:
    sick = pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.WEB,
        category="食品安全",
        title="外卖食用后全家腹泻呕吐",
        description="通过平台App投诉：从“老街烧烤”点的外卖，食用后数小时内3人腹泻呕吐，已就医。",
        location="城东区幸福里小区",
        reporter=person("郭女士", "13922223333"),
        waited_minutes=10,
    )
    sick.verify(INTAKE, "回拨确认：有就医记录和订单截图")
    # Grading a complaint escalates it to a crisis.
    sick.grade(
        LEADER,
        Severity.IV,
        scope="1起订单、3人，单一商家",
        risk="食品安全，同一商家可能还有其他顾客受影响",
        rationale="目前仅1起报告，按一般（IV级）处置；如再有同商家报告即升级",
    )
    inspect = sick.order(
        LEADER,
        "平台食品安全组",
        "下架“老街烧烤”，配合市场监管部门抽检留样，排查同批次订单",
        hours=24,
        priority=Priority.HIGH,
    )
    sick.acknowledge(PLATFORM_AGENT, inspect)
    # Left to the demo's responder login: /orders shows it, waiting to be acknowledged.
    sick.order(
        LEADER,
        LAB.name,
        "到顾客家中对剩余餐品取样，送检致病菌，出具检测报告",
        hours=6,
        priority=Priority.HIGH,
    )
    sick.respond(
        PLATFORM_AGENT,
        "已下架商家；已联系顾客，理赔专员将上门",
        ResponseStatus.IN_PROGRESS,
        customer_contacted=True,
    )


def _late_order_compensated(pen: Script) -> None:
    late = pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.EMAIL,
        category=CATEGORY,
        title="暴雨天外卖超时两小时，餐已凉",
        description="邮件投诉：订单超时两小时送达，饭菜已凉，骑手未提前告知。",
        location="城北区锦绣家园",
        reporter=person("孟先生", email="meng@example.cn"),
        waited_minutes=20,
    )
    late.verify(INTAKE, "核对订单：超时118分钟")
    late.respond(PLATFORM_AGENT, "骑手因道路积水绕行，已致歉", ResponseStatus.IN_PROGRESS)
    voucher = late.request(
        PLATFORM_AGENT,
        Resource.COMPENSATION_GOODS,
        "15元无门槛代金券",
        1,
        hours=1,
        purpose="超时送达补偿",
    )
    late.allocate(LOGISTICS, voucher, "平台补偿券池")
    late.deliver(LOGISTICS, voucher, "已发放至顾客账户")
    late.resolve(INTAKE, Resolution.COMPENSATED, "致歉并补偿15元代金券")
    late.notify(
        INTAKE, ContactChannel.EMAIL, "您的超时订单已补偿15元代金券，给您带来不便深表歉意。"
    )
    late.close(INTAKE, "已补偿并邮件告知")
    pen.later(3)
    late.call_back(INTAKE, 4, "补偿可以接受", ContactChannel.EMAIL)


def _privacy_leak(pen: Script) -> None:
    leak = pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.HOTLINE,
        category="个人信息保护",
        title="骑手泄露我的手机号，之后收到骚扰电话",
        description="来电人称骑手把她的手机号告诉了他人，近两天多次接到陌生骚扰电话。",
        location="城西区碧水苑",
        reporter=person("韩女士", "13744445555"),
        waited_minutes=4,
    )
    leak.verify(INTAKE, "核实订单，骑手确曾私下联系他人转送")
    leak.respond(
        PLATFORM_AGENT,
        "已约谈涉事骑手并暂停其接单资格，正在调取通话记录",
        ResponseStatus.IN_PROGRESS,
    )
