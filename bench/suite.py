"""bench/suite: every figure of the performance targets, each beside a
reference measured in the same run (``make bench``).

    make bench                         # 1,000,000 messages (seeding ~7 min)
    N=100000 make bench                # a quick run
    .venv/bin/python bench/suite.py --messages 100000 --seconds 5
    BENCH_REUSE=1 BENCH_KEEP=1 make bench   # seed once, measure again and again
    .venv/bin/python bench/suite.py --table var/bench/suite-<date>.jsonl

On 127.0.0.1 it creates the PostgreSQL database ``zhitong_bench_suite_<N>``,
migrates it, seeds it with ``seed_demo --messages N`` and adds what the
signed-in pages read (bench/suite_data.py); then it serves pages as
production does (gunicorn, sync workers, 2 of them; DEBUG off; Redis as
the cache, database 8; RATE_LIMITS=off; no second factor for staff) through
bench/reference_app.py, which also serves the references from the same
workers: ``/bench/fixed`` (a constant page) and ``/bench/board-like`` (one
indexed query of 20 rows and a small template, no middleware).

Each figure is a ``wrk`` run (its own process; 16 connections, --seconds
each) between two references: the board-like view just before and the
fixed page just after, so a burst of noise on a shared machine hits a page
and its references alike. Anonymous pages are measured on one URL repeated
(``warm``: the page cache answers) and spread over up to 3,000 URLs
(``spread``: misses, with the share the cache answered all the same);
signed-in pages with a session cookie; posting through the API with a
token (2 connections, one per worker, then 16),
between two runs of a bare insert of the same row. Then: the memory of the
page workers after the page runs, of one ASGI worker (uvicorn) holding 1,000
idle sockets, and bench/realtime (its own database and Redis database 9;
--realtime-args, smaller than its default).

Prints a table (Markdown) and writes every figure as one JSON line to
``var/bench/suite-<date>.jsonl``; ``--table`` prints the table of such a file
again. Stops by itself (every step has a time limit; every process it
started is stopped on the way out) and drops its database unless
BENCH_KEEP=1. BENCH_REUSE=1 measures a database an earlier BENCH_KEEP=1 run
left, after migrating it. Needs PostgreSQL and Redis on 127.0.0.1, and wrk.
"""

import argparse
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import suite_report  # noqa: E402
from suite_wrk import wrk  # noqa: E402

PAGE_PORT = 18511
SOCKET_PORT = 18512
PAGE_WORKERS = 2
REDIS_URL = "redis://127.0.0.1:6379/8"
REALTIME_REDIS_URL = "redis://127.0.0.1:6379/9"
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
OUT = ROOT / "var" / "bench"
# The environment the suite was started in, before it points Django at its
# own database: bench/realtime gets this one.
BASE_ENVIRON = dict(os.environ)
RUN = OUT / "run"
SEED_TIMEOUT = 3600
REALTIME_ARGS = "--viewers 1000 --followers 1000 --rounds 3 --storm-rounds 1"
PROJECT_HEADERS = ("Content-Security-Policy", "X-Frame-Options")
# The board-like reference's rows in the site's layout, through the
# project's middleware (bench/reference_app.py): the floor of a miss.
IN_LAYOUT = "/bench-in-layout/board-like"


def server_env(database_url: str, redis_url: str = REDIS_URL) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_REPLICA_URLS", "CHANNEL_LAYER"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # A fresh key per run: the settings refuse keys in the repository.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMITS": "off",
        "ZHITONG_STAFF_SECOND_FACTOR": "0",
        "STATIC_ROOT": str(OUT / "static"),
        "PGOPTIONS": "--client-min-messages=warning",
    }


# --- Processes ---


@contextmanager
def started(command: list[str], name: str, env: dict, port: int | None = None):
    """A process of its own group (a server and its workers), stopped on the
    way out whatever happens; its output goes to var/bench/logs/."""
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    log = open(OUT / "logs" / f"{name}.log", "w")  # noqa: SIM115 (closed below)
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        if port:
            wait_for_port(port, child)
        yield child
    finally:
        stop(child)
        log.close()


def stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)


def wait_for_port(port: int, child=None, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None and child.poll() is not None:
            raise RuntimeError(f"the server on {port} ended ({child.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def run(command: list[str], env: dict, timeout: float = 600) -> str:
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, timeout=timeout,
        stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    return 0


def worker_pids(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]


# --- The database ---


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", *PG_ARGS, "-d", database, "-Atc", sql],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip


def seeded_marker(messages: int) -> str:
    return f"zhitong bench suite: seeded with {messages} messages"


def database_exists(name: str) -> bool:
    # The name is the suite's own (zhitong_bench_suite_<N>).
    sql = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608
    return psql(sql) == "1"


def database_prepare(name: str, messages: int, env: dict) -> dict:
    """Creates, migrates and seeds the database, or reuses a complete one."""
    exists = database_exists(name)
    # The name is the suite's own (zhitong_bench_suite_<N>).
    described = "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
    comment = psql(f"{described} WHERE datname = '{name}'")  # noqa: S608
    python = sys.executable
    if exists and comment == seeded_marker(messages):
        print(f"Reusing {name}; migrating it.", flush=True)
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env, SEED_TIMEOUT)
        return {"reused": True}
    if exists:  # an interrupted seed: start again
        database_drop(name)
    subprocess.run(["createdb", *PG_ARGS, name], check=True, timeout=60)
    print(f"Created {name}; migrating and seeding {messages:,} messages.", flush=True)
    started_at = time.monotonic()
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env, SEED_TIMEOUT)
    output = run(
        # "--password=…": a password may start with "-" (token_urlsafe's
        # alphabet has it), which argparse would read as an option.
        [python, "manage.py", "seed_demo", f"--password={secrets.token_urlsafe(12)}",
         "--messages", str(messages)],
        env, SEED_TIMEOUT,
    )  # fmt: skip
    seeding = time.monotonic() - started_at
    lines = [line for line in output.splitlines() if " messages, " in line]
    print(lines[-1] if lines else "seeded", flush=True)
    return {"reused": False, "seed_seconds": round(seeding)}


def database_drop(name: str) -> None:
    if not name.startswith("zhitong_bench_"):
        raise ValueError(f"not a benchmark database: {name}")
    subprocess.run(
        ["dropdb", *PG_ARGS, "--if-exists", "--force", name], check=True, timeout=120
    )


def django_close() -> None:
    if "django" not in sys.modules:
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()


# --- HTTP checks ---


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(port: int, path: str, headers=(), data: bytes | None = None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data,
        headers=dict(header.split(": ", 1) for header in headers),
    )  # fmt: skip
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def expect(port, path, status, headers=(), data=None):
    code, response_headers, body = fetch(port, path, headers, data)
    if code != status:
        raise RuntimeError(f"{path} answered {code}, not {status}: {body[:300]!r}")
    return response_headers, body


def check_references(port: int, page: str = "/", floor: bool = True) -> None:
    """The references run without the project's middleware; its pages and
    the floor (``IN_LAYOUT``, which needs the collected static files) with."""
    bodies = {}
    for path in ("/bench/fixed", "/bench/board-like"):
        headers, bodies[path] = expect(port, path, 200)
        present = [name for name in PROJECT_HEADERS if name in headers]
        if present:
            raise RuntimeError(f"{path} went through the middleware: {present}")
    if bodies["/bench/board-like"].count(b"<li>") != 20:
        raise RuntimeError("/bench/board-like did not list 20 messages")
    for path in (page, IN_LAYOUT) if floor else (page,):
        headers, bodies[path] = expect(port, path, 200)
        if not all(name in headers for name in PROJECT_HEADERS):
            raise RuntimeError(f"{path} lacks the project's headers: wrong app?")
    floor_body = bodies.get(IN_LAYOUT, b"")
    if floor and (
        floor_body.count(b"<li>") != 20 or b'class="site-footer"' not in floor_body
    ):
        raise RuntimeError(f"{IN_LAYOUT} did not list 20 messages in the layout")


