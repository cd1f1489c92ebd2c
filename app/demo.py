"""`icc serve --demo`: a realistic water-quality crisis (SCENARIOS.md §1) and its neighbours.

The history is written through the real use cases with a scripted clock that
starts 95 minutes ago, so that one order is already overdue when the board opens.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.application import IncidentApp, utc_now
from app.users import UnknownUser, UserStore
from domain.actor import Actor
from domain.vocabulary import (
    Channel,
    Kind,
    Priority,
    Resolution,
    ResponseStatus,
    Role,
    Severity,
)

DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("王主任", Role.LEADERSHIP),
    ("李客服", Role.INTAKE),
    ("赵检测", Role.RESPONDER),
    ("陈后勤", Role.LOGISTICS),
    ("孙发布", Role.SPOKESPERSON),
    ("钱审计", Role.AUDITOR),
)

ESTATE = "阳光花园小区"


@dataclass
class ScriptedClock:
    """Starts in the past; each call advances it a little, never past the real time."""

    now: datetime
    step: timedelta = timedelta(seconds=20)

    def __call__(self) -> datetime:
        self.now = min(self.now + self.step, utc_now())
        return self.now

    def skip(self, minutes: float) -> None:
        self.now = min(self.now + timedelta(minutes=minutes), utc_now())


def demo_tokens(users: UserStore) -> list[tuple[str, Role, str]]:
    """A fresh token for every demo user (tokens are shown once, so each run makes new ones)."""
    issued = []
    for name, role in DEMO_USERS:
        try:
            token = users.rotate(name)
        except UnknownUser:
            token = users.add(name, role)
        issued.append((name, role, token))
    return issued


def load_demo(app: IncidentApp) -> int:
    """Writes the scenario; returns the number of events written."""
    real_clock = app.clock
    clock = ScriptedClock(utc_now() - timedelta(minutes=95))
    app.clock = clock
    try:
        _water_crisis(app, clock)
        _everyday_cases(app, clock)
    finally:
        app.clock = real_clock
    return app.recorder.max_notification_id() or 0


def _water_crisis(app: IncidentApp, clock: ScriptedClock) -> None:
    leader = Actor("王主任", Role.LEADERSHIP)
    intake = Actor("李客服", Role.INTAKE)
    lab = Actor("赵检测", Role.RESPONDER)
    logistics = Actor("陈后勤", Role.LOGISTICS)

    crisis = app.report(
        leader,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="供水水质",
        title="3号加压泵站浊度报警",
        description="在线监测显示出厂水浊度 3.5 NTU，持续上升，供水范围覆盖阳光花园小区。",
        location="3号加压泵站",
        reporter=None,
        received_at=None,
    ).id
    app.verify(leader, crisis, note="调度中心电话确认报警真实，非仪表故障")

    callers = [
        ("张桂英", "13812345678", "自来水发黄，有明显异味"),
        ("刘建国", "13987654321", "水压很低，烧开后有沉淀"),
        ("陈秀兰", "13700001111", "家里水龙头出黄水，孩子不敢喝"),
        ("杨伟", "13655556666", "水有一股铁锈味"),
    ]
    complaints: list[UUID] = []
    for name, phone, words in callers:
        clock.skip(2)
        complaints.append(
            app.report(
                intake,
                kind=Kind.COMPLAINT,
                channel=Channel.HOTLINE,
                category="供水水质",
                title=f"{ESTATE}：{words}",
                description=f"来电人反映：{words}。",
                location=f"{ESTATE} {len(complaints) + 3}栋",
                reporter={"name": name, "phone": phone, "email": ""},
                received_at=clock.now - timedelta(minutes=1),
            ).id
        )
    app.report(
        intake,
        kind=Kind.COMPLAINT,
        channel=Channel.SOCIAL,
        category="供水水质",
        title="网传：听说水厂被投毒",
        description="微信群流传水厂被投毒的消息，待核实。",
        location=ESTATE,
        reporter={"name": "匿名网友", "phone": "", "email": ""},
        received_at=None,
    )

    clock.skip(3)
    app.classify(
        leader,
        crisis,
        severity=Severity.III,
        scope="约2000户居民",
        risk="饮用水健康风险",
        rationale="影响约2000户，存在健康风险，按较大（III级）响应",
    )
    for complaint in complaints[:3]:
        app.verify(intake, complaint, note="回拨来电人，确认水质异常")
        app.link(intake, complaint, parent_id=crisis)

    now = clock()
    orders = (
        ("市水质检测中心", "在五个点位取样检测浊度、余氯和铁含量", 2, Priority.URGENT),
        # Left open: it passes its one-hour deadline and shows as overdue (督办).
        ("后勤保障组", "向阳光花园小区配送瓶装水（200箱）", 1, Priority.URGENT),
        ("水厂工程部", "检查3号泵站过滤线，必要时更换滤料", 4, Priority.HIGH),
    )
    for assignee, instruction, hours, priority in orders:
        app.issue_order(
            leader,
            crisis,
            assignee=assignee,
            instruction=instruction,
            deadline=now + timedelta(hours=hours),
            priority=priority,
        )
    clock.skip(15)
    app.post_response(
        lab,
        crisis,
        note="检测人员已到达3号泵站，开始取样",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=False,
        occurred_at=clock.now - timedelta(minutes=3),
    )
    clock.skip(10)
    app.post_response(
        logistics,
        crisis,
        note="2号仓库装车，配送车辆受阻于施工路段",
        status=ResponseStatus.BLOCKED,
        customer_contacted=False,
        occurred_at=None,
    )


def _everyday_cases(app: IncidentApp, clock: ScriptedClock) -> None:
    intake = Actor("李客服", Role.INTAKE)
    leader = Actor("王主任", Role.LEADERSHIP)
    responder = Actor("赵检测", Role.RESPONDER)

    card = app.report(
        intake,
        kind=Kind.COMPLAINT,
        channel=Channel.WALK_IN,
        category="医保服务",
        title="医保卡系统故障，老人无法就医结算",
        description="窗口来访：刷卡失败，无法结算。",
        location="社区卫生服务中心",
        reporter={"name": "周大爷", "phone": "13511112222", "email": ""},
        received_at=None,
    ).id
    app.verify(intake, card, note="系统确有故障")
    app.post_response(
        responder,
        card,
        note="已协助手工登记并先行结算",
        status=ResponseStatus.IN_PROGRESS,
        customer_contacted=True,
        occurred_at=None,
    )
    app.resolve(intake, card, resolution=Resolution.FIXED, summary="系统恢复，费用已结算")

    hours = app.report(
        intake,
        kind=Kind.INQUIRY,
        channel=Channel.HOTLINE,
        category="社保窗口",
        title="咨询社保窗口周末是否办公",
        description="",
        location="社区服务中心",
        reporter={"name": "吴女士", "phone": "13833334444", "email": ""},
        received_at=None,
    ).id
    app.verify(intake, hours, note="")
    app.resolve(intake, hours, resolution=Resolution.EXPLAINED, summary="已告知周六上午办公")
    app.close_incident(intake, hours, note="来电人满意")

    signals = app.report(
        leader,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="交通信号",
        title="暴雨后多个路口信号灯故障",
        description="交警推送：人民路、解放路等路口信号灯熄灭。",
        location="人民路—解放路",
        reporter=None,
        received_at=None,
    ).id
    app.verify(leader, signals, note="交警确认")
    app.classify(
        leader,
        signals,
        severity=Severity.III,
        scope="5个路口",
        risk="交通事故",
        rationale="多路口失灵并有轻微事故",
    )
    app.issue_order(
        leader,
        signals,
        assignee="信号维护公司",
        instruction="抢修人民路、解放路路口信号机",
        deadline=clock() + timedelta(hours=3),
        priority=Priority.HIGH,
    )
