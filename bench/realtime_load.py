"""Load generator for bench/realtime: runs in its own process.

Modes:
  viewers   N sockets on /ws/messages/<id>/ spread over the ports
  followers N sockets on /ws/notifications/?ticket=… (tickets read from a file)
  minimal   N sockets on the minimal reference app (/ws/bench/)
  pubsub    N raw Redis pub/sub subscribers on channel "bench"
  storm     N viewer sockets connect and drop, --rounds times: half close
            politely, half vanish (TCP abort, no close frame), as after a
            network blip; prints how many connected in each round

It prints READY once every socket is open, then, for each of --rounds rounds,
waits for one frame per socket (or --timeout) and prints a JSON line with
receive latencies measured against the "sent" time in each frame.
"""

import argparse
import asyncio
import json
import sys
import time

import websockets


async def open_all(urls, origin_for, batch=200):
    sockets = []
    for start in range(0, len(urls), batch):
        chunk = urls[start : start + batch]
        sockets.extend(
            await asyncio.gather(
                *[
                    websockets.connect(
                        url,
                        origin=origin_for(url),
                        compression=None,
                        open_timeout=60,
                        ping_interval=None,
                        max_queue=64,
                    )
                    for url in chunk
                ]
            )
        )
    return sockets


async def first_frame(socket, wanted, timeout):
    try:
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), timeout))
            if wanted(frame):
                return time.time(), frame
    except (TimeoutError, websockets.ConnectionClosed):
        return None


def report(results):
    got = [r for r in results if r is not None]
    latencies = sorted(received - frame["sent"] for received, frame in got)
    last = max((received for received, _frame in got), default=None)
    print(json.dumps({"delivered": len(got), "latencies": latencies, "last": last}))
    sys.stdout.flush()


async def websocket_mode(args):
    ports = [int(p) for p in args.ports.split(",")]
    if args.mode == "followers":
        with open(args.tickets) as handle:
            tickets = json.load(handle)
        urls = [
            f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/notifications/?ticket={t}"
            for i, t in enumerate(tickets)
        ]
    elif args.mode == "viewers":
        urls = [
            f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/messages/{args.message}/"
            for i in range(args.n)
        ]
    else:
        urls = [
            f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/bench/" for i in range(args.n)
        ]

    def origin_for(url):
        return "http://" + url.split("/")[2]

    sockets = await open_all(urls, origin_for)
    if args.mode == "followers":
        for socket in sockets:
            await socket.send(json.dumps({"type": "resume", "after": args.after}))
        # Each socket answers the resume with its unread count.
        await asyncio.gather(
            *[first_frame(s, lambda f: f["type"] == "unread", 60) for s in sockets]
        )
        wanted = lambda frame: frame.get("type") == "notification"  # noqa: E731
    elif args.mode == "viewers":
        wanted = lambda frame: frame.get("op") == "reply"  # noqa: E731
    else:
        wanted = lambda frame: "sent" in frame  # noqa: E731
    print("READY", flush=True)
    if args.idle_seconds:
        await asyncio.sleep(args.idle_seconds)
    # One report per round: the benchmark triggers the next round after it
    # has read this one's.
    for _round in range(args.rounds):
        results = await asyncio.gather(
            *[first_frame(s, wanted, args.timeout) for s in sockets]
        )
        report(results)
    await asyncio.gather(*[s.close() for s in sockets], return_exceptions=True)


async def pubsub_mode(args):
    import redis.asyncio as redis

    clients = [redis.from_url(args.redis) for _ in range(args.n)]
    subscriptions = []
    for client in clients:
        pubsub = client.pubsub()
        await pubsub.subscribe("bench")
        await pubsub.get_message(timeout=5)  # the subscribe confirmation
        subscriptions.append(pubsub)
    print("READY", flush=True)

    async def one(pubsub):
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            message = await pubsub.get_message(timeout=1)
            if message and message["type"] == "message":
                return time.time(), json.loads(message["data"])
        return None

    for _round in range(args.rounds):
        report(await asyncio.gather(*[one(p) for p in subscriptions]))
    for client in clients:
        await client.aclose()


async def storm_mode(args):
    ports = [int(p) for p in args.ports.split(",")]
    urls = [
        f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/messages/{args.message}/"
        for i in range(args.n)
    ]
    print("READY", flush=True)
    opened = []
    for _round in range(args.rounds):
        sockets = [
            s
            for s in await asyncio.gather(
                *[
                    websockets.connect(
                        url,
                        origin="http://" + url.split("/")[2],
                        compression=None,
                        open_timeout=60,
                        ping_interval=None,
                    )
                    for url in urls
                ],
                return_exceptions=True,
            )
            if not isinstance(s, BaseException)
        ]
        opened.append(len(sockets))
        polite, abrupt = sockets[::2], sockets[1::2]
        for socket in abrupt:
            socket.transport.abort()
        await asyncio.gather(*[s.close() for s in polite], return_exceptions=True)
    print(json.dumps({"opened": opened}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "mode", choices=["viewers", "followers", "minimal", "pubsub", "storm"]
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--ports", default="")
    parser.add_argument("--message", type=int, default=0)
    parser.add_argument("--tickets", default="")
    parser.add_argument("--after", type=int, default=0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--idle-seconds", type=float, default=0)
    args = parser.parse_args()
    if args.mode == "pubsub":
        asyncio.run(pubsub_mode(args))
    elif args.mode == "storm":
        asyncio.run(storm_mode(args))
    else:
        asyncio.run(websocket_mode(args))


if __name__ == "__main__":
    main()
