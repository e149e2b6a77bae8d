"""The map in a real browser: Debian's Chromium driven by Playwright, with the network cut off.

Skipped when Chromium or Playwright is missing, except under CI=true, where that is a failure.
One browser serves the whole module; each test opens the map in a fresh page and leaves a
screenshot in tests/artifacts/ (ignored by git). Every sentence here is made up for the test.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import CHROMIUM
from browser_support import need_browser as _need_browser
from shapely.geometry import Point, shape

from frontmap.config import Config
from frontmap.render import render_map
from frontmap.render.basemap import load_basemap
from frontmap.render.popup import claim_popup_html
from frontmap.render.symbols import FIXED_COLOURS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser


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
EVIL_PLACE = '<img src=x onerror="window.__pwned=6">Evilivka'
DATES = ["2023-07-07", "2023-07-08", "2023-07-09"]
MAP = "window[document.querySelector('.folium-map').id]"


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
    _claim("a1", 37.90, 48.50, DATES[0], bearing_deg=200.0, anchor="Hubville", anchor_lon=38.0, anchor_lat=48.6),
    _claim("a2", 37.50, 48.20, DATES[0], claimant="Russia", action="repel", contested=True),
    _claim("b1", 37.20, 47.90, DATES[1], claimant="third party", action="strike"),
    # b2 shares b1's spot: the popup there pages through both.
    _claim("b2", 37.20, 47.90, DATES[1], claimant="Russia", action="capture", denied=True),
    _claim("c1", 37.65, 48.05, DATES[2], action="capture", place="Zhovta Balka", place_name="Zhovtá Balka"),
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
        place="Evilivka",
        place_name=EVIL_PLACE,
    ),
    _claim("u1", 36.60, 48.40, None, claimant="unknown", action="hold", place="Oldtown", place_name="Oldtown"),
]
AREAS = [
    _square("a1", 37.90, 48.50, 0.04),
    _square("a2", 37.50, 48.20, 0.05),
    _square("b1", 37.20, 47.90, 0.08),
    _square("hostile", 37.00, 48.80, 0.03),
]
PLACES = [
    {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [36.9, 48.1]},
        "properties": {"article": "wire.txt", "name": "Myrnyi Khutir", "place_name": "Myrnyi Khutir"},
    }
]
PROPS = {c["id"]: c["properties"] for c in CLAIMS}
IDS = sorted(PROPS)
LABELS = [*DATES, "undated"]


def ids(where: Any) -> list[str]:
    """Claim ids whose properties satisfy ``where``, sorted."""
    return sorted(cid for cid, props in PROPS.items() if where(props))


def with_area(cids: list[str]) -> list[str]:
    return [cid for cid in cids if cid in {a["id"] for a in AREAS}]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _write_map(folder: Path, *, tiles: bool = False, claims: list[dict[str, Any]] = CLAIMS) -> Path:
    page = render_map(
        {"type": "FeatureCollection", "features": claims},
        {"type": "FeatureCollection", "features": AREAS},
        {"type": "FeatureCollection", "features": PLACES},
        title='Browser test <script>window.__pwned="title"</script>',
        as_of=DATES[-1],
        config=Config(tiles=tiles),
    )
    path = folder / f"map-{len(claims)}{'-tiles' if tiles else ''}.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("map")
    many = [  # one claim a day for six weeks: a layer list longer than the window has room for
        _claim(f"d{i:02d}", 36.5 + i * 0.03, 48.0 + (i % 7) * 0.05, f"2023-08-{1 + i % 31:02d}" if i < 31
               else f"2023-09-{i - 30:02d}")
        for i in range(42)
    ]  # fmt: skip
    return {
        "plain": _write_map(folder),
        "tiles": _write_map(folder, tiles=True),
        "many": _write_map(folder, claims=many),
    }


@dataclass
class Session:
    """An open map page and what it did."""

    page: Page
    network: list[str] = field(default_factory=list)  # http(s) requests, all refused
    requests: list[str] = field(default_factory=list)  # every request the page made
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def labels(self) -> list[str]:
        return [t.strip() for t in self.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]

    def checkbox(self, label: str) -> Locator:
        return (
            self.page.locator(".leaflet-control-layers-overlays label")
            .filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
            .locator("input")
        )

    def legend_box(self, text: str) -> Locator:
        return (
            self.page.locator(".fm-legend label")
            .filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
            .locator("input")
        )

    def visible(self) -> dict[str, list[str]]:
        """Ids of the claims whose symbol, area and anchor line are on the map, sorted."""
        shown = self.page.evaluate("() => window.__frontmap.visible()")
        return {key: sorted(value) for key, value in shown.items()}

    def click_claim(self, cid: str) -> None:
        point = self.page.evaluate("(id) => window.__frontmap.pointOf(id)", cid)
        self.page.mouse.click(point["x"], point["y"])

    def popup(self) -> Locator:
        """The newest popup (a closing one may still be fading out before it)."""
        popup = self.page.locator(".leaflet-popup-content").last
        popup.wait_for()
        return popup

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


def _open(browser: Browser, path: Path, request: pytest.FixtureRequest) -> Iterator[Session]:
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
    page.goto(path.as_uri())
    page.wait_for_function("() => window.__frontmapReady === true")
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(250)  # let a popup finish fading in: the picture shows what a reader sees
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    page.close()


@pytest.fixture
def session(browser: Browser, maps: dict[str, Path], request: pytest.FixtureRequest) -> Iterator[Session]:
    yield from _open(browser, maps["plain"], request)


@pytest.fixture
def tiles_session(browser: Browser, maps: dict[str, Path], request: pytest.FixtureRequest) -> Iterator[Session]:
    yield from _open(browser, maps["tiles"], request)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    """The text of an HTML fragment without its whitespace (layout decides where that goes)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return _collapse("".join(parser.parts))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- loading --------------------------------------------------------------------------------------


