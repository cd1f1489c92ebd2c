"""Realistic incident histories, written fast into a real store, for benchmarks.

The stories follow /work/shared/SCENARIOS.md and the demo (its cast and texts):
everyday complaints, inquiries, suggestions and praise; rumours, duplicates and
spam that are dismissed; crises with the complaints linked to them, orders,
logistics, a statement and a review. Every event goes through the aggregate's
own command, so every history is legal (the domain raises otherwise), but not
through `IncidentApp.execute`, which loads and saves once per command: the
incidents are built in memory and saved BATCH at a time, one transaction each.
Each incident's times rise from its report; the reports are spread over the
window of `days` days, and a story stops where the window ends, so the latest
cases are still open, as on a real board.

A seeded `random.Random` picks everything, ids included, so a run is
reproducible (for a fixed `start`).

Run: .venv/bin/python bench/histories.py [EVENTS] [PATH]
"""

import fcntl
import heapq
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from app.application import IncidentApp, utc_now
from app.bootstrap import Store, open_store
from app.config import Settings
from app.demo.cast import (
    GRID_WORKER,
    INTAKE,
    LAB,
    LEADER,
    LINE_CREW,
    LOGISTICS,
    MUNICIPAL_CREW,
    PLANT_ENGINEER,
    PLATFORM_AGENT,
    POLICE_LIAISON,
    SIGNAL_CONTRACTOR,
    SPOKESPERSON,
)
from domain.actor import Actor
from domain.contact import Reporter
from domain.incident import Incident
from domain.review import Improvement
from domain.vocabulary import (
    Channel,
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
)

# Part of the cached log's file name: bump it whenever the histories change.
VERSION = 1
DEFAULT_EVENTS = 1_000_000
BATCH = 200  # incidents per save, i.e. per transaction
# Events per story, to pace the reports until the first PACE_WARMUP stories tell.
FIRST_GUESS_PER_STORY = 18
PACE_WARMUP = 340  # twenty rounds of the deck of stories
LAG_HOURS = 24 * 90  # the last improvement action comes some 60 days after the report
# Field updates stop here, so that even the longest crisis stays near 300 events.
LONGEST_CRISIS = 280
BEIJING = timedelta(hours=8)  # the centre's clock, for its opening hours

# -- what the stories are made of ---------------------------------------------


@dataclass(frozen=True)
class Everyday:
    kind: Kind
    category: str
    title: str
    description: str
    location: str
    verify_note: str
    updates: tuple[str, ...]
    resolution: Resolution
    summary: str
    responder: Actor


@dataclass(frozen=True)
class OrderPlan:
    assignee: str
    instruction: str
    hours: float
    priority: Priority
    worker: Actor  # who acknowledges, reports progress and completes it
    fallback: str  # who takes it over when it is reassigned


@dataclass(frozen=True)
class Supply:
    resource: Resource
    item: str
    most: int
    source: str
    purpose: str


@dataclass(frozen=True)
class CrisisPlan:
    category: str
    title: str
    description: str
    location: str
    plan: str
    commander: str
    scope: str
    risk: str
    orders: tuple[OrderPlan, ...]
    field: tuple[Actor, ...]
    updates: tuple[str, ...]
    supplies: tuple[Supply, ...]
    statement: str
    complaints: tuple[str, ...]  # what the linked callers say
    summary: str
    root_cause: str
    lessons: str
    actions: tuple[tuple[str, str], ...]  # (improvement, owner)


