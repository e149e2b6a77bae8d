"""Big maps: over a number of claims the map counts them in grid cells (frontmap.render.cells).

Read as text: when it kicks in, that the cells hold every claim once at every level, determinism,
escaping. The browser side is in test_browser_cells.py. Every sentence here is made up.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from typing import Any

import pytest

from frontmap.config import Config
from frontmap.render import render_map
from frontmap.render.basemap import Basemap
from frontmap.render.cells import (
    AGGREGATE_OVER,
    COARSEST,
    FINEST,
    SPOT_SCALE,
    cell_at,
    fine_cell,
    grid_aspect,
    place_label,
)
from frontmap.render.popup import esc

TOWNS = (
    ("Bakhmut", 48.595, 38.0),
    ("Avdiivka", 48.139, 37.75),
    ("Robotyne", 47.443, 35.839),
    ("Kupiansk", 49.711, 37.616),
)
SIDES = ("Ukraine", "Russia", "third party", "unknown")
ACTIONS = ("advance", "capture", "attack", "repel", "strike")


def claim(cid: str, lon: float, lat: float, date: str | None, **props: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": cid,
        "date": date,
        "claimant": "Ukraine",
        "action": "advance",
        "place": "Testivka",
        "place_id": "geonames:1",
        "place_name": "Testivka",
        "verification": "unverified",
        "denied": False,
        "contested": False,
        "quote": f"A made-up sentence about claim {cid}.",
    }
    properties.update(props)
    return {
        "type": "Feature",
        "id": cid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def many(count: int, *, seed: int = 3, dates: int = 5) -> list[dict[str, Any]]:
    """Made-up claims around a few towns, spread over a few km and a few dates."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        town, lat, lon = rng.choice(TOWNS)
        relative = rng.random() < 0.25
        props: dict[str, Any] = {
            "claimant": rng.choice(SIDES),
            "action": rng.choice(ACTIONS),
            "place": None if relative else town,
            "place_name": None if relative else town,
            "place_id": None if relative else f"geonames:{TOWNS.index((town, lat, lon))}",
            "anchor": town if relative else None,
            "anchor_lon": lon if relative else None,
            "anchor_lat": lat if relative else None,
            "direction": "SW" if relative else None,
            "contested": rng.random() < 0.2,
        }
        date = f"2024-02-{1 + rng.randrange(dates):02d}" if rng.random() < 0.95 else None
        out.append(claim(f"c{i:05d}", round(lon + rng.uniform(-0.2, 0.2), 6), round(lat + rng.uniform(-0.2, 0.2), 6),
                         date, **props))  # fmt: skip
    return out


def fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def render(claims: list[dict[str, Any]], *, over: int | None = 0, title: str = "Big map", **kwargs: Any) -> str:
    return render_map(
        fc(claims),
        fc([]),
        fc(kwargs.pop("places", [])),
        title=title,
        as_of="2024-02-05",
        config=Config(),
        basemap=kwargs.pop("basemap", Basemap()),
        aggregate_over=over,
    )


