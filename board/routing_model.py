"""Routing suggestions: the category and the department a draft belongs to,
each with a confidence, from two sources.

- The keywords administrators keep on categories and departments
  (``routing_keywords``) and their names, found in the text. They work from
  day one, before anything has been routed.
- A small model learned from the moderators' own routing. Every message a
  moderator approved is a decision, and its *current* category and
  addressee department are the label, so a transfer (转办) corrects it. The
  title and original body are cut into terms by ``board.text_terms``
  (Chinese character bigrams, English stems), weighed by TF-IDF, and two
  logistic regressions learn the category and the department.

``routing_model_train`` (the ``train_routing_model`` command, and the
periodic checks once ``ROUTING_RETRAIN_MIN_DECISIONS`` new decisions exist)
saves the model under ``settings.ROUTING_MODEL_DIR`` as
``routing-<UTC time>.joblib`` and keeps the newest three. Each process loads
the newest once and looks for a newer one at most once a minute; without a
usable file the suggestions come from the keywords alone.
"""

import logging
import re
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings
from django.utils import timezone
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from board.models import Category, Department, Message, Region, Transfer
from board.text_terms import index_terms, normalize, stem

logger = logging.getLogger(__name__)

# The newest decisions only: training stays within seconds however large
# the board grows, and follows how moderators route today.
TRAINING_ROWS_CAP = 50_000
# A model trained on fewer decisions than this per label is not used.
MIN_ROWS_PER_LABEL = 50
MAX_FEATURES = 50_000
MODELS_KEPT = 3
RELOAD_CHECK_SECONDS = 60
SUGGESTIONS = 3
# The keywords' share of a confidence where a model is used and some
# keyword was found (alone, they decide), and the department classifier's
# share of the model's department probabilities, the rest coming through
# the category (_model_probabilities). Both as measured best on
# bench/routing.py's hand-written messages.
KEYWORD_WEIGHT = 0.5
DEPARTMENT_MODEL_SHARE = 0.25
MODEL_FORMAT = 1
MODEL_FILE_PATTERN = "routing-*.joblib"
KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；/]+")
LATIN_WORDS = re.compile(r"[a-z0-9]+")
REGION_SUFFIXES = "省市区县"


@dataclass(frozen=True)
class RoutingSuggestion:
    """The best categories and departments for a text, each with its
    confidence (0..1), best first."""

    categories: list[tuple[Category, float]]
    departments: list[tuple[Department, float]]


@dataclass(frozen=True)
class TrainingResult:
    path: Path
    rows: int
    category_labels: int
    department_labels: int
    seconds: float
    newest_message_id: int
    # On a held-out tenth of the decisions, where asked for (None otherwise,
    # or where that target had too few decisions for a model).
    category_accuracy: float | None = None
    department_accuracy: float | None = None


# --- Suggesting ---------------------------------------------------------------


def routing_suggest(text: str, *, region: Region | None = None) -> RoutingSuggestion:
    """The top categories (active ones) and departments for a draft's text;
    with ``region``, only departments serving it (it or a region above)."""
    categories = {c.pk: c for c in Category.objects.filter(is_active=True)}
    departments = Department.objects.select_related("region")
    if region is not None:
        departments = departments.filter(region_id__in=_serving_region_ids(region))
    departments = {d.pk: d for d in departments}
    normalized = normalize(text)
    words = set(LATIN_WORDS.findall(normalized))
    words |= {stem(word) for word in words}
    category_hits = _keyword_hits(categories.values(), normalized, words)
    department_hits = _keyword_hits(departments.values(), normalized, words)
    # A department of a region the text names is the likelier of its kind.
    for pk, hits in department_hits.items():
        if _names_region(departments[pk].region, normalized):
            department_hits[pk] = hits + 1
    category_model, department_model = _model_probabilities(text, departments)
    return RoutingSuggestion(
        categories=_ranked(categories, category_model, category_hits),
        departments=_ranked(departments, department_model, department_hits),
    )