EVERYDAY = (
    Everyday(
        Kind.COMPLAINT,
        "供水水质",
        "阳光花园小区：自来水发黄，有明显异味",
        "来电人反映：自来水发黄，有明显异味，水压也偏低。",
        "阳光花园小区 5栋",
        "回拨来电人，确认水发黄、有异味",
        ("已派人上门取样检测", "入户管道放水冲洗，末梢水浊度合格"),
        Resolution.FIXED,
        "入户管道冲洗后检测合格",
        LAB,
    ),
    Everyday(
        Kind.COMPLAINT,
        "供水水质",
        "热水有一股铁锈味",
        "来电人反映：热水有一股铁锈味，冷水正常。",
        "阳光花园小区 12栋",
        "回拨确认：仅热水有锈味，冷水正常",
        ("12栋二次供水水箱锈蚀，非市政管网问题",),
        Resolution.REFERRED,
        "已转物业公司清洗并更换二次供水水箱",
        LAB,
    ),
    Everyday(
        Kind.COMPLAINT,
        "物业服务",
        "楼道路灯坏了一周没人修",
        "来电反映9栋2单元楼道灯坏了一周，老人晚上上下楼不安全，物业一直推脱。",
        "幸福里小区9栋",
        "联系物业核实：楼道灯确已损坏",
        ("已督促物业当日维修", "物业电工已更换楼道灯"),
        Resolution.FIXED,
        "楼道灯已更换，物业承诺每周巡查",
        GRID_WORKER,
    ),
    Everyday(
        Kind.COMPLAINT,
        "医保服务",
        "医保卡系统故障，老人无法就医结算",
        "窗口来访：一位老人看病刷医保卡失败，无法结算，已等候40分钟。",
        "幸福街道社区服务中心 医保窗口",
        "医保信息系统确有故障（全市性），预计1小时内恢复",
        ("已协助手工登记，先行就诊，系统恢复后补结算",),
        Resolution.FIXED,
        "医保系统恢复，已补办结算并退还多付的自费部分",
        LAB,
    ),
    Everyday(
        Kind.COMPLAINT,
        "外卖平台",
        "暴雨天外卖超时两小时，餐已凉",
        "投诉：订单超时两小时送达，饭菜已凉，骑手未提前告知。",
        "城北区锦绣家园",
        "核对订单：超时118分钟",
        ("骑手因道路积水绕行，已致歉", "已申请补偿代金券"),
        Resolution.COMPENSATED,
        "致歉并补偿15元代金券",
        PLATFORM_AGENT,
    ),
    Everyday(
        Kind.COMPLAINT,
        "个人信息保护",
        "骑手泄露我的手机号，之后收到骚扰电话",
        "来电人称骑手把她的手机号告诉了他人，近两天多次接到陌生骚扰电话。",
        "城西区碧水苑",
        "核实订单，骑手确曾私下联系他人转送",
        ("已约谈涉事骑手并暂停其接单资格，正在调取通话记录", "已启用号码隐私保护"),
        Resolution.FIXED,
        "涉事骑手已停止接单，平台为该用户启用隐私号",
        PLATFORM_AGENT,
    ),
    Everyday(
        Kind.COMPLAINT,
        "交通信号",
        "路口绿灯时间太短，老人过不去马路",
        "反映建设路口行人绿灯只有15秒，老人走到一半就变红灯。",
        "建设路与和平路交叉口",
        "交警现场核实：行人绿灯15秒",
        ("已转交警支队信号配时组", "行人绿灯已调整为25秒"),
        Resolution.FIXED,
        "行人绿灯延长至25秒",
        POLICE_LIAISON,
    ),
    Everyday(
        Kind.COMPLAINT,
        "噪音扰民",
        "夜间施工噪音扰民，晚上11点还在打桩",
        "来电反映：附近工地连续一周夜间施工，严重影响休息。",
        "城东区和顺家园",
        "城管现场核实：工地无夜间施工许可",
        ("城管已责令工地停止夜间施工", "夜间巡查未再发现施工"),
        Resolution.FIXED,
        "工地已停止夜间施工，违规行为已立案处罚",
        MUNICIPAL_CREW,
    ),
    Everyday(
        Kind.INQUIRY,
        "社保服务",
        "咨询社保窗口周六是否办公",
        "来电咨询社保窗口周末办公时间。",
        "幸福街道社区服务中心",
        "来电咨询，当场受理",
        ("已查询窗口排班表",),
        Resolution.EXPLAINED,
        "社保窗口周六上午9:00–12:00办公",
        LAB,
    ),
    Everyday(
        Kind.INQUIRY,
        "供电",
        "城南区停电什么时候恢复？家里有老人",
        "留言：家中80岁老人怕冷，想知道大概几点来电，能否提供取暖帮助。",
        "城南区和平里",
        "已向供电所了解抢修进度",
        ("供电所答复：预计晚8点前恢复", "网格员已上门送去暖宝宝"),
        Resolution.EXPLAINED,
        "已告知预计恢复时间，网格员上门探视",
        GRID_WORKER,
    ),
    Everyday(
        Kind.INQUIRY,
        "公共交通",
        "地铁乘车码刷不了，怎么补票？",
        "反映早高峰乘车码无法使用，出站时不知道如何补票。",
        "地铁2号线人民广场站",
        "核实为乘车码系统短时故障",
        ("已联系地铁客服确认补票规则",),
        Resolution.EXPLAINED,
        "故障期间进站乘客出站免补票，已告知",
        LAB,
    ),
    Everyday(
        Kind.SUGGESTION,
        "社保服务",
        "建议社保窗口周末全天开放",
        "上班族工作日没时间办理，建议周六、周日全天开放或延长到晚上7点。",
        "幸福街道社区服务中心",
        "已转中心办公室研究排班",
        ("中心办公室已研究，拟试行周六全天开放",),
        Resolution.REFERRED,
        "建议已转中心办公室，下月起试行周六全天开放",
        LAB,
    ),
    Everyday(
        Kind.SUGGESTION,
        "公共交通",
        "建议早高峰增加15路公交班次",
        "15路早高峰车厢拥挤，经常上不去车，建议加密班次。",
        "15路公交 和平里站",
        "已转公交集团",
        ("公交集团已调取客流数据评估",),
        Resolution.REFERRED,
        "公交集团将早高峰发车间隔由8分钟缩短为5分钟",
        LAB,
    ),
    Everyday(
        Kind.PRAISE,
        "医保服务",
        "表扬医保窗口工作人员小林耐心帮助老人",
        "来电人的父亲在窗口遇到系统故障，小林全程陪同办理。",
        "幸福街道社区服务中心 医保窗口",
        "已转达医保窗口负责人",
        ("拟在月度例会通报表扬",),
        Resolution.EXPLAINED,
        "表扬已转达，月度例会通报",
        LAB,
    ),
    Everyday(
        Kind.PRAISE,
        "供电",
        "表扬抢修班连夜恢复供电",
        "停电当晚抢修人员冒着严寒连夜抢修，凌晨就来电了，特此感谢。",
        "城南区和平里",
        "已转达城南供电所",
        ("供电所已通报表扬抢修班",),
        Resolution.EXPLAINED,
        "表扬已转达供电所",
        LINE_CREW,
    ),
)

RUMOURS = (
    ("供水水质", "听说水厂被投毒了，是不是真的", "经公安和水厂核实，水厂安保正常，系网络谣言"),
    ("供电", "网传明天全市停电三天", "经供电公司核实，无计划停电，系谣言"),
    ("公共交通", "听说地铁明天全线停运", "地铁集团确认运营正常，系谣言"),
    ("食品安全", "网传某超市猪肉有病毒", "市场监管部门抽检合格，系谣言"),
)
SPAM = (("其他", "【推广】低息贷款当天到账", "营销短信，与服务无关"),)

WATER = CrisisPlan(
    category="供水水质",
    title="3号加压泵站浊度报警",
    description="在线监测：出厂水浊度3.5 NTU并持续上升，供水范围覆盖阳光花园小区约2000户。",
    location="3号加压泵站",
    plan="供水水质污染事件应急预案",
    commander="王主任",
    scope="阳光花园小区约2000户居民",
    risk="饮用水浊度超标，存在健康风险；网传投毒谣言可能引发恐慌",
    orders=(
        OrderPlan(
            "市水质检测中心",
            "在小区进水口、3栋、5栋、8栋、12栋五个点位取样，检测浊度、余氯和铁",
            2,
            Priority.URGENT,
            LAB,
            "区疾控中心",
        ),
        OrderPlan(
            "后勤保障组",
            "向阳光花园小区配送瓶装水并设临时供水点",
            1,
            Priority.URGENT,
            LOGISTICS,
            "街道应急队",
        ),
        OrderPlan(
            "水厂工程部",
            "检查3号泵站过滤线，必要时更换滤料",
            4,
            Priority.HIGH,
            PLANT_ENGINEER,
            "供水集团抢修队",
        ),
        OrderPlan(
            "供水集团抢修队",
            "小区管网分段放水冲洗",
            6,
            Priority.NORMAL,
            PLANT_ENGINEER,
            "水厂工程部",
        ),
    ),
    field=(LAB, PLANT_ENGINEER, LOGISTICS),
    updates=(
        "检测人员已到达小区进水口，开始五点取样",
        "五个点位浊度2.8–4.1 NTU，铁偏高，余氯正常",
        "2号滤池滤料板结失效，判定为浊度超标原因",
        "2号滤池停用，正在更换滤料",
        "小区管网分段放水冲洗，末梢水浊度逐步下降",
        "末梢水连续检测合格",
    ),
    supplies=(
        Supply(Resource.SUPPLIES, "瓶装饮用水（550ml×24瓶/箱）", 300, "2号仓库", "临时饮用水"),
        Supply(Resource.VEHICLES, "5吨送水车", 3, "供水集团车队", "小区东门、西门驻点供水"),
    ),
    statement="阳光花园小区自来水浊度升高，原因正在排查，暂勿直接饮用。小区东门、西门已设临时"
    "供水点免费发放瓶装水。网传“水厂被投毒”不实，请勿传播。",
    complaints=("自来水发黄，有明显异味", "水压很低，烧开后有白色沉淀", "水龙头出黄水，孩子不敢喝"),
    summary="更换滤料、冲洗管网后，出厂水和小区末梢水连续6小时检测合格，恢复正常供水",
    root_cause="2号滤池滤料18个月未更换，维护周期过长，滤料板结后浊度穿透",
    lessons="在线监测报警与客服热线各自为战；谣言需第一时间辟谣",
    actions=(
        ("滤料维护周期由18个月缩短为6个月，纳入设备台账定期检查", "水厂工程部"),
        ("浊度报警自动推送客服热线和应急值班，热线同步播报", "信息中心"),
        ("建立谣言快速响应机制，1小时内发布辟谣信息", "宣传科"),
    ),
)

