"""Big maps: claims grouped into the cells of a nested grid and counted in the browser.

One symbol and one popup per claim cost about 900 bytes of page and half a millisecond of the
browser's time each: 5,000 claims make a 4.5 MB page that is interactive after ~2 s, 100,000
would make ~90 MB. Over :data:`AGGREGATE_OVER` claims the map draws groups instead.

The threshold counts every claim of the map, not the claims of one date: the page opens with
every date shown, so its size and its start-up time grow with the total (100,000 claims over 60
dates are only ~1,700 a date). 5,000 is the largest map that the benchmark (``bench/bench_map.py``)
measured as opening in about two seconds with every claim drawn one by one.

How the groups are stored:

- every distinct claim position (a *spot*, rounded to 1e-4 degrees, ~11 m) lies in one cell of a
  grid at each level ``k`` from :data:`COARSEST` to :data:`FINEST`: cells ``2**-k`` degrees of
  latitude high (4° down to ~0.9 km) and ``aspect`` times as wide, so that they are about square
  where the claims are. The grid is nested: a cell is exactly four cells of the next level, so
  the counts of one level add up to those of the level above;
- spots are stored in the grid's hierarchical order, so that every cell of every level is a run
  of consecutive spots, and claims are stored spot by spot, so that every cell is a run of
  consecutive claims: the document needs only run lengths, the spots (delta-encoded integers) and
  one packed number per claim (date, side, action, marks) with its place name and its id;
- the page (``static/frontmap-cells.js``) picks the level for the zoom, counts in each cell in
  view the claims that the date layers and the side and action filters now show, and draws one
  circle per cell, sized and labelled by that count, filled with the colour of the side that
  claims most there and ringed by each side's share. A cell's popup counts its claims by side,
  action and mark and names the top places; once a group holds few claims it lists them with date,
  side, action, place and id. Every claim's sentence and source stay in ``claims.geojson``.

Everything in the document is a number, a palette colour, or text escaped by
:func:`frontmap.render.popup.esc`; the document goes through :func:`frontmap.render.data.script_json`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontmap.render.basemap import Basemap
from frontmap.render.data import (
    SEARCH_KINDS,
    ClaimInput,
    Interner,
    Side,
    _area_entries,
    action_name,
    claim_mark,
    fold,
    legend_actions,
    legend_sides,
    script_json,
    side_name,
)
from frontmap.render.popup import PLACE_ROWS, esc, place_popup_values

#: Maps with more claims than this are drawn as counted cells (see the module's notes).
AGGREGATE_OVER = 5_000
#: Spots are claim positions in units of 1e-4 degrees (~11 m, far finer than any claim's precision).
SPOT_SCALE = 10_000
#: Grid levels: cells 2**-k degrees high, from 4° (k = -2) to 1/128° (~0.9 km, k = 7).
COARSEST, FINEST = -2, 7
#: Grid level within which one name without a gazetteer id is taken as one place in the search.
SEARCH_LEVEL = 2
#: Marks of a claim, as bits (the same as the claim table's flags in :mod:`frontmap.render.data`).
FLAG_BITS = 8

_Key = tuple[tuple[int, int], ...]
_Place = tuple[float, float, dict[str, Any], list[str]]  # lat, lon, popup properties, names to search


def grid_aspect(lats: Sequence[float]) -> int:
    """Width of a cell over its height, in hundredths: ``1 / cos(median latitude)``.

    A degree of longitude is shorter than a degree of latitude away from the equator; cells this
    much wider than high are about square where the claims are (1.50 at 48° N). Between 1 and 4.
    """
    if not lats:
        return 100
    middle = sorted(lats)[len(lats) // 2]
    return max(100, min(400, round(100 / max(math.cos(math.radians(middle)), 0.25))))


def fine_cell(ilat: int, ilon: int, aspect: int) -> tuple[int, int]:
    """The finest grid cell (row, column) of a spot; integer arithmetic, so it is exact.

    Parameters
    ----------
    ilat, ilon
        The spot in units of 1 / :data:`SPOT_SCALE` degrees.
    aspect
        Cell width over height, in hundredths (:func:`grid_aspect`).
    """
    row = (ilat << FINEST) // SPOT_SCALE
    column = (ilon << FINEST) * 100 // (aspect * SPOT_SCALE)
    return row, column


def cell_at(fine: tuple[int, int], level: int) -> tuple[int, int]:
    """The cell of ``level`` that holds a finest-level cell (the grid is nested)."""
    shift = FINEST - level
    return fine[0] >> shift, fine[1] >> shift


def _spot_key(fine: tuple[int, int]) -> _Key:
    """Sort key that makes every cell of every level a run of consecutive spots."""
    return tuple(cell_at(fine, level) for level in range(COARSEST, FINEST + 1))


def place_label(props: Mapping[str, Any]) -> str:
    """The name a claim is counted under in a cell's "top places" (plain text, may be "").

    A claim relative to a place ("3 km south-west of Bakhmut") counts as "around Bakhmut".
    """
    for key in ("place_name", "place"):
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    anchor = props.get("anchor")
    if isinstance(anchor, str) and anchor.strip():
        return f"around {anchor.strip()}"  # one entry, whatever the direction and distance
    return ""


def pack(date: int, side: int, action: int, flags: int, *, sides: int, actions: int) -> int:
    """One claim's date, side, action and marks as one number (``unpack`` in frontmap-cells.js)."""
    return ((date * sides + side) * actions + action) * FLAG_BITS + flags


