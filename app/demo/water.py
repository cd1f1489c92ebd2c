"""SCENARIOS §1: the water crisis, carried through the whole lifecycle, from the
turbidity alarm about a day ago to the review a few hours ago, one improvement done.

The times are fixed points before now, so the timeline reads like a real day.
"""

from uuid import UUID

from app.demo import water_hotline
from app.demo.case import Case
from app.demo.cast import INTAKE, LAB, LEADER, LOGISTICS, PLANT_ENGINEER, SPOKESPERSON
from app.demo.script import Script
from domain.vocabulary import (
    Channel,
    CommandRole,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
)

TITLE = "3号加压泵站浊度报警"


def carry_through_review(pen: Script) -> Case:
    pen.resume(hours_ago=28)
    crisis = pen.report(
        INTAKE,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="供水水质",
        title=TITLE,
        description="在线监测：出厂水浊度3.5 NTU并持续上升，供水范围覆盖阳光花园小区约2000户。",
        location="3号加压泵站",
    )
    crisis.verify(INTAKE, "调度中心电话确认：报警真实，非仪表故障")
    callers = water_hotline.hotline_surge(pen, crisis)

    _take_command(crisis)
    sample, bottled, filter_line = _issue_orders(crisis)
    _one_voice(pen, crisis)
    tankers = _supply_the_estate(pen, crisis)
    _first_hours(pen, crisis, sample, bottled, filter_line)

    pen.resume(hours_ago=21, minutes_ago=30)
    crisis.take_back(LOGISTICS, tankers, "水质恢复，两辆送水车收回供水集团车队")
    crisis.relieve(LEADER, CommandRole.LOGISTICS)
    pen.later(20)
    crisis.resolve(
        LEADER,
        Resolution.FIXED,
        "更换滤料、冲洗管网后，出厂水和小区末梢水连续6小时检测合格，恢复正常供水",
    )
    water_hotline.tell_the_result(pen, callers)
    pen.resume(hours_ago=20)
    crisis.close(LEADER, "供水恢复正常；瓶装水已发放完毕，送水车已收回")

    pen.resume(hours_ago=18)
    water_hotline.call_back(pen, callers)

    pen.resume(hours_ago=6)
    _review(pen, crisis)
    return crisis


def _take_command(crisis: Case) -> None:
    crisis.grade(
        LEADER,
        Severity.III,
        scope="阳光花园小区约2000户居民",
        risk="饮用水浊度超标，存在健康风险；网传投毒谣言可能引发恐慌",
        rationale="影响约2000户且涉及饮水健康，按较大（III级）响应",
    )
    crisis.activate(LEADER, "供水水质污染事件应急预案", commander="王主任")
    crisis.assign(LEADER, CommandRole.SPOKESPERSON, "孙发布")
    crisis.assign(LEADER, CommandRole.LOGISTICS, "陈后勤")
    crisis.assign(LEADER, CommandRole.CUSTOMER_SERVICE, "李客服")


def _issue_orders(crisis: Case) -> tuple[UUID, UUID, UUID]:
    sample = crisis.order(
        LEADER,
        "市水质检测中心",
        "在小区进水口、3栋、5栋、8栋、12栋五个点位取样，检测浊度、余氯和铁",
        hours=2,
        priority=Priority.URGENT,
    )
    bottled = crisis.order(
        LEADER,
        "后勤保障组",
        "向阳光花园小区配送瓶装水并设临时供水点",
        hours=1,
        priority=Priority.URGENT,
    )
    filter_line = crisis.order(
        LEADER, "水厂工程部", "检查3号泵站过滤线，必要时更换滤料", hours=4, priority=Priority.HIGH
    )
    crisis.acknowledge(LAB, sample)
    crisis.acknowledge(LOGISTICS, bottled)
    crisis.acknowledge(PLANT_ENGINEER, filter_line)
    return sample, bottled, filter_line