TRAFFIC = CrisisPlan(
    category="交通信号",
    title="暴雨后多个路口信号灯故障",
    description="交警指挥中心推送：暴雨后人民路、解放路、和平路等5个路口信号灯熄灭。",
    location="人民路、解放路、和平路等5个路口",
    plan="城市道路交通突发事件应急预案",
    commander="刘副局长",
    scope="人民路、解放路、和平路等5个主干道路口",
    risk="雨后车流集中，信号失灵路口已发生轻微碰撞",
    orders=(
        OrderPlan(
            "信号维护公司",
            "抢修人民路—解放路路口信号机（含备用电源）",
            4,
            Priority.HIGH,
            SIGNAL_CONTRACTOR,
            "市政应急抢修队",
        ),
        OrderPlan(
            "交警联络员 马警官",
            "失灵路口安排交警人工指挥疏导，30分钟内回报到岗情况",
            1,
            Priority.URGENT,
            POLICE_LIAISON,
            "交警二大队",
        ),
        OrderPlan(
            "信号维护公司",
            "更换和平路口被雷击损坏的信号控制器",
            2,
            Priority.HIGH,
            SIGNAL_CONTRACTOR,
            "市政应急抢修队",
        ),
        OrderPlan(
            "后勤保障组",
            "调配移动式临时信号灯到和平路口",
            1.5,
            Priority.NORMAL,
            LOGISTICS,
            "市政应急抢修队",
        ),
    ),
    field=(SIGNAL_CONTRACTOR, MUNICIPAL_CREW, POLICE_LIAISON),
    updates=(
        "人民路下穿隧道积水约1米，抢修车无法抵达人民路口",
        "已有3个路口交警到岗指挥",
        "和平路口控制器已更换，信号恢复正常",
        "人民路口信号机已恢复供电，正在逐相位调试",
        "5个路口信号全部恢复",
    ),
    supplies=(
        Supply(Resource.EQUIPMENT, "移动式临时信号灯", 4, "市政设施仓库", "失灵路口临时管控"),
        Supply(Resource.VEHICLES, "高底盘抢修车", 2, "市政车队", "积水路段抢修"),
        Supply(Resource.PERSONNEL, "交通协管员", 20, "交警支队", "路口疏导"),
    ),
    statement="受暴雨影响，部分路口信号灯故障，交警正在现场疏导，抢修人员正在处置。"
    "请市民出行绕行，通过路口时减速慢行、听从交警指挥。",
    complaints=("人民路口红绿灯全灭，刚看到两车刮擦", "解放路口没有信号灯，堵了半小时没人指挥"),
    summary="5个路口信号机全部修复，交通恢复正常",
    root_cause="信号机备用电源老化，暴雨断电后无法切换",
    lessons="积水路段抢修车辆不足；交警与维护公司信息不同步",
    actions=(
        ("全市信号机备用电源排查更换", "信号维护公司"),
        ("配备高底盘抢修车2辆", "市政设施管理处"),
    ),
)

POWER = CrisisPlan(
    category="供电",
    title="110kV城南变电站故障，城南区大面积停电",
    description="调度自动化告警：城南变电站1号主变差动保护动作，6条10kV出线失电，"
    "城南区约3.6万户停电。",
    location="城南变电站",
    plan="大面积停电事件应急预案",
    commander="王主任",
    scope="城南区约3.6万户，含市第二人民医院、城南中心医院及8家养老机构",
    risk="寒潮低温，医院手术室和ICU用电、独居老人取暖受威胁",
    orders=(
        OrderPlan(
            "变电检修班",
            "抢修城南变电站1号主变，逐条恢复10kV出线供电",
            8,
            Priority.HIGH,
            LINE_CREW,
            "线路抢修队",
        ),
        OrderPlan(
            "应急发电保障组",
            "为两家医院接入移动发电机，保障手术室和ICU用电",
            1.5,
            Priority.URGENT,
            LINE_CREW,
            "市应急物资储备库",
        ),
        OrderPlan(
            "城南街道社区网格员",
            "逐一电话联系重点保障名单上的独居老人，无人接听的上门查看",
            4,
            Priority.HIGH,
            GRID_WORKER,
            "城南街道办",
        ),
        OrderPlan(
            "线路抢修队",
            "抢修10kV城南二线覆冰故障",
            6,
            Priority.URGENT,
            LINE_CREW,
            "变电检修班",
        ),
    ),
    field=(LINE_CREW, GRID_WORKER, LOGISTICS),
    updates=(
        "已电话联系重点名单独居老人32户，3户无人接听已安排网格员上门",
        "两家医院手术室、ICU已由移动发电机稳定供电",
        "10kV城南二线覆冰跳闸，停电范围扩大",
        "1号主变修复，正在逐条恢复出线",
        "城南区已全部恢复供电",
    ),
    supplies=(
        Supply(Resource.EQUIPMENT, "移动发电机（200kW）", 6, "市应急物资储备库", "医院保供电"),
        Supply(Resource.VEHICLES, "大型应急发电车（800kW）", 2, "省电力应急中心", "医院整院供电"),
        Supply(Resource.SUPPLIES, "棉被、暖宝宝", 500, "民政救灾仓库", "独居老人防寒"),
    ),
    statement="城南变电站设备故障，城南区部分区域停电，抢修人员已到场，医院已启用应急电源。"
    "请注意防寒保暖，谨慎使用明火取暖。独居老人如需帮助请拨打12345。",
    complaints=("家里停电，老人怕冷", "小区停电，电梯困人", "停电一晚上了还没来电"),
    summary="1号主变和城南二线修复，城南区全部恢复供电",
    root_cause="主变套管受潮绝缘击穿；线路覆冰未及时除冰",
    lessons="重点保障名单需动态更新；发电车调配需跨区预案",
    actions=(
        ("变电站设备雨季前绝缘检测", "变电检修班"),
        ("更新医院、养老机构重点保障名单，每季度核对", "城南供电所"),
        ("与邻市签订应急发电车互助协议", "应急管理局"),
    ),
)

