"""Property tests of the message form (board/forms/messages.py): whatever a
browser posts, the form answers valid or invalid with field errors, never an
exception; a valid form carries a draft within the model's limits."""

import os

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.forms import MessageForm
from board.models import Message
from tests.factories import CategoryFactory, OfficialFactory

pytestmark = pytest.mark.django_db

# Values that have broken id parsing elsewhere, beside arbitrary text.
AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "³",
    "١٢",
    str(2**63),
    str(2**70),
    "9" * 5000,
    "o:",
    "d:",
    "o:³",
    "d:" + str(2**70),
    "o:-1",
    "x:1",
    "\x00",
    "<script>alert(1)</script>",
]
FIELDS = [
    "region",
    "addressee",
    "category",
    "kind",
    "title",
    "body",
    "is_public",
    "contact_phone",
]


@pytest.fixture
def valid_data(db) -> dict[str, str]:
    official = OfficialFactory()
    return {
        "region": str(official.region.pk),
        "addressee": f"o:{official.pk}",
        "category": str(CategoryFactory().pk),
        "kind": "inquiry",
        "title": "路灯坏了",
        "body": "小区门口的路灯坏了一个月。",
        "is_public": "1",
        "contact_phone": "",
    }


def field_value(valid: str):
    return st.one_of(
        st.just(valid),
        st.sampled_from(AWKWARD),
        st.text(max_size=40),
        st.lists(st.sampled_from(AWKWARD + [valid]), min_size=2, max_size=3),
    )


def posted(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, value)
        elif value is not None:
            query[name] = value
    return query


# make fuzz raises the count (ZHITONG_PROPERTY_EXAMPLES) and explores anew
# each run; the suite repeats the same examples.
DEEP = "ZHITONG_PROPERTY_EXAMPLES" in os.environ
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("ZHITONG_PROPERTY_EXAMPLES", "120")),
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_post_is_valid_or_names_fields(valid_data, data):
    chosen = {
        name: data.draw(st.one_of(st.none(), field_value(valid_data[name])), label=name)
        for name in FIELDS
    }
    form = MessageForm(posted(chosen))

    if form.is_valid():
        assert 0 < len(form.draft.title.strip()) <= Message.TITLE_MAX_LENGTH
        assert 0 < len(form.draft.body.strip()) <= Message.BODY_MAX_LENGTH
        assert form.draft.region.pk == int(valid_data["region"])
    else:
        assert form.errors
        assert set(form.errors) <= {*FIELDS, "attachments", "__all__"}


@PROPERTY_SETTINGS
@given(title=st.text(max_size=300), body=st.text(max_size=500))
def test_any_title_and_body_is_valid_or_names_them(valid_data, title, body):
    form = MessageForm(posted({**valid_data, "title": title, "body": body}))

    if form.is_valid():
        assert form.draft.title.strip() == title.strip()
    else:
        assert set(form.errors) <= {"title", "body"}
