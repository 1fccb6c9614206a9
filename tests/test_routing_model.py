"""Routing suggestions: keywords from day one, a model learned from the
moderators' routing, retraining, and a missing or broken model file."""

import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from board.models import Category, Transfer
from board.routing_model import (
    routing_model_current,
    routing_model_forget,
    routing_model_train,
    routing_suggest,
)
from moderation.periodic import periodic_checks_run
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    PendingMessageFactory,
    RegionFactory,
    UserFactory,
)

# Each test has its own model directory (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("model_dir")]


@pytest.fixture
def region():
    return RegionFactory(name="临江市", name_en="Linjiang")


@pytest.fixture
def transport(region):
    return DepartmentFactory(
        region=region,
        name="交通运输局",
        name_en="Transport Bureau",
        routing_keywords="公交、路灯，红绿灯 bus lights",
    )


@pytest.fixture
def education(region):
    return DepartmentFactory(
        region=region,
        name="教育局",
        name_en="Education Bureau",
        routing_keywords="学校、招生",
    )


@pytest.fixture
def author():
    return UserFactory(citizen=True)


def route(count, phrase, *, department, category, author):
    """``count`` messages about ``phrase`` that a moderator routed to
    ``department`` under ``category``."""
    return [
        MessageFactory(
            author=author,
            region=department.region,
            addressee_official=None,
            addressee_department=department,
            category=category,
            title=f"关于{phrase}的问题{number}",
            body=f"我们这里{phrase}的情况已经持续第{number}天了，请尽快处理。",
        )
        for number in range(count)
    ]


def top(choices):
    return choices[0][0]


def test_keywords_alone_before_any_model(transport, education):
    suggestion = routing_suggest("小区门口的路灯坏了，公交站也没有灯")

    assert routing_model_current() is None
    assert top(suggestion.departments) == transport
    assert top(suggestion.categories).slug == "transport"
    for _option, confidence in suggestion.categories + suggestion.departments:
        assert 0 < confidence <= 1
    assert [d for d, _c in suggestion.departments] == [transport]


def test_english_keywords_match_whole_words_and_stems(transport):
    assert top(routing_suggest("The bus never comes").departments) == transport
    assert top(routing_suggest("A broken light").departments) == transport
    assert routing_suggest("Our business is closed").departments == []


def test_at_most_three_and_only_active_categories(transport):
    suggestion = routing_suggest("路灯、学校、医院、污染、工资、派出所")
    assert len(suggestion.categories) == 3
    assert "transport" in [c.slug for c, _ in suggestion.categories]

    Category.objects.filter(slug="transport").update(is_active=False)
    suggestion = routing_suggest("路灯、学校、医院、污染、工资、派出所")
    assert "transport" not in [c.slug for c, _ in suggestion.categories]


def test_region_limits_the_departments(transport, region):
    elsewhere = DepartmentFactory(
        name="交通运输局", routing_keywords="公交、路灯", region=RegionFactory()
    )

    both = routing_suggest("公交车太少")
    only_here = routing_suggest("公交车太少", region=region)

    assert {d for d, _c in both.departments} == {transport, elsewhere}
    assert [d for d, _c in only_here.departments] == [transport]
    # The text naming a region makes its department the likelier one.
    assert top(routing_suggest("临江的公交车太少").departments) == transport


def test_too_few_decisions_train_no_model(transport, education, author):
    route(10, "无人机", department=transport, category=CategoryFactory(), author=author)

    assert routing_model_train() is None
    assert routing_model_current() is None


def test_a_model_learns_from_routed_messages(transport, education, author):
    other = CategoryFactory(slug="other")
    schools = CategoryFactory(slug="education")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=schools, author=author)
    # Not routed yet: no decision to learn from.
    PendingMessageFactory(title="无人机", body="研学旅行")

    # No keyword knows these words.
    assert routing_suggest("楼顶的无人机每天盘旋").departments == []

    result = routing_model_train(evaluate=True)

    assert result.rows == 120
    assert (result.category_labels, result.department_labels) == (2, 2)
    assert result.department_accuracy == 1.0
    assert result.path.exists()
    suggestion = routing_suggest("楼顶的无人机每天盘旋")
    assert top(suggestion.departments) == transport
    assert top(suggestion.categories) == other
    assert top(routing_suggest("暑假研学旅行收费太高").departments) == education