TRANSIT = CrisisPlan(
    category="公共交通",
    title="地铁票务系统故障，早高峰闸机无法刷卡",
    description="票务系统监控告警：全线网闸机验票失败，乘车码、交通卡均无法使用。",
    location="地铁全线网",
    plan="城市轨道交通运营突发事件应急预案",
    commander="刘副局长",
    scope="全线网58座车站，早高峰约数万名乘客",
    risk="站厅滞留乘客过多，存在踩踏风险",
    orders=(
        OrderPlan(
            "地铁运营分公司",
            "各站开启应急通道放行，安排站务人员疏导",
            0.5,
            Priority.URGENT,
            MUNICIPAL_CREW,
            "地铁公安分局",
        ),
        OrderPlan(
            "票务系统技术组",
            "排查票务中心服务器故障并恢复验票",
            3,
            Priority.URGENT,
            LAB,
            "系统集成商",
        ),
        OrderPlan(
            "客服中心",
            "向受影响乘客发放临时乘车凭证，公布补票规则",
            2,
            Priority.HIGH,
            PLATFORM_AGENT,
            "地铁运营分公司",
        ),
    ),
    field=(MUNICIPAL_CREW, LAB, PLATFORM_AGENT),
    updates=(
        "各站已开启应急通道，站厅秩序正常",
        "票务中心数据库主节点宕机，备节点切换失败",
        "已手工切换至备节点，正在验证",
        "闸机验票陆续恢复",
    ),
    supplies=(
        Supply(Resource.SUPPLIES, "临时乘车凭证", 20000, "票务仓库", "故障期间乘客凭证"),
        Supply(Resource.TECHNICAL_SUPPORT, "数据库厂商工程师", 3, "系统集成商", "现场排障"),
    ),
    statement="因票务系统故障，地铁各站闸机暂时无法验票，各站已开启应急通道，请乘客有序通行，"
    "故障期间出站免补票。",
    complaints=("地铁闸机刷不了，站厅挤满了人", "乘车码扫不了，上班要迟到了"),
    summary="票务系统已切换至备节点并恢复，闸机验票正常",
    root_cause="数据库主备切换脚本未随版本更新，自动切换失败",
    lessons="系统故障缺少备份与恢复演练",
    actions=(
        ("每季度进行一次主备切换和数据恢复演练", "票务系统技术组"),
        ("闸机增加离线验票模式", "系统集成商"),
    ),
)

FOOD = CrisisPlan(
    category="食品安全",
    title="多名顾客食用同一商家外卖后腹泻呕吐",
    description="平台监测：24小时内5起同一商家“老街烧烤”订单的食品安全投诉。",
    location="城东区",
    plan="食品安全事故应急预案",
    commander="王主任",
    scope="同一商家5起订单、9人就医",
    risk="食品安全，同批次订单顾客可能受影响",
    orders=(
        OrderPlan(
            "平台食品安全组",
            "下架“老街烧烤”，配合市场监管部门抽检留样，排查同批次订单",
            24,
            Priority.HIGH,
            PLATFORM_AGENT,
            "市场监管所",
        ),
        OrderPlan(
            "客服中心",
            "逐一联系同批次订单顾客，登记身体状况",
            6,
            Priority.HIGH,
            PLATFORM_AGENT,
            "平台理赔组",
        ),
        OrderPlan(
            "平台理赔组",
            "为就医顾客办理先行赔付",
            48,
            Priority.NORMAL,
            PLATFORM_AGENT,
            "客服中心",
        ),
    ),
    field=(PLATFORM_AGENT, LAB),
    updates=(
        "已下架商家；已联系顾客，理赔专员将上门",
        "市场监管所已抽检留样",
        "同批次订单共37单，已联系29单",
        "检测结果：凉拌菜大肠菌群超标",
    ),
    supplies=(
        Supply(Resource.COMPENSATION_GOODS, "先行赔付金（元）", 5000, "平台赔付池", "就医赔付"),
    ),
    statement="平台已下架涉事商家并配合监管部门调查，受影响顾客可联系客服办理先行赔付。",
    complaints=("外卖食用后全家腹泻呕吐", "吃了烧烤后肚子疼，已就医"),
    summary="涉事商家停业整顿，受影响顾客均已赔付",
    root_cause="商家凉拌菜加工环节未冷藏，交叉污染",
    lessons="平台对高风险品类商家巡检不足",
    actions=(
        ("高风险品类商家每月巡检", "平台食品安全组"),
        ("同商家多起投诉自动预警", "平台技术部"),
    ),
)

CRISES = (WATER, TRAFFIC, POWER, TRANSIT, FOOD)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐韩冯邓曹彭"
GIVEN = ("桂英", "建国", "秀兰", "建华", "伟", "敏", "静", "磊", "丽", "强", "芳", "军", "洋")
TITLES = ("先生", "女士", "大爷", "阿姨")

# The desk's channel mix; monitoring is for crises only.
CHANNELS = (Channel.HOTLINE, Channel.WEB, Channel.SMS, Channel.EMAIL, Channel.SOCIAL)
CHANNEL_WEIGHTS = (40, 15, 10, 5, 15)
WALK_IN_WEIGHT = 15
# Satisfaction from callbacks leans to the happy end, as real ones do.
SCORES = (1, 2, 3, 4, 5)
SCORE_WEIGHTS = (4, 6, 12, 33, 45)
COMMENTS = {
    1: "没人跟我说清楚，很不满意",
    2: "问题还没完全解决",
    3: "解决了，但等得有点久",
    4: "问题解决了，希望以后提前通知",
    5: "处理很及时，谢谢",
}
GENERIC_SUMMARY = {
    Resolution.FIXED: "问题已处理完毕",
    Resolution.COMPENSATED: "已致歉并给予补偿",
    Resolution.EXPLAINED: "已向反映人解释说明",
    Resolution.REFERRED: "已转相关责任单位处理",
}
GRADE = {Severity.I: "特别重大", Severity.II: "重大", Severity.III: "较大", Severity.IV: "一般"}
SEVERITY_WEIGHTS = (5, 20, 35, 40)  # I, II, III, IV
POSTS = (
    (CommandRole.SPOKESPERSON, "孙发布"),
    (CommandRole.LOGISTICS, "陈后勤"),
    (CommandRole.CUSTOMER_SERVICE, "李客服"),
    (CommandRole.DEPUTY, "吴所长"),
    (CommandRole.TECHNICAL, "何经理（信号维护公司）"),
    (CommandRole.EVALUATION, "钱审计"),
    (CommandRole.LEGAL, "法务部 郑律师"),
)


class Past(Exception):
    """The next step would lie after the end of the window: the story stops there."""


# -- the stories -----------------------------------------------------------------