def routing_keywords(text: str) -> list[str]:
    """An administrator's keyword list, as the matching sees it."""
    return [word for word in KEYWORD_SEPARATORS.split(normalize(text)) if word]


def _keyword_hits(options, normalized: str, words: set[str]) -> dict[int, int]:
    """How many of each option's keywords (and its Chinese name) the text
    holds.

    An option without keywords takes no part: its name alone misleads
    (其他, "other", is in many a message).
    """
    found = {}

    def is_found(keyword: str) -> bool:
        if keyword not in found:
            # Latin keywords match whole words or their stems ("buses" has
            # "bus"), never inside a word: "bus" is not in "business".
            found[keyword] = (
                (keyword in words or stem(keyword) in words)
                if keyword.isascii()
                else keyword in normalized
            )
        return found[keyword]

    hits = {}
    for option in options:
        keywords = routing_keywords(option.routing_keywords)
        if not keywords:
            continue
        # The Chinese name only: the first word of an English one (Public,
        # Government, Human) says little.
        keywords.append(normalize(option.name))
        count = sum(1 for keyword in set(keywords) if is_found(keyword))
        if count:
            hits[option.pk] = count
    return hits


def _names_region(region: Region, normalized: str) -> bool:
    name = normalize(region.name)
    if len(name) >= 3 and name[-1] in REGION_SUFFIXES:
        name = name[:-1]  # 临江市 → 临江
    return name in normalized


def _serving_region_ids(region: Region) -> list[int]:
    ids = [region.pk]
    parent_id = region.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = (
            Region.objects.filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )
    return ids


def _ranked(options: dict, model: dict[int, float], hits: dict[int, int]) -> list:
    """Blend the model's probabilities (over the options on offer) with the
    keywords' share; keep the best few above zero."""
    model = _normalized(model, options)
    # One more than the hits in all: a single hit is not a certainty.
    all_hits = sum(hits.values())
    keywords = {pk: count / (all_hits + 1) for pk, count in hits.items()}
    if not model:
        confidence = keywords
    elif not keywords:
        confidence = model
    else:
        confidence = {
            pk: (1 - KEYWORD_WEIGHT) * model.get(pk, 0.0)
            + KEYWORD_WEIGHT * keywords.get(pk, 0.0)
            for pk in model.keys() | keywords.keys()
        }
    best = sorted(confidence.items(), key=lambda item: (-item[1], item[0]))
    return [(options[pk], float(c)) for pk, c in best[:SUGGESTIONS] if c > 0]


def _model_probabilities(
    text: str, departments: dict
) -> tuple[dict[int, float], dict[int, float]]:
    """The model's category probabilities, and its department ones (over
    ``departments``) from two views: the department classifier's own, and
    the category's through where moderators routed each category. The
    second holds up better on texts unlike the past ones, since a category
    has many more decisions than a department."""
    model = routing_model_current()
    if model is None:
        return {}, {}
    features = model["vectorizer"].transform([text])
    category = _probabilities(model["category"], features)
    direct = _normalized(_probabilities(model["department"], features), departments)
    through_category = {}
    for category_id, probability in category.items():
        routed = _normalized(model["routes"].get(category_id, {}), departments)
        for department_id, share in routed.items():
            through_category[department_id] = (
                through_category.get(department_id, 0.0) + probability * share
            )
    through_category = _normalized(through_category, departments)
    if not (direct and through_category):
        return category, direct or through_category
    return category, {
        pk: DEPARTMENT_MODEL_SHARE * direct.get(pk, 0.0)
        + (1 - DEPARTMENT_MODEL_SHARE) * through_category.get(pk, 0.0)
        for pk in direct.keys() | through_category.keys()
    }


def _probabilities(classifier, features) -> dict[int, float]:
    if classifier is None:
        return {}
    probabilities = classifier.predict_proba(features)[0].tolist()
    return dict(zip(classifier.classes_.tolist(), probabilities, strict=True))


