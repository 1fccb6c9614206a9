"""bench/pages: which server should serve pages (HTTP without WebSockets)?

Production-like: PostgreSQL, Redis (cache), DEBUG off, a seeded board. Each
candidate runs 2 worker processes (one per core) on the same port in turn;
wrk (Debian's ``wrk``) loads each path for a fixed time over keep-alive
connections, and the script prints requests per second and latency
percentiles as JSON:

- uvicorn: ASGI, as for WebSockets; Django runs sync views in a thread;
- gunicorn-sync: WSGI, one request at a time per process;
- gunicorn-gthread: WSGI, a few threads per process.

Stops by itself. Needs PostgreSQL and Redis on 127.0.0.1, and wrk.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from realtime import prepare_database, process, wait_for_port  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhitong_bench_pages"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
PORT = 18401
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # A fresh key per run: the settings refuse keys written in the repository.
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "EMAIL_BACKEND": "console",
    "DATABASE_POOL_MIN_SIZE": "2",
    "DATABASE_POOL_MAX_SIZE": "10",
    "LOG_LEVEL": "WARNING",
}

SERVERS = {
    "uvicorn": [
        "-m", "uvicorn", "config.asgi:application", "--workers", "2",
        "--host", "127.0.0.1", "--port", str(PORT), "--no-access-log",
        "--log-level", "warning", "--ws-per-message-deflate", "false",
    ],
    "gunicorn-sync": [
        "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
        "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
    ],
    "gunicorn-gthread": [
        "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
        "--worker-class", "gthread", "--threads", "4",
        "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
    ],
}  # fmt: skip


def run(command):
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)


def prepare(messages):
    prepare_database(DATABASE_URL, REDIS_URL, ENV)
    run(
        [sys.executable, "manage.py", "seed_demo", "--password", "bench-pages",
         "--messages", str(messages)]
    )  # fmt: skip
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"])


def paths():
    """The board, a public message with replies, the API list, a static file."""
    os.environ.update(ENV)
    import django

    django.setup()
    from board.models import Message

    message = (
        Message.objects.public().filter(replies__isnull=False).order_by("-pk").first()
    )
    return {
        "board": "/",
        "message": message.get_absolute_url(),
        "api_list": "/api/v1/messages/",
        "static": "/static/css/site.css",
    }


LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path, seconds, connections):
    output = subprocess.run(
        ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
         f"http://127.0.0.1:{PORT}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    figures = {
        f"p{q}_ms": round(float(v) * UNIT[u], 1) for q, v, u in LATENCY.findall(output)
    }
    figures["requests_per_s"] = float(
        re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        figures["socket_errors"] = socket_errors.group(1)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--servers", default=",".join(SERVERS))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/pages needs wrk: apt-get install wrk")
    (ROOT / "var" / "bench-logs").mkdir(parents=True, exist_ok=True)
    prepare(args.messages)
    targets = paths()
    figures = {
        "messages": args.messages,
        "connections": args.connections,
        "seconds": args.seconds,
        "servers": {},
    }
    for server in args.servers.split(","):
        with process([sys.executable, *SERVERS[server]], PORT, env=ENV):
            wait_for_port(PORT)
            for path in targets.values():  # warm every worker's imports and pool
                for _ in range(8):
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}").read()  # noqa: S310
            time.sleep(1)
            figures["servers"][server] = {
                name: wrk(path, args.seconds, args.connections)
                for name, path in targets.items()
            }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
