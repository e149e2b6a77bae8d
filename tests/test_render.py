"""The HTML map, read as text: layers per date, escaping, determinism, no network.

Every sentence here is made up for the test.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from folium.template import tojavascript
from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.config import Config
from frontmap.geometry import circle
from frontmap.render import AssetError, find_remote_assets, render_map
from frontmap.render.assets import leaflet_css, leaflet_js
from frontmap.render.basemap import Basemap, basemap_dir, load_basemap
from frontmap.render.core import claim_points, group_by_date
from frontmap.render.data import AREA_SCALE, encode_area, fold, script_json
from frontmap.render.popup import (
    PopupParts,
    claim_popup_html,
    esc,
    is_web_url,
    layout_claim_popup,
    link_or_text,
    place_popup_html,
)
from frontmap.render.symbols import Mark, claimant_palette, marker_svg
from frontmap.resources import data_dir

HOSTILE_QUOTE = (
    'They said "<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    " ${window.__pwned=3} `tick` \\x41 </script><!-- done"
)


def claim(cid: str, lon: float, lat: float, date: str | None, **props: Any) -> dict[str, Any]:
    """A claim Feature with the contract's properties; ``props`` override the defaults."""
    properties: dict[str, Any] = {
        "id": cid,
        "article": "wire.txt",
        "source": "Example Wire",
        "url": "https://news.example.org/story",
        "published": date,
        "date": date,
        "date_precision": "day" if date else None,
        "claimant": "Ukraine",
        "claimant_name": "the general staff",
        "actor": "Ukraine",
        "action": "advance",
        "place": "Testivka",
        "place_id": "geonames:1",
        "place_name": "Testivka",
        "admin1": "Donetsk Oblast",
        "anchor": None,
        "anchor_id": None,
        "direction": None,
        "bearing_deg": None,
        "distance_km": None,
        "distance_min_km": None,
        "distance_max_km": None,
        "distance_text": None,
        "geo_precision": 1,
        "uncertainty_km": 2.0,
        "verification": "unverified",
        "denied": False,
        "contested": False,
        "quote": f"A made-up sentence about claim {cid}.",
        "reason": "only candidate",
        "candidates": 1,
        "anchor_lon": None,
        "anchor_lat": None,
    }
    properties.update(props)
    return {
        "type": "Feature",
        "id": cid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def square(cid: str, lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {
        "type": "Feature",
        "id": cid,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"id": cid},
    }


def fc(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def render(
    claims: list[dict[str, Any]],
    areas: list[dict[str, Any]] | None = None,
    places: list[dict[str, Any]] | None = None,
    *,
    title: str = "Test map",
    as_of: str | None = "2023-07-09",
    tiles: bool = False,
    basemap: Basemap | None = None,
) -> str:
    return render_map(
        fc(*claims),
        fc(*(areas or [])),
        fc(*(places or [])),
        title=title,
        as_of=as_of,
        config=Config(tiles=tiles),
        basemap=basemap,
    )


MIXED = [
    claim("b", 37.6, 48.1, "2023-07-09", claimant="Russia", action="capture"),
    claim(
        "a",
        37.9,
        48.5,
        "2023-07-07",
        bearing_deg=200.0,
        direction="SSW",
        anchor="Hubville",
        anchor_lon=38.0,
        anchor_lat=48.6,
        distance_text="more than a kilometre",
        distance_km=1.0,
        distance_min_km=1.0,
        geo_precision=2,
    ),
    claim("u", 36.9, 48.9, None, claimant="unknown", action="hold"),
    claim("c", 37.2, 47.9, "2023-07-08", claimant="third party", action="strike", contested=True),
    claim("d", 37.3, 47.8, "2023-07-08", claimant="Russia", action="repel", denied=True),
]


BASE_OVERLAYS = ["Oblasts", "Rivers and reservoirs"]
OTHER_OVERLAYS = ["Place names", "Places mentioned"]


def overlays(page: str) -> list[tuple[str, str]]:
    """(label, JS variable) of the layer control's overlays, in order."""
    block = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page, re.DOTALL)
    assert block, "no layer control in the page"
    return re.findall(r'"((?:[^"\\]|\\.)*)" : (\w+),', block.group(1))


def date_overlays(page: str) -> list[tuple[str, str]]:
    """The overlays that are date layers (everything but the background and the places)."""
    return [(label, var) for label, var in overlays(page) if label not in [*BASE_OVERLAYS, *OTHER_OVERLAYS]]


def map_data(page: str) -> dict[str, Any]:
    """The claims document that frontmap.js builds the layers from."""
    found = re.search(r'<script type="application/json" id="claim_layers_\d+_data">(.*?)</script>', page, re.S)
    assert found, "no claims document in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def claim_layer_vars(page: str) -> list[str]:
    """The date layers handed to frontmap.claims, in the order of the document's date indices."""
    call = re.search(r"frontmap\.claims\(\s*\w+,\s*\S+,\s*\[(.*?)\]", page, re.DOTALL)
    assert call
    return re.findall(r"\w+", call.group(1))


def markers_per_layer(page: str) -> dict[str, int]:
    layers = claim_layer_vars(page)
    counts: dict[str, int] = {}
    for row in map_data(page)["claims"]:
        counts[layers[row[3]]] = counts.get(layers[row[3]], 0) + 1
    return counts


def claim_rows(page: str) -> dict[str, list[Any]]:
    return {row[0]: row for row in map_data(page)["claims"]}


def popup_strings(page: str) -> dict[str, str]:
    """Each claim's popup HTML, laid out from the document as frontmap.js lays it out."""
    data = map_data(page)
    html_of = data["html"]
    popups = {}
    for row in data["claims"]:
        head, quote, *values = (html_of[i] for i in row[11])
        parts = PopupParts(head=head, quote=quote, values=tuple(values))
        popups[row[0]] = layout_claim_popup(parts, data["sides"][row[4]][1])
    return popups


def decode_area(polygons: list[list[list[int]]]) -> list[list[list[float]]]:
    """A document area back to [[[lat, lon], ...], ...] (decodeArea in frontmap.js)."""
    out = []
    for rings in polygons:
        decoded = []
        for flat in rings:
            lat = lon = 0
            ring = []
            for i in range(0, len(flat), 2):
                lat += flat[i]
                lon += flat[i + 1]
                ring.append([lat / AREA_SCALE, lon / AREA_SCALE])
            decoded.append(ring)
        out.append(decoded)
    return out


def page_without_leaflet(page: str) -> str:
    """The page minus the inlined Leaflet bundle, whose source has a link in an attribution string."""
    page = re.sub(r'<script id="frontmap-leaflet-js">.*?</script>', "", page, flags=re.DOTALL)
    return re.sub(r'<style id="frontmap-leaflet-css">.*?</style>', "", page, flags=re.DOTALL)


class Tags(HTMLParser):
    """Collects start tags with their attributes, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> Tags:
    parser = Tags()
    parser.feed(fragment)
    parser.close()
    return parser


# --- layers ---------------------------------------------------------------------------------------


def test_one_layer_per_date_in_date_order_with_undated_last() -> None:
    page = render(MIXED)
    assert [label for label, _ in overlays(page)] == [
        *BASE_OVERLAYS,
        "Place names",
        "2023-07-07",
        "2023-07-08",
        "2023-07-09",
        "undated",
    ]
    assert claim_layer_vars(page) == [var for _, var in date_overlays(page)]
    counts = markers_per_layer(page)
    assert [counts.get(var, 0) for _, var in date_overlays(page)] == [1, 2, 1, 1]


def test_no_undated_layer_when_every_claim_has_a_date() -> None:
    page = render([c for c in MIXED if c["properties"]["date"]])
    assert "undated" not in [label for label, _ in overlays(page)]


def test_time_control_steps_over_the_date_layers_in_order() -> None:
    page = render(MIXED)
    call = re.search(r"frontmap\.timeControl\((.*?)\);", page, re.DOTALL)
    assert call
    steps = re.findall(r'\["((?:[^"\\]|\\.)*)", (\w+)\]', call.group(1))
    assert steps == date_overlays(page)


def test_every_claim_is_in_the_document_once_with_its_date_side_and_action() -> None:
    data = map_data(render(MIXED))
    sides = [name for name, _ in data["sides"]]
    assert sides == ["Ukraine", "Russia", "third party", "unknown"]  # legend order
    assert data["actions"] == ["advance", "capture", "repel", "strike", "hold"]
    rows = {row[0]: row for row in data["claims"]}
    assert sorted(rows) == ["a", "b", "c", "d", "u"]
    assert (sides[rows["b"][4]], data["actions"][rows["b"][5]], rows["b"][3]) == ("Russia", "capture", 2)
    assert (sides[rows["u"][4]], data["actions"][rows["u"][5]], rows["u"][3]) == ("unknown", "hold", 3)
    assert rows["b"][1:3] == [48.1, 37.6]  # [lat, lon]


def test_places_are_an_overlay_that_starts_switched_off() -> None:
    place = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [38.0, 48.6]},
        "properties": {
            "article": "wire.txt",
            "name": "Hubville",
            "place_name": "Hubville",
            "admin1": "Donetsk",
        },
    }
    page = render(MIXED, places=[place])
    ((_, places_var),) = [(label, var) for label, var in overlays(page) if label == "Places mentioned"]
    assert f"{places_var}.addTo(" not in page  # folium adds only layers shown on opening
    assert re.search(rf"frontmap\.claims\([^;]*\],\s*{places_var}\s*\)", page)
    ((lat, lon, tooltip, values),) = map_data(page)["places"]
    assert (lat, lon) == (48.6, 38.0)
    assert map_data(page)["html"][tooltip] == "Hubville"
    assert "Donetsk" in [map_data(page)["html"][i] for i in values]


def test_area_and_anchor_line_are_drawn_with_the_claim() -> None:
    page = render(MIXED, areas=[square("a", 37.9, 48.5, 0.05), square("b", 37.6, 48.1, 0.2)])
    rows = claim_rows(page)
    assert rows["a"][9] == [48.6, 38.0]  # the anchor, as [lat, lon]
    assert rows["b"][9] == 0 and rows["u"][8] == 0  # no anchor, no area
    ((ring,),) = decode_area(rows["a"][8])
    assert ring[0] == [48.45, 37.85] and ring[2] == [48.55, 37.95]
    # Widest area first, so that small areas are drawn over large ones.
    assert [row[0] for row in map_data(page)["claims"]][:2] == ["b", "a"]


def test_claims_without_a_point_are_left_out_without_error() -> None:
    broken = claim("x", 0, 0, "2023-07-07")
    broken["geometry"] = None
    odd = claim("y", 37.0, 48.0, "2023-07-07", bearing_deg="south", candidates="many", distance_km=float("nan"))
    page = render([broken, odd])
    assert [label for label, _ in date_overlays(page)] == ["2023-07-07"]
    assert sum(markers_per_layer(page).values()) == 1


def test_group_by_date_sorts_claims_by_id_whatever_the_input_order() -> None:
    points = claim_points(fc(*reversed(MIXED)))
    groups = group_by_date(points)
    assert [label for label, _ in groups][-1] == "undated"
    assert [p.id for p in groups[1][1]] == ["c", "d"]


# --- escaping -------------------------------------------------------------------------------------


def test_hostile_quote_is_text_in_the_popup_and_cannot_leave_its_script_string() -> None:
    page = render([claim("h", 37.0, 48.0, "2023-07-07", quote=HOSTILE_QUOTE)])
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "${window.__pwned" not in page_without_leaflet(page).split("<body>")[0]
    (popup,) = popup_strings(page).values()
    parsed = parse(popup)
    assert {tag for tag, _ in parsed.tags} <= {
        "div",
        "b",
        "blockquote",
        "table",
        "tr",
        "th",
        "td",
        "span",
        "a",
    }
    assert not [name for _, attrs in parsed.tags for name, _ in attrs if name.startswith("on")]
    assert HOSTILE_QUOTE in "".join(parsed.text)
    # Every script element the page opens is closed once: no text from the data ends one early.
    assert len(re.findall(r"<script\b", page)) == page.count("</script>")
    # Outside its double-quoted string literals the page's own script has no backtick: no template
    # literal exists in which ${...} from an article could run.
    own_script = page.split("</body>", 1)[1]
    assert "`" not in re.sub(r'"(?:[^"\\]|\\.)*"', '""', own_script)
    assert own_script.count("</script>") == 1


def test_javascript_url_is_plain_text_and_web_url_is_a_safe_link() -> None:
    page = render(
        [
            claim("j", 37.0, 48.0, "2023-07-07", url="javascript:window.__pwned=4"),
            claim(
                "k",
                37.1,
                48.1,
                "2023-07-07",
                url='https://example.org/a?b=1&c="x"\'onmouseover="bad"',
                source="<i>Wire</i>",
            ),
        ]
    )
    popups = [popup_strings(page)[cid] for cid in ("j", "k")]
    links = [dict(attrs) for popup in popups for tag, attrs in parse(popup).tags if tag == "a"]
    assert len(links) == 1
    assert links[0]["href"] == 'https://example.org/a?b=1&c="x"\'onmouseover="bad"'
    assert links[0]["rel"] == "noopener noreferrer" and links[0]["target"] == "_blank"
    assert "onmouseover" not in links[0]
    assert "javascript:window.__pwned=4" in "".join(parse(popups[0]).text)
    assert "<i>Wire</i>" in "".join(parse(popups[1]).text)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/x", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/x", False),
        ("https://", False),
        ("http://[::1", False),
        ("file:///etc/passwd", False),
        (None, False),
    ],
)
def test_only_absolute_web_urls_become_links(url: str | None, linked: bool) -> None:
    assert is_web_url(url) is linked
    assert ("<a " in link_or_text(url)) is linked


def test_title_is_escaped_in_head_and_title_box() -> None:
    page = render(MIXED, title="</title><script>alert(1)</script> & Co")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in page
    assert "<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</h1>" in page
    assert "<script>alert(1)" not in page


def test_hostile_date_label_is_escaped_for_the_layer_control() -> None:
    page = render([claim("z", 37.0, 48.0, "<img src=x onerror=alert(1)>")])
    ((label, _),) = date_overlays(page)
    assert "<img" not in json.loads(f'"{label}"')
    assert "&lt;img" in json.loads(f'"{label}"')


def test_place_popup_escapes_names() -> None:
    popup = place_popup_html({"name": "<b>X</b>", "place_name": "Y&Z", "admin1": '"quoted"'})
    assert {tag for tag, _ in parse(popup).tags} <= {"div", "table", "tr", "th", "td"}
    assert "<b>X</b>" in "".join(parse(popup).text)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(), st.text())
def test_any_text_stays_text_in_popup_html_and_in_its_js_string(quote: str, name: str, url: str) -> None:
    props = {"quote": quote, "claimant_name": name, "url": url, "source": name, "place": name}
    popup = claim_popup_html(props, "#0072B2")
    parsed = parse(popup)
    assert not [n for _, attrs in parsed.tags for n, _ in attrs if n.startswith("on")]
    assert {tag for tag, _ in parsed.tags} <= {
        "div",
        "b",
        "blockquote",
        "table",
        "tr",
        "th",
        "td",
        "span",
        "a",
    }
    if quote.strip():
        assert esc(quote.strip()) in popup
    literal = tojavascript(popup)
    assert "</" not in literal and "<!--" not in literal
    assert json.loads(literal) == popup


# --- determinism and offline ----------------------------------------------------------------------


def test_same_input_renders_byte_identical_html() -> None:
    areas = [square("a", 37.9, 48.5, 0.05), square("b", 37.6, 48.1, 0.2)]
    first = render(MIXED, areas)
    second = render(MIXED, areas)
    assert first == second
    assert render(list(reversed(MIXED)), list(reversed(areas))) == first


def test_no_random_element_ids_left() -> None:
    page = render(MIXED)
    assert not re.search(r"_[0-9a-f]{32}\b", page)


def test_no_cdn_or_remote_asset_in_the_page() -> None:
    page = render(MIXED)
    assert find_remote_assets(page) == []
    rest = page_without_leaflet(page)
    assert not re.search(r"""(src|href)=["']https?:""", rest)
    assert not re.search(r"@import\s+url\(\s*['\"]?https?", page)
    assert "<script src" not in page and "<link " not in page
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "unpkg"):
        assert cdn not in page
    assert 'id="frontmap-leaflet-js"' in page and "L.map(" in page


