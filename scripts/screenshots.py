"""The main pages at 390 px and 1280 px, in Chinese and English, in Debian's
Chromium with demo data: ``make screenshots`` (README shows a few).

``python scripts/screenshots.py --out docs/screenshots`` writes
``<page>-<zh|en>-<390|1280>.png``. Chinese needs a CJK font (Debian's
fonts-noto-cjk). Each shot is the page's top, at most ``MAX_HEIGHT`` tall,
reduced to a 256-colour palette to keep the files small.
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from demo_server import CHROMIUM, DemoServer
from PIL import Image
from playwright.sync_api import sync_playwright

WIDTHS = {390: 844, 1280: 900}  # width: viewport height
MAX_HEIGHT = {390: 1600, 1280: 1100}
LANGUAGES = {"zh": "zh-CN", "en": "en-GB"}


def pages(ids: dict) -> list[tuple[str, str | None, str]]:
    """(name, demo username or None for a visitor, path)."""
    return [
        ("board", None, "/"),
        ("message", None, f"/messages/{ids['answered_message']}/"),
        ("official", None, f"/officials/{ids['official']}/"),
        ("stats", None, "/stats/"),
        ("login", None, "/accounts/login/"),
        ("compose", "citizen", "/messages/new/"),
        ("my-messages", "citizen", "/me/messages/"),
        ("moderation-queue", "moderator", "/moderation/"),
        ("inbox", "official", "/inbox/"),
    ]


def has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    fonts = subprocess.run(  # noqa: S603 (fontconfig's own tool)
        [fc_list, ":lang=zh"], capture_output=True, text=True
    ).stdout
    return bool(fonts.strip())


def shoot(page, path: Path, width: int) -> None:
    height = min(
        page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[width]
    )
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
        animations="disabled",
        caret="hide",
    )
    # 256 colours: flat UI colours survive, the file shrinks to about a third.
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT
        )
    small.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    if not has_cjk_font():
        print("No Chinese font: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    written = []
    with DemoServer() as server, sync_playwright() as playwright:
        print(f"Demo board on {server.url}", flush=True)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        for language, locale in LANGUAGES.items():
            tabs = {}  # a context of its own per demo user; None: a visitor
            for name, username, path in pages(server.ids):
                if username not in tabs:
                    context = browser.new_context(locale=locale)
                    if username is not None:
                        server.sign_in(context, username)
                    tabs[username] = context.new_page()
                page = tabs[username]
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(f"{server.url}{path}", wait_until="networkidle")
                    # Web fonts and charts settle after the load event.
                    page.evaluate("document.fonts.ready")
                    page.wait_for_timeout(300)
                    target = args.out / f"{name}-{language}-{width}.png"
                    shoot(page, target, width)
                    written.append(target)
            for page in tabs.values():
                page.context.close()
        browser.close()
    size = sum(path.stat().st_size for path in written)
    print(
        f"{len(written)} screenshots in {args.out}/ ({size / 1024:,.0f} KiB) "
        f"in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
