"""The moderation queue and the officials' workflow of ``seed_demo``.

``seed_workflow`` adds what issues 3 and 4 ask of the demo:

- the accounts ``moderator2`` and ``handler`` (staff of the demo official's
  department), with the demo password, and two citizens who cannot log in:
  ``newcomer``, who joined today, and ``spammer``, whom the moderator blocked;
- the mayor's general office (人民政府办公室), the demo official's department:
  its staff's replies need an official's sign-off, and overdue messages
  escalate to its supervising official;
- screening rules, and messages awaiting review that trip every finding of
  the pre-screen, one of them waiting for a second moderator's approval;
- the public holidays and make-up working days (调休) of 2026 and 2027;
- messages to the demo official in every state of the officials' workflow.

Every row is written by the real actions (``message_submit``,
``message_approve``, ``message_accept``, ``reply_create`` …), so the
timelines, notifications, audit records and deadlines are what the site
itself writes. To give the messages a past, each step runs on a clock set to
the moment it took place (``clock_at``); only the periodic checks run at the
present, as the scheduler would have run them this morning.

Idempotent: accounts, the office, its supervisor and the rules are keyed on
their natural keys, holidays on their date and messages on (author, title); a
scenario whose message is already on the board is left alone, so a second run
changes nothing but the passwords, as for the other demo accounts.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from board.actions import (
    MessageDraft,
    deadline_working_days,
    deadlines_check,
    follow_up_submit,
    message_accept,
    message_extend,
    message_submit,
    message_transfer,
    messages_auto_close,
    rating_submit,
    reply_create,
    reply_sign_off,
    user_grant_role,
)
from board.deadlines import calendar_exceptions, is_working_day
from board.models import (
    Category,
    Department,
    Holiday,
    Message,
    MessageKind,
    Notification,
    Official,
    Region,
    TransferRequest,
    User,
)
from board.roles import Role
from moderation.actions import follow_up_approve, message_approve, user_block
from moderation.models import ScreeningRule, SiteNotice, UserBlock
from moderation.screening import ID_CHECK_CHARS, ID_WEIGHTS

from . import _demo_text as text

# (username, role, display name), printed with seed_demo's logins.
WORKFLOW_ACCOUNTS = [
    ("moderator2", Role.MODERATOR, "审核员刘洋"),
    ("handler", Role.HANDLER, "市政府办公室张敏"),
]
# Citizens without a usable password: (username, display name, joined ago).
WORKFLOW_CITIZENS = [
    ("newcomer", "赵磊", timedelta(minutes=25)),
    ("spammer", "刘经理", timedelta(days=20)),
]
SPAMMER_BLOCK_REASON = "多次发布商业广告，新留言需经人工审核后才能公开。"

# The demo official (the mayor of the first city) works in this department.
OFFICE_NAME = "人民政府办公室"
OFFICE_NAME_EN = "General Office of the Municipal Government"
# (name, title, English title) of the official overdue messages escalate to.
SUPERVISOR = (
    "沈志远",
    "临江市人民政府秘书长",
    "Secretary-General, Linjiang Municipal Government",
)

# (pattern, is a regular expression, label, needs a second approval)
SCREENING_RULES = [
    ("代开发票", False, "广告：代开发票", False),
    (r"(加|\+)\s*微信", True, "引流：加微信", False),
    ("受贿", False, "举报公职人员受贿（需两名审核员同意）", True),
]

# (first day, last day or None, name, is a make-up working day)
HOLIDAYS = [
    # 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025).
    ("2026-01-01", "2026-01-03", "元旦", False),
    ("2026-01-04", None, "元旦调休上班", True),
    ("2026-02-14", None, "春节调休上班", True),
    ("2026-02-15", "2026-02-23", "春节", False),
    ("2026-02-28", None, "春节调休上班", True),
    ("2026-04-04", "2026-04-06", "清明节", False),
    ("2026-05-01", "2026-05-05", "劳动节", False),
    ("2026-05-09", None, "劳动节调休上班", True),
    ("2026-06-19", "2026-06-21", "端午节", False),
    ("2026-09-20", None, "国庆节调休上班", True),
    ("2026-09-25", "2026-09-27", "中秋节", False),
    ("2026-10-01", "2026-10-07", "国庆节", False),
    ("2026-10-10", None, "国庆节调休上班", True),
    # 2027: the State Council's notice was not at hand when this was written.
    # These are the statutory days of 全国年节及纪念日放假办法 (2024 revision)
    # on 2027's calendar (除夕 is 5 February, 端午 9 June, 中秋 15 September),
    # without the make-up working days and without the weekdays given in
    # lieu of holidays on a weekend (1–2 May is a Saturday and Sunday).
    # Replace them in the admin with the notice's dates.
    ("2027-01-01", None, "元旦", False),
    ("2027-02-05", "2027-02-08", "春节", False),
    ("2027-04-05", None, "清明节", False),
    ("2027-05-01", "2027-05-02", "劳动节", False),
    ("2027-06-09", None, "端午节", False),
    ("2027-09-15", None, "中秋节", False),
    ("2027-10-01", "2027-10-03", "国庆节", False),
]


def id_number(first17: str) -> str:
    """An 18-digit ID number with its GB 11643 check character."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True)
    )
    return first17 + ID_CHECK_CHARS[total % 11]