def test_find_remote_assets_reports_script_link_and_import() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn.example/y.css">'
        "<style>@import url(http://cdn.example/z.css);</style><a href='https://example.org'>text link</a>"
    )
    assert len(find_remote_assets(page)) == 3


def test_leaflet_assets_reference_no_other_file() -> None:
    css, js = leaflet_css(), leaflet_js()
    assert "url(images/" not in css and "data:image/png;base64," in css
    assert "sourceMappingURL" not in js and "</script" not in js.lower()


def test_missing_leaflet_folder_is_an_asset_error(tmp_path: Any) -> None:
    with pytest.raises(AssetError):
        leaflet_js(tmp_path)


def test_tiles_only_when_asked_and_then_as_base_layers_that_start_off() -> None:
    plain = render(MIXED)
    assert "tile.openstreetmap.org" not in plain and "arcgisonline" not in plain
    assert "L.tileLayer" not in plain
    page = render(MIXED, tiles=True)
    assert "tile.openstreetmap.org" in page and "server.arcgisonline.com" in page
    tile_vars = re.findall(r"var (tile_layer_\d+) = L\.tileLayer", page)
    assert len(tile_vars) == 2
    assert not [var for var in tile_vars if f"{var}.addTo(" in page]  # none requested on opening
    base = re.search(r"base_layers : \{(.*?)\}", page, re.DOTALL)
    assert base
    names = re.findall(r'"([^"]+)" :', base.group(1))
    assert names == ["Plain (offline)", "OpenStreetMap (online)", "Satellite, Esri World Imagery (online)"]
    plain_var = re.search(r'"Plain \(offline\)" : (\w+)', base.group(1))
    assert plain_var and f"{plain_var.group(1)}.addTo(" in page  # the offline base is the one shown


