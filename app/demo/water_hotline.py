"""SCENARIOS §1, the hotline side: the callers of 阳光花园小区 from the first
call to the last callback. Real complaints are verified by calling back and
linked to the crisis; a rumour and a repeat call are dismissed; one caller's
trouble is the building's own tank and is referred to the property manager.
"""

from dataclasses import dataclass

from app.demo.case import Case
from app.demo.cast import INTAKE, LAB
from app.demo.script import Script, person
from domain.vocabulary import (
    Channel,
    ContactChannel,
    DismissReason,
    Kind,
    Resolution,
    ResponseStatus,
)

ESTATE = "阳光花园小区"


@dataclass(frozen=True)
class Callers:
    linked: list[Case]  # belong to the crisis; the last one is called back unhappy
    own_tank: Case  # the building's secondary tank, not the plant: referred


def hotline_surge(pen: Script, crisis: Case) -> Callers:
    """The first hour of calls, then intake sorts them."""

    def call(name: str, phone: str, building: str, words: str, waited: float) -> Case:
        pen.later(4)
        return pen.report(
            INTAKE,
            kind=Kind.COMPLAINT,
            channel=Channel.HOTLINE,
            category="供水水质",
            title=f"{ESTATE}：{words}",
            description=f"来电人反映：{words}。",
            location=f"{ESTATE} {building}".strip(),
            reporter=person(name, phone) if name else None,
            waited_minutes=waited,
        )

    yellow = call("张桂英", "13812345678", "5栋", "自来水发黄，有明显异味", 3)
    pressure = call("刘建国", "13987654321", "8栋", "水压很低，烧开后有白色沉淀", 5)
    child = call("陈秀兰", "13700001111", "3栋", "水龙头出黄水，孩子不敢喝", 6)
    rumour = call("", "", "", "听说水厂被投毒了，是不是真的", 2)
    repeat = call("王建华", "13812345679", "5栋", "家里自来水发黄（同一户家属再次来电）", 4)
    rust = call("杨伟", "13655556666", "12栋", "热水有一股铁锈味", 8)

    pen.later(6)
    for complaint in (yellow, pressure, child):
        complaint.verify(INTAKE, "回拨来电人，确认水发黄、有异味，与泵站报警时间吻合")
        complaint.link(INTAKE, crisis)
    rumour.dismiss(
        INTAKE, DismissReason.RUMOUR, "经公安和水厂核实，水厂安保正常，未发生投毒，系网络谣言"
    )
    repeat.dismiss(
        INTAKE, DismissReason.DUPLICATE, "同一户家属重复来电，并入首次来电", duplicate_of=yellow
    )
    rust.verify(INTAKE, "回拨确认：仅12栋热水有锈味，冷水正常")
    return Callers([yellow, pressure, child], rust)


def tell_the_result(pen: Script, callers: Callers) -> None:
    """After the crisis is resolved: each complaint resolved, told by SMS, closed."""
    for complaint in callers.linked:
        complaint.resolve(INTAKE, Resolution.FIXED, "滤料已更换，管网冲洗后水质检测合格")
        complaint.notify(
            INTAKE,
            ContactChannel.SMS,
            "【12345】您反映的阳光花园小区水质问题已处理：水厂已更换滤料并冲洗管网，"
            "水质检测合格，可放心饮用。感谢您的反映。",
        )
        complaint.close(INTAKE, "已短信告知处理结果")
        pen.later(2)

    rust = callers.own_tank
    rust.respond(
        LAB,
        "12栋二次供水水箱锈蚀，非市政管网问题",
        ResponseStatus.ON_SCENE,
        customer_contacted=True,
    )
    rust.resolve(INTAKE, Resolution.REFERRED, "已转物业公司清洗并更换12栋二次供水水箱")
    rust.notify(INTAKE, ContactChannel.PHONE, "已告知来电人：问题在楼栋水箱，已转物业处理")
    rust.close(INTAKE, "已转物业，电话告知")


def call_back(pen: Script, callers: Callers) -> None:
    """Callbacks (回访): most are satisfied; one is not, and is handled again."""
    yellow, pressure, child = callers.linked
    yellow.call_back(INTAKE, 5, "水已经清了，处理很及时")
    pressure.call_back(INTAKE, 4, "水压恢复了，希望以后提前通知")
    callers.own_tank.call_back(INTAKE, 3, "物业已清洗水箱，但等了一天")
    child.call_back(INTAKE, 2, "早上放水还是有点黄，不放心")

    child.reopen(INTAKE, "回访不满意：早上放水仍有黄水")
    pen.later(40)
    child.respond(
        LAB,
        "上门放水冲洗3栋入户管道，末梢水浊度0.4 NTU，合格；现场向住户解释并留检测单",
        ResponseStatus.ON_SCENE,
        customer_contacted=True,
    )
    pen.later(20)
    child.resolve(INTAKE, Resolution.FIXED, "入户管道冲洗后检测合格")
    child.notify(INTAKE, ContactChannel.SMS, "【12345】3栋入户管道已冲洗，检测合格，检测单已留存。")
    child.close(INTAKE, "二次处理后已告知")
    pen.later(60)
    child.call_back(INTAKE, 4, "现在水很清，谢谢上门")
