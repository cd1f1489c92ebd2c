"""SCENARIOS §5 and §7: the everyday path at a community service centre, with no
crisis. Some cases were settled a few hours ago; fresh reports of every kind are
still open when the board opens.
"""

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

CENTRE = "幸福街道社区服务中心"


def settled_earlier(pen: Script) -> None:
    pen.resume(hours_ago=3, minutes_ago=50)
    _health_card_walk_in(pen)
    pen.later(10)
    hours = pen.report(
        INTAKE,
        kind=Kind.INQUIRY,
        channel=Channel.HOTLINE,
        category="社保服务",
        title="咨询社保窗口周六是否办公",
        location=CENTRE,
        reporter=person("吴女士", "13833334444"),
    )
    hours.verify(INTAKE, "来电咨询，当场受理")
    hours.resolve(INTAKE, Resolution.EXPLAINED, "社保窗口周六上午9:00–12:00办公")
    hours.notify(INTAKE, ContactChannel.PHONE, "来电时当场答复办公时间")
    hours.close(INTAKE, "已答复")

    pen.later(5)
    spam = pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.SMS,
        category="其他",
        title="【推广】低息贷款当天到账",
        description="群发营销短信",
        reporter=person("", "10690000888"),
    )
    spam.dismiss(INTAKE, DismissReason.INVALID, "营销短信，与服务无关")


def _health_card_walk_in(pen: Script) -> None:
    """§5: one complaint, intake and one responder, notified, called back, satisfied."""
    card = pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.WALK_IN,
        category="医保服务",
        title="医保卡系统故障，老人无法就医结算",
        description="窗口来访：一位老人看病刷医保卡失败，无法结算，已等候40分钟。",
        location=f"{CENTRE} 医保窗口",
        reporter=person("周大爷", "13511112222"),
    )
    card.verify(INTAKE, "医保信息系统确有故障（全市性），预计1小时内恢复")
    card.respond(
        LAB,
        "已协助手工登记，先行就诊，系统恢复后补结算",
        ResponseStatus.IN_PROGRESS,
        customer_contacted=True,
    )
    pen.later(25)
    card.resolve(INTAKE, Resolution.FIXED, "医保系统恢复，已补办结算并退还多付的自费部分")
    card.notify(INTAKE, ContactChannel.PHONE, "已电话告知来访老人结算完成，退款当日到账")
    card.close(INTAKE, "已告知结果")
    pen.later(5)
    card.call_back(INTAKE, 5, "工作人员很耐心，谢谢")


def fresh_reports(pen: Script) -> None:
    """Still open: one of every kind but crisis, waiting for intake or in hand."""
    pen.resume(minutes_ago=25)
    praise = pen.report(
        INTAKE,
        kind=Kind.PRAISE,
        channel=Channel.HOTLINE,
        category="医保服务",
        title="表扬医保窗口工作人员小林耐心帮助老人",
        description="来电人的父亲几小时前在窗口遇到系统故障，小林全程陪同办理。",
        location=f"{CENTRE} 医保窗口",
        reporter=person("周敏", "13511113333"),
    )
    praise.verify(INTAKE, "已转达医保窗口负责人，拟在月度例会通报表扬")
    pen.later(5)
    weekend = pen.report(
        INTAKE,
        kind=Kind.SUGGESTION,
        channel=Channel.WEB,
        category="社保服务",
        title="建议社保窗口周末全天开放",
        description="上班族工作日没时间办理，建议周六、周日全天开放或延长到晚上7点。",
        location=CENTRE,
        reporter=person("赵先生", email="zhao@example.cn"),
    )
    weekend.verify(INTAKE, "已转中心办公室研究排班")
    pen.later(5)
    pen.report(
        INTAKE,
        kind=Kind.INQUIRY,
        channel=Channel.WEB,
        category="供电",
        title="城南区停电什么时候恢复？家里有老人",
        description="网站留言：家中80岁老人怕冷，想知道大概几点来电，能否提供取暖帮助。",
        location="城南区和平里",
        reporter=person("冯女士", "13600007777"),
        waited_minutes=6,
    )
    pen.later(5)
    pen.report(
        INTAKE,
        kind=Kind.COMPLAINT,
        channel=Channel.HOTLINE,
        category="物业服务",
        title="楼道路灯坏了一周没人修",
        description="来电反映9栋2单元楼道灯坏了一周，老人晚上上下楼不安全，物业一直推脱。",
        location="幸福里小区9栋",
        reporter=person("邓先生", "13477778888"),
        waited_minutes=3,
    )