def test_empty_input_gives_a_valid_map_of_ukraine() -> None:
    page = render_map({}, {}, {}, title="Nothing yet", as_of=None, config=Config())
    assert page.startswith("<!DOCTYPE html>") and "L.map(" in page
    assert date_overlays(page) == []
    assert map_data(page)["claims"] == []
    assert "[[44.2, 22.1], [52.4, 40.3]]" in page
    assert "as of: no dated article" in page
    assert "frontmap.timeControl(" not in page  # nothing to step through
    assert render_map(fc(), fc(), fc(), title="Nothing yet", as_of=None, config=Config()) == page


# --- content --------------------------------------------------------------------------------------


def test_popup_shows_who_what_when_where_and_why() -> None:
    page = render(MIXED)
    popup = popup_strings(page)["a"]
    text = " ".join(parse(popup).text)
    for expected in (
        "the general staff",
        "advance",
        "2023-07-07",
        "day",
        "more than a kilometre",
        "SSW",
        "200°",
        "Hubville",
        "Donetsk Oblast",
        "only candidate",
        "1 candidate in the gazetteer",
        "Example Wire",
        "unverified",
    ):
        assert expected in text, expected


def test_legend_and_as_of_stamp_are_in_the_page() -> None:
    page = render(MIXED)
    assert 'class="fm-box fm-legend"' in page and "Who claims" in page
    assert ">as of 2023-07-09</div>" in page
    for side in ("Ukraine", "Russia", "third party", "unknown"):
        assert f"<span>{side}</span>" in page