class Histories:
    """Writes one story at a time, each on its own clock from its first report."""

    def __init__(self, rng: random.Random, end: datetime) -> None:
        self.rng = rng
        self.end = end
        self.now = end
        self.made: list[Incident] = []
        # Earlier everyday reports, for a repeat call to duplicate.
        self.recent: deque[Incident] = deque(maxlen=64)
        self.deck: list[Callable[[], None]] = []

    def story(self, at: datetime) -> list[Incident]:
        """The incidents one story opens, as far as the window lets it go."""
        self.now, self.made = at, []
        if not self.deck:
            # A crisis opens ~3 linked complaints too, so this is 70 % everyday,
            # 10 % dismissed, 5 % crises and 15 % linked of incidents. Dealt from a
            # shuffled deck, the mix holds in every stretch of the log, not only on average.
            self.deck = [self.everyday] * 14 + [self.dismissed] * 2 + [self.crisis]
            self.rng.shuffle(self.deck)
        with suppress(Past):
            self.deck.pop()()
        return self.made

    # -- time and ids --------------------------------------------------------

    def move_to(self, moment: datetime) -> None:
        if moment > self.end:
            raise Past
        self.now = moment

    def later(self, least: float, most: float) -> datetime:
        """The time `least` to `most` minutes on."""
        self.move_to(self.now + timedelta(minutes=self.rng.uniform(least, most)))
        return self.now

    def new_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def run_together(self, tasks: list[Iterator[float]]) -> None:
        """Steps of several tasks in time order (a small discrete-event loop), so
        orders, logistics and field updates interleave while the incident's
        times still rise. A task yields the minutes until its next step and
        runs that step when resumed."""
        queue: list[tuple[datetime, int, Iterator[float]]] = []

        def plan(n: int, task: Iterator[float]) -> None:
            delay = next(task, None)
            if delay is not None:
                heapq.heappush(queue, (self.now + timedelta(minutes=delay), n, task))

        for n, task in enumerate(tasks):
            plan(n, task)
        while queue:
            moment, n, task = heapq.heappop(queue)
            self.move_to(moment)
            plan(n, task)

    # -- reports -------------------------------------------------------------

    def report(
        self,
        *,
        kind: Kind,
        channel: Channel,
        category: str,
        title: str,
        description: str,
        location: str,
    ) -> Incident:
        incident = Incident.report(
            incident_id=self.new_id(),
            at=self.now,
            by=INTAKE,
            kind=kind,
            channel=channel,
            category=category,
            title=title,
            description=description,
            location=location,
            reporter=None if channel is Channel.MONITORING else self.reporter(channel),
            received_at=self.received_at(channel),
        )
        self.made.append(incident)
        return incident

    def received_at(self, channel: Channel) -> datetime | None:
        """Calls queue a few minutes; web and mail wait for the desk, up to a day."""
        if channel is Channel.HOTLINE:
            return self.now - timedelta(minutes=self.rng.uniform(0, 8))
        if channel in (Channel.WEB, Channel.EMAIL, Channel.SMS, Channel.SOCIAL):
            return self.now - timedelta(minutes=self.rng.triangular(0, 1440, 30))
        return None

    def reporter(self, channel: Channel) -> Reporter | None:
        rng = self.rng
        if rng.random() < 0.08:
            return None  # anonymous
        surname = rng.choice(SURNAMES)
        if channel is Channel.SOCIAL and rng.random() < 0.5:
            # A handle and no way to reach them: nobody to tell the result.
            return Reporter(self.new_id(), name=f"微博网友@{surname}{rng.choice(GIVEN)}")
        name = surname + (rng.choice(TITLES) if rng.random() < 0.4 else rng.choice(GIVEN))
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        wants_mail = channel in (Channel.EMAIL, Channel.WEB) and rng.random() < 0.6
        email = f"user{rng.randrange(10**6)}@example.cn" if wants_mail else ""
        if channel is Channel.EMAIL and rng.random() < 0.5:
            phone = ""
        return Reporter(self.new_id(), name=name, phone=phone, email=email)

    # -- everyday cases --------------------------------------------------------

    def everyday(self) -> None:
        """Report → verify → 1-3 responses → resolve → notify → close → callback."""
        rng = self.rng
        case_type = rng.choice(EVERYDAY)
        channels = (*CHANNELS, Channel.WALK_IN)
        channel = rng.choices(channels, (*CHANNEL_WEIGHTS, WALK_IN_WEIGHT))[0]
        if channel is Channel.WALK_IN and not 8 <= (self.now + BEIJING).hour < 18:
            channel = Channel.HOTLINE  # the service windows are closed: they phone
        case = self.report(
            kind=case_type.kind,
            channel=channel,
            category=case_type.category,
            title=case_type.title,
            description=case_type.description,
            location=case_type.location,
        )
        self.recent.append(case)
        case.verify(at=self.later(2, 90), by=INTAKE, note=case_type.verify_note)
        if self.reachable(case) and rng.random() < 0.4:
            # 受理告知: told it is in hand, which is not yet the result the close needs.
            self.later(1, 30)
            self.notify(case, "【12345】您反映的问题已受理，我们将尽快处理。")
        for note in rng.sample(case_type.updates * 3, rng.randint(1, 3)):
            case.post_response(
                at=self.later(20, 600),
                by=case_type.responder,
                note=note,
                status=rng.choice((ResponseStatus.IN_PROGRESS, ResponseStatus.ON_SCENE)),
                customer_contacted=rng.random() < 0.5,
                occurred_at=None,
            )
        resolution = case_type.resolution
        if rng.random() < 0.3:
            resolution = rng.choice(list(Resolution))
        summary = case_type.summary if resolution is case_type.resolution else None
        self.settle(case, resolution, summary or GENERIC_SUMMARY[resolution], case_type.responder)

    def settle(
        self, case: Incident, resolution: Resolution, summary: str, responder: Actor
    ) -> None:
        """Resolve, tell the customer, close; a callback, and a second round when it went badly."""
        rng = self.rng
        case.resolve(at=self.later(10, 1440), by=INTAKE, resolution=resolution, summary=summary)
        self.tell_and_close(case, summary)
        if not self.reachable(case) or rng.random() < 0.3:
            return
        score = self.call_back(case)
        if score > 2 or rng.random() < 0.4:
            return
        case.reopen(at=self.later(5, 120), by=INTAKE, reason=f"回访不满意：{COMMENTS[score]}")
        case.post_response(
            at=self.later(30, 1440),
            by=responder,
            note="再次上门处理，并向反映人当面解释",
            status=ResponseStatus.ON_SCENE,
            customer_contacted=True,
            occurred_at=None,
        )
        again = "二次处理：" + summary
        case.resolve(at=self.later(10, 240), by=INTAKE, resolution=resolution, summary=again)
        self.tell_and_close(case, again)
        if rng.random() < 0.7:
            self.call_back(case)

    def tell_and_close(self, case: Incident, summary: str) -> None:
        """The close needs the result told first when the reporter left contact details."""
        if self.reachable(case):
            self.later(5, 240)
            self.notify(case, f"【12345】您反映的问题已处理：{summary}。感谢您的反映。")
        case.close(at=self.later(1, 60), by=INTAKE, note="已告知处理结果")

    def notify(self, case: Incident, message: str) -> None:
        channel = self.contact_channel(case)
        case.notify_customer(at=self.now, by=INTAKE, channel=channel, message=message)

    def call_back(self, case: Incident) -> int:
        score = self.rng.choices(SCORES, SCORE_WEIGHTS)[0]
        case.record_callback(
            at=self.later(60, 4320),
            by=INTAKE,
            satisfaction=score,
            comment=COMMENTS[score],
            via=self.contact_channel(case),
        )
        return score

    @staticmethod
    def reachable(case: Incident) -> bool:
        return case.reporter is not None and case.reporter.has_contact

    def contact_channel(self, case: Incident) -> ContactChannel:
        if case.reporter is not None and not case.reporter.phone:
            return ContactChannel.EMAIL
        if case.channel is Channel.WALK_IN and self.rng.random() < 0.3:
            return ContactChannel.IN_PERSON
        return self.rng.choice((ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.PHONE))

    # -- reports dismissed -----------------------------------------------------

    def dismissed(self) -> None:
        """Mostly rumours; some repeat calls (duplicates) and spam."""
        rng = self.rng
        pick = rng.random()
        if pick < 0.15 and self.recent:
            original = rng.choice(self.recent)
            case = self.report(
                kind=original.kind,
                channel=Channel.HOTLINE,
                category=original.category,
                title=f"{original.title}（同一户再次来电）",
                description=original.description,
                location=original.location,
            )
            note = "同一户重复来电，并入首次来电"
            case.dismiss(
                at=self.later(2, 60),
                by=INTAKE,
                reason=DismissReason.DUPLICATE,
                duplicate_of=original,
                note=note,
            )
            return
        spam = pick > 0.85
        category, words, note = rng.choice(SPAM if spam else RUMOURS)
        case = self.report(
            kind=Kind.COMPLAINT if spam else Kind.INQUIRY,
            channel=Channel.SMS if spam else rng.choice(CHANNELS),
            category=category,
            title=words,
            description=f"来电人反映：{words}",
            location="",
        )
        reason = DismissReason.INVALID if spam else DismissReason.RUMOUR
        case.dismiss(at=self.later(5, 240), by=INTAKE, reason=reason, duplicate_of=None, note=note)

    # -- crises ----------------------------------------------------------------

    def crisis(self) -> None:
        """From the alarm to the review: command, orders, logistics, a statement,
        field updates and the complaints linked to it, all at once."""
        rng = self.rng
        plan = rng.choice(CRISES)
        channel = Channel.MONITORING if rng.random() < 0.7 else Channel.HOTLINE
        crisis = self.report(
            kind=Kind.CRISIS,
            channel=channel,
            category=plan.category,
            title=plan.title,
            description=plan.description,
            location=plan.location,
        )
        crisis.verify(at=self.later(3, 30), by=INTAKE, note="电话确认：报警真实，非误报")
        severity = self.grade(crisis, plan, rng.choices(list(Severity), SEVERITY_WEIGHTS)[0])
        self.take_command(crisis, plan)
        long = rng.random() < 0.6  # long crises reach 150-300 events
        callers: list[Incident] = []
        tasks = [self.caller(crisis, plan, callers) for _ in range(rng.randint(0, 6))]
        tasks += [self.order(crisis, plan, n) for n in range(rng.randint(3, 10))]
        tasks += [self.supply(crisis, plan) for _ in range(rng.randint(1, 4))]
        tasks += [self.statement(crisis, plan), self.updates(crisis, plan, long)]
        if rng.random() < 0.35:
            tasks.append(self.regrade(crisis, plan, severity))
        self.run_together(tasks)
        self.stand_down(crisis, plan, callers)

    def grade(self, crisis: Incident, plan: CrisisPlan, severity: Severity) -> Severity:
        grade = GRADE[severity]
        crisis.classify(
            at=self.later(5, 40),
            by=LEADER,
            severity=severity,
            scope=plan.scope,
            risk=plan.risk,
            rationale=f"影响范围和风险研判，按{grade}（{severity.value}级）响应",
        )
        return severity

    def take_command(self, crisis: Incident, plan: CrisisPlan) -> None:
        crisis.activate(at=self.later(1, 20), by=LEADER, plan=plan.plan, commander=plan.commander)
        for post, person in self.rng.sample(POSTS, self.rng.randint(2, 5)):
            crisis.assign_role(at=self.later(0.5, 5), by=LEADER, command_role=post, person=person)

    def caller(
        self, crisis: Incident, plan: CrisisPlan, callers: list[Incident]
    ) -> Iterator[float]:
        """A complaint about the crisis: verified by calling back, then linked."""
        yield self.rng.uniform(0, 180)
        words = self.rng.choice(plan.complaints)
        case = self.report(
            kind=Kind.COMPLAINT,
            channel=self.rng.choice(
                (Channel.HOTLINE, Channel.HOTLINE, Channel.SOCIAL, Channel.WEB)
            ),
            category=plan.category,
            title=words,
            description=f"来电人反映：{words}。",
            location=plan.location,
        )
        yield self.rng.uniform(3, 30)
        case.verify(at=self.now, by=INTAKE, note="回拨来电人确认，与报警情况吻合")
        yield self.rng.uniform(1, 10)
        case.link(at=self.now, by=INTAKE, parent=crisis)
        callers.append(case)
        if self.reachable(case) and self.rng.random() < 0.6:
            yield self.rng.uniform(10, 120)
            self.notify(case, f"【12345】{plan.title}正在处置，进展将及时告知。")

    def order(self, crisis: Incident, plan: CrisisPlan, n: int) -> Iterator[float]:
        """Issue, acknowledge, progress; sometimes reassigned, chased when overdue
        (督办) or cancelled. About one in five is completed after its deadline."""
        rng = self.rng
        spec = plan.orders[n % len(plan.orders)]
        rounds = n // len(plan.orders)
        instruction = spec.instruction + (f"（第{rounds + 1}轮）" if rounds else "")
        yield rng.uniform(0, 60) + rounds * rng.uniform(60, 240)
        order_id, issued = self.new_id(), self.now
        hours = spec.hours * rng.uniform(0.8, 1.5)
        deadline = issued + timedelta(hours=hours)
        crisis.issue_order(
            at=self.now,
            by=LEADER,
            order_id=order_id,
            assignee=spec.assignee,
            instruction=instruction,
            deadline=deadline,
            priority=spec.priority,
        )
        # Leave room for the acknowledgement and progress before an on-time finish.
        late = rng.random() < 0.2
        share = rng.uniform(1.1, 2.5) if late else rng.uniform(0.4, 0.95)
        finish = issued + timedelta(hours=hours * share)
        yield rng.uniform(0.05, 0.15) * hours * 60
        worker = spec.worker
        crisis.acknowledge_order(at=self.now, by=worker, order_id=order_id)
        if rng.random() < 0.15:
            yield rng.uniform(2, 15)
            reason = "原承办单位无法及时到场，改派"
            crisis.reassign_order(
                at=self.now, by=LEADER, order_id=order_id, assignee=spec.fallback, reason=reason
            )
            yield rng.uniform(2, 10)
            worker = rng.choice([a for a in (*plan.field, MUNICIPAL_CREW) if a != worker])
            crisis.acknowledge_order(at=self.now, by=worker, order_id=order_id)
        yield from self.order_progress(crisis, worker, order_id, finish, deadline)
        if rng.random() < 0.1:
            reason = "情况变化，该指令不再需要"
            crisis.cancel_order(at=self.now, by=LEADER, order_id=order_id, reason=reason)
        else:
            crisis.complete_order(
                at=self.now, by=worker, order_id=order_id, outcome=f"已完成：{instruction}"
            )

    def order_progress(
        self,
        crisis: Incident,
        worker: Actor,
        order_id: UUID,
        finish: datetime,
        deadline: datetime,
    ) -> Iterator[float]:
        """1-3 progress reports with rising percent, spread up to `finish`; a
        chase when the deadline passes first. Ends at `finish`."""
        rng = self.rng
        steps = rng.randint(1, 3)
        percents = sorted(rng.sample(range(10, 100, 10), steps))
        for percent in percents:
            left = (finish - self.now).total_seconds() / 60
            yield max(left, 1) * rng.uniform(0.2, 0.6)
            said = rng.random() < 0.8
            crisis.progress_order(
                at=self.now,
                by=worker,
                order_id=order_id,
                note=f"完成约{percent}%" if said else "正在处置，稍后回报",
                percent=percent if said else None,
            )
        if deadline < finish and rng.random() < 0.5:
            yield max((deadline - self.now).total_seconds() / 60, 0) + rng.uniform(5, 30)
            note = "督办：指令已超时，请立即回报进展"
            crisis.progress_order(
                at=self.now, by=LEADER, order_id=order_id, note=note, percent=None
            )
        yield max((finish - self.now).total_seconds() / 60, 1)

    def supply(self, crisis: Incident, plan: CrisisPlan) -> Iterator[float]:
        """Requested, then declined, or allocated and delivered; what is not used
        up goes back before the crisis can close."""
        rng = self.rng
        spec = rng.choice(plan.supplies)
        yield rng.uniform(10, 240)
        request_id = self.new_id()
        quantity = rng.randint(max(1, spec.most // 4), spec.most)
        crisis.request_logistics(
            at=self.now,
            by=rng.choice(plan.field),
            request_id=request_id,
            resource=spec.resource,
            item=spec.item,
            quantity=quantity,
            needed_by=self.now + timedelta(hours=rng.uniform(1, 6)),
            purpose=spec.purpose,
        )
        yield rng.uniform(5, 45)
        if rng.random() < 0.1:
            note = "库存不足，暂无可调"
            crisis.decline_logistics(at=self.now, by=LOGISTICS, request_id=request_id, note=note)
            return
        granted = quantity if rng.random() < 0.8 else rng.randint(1, quantity)
        crisis.allocate_logistics(
            at=self.now,
            by=LOGISTICS,
            request_id=request_id,
            quantity=granted,
            source=spec.source,
            note="已安排装运",
        )
        yield rng.uniform(20, 150)
        if rng.random() < 0.1:
            note = "现场已不需要，原车退回仓库"
            crisis.return_logistics(
                at=self.now, by=LOGISTICS, request_id=request_id, quantity=None, note=note
            )
            return
        crisis.deliver_logistics(
            at=self.now, by=LOGISTICS, request_id=request_id, quantity=None, note="已送达现场"
        )
        if not spec.resource.is_consumed:
            yield rng.uniform(4, 48) * 60
            crisis.return_logistics(
                at=self.now, by=LOGISTICS, request_id=request_id, quantity=None, note="已收回"
            )

    def statement(self, crisis: Incident, plan: CrisisPlan) -> Iterator[float]:
        """统一口径: one text, on 1-3 channels."""
        yield self.rng.uniform(10, 120)
        channels = self.rng.sample(list(StatementChannel), self.rng.randint(1, 3))
        crisis.publish_statement(
            at=self.now,
            by=SPOKESPERSON,
            channels=channels,
            text=plan.statement,
            approved_by=plan.commander,
        )

    def updates(self, crisis: Incident, plan: CrisisPlan, long: bool) -> Iterator[float]:
        """Field updates; some sent late from where there was no signal keep when
        they really happened (occurred_at before the time recorded)."""
        rng = self.rng
        count = rng.randint(120, 240) if long else rng.randint(15, 60)
        for k in range(count):
            if crisis.version >= LONGEST_CRISIS:
                return
            yield rng.expovariate(1 / 12)
            gap = rng.uniform(5, 60) if rng.random() < 0.1 else None
            note = f"{rng.choice(plan.updates)}（第{k + 1}次回报）"
            crisis.post_response(
                at=self.now,
                by=rng.choice(plan.field),
                note=f"补录：{note}" if gap else note,
                status=rng.choice(list(ResponseStatus)),
                customer_contacted=rng.random() < 0.2,
                occurred_at=self.now - timedelta(minutes=gap) if gap else None,
            )

    def regrade(self, crisis: Incident, plan: CrisisPlan, severity: Severity) -> Iterator[float]:
        """Lowered or raised once, and sometimes back again: the history keeps both."""
        moved = self.shifted(severity)
        for grade in (moved, severity) if self.rng.random() < 0.4 else (moved,):
            yield self.rng.uniform(60, 600)
            crisis.classify(
                at=self.now,
                by=LEADER,
                severity=grade,
                scope=plan.scope,
                risk=plan.risk,
                rationale=f"态势变化，调整为{GRADE[grade]}（{grade.value}级）响应",
            )

    def shifted(self, severity: Severity) -> Severity:
        grades = list(Severity)
        rank = severity.rank
        if rank == len(grades) - 1 or (rank > 0 and self.rng.random() < 0.5):
            return grades[rank - 1]  # raised: I is the most severe
        return grades[rank + 1]

    def stand_down(self, crisis: Incident, plan: CrisisPlan, callers: list[Incident]) -> None:
        """Resolve, tell the callers, close, call back, review, improve."""
        rng = self.rng
        if CommandRole.LOGISTICS in crisis.roles and rng.random() < 0.3:
            crisis.relieve_role(at=self.later(5, 30), by=LEADER, command_role=CommandRole.LOGISTICS)
        crisis.resolve(
            at=self.later(20, 240), by=LEADER, resolution=Resolution.FIXED, summary=plan.summary
        )
        for case in callers:
            # A caller's round may run past the window where the crisis does not.
            with suppress(Past):
                self.settle(case, Resolution.FIXED, plan.summary, rng.choice(plan.field))
            self.now = crisis.modified_on  # the callers' rounds overlap in time
        if self.reachable(crisis):
            self.later(5, 60)
            self.notify(crisis, f"【12345】您报告的事件已处置：{plan.summary}")
        crisis.close(at=self.later(60, 720), by=LEADER, note="处置完毕，物资已结清")
        self.review(crisis, plan)

    def review(self, crisis: Incident, plan: CrisisPlan) -> None:
        rng = self.rng
        picked = rng.sample(plan.actions, rng.randint(1, min(3, len(plan.actions))))
        at = self.later(1440, 10080)
        actions = [
            Improvement(self.new_id(), what, owner, at + timedelta(days=rng.choice((30, 60, 90))))
            for what, owner in picked
        ]
        crisis.record_review(
            at=at,
            by=LEADER,
            root_cause=plan.root_cause,
            lessons=plan.lessons,
            accountability="约谈相关责任部门负责人" if rng.random() < 0.5 else "",
            actions=actions,
        )
        # Most actions are done within weeks of the review, some never.
        done = sorted((rng.uniform(3, 45), a) for a in actions if rng.random() < 0.6)
        for days, action in done:
            self.move_to(at + timedelta(days=days))
            note = f"已落实：{action.description}"
            crisis.complete_improvement(
                at=self.now, by=LEADER, action_id=action.action_id, note=note
            )


# -- writing them ----------------------------------------------------------------


def write_histories(
    app: IncidentApp,
    events: int,
    *,
    seed: int = 7,
    start: datetime | None = None,
    days: float = 90,
) -> int:
    """Write realistic incident histories into `app` until at least `events`
    events are stored; return the number stored.

    The reports are spread over `days` days ending at `start` (default: now),
    and no event lies after that end. The ids come from `seed` too: two runs
    with the same seed into one store would collide.
    """
    end = start or utc_now()
    if end.tzinfo is None or end > utc_now():
        raise ValueError("start must be timezone-aware and not in the future")
    rng = random.Random(seed)
    pen = Histories(rng, end)
    pace = Pace(end, end - timedelta(days=days))
    written = 0
    while written < events:
        batch: list[Incident] = []
        pending = 0
        while len(batch) < BATCH and written + pending < events:
            at = pace.next(rng, events - written - pending)
            made = pen.story(at)
            batch += made
            pending += pace.record(at, made)
        written += len(app.save(*batch))
    return written


@dataclass
class Pace:
    """When the next story begins: Poisson arrivals, paced to fill what is left
    of the window with what is left to write.

    A story reported shortly before the end is cut short there, so a story
    reported `left` hours before the end is expected to bring only the events
    that come within `left` hours of its report. The pace learns how many
    events come in each hour after a report from the stories so far, each
    counted only over the hours the window let it run; otherwise the events
    the end cuts off would be crammed into the last hours instead.
    """

    end: datetime
    at: datetime
    rate: float = 0.0  # stories an hour
    stories: int = 0
    # Events seen in each hour after their story's report, and how many stories
    # ran that long (kept as differences: a story ran through hours 0..k-1).
    seen: list[int] = field(default_factory=lambda: [0] * LAG_HOURS)
    ran: list[int] = field(default_factory=lambda: [0] * (LAG_HOURS + 1))
    # From the last refresh: sums over hours h < k of the events a story
    # brings in hour h, and of those times h.
    brings: list[float] = field(default_factory=list)
    brings_hours: list[float] = field(default_factory=list)

    def next(self, rng: random.Random, events_left: int) -> datetime:
        left = max((self.end - self.at).total_seconds() / 3600, 1e-9)
        if self.brings:
            self.rate = events_left / self.expected_events(left)
        elif not self.rate:
            self.rate = events_left / FIRST_GUESS_PER_STORY / left
        # Never at or past the end: a story needs its report in the window.
        self.at += timedelta(hours=min(rng.expovariate(self.rate), left / 2))
        return self.at

    def expected_events(self, left: float) -> float:
        """The events that stories reported one an hour over the `left` hours
        to the end would bring: a story reported `a` hours before the end brings
        those of its events that come within `a` hours, summed over `a`."""
        k = min(int(left) + 1, LAG_HOURS)
        return max(left * self.brings[k] - self.brings_hours[k], 1e-3 * left)

    def record(self, at: datetime, made: list[Incident]) -> int:
        """Learns from a story; returns how many events it has."""
        hours = min(int((self.end - at).total_seconds() // 3600), LAG_HOURS)
        self.ran[0] += 1
        self.ran[hours] -= 1
        for incident in made:
            for event in incident.pending_events:
                hour = int((event.timestamp - at).total_seconds() // 3600)
                if hour < hours:  # the last, partly run hour would count short
                    self.seen[min(hour, LAG_HOURS - 1)] += 1
        self.stories += 1
        if self.stories % PACE_WARMUP == 0:
            self.refresh()
        return sum(incident.version for incident in made)

    def refresh(self) -> None:
        self.brings, self.brings_hours = [0.0], [0.0]
        running = 0
        for hour, seen in enumerate(self.seen):
            running += self.ran[hour]
            per_story = seen / running if running else 0.0
            self.brings.append(self.brings[-1] + per_story)
            self.brings_hours.append(self.brings_hours[-1] + hour * per_story)


def open_bench_store(path: Path) -> Store:
    return open_store(Settings(database=str(path)))


def cached_log(events: int, folder: Path = Path("/tmp/icc-bench")) -> Path:
    """A SQLite store holding `events` events, built once and then reused.

    Built under a temporary name and renamed when complete (its key file
    first, the database last), so an interrupted build is never reused; a lock
    keeps two benchmarks from building the same log at once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"histories-v{VERSION}-{events}.db"
    if path.exists():
        return path
    with open(folder / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():  # built by whoever held the lock before us
            return path
        # Builds that were interrupted left their files; nobody else builds this log now.
        for leftover in folder.glob(f"{path.name}.building-*"):
            leftover.unlink()
        building = folder / f"{path.name}.building-{os.getpid()}"
        try:
            build(building, events)
            os.replace(key_file(building), key_file(path))
            os.replace(building, path)
        finally:
            for leftover in folder.glob(f"{building.name}*"):
                leftover.unlink()
    return path


def build(path: Path, events: int) -> int:
    """Write the histories into a new store at `path`, left as one self-contained file."""
    store = open_bench_store(path)
    try:
        written = write_histories(store.incidents, events)
    finally:
        store.close()
    # Fold the write-ahead log in, so that renaming the one file moves everything.
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    return written


def key_file(database: Path) -> Path:
    """The master key the store keeps beside its database (see Settings.master_key_path)."""
    return Settings(database=str(database)).master_key_path


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVENTS
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(scratch) / "histories.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        written = build(path, events)
        seconds = time.perf_counter() - started
        print(f"{written:,} events written to {path}")
        print(f"{seconds:.1f} s, {written / seconds:,.0f} events/s")


if __name__ == "__main__":
    main()
