"""A big map in a real browser: 20,000 made-up claims counted in cells, in Debian's Chromium.

Skipped like test_browser.py when Chromium or Playwright is missing (a failure under CI=true).
One page serves the module (loading it is the slow part); each test puts it back as it found it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from frontmap.config import Config
from frontmap.render import render_map
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _need_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

TOWNS = (
    ("Bakhmut", 48.595, 38.0),
    ("Avdiivka", 48.139, 37.75),
    ("Robotyne", 47.443, 35.839),
    ("Kupiansk", 49.711, 37.616),
    ("Krynky", 46.731, 33.089),
)
SIDES = ("Ukraine", "Russia", "third party")
ACTIONS = ("advance", "capture", "attack", "repel", "strike", "hold")
DATES = [f"2024-03-{d:02d}" for d in range(1, 11)]
EVIL = '<img src=x onerror="window.__pwned=1">Evilivka'
MAP = "window[document.querySelector('.folium-map').id]"


def _claims(count: int) -> list[dict[str, Any]]:
    rng = random.Random(11)
    out = []
    for i in range(count):
        town, lat, lon = rng.choice(TOWNS)
        props = {
            "id": f"c{i:05d}",
            "date": rng.choice(DATES),
            "claimant": rng.choice(SIDES),
            "action": rng.choice(ACTIONS),
            "place": town,
            "place_name": town,
            "place_id": f"geonames:{town}",
            "verification": "unverified",
            "contested": rng.random() < 0.1,
            "quote": f"A made-up sentence number {i}.",
        }
        where = [round(lon + rng.uniform(-0.05, 0.05), 5), round(lat + rng.uniform(-0.05, 0.05), 5)]
        out.append({"type": "Feature", "id": props["id"], "geometry": {"type": "Point", "coordinates": where},
                    "properties": props})  # fmt: skip
    # A small hamlet far from the rest with three claims, one of them with a hostile name and id.
    for i, (cid, name) in enumerate([("h1", "Smallivka"), ("h2", "Smallivka"), ('<b id="x">h3</b>', EVIL)]):
        props = {"id": cid, "date": DATES[i], "claimant": "Russia", "action": "strike", "place": name,
                 "place_name": name, "place_id": "geonames:small", "quote": "Made up."}  # fmt: skip
        out.append({"type": "Feature", "id": cid, "geometry": {"type": "Point", "coordinates": [30.5, 50.45]},
                    "properties": props})  # fmt: skip
    return out


CLAIMS = _claims(20_000)
BY_SIDE = Counter(c["properties"]["claimant"] for c in CLAIMS)
BY_DATE = Counter(c["properties"]["date"] for c in CLAIMS)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    _need_browser()
    from playwright.sync_api import Route, sync_playwright

    html = render_map(
        {"type": "FeatureCollection", "features": CLAIMS},
        {"type": "FeatureCollection", "features": []},
        {"type": "FeatureCollection", "features": []},
        title="Big map",
        as_of=DATES[-1],
        config=Config(),
    )
    path = tmp_path_factory.mktemp("cells") / "map.html"
    path.write_text(html, encoding="utf-8")
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        opened = browser.new_page(viewport={"width": 1280, "height": 800})
        problems: list[str] = []

        def guard(route: Route) -> None:
            if route.request.url.startswith(("http://", "https://")):
                problems.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        opened.route("**/*", guard)
        opened.on("pageerror", lambda e: problems.append(str(e)))
        opened.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
        opened.goto(path.as_uri())
        opened.wait_for_function("() => window.__frontmapReady === true", timeout=15_000)
        yield opened
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / "test_browser_cells.png"))
        assert problems == [] and opened.evaluate("() => window.__pwned") is None
        browser.close()


def discs(page: Page) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = page.evaluate(
        "() => { window.__frontmap.redraw(); return window.__frontmap.shown(); }"
    )
    return shown


def side_index(page: Page, name: str) -> int:
    index: int = page.evaluate("(name) => window.__frontmap.data.sides.findIndex((s) => s[0] === name)", name)
    return index


def test_the_big_map_opens_with_discs_that_count_every_claim(page: Page) -> None:
    assert page.evaluate("() => window.__frontmap.mode") == "cells"
    assert page.evaluate("() => window.__frontmap.total()") == len(CLAIMS)
    shown = discs(page)
    assert 3 <= len(shown) <= 60  # a handful of towns: a handful of discs, not 20,000 symbols
    assert sum(d["n"] for d in shown) == len(CLAIMS)  # every claim is in view on opening
    assert all(sum(d["sides"]) == d["n"] for d in shown)
    assert "counted by area" in page.locator(".fm-title").inner_text()


def test_layer_control_lists_every_date(page: Page) -> None:
    labels = [t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert labels == ["Oblasts", "Rivers and reservoirs", "Place names", *DATES]


def test_a_disc_popup_counts_its_claims_by_side_and_action(page: Page) -> None:
    disc = max(discs(page), key=lambda d: d["n"])
    page.mouse.click(disc["x"], disc["y"])
    popup = page.locator(".leaflet-popup-content .fm-cell-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert f"{disc['n']:,} claims" in text
    rows = popup.locator(".fm-cell-table tr").evaluate_all(
        "(rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent.trim()))"
    )
    sides = [name for name, _ in page.evaluate("() => window.__frontmap.data.sides")]
    by_side = {row[0]: int(row[1].replace(",", "")) for row in rows if len(row) == 3 and row[0] in sides}
    assert by_side == {name: n for name, n in zip(sides, disc["sides"], strict=True) if n}
    by_action = {row[0]: int(row[1].replace(",", "")) for row in rows if len(row) == 3 and row[0] in ACTIONS}
    assert set(by_action) <= set(ACTIONS) and sum(by_action.values()) == disc["n"]
    assert "Places" in text and "claims.geojson" in text
    page.keyboard.press("Escape")
    page.evaluate(f"() => {MAP}.closePopup()")


def test_unticking_a_side_hides_its_claims_from_every_disc(page: Page) -> None:
    russia = side_index(page, "Russia")
    box = page.locator(".fm-legend label").filter(has_text="Russia").locator("input")
    box.uncheck()
    shown = discs(page)
    assert page.evaluate("() => window.__frontmap.total()") == len(CLAIMS) - BY_SIDE["Russia"]
    assert sum(d["n"] for d in shown) == len(CLAIMS) - BY_SIDE["Russia"]
    assert all(d["sides"][russia] == 0 for d in shown)
    box.check()
    assert sum(d["n"] for d in discs(page)) == len(CLAIMS)


def test_the_time_control_counts_one_date_and_all_again(page: Page) -> None:
    page.locator(".fm-time-slider").focus()
    page.keyboard.press("ArrowRight")  # the second date alone
    assert page.evaluate("() => window.__frontmap.total()") == BY_DATE[DATES[1]]
    assert sum(d["n"] for d in discs(page)) == BY_DATE[DATES[1]]
    page.locator(".fm-time-all").click()
    assert page.evaluate("() => window.__frontmap.total()") == len(CLAIMS)


def test_search_finds_a_place_and_its_small_group_lists_the_claims_as_text(page: Page) -> None:
    page.locator(".fm-search input").fill("smalliv")
    first = page.locator(".fm-search li").first
    assert first.inner_text().startswith("Smallivka") and "2 claims" in first.inner_text()
    page.locator(".fm-search input").press("Enter")
    popup = page.locator(".leaflet-popup-content .fm-cell-popup").last
    popup.wait_for()
    items = popup.locator(".fm-cell-claims li").all_inner_texts()
    assert len(items) == 3 and "h1" in items[0] and "h2" in items[1]
    assert '<b id="x">h3</b>' in items[2] and EVIL in items[2]  # shown as text
    assert popup.locator("img, b#x").count() == 0
    page.evaluate(f"() => {MAP}.closePopup()")


def test_zooming_in_splits_a_disc(page: Page) -> None:
    page.evaluate(f"() => {MAP}.setView([48.595, 38.0], 8, {{animate: false}})")
    before = len(discs(page))
    page.evaluate(f"() => {MAP}.setView([48.595, 38.0], 13, {{animate: false}})")
    after = discs(page)
    assert len(after) > 1 and before >= 1
    assert max(d["n"] for d in after) < BY_SIDE.total() / len(TOWNS)