def _flags(props: Mapping[str, Any]) -> int:
    mark = claim_mark(props, "")
    return (1 if mark.unverified else 0) | (2 if mark.contested else 0) | (4 if mark.denied else 0)


def _runs(values: Sequence[object]) -> list[int]:
    """Lengths of the runs of equal consecutive values."""
    runs: list[int] = []
    previous: object = None
    for index, value in enumerate(values):
        if index and value == previous:
            runs[-1] += 1
        else:
            runs.append(1)
        previous = value
    return runs


@dataclass(slots=True)
class CellData:
    """The document that ``frontmap.cells`` reads.

    Attributes
    ----------
    sides, actions
        Legend (and filter) order; claims refer to them by index.
    dates
        The date layers' labels (escaped), in layer order.
    aspect
        Cell width over height, in hundredths.
    spots
        Claim positions in spot order, as ``[dlat, dlon, ...]``: differences from the previous
        spot in units of 1 / :data:`SPOT_SCALE` degrees (the first from 0).
    spot_claims
        How many claims each spot holds.
    levels
        From :data:`COARSEST` to :data:`FINEST`: how many spots each cell holds, cells in spot
        order.
    claims
        One :func:`pack` number per claim, in spot order.
    names, claim_names
        Escaped place names, and each claim's index into them (0 is "").
    ids
        Each claim's id, escaped.
    html, places
        The places overlay as in :class:`frontmap.render.data.MapData`, one entry per place
        (all the mentions of one place in one dot).
    search
        As in :class:`frontmap.render.data.MapData`, but a "claims" entry targets a spot.
    """

    sides: list[Side] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    aspect: int = 100
    spots: list[int] = field(default_factory=list)
    spot_claims: list[int] = field(default_factory=list)
    levels: list[list[int]] = field(default_factory=list)
    claims: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    claim_names: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    places: list[list[Any]] = field(default_factory=list)
    search: list[list[Any]] = field(default_factory=list)

    def to_json(self) -> str:
        """The document, ready for a ``<script type="application/json">`` element."""
        return script_json(
            {
                "mode": "cells",
                "sides": [[esc(s.name), s.colour] for s in self.sides],
                "actions": [esc(a) for a in self.actions],
                "dates": self.dates,
                "grid": {"coarsest": COARSEST, "finest": FINEST, "aspect": self.aspect, "scale": SPOT_SCALE},
                "spots": self.spots,
                "spotClaims": self.spot_claims,
                "levels": self.levels,
                "claims": self.claims,
                "names": self.names,
                "claimNames": self.claim_names,
                "ids": self.ids,
                "html": self.html,
                "placeRowLabels": [esc(label) for label in PLACE_ROWS],
                "places": self.places,
                "kinds": list(SEARCH_KINDS),
                "search": self.search,
            }
        )


def _spot(claim: ClaimInput) -> tuple[int, int]:
    return round(claim.lat * SPOT_SCALE), round(claim.lon * SPOT_SCALE)