def test_map_opens_offline_and_requests_nothing_beyond_its_file(session: Session, maps: dict[str, Path]) -> None:
    assert session.page.evaluate("() => typeof window.L === 'object' && typeof L.map === 'function'")
    assert session.network == []
    assert [url for url in session.requests if not url.startswith("data:")] == [maps["plain"].as_uri()]
    assert session.errors == []
    assert session.visible()["markers"] == IDS
    assert session.page.title().startswith("Browser test <script>")
    assert session.pwned() is None and session.dialogs == []


def test_online_tiles_are_offered_but_never_requested_by_default(tiles_session: Session) -> None:
    base = tiles_session.page.locator(".leaflet-control-layers-base label")
    assert [t.strip() for t in base.all_inner_texts()] == [
        "Plain (offline)",
        "OpenStreetMap (online)",
        "Satellite, Esri World Imagery (online)",
    ]
    assert base.nth(0).locator("input").is_checked()
    tiles_session.page.wait_for_timeout(300)
    assert tiles_session.network == [] and tiles_session.errors == []
    base.nth(1).locator("input").check()  # the reader's choice: now, and only now, tiles are asked for
    tiles_session.page.wait_for_timeout(300)
    assert tiles_session.network and all("tile.openstreetmap.org" in url for url in tiles_session.network)


# --- layers and time ------------------------------------------------------------------------------


def test_layer_control_lists_the_background_the_places_and_every_date_in_order(session: Session) -> None:
    assert session.labels() == ["Oblasts", "Rivers and reservoirs", "Place names", "Places mentioned", *LABELS]
    assert session.page.locator(".leaflet-control-layers-expanded").count() == 1
    assert not session.checkbox("Places mentioned").is_checked()


def test_unticking_a_date_removes_exactly_its_features(session: Session) -> None:
    session.checkbox(DATES[0]).uncheck()
    rest = ids(lambda p: p["date"] != DATES[0])
    assert session.visible() == {"markers": rest, "areas": with_area(rest), "lines": []}
    session.checkbox(DATES[0]).check()
    assert session.visible()["markers"] == IDS and session.visible()["lines"] == ["a1"]


def test_time_control_steps_through_the_dates_and_shows_all_again(session: Session) -> None:
    box = session.page.locator(".fm-time")
    assert box.get_attribute("data-selected") == "all"
    slider = session.page.locator(".fm-time-slider")
    slider.focus()
    session.page.keyboard.press("ArrowRight")  # value 0 -> 1: the second date alone
    assert box.get_attribute("data-selected") == DATES[1]
    assert session.visible()["markers"] == ids(lambda p: p["date"] == DATES[1])
    assert [session.checkbox(d).is_checked() for d in LABELS] == [False, True, False, False]
    session.page.keyboard.press("ArrowRight")
    assert box.get_attribute("data-selected") == DATES[2]
    assert session.page.locator(".fm-time-label").inner_text() == DATES[2]
    assert session.visible()["markers"] == ids(lambda p: p["date"] == DATES[2])
    session.page.keyboard.press("Home")
    assert session.visible()["markers"] == ids(lambda p: p["date"] == DATES[0])
    session.page.locator(".fm-time-play").click()  # plays on from the selected date
    session.page.wait_for_function("() => document.querySelector('.fm-time').dataset.selected === 'undated'")
    session.page.locator(".fm-time-play").click()  # pause
    session.page.locator(".fm-time-all").click()
    assert box.get_attribute("data-selected") == "all"
    assert session.visible()["markers"] == IDS
    assert all(session.checkbox(d).is_checked() for d in LABELS)