# Born 12 March 1985 in 江北区 (910102) of the fictional province.
DEMO_ID_NUMBER = id_number("91010219850312771")

MAYOR, OFFICE = "mayor", "office"


@dataclass(frozen=True)
class Letter:
    """A message of the demo. ``to`` is the mayor, the office, or the slug of
    a bureau of the mayor's city (a category slug of ``_demo_text``)."""

    author: str
    region: str  # region code
    category: str  # category slug
    kind: str
    title: str
    body: str
    to: str = MAYOR
    is_public: bool = True


K = MessageKind

# --- Awaiting review: each trips a finding of the pre-screen (issue 3) ---

DUPLICATE_BODY = (
    "江北区工业园附近的几个小区，{when}每天晚上十点以后都能闻到一股刺鼻的化学气味，"
    "一直持续到凌晨。\n\n"
    "很多居民晚上不敢开窗，老人和孩子出现咳嗽、嗓子疼的症状。恳请环保部门夜间突击"
    "检查，查明是哪家企业在偷排，并公开处理结果。{end}"
)

PENDING_LETTERS = {
    "links": Letter(
        "citizen2", "910100", "transport", K.SUGGESTION,
        "关于优化城区公交线网的建议（附外地经验链接）",
        "近几年城区向东扩展很快，但公交线网多年没有大的调整，新区居民坐车很不方便。"
        "我整理了几个城市优化公交线网的公开报道，供交通部门参考：\n\n"
        "https://transit.example.cn/2026/bus-network-review\n\n"
        "https://www.example.org/cases/metro-feeder-bus\n\n"
        "https://news.example.com/2026/10/night-bus-lines\n\n"
        "建议结合临江实际，增开地铁接驳线和夜班公交，并在调整前公开征求意见。",
        to="transport",
    ),
    "held": Letter(
        "spammer", "910100", "other", K.SUGGESTION,
        "代开发票，税点低，当天可开",
        "本公司长期代开发票：增值税专用发票、普通发票、餐饮住宿发票，"
        "税点低，当天可开。\n\n"
        "有需要的老板请加微信详谈，量大从优。",
    ),
    "rule": Letter(
        "citizen2", "910103", "public-security", K.COMPLAINT,
        "滨江大道地铁口有人散发代开发票小卡片",
        "最近一个多月，滨江大道地铁站出口每天早上都有人向上班的行人塞小卡片，"
        "卡片上印着“代开发票”“正规税票”等字样。\n\n"
        "这种行为涉嫌违法，卡片扔得满地都是，也影响市容。希望公安和市场监管部门"
        "联合查处，从源头上打掉这个团伙。",
        to="public-security",
    ),
    "phone": Letter(
        "citizen", "910121", "health", K.HELP,
        "父亲异地住院费用迟迟不能报销，求助",
        "我父亲是南屏县城关镇的参保居民，今年八月在省城住院做了心脏支架手术，"
        "花费六万多元。出院后按要求提交了报销材料，三个多月过去了还没有结果。\n\n"
        "每次打电话询问都说在审核，家里经济压力很大。我的手机号是13912345678，"
        "恳请相关部门帮忙查一下进度。",
        is_public=False,
    ),
    "email": Letter(
        "citizen", "910103", "government-services", K.INQUIRY,
        "新生儿落户材料能否先在网上预审",
        "家里刚添了宝宝，准备办理出生登记和落户。听说材料不齐要跑好几趟，"
        "我们夫妻俩工作都很忙。\n\n"
        "请问能否先把材料扫描件发给工作人员预审？我的邮箱是"
        " wangxiaoming.demo@example.com ，如果可以，请告诉我需要准备哪些材料。",
        to="government-services",
    ),
    "duplicate_original": Letter(
        "citizen2", "910102", "environment", K.COMPLAINT,
        "江北区工业园夜间刺鼻异味，居民无法开窗",
        DUPLICATE_BODY.format(when="最近两周", end=""),
        to="environment",
    ),
    "id_number": Letter(
        "citizen2", "910102", "labour-social-security", K.HELP,
        "社保缴费记录少了半年，请帮忙核查",
        "我在江北区一家物流公司工作了三年多，最近在网上查询社保缴费记录，"
        "发现去年下半年六个月的记录是空白，工资条上却每个月都扣了社保费。\n\n"
        f"我的身份证号是{DEMO_ID_NUMBER}，请帮忙核查是公司漏缴还是系统问题，"
        "如果是公司的问题，希望督促补缴。",
        to="labour-social-security",
        is_public=False,
    ),
    "second_approval": Letter(
        "citizen", "910121", "agriculture", K.COMPLAINT,
        "举报石桥村干部在低保评定中优亲厚友",
        "南屏县城关镇石桥村今年的低保评定很不公平。村里几户真正困难的家庭没有评上，"
        "村干部的亲戚却有好几家吃上了低保，其中一户家里刚盖了三层小楼。\n\n"
        "还有村民反映，有人给村干部送了礼才评上，涉嫌受贿。恳请上级部门调查核实，"
        "还困难群众一个公道。",
    ),
    "regex": Letter(
        "citizen", "910102", "other", K.INQUIRY,
        "有人在业主群里让老人加微信领高龄补贴，是真是假",
        "幸福里小区的业主群里最近有人发消息，自称社区养老服务中心的工作人员，"
        "让七十岁以上的老人加微信登记，说就能领取每月三百元的高龄补贴。\n\n"
        "已经有好几位老人加了对方，还被要求提供银行卡号。请问政府有没有这样的"
        "补贴政策？如果是诈骗，恳请尽快提醒居民。",
    ),
    "duplicate": Letter(
        "citizen2", "910102", "environment", K.COMPLAINT,
        "再次反映：江北区工业园夜间刺鼻异味",
        DUPLICATE_BODY.format(when="最近半个月", end="谢谢！"),
        to="environment",
    ),
    "new_account": Letter(
        "newcomer", "910121", "education", K.INQUIRY,
        "刚搬来南屏县，孩子插班上小学要准备什么",
        "我们一家刚从外省搬到南屏县，孩子今年上三年级，需要转学插班。\n\n"
        "请问插班需要准备哪些材料，向哪个学校或部门申请？学籍转接大概需要多长时间？",
        to="education",
    ),
}  # fmt: skip

