"""The map in a real browser: Debian's Chromium driven by Playwright, with the network cut off.

Skipped when Chromium or Playwright is missing, except under CI=true, where that is a failure.
A screenshot of each test's page goes to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from frontmap.config import Config
from frontmap.render import render_map

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FRONTMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

HOSTILE_QUOTE = (
    'He said "<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2;alert(2)">'
    " ${window.__pwned=3} `tick` \\x41 </script><!-- and so on"
)
DATES = ["2023-07-07", "2023-07-08", "2023-07-09"]


def _claim(cid: str, lon: float, lat: float, date: str | None, **props: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": cid,
        "article": "wire.txt",
        "source": "Example Wire",
        "url": "https://news.example.org/story",
        "published": date,
        "date": date,
        "date_precision": "day",
        "claimant": "Ukraine",
        "claimant_name": "a spokesman",
        "actor": "Ukraine",
        "action": "advance",
        "place": "Testivka",
        "place_name": "Testivka",
        "admin1": "Donetsk Oblast",
        "geo_precision": 1,
        "uncertainty_km": 3.0,
        "verification": "unverified",
        "denied": False,
        "contested": False,
        "quote": f"A made-up sentence about claim {cid}.",
        "reason": "only candidate",
        "candidates": 1,
    }
    properties.update(props)
    return {
        "type": "Feature",
        "id": cid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _square(cid: str, lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
    ring.append(ring[0])
    return {
        "type": "Feature",
        "id": cid,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {},
    }


CLAIMS = [
    _claim(
        "a1", 37.90, 48.50, DATES[0], bearing_deg=200.0, anchor="Hubville", anchor_lon=38.0, anchor_lat=48.6
    ),
    _claim("a2", 37.50, 48.20, DATES[0], claimant="Russia", action="repel", contested=True),
    _claim("b1", 37.20, 47.90, DATES[1], claimant="third party", action="strike"),
    _claim(
        "hostile",
        37.00,
        48.80,
        DATES[2],
        claimant="Russia",
        action="capture",
        quote=HOSTILE_QUOTE,
        claimant_name="<svg onload=alert(3)>",
        source="<b onmouseover=alert(4)>Wire</b>",
        url="javascript:window.__pwned=5",
    ),
    _claim("u1", 36.60, 48.40, None, claimant="unknown", action="hold"),
]
AREAS = [_square("a1", 37.90, 48.50, 0.04), _square("b1", 37.20, 47.90, 0.08)]
PER_LAYER = {DATES[0]: 2, DATES[1]: 1, DATES[2]: 1, "undated": 1}


def _need_browser() -> None:
    """Skip (or, under CI=true, fail) when the browser cannot run here."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed"
    if problem is None and not Path(CHROMIUM).exists():
        problem = f"Chromium not found at {CHROMIUM}"
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def map_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = render_map(
        {"type": "FeatureCollection", "features": CLAIMS},
        {"type": "FeatureCollection", "features": AREAS},
        {"type": "FeatureCollection", "features": []},
        title='Browser test <script>window.__pwned="title"</script>',
        as_of=DATES[-1],
        config=Config(),
    )
    path = tmp_path_factory.mktemp("map") / "map.html"
    path.write_text(page, encoding="utf-8")
    return path


@dataclass
class Session:
    """An open map page and what it did."""

    page: Page
    network: list[str] = field(default_factory=list)  # http(s) requests, all refused
    requests: list[str] = field(default_factory=list)  # every request the page made
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def labels(self) -> list[str]:
        return [
            t.strip() for t in self.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        ]

    def checkbox(self, label: str) -> Any:
        return (
            self.page.locator(".leaflet-control-layers-overlays label")
            .filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
            .locator("input")
        )

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


@pytest.fixture
def session(browser: Browser, map_file: Path, request: pytest.FixtureRequest) -> Iterator[Session]:
    from playwright.sync_api import Dialog, Route

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    opened = Session(page)

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://", "https://")):
            opened.network.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.on("request", lambda r: opened.requests.append(r.url))

    def on_dialog(dialog: Dialog) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(map_file.as_uri())
    page.wait_for_function("() => window.L !== undefined && document.querySelector('.fm-claim')")
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    page.close()


