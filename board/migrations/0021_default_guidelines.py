# A first 留言须知 (posting guidelines) so the compose page never links to an
# empty page; administrators replace it in the admin. Written only where
# there is none yet, and left alone on the way back.

from django.db import migrations

TEXT = """\
欢迎通过本平台向各级领导和部门留言。请在提交前阅读以下须知。

## 请这样写

- 一条留言只写一件事；多件事请分开留言。
- 写清事实：发生了什么、在哪里（具体到街道、小区或路段）、\
从什么时候开始、已经找过哪些部门。
- 选择事情发生地所在的地区，以及负责该事项的领导或部门。
- 如实陈述，文明用语。

## 请不要写

- 他人的个人信息：姓名、身份证号、电话、住址、车牌号等。
- 辱骂、威胁、歧视或人身攻击的内容。
- 广告、与诉求无关的链接，或重复提交同一件事。
- 违反法律法规的内容，以及涉及国家秘密、商业秘密的内容。

## 审核与办理

- 每条留言都由管理员审核后才会公开并转交办理，审核一般在 24 小时内完成；\
不符合本须知的留言会被退回，并说明原因。
- 转交后，回复时限按工作日计算：咨询类 5 个工作日，投诉、建言、求助类 15 个工作日；\
确需延期的，办理单位会公开说明理由。
- 收到回复后可在 30 天内追问，并对办理结果作出评价。

## 您的名字与公开内容

- 公开留言不会显示您的全名：按您提交时的选择，显示为姓氏加星号（如“王**”）或“匿名”。
- 联系电话只有管理员和办理单位可见，从不公开。
- 公开的留言中如含有个人信息或不当内容，管理员可能对相关部分作遮挡处理后再公开。
- 选择“不公开”的留言，只有您本人、管理员和办理单位可以看到。
"""

TEXT_EN = """\
You can write here to officials and government departments at every level. \
Please read these guidelines before you submit a message.

## What to write

- One matter per message; write separate messages for separate matters.
- State the facts: what happened, where (down to the street, estate or \
stretch of road), since when, and whom you have already asked.
- Choose the region where it happens, and the official or department \
responsible for it.
- Be truthful and courteous.

## What not to write

- Other people's personal data: names, ID numbers, phone numbers, \
addresses, number plates and the like.
- Abuse, threats, discrimination or personal attacks.
- Advertising, links unrelated to the matter, or the same matter twice.
- Anything unlawful, or state or commercial secrets.

## Review and handling

- Moderators review every message before it is published and routed, \
usually within 24 hours; a message that breaks these guidelines is \
returned with the reason.
- Once routed, the reply is due within working days: 5 for an inquiry, 15 \
for a complaint, a suggestion or a request for help; an office that needs \
longer says why, publicly.
- Within 30 days of a reply you may ask a follow-up question, and you can \
rate how your message was handled.

## Your name and what is public

- A public message never shows your full name: as you choose when you \
post, it shows your name masked (for example 王**) or 匿名 (anonymous).
- Your contact phone is seen only by the moderators and the office that \
handles the message, never by the public.
- Moderators may mask personal data or improper wording in a public \
message before it is published.
- A private message is seen only by you, the moderators and the office \
that handles it.
"""


def add_default_guidelines(apps, schema_editor):
    PostingGuidelines = apps.get_model("board", "PostingGuidelines")
    if not PostingGuidelines.objects.exists():
        PostingGuidelines.objects.create(text=TEXT, text_en=TEXT_EN)


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0020_site_experience"),
    ]

    operations = [
        migrations.RunPython(add_default_guidelines, migrations.RunPython.noop),
    ]