# --- The officials' workflow: messages to the mayor and his office (issue 4) ---

HANDLING_LETTERS = {
    "auto_closed": Letter(
        "citizen2", "910100", "labour-social-security", K.INQUIRY,
        "咨询灵活就业人员医保缴费档次和缴费方式",
        "我今年从单位离职后做自由职业，想以灵活就业人员身份继续缴纳医保。\n\n"
        "请问临江市灵活就业人员的医保有几个缴费档次，可以按月缴还是只能按年缴？"
        "能否在手机上办理？",
    ),
    "follow_up_approved": Letter(
        "citizen", "910102", "transport", K.SUGGESTION,
        "学府路小学门口人行横道缺少信号灯",
        "江北区学府路上的第一实验小学门口只有一条人行横道，没有信号灯，"
        "上下学时段车流很大，孩子们过马路全靠家长和老师拦车。\n\n"
        "建议在学校门口增设行人过街信号灯，并在上下学时段安排交警或志愿者值守。",
    ),
    "overdue": Letter(
        "citizen", "910102", "urban-construction", K.COMPLAINT,
        "建设路菜市场周边占道经营，反映多次仍未解决",
        "江北区建设路农贸市场门口和两侧人行道上，每天早上都摆满了流动摊位，"
        "电动车和行人只能走机动车道，早高峰非常危险。\n\n"
        "这个问题我们已经通过热线反映过三次，每次整治几天后又恢复原样。"
        "希望建立长效管理机制，不要一阵风。",
    ),
    "dissatisfied": Letter(
        "citizen2", "910103", "environment", K.COMPLAINT,
        "滨江区夜市油烟噪音扰民，整改后又反弹",
        "滨江区湖滨路夜市的烧烤摊每天营业到凌晨两三点，油烟直接飘进居民楼，"
        "音响声音也很大。\n\n"
        "去年整治过一次，好了没几个月又恢复原样。希望彻底解决，"
        "而不是只在检查时收敛几天。",
    ),
    "satisfied": Letter(
        "citizen", "910102", "transport", K.INQUIRY,
        "咨询老年人免费乘坐公交的乘车卡如何办理",
        "我母亲今年满七十岁，听说临江市七十岁以上的老人可以免费乘坐公交车。\n\n"
        "请问需要带哪些材料，到哪里办理老年人乘车卡？外地户籍但常住临江的老人"
        "能否办理？",
    ),
    "extended": Letter(
        "citizen2", "910103", "urban-construction", K.HELP,
        "锦绣华庭小区安装充电桩被物业拒绝，求协调",
        "我住在滨江区锦绣华庭小区，有固定产权车位，今年买了新能源汽车，"
        "供电公司也同意报装，但物业以消防安全为由拒绝在地下车库安装充电桩。\n\n"
        "小区里有几十位车主遇到同样的问题，只能每天开车去外面排队充电。"
        "恳请有关部门协调解决。",
    ),
    "replied": Letter(
        "citizen2", "910103", "education", K.HELP,
        "孩子转学后学籍迟迟转不过来，期末考试在即",
        "我们一家今年从青山市搬到滨江区，孩子在新学校已经上了两个多月的课，"
        "但学籍一直转不过来，学校说原学校没有确认。\n\n"
        "马上要期末考试了，没有学籍孩子不能参加统考，我们非常着急。"
        "恳请教育部门帮忙协调。",
    ),
    "interim": Letter(
        "citizen", "910121", "urban-construction", K.HELP,
        "南屏县老旧小区二次供水水压不足，高层住户长期缺水",
        "我住在南屏县城关镇纺织厂宿舍，小区的二次供水设备已经用了二十多年，"
        "五楼以上的住户白天基本没有水，只能半夜起来接水。\n\n"
        "物业说设备改造要几十万元，居民自己拿不出来。恳请政府把我们小区纳入"
        "供水设施改造计划。",
    ),
    "transfer_request": Letter(
        "citizen2", "910100", "transport", K.COMPLAINT,
        "城南片区公交线路调整后换乘不便，上班多花一小时",
        "今年十月城南片区公交线路调整后，原来直达市中心的两条线路被截短，"
        "现在上班要换乘两次，单程多花将近一个小时。\n\n"
        "附近几个小区的居民意见很大。希望恢复原有线路，或者增开一条直达快线。",
    ),
    "draft": Letter(
        "citizen", "910121", "urban-construction", K.COMPLAINT,
        "城关镇新华路一带自来水浑浊发黄",
        "南屏县城关镇新华路一带最近一周自来水明显发黄，放一会儿杯底就有沉淀，"
        "烧开后壶底一层黄垢，家里老人孩子都不敢喝。\n\n"
        "请问是水源还是管网出了问题？希望尽快检测水质并公布结果。",
        to=OFFICE,
    ),
    "transferred": Letter(
        "citizen", "910102", "urban-construction", K.COMPLAINT,
        "望江路高架桥下违章搭建多年无人管理",
        "望江路高架桥下的空地上，有人搭建了十几间铁皮房，用来堆放废品和出租，"
        "已经好几年了。\n\n"
        "这些铁皮房私拉电线，堆满易燃物品，存在很大的火灾隐患，附近居民非常担心。"
        "希望有关部门依法拆除，并把这片空地改造成停车场或小游园。",
    ),
    "accepted": Letter(
        "citizen2", "910102", "other", K.SUGGESTION,
        "建议在人民公园增设夜间照明和环湖健身步道",
        "人民公园是江北区居民晚上散步锻炼最集中的地方，但环湖一圈只有入口附近"
        "有路灯，湖边小路晚上漆黑一片，很不安全。\n\n"
        "建议增设低位照明，并把环湖小路改造成塑胶健身步道，方便群众夜间锻炼。",
    ),
    "near_deadline": Letter(
        "citizen2", "910100", "urban-construction", K.INQUIRY,
        "咨询临江市公共租赁住房申请条件和轮候时间",
        "我和爱人都在临江市区工作，没有自己的住房，目前租房居住，家庭收入不高。\n\n"
        "请问申请公共租赁住房需要满足哪些条件？在哪里提交申请，轮候一般需要多长时间？",
    ),
    "routed": Letter(
        "citizen", "910103", "urban-construction", K.COMPLAINT,
        "滨江大道人行道地砖大面积松动，雨天一踩一脚泥水",
        "滨江大道从望江路口到湿地公园这一段，人行道地砖松动、破损的地方越来越多，"
        "一下雨踩上去就溅一身泥水。\n\n"
        "前几天有位老人在这里绊倒摔伤了腿。希望有关部门尽快组织维修，"
        "并加强日常巡查。",
    ),
}  # fmt: skip

