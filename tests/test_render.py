"""The HTML map, read as text: layers per date, escaping, determinism, no network.

Every sentence here is made up for the test.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from folium.template import tojavascript
from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.config import Config
from frontmap.render import AssetError, find_remote_assets, render_map
from frontmap.render.assets import leaflet_css, leaflet_js
from frontmap.render.core import claim_points, group_by_date
from frontmap.render.popup import claim_popup_html, is_web_url, link_or_text, place_popup_html
from frontmap.render.symbols import Mark, claimant_palette, marker_svg

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
) -> str:
    return render_map(
        fc(*claims),
        fc(*(areas or [])),
        fc(*(places or [])),
        title=title,
        as_of=as_of,
        config=Config(tiles=tiles),
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


def overlays(page: str) -> list[tuple[str, str]]:
    """(label, JS variable) of the layer control's overlays, in order."""
    block = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page, re.DOTALL)
    assert block, "no layer control in the page"
    return re.findall(r'"((?:[^"\\]|\\.)*)" : (\w+),', block.group(1))


def markers_per_layer(page: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for layer in re.findall(r"L\.marker\(\s*\[[^\]]*\],\s*\{[^}]*\}\s*\)\.addTo\((\w+)\)", page):
        counts[layer] = counts.get(layer, 0) + 1
    return counts


def popup_strings(page: str) -> list[str]:
    """The HTML handed to bindPopup, decoded from its JSON string literal."""
    return [json.loads(s) for s in re.findall(r'\.bindPopup\(\s*("(?:[^"\\]|\\.)*")', page)]


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
    labels = [label for label, _ in overlays(page)]
    assert labels == ["2023-07-07", "2023-07-08", "2023-07-09", "undated"]
    counts = markers_per_layer(page)
    assert [counts.get(var, 0) for _, var in overlays(page)] == [1, 2, 1, 1]


def test_no_undated_layer_when_every_claim_has_a_date() -> None:
    page = render([c for c in MIXED if c["properties"]["date"]])
    assert "undated" not in [label for label, _ in overlays(page)]


def test_time_control_steps_over_the_date_layers_in_order() -> None:
    page = render(MIXED)
    call = re.search(r"frontmap\.timeControl\((.*?)\);", page, re.DOTALL)
    assert call
    steps = re.findall(r'\["((?:[^"\\]|\\.)*)", (\w+)\]', call.group(1))
    assert steps == overlays(page)


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
    assert overlays(page)[-1][0] == "places"
    places_var = overlays(page)[-1][1]
    assert f"{places_var}.addTo(" not in page  # folium adds only layers shown on opening
    assert "Hubville" in popup_strings(page)[-1]


def test_area_and_anchor_line_are_drawn_in_the_claims_date_layer() -> None:
    page = render(MIXED, areas=[square("a", 37.9, 48.5, 0.05)])
    first_layer = overlays(page)[0][1]
    geojson = re.search(r"var (geo_json_\d+) = L\.geoJson", page)
    assert geojson and f"{geojson.group(1)}.addTo({first_layer});" in page
    assert "[[48.6, 38.0], [48.5, 37.9]]" in page  # anchor -> point, as [lat, lon]
    assert '"className": "fm-anchor-line"' in page


def test_claims_without_a_point_are_left_out_without_error() -> None:
    broken = claim("x", 0, 0, "2023-07-07")
    broken["geometry"] = None
    odd = claim(
        "y", 37.0, 48.0, "2023-07-07", bearing_deg="south", candidates="many", distance_km=float("nan")
    )
    page = render([broken, odd])
    assert [label for label, _ in overlays(page)] == ["2023-07-07"]
    assert sum(markers_per_layer(page).values()) == 1


def test_group_by_date_sorts_claims_by_id_whatever_the_input_order() -> None:
    points = claim_points(fc(*reversed(MIXED)))
    groups = group_by_date(points)
    assert [label for label, _ in groups][-1] == "undated"
    assert [p.id for p in groups[1][1]] == ["c", "d"]


# --- escaping -------------------------------------------------------------------------------------


def test_hostile_quote_is_text_in_the_popup_and_cannot_leave_its_script_string() -> None:
    page = render([claim("h", 37.0, 48.0, "2023-07-07", quote=HOSTILE_QUOTE)])
    assert "<script>window.__pwned" not in page
    assert "${window.__pwned" not in page_without_leaflet(page).split("<body>")[0]
    (popup,) = popup_strings(page)
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
    popups = popup_strings(page)
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
    ((label, _),) = overlays(page)
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
        assert html.escape(quote.strip(), quote=True) in popup
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


def test_tiles_only_when_asked_and_then_as_a_base_layer_that_starts_off() -> None:
    assert "tile.openstreetmap.org" not in render(MIXED)
    page = render(MIXED, tiles=True)
    assert "tile.openstreetmap.org" in page
    tile_var = re.search(r"var (tile_layer_\d+) = L\.tileLayer", page)
    assert tile_var and f"{tile_var.group(1)}.addTo(" not in page
    base = re.search(r"base_layers : \{(.*?)\}", page, re.DOTALL)
    assert base and "OpenStreetMap" in base.group(1)


def test_empty_input_gives_a_valid_map_of_ukraine() -> None:
    page = render_map({}, {}, {}, title="Nothing yet", as_of=None, config=Config())
    assert page.startswith("<!DOCTYPE html>") and "L.map(" in page
    assert overlays(page) == []
    assert "[[44.2, 22.1], [52.4, 40.3]]" in page
    assert "as of: no dated article" in page
    assert "frontmap.timeControl(" not in page  # nothing to step through
    assert render_map(fc(), fc(), fc(), title="Nothing yet", as_of=None, config=Config()) == page


# --- content --------------------------------------------------------------------------------------


def test_popup_shows_who_what_when_where_and_why() -> None:
    page = render(MIXED)
    popup = next(p for p in popup_strings(page) if "claim a." in p)
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
    assert claimant_palette(["Israel", "Hamas"]) == {
        k: v for k, v in palette.items() if k in {"Hamas", "Israel"}
    }


def test_marker_symbols_show_denial_contest_and_bearing() -> None:
    hollow = marker_svg(Mark("capture", "#D55E00", denied=True))
    assert 'fill="#ffffff" stroke="#D55E00"' in hollow
    assert "<circle" in marker_svg(Mark("attack", "#0072B2", contested=True))
    assert "rotate(200.0 14 14)" in marker_svg(Mark("advance", "#0072B2", bearing_deg=200))
    assert "rotate" not in marker_svg(Mark("advance", "#0072B2"))
    assert 'data-claim-id="&lt;x&gt;"' in marker_svg(Mark("hold", "#000000"), claim_id="<x>")
