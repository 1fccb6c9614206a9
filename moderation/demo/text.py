"""Names, places and sentence fragments of the demo's messages.

Every fragment here and in ``moderation.demo.topics`` is one line of plain
Chinese without Markdown syntax: no ASCII ``* _ [ ] < > & " ' # `` and no line
starting with a digit and a dot. The Markdown renderer then turns a body into
its paragraphs, escaped and wrapped in ``<p>``, which lets the bulk load build
``body_html`` without calling it; ``tests/test_seed_demo.py`` checks the two
agree.

Placeholders: {area} region, {road} {road2} streets, {community} housing
estate, {school}, {hospital}, {village}, {town}, {park}, {market}, {bus} bus
line, {n} a small number.
"""


def words(line: str) -> tuple[str, ...]:
    return tuple(line.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛"
)
GIVEN_NAME_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰波宁斌鹏辉海"
    "文晓云飞峰岚婷雪琳浩宇思远嘉欣佳怡子涵梓萱俊杰雨桐一诺"
)

ROADS = words(
    "人民路 解放路 建设路 中山路 文化路 新华路 滨江大道 望江路 学府路 朝阳路 "
    "青年路 胜利路 和平路 兴业大道 环城北路 湖滨路 跃进路 长虹路 东风路 工农路"
)
COMMUNITIES = words(
    "幸福里小区 阳光花园 锦绣华庭 翠湖苑 金桂园 江南名都 东方明珠花园 "
    "丽景湾 书香门第 枫林晚小区 纺织厂宿舍 机械厂家属院 桃李春风 御景华府"
)
SCHOOLS = words(
    "第一实验小学 第三中学 城南小学 育才初级中学 江滨幼儿园 第二高级中学 "
    "红星小学 外国语学校"
)
HOSPITALS = words("人民医院 中医院 妇幼保健院 第二人民医院 社区卫生服务中心")
VILLAGES = words("李家村 石桥村 河口村 柳树湾村 上塘村 新庄村 白云村 杨柳村")
TOWNS = words("城关镇 新桥镇 白马镇 清溪镇 龙潭乡 双河镇")
PARKS = words("滨江公园 人民公园 湿地公园 体育公园 文化广场 城市绿道")
MARKETS = words("农贸市场 综合市场 菜市场 夜市 商业步行街")
# What each placeholder is drawn from; {area} is the message's region.
PLACES = {
    "road": ROADS,
    "road2": ROADS,
    "community": COMMUNITIES,
    "school": SCHOOLS,
    "hospital": HOSPITALS,
    "village": VILLAGES,
    "town": TOWNS,
    "park": PARKS,
    "market": MARKETS,
    "bus": range(1, 100),
    "n": range(2, 10),
}

OPENINGS = (
    "尊敬的领导您好！我是{area}{community}的一名居民。",
    "领导您好，我家住在{area}{road}附近，有一件事想向您反映。",
    "您好！我是{area}的普通市民，长期关注身边的民生问题。",
    "尊敬的领导：我是{area}{town}的村民，今天冒昧给您留言。",
    "您好，我在{area}工作生活了十多年，今天想反映一个困扰大家很久的问题。",
    "领导好！我是一名外来务工人员，目前住在{area}{community}。",
)
CLOSINGS = (
    "盼复，谢谢！",
    "恳请领导在百忙之中关注此事，期待您的回复。",
    "希望有关部门尽快核实处理，谢谢！",
    "以上情况属实，望予以重视。",
    "感谢领导倾听群众心声！",
    "期待早日得到答复，祝工作顺利。",
)
REQUESTS = (
    "希望相关部门能够实地查看，尽快拿出解决方案。",
    "恳请有关部门协调解决，给群众一个明确的说法。",
    "请问这个问题应该找哪个部门，大概多长时间能够解决？",
    "希望能够公开处理进度，让居民心里有底。",
    "建议建立长效管理机制，避免问题反复出现。",
)


# Notes of the moderators' and authors' steps in the bulk messages' timelines.
REJECTION_NOTES = (
    "留言包含他人身份证号等个人信息，请删除后重新提交。",
    "留言内容与已有留言重复，请关注原留言的办理进度。",
    "留言涉及正在进行的诉讼事项，请通过司法途径解决。",
    "留言内容不够具体，请补充时间、地点等信息后重新提交。",
)
WITHDRAWAL_NOTES = ("问题已经解决，撤回留言。", "信息填写有误，重新提交。", "")
CHANGES_NOTES = (
    "请补充问题发生的具体地点后重新提交。",
    "标题与内容不一致，请修改标题后重新提交。",
)
HIDING_NOTES = (
    "留言中出现了他人的联系方式，暂时隐藏，处理后恢复。",
    "收到多条举报，核实期间暂时隐藏。",
)


# The bulk messages' final replies: an office's answer, in three paragraphs.
REPLY_OPENINGS = (
    "您好！您的留言已收悉，感谢您对我们工作的关心和支持。",
    "您好！收到您的留言后，我们高度重视，立即安排专人核实。",
    "您好！您反映的问题我们已经了解，现将办理情况答复如下。",
)
REPLY_ACTIONS = (
    "经现场核实，您反映的情况基本属实。我们已会同属地街道和相关单位制定整改方案，目前正在按计划推进。",
    "我们已约谈有关责任单位，责令限期整改，并将在整改完成后组织复查。",
    "经研究，该事项已列入今年的民生实事项目，相关资金已经落实，预计三个月内完成。",
    "我们已将您的意见转交具体负责的业务科室，并明确了办理时限和责任人。",
    "经调查，该问题涉及多个部门职责，我们已牵头召开协调会，明确了各方分工。",
)
REPLY_CLOSINGS = (
    "如有疑问，可拨打我们的服务电话咨询。感谢您的来信。",
    "下一步我们将加强日常巡查，防止问题反弹。欢迎继续监督。",
    "办理过程中如有新的情况，欢迎再次留言反映。",
)
# What authors who were satisfied wrote beside their rating (often nothing).
RATING_COMMENTS = ("问题已经解决，感谢！", "回复及时，处理到位。", "", "", "")
