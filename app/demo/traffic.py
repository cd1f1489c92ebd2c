"""SCENARIOS §2, live: signals out after a storm. An order is reassigned when
the contractor cannot get through; the police liaison's order runs past its
deadline and is chased (督办) — the overdue order the board shows.
"""

from dataclasses import dataclass
from uuid import UUID

from app.demo.case import Case
from app.demo.cast import (
    INTAKE,
    LEADER,
    MUNICIPAL_CREW,
    POLICE_LIAISON,
    SIGNAL_CONTRACTOR,
    SPOKESPERSON,
)
from app.demo.script import Script, person
from domain.vocabulary import (
    Channel,
    CommandRole,
    Kind,
    Priority,
    ResponseStatus,
    Severity,
    StatementChannel,
)

TITLE = "暴雨后多个路口信号灯故障"


@dataclass(frozen=True)
class Storm:
    crisis: Case
    renmin_road: UUID  # the contractor's order, reassigned
    police_on_junctions: UUID  # the liaison's order, left overdue
    heping_road: UUID
    portable_lights: UUID  # cancelled: not needed once 和平路 works again


def signals_knocked_out(pen: Script) -> Storm:
    pen.resume(hours_ago=3)
    crisis = pen.report(
        INTAKE,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="交通信号",
        title=TITLE,
        description="交警指挥中心推送：暴雨后人民路、解放路、和平路等5个路口信号灯熄灭。",
        location="人民路、解放路、和平路等5个路口",
    )
    crisis.verify(INTAKE, "交警指挥中心电话确认：5个路口信号机断电")
    for name, phone, words in (
        ("微博网友@城南小陈", "", "人民路口红绿灯全灭，刚看到两车刮擦"),
        ("刘先生", "13566667777", "解放路口没有信号灯，堵了半小时没人指挥"),
    ):
        pen.later(2)
        post = pen.report(
            INTAKE,
            kind=Kind.COMPLAINT,
            channel=Channel.SOCIAL,
            category="交通信号",
            title=words,
            description=f"社交媒体：{words}",
            location="人民路" if "人民路" in words else "解放路",
            reporter=person(name, phone),
            waited_minutes=3,
        )
        post.verify(INTAKE, "与交警推送的故障路口一致")
        post.link(INTAKE, crisis)

    pen.later(3)
    crisis.grade(
        LEADER,
        Severity.III,
        scope="人民路、解放路、和平路等5个主干道路口",
        risk="雨后车流集中，信号失灵路口已发生2起轻微碰撞",
        rationale="多路口同时失灵且有事故，按较大（III级）响应",
    )
    crisis.activate(LEADER, "城市道路交通突发事件应急预案", commander="刘副局长")
    crisis.assign(LEADER, CommandRole.SPOKESPERSON, "孙发布")
    crisis.assign(LEADER, CommandRole.TECHNICAL, "何经理（信号维护公司）")

    renmin_road = crisis.order(
        LEADER,
        "信号维护公司",
        "抢修人民路—解放路路口信号机（含备用电源）",
        hours=4,
        priority=Priority.HIGH,
    )
    police = crisis.order(
        LEADER,
        "交警联络员 马警官",
        "5个失灵路口安排交警人工指挥疏导，30分钟内回报到岗情况",
        hours=1,
        priority=Priority.URGENT,
    )
    heping = crisis.order(
        LEADER,
        "信号维护公司",
        "更换和平路口被雷击损坏的信号控制器",
        hours=2,
        priority=Priority.HIGH,
    )
    portable = crisis.order(
        LEADER,
        "后勤保障组",
        "调配2台移动式临时信号灯到和平路口",
        hours=1.5,
        priority=Priority.NORMAL,
    )
    crisis.acknowledge(SIGNAL_CONTRACTOR, renmin_road)
    crisis.acknowledge(SIGNAL_CONTRACTOR, heping)
    pen.later(5)
    crisis.publish(
        SPOKESPERSON,
        [StatementChannel.OFFICIAL_ACCOUNT, StatementChannel.WEBSITE],
        "受暴雨影响，人民路、解放路、和平路等5个路口信号灯故障，交警正在现场疏导，"
        "抢修人员正在处置。请市民出行绕行，通过路口时减速慢行、听从交警指挥。",
        approved_by="刘副局长",
    )
    return Storm(crisis, renmin_road, police, heping, portable)


def contractor_cannot_get_through(pen: Script, storm: Storm) -> None:
    pen.resume(hours_ago=2, minutes_ago=20)
    crisis = storm.crisis
    crisis.respond(
        SIGNAL_CONTRACTOR,
        "人民路下穿隧道积水约1米，抢修车无法抵达人民路口",
        ResponseStatus.BLOCKED,
    )
    pen.later(5)
    crisis.reassign(
        LEADER,
        storm.renmin_road,
        "市政应急抢修队",
        "维护公司车辆被积水阻断，改由配备高底盘抢修车的市政应急抢修队处置",
    )
    pen.later(5)
    crisis.acknowledge(MUNICIPAL_CREW, storm.renmin_road)


def junctions_coming_back(pen: Script, storm: Storm) -> None:
    pen.resume(hours_ago=1, minutes_ago=45)
    crisis = storm.crisis
    crisis.complete(SIGNAL_CONTRACTOR, storm.heping_road, "已更换控制器，和平路口信号恢复正常")
    crisis.cancel(LEADER, storm.portable_lights, "和平路口信号已恢复，不再需要临时信号灯")
    pen.later(10)
    crisis.progress(
        MUNICIPAL_CREW, storm.renmin_road, "人民路口信号机已恢复供电，正在逐相位调试", 60
    )


def chase_the_overdue_order(pen: Script, storm: Storm) -> None:
    """督办: leadership chases; the liaison answers, but the order stays open and overdue."""
    pen.resume(minutes_ago=50)
    storm.crisis.progress(
        LEADER,
        storm.police_on_junctions,
        "督办：指令已超时未回复，请立即回报5个路口人工指挥到岗情况",
    )
    pen.later(10)
    storm.crisis.acknowledge(POLICE_LIAISON, storm.police_on_junctions)
    storm.crisis.respond(
        POLICE_LIAISON,
        "已有3个路口交警到岗指挥；解放路、建设路口警力仍在调配",
        ResponseStatus.IN_PROGRESS,
    )