def _normalized(weights: dict[int, float], options: dict) -> dict[int, float]:
    """``weights`` of the options on offer, summing to 1 (empty if none)."""
    weights = {pk: w for pk, w in weights.items() if pk in options and w > 0}
    total = sum(weights.values())
    return {pk: w / total for pk, w in weights.items()} if total else {}


# --- The model file -------------------------------------------------------------


class _Loaded:
    """This process's model: the file it came from, and when the directory
    was last looked at."""

    lock = threading.Lock()
    directory: Path | None = None
    path: Path | None = None
    mtime: int | None = None
    checked_at = float("-inf")
    model: dict | None = None


def routing_model_current() -> dict | None:
    """The newest saved model, or None (no file, or an unusable one)."""
    directory = Path(settings.ROUTING_MODEL_DIR)
    now = time.monotonic()
    with _Loaded.lock:
        if (
            _Loaded.directory == directory
            and now - _Loaded.checked_at < RELOAD_CHECK_SECONDS
        ):
            return _Loaded.model
        _Loaded.directory, _Loaded.checked_at = directory, now
        newest = _newest_model_file(directory)
        try:
            mtime = newest.stat().st_mtime_ns if newest else None
        except OSError:  # removed since it was listed
            newest = mtime = None
        if (newest, mtime) != (_Loaded.path, _Loaded.mtime):
            _Loaded.path, _Loaded.mtime = newest, mtime
            _Loaded.model = _load(newest) if newest else None
        return _Loaded.model


def routing_model_forget() -> None:
    """Look at the directory again at the next suggestion."""
    with _Loaded.lock:
        _Loaded.checked_at = float("-inf")


def _newest_model_file(directory: Path) -> Path | None:
    # The names hold the UTC time: the last in order is the newest.
    files = sorted(directory.glob(MODEL_FILE_PATTERN))
    return files[-1] if files else None


def _load(path: Path) -> dict | None:
    try:
        # Only this module writes into ROUTING_MODEL_DIR (a pickle is code).
        model = joblib.load(path)
        if model.get("format") != MODEL_FORMAT:
            raise ValueError(f"format {model.get('format')!r}")
        return model
    except Exception as error:
        logger.warning("Routing model %s unusable, keywords only: %r", path, error)
        return None


