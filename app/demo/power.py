"""SCENARIOS §3, live: a winter substation fault. Graded II, lowered to III once
the hospitals run on generators, raised back to II when a second feeder trips:
the re-grading stays in the history. The generators are delivered and still out.
"""

from dataclasses import dataclass
from uuid import UUID

from app.demo.case import Case
from app.demo.cast import GRID_WORKER, INTAKE, LEADER, LINE_CREW, LOGISTICS, SPOKESPERSON
from app.demo.script import Script
from domain.vocabulary import (
    Channel,
    CommandRole,
    Kind,
    Priority,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
)

TITLE = "110kV城南变电站故障，城南区大面积停电"
HOSPITALS = "市第二人民医院、城南中心医院"


@dataclass(frozen=True)
class Outage:
    case: Case
    hospitals: UUID  # generators hooked up: completed
    elderly: UUID  # calling the elderly on the priority list: in progress
    generators: UUID  # delivered and still out, so the crisis cannot close yet


def substation_fails(pen: Script) -> Outage:
    pen.resume(hours_ago=2, minutes_ago=40)
    power_cut = pen.report(
        INTAKE,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="供电",
        title=TITLE,
        description="调度自动化告警：城南变电站1号主变差动保护动作，6条10kV出线失电，"
        "城南区约3.6万户停电。当前气温-8℃。",
        location="城南变电站",
    )
    power_cut.verify(INTAKE, "电力调度中心确认：1号主变跳闸，非误报")
    power_cut.grade(
        LEADER,
        Severity.II,
        scope=f"城南区约3.6万户，含{HOSPITALS}及8家养老机构",
        risk="寒潮低温，医院手术室和ICU用电、独居老人取暖受威胁",
        rationale="涉及医院和老年人生命安全，按重大（II级）响应",
    )
    power_cut.activate(LEADER, "大面积停电事件应急预案", commander="王主任")
    power_cut.assign(LEADER, CommandRole.DEPUTY, "吴所长（城南供电所）")
    power_cut.assign(LEADER, CommandRole.LOGISTICS, "陈后勤")
    power_cut.assign(LEADER, CommandRole.CUSTOMER_SERVICE, "李客服")
    power_cut.assign(LEADER, CommandRole.SPOKESPERSON, "孙发布")

    power_cut.order(
        LEADER,
        "变电检修班",
        "抢修城南变电站1号主变，逐条恢复10kV出线供电",
        hours=8,
        priority=Priority.HIGH,
    )
    hospitals = power_cut.order(
        LEADER,
        "应急发电保障组",
        f"为{HOSPITALS}接入移动发电机，保障手术室和ICU用电",
        hours=1.5,
        priority=Priority.URGENT,
    )
    elderly = power_cut.order(
        LEADER,
        "城南街道社区网格员",
        "逐一电话联系重点保障名单上的46户独居老人，无人接听的上门查看",
        hours=4,
        priority=Priority.HIGH,
    )
    power_cut.acknowledge(LINE_CREW, hospitals)
    power_cut.acknowledge(GRID_WORKER, elderly)

    generators = power_cut.request(
        LINE_CREW,
        Resource.EQUIPMENT,
        "移动发电机（200kW）",
        4,
        hours=1,
        purpose="两家医院手术室、ICU及供暖泵房保供电",
    )
    big_truck = power_cut.request(
        LEADER,
        Resource.VEHICLES,
        "大型应急发电车（800kW）",
        1,
        hours=2,
        purpose="城南中心医院整院供电",
    )
    power_cut.allocate(LOGISTICS, generators, "市应急物资储备库")
    power_cut.decline(LOGISTICS, big_truck, "全市应急发电车均已派出，暂无可调；由移动发电机保障")

    pen.later(10)
    power_cut.publish(
        SPOKESPERSON,
        [StatementChannel.SMS, StatementChannel.HOTLINE_IVR, StatementChannel.OFFICIAL_ACCOUNT],
        "城南变电站设备故障，城南区部分区域停电，抢修人员已到场，医院已启用应急电源。"
        "请注意防寒保暖，谨慎使用明火取暖。独居老人如需帮助请拨打12345。",
        approved_by="王主任",
    )
    return Outage(power_cut, hospitals, elderly, generators)


def generators_arrive(pen: Script, outage: Outage) -> None:
    pen.resume(hours_ago=2)
    power_cut = outage.case
    power_cut.deliver(LOGISTICS, outage.generators, f"4台已送达{HOSPITALS}并接入")
    power_cut.respond(
        GRID_WORKER,
        "已电话联系重点名单独居老人32户，3户无人接听已安排网格员上门",
        ResponseStatus.IN_PROGRESS,
        customer_contacted=True,
    )
    pen.later(15)
    power_cut.complete(LINE_CREW, outage.hospitals, "两家医院手术室、ICU已由移动发电机稳定供电")
    power_cut.progress(GRID_WORKER, outage.elderly, "已联系41户；1户老人送往亲属家暂住", 80)


def hospitals_on_generators(pen: Script, outage: Outage) -> None:
    pen.resume(hours_ago=1, minutes_ago=30)
    outage.case.grade(
        LEADER,
        Severity.III,
        scope="城南区约3.6万户；医院已由应急电源保障",
        risk="居民取暖受影响，医院风险已受控",
        rationale="两家医院由移动发电机稳定供电，养老机构已落实照护，降为较大（III级）",
    )


def second_feeder_trips(pen: Script, outage: Outage) -> None:
    pen.resume(minutes_ago=40)
    power_cut = outage.case
    power_cut.respond(
        LINE_CREW,
        "10kV城南二线覆冰跳闸，停电范围扩大至城南工业园和2个小区",
        ResponseStatus.BLOCKED,
    )
    power_cut.grade(
        LEADER,
        Severity.II,
        scope="停电扩大至约4.8万户，含城南工业园",
        risk="持续低温，停电时间延长",
        rationale="第二条馈线跳闸，停电范围扩大，恢复重大（II级）响应",
    )
    power_cut.order(
        LEADER, "线路抢修队", "抢修10kV城南二线覆冰故障", hours=6, priority=Priority.URGENT
    )
    # A newer text on SMS replaces the one in force there; the others stay.
    power_cut.publish(
        SPOKESPERSON,
        [StatementChannel.SMS],
        "城南区停电范围扩大至城南工业园及周边小区，抢修正在进行，恢复时间另行通知。",
        approved_by="王主任",
    )
