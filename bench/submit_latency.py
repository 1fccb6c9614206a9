"""bench/submit_latency: what the pre-screen adds to a citizen's submission.

One command:

    .venv/bin/python bench/submit_latency.py            # SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhitong \\
        .venv/bin/python bench/submit_latency.py        # PostgreSQL

It builds a throw-away test database (``test_<name>`` on PostgreSQL, a
temporary file for SQLite; dropped at the end), gives one author HISTORY
prior messages of 3,000 Chinese characters written within the day, then
times, in the same run:

- ``message_submit`` of N further 3,000-character messages by that author
  (validation, pre-screen, reference counter, insert, timeline, events);
- the pre-screen alone (``hooks.screen_submission``) for the same texts,
  with the history given and with ten times as many prior messages;
- a bare ``Message.objects.create`` of the same row, the reference;
- for scale, one ``SequenceMatcher(autojunk=False).ratio()`` of two such
  texts, the comparison the pre-screen used to make per prior message.

Prints median and p99 in milliseconds and the ratios, as JSON.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

# Chinese text repeats its common characters (的, 了, 是 …) far more than a
# uniform draw would; that is what makes SequenceMatcher slow on it. Drawn
# from 800 characters with Zipf-like weights.
ALPHABET = [chr(0x4E00 + 7 * index) for index in range(800)]
WEIGHTS = [1 / (rank + 1) for rank in range(800)]


def chinese_text(rng: random.Random, length: int = 3000) -> str:
    characters = rng.choices(ALPHABET, WEIGHTS, k=length)
    for position in range(19, length, 20):
        characters[position] = "，" if position % 60 else "。"
    return "".join(characters)


def figures(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "n": len(ordered),
    }


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="submissions timed")
    parser.add_argument("--history", type=int, default=20, help="prior messages")
    options = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="zhitong-bench-submit-")
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        settings.DATABASES["default"]["TEST"] = {
            "NAME": str(Path(workdir) / "bench.sqlite3")
        }
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        result = run(options)
        result["database"] = f"{connection.vendor} {database_version(connection)}"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result, indent=2, ensure_ascii=False))


def database_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        return cursor.fetchone()[0]


def run(options) -> dict:
    from django.utils import timezone

    from board import hooks
    from board.actions import format_reference, message_submit
    from board.lifecycle import MessageStatus
    from board.models import Message
    from tests.factories import MessageDraftFactory, OfficialFactory, UserFactory

    rng = random.Random(4711)
    official = OfficialFactory()
    draft = MessageDraftFactory(addressee_official=official)

    def author_with_history(count: int):
        author = UserFactory(
            citizen=True, date_joined=timezone.now() - timedelta(days=30)
        )
        for _ in range(count):
            message_submit(
                author=author,
                draft=MessageDraftFactory(
                    addressee_official=official,
                    category=draft.category,
                    body=chinese_text(rng),
                ),
            )
        return author

    author = author_with_history(options.history)
    bodies = [chinese_text(rng) for _ in range(options.n)]

    def unsaved(body, for_author):
        return Message(
            author=for_author,
            status=MessageStatus.PENDING,
            title=draft.title,
            body=body,
            region=draft.region,
            category=draft.category,
            kind=draft.kind,
            addressee_official=official,
        )

    def screening(for_author):
        return [
            timed(
                lambda b=b: hooks.screen_submission(unsaved(b, for_author), for_author)
            )
            for b in bodies
        ]

    screen_history = screening(author)
    long_author = author_with_history(options.history * 10)
    screen_long_history = screening(long_author)

    submit = []
    for body in bodies:
        one = MessageDraftFactory(
            addressee_official=official, category=draft.category, body=body
        )
        submit.append(timed(lambda d=one: message_submit(author=author, draft=d)))

    template = Message.objects.filter(author=author).latest("pk")
    insert = []
    for index, body in enumerate(bodies):
        row = unsaved(body, author)
        row.body_html = template.body_html
        row.submitted_for_review_at = timezone.now()
        row.reference = format_reference(1999, index + 1)
        insert.append(timed(row.save))

    first, second = chinese_text(rng), chinese_text(rng)
    sequence_matcher = timed(
        lambda: SequenceMatcher(None, first, second, autojunk=False).ratio()
    )

    submit_figures = figures(submit)
    insert_figures = figures(insert)
    return {
        "history": options.history,
        "body_characters": 3000,
        "submit": submit_figures,
        "bare_insert": insert_figures,
        "submit_over_insert_median": round(
            submit_figures["median_ms"] / insert_figures["median_ms"], 1
        ),
        "screening": figures(screen_history),
        f"screening_history_{options.history * 10}": figures(screen_long_history),
        "sequence_matcher_one_pair_ms": round(sequence_matcher * 1000, 1),
    }


if __name__ == "__main__":
    main()
