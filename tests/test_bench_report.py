"""bench/suite's tables (bench/suite_report.py) say what its runs measured,
and the capacity model (bench/capacity.py) prices pages from the right runs."""

import json

from bench import capacity, suite_report


def spread_figure(**cache_counts) -> dict:
    reference = {"requests_per_s": 500.0, "p99_ms": 30.0}
    return {
        "kind": "page", "page": "board", "mode": "spread", "paths": 3000,
        "requests_per_s": 100.0, "p50_ms": 20.0, "p99_ms": 150.0,
        "board_like": reference, "fixed": {**reference, "requests_per_s": 5000.0},
        "target": {"board_like_ratio": 0.8, "p99_ms": 100}, **cache_counts,
    }  # fmt: skip


def test_spread_rows_say_how_much_the_cache_answered():
    # A spread run that comes back to its URLs is partly hits: its row says
    # how much, so that a fast figure cannot pass for one of misses.
    row = suite_report.pages_table(
        [spread_figure(page_cache_hits=250, page_cache_misses=750)]
    )[2]
    assert "| spread (3000 URLs, 25.0% hits) |" in row

    # Runs recorded before the suite counted them read as before.
    assert "| spread (3000 URLs) |" in suite_report.pages_table([spread_figure()])[2]


def test_a_sample_walked_again_is_not_judged_as_misses():
    """A spread over a sample of pages (3,000 of the board's filters) is
    meant to be walked once. A run long enough to come back to it is mostly
    hits, fast enough to pass the target of misses: its row says so and
    judges nothing. A short list walked over and over (every official) is
    judged as it is."""
    fast = {"requests_per_s": 800.0, "p99_ms": 60.0}
    came_back = spread_figure(sample=True, page_cache_hits=4642,
                              page_cache_misses=2999, **fast)  # fmt: skip
    words, met = suite_report.page_verdict(came_back)
    assert met is None
    assert "came back to its URLs" in words
    assert suite_report.pages_table([came_back])[2].endswith(" | – |")

    half_hits = spread_figure(sample=True, page_cache_hits=2990,
                              page_cache_misses=3000, **fast)  # fmt: skip
    assert suite_report.page_verdict(half_hits)[1] is None
    # Nor does the capacity model price rendered pages from it.
    assert capacity.mostly_misses(half_hits) and capacity.came_back(half_hits)

    walked_once = spread_figure(sample=True, page_cache_hits=3,
                                page_cache_misses=2999, **fast)  # fmt: skip
    assert suite_report.page_verdict(walked_once)[1] is True
    every_official = spread_figure(sample=False, paths=34, page_cache_hits=33_000,
                                   page_cache_misses=34, **fast)  # fmt: skip
    assert suite_report.page_verdict(every_official)[1] is True


def test_the_capacity_model_prices_misses_from_runs_of_misses():
    """bench/capacity.py's "rendered afresh" rate comes from spread runs the
    cache did not answer: a short list (34 officials) is nearly all hits."""
    assert capacity.mostly_misses(
        spread_figure(page_cache_hits=0, page_cache_misses=1600)
    )
    assert not capacity.mostly_misses(
        spread_figure(page_cache_hits=33_000, page_cache_misses=34)
    )
    # Older runs counted nothing; they were taken as misses then.
    assert capacity.mostly_misses(spread_figure())


def test_the_capacity_model_reads_a_rerun_over_a_full_run(tmp_path):
    """A page rerun on its own (the API list's spread with fewer seconds)
    replaces that page's figure of the full run; the rest stays."""
    full, rerun = tmp_path / "full.jsonl", tmp_path / "rerun.jsonl"
    board = {**spread_figure(), "group": "anonymous"}
    came_back = {**board, "page": "API list", "sample": True,
                 "page_cache_hits": 4642, "page_cache_misses": 2999}  # fmt: skip
    walked_once = {**came_back, "page_cache_hits": 0, "requests_per_s": 358.0}
    full_rows = [{"kind": "meta", "messages": 1_000_000}, board, came_back]
    full.write_text("\n".join(json.dumps(row) for row in full_rows))
    rerun_rows = [{"kind": "meta", "messages": 1}, walked_once]
    rerun.write_text("\n".join(json.dumps(row) for row in rerun_rows))
    figures = capacity.load(full, rerun)
    assert figures["meta"]["messages"] == 1_000_000
    assert figures["pages"][("anonymous", "board", "spread")]["requests_per_s"] == 100.0
    api = figures["pages"][("anonymous", "API list", "spread")]
    assert api["requests_per_s"] == 358.0
    assert not capacity.came_back(api)