def test_map_opens_offline_with_leaflet_loaded(session: Session, map_file: Path) -> None:
    assert session.page.evaluate("() => typeof window.L === 'object' && typeof L.map === 'function'")
    assert session.network == []
    assert [url for url in session.requests if not url.startswith("data:")] == [map_file.as_uri()]
    assert session.errors == []
    assert session.count(".fm-claim") == len(CLAIMS)
    assert session.page.title().startswith("Browser test <script>")
    assert session.pwned() is None and session.dialogs == []


def test_layer_control_lists_one_entry_per_date_in_order(session: Session) -> None:
    assert session.labels() == [*DATES, "undated"]
    assert session.page.locator(".leaflet-control-layers-expanded").count() == 1


def test_unticking_a_date_removes_its_features(session: Session) -> None:
    paths_before = session.count(".leaflet-overlay-pane path")
    session.checkbox(DATES[0]).uncheck()
    assert session.count(".fm-claim") == len(CLAIMS) - PER_LAYER[DATES[0]]
    assert session.page.locator('[data-claim-id="a1"]').count() == 0
    assert session.count(".leaflet-overlay-pane path") < paths_before  # its area and anchor line
    session.checkbox(DATES[0]).check()
    assert session.count(".fm-claim") == len(CLAIMS)


def test_popup_shows_the_hostile_quote_as_text_and_runs_nothing(session: Session) -> None:
    session.page.locator('.fm-claim:has([data-claim-id="hostile"])').click()
    popup = session.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert HOSTILE_QUOTE in popup.inner_text()
    assert "<svg onload=alert(3)>" in popup.inner_text()
    assert popup.locator("script, img, svg, iframe").count() == 0
    assert popup.locator("a").count() == 0  # the javascript: URL is text, not a link
    assert "javascript:window.__pwned=5" in popup.inner_text()
    session.page.wait_for_timeout(200)  # give an injected handler time to fire, if one existed
    assert session.pwned() is None
    assert session.dialogs == []
    assert session.errors == []


def test_web_url_popup_link_opens_in_new_tab_safely(session: Session) -> None:
    session.page.locator('.fm-claim:has([data-claim-id="b1"])').click()
    link = session.page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://news.example.org/story"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"


def test_time_control_steps_through_dates(session: Session) -> None:
    box = session.page.locator(".fm-time")
    assert box.get_attribute("data-selected") == "all"
    slider = session.page.locator(".fm-time-slider")
    slider.focus()
    session.page.keyboard.press("ArrowRight")  # value 0 -> 1: the second date alone
    assert box.get_attribute("data-selected") == DATES[1]
    assert session.count(".fm-claim") == PER_LAYER[DATES[1]]
    assert [session.checkbox(d).is_checked() for d in [*DATES, "undated"]] == [False, True, False, False]
    session.page.keyboard.press("ArrowRight")
    assert box.get_attribute("data-selected") == DATES[2]
    assert session.page.locator(".fm-time-label").inner_text() == DATES[2]
    session.page.locator(".fm-time-play").click()  # plays on from the selected date
    session.page.wait_for_function("() => document.querySelector('.fm-time').dataset.selected === 'undated'")
    session.page.locator(".fm-time-play").click()  # pause
    session.page.locator(".fm-time-all").click()
    assert box.get_attribute("data-selected") == "all"
    assert session.count(".fm-claim") == len(CLAIMS)
    assert all(session.checkbox(d).is_checked() for d in [*DATES, "undated"])


def test_legend_title_and_as_of_stamp_are_shown(session: Session) -> None:
    legend = session.page.locator(".fm-legend")
    assert legend.is_visible()
    for text in ("Ukraine", "Russia", "third party", "capture", "contested", "denial"):
        assert text in legend.inner_text()
    assert session.page.locator(".fm-asof").inner_text() == f"as of {DATES[-1]}"
    assert "<script>" in session.page.locator(".fm-title h1").inner_text()  # shown, not run
    assert session.page.locator(".leaflet-control-scale").count() == 1
    # The boxes do not overlap one another.
    boxes = [
        session.page.locator(sel).bounding_box()
        for sel in (".fm-title", ".fm-asof", ".fm-legend", ".fm-time", ".leaflet-control-layers")
    ]
    assert all(boxes)
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert first and second
            apart = (
                first["x"] + first["width"] <= second["x"]
                or second["x"] + second["width"] <= first["x"]
                or first["y"] + first["height"] <= second["y"]
                or second["y"] + second["height"] <= first["y"]
            )
            assert apart, (first, second)