LETTERS = {**HANDLING_LETTERS, **PENDING_LETTERS}
# The seeded messages' titles; seed_demo's own tests leave them out.
WORKFLOW_TITLES = frozenset(letter.title for letter in LETTERS.values())

REPLIES = {
    "auto_closed": (
        "您好！临江市灵活就业人员可以参加职工基本医疗保险，缴费基数在全市上年度"
        "职工平均工资的百分之六十至百分之三百之间自行选择，可以按月或按年缴纳。\n\n"
        "请携带身份证到各区县医保经办窗口办理参保登记，登记后可通过临江医保"
        "公众号或银行代扣按月缴费。感谢您的来信。"
    ),
    "follow_up_approved": (
        "您好！您的建议很有必要。市交通运输局已会同交警部门现场踏勘，计划在"
        "第一实验小学门口增设行人过街信号灯，目前正在设计，设计完成后将尽快施工。"
    ),
    "dissatisfied": (
        "您好！接到留言后，市城管局会同滨江区对湖滨路夜市进行了联合检查，责令"
        "十二家烧烤摊加装油烟净化设备，并要求夜市晚上十一点后停止使用音响。"
        "下一步将加强日常巡查，发现问题及时处理。"
    ),
    "satisfied": (
        "您好！临江市户籍及持有本市居住证的七十周岁以上老年人，均可申领老年人"
        "免费乘车卡。请携带老人身份证原件和近期一寸免冠照片一张，到就近的公交"
        "卡服务网点办理，当场制卡；行动不便的老人可由家属持本人身份证代办。"
    ),
    "replied": (
        "您好！收到您的留言后，我们立即协调市教育局与青山市教育局沟通。经核实，"
        "孩子原学校因系统账号变更未能及时确认转出申请，现已完成学籍转接，孩子可以"
        "正常参加本学期期末统考。给您带来的不便，我们深表歉意。"
    ),
    "interim": (
        "您反映的问题已收悉。我们已请南屏县住房和城乡建设局会同县自来水公司到"
        "小区现场查看，初步判断是加压泵组老化所致。目前正在核算改造费用，研究纳入"
        "老旧小区改造项目，预计月底前给您正式答复。改造完成前，已要求物业在用水"
        "高峰时段加强设备巡检。"
    ),
    "draft": (
        "您好！您反映的城关镇新华路一带自来水浑浊问题，我们已会同县自来水公司和"
        "县疾控中心调查处理。经查，系该片区供水主管道维修后管壁锈垢脱落所致，"
        "自来水公司已对管网进行冲洗，疾控中心抽检的六个水样各项指标均符合生活"
        "饮用水卫生标准。如仍发现水质异常，请拨打供水服务热线，工作人员将上门检测。"
    ),
}
# (attitude, speed, resolved, comment) given by the author.
RATINGS = {
    "satisfied": (5, 5, 5, "回复很及时，当天就给母亲办好了卡，谢谢！"),
    "dissatisfied": (3, 2, 1, "检查那几天好了，现在又是老样子，问题根本没有解决。"),
    "follow_up_approved": (4, 3, 2, "希望给个具体的完工时间。"),
}
FOLLOW_UPS = {
    "dissatisfied": (
        "回复说晚上十一点后停止使用音响，但这周每天晚上到一点多还在放音乐，"
        "油烟净化设备也只有两三家在用。请问日常巡查具体由谁负责？"
    ),
    "follow_up_approved": (
        "请问信号灯预计什么时候能装好？施工期间学校门口有哪些安全措施？"
    ),
}
EXTENSION_REASON = (
    "需会同供电公司、消防部门和街道对小区地下车库进行联合勘查，并组织业主协商，"
    "办理时间相应延长。"
)
TRANSFER_REASONS = {
    "transferred": "该问题涉及城管、住建、消防等多个部门，转市政府办公室牵头协调办理。",
    "to_office": "转市政府办公室统筹研究办理。",
    "to_mayor": "线路调整是市政府常务会议确定的事项，需市长批示。",
    "to_bureau": "公交线路调整属市交通运输局职责，已多次转办，请审核员改派。",
}