def document(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="(?:cell|claim)_layers_\d+_data">(.*?)</script>', page, re.S)
    assert found, "no claims document in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def decode(data: dict[str, Any]) -> dict[str, Any]:
    """The document's spots, claims and levels as Python lists (what frontmap-cells.js does)."""
    spots, lat, lon = [], 0, 0
    for i in range(0, len(data["spots"]), 2):
        lat += data["spots"][i]
        lon += data["spots"][i + 1]
        spots.append((lat, lon))
    spot_of_claim = [s for s, n in enumerate(data["spotClaims"]) for _ in range(n)]
    sides, actions = len(data["sides"]), len(data["actions"])
    claims = []
    for value in data["claims"]:
        flags, group = value % 8, value // 8
        claims.append((group // (actions * sides), group // actions % sides, group % actions, flags))
    levels = []
    for runs in data["levels"]:
        cells, start = [], 0
        for run in runs:
            cells.append(list(range(start, start + run)))
            start += run
        levels.append(cells)
    return {"spots": spots, "spot_of_claim": spot_of_claim, "claims": claims, "levels": levels}


def overlays(page: str) -> list[str]:
    block = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page, re.DOTALL)
    assert block
    return [json.loads(f'"{label}"') for label in re.findall(r'"((?:[^"\\]|\\.)*)" : \w+,', block.group(1))]


# --- when ------------------------------------------------------------------------------------------


def test_cells_only_over_the_threshold() -> None:
    claims = many(40)
    under = render(claims, over=40)
    assert "frontmap.claims(" in under and "frontmap.cells(" not in under
    assert 'id="frontmap-cells-js"' not in under and "mode" not in document(under)
    over = render(claims, over=39)
    assert "frontmap.cells(" in over and "frontmap.claims(" not in over
    assert 'id="frontmap-cells-js"' in over and document(over)["mode"] == "cells"
    assert "counted by area" in over and "Counted by area" in over
    assert "counted by area" not in under


def test_default_threshold_draws_a_usual_map_claim_by_claim() -> None:
    assert AGGREGATE_OVER == 5_000
    assert "frontmap.claims(" in render(many(50), over=None)


def test_layers_time_control_and_filters_are_those_of_a_small_map() -> None:
    claims = many(300)
    small, big = render(claims, over=None), render(claims, over=0)
    assert overlays(big) == overlays(small)  # "Place names", then one entry per date, "undated" last
    assert overlays(big)[-1] == "undated" and len(overlays(big)) == 1 + 5 + 1
    steps = re.search(r"frontmap\.timeControl\((.*?)\);", big, re.DOTALL)
    assert steps and re.findall(r'\["([^"]+)", \w+\]', steps.group(1)) == overlays(big)[1:]
    legend = re.findall(r"data-fm-filter='(\w+)' value='(\d+)'>.*?<span>(.*?)</span>", big)
    data = document(big)
    assert [(int(v), t) for k, v, t in legend if k == "side"] == [(i, n) for i, (n, _) in enumerate(data["sides"])]
    assert [(int(v), t) for k, v, t in legend if k == "action"] == list(enumerate(data["actions"]))
    assert re.search(r"frontmap\.filters\(cell_layers_\d+, \"legend_\d+\"\)", big)
    assert big.rindex("frontmap.ready(") > big.rindex("frontmap.cells(")


# --- the cells hold every claim once ---------------------------------------------------------------


def test_every_level_counts_every_claim_once_in_the_cell_it_lies_in() -> None:
    claims = many(2000)
    data = document(render(claims))
    got = decode(data)
    assert len(got["claims"]) == len(got["spot_of_claim"]) == len(claims)
    assert len(data["levels"]) == FINEST - COARSEST + 1
    aspect = data["grid"]["aspect"]
    per_spot = Counter(got["spot_of_claim"])
    for level, cells in zip(range(COARSEST, FINEST + 1), got["levels"], strict=True):
        assert sum(per_spot[s] for cell in cells for s in cell) == len(claims)  # counts sum to the claims
        keys = [{cell_at(fine_cell(*got["spots"][s], aspect), level) for s in cell} for cell in cells]
        assert all(len(k) == 1 for k in keys)  # a cell's spots lie in one grid cell
        assert len({next(iter(k)) for k in keys}) == len(cells)  # and each grid cell is one run
    for coarse, fine in zip(got["levels"], got["levels"][1:], strict=False):
        parents = {s: i for i, cell in enumerate(coarse) for s in cell}
        assert all(len({parents[s] for s in cell}) == 1 for cell in fine)  # nested: a cell has one parent


def test_each_claim_keeps_its_spot_date_side_action_marks_place_and_id() -> None:
    claims = many(500)
    page = render(claims)
    data, got = document(page), decode(document(page))
    sides = [json.loads(f'"{n}"') for n, _ in data["sides"]]
    dates = data["dates"]
    seen = Counter()
    for index, (date, side, action, flags) in enumerate(got["claims"]):
        lat, lon = got["spots"][got["spot_of_claim"][index]]
        seen[(data["ids"][index], lat, lon, dates[date], sides[side], data["actions"][action], flags,
              data["names"][data["claimNames"][index]])] += 1  # fmt: skip
    expected = Counter()
    for feature in claims:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        flags = 1 | (2 if props["contested"] else 0)
        expected[(feature["id"], round(lat * SPOT_SCALE), round(lon * SPOT_SCALE), props["date"] or "undated",
                  props["claimant"], props["action"], flags, place_label(props))] += 1  # fmt: skip
    assert seen == expected


def test_relative_claims_count_around_their_reference_place() -> None:
    assert place_label({"anchor": "Bakhmut", "direction": "SW"}) == "around Bakhmut"
    assert place_label({"place": "Artemivsk", "place_name": "Bakhmut"}) == "Bakhmut"
    assert place_label({}) == ""


def test_cells_are_about_square_where_the_claims_are() -> None:
    assert grid_aspect([48.5, 48.0, 49.0]) == 151  # 1 / cos(48.5°)
    assert grid_aspect([]) == 100 and grid_aspect([89.9]) == 400
    assert fine_cell(-1, -1, 100) == (-1, -1)  # floor, not truncation, west and south of 0


# --- output ------------------------------------------------------------------------------------------


def test_same_input_renders_byte_identical_html() -> None:
    claims = many(1500)
    first = render(claims)
    assert render(claims) == first
    assert render(list(reversed(claims))) == first


def test_a_claim_costs_a_few_dozen_bytes_of_page() -> None:
    """The budget behind "100,000 claims in a few MB" (bench/bench_map.py has the figures)."""
    empty = render([], over=0)
    page = render(many(4000))
    per_claim = (len(page.encode()) - len(empty.encode())) / 4000
    assert per_claim < 60, per_claim


def test_search_names_each_place_once_and_aims_at_its_busiest_spot() -> None:
    claims = many(400)
    claims.append(claim("w1", 38.0, 48.6, "2024-02-01", place="Artemivsk", place_name="Bakhmut", place_id="geonames:0"))
    data = document(render(claims))
    kinds = data["kinds"]
    entries = [e for e in data["search"] if kinds[e[1]] == "claims"]
    assert sorted(e[0] for e in entries) == sorted(t[0] for t in TOWNS)  # once a place, not once a spot
    bakhmut = next(e for e in entries if e[0] == "Bakhmut")
    spots = decode(data)["spots"]
    assert 0 <= bakhmut[4] < len(spots)
    assert bakhmut[2:4] == [spots[bakhmut[4]][0] / SPOT_SCALE, spots[bakhmut[4]][1] / SPOT_SCALE]
    count = sum(1 for c in claims if c["properties"]["place_name"] == "Bakhmut")
    assert bakhmut[6] == count and bakhmut[5].startswith(f"{count:,} claims, 2024-02-0")
    (alias,) = [e for e in data["search"] if kinds[e[1]] == "written form"]
    assert alias[0] == "Artemivsk" and alias[5] == "for Bakhmut" and alias[4] == bakhmut[4]
    assert {e[0] for e in data["search"] if kinds[e[1]] == "reference place"} == {t[0] for t in TOWNS}


def test_places_mentioned_are_one_dot_per_place() -> None:
    places = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [38.0, 48.595]},
            "properties": {"article": f"a{i % 3}.txt", "name": name, "place_id": "geonames:0", "place_name": "Bakhmut"},
        }
        for i, name in enumerate(["Bakhmut", "Artemivsk", "Bakhmut", "Bakhmut"])
    ]
    data = document(render(many(30), places=places))
    ((lat, lon, tooltip, values),) = data["places"]
    assert (lat, lon) == (48.595, 38.0) and data["html"][tooltip] == "Bakhmut"
    shown = [data["html"][v] for v in values]
    assert "Artemivsk, Bakhmut" in shown and "3 articles, e.g. a0.txt" in shown