def build_cell_data(
    claims: Sequence[ClaimInput],
    dates: Sequence[str],
    places: Sequence[tuple[float, float, Mapping[str, Any]]],
    palette: Mapping[str, str],
    basemap: Basemap,
) -> CellData:
    """The whole document.

    Parameters
    ----------
    claims
        The claims, each with the index of its date layer (areas are not drawn in cells).
    dates
        The date layers' labels (plain text), in layer order.
    places
        ``(lon, lat, properties)`` of the resolved places.
    palette
        Claimant -> colour.
    basemap
        Oblasts and water bodies, for the search.
    """
    data = CellData(dates=[esc(label) for label in dates])
    data.sides = legend_sides((c.props.get("claimant") for c in claims), palette)
    data.actions = legend_actions(c.props.get("action") for c in claims)
    side_index = {side.name: i for i, side in enumerate(data.sides)}
    action_index = {action: i for i, action in enumerate(data.actions)}
    data.aspect = grid_aspect([c.lat for c in claims])

    spot_of = [_spot(c) for c in claims]
    fine = {spot: fine_cell(spot[0], spot[1], data.aspect) for spot in set(spot_of)}
    spot_order = sorted(fine, key=lambda s: (_spot_key(fine[s]), s))
    spot_index = {spot: i for i, spot in enumerate(spot_order)}
    order = sorted(
        range(len(claims)),
        key=lambda i: (
            spot_index[spot_of[i]],
            claims[i].date_index,
            side_index[side_name(claims[i].props)],
            action_index[action_name(claims[i].props)],
            claims[i].id,
        ),
    )

    last_lat = last_lon = 0
    for ilat, ilon in spot_order:
        data.spots += [ilat - last_lat, ilon - last_lon]
        last_lat, last_lon = ilat, ilon
    data.spot_claims = _runs([spot_index[spot_of[i]] for i in order])
    data.levels = [_runs([cell_at(fine[s], level) for s in spot_order]) for level in range(COARSEST, FINEST + 1)]

    names = Interner(empty_first=True)
    sides, actions = len(data.sides), len(data.actions)
    for i in order:
        claim = claims[i]
        side = side_index[side_name(claim.props)]
        action = action_index[action_name(claim.props)]
        data.claims.append(pack(claim.date_index, side, action, _flags(claim.props), sides=sides, actions=actions))
        data.claim_names.append(names(esc(place_label(claim.props))))
        data.ids.append(esc(claim.id))
    data.names = names.values

    html = Interner(empty_first=True)
    grouped = _grouped_places(places)
    for lat, lon, props, _ in grouped:
        name = props.get("place_name") or props.get("name") or "place"
        values = [html(v) for v in place_popup_values(props)]
        data.places.append([round(lat, 5), round(lon, 5), html(esc(name)), values])
    data.html = html.values
    ordered = [claims[i] for i in order]
    spots = [spot_index[spot_of[i]] for i in order]
    data.search = list(cell_search_entries(ordered, spots, grouped, basemap, aspect=data.aspect))
    return data


def _grouped_places(places: Sequence[tuple[float, float, Mapping[str, Any]]]) -> list[_Place]:
    """One place per gazetteer entry and spot, with the number of articles that mention it.

    A map this big has tens of thousands of mentions of a few thousand places: one dot each.

    Returns
    -------
    list
        ``(lat, lon, properties for the popup, names to search)`` in a stable order.
    """
    groups: dict[tuple[str, str, float, float], list[Mapping[str, Any]]] = {}
    for lon, lat, props in places:
        name = str(props.get("place_name") or props.get("name") or "")
        key = (str(props.get("place_id") or ""), name, round(lat, 5), round(lon, 5))
        groups.setdefault(key, []).append(props)
    out = []
    for (_, _, lat, lon), members in sorted(groups.items()):
        written = sorted({str(p["name"]) for p in members if isinstance(p.get("name"), str) and p["name"]})
        articles = sorted({str(p["article"]) for p in members if isinstance(p.get("article"), str) and p["article"]})
        first = members[0]
        shown = ", ".join(written[:5]) + (f" and {len(written) - 5} more" if len(written) > 5 else "")
        mentioned = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
        props = {
            "name": shown or None,
            "place_name": first.get("place_name"),
            "admin1": first.get("admin1"),
            "place_id": first.get("place_id"),
            "article": f"{mentioned}, e.g. {articles[0]}" if articles else None,
            "candidates": first.get("candidates"),
        }
        out.append((lat, lon, props, [n for n in (_text(first, "place_name"), *written) if n]))
    return out