# --- The measures ---


class Bench:
    """One run's server, settings and figures."""

    def __init__(self, args, port: int, figures: list):
        self.args, self.port, self.figures = args, port, figures
        RUN.mkdir(parents=True, exist_ok=True)

    def load(self, name, paths, *, connections=None, headers=(), status=200,
             body=None):  # fmt: skip
        connections = connections or self.args.connections
        if body is None:  # warm each worker's code path (and the cache)
            for _ in range(2 * PAGE_WORKERS):
                fetch(self.port, paths[0], headers)
        return wrk(
            self.port, paths, name=name, workdir=RUN, seconds=self.args.seconds,
            connections=connections, headers=headers, status=status, body=body,
        )  # fmt: skip

    def page(self, group, page, mode, paths, *, headers=(), target, sample=False):
        """A page between its two references; ``sample``: ``paths`` are a
        sample meant to be walked once (suite_data.anonymous_paths)."""
        board_like = self.load("board-like", ["/bench/board-like"])
        figures = self.load(f"{page} {mode}", paths, headers=headers)
        fixed = self.load("fixed", ["/bench/fixed"])
        self.record({
            "kind": "page", "group": group, "page": page, "mode": mode,
            "path": paths[0], "paths": len(paths), "sample": sample, **figures,
            "board_like": board_like, "fixed": fixed, "target": target,
        })  # fmt: skip

    def posting(self, token, author, body, connections):
        insert_path = f"/bench/insert?author={author}"
        json_headers = ("Content-Type: application/json",)
        api_headers = (*json_headers, f"Authorization: Token {token}")
        before = self.load("bare insert", [insert_path], headers=json_headers,
                           status=201, body=body, connections=connections)  # fmt: skip
        figures = self.load("posting", ["/api/v1/messages/"], headers=api_headers,
                            status=201, body=body, connections=connections)  # fmt: skip
        after = self.load("bare insert", [insert_path], headers=json_headers,
                          status=201, body=body, connections=connections)  # fmt: skip
        self.record({
            "kind": "posting", "group": "posting",
            "page": "posting a message (API)", "mode": f"{connections} conn.",
            "path": "/api/v1/messages/", **figures,
            "bare_insert": [before, after],
            "target": {"p99_ms": 100} if connections == 2 else {},
        })  # fmt: skip

    def record(self, figure: dict) -> None:
        figure["load_average"] = os.getloadavg()[0]
        self.figures.append(figure)
        print(suite_report.progress_line(figure), flush=True)


def chosen(args, name: str) -> bool:
    """Whether --only (comma-separated parts of names) asks for this one."""
    parts = [part.strip().lower() for part in args.only.split(",") if part.strip()]
    return not parts or any(part in name.lower() for part in parts)


def pages(bench: Bench, data) -> None:
    port = bench.port
    anonymous = {
        page: paths
        for page, paths in data["anonymous"].items()
        if chosen(bench.args, page)
    }
    if anonymous:
        # Once a run: what any page rendered afresh can reach at most.
        bench.page(
            "anonymous", "board-like in the site's layout", "floor", [IN_LAYOUT],
            target={},
        )  # fmt: skip
    for page, paths in anonymous.items():
        expect(port, paths["warm"], 200)
        headers, _body = expect(port, paths["warm"], 200)
        bench.page(
            "anonymous", page, "warm", [paths["warm"]],
            target={"board_like_ratio": 0.8, "p99_ms": 100, "fixed_ratio_aim": 0.5},
        )  # fmt: skip
        bench.figures[-1]["page_cache"] = headers.get("X-Page-Cache", "-")
        bench.page(
            "anonymous", page, "spread", paths["spread"],
            target={"board_like_ratio": 0.8, "p99_ms": 100}, sample=paths["sample"],
        )  # fmt: skip
    for page, (path, session) in data["signed_in"].items():
        if not chosen(bench.args, page):
            continue
        cookie = (f"Cookie: sessionid={session}",)
        expect(port, path, 200, cookie)
        bench.page("signed in", page, "uncached", [path], headers=cookie,
                   target={"p99_ms": 150})  # fmt: skip