def _one_voice(pen: Script, crisis: Case) -> None:
    """统一口径: one text on every channel, which also puts the rumour down."""
    pen.later(5)
    crisis.publish(
        SPOKESPERSON,
        [
            StatementChannel.OFFICIAL_ACCOUNT,
            StatementChannel.HOTLINE_IVR,
            StatementChannel.COMMUNITY_NOTICE,
        ],
        "阳光花园小区自来水浊度升高，原因正在排查，暂勿直接饮用。小区东门、西门已设临时供水点"
        "免费发放瓶装水。网传“水厂被投毒”不实，请勿传播。最新进展将通过本渠道发布。",
        approved_by="王主任",
    )


def _supply_the_estate(pen: Script, crisis: Case) -> UUID:
    """200 crates from depot 2, used up on delivery; two tankers, which must come
    back before the crisis can close (their request is returned)."""
    bottles = crisis.request(
        LOGISTICS,
        Resource.SUPPLIES,
        "瓶装饮用水（550ml×24瓶/箱）",
        200,
        hours=1,
        purpose="阳光花园小区临时饮用水",
    )
    tankers = crisis.request(
        LOGISTICS, Resource.VEHICLES, "5吨送水车", 2, hours=1, purpose="小区东门、西门驻点供水"
    )
    crisis.allocate(LOGISTICS, bottles, "2号仓库", "两车装运")
    crisis.allocate(LOGISTICS, tankers, "供水集团车队")
    pen.later(35)
    crisis.deliver(LOGISTICS, bottles, "已送达小区东门临时供水点，物业协助按户发放")
    crisis.deliver(LOGISTICS, tankers, "送水车已在东门、西门就位")
    return tankers


def _first_hours(pen: Script, crisis: Case, sample: UUID, bottled: UUID, filter_line: UUID) -> None:
    crisis.complete(LOGISTICS, bottled, "200箱瓶装水已到位并开始发放，两辆送水车驻点供水")
    pen.later(10)
    # Sent from the pump room's basement with no signal: recorded late, keeps its real time.
    crisis.respond(
        LAB,
        "补录：检测人员已到达小区进水口，开始五点取样",
        ResponseStatus.ON_SCENE,
        happened_minutes_ago=25,
    )
    pen.later(15)
    crisis.progress(LAB, sample, "已完成3个点位取样，浊度2.8–4.1 NTU", percent=60)
    pen.later(35)
    crisis.complete(
        LAB,
        sample,
        "五个点位浊度2.8–4.1 NTU（限值1 NTU），铁0.5 mg/L偏高，余氯正常；未检出有毒有害物质",
    )
    pen.later(20)
    crisis.progress(PLANT_ENGINEER, filter_line, "2号滤池滤料板结失效，判定为浊度超标原因", 40)
    crisis.respond(PLANT_ENGINEER, "2号滤池停用，正在更换滤料", ResponseStatus.IN_PROGRESS)
    pen.later(75)
    crisis.complete(PLANT_ENGINEER, filter_line, "已更换2号滤池滤料并反冲洗，出厂水浊度降至0.3 NTU")
    pen.later(60)
    crisis.respond(
        PLANT_ENGINEER, "小区管网分段放水冲洗，末梢水浊度逐步下降", ResponseStatus.IN_PROGRESS
    )


def _review(pen: Script, crisis: Case) -> None:
    # The second action is due in 60 days and stays open: the review shows work to do.
    maintenance, _alarm_push = crisis.review(
        LEADER,
        root_cause="2号滤池滤料18个月未更换，维护周期过长，滤料板结后浊度穿透",
        lessons="在线监测报警与客服热线各自为战，热线来电激增后才启动响应；谣言需第一时间辟谣",
        accountability="水厂工程部未按规程检查滤池，约谈部门负责人并通报批评",
        actions=[
            ("滤料维护周期由18个月缩短为6个月，纳入设备台账定期检查", "水厂工程部", 30),
            ("浊度报警自动推送客服热线和应急值班，热线同步播报", "信息中心", 60),
        ],
    )
    pen.resume(hours_ago=4, minutes_ago=30)
    crisis.complete_improvement(
        LEADER, maintenance, "已修订《滤池维护规程》，全部滤池按6个月周期排入台账"
    )