def test_palette_is_fixed_for_the_main_sides_and_stable_for_others() -> None:
    palette = claimant_palette(["russia", "Ukraine", "Hamas", "Israel", None])
    assert palette["Ukraine"] == "#0072B2" and palette["russia"] == "#D55E00"
    assert claimant_palette(["Israel", "Hamas"]) == {k: v for k, v in palette.items() if k in {"Hamas", "Israel"}}


def test_marker_symbols_show_denial_contest_and_bearing() -> None:
    hollow = marker_svg(Mark("capture", "#D55E00", denied=True))
    assert 'fill="#ffffff" stroke="#D55E00"' in hollow
    assert "<circle" in marker_svg(Mark("attack", "#0072B2", contested=True))
    assert "rotate(200.0 14 14)" in marker_svg(Mark("advance", "#0072B2", bearing_deg=200))
    assert "rotate" not in marker_svg(Mark("advance", "#0072B2"))
    assert 'data-claim-id="&lt;x&gt;"' in marker_svg(Mark("hold", "#000000"), claim_id="<x>")


# --- offline basemap ------------------------------------------------------------------------------


def test_shipped_basemap_has_the_oblasts_the_main_rivers_and_the_reservoirs() -> None:
    basemap = load_basemap()
    oblasts = {f["properties"]["name"] for f in basemap.oblasts["features"]}
    assert len(oblasts) == 27 and {"Donetsk Oblast", "Kyiv", "Autonomous Republic of Crimea"} <= oblasts
    rivers = {f["properties"]["name"] for f in basemap.rivers["features"]}
    assert {"Dnipro", "Dniester", "Danube", "Don"} <= rivers
    lakes = {f["properties"]["name"]: f["properties"] for f in basemap.lakes["features"]}
    assert {"Kakhovka Reservoir", "Kremenchuk Reservoir"} <= set(lakes)
    assert "drained" in lakes["Kakhovka Reservoir"]["note"]
    assert any("OpenStreetMap" in text and "ODbL" in text for text in basemap.attribution)


