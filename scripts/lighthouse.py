"""Lighthouse (npm, on Debian's Chromium): accessibility and best practices of
the board, a message page, an official page and the compose page, on a
throwaway board with demo data: ``make lighthouse`` (after ``npm install``).

Prints a table (Markdown, as docs/benchmarks.md records it) and every audit
that lost points; exits 1 when a score is below ``--minimum`` (95).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from demo_server import BASE_DIR, CHROMIUM, HOST, DemoServer, free_port
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
CATEGORIES = {"accessibility": "Accessibility", "best-practices": "Best practices"}


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(name, demo username or None for a visitor, path)."""
    return [
        ("Board", None, "/"),
        ("Message page (answered)", None, f"/messages/{ids['answered_message']}/"),
        ("Official's page", None, f"/officials/{ids['official']}/"),
        ("Compose (citizen)", "citizen", "/messages/new/"),
    ]


class SignedInChromium:
    """Debian's Chromium with remote debugging, ``username`` signed in through
    the login form. Lighthouse drives it (``--port``), so every request of the
    page, its WebSockets too, carries the session as a signed-in browser's
    does (a Cookie in ``--extra-headers`` misses the sockets)."""

    def __init__(self, server: DemoServer, username: str):
        self.server = server
        self.username = username
        self.port = free_port()
        self.profile = Path(tempfile.mkdtemp(prefix="zhitong-lighthouse-"))
        self.process = None

    def __enter__(self) -> "SignedInChromium":
        self.process = subprocess.Popen(  # noqa: S603 (Debian's Chromium)
            [
                CHROMIUM,
                *CHROME_FLAGS,
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with sync_playwright() as playwright:
                browser = self.connect(playwright)
                self.server.sign_in(browser.contexts[0], self.username)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def connect(self, playwright, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                return playwright.chromium.connect_over_cdp(
                    f"http://{HOST}:{self.port}"
                )
            except PlaywrightError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def lighthouse(url: str, report: Path, port: int | None = None) -> dict:
    """The report of one Lighthouse run (mobile, its default form factor), in
    a Chromium of its own, or in the one listening on ``port``."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if port is None:
        command.append(f"--chrome-flags={' '.join(CHROME_FLAGS)}")
    else:
        # Keeps the signed-in session (Lighthouse clears an origin's storage).
        command += [f"--port={port}", "--disable-storage-reset"]
    subprocess.run(  # noqa: S603 (the project's own node_modules)
        command,
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        stdout=subprocess.DEVNULL,
    )
    return json.loads(report.read_text())


def lost_points(result: dict) -> list[str]:
    """The audits of the measured categories that did not pass in full."""
    lines = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{category}: {audit['id']} ({audit['title']})")
                items = (audit.get("details") or {}).get("items") or []
                lines += [f"    {item_summary(item)}" for item in items[:3]]
    return lines


def item_summary(item: dict) -> str:
    """What one audit item points at: a console message, an element, a URL."""
    node = item.get("node") or {}
    text = item.get("description") or node.get("snippet") or item.get("url") or item
    return str(text)[:200]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minimum", type=int, default=95)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: npm install", file=sys.stderr)
        return 1
    started = time.monotonic()
    rows, notes = [], []
    with DemoServer() as server, tempfile.TemporaryDirectory() as folder:
        print(f"Demo board on {server.url}", flush=True)
        for name, username, path in pages(server.ids):
            report = Path(folder) / "report.json"
            url = f"{server.url}{path}"
            if username is None:
                result = lighthouse(url, report)
            else:
                with SignedInChromium(server, username) as chromium:
                    result = lighthouse(url, report, port=chromium.port)
            if result.get("runtimeError"):
                print(f"{name}: {result['runtimeError']['message']}", file=sys.stderr)
                return 1
            # A sign-in that did not hold would measure the login page instead.
            measured = urlsplit(result["finalDisplayedUrl"]).path
            if measured != path:
                print(f"{name}: measured {measured}, not {path}", file=sys.stderr)
                return 1
            scores = {
                category: round(result["categories"][category]["score"] * 100)
                for category in CATEGORIES
            }
            rows.append((name, path, scores))
            notes += [f"{name}: {line}" for line in lost_points(result)]
            version = result["lighthouseVersion"]
            browser = result["environment"]["hostUserAgent"]
    header = " | ".join(CATEGORIES.values())
    print(f"\n| Page | Path | {header} |")
    print("|---|---|" + "---:|" * len(CATEGORIES))
    for name, path, scores in rows:
        figures = " | ".join(str(scores[category]) for category in CATEGORIES)
        print(f"| {name} | `{path}` | {figures} |")
    print(f"\nLighthouse {version}, {browser}")
    print(f"{time.monotonic() - started:.0f} s")
    if notes:
        print("\nAudits that lost points:")
        for note in notes:
            print(f"  {note}")
    failing = [
        f"{name} {CATEGORIES[category]} {score}"
        for name, _path, scores in rows
        for category, score in scores.items()
        if score < args.minimum
    ]
    if failing:
        print(f"\nBelow {args.minimum}: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
