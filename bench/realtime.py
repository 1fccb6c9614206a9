"""bench/realtime: realtime delivery on a production-like setup.

PostgreSQL, Redis, 2 ASGI worker processes holding the sockets, a Celery
worker, and, as in production, a gunicorn page server (2 processes) that
takes the replies (--pages asgi posts them through the socket workers
instead); the load generator (bench/realtime_load.py) runs in a separate
process. Prints:

- live page: N viewers of one public message; a reply is posted; latency from
  the server's send (after commit) to each viewer's receipt, delivered/sent;
- followers: N followers, each on their own notification socket; time until
  the last one has the notification, and the reply request's own latency;
- idle: server memory per connected socket;
- reconnect storm: N sockets connecting and dropping (half without a close
  frame) --storm-rounds times; Redis clients, pub/sub channels and group
  members before and after (nothing may be left behind), and server memory;
- references: a minimal Channels broadcast consumer and raw Redis pub/sub to
  the same number of subscribers, and the ratios to both.

Each case runs --rounds times (a reply, or a broadcast, per round); the
percentiles pool every round. Stops by itself. Needs PostgreSQL and Redis on
127.0.0.1.
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhitong_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
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
    # The official replies by API token; without DEBUG, staff must first set
    # up a second factor (docs/security.md), which a benchmark cannot.
    "ZHITONG_STAFF_SECOND_FACTOR": "0",
}


PAGES_PORT = 18300


def run(command, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=ENV, check=True, **kwargs)


def wait_for_port(port, timeout=60):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(port)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    return 0


@contextmanager
def process(command, port=None, env=None):
    name = f"{Path(command[2]).name}-{port}.log"
    log = open(ROOT / "var" / "bench-logs" / name, "w")  # noqa: SIM115 (closed below)
    child = subprocess.Popen(command, cwd=ROOT, env=env or ENV, stdout=log, stderr=log)
    try:
        if port:
            wait_for_port(port)
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


def asgi_command(server, app, port):
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ws-per-message-deflate",
        "false",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


@contextmanager
def workers(server, app, ports):
    with ExitStack() as stack:
        yield [
            stack.enter_context(process(asgi_command(server, app, p), p)) for p in ports
        ]


@contextmanager
def load(*arguments):
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "realtime_load.py"), *arguments],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError(f"load generator failed: {line!r}")
        yield child
    finally:
        if child.poll() is None:
            child.wait(timeout=120)


def results_of(child):
    return json.loads(child.stdout.readline())


def percentiles(latencies):
    if not latencies:
        return {"p50": None, "p95": None, "p99": None}
    ms = [value * 1000 for value in latencies]

    def pick(q):
        return round(ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))], 1)

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


def post(port, path, token, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    started = time.time()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
        return started, time.time() - started, response.status


def get(port, path, token):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read()


def prepare_database(database_url=DATABASE_URL, redis_url=REDIS_URL, env=None):
    """A new, migrated database and an empty Redis database."""
    name = database_url.rsplit("/", 1)[1]
    subprocess.run(
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    db = redis_url.rsplit("/", 1)[1]
    subprocess.run(["redis-cli", "-n", db, "flushdb"], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env or ENV,
        check=True,
    )


def setup_message():
    """An accepted public message routed to an official who has an API token."""
    from allauth.account.models import EmailAddress
    from knox.models import AuthToken

    from board.actions import start_handling_clock, user_grant_role
    from board.models import Category, Message, Official, Region, User

    province = Region.objects.create(name="江南省", level=1, code="320000")
    official_user = User.objects.create_user("bench-official", "o@example.com")
    user_grant_role(user=official_user, role="official")
    # API writes need a verified email address.
    EmailAddress.objects.create(
        user=official_user, email=official_user.email, primary=True, verified=True
    )
    official = Official.objects.create(
        user=official_user, name="李明", title="市长", region=province
    )
    author = User.objects.create_user("bench-author", "a@example.com")
    message = Message.objects.create(
        reference="ZT-2026-999999",
        author=author,
        addressee_official=official,
        region=province,
        category=Category.objects.first(),
        kind="complaint",
        title="基准测试留言",
        body="路灯坏了。",
        body_html="<p>路灯坏了。</p>",
        status="accepted",
    )
    start_handling_clock(message)
    from django.utils import timezone

    message.published_at = timezone.now()
    message.save()
    return message, AuthToken.objects.create(user=official_user)[1]


def setup_followers(message, count):
    """``count`` followers (同问), each with a WebSocket ticket."""
    from django.core.cache import cache

    from board.models import MessageFollow, Notification, User
    from board.realtime.tickets import TICKET_PREFIX

    users = User.objects.bulk_create(
        [User(username=f"follower{n}", email=f"f{n}@example.com") for n in range(count)]
    )
    MessageFollow.objects.bulk_create(
        [MessageFollow(message=message, user=user) for user in users]
    )
    tickets = {f"bench{user.pk}x{time.time_ns()}": user.pk for user in users}
    cache.set_many({TICKET_PREFIX + t: pk for t, pk in tickets.items()}, 600)
    path = ROOT / "var" / "bench-logs" / "tickets.json"
    path.write_text(json.dumps(list(tickets)))
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    return path, last or 0


def summary(values):
    """Median and worst of per-round figures."""
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2], "max": ordered[-1]}


def redis_state(prefix="zhitong"):
    """Redis clients, pub/sub channels and group members the app holds."""
    import redis

    client = redis.from_url(REDIS_URL)
    members = sum(
        client.zcard(key)
        for key in client.scan_iter(f"{prefix}:group:*")
        if client.type(key) == b"zset"
    )
    state = {
        "clients": len(client.client_list()) - 1,  # not this one
        "pubsub_channels": len(client.pubsub_channels(f"{prefix}*")),
        "group_members": members,
    }
    client.close()
    return state


def reply_rounds(args, loader, port, message, token):
    """Post one interim reply per round and collect what the loader saw."""
    figures = {"latencies": [], "delivered": 0, "requests": [], "all_notified": []}
    for round_number in range(args.rounds):
        started, seconds, status = post(
            port, f"/api/v1/messages/{message.pk}/replies/", token,
            {"body": f"进展 {round_number}：已派员现场查看。", "final": False},
        )  # fmt: skip
        assert status == 201, status
        result = results_of(loader)
        figures["latencies"] += result["latencies"]
        figures["delivered"] += result["delivered"]
        figures["requests"].append(round(seconds * 1000, 1))
        if result["last"]:
            figures["all_notified"].append(round(result["last"] - started, 3))
    figures["latencies"].sort()
    return figures


def live_page_case(args, message, token, servers, ports, reply_port):
    before = sum(rss_kib(s.pid) for s in servers)
    with load(
        "viewers", "--n", str(args.viewers), "--ports", ",".join(map(str, ports)),
        "--message", str(message.pk), "--rounds", str(args.rounds),
    ) as viewers:  # fmt: skip
        time.sleep(3)
        after = sum(rss_kib(s.pid) for s in servers)
        page = reply_rounds(args, viewers, reply_port, message, token)
    return {
        "idle_kib_per_socket": round((after - before) / args.viewers, 1),
        "live_page": {
            **percentiles(page["latencies"]),
            "delivered": page["delivered"],
            "sent": args.viewers * args.rounds,
            "reply_request_ms": summary(page["requests"]),
        },
    }


def followers_case(args, message, token, ports, reply_port):
    tickets, after_id = setup_followers(message, args.followers)
    with load(
        "followers", "--tickets", str(tickets), "--ports", ",".join(map(str, ports)),
        "--after", str(after_id), "--timeout", "30", "--rounds", str(args.rounds),
    ) as followers:  # fmt: skip
        result = reply_rounds(args, followers, reply_port, message, token)
    all_notified, requests = result["all_notified"], result["requests"]
    return {
        **percentiles(result["latencies"]),
        "delivered": result["delivered"],
        "sent": args.followers * args.rounds,
        "all_notified_s": summary(all_notified) if all_notified else None,
        "all_notified_each_s": all_notified,
        "reply_request_ms": summary(requests),
        "reply_request_each_ms": requests,
    }


def storm_case(args, message, servers, ports):
    """Sockets connecting and dropping in bursts must leave nothing behind:
    no Redis connection, subscription or group member, no server memory."""
    time.sleep(3)  # the earlier cases' sockets finish closing
    before, rss_before = redis_state(), sum(rss_kib(s.pid) for s in servers)
    with load(
        "storm", "--n", str(args.viewers), "--ports", ",".join(map(str, ports)),
        "--message", str(message.pk), "--rounds", str(args.storm_rounds),
    ) as storm:  # fmt: skip
        opened = results_of(storm)["opened"]
    time.sleep(5)  # aborted TCP connections are noticed, consumers end
    after, rss_after = redis_state(), sum(rss_kib(s.pid) for s in servers)
    return {
        "connections": sum(opened),
        "redis_before": before,
        "redis_after": after,
        "server_rss_growth_kib": rss_after - rss_before,
    }


def minimal_case(args, ports):
    latencies, delivered = [], 0
    with workers(args.server, "bench.minimal_asgi:application", ports):
        from channels.layers import get_channel_layer

        async def broadcast():
            layer = get_channel_layer()
            # Warm the sender's connection first, as the app's workers are.
            await layer.group_send("bench-warm-up", {"type": "bench.broadcast"})
            await asyncio.sleep(1)
            await layer.group_send(
                "bench", {"type": "bench.broadcast", "payload": {"sent": time.time()}}
            )

        with load(
            "minimal", "--n", str(args.viewers), "--ports", ",".join(map(str, ports)),
            "--rounds", str(args.rounds),
        ) as minimal:  # fmt: skip
            time.sleep(1)
            for _round in range(args.rounds):
                asyncio.run(broadcast())
                reference = results_of(minimal)
                latencies += reference["latencies"]
                delivered += reference["delivered"]
    return {**percentiles(sorted(latencies)), "delivered": delivered}


def pubsub_case(args):
    import redis

    latencies, delivered = [], 0
    with load(
        "pubsub", "--n", str(args.viewers), "--redis", REDIS_URL,
        "--rounds", str(args.rounds),
    ) as pubsub:  # fmt: skip
        publisher = redis.from_url(REDIS_URL)
        publisher.ping()
        for _round in range(args.rounds):
            time.sleep(0.5)
            publisher.publish("bench", json.dumps({"sent": time.time()}))
            raw = results_of(pubsub)
            latencies += raw["latencies"]
            delivered += raw["delivered"]
    return {**percentiles(sorted(latencies)), "delivered": delivered}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="replies (broadcasts) per case; percentiles pool every round",
    )
    parser.add_argument("--storm-rounds", type=int, default=3)
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument(
        "--pages",
        choices=["gunicorn", "asgi"],
        default="gunicorn",
        help="post the replies through a gunicorn page server (the production "
        "layout) or through the ASGI workers that hold the sockets",
    )
    parser.add_argument(
        "--layer",
        choices=["pubsub", "core"],
        default="pubsub",
        help="the bounded RedisPubSubChannelLayer (production default) or "
        "channels-redis's RedisChannelLayer",
    )
    args = parser.parse_args()
    ENV["CHANNEL_LAYER"] = args.layer
    (ROOT / "var" / "bench-logs").mkdir(parents=True, exist_ok=True)
    prepare_database()
    os.environ.update(ENV)
    import django

    django.setup()
    message, token = setup_message()
    ports = [18301, 18302]  # the ASGI workers holding the sockets
    figures = {
        "server": args.server,
        "pages": args.pages,
        "layer": args.layer,
        "viewers": args.viewers,
        "followers": args.followers,
        "rounds": args.rounds,
    }

    celery = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "threads",
        "-c", "4", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "warning",
    ]  # fmt: skip
    pages = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers",
        "2", "--bind", f"127.0.0.1:{PAGES_PORT}", "--log-level", "warning",
    ]  # fmt: skip
    with ExitStack() as running:
        servers = running.enter_context(
            workers(args.server, "config.asgi:application", ports)
        )
        running.enter_context(process(celery))
        if args.pages == "gunicorn":
            running.enter_context(process(pages, PAGES_PORT))
            live_port = followers_port = PAGES_PORT
        else:
            live_port, followers_port = ports
        # Warm every worker (imports, database pool, Redis pool) so the
        # figures are of a running service, not of a cold start.
        for port in {*ports, live_port}:
            for _ in range(4):
                get(port, f"/api/v1/messages/{message.pk}/", token)
        time.sleep(2)
        figures.update(live_page_case(args, message, token, servers, ports, live_port))
        figures["followers_case"] = followers_case(
            args, message, token, ports, followers_port
        )
        figures["reconnect_storm"] = storm_case(args, message, servers, ports)

    figures["minimal_consumer"] = minimal_case(args, ports)
    figures["redis_pubsub"] = pubsub_case(args)

    live, minimal_ref, raw_ref = (
        figures["live_page"],
        figures["minimal_consumer"],
        figures["redis_pubsub"],
    )
    if live["p99"] and minimal_ref["p99"]:
        figures["ratio_p99_to_minimal_consumer"] = round(
            live["p99"] / minimal_ref["p99"], 2
        )
    if live["p99"] and raw_ref["p99"]:
        figures["ratio_p99_to_redis_pubsub"] = round(live["p99"] / raw_ref["p99"], 2)
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