HOSTILE = '<img src=x onerror="window.__pwned=1">{{ 7*7 }}x{% endif %}</script><!--'


def test_hostile_text_is_escaped_in_the_cells_document() -> None:
    hostile = claim(HOSTILE, 37.0, 48.0, HOSTILE, claimant=HOSTILE, action=HOSTILE, place=HOSTILE, place_name=HOSTILE)
    page = render([*many(20), hostile], title=HOSTILE)
    without_leaflet = re.sub(r'<script id="frontmap-leaflet-js">.*?</script>', "", page, flags=re.DOTALL)
    assert "<img src=x" not in page and "49x" not in without_leaflet  # no template ran on article text
    data = document(page)
    assert esc(HOSTILE) in data["ids"] and esc(HOSTILE) in data["names"] and esc(HOSTILE) in data["dates"]
    assert [esc(HOSTILE), "#E69F00"] in data["sides"]  # another claimant: a spare colour, name escaped
    assert len(re.findall(r"<script\b", page)) == page.count("</script>")
    assert any(e[0] == HOSTILE for e in data["search"])  # plain text: the page writes it with textContent


@pytest.mark.parametrize("count", [0, 1])
def test_tiny_and_empty_maps_can_be_counted_too(count: int) -> None:
    page = render(many(count), over=0)
    if count:
        assert document(page)["mode"] == "cells" and len(document(page)["ids"]) == 1
    else:
        assert "frontmap.claims(" in page  # nothing over the threshold: the usual empty map