def _save(model: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"routing-{stamp}.joblib"
    partial = directory / f".{path.name}.partial"
    joblib.dump(model, partial, compress=3)
    # Readers in other processes see the whole file or none of it.
    partial.replace(path)
    for old in sorted(directory.glob(MODEL_FILE_PATTERN))[:-MODELS_KEPT]:
        old.unlink(missing_ok=True)
    return path


# --- Training -------------------------------------------------------------------


def routing_decisions_since_model(*, limit: int) -> int:
    """New routing decisions since the current model was trained (all of
    them without a model), counted up to ``limit``: messages approved and
    routed, and transfers."""
    model = routing_model_current()
    routed = Message.objects.filter(published_at__isnull=False).order_by()
    if model is None:
        return routed[:limit].count()
    trained_at = model["trained_at"]
    count = routed.filter(published_at__gt=trained_at)[:limit].count()
    transfers = Transfer.objects.filter(created_at__gt=trained_at).order_by()
    return count + transfers[: max(limit - count, 0)].count()


def routing_model_train(
    *, min_new_decisions: int = 0, evaluate: bool = False
) -> TrainingResult | None:
    """Learn from the newest routing decisions and save the model.

    Answers None, saving nothing, when fewer than ``min_new_decisions``
    decisions are new since the current model, or when there are too few
    decisions for either model. With ``evaluate``, first measures accuracy
    on a held-out tenth.
    """
    if (
        min_new_decisions
        and routing_decisions_since_model(limit=min_new_decisions) < min_new_decisions
    ):
        return None
    started = time.monotonic()
    trained_at = timezone.now()
    ids, texts, categories, departments = routing_decisions()
    category_rows = [(t, c) for t, c in zip(texts, categories, strict=True)]
    department_rows = [
        (t, d) for t, d in zip(texts, departments, strict=True) if d is not None
    ]
    if not (_is_enough(category_rows) or _is_enough(department_rows)):
        return None
    accuracy = {}
    if evaluate:
        accuracy = {
            "category_accuracy": _held_out_accuracy(category_rows),
            "department_accuracy": _held_out_accuracy(department_rows),
        }
    vectorizer, category, department = _fit(texts, category_rows, department_rows)
    routes = {}
    for category_id, department_id in zip(categories, departments, strict=True):
        if department_id is not None:
            counts = routes.setdefault(category_id, {})
            counts[department_id] = counts.get(department_id, 0) + 1
    model = {
        "format": MODEL_FORMAT,
        # category id → {department id: messages}: where moderators routed it.
        "routes": routes,
        "trained_at": trained_at,
        "rows": len(ids),
        "newest_message_id": max(ids),
        "vectorizer": vectorizer,
        "category": category,
        "department": department,
    }
    path = _save(model, Path(settings.ROUTING_MODEL_DIR))
    routing_model_forget()
    return TrainingResult(
        path=path,
        rows=len(ids),
        category_labels=len(category.classes_) if category else 0,
        department_labels=len(department.classes_) if department else 0,
        seconds=time.monotonic() - started,
        newest_message_id=max(ids),
        **accuracy,
    )


def routing_decisions(limit: int = TRAINING_ROWS_CAP):
    """(ids, texts, category ids, department ids or None) of the newest
    routed messages: the text the moderator saw, the routing it ended with.

    A message to an official counts for the official's department (none for
    an official outside any department).
    """
    rows = (
        Message.objects.filter(published_at__isnull=False)
        .order_by("-published_at", "-id")
        .values_list(
            "id",
            "title",
            "body",
            "category_id",
            "addressee_department_id",
            "addressee_official__department_id",
        )[:limit]
    )
    ids, texts, categories, departments = [], [], [], []
    for pk, title, body, category_id, department_id, official_department_id in rows:
        ids.append(pk)
        texts.append(f"{title}\n{body}")
        categories.append(category_id)
        departments.append(department_id or official_department_id)
    return ids, texts, categories, departments


def _is_enough(rows: list[tuple[str, int]]) -> bool:
    labels = {label for _text, label in rows}
    return len(labels) >= 2 and len(rows) >= MIN_ROWS_PER_LABEL * len(labels)


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=index_terms,
        sublinear_tf=True,
        min_df=2,
        max_features=MAX_FEATURES,
        dtype=np.float32,
    )


def _classifier(rows, features):
    if not _is_enough(rows):
        return None
    # Fifty rounds give the accuracy of a converged fit in a quarter of
    # the time (3.5 s for 15,000 decisions to 109 departments).
    classifier = LogisticRegression(C=10.0, max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(features, [label for _text, label in rows])
    return classifier


def _fit(texts, category_rows, department_rows):
    vectorizer = _vectorizer()
    features = vectorizer.fit_transform(texts)
    # Every decision has a category; those with a department are a subset.
    category = _classifier(category_rows, features)
    department = _classifier(
        department_rows, vectorizer.transform([t for t, _ in department_rows])
    )
    return vectorizer, category, department


def _held_out_accuracy(rows) -> float | None:
    if not _is_enough(rows):
        return None
    train, test = train_test_split(rows, test_size=0.1, random_state=0)
    vectorizer = _vectorizer().fit([text for text, _label in train])
    classifier = _classifier(train, vectorizer.transform([t for t, _ in train]))
    if classifier is None:
        return None
    features = vectorizer.transform([text for text, _label in test])
    return float(classifier.score(features, [label for _text, label in test]))
