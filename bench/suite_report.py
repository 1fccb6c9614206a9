"""bench/suite's tables (Markdown), from its figures or a file of them
(one JSON object a line, as the suite writes under var/bench/)."""

import json
import statistics
from pathlib import Path


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def rate(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ms(value) -> str:
    return "–" if value is None else f"{value:,.1f}"


def yes(condition: bool | None) -> str:
    if condition is None:
        return "–"
    return "**yes**" if condition else "no"


def progress_line(figure: dict) -> str:
    line = (
        f"  {figure['page']} [{figure['mode']}]: {rate(figure['requests_per_s'])}/s,"
        f" p50 {ms(figure.get('p50_ms'))} ms, p99 {ms(figure.get('p99_ms'))} ms"
    )
    if figure.get("mode") == "spread":
        line += hit_share(figure)
    if "board_like" in figure:
        line += (
            f" | board-like {rate(figure['board_like']['requests_per_s'])}/s,"
            f" fixed {rate(figure['fixed']['requests_per_s'])}/s"
        )
    for reference in figure.get("bare_insert", []):
        line += f" | bare insert p99 {ms(reference.get('p99_ms'))} ms"
    if figure.get("unexpected"):
        line += f" | {figure['unexpected']} unexpected ({figure['unexpected_status']})"
    return line


def mostly_misses(figure: dict) -> bool:
    """Whether a spread run measured pages rendered afresh: most of its
    answers misses. The officials' and regions' lists are short, so their
    runs are nearly all hits after the first second; runs recorded before
    the suite counted hits (no figure) are taken as misses, as they were."""
    hits = figure.get("page_cache_hits")
    if hits is None:
        return True
    return hits <= figure.get("page_cache_misses", 0)


# A sample walked once is all misses but for a few pages two filter
# combinations share (an empty list, say).
SAMPLE_HITS_AT_MOST = 0.01


def came_back(figure: dict) -> bool:
    """A spread over a sample of pages meant to be walked once, which the
    run walked again: the cache answered part of it, so its figures are not
    of misses, and judging them as misses could pass a page that is not
    there (run it again with fewer --seconds)."""
    hits = figure.get("page_cache_hits")
    if not figure.get("sample") or hits is None:
        return False
    answered = hits + figure.get("page_cache_misses", 0)
    return answered > 0 and hits / answered > SAMPLE_HITS_AT_MOST


def page_verdict(figure: dict) -> tuple[str, bool | None]:
    """The target in words, and whether the figure meets it (None: the run
    cannot say, ``came_back``)."""
    target = figure["target"]
    board_ratio = figure["requests_per_s"] / figure["board_like"]["requests_per_s"]
    fixed_ratio = figure["requests_per_s"] / figure["fixed"]["requests_per_s"]
    words, met = [], not figure.get("unexpected")
    if "board_like_ratio" in target:
        words.append(f"≥ {target['board_like_ratio']}× board-like")
        met = met and board_ratio >= target["board_like_ratio"]
    if "p99_ms" in target:
        words.append(f"p99 < {target['p99_ms']} ms")
        met = met and figure["p99_ms"] < target["p99_ms"]
    if "fixed_ratio_aim" in target:
        aim = fixed_ratio >= target["fixed_ratio_aim"]
        words.append(
            f"(aim ≥ {target['fixed_ratio_aim']}× fixed: {'yes' if aim else 'no'})"
        )
    if came_back(figure):
        words.append("not judged: the run came back to its URLs")
        met = None
    if not target:  # a reference measured like a page: nothing to meet
        return "– (a reference)", None
    return ", ".join(words), met


def hit_share(figure: dict) -> str:
    """ ", 12% hits": how much of a spread run the cache answered (runs
    before the suite counted them have no figure)."""
    hits = figure.get("page_cache_hits")
    if hits is None:
        return ""
    answered = hits + figure["page_cache_misses"]
    # One decimal: 34 misses in 35,000 answers are 99.9%, not 100%.
    return f", {hits / answered:.1%} hits" if answered else ""


def pages_table(figures: list[dict]) -> list[str]:
    lines = [
        "| page | mode | requests/s | p50 ms | p99 ms | board-like /s (p99 ms)"
        " | fixed /s (p99 ms) | × board-like | × fixed | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        if figure.get("kind") != "page":
            continue
        board_like, fixed = figure["board_like"], figure["fixed"]
        words, met = page_verdict(figure)
        mode = figure["mode"]
        if figure["mode"] == "warm" and figure.get("page_cache"):
            mode += f" (cache: {figure['page_cache']})"
        elif figure["mode"] == "spread":
            mode += f" ({figure['paths']} URLs{hit_share(figure)})"
        if figure.get("unexpected"):
            mode += f", {figure['unexpected']} × {figure['unexpected_status']}"
        lines.append(
            f"| {figure['page']} | {mode} | {rate(figure['requests_per_s'])}"
            f" | {ms(figure['p50_ms'])} | {ms(figure['p99_ms'])}"
            f" | {rate(board_like['requests_per_s'])} ({ms(board_like['p99_ms'])})"
            f" | {rate(fixed['requests_per_s'])} ({ms(fixed['p99_ms'])})"
            f" | {figure['requests_per_s'] / board_like['requests_per_s']:.2f}"
            f" | {figure['requests_per_s'] / fixed['requests_per_s']:.2f}"
            f" | {words} | {yes(met)} |"
        )
    return lines


def posting_table(figures: list[dict]) -> list[str]:
    lines = [
        "| figure | connections | requests/s | p50 ms | p99 ms | bare insert /s"
        " | bare insert p50 / p99 ms | p50 ÷ bare | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        if figure.get("kind") != "posting":
            continue
        inserts = figure["bare_insert"]
        insert_rate = statistics.mean(r["requests_per_s"] for r in inserts)
        insert_p50 = statistics.mean(r["p50_ms"] for r in inserts)
        insert_p99 = statistics.mean(r["p99_ms"] for r in inserts)
        limit = figure["target"].get("p99_ms")
        met = "–"
        if limit:
            met = yes(figure["p99_ms"] < limit and not figure.get("unexpected"))
        lines.append(
            f"| {figure['page']} | {figure['mode'].split()[0]}"
            f" | {rate(figure['requests_per_s'])} | {ms(figure['p50_ms'])}"
            f" | {ms(figure['p99_ms'])} | {rate(insert_rate)}"
            f" | {ms(insert_p50)} / {ms(insert_p99)}"
            f" | {figure['p50_ms'] / insert_p50:.1f}"
            f" | {f'p99 < {limit} ms' if limit else '–'} | {met} |"
        )
    return lines


def references_line(figures: list[dict]) -> str:
    runs = {"board-like": [], "fixed": []}
    for figure in figures:
        if figure.get("kind") == "page":
            runs["board-like"].append(figure["board_like"]["requests_per_s"])
            runs["fixed"].append(figure["fixed"]["requests_per_s"])
    parts = []
    for name, values in runs.items():
        if values:
            parts.append(
                f"{name} {rate(min(values))}–{rate(max(values))}/s"
                f" (median {rate(statistics.median(values))}, {len(values)} runs)"
            )
    return "References over the run: " + "; ".join(parts) if parts else ""


def memory_lines(figures: list[dict]) -> list[str]:
    lines = []
    for figure in figures:
        if figure.get("kind") != "memory":
            continue
        if "page_workers_after_pages_kib" in figure:
            after = figure["page_workers_after_pages_kib"]
            start = figure["page_workers_start_kib"]
            end = figure["page_workers_end_kib"]
            lines.append(
                f"- page worker RSS (gunicorn, each of {len(after)}): after warm-up "
                f"{mib(start)} MiB, after the page runs {mib(after)} MiB, after "
                f"posting {mib(end)} MiB"
            )
        if "asgi_worker_with_sockets_kib" in figure:
            idle = figure["asgi_worker_idle_kib"] / 1024
            holding = figure["asgi_worker_with_sockets_kib"] / 1024
            lines.append(
                f"- one ASGI worker (uvicorn): {idle:.0f} MiB idle, {holding:.0f} MiB"
                f" holding {figure['sockets']:,} idle sockets"
                f" ({figure['kib_per_socket']} KiB per socket)"
            )
    return lines


def mib(values: list[int]) -> str:
    return " / ".join(f"{value / 1024:.0f}" for value in values)


def realtime_lines(figures: list[dict]) -> list[str]:
    for figure in figures:
        if figure.get("kind") != "realtime":
            continue
        live, minimal = figure["live_page"], figure["minimal_consumer"]
        followers = figure["followers_case"]
        ratio = figure.get("ratio_p99_to_minimal_consumer")
        notified = followers.get("all_notified_s") or {}
        storm = figure["reconnect_storm"]
        live_met = bool(live["p99"] and live["p99"] <= 250 and ratio and ratio <= 1.5)
        clients = storm["redis_before"]["clients"], storm["redis_after"]["clients"]
        return [
            "| realtime (bench/realtime " + figure["args"] + ") | figure | reference"
            " | target | met |",
            "|---|---|---|---|---|",
            f"| live page p50 / p99 | {live['p50']} / {live['p99']} ms | minimal "
            f"consumer {minimal['p50']} / {minimal['p99']} ms, ratio {ratio}"
            f" | p99 ≤ 250 ms, ratio ≤ 1.5 | "
            f"{yes(live_met)} |",
            f"| live page delivered / sent | {live['delivered']:,} / {live['sent']:,}"
            f" | – | nothing lost | {yes(live['delivered'] == live['sent'])} |",
            f"| followers all notified, median / worst round | "
            f"{notified.get('median')} / {notified.get('max')} s | – | ≤ 1 s | "
            f"{yes(bool(notified) and notified['max'] <= 1)} |",
            f"| followers delivered / sent | {followers['delivered']:,} / "
            f"{followers['sent']:,} | – | nothing lost | "
            f"{yes(followers['delivered'] == followers['sent'])} |",
            f"| idle memory per socket (2 workers) | "
            f"{figure['idle_kib_per_socket']} KiB | – | ≤ 100 KiB | "
            f"{yes(figure['idle_kib_per_socket'] <= 100)} |",
            f"| Redis clients before → after a {storm['connections']:,}-socket storm"
            f" | {clients[0]} → {clients[1]} | – | no leak | "
            f"{yes(clients[1] <= clients[0])} |",
        ]
    return []


def table(figures: list[dict]) -> str:
    meta = next((f for f in figures if f.get("kind") == "meta"), {})
    head = [
        f"bench/suite, {meta.get('date', '?')}: {meta.get('messages', 0):,} messages,"
        f" {meta.get('page_workers')} gunicorn workers, {meta.get('connections')}"
        f" connections, {meta.get('seconds')} s a run; commit {meta.get('commit')}"
        + (" with uncommitted changes" if meta.get("uncommitted_changes") else ""),
        f"load before: {meta.get('uptime', '?')}",
        f"load after:  {meta.get('uptime_end', '?')}",
        "",
    ]
    sections = [pages_table(figures), [references_line(figures)],
                posting_table(figures), memory_lines(figures),
                realtime_lines(figures)]  # fmt: skip
    body = []
    for section in sections:
        if section and any(section):
            body += [*section, ""]
    return "\n".join(head + body).rstrip()
