"""The statistics page's charts (static/js/stats-charts.js with the vendored
Chart.js) in a real Chromium, on a desktop and on a 360px phone: every chart
draws, under the site's CSP, without a console error, and the page never
scrolls sideways. Bad data or a missing Chart.js leaves the tables alone and
throws nothing.

The page is a static fixture (tests/browser/fixtures/stats_charts.html) with
the markup the /stats/ template uses, served from the repository root by a
small http.server in this process, so no database is needed."""

import functools
import re
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = "/tests/browser/fixtures/stats_charts.html"
# Looked at by hand after a change: /tmp/stats-charts-*.png
SHOTS = Path(tempfile.gettempdir())
CANVASES = ("chart-trend", "chart-response-days", "chart-satisfaction")
DRAWN = ", ".join(f'canvas#{name}[data-drawn="true"]' for name in CANVASES)
DATA_BLOCK = re.compile(
    r'(<script type="application/json" id="stats-chart-data">).*?(</script>)',
    re.DOTALL,
)

# Records every CSP violation the page reports.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.effectiveDirective + " " + event.blockedURI);
});
"""


def site_csp():
    """The site's own policy, less its reporting (nothing here receives reports)."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(
        f"{name} {' '.join(values)}"
        for name, values in directives.items()
        if name not in ("report-uri", "report-to")
    )


class _Handler(SimpleHTTPRequestHandler):
    csp = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # quiet test output
        pass


@pytest.fixture(scope="module")
def static_server():
    handler = functools.partial(_Handler, directory=str(ROOT))
    _Handler.csp = site_csp()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_stats(browser, static_server):
    """Opens the fixture at a width; returns (page, problems) where problems
    collects console errors and uncaught exceptions."""
    contexts = []

    def open_(width, height=900, reduced_motion="no-preference", route=None):
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": width, "height": height},
            is_mobile=width < 600,
            has_touch=width < 600,
            reduced_motion=reduced_motion,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(WATCH_CSP)
        problems = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"),
        )
        page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
        if route:
            route(page)
        page.goto(static_server + FIXTURE, wait_until="load")
        return page, problems

    yield open_
    for context in contexts:
        context.close()


