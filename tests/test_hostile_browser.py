"""A map built by the real pipeline from articles full of hostile text, in a real browser.

Every claim's sentence, title, publisher and URL carries a payload (script tags, event
handlers, ``javascript:`` URLs, broken markup), and so does the name of the input folder, which
becomes the map's title. The page is opened from file:// in Debian's Chromium with the network
cut off; every claim is clicked. No payload may run (each would set ``window.__pwned`` or open
a dialog), none may raise an error, and each popup must show the text literally.

Skipped when Chromium or Playwright is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from browser_support import CHROMIUM
from browser_support import need_browser as _need_browser

from frontmap.config import Config
from frontmap.pipeline import run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MAP = "window[document.querySelector('.folium-map').id]"

FOLDER_NAME = "<img src=x onerror=window.__pwned=98>"  # becomes the map's title
ARTICLES = {
    "a.txt": """title: <script>window.__pwned=1</script>Title
date: 2023-07-07
source: <img src=x onerror="window.__pwned=2;alert(2)">Wire
url: javascript:window.__pwned=3

Russian forces attacked Kherson <script>window.__pwned=4;alert(4)</script> on Tuesday, the general staff said.
""",
    "b.html": """<html><head><title>&lt;svg onload=window.__pwned=5&gt; page</title>
<meta property="og:site_name" content="&lt;img src=x onerror=window.__pwned=6&gt;Post">
<meta property="article:published_time" content="2023-07-08">
<script>window.__pwned=60</script></head><body onload="window.__pwned=61">
<article><p>Ukrainian troops advanced near Izium &lt;svg onload=window.__pwned=7&gt; on Monday, a spokesman for \
the eastern group of forces said.</p></article>
<img src=x onerror="window.__pwned=62"></body></html>
""",
    "c.json": json.dumps({
        "title": "</script><script>window.__pwned=8</script>",
        "text": "Russia's defence ministry said its forces repelled an attack near Lyman "
                "\"><b onmouseover=window.__pwned=9>hover</b> on Wednesday.",
        "url": "https://example.org/ok\"><script>window.__pwned=10</script>",
        "source": {"name": "<iframe src=javascript:window.__pwned=11>"},
        "publishedAt": "2023-07-08",
    }),
    "d.md": "Russian artillery struck Mykolaiv ${window.__pwned=12} `x` <!-- overnight, regional officials said.\n",
    "e.txt": """date: 2023-07-09
source: Test Wire

Ukrainian forces repelled an attack near Vuhledar <a href="javascript:window.__pwned=13">click</a> \
<style>*{display:none}</style>, the army said.
""",
}


@dataclass
class Built:
    """The map the pipeline drew, and the claims it drew it from."""

    map: Path
    claims: list[dict[str, Any]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("in") / FOLDER_NAME
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    summary = run(folder, out, config=Config(cache=False))
    assert summary.failed == 0 and summary.articles == len(ARTICLES)
    claims = json.loads((out / "claims.geojson").read_text(encoding="utf-8"))["features"]
    # One claim an article, each at its own place, so that no popup is shared.
    assert sorted(c["properties"]["article"] for c in claims) == sorted(ARTICLES)
    assert len({tuple(c["geometry"]["coordinates"]) for c in claims}) == len(claims)
    return Built(out / "map.html", claims)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Session:
    page: Page
    network: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions
    console: list[str] = field(default_factory=list)  # console errors

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


@pytest.fixture
def session(browser: Browser, built: Built, request: pytest.FixtureRequest) -> Iterator[Session]:
    from playwright.sync_api import ConsoleMessage, Dialog, Route

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    opened = Session(page)

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://", "https://")):
            opened.network.append(url)
            route.abort()
        else:
            route.continue_()

    def on_dialog(dialog: Dialog) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            opened.console.append(message.text)

    page.route("**/*", guard)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("console", on_console)
    page.goto(built.map.as_uri())
    page.wait_for_function("() => window.__frontmapReady === true")
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    page.close()


def test_every_popup_shows_its_payloads_as_text_and_nothing_runs(session: Session, built: Built) -> None:
    page = session.page
    for claim in built.claims:
        props = claim["properties"]
        lon, lat = claim["geometry"]["coordinates"]
        # Centred first: near the edge a symbol can sit under the legend or the title box.
        page.evaluate(f"([lat, lon]) => {MAP}.setView([lat, lon], {MAP}.getZoom(), {{animate: false}})", [lat, lon])
        point = page.evaluate("(id) => window.__frontmap.pointOf(id)", props["id"])
        assert point is not None, props["id"]
        page.mouse.click(point["x"], point["y"])
        popup = page.locator(".leaflet-popup-content").last
        popup.wait_for()
        assert popup.locator("[data-claim-id]").get_attribute("data-claim-id") == props["id"]
        text = popup.inner_text()
        assert popup.locator(".fm-quote").inner_text() == props["quote"]  # the sentence, literally
        assert "__pwned" in props["quote"]
        if props["source"]:
            assert props["source"] in text
        links = popup.locator("a").evaluate_all("(links) => links.map(a => a.getAttribute('href'))")
        if props["url"] and urlsplit(props["url"]).scheme in {"http", "https"}:
            assert links == [props["url"]]  # a link, its markup-like path kept inside the attribute
        elif props["url"]:
            assert links == [] and props["url"] in text  # javascript: and the like: text, never a link
        # No element came from the data: no scripts, images, frames, styles or handlers.
        # (The popup's own markup has <b>, <span>, <table>: a payload's <b> would carry its handler.)
        assert popup.locator("script, img, svg, iframe, object, embed, style, base, meta, link, form").count() == 0
        assert page.evaluate(
            "(el) => [...el.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".map(a => a.name)).filter(n => n.startsWith('on')).length", popup.element_handle()) == 0
        for href in links:
            assert urlsplit(href).scheme in {"http", "https"}, href
        # Close it: an open popup can cover the next claim's symbol.
        page.evaluate(f"() => {MAP}.closePopup()")
        page.locator(".leaflet-popup").wait_for(state="detached")
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)  # time for an injected handler to fire, if one had been made
    assert session.pwned() is None
    assert session.dialogs == []
    assert session.errors == []
    assert session.console == []
    assert session.network == []


def test_title_and_layers_show_hostile_names_as_text(session: Session, built: Built) -> None:
    title = session.page.locator(".fm-title h1").inner_text()
    assert title == f"frontmap: {FOLDER_NAME}"
    labels = [t.strip() for t in session.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert "undated" in labels  # d.md has no date: its claim is on the undated layer
    undated = [c for c in built.claims if c["properties"]["date"] is None]
    assert [c["properties"]["article"] for c in undated] == ["d.md"]
    assert session.pwned() is None and session.dialogs == [] and session.errors == []
