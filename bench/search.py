"""bench/search: full-text search and similar messages on a seeded database.

Runs against a database that is already seeded and migrated (it seeds and
drops nothing): builds the search index first when documents are missing
(``rebuild_search_index``'s work, timed and printed), then times, in-process:

- ``search``: ``search_messages`` on the public board, first page of 20 by
  relevance, with the board's relations, for queries of 1–3 words cut from
  real public titles (Chinese) and a few English words;
- ``icontains``: the same words as a plain ``title``/``body`` ``icontains``
  filter (every word must match), newest first, the reference;
- ``similar``: ``similar_messages`` for a real message's title and body.

Prints p50/p95/max in milliseconds and the ratio of search to icontains,
then the same as JSON; ``--explain`` adds the plans of one search and one
similar-messages query.

    .venv/bin/python bench/search.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zhitong_x [--queries 200]
"""

import argparse
import json
import os
import random
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGLISH_QUERIES = ["bus", "parking", "street lamp", "noise", "school", "water"]
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
PAGE = 20
WARM_UP = 20


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["EMAIL_BACKEND"] = "console"
    import django

    django.setup()


def ensure_index() -> dict:
    from django.db import connection

    from board.models import Message, SearchDocument
    from board.search_index import search_index_rebuild

    if "board_searchdocument" not in connection.introspection.table_names():
        sys.exit("No search index: run `manage.py migrate` on this database first.")
    messages = Message.objects.count()
    documents = SearchDocument.objects.count()
    if documents >= messages:
        return {"messages": messages, "built_now": False}
    print(f"Indexing {messages:,} messages ({documents:,} documents exist) …")

    def progress(done: int, seconds: float) -> None:
        if done % 100_000 < 2_000:
            print(f"  {done:,} messages, {seconds:.0f} s", flush=True)

    started = time.monotonic()
    search_index_rebuild(progress=progress)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE board_searchdocument")
    print(f"Indexed {messages:,} messages in {seconds:.0f} s")
    return {"messages": messages, "built_now": True, "build_seconds": seconds}


def sample_messages(rng: random.Random, count: int) -> list:
    """Random public messages, found by random ids (no ORDER BY random())."""
    from django.db.models import Max, Min

    from board.models import Message

    public = Message.objects.public()
    bounds = Message.objects.aggregate(low=Min("pk"), high=Max("pk"))
    found = []
    while len(found) < count:
        ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)]
        found += list(public.filter(pk__in=ids).only("pk", "title", "body"))
    return found[:count]


def query_from_title(rng: random.Random, title: str) -> str:
    """1–3 words of 2–4 characters cut from the title's Chinese runs."""
    runs = CJK_RUN.findall(title) or [title]
    words = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        run = rng.choice(runs)
        size = min(len(run), rng.choice([2, 2, 3, 4]))
        start = rng.randrange(0, len(run) - size + 1)
        words.append(run[start : start + size])
    return " ".join(dict.fromkeys(words))


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def run(queries: int, seed: int, explain: bool) -> dict:
    from django.db import connection
    from django.db.models import Q

    from board.models import Message
    from board.selectors.search import search_messages, similar_messages

    rng = random.Random(seed)
    messages = sample_messages(rng, queries + WARM_UP)
    texts = [
        rng.choice(ENGLISH_QUERIES)
        if rng.random() < 0.1
        else query_from_title(rng, message.title)
        for message in messages
    ]
    public = Message.objects.public().with_board_relations()

    def search(text):
        # As the board asks (board.selectors.messages.message_list_public).
        return list(search_messages(public, text, public_only=True)[:PAGE])

    def icontains(text):
        rows = Message.objects.public().with_board_relations()
        for word in text.split():
            rows = rows.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return list(rows.order_by("-published_at", "-id")[:PAGE])

    def similar(message):
        return similar_messages(
            f"{message.title}\n{message.body}", exclude_id=message.pk
        )

    times = {"search": [], "icontains": [], "similar": []}
    hits = []
    for index, (text, message) in enumerate(zip(texts, messages, strict=True)):
        found = []
        search_ms = timed(lambda text=text, found=found: found.extend(search(text)))
        icontains_ms = timed(lambda text=text: icontains(text))
        similar_ms = timed(lambda message=message: similar(message))
        if index >= WARM_UP:
            times["search"].append(search_ms)
            times["icontains"].append(icontains_ms)
            times["similar"].append(similar_ms)
            hits.append(len(found))

    result = {name: summary(samples) for name, samples in times.items()}
    result["search_vs_icontains_p95"] = round(
        result["search"]["p95_ms"] / result["icontains"]["p95_ms"], 3
    )
    result["queries"] = queries
    result["queries_with_a_full_page"] = sum(1 for n in hits if n == PAGE)
    result["queries_without_results"] = sum(1 for n in hits if n == 0)
    result["examples"] = texts[WARM_UP : WARM_UP + 8]
    if explain and connection.vendor == "postgresql":
        result["plans"] = {
            "search": explain_plan(
                search_messages(public, texts[WARM_UP], public_only=True)[:PAGE]
            ),
        }
    return result


def explain_plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--explain", action="store_true")
    options = parser.parse_args()
    configure(options.database_url)
    index = ensure_index()
    result = {"index": index, **run(options.queries, options.seed, options.explain)}
    for name in ("search", "icontains", "similar"):
        figures = result[name]
        print(
            f"{name:<10} p50 {figures['p50_ms']:8.2f} ms   p95 {figures['p95_ms']:8.2f}"
            f" ms   max {figures['max_ms']:8.2f} ms"
        )
    print(f"search / icontains at p95: {result['search_vs_icontains_p95']}")
    plans = result.pop("plans", {})
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for name, plan in plans.items():
        print(f"\n{name} plan:\n{plan}")


if __name__ == "__main__":
    main()