def settle(page):
    """Two animation frames: Chart.js paints in one."""
    page.evaluate(
        "() => new Promise((done) =>"
        " requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def assert_all_drawn(page, problems):
    page.wait_for_selector(DRAWN, state="attached")
    for name in CANVASES:
        box = page.locator(f"#{name}").bounding_box()
        assert box and box["width"] > 100 and box["height"] >= 200, (name, box)
        assert page.evaluate(f"() => Boolean(Chart.getChart('{name}'))"), name
    assert page.evaluate("() => window.__violations") == []
    assert problems == []


def test_charts_draw_on_a_desktop(open_stats):
    page, problems = open_stats(1280)
    assert_all_drawn(page, problems)

    # Bars of received and replied, the reply rate as % on its own 0–100 axis.
    trend = page.evaluate(
        """() => {
          const chart = Chart.getChart('chart-trend');
          return {
            datasets: chart.data.datasets.map((d) => [d.type, d.label, d.yAxisID]),
            rates: chart.data.datasets[0].data,
            y1: [chart.scales.y1.min, chart.scales.y1.max],
            legend: chart.options.plugins.legend.position,
            ticks: chart.scales.x.ticks.length,
          };
        }"""
    )
    assert trend["datasets"] == [
        ["line", "答复率", "y1"],
        ["bar", "收到", "y"],
        ["bar", "已答复", "y"],
    ]
    assert trend["rates"][:2] == [81.6, 82]
    assert trend["rates"][5] is None  # a month with nothing received
    assert trend["y1"] == [0, 100]
    assert trend["legend"] == "bottom"
    assert trend["ticks"] == 12  # every month fits on a desktop

    # The doughnut's tooltip gives the share: 402 of 573.
    tooltip = page.evaluate(
        """() => Chart.getChart('chart-satisfaction').options.plugins.tooltip
             .callbacks.label({label: '满意', parsed: 402, formattedValue: '402'})"""
    )
    assert tooltip == "满意: 402 (70.2%)"
    days = page.evaluate(
        "() => Chart.getChart('chart-response-days').data.datasets.map((d) => d.label)"
    )
    assert days == ["首次答复", "最终答复"]

    page.wait_for_timeout(600)  # let the opening animation finish
    page.screenshot(path=SHOTS / "stats-charts-1280.png", full_page=True)
    assert problems == []


def test_charts_fit_a_360px_phone(open_stats):
    page, problems = open_stats(360, height=740)
    assert_all_drawn(page, problems)
    settle(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    # Fewer month labels on a phone, none of them slanted.
    ticks = page.evaluate(
        "() => { const x = Chart.getChart('chart-trend').scales.x;"
        " return [x.ticks.length, x.labelRotation]; }"
    )
    assert 0 < ticks[0] <= 6 and ticks[1] == 0, ticks
    # The wide ranking table scrolls inside its own box.
    overflow = page.evaluate(
        "() => { const box = document.querySelector('.table-scroll');"
        " return [box.scrollWidth > box.clientWidth,"
        " getComputedStyle(box).overflowX]; }"
    )
    assert overflow == [True, "auto"]
    page.wait_for_timeout(600)
    page.screenshot(path=SHOTS / "stats-charts-360.png", full_page=True)
    page.locator(".stats-charts").screenshot(path=SHOTS / "stats-charts-360-charts.png")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert problems == []


def test_reduced_motion_turns_animation_off(open_stats):
    page, problems = open_stats(1280, reduced_motion="reduce")
    assert_all_drawn(page, problems)
    animations = page.evaluate(
        f"() => {list(CANVASES)!r}.map((id) => Chart.getChart(id).options.animation)"
    )
    assert animations == [False, False, False]


def _serve_with_data(text):
    def route(page):
        def fulfil(route_):
            response = route_.fetch()
            body = DATA_BLOCK.sub(
                lambda m: m.group(1) + text + m.group(2), response.text()
            )
            route_.fulfill(response=response, body=body)

        page.route("**" + FIXTURE, fulfil)

    return route


@pytest.mark.parametrize(
    "data", ["{not json", "", "[1, 2, 3]", "null", '"a string"'], ids=repr
)
def test_invalid_data_draws_nothing_and_throws_nothing(open_stats, data):
    page, problems = open_stats(1280, route=_serve_with_data(data))
    settle(page)
    page.wait_for_timeout(300)
    assert page.evaluate("() => typeof Chart") == "function"
    assert page.locator("canvas[data-drawn]").count() == 0
    for name in CANVASES:
        assert page.evaluate(f"() => Chart.getChart('{name}') === undefined"), name
    assert problems == []


def test_odd_parts_of_the_data_skip_only_their_chart(open_stats):
    data = (
        '{"labels": {}, "trend": "oops", "response_days": {"buckets": ["0", "1"],'
        ' "first": [1, "x"], "final": null}, "satisfaction": {"satisfied": 3}}'
    )
    page, problems = open_stats(1280, route=_serve_with_data(data))
    for name in ("chart-response-days", "chart-satisfaction"):
        page.wait_for_selector(f'canvas#{name}[data-drawn="true"]', state="attached")
    settle(page)
    assert page.locator("#chart-trend[data-drawn]").count() == 0
    counts = page.evaluate(
        "() => Chart.getChart('chart-response-days').data.datasets.map((d) => d.data)"
    )
    assert counts == [[1, 0], [0, 0]]
    assert problems == []


def test_without_chartjs_the_page_still_works(open_stats):
    def block_chartjs(page):
        page.route("**/chart.umd.min.js", lambda route_: route_.abort())

    page, problems = open_stats(360, route=block_chartjs)
    settle(page)
    assert page.evaluate("() => typeof window.Chart") == "undefined"
    assert page.locator("canvas[data-drawn]").count() == 0
    # Only the blocked file's own load failure is reported, nothing thrown.
    assert [p for p in problems if "Failed to load resource" not in p] == []
    assert page.locator(".stats-table tbody tr").count() == 3
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