# Logged while seeding at these levels only: Celery's line for each task run
# in-process, and kombu's warning that the in-memory broker has no host name.
QUIET_LOGGERS = {"celery.app.trace": logging.WARNING, "kombu.connection": logging.ERROR}


# --- The clock ------------------------------------------------------------------


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run actions as if at ``moment``: ``timezone.now()`` returns it.

    The actions, the ``auto_now`` fields and the deadline arithmetic all read
    the time through ``django.utils.timezone.now``, so a step of the demo's
    past is written as the site would have written it then. Only for this
    one-off command: a server must never swap the module's function.
    """
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


@contextmanager
def quiet_task_logs() -> Iterator[None]:
    """No log line for each of the demo's tasks that runs in-process."""
    saved = {}
    for name, level in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        saved[logger] = logger.level
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, level in saved.items():
            logger.setLevel(level)


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days before ``day`` (the reverse of
    ``board.deadlines.add_working_days``)."""
    holidays, make_up_days = calendar_exceptions(
        day - timedelta(days=count * 2 + 40), day
    )
    while count:
        day -= timedelta(days=1)
        if is_working_day(day, holidays, make_up_days):
            count -= 1
    return day


# --- Reference data ---------------------------------------------------------------


def seed_screening_rules() -> int:
    for pattern, is_regex, label, second in SCREENING_RULES:
        ScreeningRule.objects.get_or_create(
            pattern=pattern,
            is_regex=is_regex,
            defaults={"label": label, "needs_second_approval": second},
        )
    return len(SCREENING_RULES)


def seed_holidays() -> int:
    rows = []
    for first, last, name, is_working_day_ in HOLIDAYS:
        day, end = date.fromisoformat(first), date.fromisoformat(last or first)
        while day <= end:
            rows.append(Holiday(date=day, name=name, is_working_day=is_working_day_))
            day += timedelta(days=1)
    # Keyed on the date: days already there, perhaps edited, are left alone.
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def ensure_site_notice() -> None:
    """The delay notice; a migration creates it, unless an admin deleted it."""
    if not SiteNotice.objects.exists():
        SiteNotice.objects.create(
            text="近期留言较多，审核时间可能超过 24 小时，敬请谅解。"
            "您的留言审核后我们会第一时间通知您。",
            text_en="We are receiving many messages: review may take longer than "
            "24 hours. We will tell you as soon as yours has been reviewed.",
        )


def seed_office(mayor: Official) -> Department:
    """The mayor's general office: sign-off required, a supervising official."""
    office, _created = Department.objects.get_or_create(
        region=mayor.region,
        name=OFFICE_NAME,
        defaults={"name_en": OFFICE_NAME_EN, "requires_sign_off": True},
    )
    name, title, title_en = SUPERVISOR
    supervisor, _created = Official.objects.get_or_create(
        name=name,
        region=mayor.region,
        defaults={"title": title, "title_en": title_en, "department": office},
    )
    if office.supervisor_id is None:
        office.supervisor = supervisor
        office.save(update_fields=["supervisor"])
    # seed_officials upserts the mayor without a department on every run.
    if mayor.department_id != office.pk:
        mayor.department = office
        mayor.save(update_fields=["department"])
    return office