def test_retraining_changes_a_suggestion(transport, education, region, author):
    other = CategoryFactory(slug="other")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "广场舞", department=education, category=other, author=author)
    routing_model_train()
    text = "晚上广场舞的音响太吵了"
    assert top(routing_suggest(text).departments) == education

    culture = DepartmentFactory(region=region, name="文化和旅游局")
    newest = route(150, "广场舞", department=culture, category=other, author=author)
    # New decisions change nothing until the model is retrained.
    assert top(routing_suggest(text).departments) == education

    result = routing_model_train()

    assert result.newest_message_id == newest[-1].pk
    assert result.department_labels == 3
    assert top(routing_suggest(text).departments) == culture


def test_a_transfer_relabels_its_message(transport, education, author):
    other = CategoryFactory(slug="other")
    messages = route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=other, author=author)
    for message in messages:
        # What message_transfer leaves: the new addressee is the label.
        message.addressee_department = education
        message.save(update_fields=["addressee_department"])
    route(60, "停车难", department=transport, category=other, author=author)

    routing_model_train()

    assert top(routing_suggest("无人机扰民").departments) == education


def test_a_missing_model_file_falls_back_to_keywords(
    transport, education, author, model_dir
):
    other = CategoryFactory(slug="other")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=other, author=author)
    result = routing_model_train()
    assert top(routing_suggest("无人机").departments) == transport

    result.path.unlink()
    routing_model_forget()

    assert routing_suggest("无人机").departments == []
    assert top(routing_suggest("学校招生").departments) == education


def test_a_corrupt_model_file_falls_back_to_keywords(
    transport, education, model_dir, caplog
):
    model_dir.mkdir(parents=True)
    (model_dir / "routing-29990101T000000000000Z.joblib").write_bytes(b"not a model")

    with caplog.at_level(logging.WARNING, logger="board.routing_model"):
        suggestion = routing_suggest("学校招生")

    assert top(suggestion.departments) == education
    assert "unusable" in caplog.text


def test_the_newest_three_models_are_kept(transport, education, author, model_dir):
    other = CategoryFactory(slug="other")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=other, author=author)

    paths = [routing_model_train().path for _ in range(4)]

    assert sorted(model_dir.glob("routing-*.joblib")) == paths[1:]
    assert routing_model_current()["rows"] == 120


def test_the_periodic_check_retrains_only_past_the_threshold(
    settings, transport, education, author
):
    settings.ROUTING_RETRAIN_MIN_DECISIONS = 20
    other = CategoryFactory(slug="other")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=other, author=author)

    figures, failed = periodic_checks_run()
    assert failed == []
    assert figures["routing_model_rows"] == 120
    assert periodic_checks_run()[0]["routing_model_rows"] == 0

    messages = route(10, "无人机", department=transport, category=other, author=author)
    assert periodic_checks_run()[0]["routing_model_rows"] == 0
    # Transfers are decisions too.
    for message in messages:
        Transfer.objects.create(
            message=message,
            actor=author,
            from_department=transport,
            to_department=education,
            reason="转办",
        )
    assert periodic_checks_run()[0]["routing_model_rows"] == 130
    assert routing_model_current()["trained_at"] <= timezone.now()


def test_the_command_prints_rows_labels_and_accuracy(transport, education, author):
    other = CategoryFactory(slug="other")
    route(60, "无人机", department=transport, category=other, author=author)
    route(60, "研学旅行", department=education, category=other, author=author)
    out = io.StringIO()

    call_command("train_routing_model", stdout=out)

    printed = out.getvalue()
    assert "120 routed messages" in printed
    assert "2 departments" in printed
    assert "held-out accuracy (department): 100.0%" in printed
    assert "category: too few decisions for a model, keywords only" in printed