def test_shipped_basemap_is_small_and_credits_its_sources() -> None:
    folder = basemap_dir()
    assert folder == data_dir() / "basemap"
    assert sum(path.stat().st_size for path in folder.iterdir()) < 1_000_000
    attribution = (folder / "ATTRIBUTION").read_text(encoding="utf-8")
    for credit in ("geoBoundaries", "OpenStreetMap", "(ODbL) 1.0", "Natural Earth", "Public domain"):
        assert credit in attribution


def test_missing_basemap_costs_only_the_background(tmp_path: Any, caplog: Any) -> None:
    (tmp_path / "rivers.geojson").write_text("not json", encoding="utf-8")
    with caplog.at_level("WARNING", logger="frontmap"):
        basemap = load_basemap(tmp_path)
    assert basemap.is_empty and basemap.attribution == ()
    assert "rivers" in caplog.text and "oblasts" in caplog.text
    page = render(MIXED, basemap=basemap)
    assert not [label for label, _ in overlays(page) if label in BASE_OVERLAYS]
    assert "frontmap.basemap(" not in page


def test_map_draws_the_shipped_basemap_by_default_with_credits() -> None:
    page = render(MIXED)
    assert [label for label, _ in overlays(page)][:2] == BASE_OVERLAYS
    doc = re.search(r'<script type="application/json" id="basemap_layers_\d+_data">(.*?)</script>', page, re.S)
    assert doc
    layers = json.loads(doc.group(1))
    assert {f["properties"]["name"] for f in layers["oblasts"]["features"]} >= {"Donetsk Oblast"}
    assert "Natural Earth" in page and "ODbL 1.0" in page
    oblasts_var = dict(overlays(page))["Oblasts"]
    assert f"oblasts: {oblasts_var}" in page and f"{oblasts_var}.addTo(" in page  # shown on opening


