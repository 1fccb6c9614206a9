"""The workflow demo's messages, and what officials and authors say to them.

Data only, besides the ``Letter`` record: the messages awaiting review (one
per finding of the pre-screen, issue 3) and those in the officials' workflow
(one per state, issue 4), keyed by scenario; the replies, ratings, follow-ups
and reasons the scenarios give.
"""

from dataclasses import dataclass

from board.models import MessageKind
from moderation.screening import ID_CHECK_CHARS, ID_WEIGHTS


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
    a bureau of the mayor's city (a category slug of
    ``moderation.demo.places.DEPARTMENTS``)."""

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