# --- The seeder -------------------------------------------------------------------


class WorkflowSeeder:
    def __init__(self, password: str):
        self.password = password
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.added_ids: list[int] = []  # the messages this run added
        self.last_step: datetime | None = None

    def run(self) -> dict:
        # The actions' tasks (emails, pushes) run when this commits.
        with quiet_task_logs(), transaction.atomic():
            last_notification = Notification.objects.aggregate(last=Max("pk"))["last"]
            self.seed_people()
            rules = seed_screening_rules()
            holidays = seed_holidays()
            ensure_site_notice()
            self.load_places()
            # Oldest first, so ids follow time as on a real board.
            for key in HANDLING_LETTERS:
                getattr(self, f"handle_{key}")()
            for key in PENDING_LETTERS:
                self.pending(key)
            if self.added_ids:
                # The periodic checks, as this morning's run would have made them.
                deadlines_check(now=self.now)
                messages_auto_close(now=self.now)
                self.mark_notifications_emailed(last_notification or 0)
        return {
            "rules": rules,
            "holidays": holidays,
            "years": sorted({int(first[:4]) for first, *_rest in HOLIDAYS}),
            "pending": len(PENDING_LETTERS),
            "handling": len(HANDLING_LETTERS),
            "added": len(self.added_ids),
        }

    # --- People and places ---

    def seed_people(self) -> None:
        # The demo citizens have written for a year (seed_demo's messages go
        # back that far): only newcomer is a new account for the pre-screen.
        new_since = self.now - timedelta(
            days=settings.ZHITONG_PRESCREEN_NEW_ACCOUNT_DAYS
        )
        User.objects.filter(
            username__in=["citizen", "citizen2"], date_joined__gt=new_since
        ).update(date_joined=self.now - timedelta(days=400))
        self.users = {
            user.username: user
            for user in User.objects.filter(
                username__in=["citizen", "citizen2", "moderator", "official"]
            )
        }
        self.mayor = Official.objects.get(user=self.users["official"])
        self.office = seed_office(self.mayor)
        hashed = make_password(self.password)
        for username, role, display_name in WORKFLOW_ACCOUNTS:
            self.users[username] = upsert_account(
                username,
                role,
                display_name,
                password=hashed,
                department=self.office if role == Role.HANDLER else None,
            )
        for username, display_name, joined_ago in WORKFLOW_CITIZENS:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "display_name": display_name,
                    "password": make_password(None),
                    "date_joined": self.now - joined_ago,
                },
            )
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"verified": True, "primary": True},
            )
            user_grant_role(user=user, role=Role.CITIZEN)
            self.users[username] = user

    def load_places(self) -> None:
        codes = {letter.region for letter in LETTERS.values()}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.categories = {c.slug: c for c in Category.objects.all()}
        city_names = {slug: name for slug, name, _province, _en in text.DEPARTMENTS}
        self.bureaus = {
            slug: Department.objects.get(region=self.mayor.region, name=name)
            for slug, name in city_names.items()
        }

    # --- Steps ---

    def begin(self, key: str) -> bool:
        """Start a scenario's clock; False when its message is on the board."""
        letter = LETTERS[key]
        author = self.users[letter.author]
        if Message.objects.filter(author=author, title=letter.title).exists():
            return False
        self.last_step = None
        return True

    def act(self, moment: datetime, action: Callable, **kwargs):
        """Take one step of a scenario at ``moment``, after the previous one."""
        if moment > self.now or (
            self.last_step is not None and moment <= self.last_step
        ):
            raise RuntimeError(f"Demo step out of order at {moment.isoformat()}")
        self.last_step = moment
        with clock_at(moment):
            return action(**kwargs)

    def submit(self, key: str, moment: datetime) -> Message:
        letter = LETTERS[key]
        official = department = None
        if letter.to == MAYOR:
            official = self.mayor
        elif letter.to == OFFICE:
            department = self.office
        else:
            department = self.bureaus[letter.to]
        draft = MessageDraft(
            region=self.regions[letter.region],
            category=self.categories[letter.category],
            kind=letter.kind,
            title=letter.title,
            body=letter.body,
            addressee_official=official,
            addressee_department=department,
            is_public=letter.is_public,
        )
        author = self.users[letter.author]
        message = self.act(moment, message_submit, author=author, draft=draft)
        self.added_ids.append(message.pk)
        return message

    def deadline_days(self, key: str) -> int:
        """Working days to reply to the scenario's letter, as routing sets them."""
        letter = LETTERS[key]
        return deadline_working_days(
            Message(addressee_official=self.mayor, kind=letter.kind)
        )

    def working_day(self, back: int, hour: int, minute: int = 0) -> datetime:
        """``hour:minute`` on the working day ``back`` working days ago."""
        return local_moment(working_days_before(self.today, back), hour, minute)

    def hours_ago(self, hours: float) -> datetime:
        return self.now - timedelta(hours=hours)

    @staticmethod
    def evening_before(moment: datetime) -> datetime:
        """The author wrote in the evening before the moderator's review."""
        return local_moment(timezone.localdate(moment) - timedelta(days=1), 20, 35)

    @staticmethod
    def same_evening(moment: datetime, minute: int = 0) -> datetime:
        """The author reads a reply after work on the day it came."""
        return local_moment(timezone.localdate(moment), 20, minute)

    def routed(self, key: str, back: int, moderator: str = "moderator") -> Message:
        """Submitted the evening before, approved and routed ``back`` working
        days ago."""
        approved = self.working_day(back, 9, 40)
        message = self.submit(key, self.evening_before(approved))
        return self.act(
            approved, message_approve, message=message, actor=self.users[moderator]
        )

    def accept(self, message: Message, back: int, by: str = "official") -> None:
        self.act(
            self.working_day(back, 10, 15),
            message_accept,
            message=message,
            actor=self.users[by],
        )

    def reply(self, message, key: str, moment: datetime, by="official", final=True):
        return self.act(
            moment,
            reply_create,
            message=message,
            actor=self.users[by],
            body=REPLIES[key],
            final=final,
        )

    def rate(self, message: Message, key: str, moment: datetime) -> None:
        attitude, speed, resolved, comment = RATINGS[key]
        self.act(
            moment,
            rating_submit,
            message=message,
            actor=message.author,
            attitude=attitude,
            speed=speed,
            resolved=resolved,
            comment=comment,
        )

    def follow_up(self, message: Message, key: str, moment: datetime):
        return self.act(
            moment,
            follow_up_submit,
            message=message,
            actor=message.author,
            body=FOLLOW_UPS[key],
        )

    # --- The officials' workflow, one scenario per state ---

    def handle_auto_closed(self) -> None:
        """Replied 14 working days ago, never rated: the periodic check closes it."""
        if not self.begin("auto_closed"):
            return
        message = self.routed("auto_closed", 24)
        self.accept(message, 23)
        self.reply(message, "auto_closed", self.working_day(14, 10, 30))

    def handle_follow_up_approved(self) -> None:
        """Rated dissatisfied, asked again; the follow-up is back in handling."""
        if not self.begin("follow_up_approved"):
            return
        message = self.routed("follow_up_approved", 20, moderator="moderator2")
        self.accept(message, 19)
        replied = self.working_day(12, 11, 0)
        self.reply(message, "follow_up_approved", replied)
        self.rate(message, "follow_up_approved", self.same_evening(replied, 30))
        follow_up = self.follow_up(
            message, "follow_up_approved", self.same_evening(replied, 45)
        )
        self.act(
            self.working_day(11, 10, 20),
            follow_up_approve,
            follow_up=follow_up,
            actor=self.users["moderator"],
        )

    def handle_overdue(self) -> None:
        """Accepted, never answered: due on the last working day, so this
        morning's check escalates it (督办) to the office's supervisor."""
        if not self.begin("overdue"):
            return
        days = self.deadline_days("overdue")
        message = self.routed("overdue", days + 1)
        self.accept(message, days)

    def handle_dissatisfied(self) -> None:
        """Rated 不满意, and a follow-up (追问) awaits the moderators."""
        if not self.begin("dissatisfied"):
            return
        message = self.routed("dissatisfied", 16)
        self.accept(message, 15)
        replied = self.working_day(6, 15, 0)
        self.reply(message, "dissatisfied", replied)
        self.rate(message, "dissatisfied", self.same_evening(replied, 40))
        self.follow_up(message, "dissatisfied", self.working_day(1, 21, 5))

    def handle_satisfied(self) -> None:
        """Rated 满意: the message closed."""
        if not self.begin("satisfied"):
            return
        message = self.routed("satisfied", 12, moderator="moderator2")
        self.accept(message, 11)
        replied = self.working_day(8, 14, 0)
        self.reply(message, "satisfied", replied)
        self.rate(message, "satisfied", self.same_evening(replied))

    def handle_extended(self) -> None:
        """Accepted, the deadline extended once with a public reason."""
        if not self.begin("extended"):
            return
        message = self.routed("extended", 12)
        self.accept(message, 11)
        self.act(
            self.working_day(2, 15, 0),
            message_extend,
            message=message,
            actor=self.users["official"],
            working_days=10,
            reason=EXTENSION_REASON,
        )

    def handle_replied(self) -> None:
        """A handler's final reply, signed off by the official: awaits rating."""
        if not self.begin("replied"):
            return
        message = self.routed("replied", 10, moderator="moderator2")
        self.accept(message, 9)
        draft = self.reply(
            message, "replied", self.working_day(3, 15, 30), by="handler"
        )
        self.act(
            self.working_day(2, 9, 10),
            reply_sign_off,
            reply=draft,
            actor=self.users["official"],
        )

    def handle_interim(self) -> None:
        """Accepted, with a public progress note (阶段性回复)."""
        if not self.begin("interim"):
            return
        message = self.routed("interim", 8)
        self.accept(message, 7)
        self.reply(message, "interim", self.working_day(2, 16, 20), final=False)

    def handle_transfer_request(self) -> None:
        """Bounced between the mayor and his office up to the transfer limit;
        the next transfer is a request the moderators decide."""
        if not self.begin("transfer_request"):
            return
        limit = settings.ZHITONG_MAX_TRANSFERS
        message = self.routed("transfer_request", 2 * limit + 3)
        for number in range(limit):
            to_office = number % 2 == 0
            self.act(
                self.working_day(2 * limit + 2 - 2 * number, 11, 0),
                message_transfer,
                message=message,
                actor=self.users["official" if to_office else "handler"],
                reason=TRANSFER_REASONS["to_office" if to_office else "to_mayor"],
                to_official=None if to_office else self.mayor,
                to_department=self.office if to_office else None,
            )
        with_office = limit % 2 == 1
        request = self.act(
            self.working_day(2, 11, 0),
            message_transfer,
            message=message,
            actor=self.users["handler" if with_office else "official"],
            reason=TRANSFER_REASONS["to_bureau"],
            to_department=self.bureaus["transport"],
        )
        if not isinstance(request, TransferRequest):
            raise RuntimeError("The demo's transfer limit was not reached.")

    def handle_draft(self) -> None:
        """Written to the office; a handler's final reply awaits sign-off."""
        if not self.begin("draft"):
            return
        message = self.routed("draft", 7, moderator="moderator2")
        self.accept(message, 6, by="handler")
        self.reply(message, "draft", self.working_day(1, 16, 10), by="handler")

    def handle_transferred(self) -> None:
        """Transferred once, from the mayor to his office, which accepted it."""
        if not self.begin("transferred"):
            return
        message = self.routed("transferred", 6)
        self.act(
            self.working_day(5, 11, 0),
            message_transfer,
            message=message,
            actor=self.users["official"],
            reason=TRANSFER_REASONS["transferred"],
            to_department=self.office,
        )
        self.accept(message, 4, by="handler")

    def handle_accepted(self) -> None:
        """Accepted (受理), nothing said yet."""
        if not self.begin("accepted"):
            return
        message = self.routed("accepted", 4, moderator="moderator2")
        self.accept(message, 3)

    def handle_near_deadline(self) -> None:
        """An inquiry (5 working days) due in two working days."""
        if not self.begin("near_deadline"):
            return
        message = self.routed(
            "near_deadline", max(self.deadline_days("near_deadline") - 2, 1)
        )
        self.accept(message, 2, by="handler")

    def handle_routed(self) -> None:
        """Approved and routed yesterday; the clock runs, nobody accepted yet."""
        if not self.begin("routed"):
            return
        self.routed("routed", 1)

    # --- The review queue (issue 3) ---

    PENDING_HOURS_AGO = {
        # Older than the 24-hour review deadline: the delay notice shows.
        "links": 30,
        "held": 20,
        "rule": 18,
        "phone": 16,
        "email": 12,
        "duplicate_original": 9,
        "id_number": 8,
        "second_approval": 7,
        "regex": 4,
        "duplicate": 3,  # the author sent the same text again
        "new_account": 10 / 60,  # joined 25 minutes ago
    }

    def pending(self, key: str) -> None:
        if not self.begin(key):
            return
        submitted = self.hours_ago(self.PENDING_HOURS_AGO[key])
        if key == "held":
            spammer = self.users["spammer"]
            if not UserBlock.objects.filter(user=spammer).exists():
                self.act(
                    submitted - timedelta(days=2),
                    user_block,
                    user=spammer,
                    actor=self.users["moderator"],
                    reason=SPAMMER_BLOCK_REASON,
                )
        message = self.submit(key, submitted)
        if key == "second_approval":
            # The first of two approvals; moderator2 gives the second.
            self.act(
                submitted + timedelta(minutes=50),
                message_approve,
                message=message,
                actor=self.users["moderator"],
            )

    # --- Notifications ---

    def mark_notifications_emailed(self, after_pk: int) -> None:
        """The demo's past notifications are not emailed now (to example.com,
        or printed all over seed_demo's output): they count as emailed when
        they were made, so neither the email task nor the digest sends them."""
        Notification.objects.filter(
            pk__gt=after_pk, message_id__in=self.added_ids, emailed_at__isnull=True
        ).update(emailed_at=F("created_at"))


def upsert_account(username, role, display_name, *, password, department=None):
    """A demo login as seed_demo makes them: verified email, one role."""
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "display_name": display_name,
            "is_active": True,
            "password": password,
            "department": department,
        },
    )
    EmailAddress.objects.filter(user=user).exclude(email=user.email).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    user_grant_role(user=user, role=role)
    return user


def seed_workflow(*, password: str, stdout=None) -> dict:
    """Seed the moderation and handling demo; prints one summary line."""
    counts = WorkflowSeeder(password).run()
    if stdout is not None:
        stdout.write(
            f"Workflow demo: {counts['rules']} screening rules, "
            f"{counts['holidays']} holidays and make-up days "
            f"({counts['years'][0]}–{counts['years'][-1]}), "
            f"{counts['pending']} messages awaiting review and "
            f"{counts['handling']} in the officials' workflow "
            f"({counts['added']} added now)."
        )
    return counts