# --- filters --------------------------------------------------------------------------------------


def test_unticking_a_side_hides_exactly_that_sides_claims(session: Session) -> None:
    session.legend_box("Russia").uncheck()
    rest = ids(lambda p: p["claimant"] != "Russia")
    assert session.visible() == {"markers": rest, "areas": with_area(rest), "lines": ["a1"]}
    session.legend_box("Russia").check()
    assert session.visible()["markers"] == IDS


def test_unticking_an_action_hides_exactly_that_actions_claims(session: Session) -> None:
    session.legend_box("capture").uncheck()
    rest = ids(lambda p: p["action"] != "capture")
    assert session.visible() == {"markers": rest, "areas": with_area(rest), "lines": ["a1"]}
    session.legend_box("advance").uncheck()
    rest = ids(lambda p: p["action"] not in {"capture", "advance"})
    assert session.visible() == {"markers": rest, "areas": with_area(rest), "lines": []}


def test_filters_and_dates_combine(session: Session) -> None:
    """A claim shows only when its date, its side and its action are all switched on."""
    session.legend_box("capture").uncheck()
    session.page.locator(".fm-time-slider").focus()
    session.page.keyboard.press("ArrowRight")  # the second date alone
    assert session.visible()["markers"] == ids(lambda p: p["date"] == DATES[1] and p["action"] != "capture")
    session.legend_box("capture").check()  # back on, but still only for the date shown
    assert session.visible()["markers"] == ids(lambda p: p["date"] == DATES[1])
    session.page.locator(".fm-time-all").click()
    session.page.locator(".fm-legend button[data-fm-group='side'][data-fm-set='none']").click()
    assert session.visible()["markers"] == []
    session.legend_box("Ukraine").check()  # "only Ukraine's claims"
    assert session.visible()["markers"] == ids(lambda p: p["claimant"] == "Ukraine")
    session.page.locator(".fm-legend button[data-fm-group='side'][data-fm-set='all']").click()
    assert session.visible()["markers"] == IDS


# --- popups ---------------------------------------------------------------------------------------


def test_popup_shows_the_hostile_quote_as_text_and_runs_nothing(session: Session) -> None:
    session.click_claim("hostile")
    popup = session.popup()
    assert popup.locator(".fm-quote").inner_text() == HOSTILE_QUOTE
    assert "<svg onload=alert(3)>" in popup.inner_text()
    assert popup.locator("script, img, svg, iframe").count() == 0
    assert popup.locator("a").count() == 0  # the javascript: URL is text, not a link
    assert "javascript:window.__pwned=5" in popup.inner_text()
    # The page lays the popup out exactly as the Python side does.
    colour = dict(FIXED_COLOURS)["Russia"]
    assert _collapse(popup.inner_text()) == _text(claim_popup_html(PROPS["hostile"], colour))
    session.page.wait_for_timeout(200)  # give an injected handler time to fire, if one existed
    assert session.pwned() is None
    assert session.dialogs == []
    assert session.errors == []


def test_web_url_popup_link_opens_in_new_tab_safely(session: Session) -> None:
    session.click_claim("a2")
    link = session.popup().locator("a")
    assert link.get_attribute("href") == "https://news.example.org/story"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"


def test_claims_at_one_spot_share_a_popup_that_pages_through_them(session: Session) -> None:
    session.click_claim("b1")
    popup = session.popup()
    box = popup.locator("[data-claim-id]")
    first = box.get_attribute("data-claim-id")
    assert first in {"b1", "b2"}
    assert "1 of 2 claims here" in popup.inner_text()
    popup.get_by_role("button", name="Next claim here").click()
    second = box.get_attribute("data-claim-id")
    assert {first, second} == {"b1", "b2"}
    assert PROPS[str(second)]["quote"] in popup.inner_text()
    assert "2 of 2 claims here" in popup.inner_text()


# --- orientation ----------------------------------------------------------------------------------