def test_oblast_and_river_names_are_found_by_the_search() -> None:
    entries = map_data(render(MIXED))["search"]
    kinds = map_data(render(MIXED))["kinds"]
    found = {(name, kinds[kind]) for name, kind, *_ in entries}
    assert {("Donetsk Oblast", "oblast"), ("Dnipro", "river or lake"), ("Dnieper", "river or lake")} <= found
    donetsk = next(e for e in entries if e[0] == "Donetsk Oblast")
    south, west, north, east = donetsk[4]
    assert 46.5 < south < 47.5 and 49.0 < north < 49.5 and 36.0 < west < 37.0 and 38.5 < east < 39.5


# --- the map's data document ----------------------------------------------------------------------


def test_search_entries_cover_places_written_forms_anchors_and_mentions() -> None:
    claims = [
        claim("p1", 37.0, 48.0, "2023-07-07", place="Artemivsk", place_name="Bakhmut"),
        claim("p2", 37.0, 48.0, "2023-07-09", place="Bakhmut", place_name="Bakhmut"),
        claim("r1", 37.5, 48.5, "2023-07-08", place=None, place_name=None, anchor="Hubville",
              anchor_lon=37.6, anchor_lat=48.6),
    ]  # fmt: skip
    place = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [36.0, 47.0]},
        "properties": {"article": "a.txt", "name": "Zhovtá Balka", "place_name": "Zhovta Balka"},
    }
    page = render(claims, places=[place], basemap=Basemap())
    data = map_data(page)
    rows = data["claims"]
    by_name = {(e[0], data["kinds"][e[1]]): e for e in data["search"]}
    bakhmut = by_name[("Bakhmut", "claims")]
    assert bakhmut[5] == "2 claims, 2023-07-07 to 2023-07-09"
    assert rows[bakhmut[4]][0] == "p2"  # opens the newest claim there
    assert rows[by_name[("Artemivsk", "written form")][4]][0] == "p2"
    assert by_name[("Hubville", "reference place")][2:4] == [48.6, 37.6]
    assert ("Zhovtá Balka", "place mentioned") in by_name and ("Zhovta Balka", "place mentioned") in by_name
    assert not [e for e in data["search"] if data["kinds"][e[1]] == "oblast"]  # no basemap, no oblasts


