"""A throwaway board with demo data, served on 127.0.0.1 for the checks that
look at it in a browser (scripts/screenshots.py, scripts/lighthouse.py).

A fresh SQLite database in a temporary folder, `seed_demo`, collectstatic,
then Daphne on a free port, as `make run` serves it; everything goes away
when the ``with`` block ends. Signs the demo roles in through the login
form, as a person would.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"
DEMO_MESSAGES = 60

# The pages the checks visit need a few ids of the seeded data: a message
# with a published final reply, the demo official's page, a message in its
# inbox and one waiting for review. Read by `manage.py shell`, printed as JSON.
PICK_IDS = """
import json
from board.models import Message, Official, Reply
official = Official.objects.get(user__username="official")
answered = (
    Reply.objects.filter(status="published", is_final=True, message__is_public=True)
    .order_by("-published_at").values_list("message_id", flat=True).first()
)
inbox = (
    Message.objects.filter(addressee_official=official, status="published")
    .order_by("-published_at").values_list("pk", flat=True).first()
)
print(json.dumps({
    "answered_message": answered,
    "official": official.pk,
    "region": official.region_id,
    "inbox_message": inbox,
    "pending_message": Message.objects.filter(status="pending")
        .order_by("submitted_for_review_at").values_list("pk", flat=True).first(),
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class DemoServer:
    """``with DemoServer() as server:`` → ``server.url``, ``server.ids``."""

    def __init__(self, *, messages: int = DEMO_MESSAGES):
        self.messages = messages
        self.password = secrets.token_urlsafe(12)
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="zhitong-demo-"))
        self.process = None
        self.ids = {}
        self.env = {
            key: value
            for key, value in os.environ.items()
            # Self-contained: none of the machine's databases or Redis.
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            {
                # A development server as `make run` serves it (Makefile).
                "DJANGO_DEBUG": "1",
                "DATABASE_URL": f"sqlite:///{self.folder / 'demo.sqlite3'}",
                "STATIC_ROOT": str(self.folder / "static"),
                "MEDIA_ROOT": str(self.folder / "media"),
                "SITE_URL": self.url,
                # A check loads the same pages many times from one address.
                "RATE_LIMITS": "off",
            }
        )

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (this project's manage.py)
            [str(BIN / "python"), "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def __enter__(self) -> "DemoServer":
        try:
            self.manage("migrate", "--noinput", "--verbosity", "0")
            self.manage(
                "seed_demo",
                "--password",
                self.password,
                "--messages",
                str(self.messages),
            )
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
            self.ids = json.loads(self.manage("shell", "-c", PICK_IDS).splitlines()[-1])
            self.process = subprocess.Popen(  # noqa: S603 (daphne of this venv)
                [
                    str(BIN / "daphne"),
                    "-b",
                    HOST,
                    "-p",
                    str(self.port),
                    "config.asgi:application",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=open(self.folder / "daphne.log", "w"),  # noqa: SIM115
            )
            self.wait_until_serving()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def wait_until_serving(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited: {self.log_tail()}")
            try:
                # Our own http:// address.
                with urllib.request.urlopen(f"{self.url}/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise TimeoutError(f"Daphne did not answer on {self.url}: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.folder / "daphne.log"
        return log.read_text()[-2000:] if log.exists() else ""

    def __exit__(self, *exc_info) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def sign_in(self, context, username: str) -> None:
        """Signs ``username`` in, in a Playwright browser context, through the
        login form."""
        page = context.new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.locator("input[name=login]").fill(username)
        page.locator("input[name=password]").fill(self.password)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.close()