def test_legend_title_as_of_search_and_tools_are_shown_without_overlapping(session: Session) -> None:
    legend = session.page.locator(".fm-legend")
    assert legend.is_visible()
    for text in ("Ukraine", "Russia", "third party", "capture", "contested", "denial"):
        assert text in legend.inner_text()
    assert session.page.locator(".fm-asof").inner_text() == f"as of {DATES[-1]}"
    assert "<script>" in session.page.locator(".fm-title h1").inner_text()  # shown, not run
    assert session.page.locator(".leaflet-control-scale").count() == 1
    for width, height in ((1280, 800), (1024, 680)):
        session.page.set_viewport_size({"width": width, "height": height})
        session.page.wait_for_timeout(150)  # Leaflet hears the resize and the layer list is refitted
        _assert_apart(session.page)


def test_a_long_date_list_scrolls_instead_of_running_into_the_legend(
    browser: Browser, maps: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    for opened in _open(browser, maps["many"], request):
        assert len(opened.labels()) == 4 + 42  # background, names and places, then every date
        for width, height in ((1280, 800), (1024, 680)):
            opened.page.set_viewport_size({"width": width, "height": height})
            opened.page.wait_for_timeout(150)
            _assert_apart(opened.page)
        scrolls = opened.page.evaluate(
            "() => { const l = document.querySelector('.leaflet-control-layers-expanded');"
            " return l.scrollHeight > l.clientHeight; }"
        )
        assert scrolls


def _assert_apart(page: Page) -> None:
    """The boxes on the map do not overlap one another."""
    selectors = (
        ".fm-title",
        ".fm-asof",
        ".fm-search",
        ".fm-legend",
        ".fm-time",
        ".leaflet-control-layers",
        ".leaflet-control-zoom",
        ".fm-measure",
        ".leaflet-control-scale",
    )
    boxes = [page.locator(sel).bounding_box() for sel in selectors]
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
            assert apart, (selectors[boxes.index(first)], selectors[boxes.index(second)], first, second)


def test_search_finds_a_place_without_its_accent_and_opens_its_claim(session: Session) -> None:
    search = session.page.locator(".fm-search input")
    search.fill("zhovta")
    results = session.page.locator(".fm-search li")
    assert results.first.inner_text().startswith("Zhovtá Balka")
    assert f"1 claim, {DATES[2]}" in results.first.inner_text()
    search.press("Enter")
    popup = session.popup()
    assert PROPS["c1"]["quote"] in popup.inner_text()
    assert session.page.evaluate(f"() => {MAP}.getBounds().contains([48.05, 37.65])")
    assert session.page.evaluate(f"() => {MAP}.getZoom()") >= 10


def test_search_shows_a_hostile_place_name_as_text(session: Session) -> None:
    search = session.page.locator(".fm-search input")
    search.fill("evilivka")
    names = session.page.locator(".fm-search li b")
    assert names.all_inner_texts() == ["Evilivka", EVIL_PLACE]  # as written first (a prefix match)
    assert "for " + EVIL_PLACE in session.page.locator(".fm-search li").first.inner_text()
    assert session.page.locator(".fm-search img").count() == 0
    result = session.page.locator(".fm-search li").nth(1)
    result.click()
    assert EVIL_PLACE in session.popup().inner_text()
    session.page.wait_for_timeout(200)
    assert session.pwned() is None and session.dialogs == [] and session.errors == []


def test_search_finds_hidden_claims_reference_places_oblasts_and_rivers(session: Session) -> None:
    search = session.page.locator(".fm-search input")
    session.legend_box("unknown").uncheck()
    search.fill("OLDT")
    session.page.locator(".fm-search li").first.click()
    assert "Hidden by the dates or filters" in session.popup().inner_text()
    search.fill("hubv")
    assert session.page.locator(".fm-search li").first.inner_text().startswith("Hubville")
    search.fill("myrnyi")
    assert "mentioned in an article" in session.page.locator(".fm-search li").first.inner_text()
    search.fill("dniep")
    assert session.page.locator(".fm-search li").first.inner_text().startswith("Dnieper")
    search.fill("donetsk")
    session.page.locator(".fm-search li").filter(has_text="Donetsk Oblast").first.click()
    assert "Donetsk Oblast" in session.popup().inner_text()
    bounds = session.page.evaluate(f"() => {MAP}.getBounds().toBBoxString()")
    west, south, east, north = (float(v) for v in bounds.split(","))
    assert south < 47.5 and north > 49.0 and west < 37.0 and east > 38.5  # the whole oblast in view
    search.fill("no such place anywhere")
    assert session.page.locator(".fm-search li").count() == 0


def test_measuring_tool_gives_the_great_circle_distance_in_km(session: Session) -> None:
    session.page.locator(".fm-measure-toggle").click()
    assert session.page.locator(".fm-measure-toggle").get_attribute("aria-pressed") == "true"
    corner = session.page.locator(".folium-map").bounding_box()
    assert corner
    clicks = [(560, 380), (760, 380), (760, 520)]
    for x, y in clicks:
        session.page.mouse.click(corner["x"] + x, corner["y"] + y)
    points = [session.page.evaluate(f"([x, y]) => {MAP}.containerPointToLatLng([x, y])", [x, y]) for x, y in clicks]
    expected = sum(_haversine(a, b) for a, b in itertools.pairwise(points))
    shown = float(session.page.locator(".fm-measure").get_attribute("data-km") or "nan")
    assert abs(shown - expected) < 1e-3
    assert session.page.locator(".fm-measure-km").inner_text().endswith(" km")
    assert session.page.locator(".leaflet-popup").count() == 0  # clicks measured, nothing opened
    measure = session.page.locator(".fm-measure")
    session.page.mouse.dblclick(corner["x"] + 760, corner["y"] + 520)  # ends the line, keeps it
    assert measure.get_attribute("data-state") == "done"
    assert abs(float(measure.get_attribute("data-km") or "nan") - expected) < 1e-3
    session.page.mouse.click(corner["x"] + 500, corner["y"] + 500)  # no longer measured
    assert abs(float(measure.get_attribute("data-km") or "nan") - expected) < 1e-3
    session.page.keyboard.press("Escape")
    assert session.page.locator(".fm-measure-toggle").get_attribute("aria-pressed") == "false"
    session.click_claim("a2")  # claims answer clicks again
    session.popup()


def _haversine(a: dict[str, float], b: dict[str, float]) -> float:
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in (a["lat"], a["lng"], b["lat"], b["lng"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_resting_the_mouse_on_an_oblast_names_it(session: Session) -> None:
    # A spot inside the map, clear of the boxes and at least 60 px from any claim.
    spot = session.page.evaluate(
        """() => {
            const map = window[document.querySelector('.folium-map').id];
            const api = window.__frontmap, size = map.getSize();
            const claims = api.visible().markers.map((id) => map.latLngToContainerPoint(
                api.records.find((r) => r.row[0] === id).marker.getLatLng()));
            for (let y = 200; y < size.y - 150; y += 20) {
                for (let x = 300; x < size.x - 350; x += 20) {
                    if (claims.every((c) => Math.hypot(c.x - x, c.y - y) > 60)) {
                        const at = map.containerPointToLatLng([x, y]);
                        return {x: x, y: y, lat: at.lat, lng: at.lng};
                    }
                }
            }
            return null;
        }"""
    )
    assert spot
    corner = session.page.locator(".folium-map").bounding_box()
    assert corner
    session.page.mouse.move(corner["x"] + spot["x"], corner["y"] + spot["y"])
    tip = session.page.locator(".fm-area-tip")
    tip.wait_for(timeout=3000)
    where = Point(spot["lng"], spot["lat"])
    basemap = load_basemap()
    waters = [*basemap.rivers["features"], *basemap.lakes["features"]]
    oblast = next(f["properties"]["name"] for f in basemap.oblasts["features"] if shape(f["geometry"]).contains(where))
    near_water = [f["properties"]["name"] for f in waters if shape(f["geometry"]).distance(where) < 0.1]
    assert tip.inner_text().startswith(oblast) or any(tip.inner_text().startswith(n) for n in near_water)


def test_place_names_label_the_claims_places_and_can_be_switched_off(session: Session) -> None:
    drawn = session.page.evaluate("() => window.__frontmap.labels.shown")
    assert drawn >= 3  # Testivka, Zhovtá Balka, Oldtown, Hubville: no two of them overlap here
    assert session.page.locator("canvas.fm-label-canvas").count() == 1
    session.checkbox("Place names").uncheck()
    assert session.page.locator("canvas.fm-label-canvas").count() == 0


def test_places_overlay_shows_the_resolved_places_with_popups(session: Session) -> None:
    session.checkbox("Places mentioned").check()
    point = session.page.evaluate(f"() => {MAP}.latLngToContainerPoint([48.1, 36.9])")
    corner = session.page.locator(".folium-map").bounding_box()
    assert corner
    session.page.mouse.click(corner["x"] + point["x"], corner["y"] + point["y"])
    assert "Myrnyi Khutir" in session.popup().inner_text()
    assert json.dumps(session.errors) == "[]"