def page_runs(args, env: dict, data: dict, figures: list) -> None:
    """The pages, then posting, on the page server; figures as they come."""
    command = [
        sys.executable, "-m", "gunicorn", "bench.reference_app:application",
        "--workers", str(PAGE_WORKERS), "--bind", f"127.0.0.1:{PAGE_PORT}",
        "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "flushdb"],
                   check=True, capture_output=True, timeout=30)  # fmt: skip
    bench = Bench(args, PAGE_PORT, figures)
    with started(command, "gunicorn", env, PAGE_PORT) as master:
        check_references(PAGE_PORT)
        pids = worker_pids(master.pid)
        memory = {"kind": "memory"}
        memory["page_workers_start_kib"] = [rss_kib(pid) for pid in pids]
        pages(bench, data)
        memory["page_workers_after_pages_kib"] = [rss_kib(pid) for pid in pids]
        post = data["posting"]
        body_file = RUN / "post.json"
        body_file.write_text(json.dumps(post["body"], ensure_ascii=False))
        sample = body_file.read_bytes().replace(b"@@N@@", b"check")
        json_header = ("Content-Type: application/json",)
        expect(PAGE_PORT, f"/bench/insert?author={post['author']}", 201,
               json_header, sample)  # fmt: skip
        token_header = f"Authorization: Token {post['token']}"
        expect(PAGE_PORT, "/api/v1/messages/", 201, (*json_header, token_header),
               sample)  # fmt: skip
        for connections in (2, args.connections) if chosen(args, "posting") else ():
            bench.posting(post["token"], post["author"], body_file, connections)
        memory["page_workers_end_kib"] = [rss_kib(pid) for pid in pids]
        figures.append(memory)


def socket_memory(env: dict, message_id: int, sockets: int = 1000) -> dict:
    """One uvicorn worker (as production serves /ws/) before and while it
    holds ``sockets`` idle viewers of a message page."""
    command = [
        sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
        "127.0.0.1", "--port", str(SOCKET_PORT), "--no-access-log",
        "--log-level", "warning", "--ws-per-message-deflate", "false",
    ]  # fmt: skip
    loader = [
        sys.executable, str(ROOT / "bench" / "realtime_load.py"), "viewers",
        "--n", str(sockets), "--ports", str(SOCKET_PORT), "--message",
        str(message_id), "--rounds", "0", "--idle-seconds", "6",
    ]  # fmt: skip
    with started(command, "uvicorn", env, SOCKET_PORT) as worker:
        time.sleep(2)
        before = rss_kib(worker.pid)
        with started(loader, "sockets", env) as viewers:
            ready = OUT / "logs" / "sockets.log"
            deadline = time.monotonic() + 120
            while "READY" not in ready.read_text():
                if time.monotonic() > deadline or viewers.poll() is not None:
                    raise RuntimeError("the socket load did not get ready")
                time.sleep(0.2)
            time.sleep(3)
            holding = rss_kib(worker.pid)
            viewers.wait(timeout=60)
    return {
        "kind": "memory",
        "sockets": sockets,
        "asgi_worker_idle_kib": before,
        "asgi_worker_with_sockets_kib": holding,
        "kib_per_socket": round((holding - before) / sockets, 1),
    }


def realtime(args) -> dict:
    """bench/realtime, with its own throwaway database and Redis database."""
    name = "zhitong_bench_suite_rt"
    env = {
        **BASE_ENVIRON, "BENCH_DATABASE_URL": POSTGRES + name,
        "BENCH_REDIS_URL": REALTIME_REDIS_URL,
    }  # fmt: skip
    command = [sys.executable, str(ROOT / "bench" / "realtime.py")]
    command += shlex.split(args.realtime_args)
    try:
        output = run(command, env, timeout=900)
    finally:
        database_drop(name)
    return {"kind": "realtime", "args": args.realtime_args,
            **json.loads(output[output.index("{"):])}  # fmt: skip