def _text(props: Mapping[str, Any], key: str) -> str | None:
    value = props.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def cell_search_entries(
    claims: Sequence[ClaimInput],
    spots: Sequence[int],
    places: Sequence[_Place],
    basemap: Basemap,
    *,
    aspect: int = 100,
) -> Iterator[list[Any]]:
    """Every name a reader may look for, once per place (not once per spot as on a small map).

    Parameters
    ----------
    claims
        In the document's claim order.
    spots
        Each claim's spot index.
    places
        The grouped places, in the order of the document's places.
    basemap
        Oblasts, rivers and lakes.
    aspect
        The grid's cell width over height (:func:`grid_aspect`): a name without a gazetteer id
        is one place within a cell of :data:`SEARCH_LEVEL`.

    Yields
    ------
    list
        ``[name, kind, lat, lon, target, detail, claims]``; a "claims" or "written form" entry
        targets the spot where most of that place's claims are.
    """
    kind = {name: i for i, name in enumerate(SEARCH_KINDS)}
    folded: dict[str, str] = {}  # a big map repeats a few thousand names a hundred thousand times

    def folds(name: str) -> str:
        found = folded.get(name)
        if found is None:
            found = folded[name] = fold(name)
        return found

    def place_ref(props: Mapping[str, Any], lat: float, lon: float) -> str:
        """What tells two places of one name apart: the gazetteer id, else a ~28 km cell."""
        cell = cell_at(fine_cell(round(lat * SPOT_SCALE), round(lon * SPOT_SCALE), aspect), SEARCH_LEVEL)
        return _text(props, "place_id") or f"cell {cell[0]} {cell[1]}"

    at: dict[tuple[str, str], Counter[int]] = {}
    dates: dict[tuple[str, str], list[str]] = {}
    aliases: dict[tuple[str, str], str] = {}
    anchors: Counter[tuple[str, float, float]] = Counter()
    where: dict[int, tuple[float, float]] = {}
    for claim, spot in zip(claims, spots, strict=True):
        where.setdefault(spot, (round(claim.lat, 4), round(claim.lon, 4)))
        canonical, written = _text(claim.props, "place_name"), _text(claim.props, "place")
        name = canonical or written
        if name:
            key = (name, place_ref(claim.props, claim.lat, claim.lon))
            at.setdefault(key, Counter())[spot] += 1
            date = claim.props.get("date")
            if date:
                span = dates.setdefault(key, [str(date), str(date)])
                span[0], span[1] = min(span[0], str(date)), max(span[1], str(date))
            if canonical and written and folds(written) != folds(canonical):
                aliases.setdefault((written, key[1]), canonical)
        anchor = _text(claim.props, "anchor")
        if anchor and claim.anchor:
            anchors[(anchor, round(claim.anchor[1], 4), round(claim.anchor[0], 4))] += 1

    def main_spot(key: tuple[str, str]) -> int:
        return min(at[key].items(), key=lambda item: (-item[1], item[0]))[0]

    for key in sorted(at):
        count = sum(at[key].values())
        first, last = dates.get(key) or ("", "")
        detail = _plural(count, "claim") + (f", {first}" if first else "") + (f" to {last}" if last != first else "")
        spot = main_spot(key)
        yield [key[0], kind["claims"], *where[spot], spot, detail, count]
    for (written, ref), canonical in sorted(aliases.items()):
        spot = main_spot((canonical, ref))
        yield [written, kind["written form"], *where[spot], spot, f"for {canonical}", 0]
    for (name, lat, lon), count in sorted(anchors.items()):
        yield [name, kind["reference place"], lat, lon, -1, f"reference of {_plural(count, 'claim')}", count]
    claimed = {(folds(name), ref) for name, ref in at}
    for index, (lat, lon, props, names) in enumerate(places):
        where_ref = place_ref(props, lat, lon)
        for name in dict.fromkeys(names):
            if (folds(name), where_ref) not in claimed:
                yield [name, kind["place mentioned"], round(lat, 4), round(lon, 4), index, "mentioned in an article", 0]
    water = "river or lake"
    for layer, label in ((basemap.oblasts, "oblast"), (basemap.rivers, water), (basemap.lakes, water)):
        yield from _area_entries(layer, kind[label])