def test_fold_ignores_case_diacritics_and_apostrophes() -> None:
    assert fold("Zhovtá Balka") == fold("ZHOVTA BALKA") == "zhovta balka"
    assert fold("Kam’ianske") == fold("Kamianske")
    assert fold("Й") == fold("и")  # the same NFD folding as the page's search


def test_areas_round_trip_through_the_delta_encoding() -> None:
    ring = [[37.12345, 48.98765], [37.2, 48.9], [37.3, 49.05], [37.12345, 48.98765]]
    hole = [[37.2, 48.95], [37.22, 48.95], [37.21, 48.97], [37.2, 48.95]]
    encoded = encode_area({"type": "MultiPolygon", "coordinates": [[ring, hole], [ring]]})
    assert encoded is not None
    decoded = decode_area(encoded)
    assert len(decoded) == 2 and len(decoded[0]) == 2
    for got, want in zip(decoded[0][0], ring, strict=True):
        assert abs(got[0] - want[1]) < 0.51 / AREA_SCALE and abs(got[1] - want[0]) < 0.51 / AREA_SCALE
    assert encode_area({"type": "Point", "coordinates": [1, 2]}) is None
    assert encode_area({"type": "Polygon", "coordinates": [[[0, 0], ["x", 1]]]}) is None


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_text_in_the_document_stays_inside_its_script_element(quote: str, name: str) -> None:
    document = script_json({"html": [quote], "search": [[name, 0]]})
    assert "<" not in document and "\u2028" not in document and "\u2029" not in document
    assert json.loads(document) == {"html": [quote], "search": [[name, 0]]}


def test_legend_checkboxes_match_the_documents_sides_and_actions() -> None:
    page = render(MIXED)
    data = map_data(page)
    legend = re.search(r'class="fm-box fm-legend".*?>(.*?)</div>\s*$', page, re.S | re.M)
    assert legend
    boxes = re.findall(r"<input type='checkbox' checked data-fm-filter='(\w+)' value='(\d+)'>.*?<span>(.*?)</span>",
                       legend.group(1))  # fmt: skip
    sides = [(int(value), text) for kind, value, text in boxes if kind == "side"]
    actions = [(int(value), text) for kind, value, text in boxes if kind == "action"]
    assert sides == [(i, name) for i, (name, _) in enumerate(data["sides"])]
    assert actions == list(enumerate(data["actions"]))
    assert re.search(r"frontmap\.filters\(claim_layers_\d+, \"legend_\d+\"\)", page)


