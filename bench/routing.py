"""bench/routing: how good and how fast the routing suggestions are.

One command, against a database already seeded (``seed_demo``):

    .venv/bin/python bench/routing.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zhitong

It trains the model on the database's routed messages (into a temporary
directory: a deployment's own model is left alone; ``--model-dir`` to keep
it), then runs ``routing_suggest`` over ``bench/routing_heldout.jsonl``:
citizen messages written by hand, not from the demo's templates (colloquial,
long, short, with typos, English or half English), each labelled with the
category and the kind of department the demo routes it to. It prints top-1
and top-3 accuracy for the category and the department, with the model and
with the keywords alone, and the p50/p95 latency of ``routing_suggest``.

A department counts as right when it is of the labelled kind (交通运输局,
交通运输厅 …) and serves the message's region: which level takes a message
is the moderator's call, which the texts do not decide.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HELD_OUT = ROOT / "bench" / "routing_heldout.jsonl"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: DATABASE_URL or SQLite")
    parser.add_argument("--held-out", default=str(HELD_OUT), help="JSON lines")
    parser.add_argument("--model-dir", help="train into (and keep) this directory")
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds")
    options = parser.parse_args()
    if options.database_url:
        os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings

    from board.models import Region
    from board.routing_model import routing_model_forget, routing_model_train
    from moderation.demo.places import DEPARTMENTS

    kind_of = {}
    for slug, name, province_name, _name_en in DEPARTMENTS:
        kind_of[name] = kind_of[province_name] = slug
    regions = {region.code: region for region in Region.objects.all()}
    lines = Path(options.held_out).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    for item in items:
        item["region"] = regions[item["region"]]

    model_dir = Path(options.model_dir or tempfile.mkdtemp(prefix="zhitong-routing-"))
    settings.ROUTING_MODEL_DIR = model_dir
    result = routing_model_train(evaluate=True)
    if result is None:
        sys.exit("Too few routed messages to train on: seed the database first.")
    print(
        f"trained on {result.rows:,} routed messages in {result.seconds:.1f} s "
        f"({result.category_labels} categories, {result.department_labels} "
        "departments); held-out tenth of the same (templated) messages: "
        f"category {result.category_accuracy:.1%}, "
        f"department {result.department_accuracy:.1%}"
    )
    print(f"{len(items)} hand-written held-out messages ({HELD_OUT.name})")
    header = f"{'category top-1':>16}{'top-3':>8}{'department top-1':>18}{'top-3':>8}"
    print(f"{'':<16}{header}")
    with_model = evaluate(items, kind_of)
    settings.ROUTING_MODEL_DIR = Path(tempfile.mkdtemp(prefix="zhitong-no-model-"))
    routing_model_forget()
    keywords_only = evaluate(items, kind_of)
    for name, figures in [
        ("model+keywords", with_model),
        ("keywords only", keywords_only),
    ]:
        print(
            f"{name:<16}{figures['category'][0]:>16.1%}{figures['category'][1]:>8.1%}"
            f"{figures['department'][0]:>18.1%}{figures['department'][1]:>8.1%}"
        )

    settings.ROUTING_MODEL_DIR = model_dir
    routing_model_forget()
    latency = timings(items, options.rounds)
    print(
        f"routing_suggest latency over {len(latency)} calls: "
        f"p50 {percentile(latency, 50):.1f} ms, p95 {percentile(latency, 95):.1f} ms "
        "(target p95 < 50 ms)"
    )
    if not options.model_dir:
        print(f"(model kept only in {model_dir}; --model-dir to choose)")


def evaluate(items, kind_of) -> dict:
    from board.routing_model import routing_suggest

    hits = {"category": [0, 0], "department": [0, 0]}
    for item in items:
        suggestion = routing_suggest(item["text"], region=item["region"])
        categories = [category.slug for category, _c in suggestion.categories]
        departments = [kind_of.get(d.name) for d, _c in suggestion.departments]
        for key, found in [("category", categories), ("department", departments)]:
            hits[key][0] += found[:1] == [item[key]]
            hits[key][1] += item[key] in found[:3]
    return {key: [count / len(items) for count in pair] for key, pair in hits.items()}


def timings(items, rounds: int) -> list[float]:
    from board.routing_model import routing_suggest

    routing_suggest(items[0]["text"], region=items[0]["region"])  # loads the model
    samples = []
    for _round in range(rounds):
        for item in items:
            started = time.perf_counter()
            routing_suggest(item["text"], region=item["region"])
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], percent: int) -> float:
    if percent == 50:
        return statistics.median(samples)
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