def machine() -> dict:
    def git(*arguments):
        return subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain")),
        # Django sets TZ once set up: the machine's own zone, as at the start.
        "uptime": subprocess.run(
            ["uptime"], capture_output=True, text=True, env=BASE_ENVIRON
        ).stdout.strip(),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--realtime-args", default=REALTIME_ARGS)
    parser.add_argument("--skip-realtime", action="store_true")
    parser.add_argument(
        "--only",
        default="",
        help="measure only these pages (comma-separated parts of their names, "
        "'posting' for posting); skips the memory and realtime steps",
    )
    parser.add_argument("--table", metavar="JSONL", help="print a run's table again")
    args = parser.parse_args()
    if args.table:
        print(suite_report.table(suite_report.read(Path(args.table))))
        return 0
    for program in ("wrk", "psql", "createdb", "redis-cli"):
        if subprocess.run(["which", program], capture_output=True).returncode:
            sys.exit(f"bench/suite needs {program} (wrk: apt-get install wrk)")
    # A stop request ends the run through the finally clauses below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    reuse = os.environ.get("BENCH_REUSE") == "1"
    keep = os.environ.get("BENCH_KEEP") == "1" or reuse
    name = f"zhitong_bench_suite_{int(args.messages)}"
    env = server_env(POSTGRES + name)
    meta = {"kind": "meta", "command": " ".join(sys.argv), "messages": args.messages,
            "seconds": args.seconds, "connections": args.connections,
            "page_workers": PAGE_WORKERS, "database": name, **machine()}  # fmt: skip
    figures = [meta]
    out = OUT / f"suite-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
    if database_exists(name) and not reuse:
        sys.exit(
            f"Database {name} exists (a run with BENCH_KEEP=1): BENCH_REUSE=1 "
            f"measures it again, or drop it: dropdb -h 127.0.0.1 -U postgres {name}"
        )
    try:
        meta.update(database_prepare(name, args.messages, env))
        os.environ.update(env)
        import django

        django.setup()
        import suite_data

        if not meta["reused"]:
            started_at = time.monotonic()
            from django.core.management.base import OutputWrapper

            suite_data.add_signed_in_rows(
                messages=args.messages, stdout=OutputWrapper(sys.stdout)
            )
            from django.db import connection

            with connection.cursor() as cursor:
                # What autovacuum does on a live board: statistics and the
                # visibility map (index-only scans are priced by it).
                cursor.execute("VACUUM (ANALYZE)")
            psql(f"COMMENT ON DATABASE {name} IS '{seeded_marker(args.messages)}'")
            meta["extra_rows_seconds"] = round(time.monotonic() - started_at)
        meta["rows"] = suite_data.row_counts()
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        data = {
            "anonymous": suite_data.anonymous_paths(),
            "signed_in": suite_data.signed_in_pages(),
            "posting": suite_data.posting(),
        }
        message_id = int(data["anonymous"]["message page"]["warm"].split("/")[2])
        django_close()
        page_runs(args, env, data, figures)
        # Neither of these stops the run: a failure is kept as a figure.
        steps = (
            [] if args.only else [("memory", lambda: socket_memory(env, message_id))]
        )
        if not (args.skip_realtime or args.only):
            steps.append(("realtime", lambda: realtime(args)))
        for kind, step in steps:
            try:
                figures.append(step())
            except Exception as error:
                print(f"{kind} failed: {error!r}", flush=True)
                figures.append({"kind": f"{kind} failed", "error": repr(error)})
    finally:
        meta["uptime_end"] = machine()["uptime"]
        OUT.mkdir(parents=True, exist_ok=True)
        with out.open("w") as handle:
            for figure in figures:
                handle.write(json.dumps(figure, ensure_ascii=False) + "\n")
        django_close()
        # Dropped unless kept or reused; also when its seeding failed.
        if keep and meta.get("reused") is not None:
            print(f"Kept {name} (BENCH_REUSE=1 measures it again).")
        elif not meta.get("reused"):
            database_drop(name)
        print()
        print(suite_report.table(figures))
        print(f"\nFigures: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