def test_search_box_measure_tool_and_ready_flag_are_in_the_page() -> None:
    page = render(MIXED)
    assert re.search(r'<input type="search"[^>]*aria-label="Find a place"', page)
    assert "frontmap.search(" in page and "frontmap.measure(" in page
    assert page.rindex("frontmap.ready(") > page.rindex("frontmap.claims(")
    assert "L.control.scale({imperial: false" in page


def test_a_claim_costs_well_under_a_kilobyte_and_a_half_of_page() -> None:
    """The size budget behind "5,000 claims in under 15 MB" (bench/bench_map.py has the figures)."""
    features, areas = [], []
    for i in range(400):
        cid = f"claim-{i:04d}"
        lon, lat = 36.0 + (i % 40) * 0.05, 47.5 + (i // 40) * 0.1
        features.append(claim(cid, lon, lat, f"2023-07-{1 + i % 28:02d}", quote=f"Made-up sentence number {i} " * 6))
        polygon = circle(lat, lon, 2.0 + i % 7)
        ring = [[round(x, 6), round(y, 6)] for x, y in polygon.exterior.coords]
        areas.append({"type": "Feature", "id": cid, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    empty = render([], basemap=Basemap())
    page = render(features, areas, basemap=Basemap())
    per_claim = (len(page.encode()) - len(empty.encode())) / len(features)
    assert per_claim < 1500, per_claim


def test_claims_shown_together_at_one_spot_draw_their_area_once() -> None:
    same = [claim(cid, 37.0, 48.0, "2023-07-07", quote=f"Made-up report {cid}.") for cid in ("s1", "s2", "s3")]
    other_day = claim("s4", 37.0, 48.0, "2023-07-08")
    areas = [square(cid, 37.0, 48.0, 0.05) for cid in ("s1", "s2", "s3", "s4")]
    rows = claim_rows(render([*same, other_day], areas))
    assert [bool(rows[cid][8]) for cid in ("s1", "s2", "s3")] == [True, False, False]
    assert rows["s4"][8]  # shown on another date: its own area


def test_one_stray_claim_far_away_does_not_zoom_the_opening_view_out_to_the_world() -> None:
    front = [claim(f"f{i:02d}", 37.0 + (i % 5) * 0.2, 48.0 + (i // 5) * 0.1, "2023-07-07") for i in range(25)]
    stray = claim("stray", -94.4, 39.1, "2023-07-07", place_name="Independence")
    page = render([*front, stray])
    (south, west), (north, east) = opening_view(page)
    assert (south, west, north, east) == (48.0, 37.0, 48.4, 37.8)
    assert "stray" in claim_rows(page)  # still drawn, and found by the search
    rear = claim("rear", 24.03, 49.84, "2023-07-07")  # a strike ~1,000 km behind the front: in view
    assert opening_view(render([*front, rear, stray]))[0][1] == 24.03
    few = render([*front[:3], stray])  # too few claims to call one a stray: all in view
    assert opening_view(few)[0][1] == -94.4


def opening_view(page: str) -> list[list[float]]:
    """The bounds the map opens on."""
    fit = re.search(r"map_\d+\.fitBounds\((\[\[.*?\]\])", page)
    assert fit
    bounds: list[list[float]] = json.loads(fit.group(1))
    return bounds


def test_template_syntax_in_any_text_stays_text() -> None:
    """branca reads rendered markup as a Jinja template again: nothing from the data may run there."""
    payload = "{{ 7*7 }}x{% endif %}{# c #}"
    hostile = claim("t", 37.0, 48.0, payload, quote=payload, place_name=payload, source=payload, claimant=payload)
    page = render([hostile], title=payload)  # an unbalanced {% endif %} would not even compile
    steps = re.search(r"frontmap\.timeControl\((.*?)\);", page, re.DOTALL)
    assert steps and f'["{payload}", feature_group_' in steps.group(1)  # the date label, as written
    assert "<title>&#123;&#123; 7*7 }}x&#123;% endif %}&#123;# c #}</title>" in page
    ((label, _),) = date_overlays(page)
    assert json.loads(f'"{label}"') == esc(payload)
    data = map_data(page)
    assert esc(payload) in data["html"] and [payload, 0] == data["search"][0][:2]
    assert "49x" not in page_without_leaflet(page)
