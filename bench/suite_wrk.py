"""One wrk run of bench/suite, in its own process, and its figures."""

import re
import subprocess
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wrk" / "suite.lua"
LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port, paths, *, name, workdir: Path, seconds, connections, headers=(),
        status=200, body: Path | None = None) -> dict:  # fmt: skip
    """``wrk --latency`` over ``paths`` (walked in turn by each thread) with
    ``headers``; ``body``, a file, makes every request a POST of its text.

    Returns requests per second, p50/p90/p99 in ms, the requests made, how
    many answers had another status than ``status`` (a redirect to the
    login page counts: wrk alone would count it a success), and how many
    the page cache answered or missed (``X-Page-Cache``), where it did.
    """
    threads = min(2, connections)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    paths_file = workdir / f"paths-{slug}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections),
               "-d", f"{seconds}s", "--timeout", "10s"]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(paths_file),
                str(status), str(threads)]  # fmt: skip
    if body is not None:
        command += ["POST", str(body)]
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    figures = {
        f"p{q}_ms": round(float(v) * UNIT[u], 1) for q, v, u in LATENCY.findall(output)
    }
    figures["requests_per_s"] = float(
        re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    )
    figures["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    unexpected = re.search(r"UNEXPECTED (\d+) (\d+)", output)
    figures["unexpected"] = int(unexpected.group(1))
    if figures["unexpected"]:
        figures["unexpected_status"] = int(unexpected.group(2))
    cached = re.search(r"PAGECACHE (\d+) (\d+)", output)
    if cached and (int(cached.group(1)) or int(cached.group(2))):
        figures["page_cache_hits"] = int(cached.group(1))
        figures["page_cache_misses"] = int(cached.group(2))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        figures["socket_errors"] = socket_errors.group(1)
    return figures
