"""The map's data as one compact JSON document, from which ``frontmap.js`` builds the layers.

A folium marker costs about 3 KB of generated JavaScript per claim; 5,000 claims made a page too
big to open quickly. Here every claim is a short array instead, every HTML fragment that repeats
(a source, a date, a place, a marker symbol) is stored once and referred to by number, and areas
are delta-encoded integers. The browser builds markers, areas and popups from it: popups only when
they are opened.

Everything in the document is either a number, a colour from the palette, a marker symbol built
by :mod:`frontmap.render.symbols`, HTML escaped by :mod:`frontmap.render.popup`, or plain text
that the page only ever writes with ``textContent`` (search names). :func:`script_json` makes the
document safe inside a ``<script type="application/json">`` element.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontmap.render.basemap import Basemap
from frontmap.render.popup import (
    CLAIM_ROWS,
    PLACE_ROWS,
    claim_popup_parts,
    claim_tooltip_html,
    esc,
    place_popup_values,
)
from frontmap.render.symbols import ACTION_ORDER, Mark, colour_of, legend_order, marker_svg

#: Areas are stored in units of 1e-4 degrees (~11 m): far finer than any claim's uncertainty.
AREA_SCALE = 10_000
#: Points keep 5 decimals (~1 m).
POINT_DECIMALS = 5

# Flags of a claim, as bits (the browser dashes unverified areas).
UNVERIFIED, CONTESTED, DENIED = 1, 2, 4

# Kinds of search entries, in the order results are ranked when they match equally well.
SEARCH_KINDS: tuple[str, ...] = (
    "claims",
    "written form",
    "reference place",
    "place mentioned",
    "oblast",
    "river or lake",
)


class Interner:
    """Strings stored once and referred to by their index.

    Parameters
    ----------
    empty_first
        Reserve index 0 for "" (so that 0 means "nothing" in the document).
    """

    def __init__(self, *, empty_first: bool = False) -> None:
        self.values: list[str] = [""] if empty_first else []
        self._index: dict[str, int] = {"": 0} if empty_first else {}

    def __call__(self, value: str) -> int:
        """The index of ``value``, adding it on first use."""
        found = self._index.get(value)
        if found is None:
            found = self._index[value] = len(self.values)
            self.values.append(value)
        return found


_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


def script_json(value: object) -> str:
    """Compact JSON that can sit inside a ``<script>`` element.

    ``<`` only occurs inside JSON strings, where ``\\u003c`` means the same; without it neither
    ``</script`` nor ``<!--`` can end or derail the element. U+2028/2029 are escaped for old
    JavaScript parsers.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    # branca compiles rendered markup as a Jinja template a second time: "{{", "{%" and "{#" can
    # only occur inside JSON strings, where \u007b reads the same and is no template syntax.
    return _TEMPLATE_OPENER.sub("\\\\u007b", text)


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _ring(coords: object) -> list[int] | None:
    """A ring as [lat, lon, dlat, dlon, ...] in AREA_SCALE units; None if malformed or too short."""
    if not isinstance(coords, Sequence) or isinstance(coords, str):
        return None
    flat: list[int] = []
    last_lat = last_lon = 0
    for pair in coords:
        if not isinstance(pair, Sequence) or len(pair) < 2:
            return None
        lon, lat = _finite(pair[0]), _finite(pair[1])
        if lon is None or lat is None:
            return None
        ilat, ilon = round(lat * AREA_SCALE), round(lon * AREA_SCALE)
        if flat and (ilat, ilon) == (last_lat, last_lon):
            continue  # rounding merged two vertices
        flat += [ilat - last_lat, ilon - last_lon]
        last_lat, last_lon = ilat, ilon
    return flat if len(flat) >= 6 else None


def encode_area(geometry: Mapping[str, Any] | None) -> list[list[list[int]]] | None:
    """A Polygon or MultiPolygon as polygons of delta-encoded rings (see ``decodeRing`` in JS).

    Returns
    -------
    list or None
        ``[[outer, hole, ...], ...]``; None for anything that is not a usable polygon.
    """
    if not isinstance(geometry, Mapping):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, Sequence):
        return None
    polygons = [coords] if kind == "Polygon" else list(coords) if kind == "MultiPolygon" else []
    out = []
    for polygon in polygons:
        if not isinstance(polygon, Sequence) or not polygon:
            continue
        rings = [_ring(ring) for ring in polygon]
        if rings[0] is None:
            continue
        out.append([ring for ring in rings if ring is not None])
    return out or None


def _point(lat: float, lon: float) -> list[float]:
    return [round(lat, POINT_DECIMALS), round(lon, POINT_DECIMALS)]


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a name (the page folds the same way for search)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch not in "'’ʼ`´")


@dataclass(frozen=True, slots=True)
class Side:
    """A claimant in legend order, with its colour."""

    name: str
    colour: str


@dataclass(slots=True)
class MapData:
    """The document that ``frontmap.claims`` reads.

    Attributes
    ----------
    html
        Escaped HTML fragments, referred to by index (0 is "").
    icons
        Marker symbols (SVG), one per distinct look.
    sides, actions
        Legend (and filter) order; a claim refers to them by index.
    claims
        One array a claim: see :meth:`row_layout`.
    places
        ``[lat, lon, tooltip, [value, ...]]`` per resolved place: indices into ``html``, one value
        per label of :data:`frontmap.render.popup.PLACE_ROWS`.
    search
        ``[name, kind, lat, lon, target, detail, claims]``: ``target`` is a claim index (kinds 0,
        1), a place index (3), a ``[south, west, north, east]`` box (4, 5) or -1; ``claims`` counts
        the claims at or around the spot (kinds 0, 2; the map labels those places). Names are
        plain text.
    """

    html: list[str] = field(default_factory=list)
    icons: list[str] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    claims: list[list[Any]] = field(default_factory=list)
    places: list[list[Any]] = field(default_factory=list)
    search: list[list[Any]] = field(default_factory=list)

    @staticmethod
    def row_layout() -> tuple[str, ...]:
        """Meaning of each position of a claim array (mirrored by ``frontmap.js``)."""
        return (
            "id",
            "lat",
            "lon",
            "date",
            "side",
            "action",
            "flags",
            "icon",
            "area",
            "anchor",
            "tooltip",
            "popup",
        )

    def to_json(self) -> str:
        """The document, ready for a ``<script type="application/json">`` element."""
        return script_json(
            {
                "html": self.html,
                "icons": self.icons,
                "sides": [[esc(s.name), s.colour] for s in self.sides],
                "actions": [esc(a) for a in self.actions],
                "rowLabels": [esc(label) for label in CLAIM_ROWS],
                "placeRowLabels": [esc(label) for label in PLACE_ROWS],
                "kinds": list(SEARCH_KINDS),
                "claims": self.claims,
                "places": self.places,
                "search": self.search,
            }
        )


@dataclass(frozen=True, slots=True)
class ClaimInput:
    """A claim as the table needs it (a subset of :class:`frontmap.render.core.ClaimPoint`)."""

    id: str
    lat: float
    lon: float
    props: Mapping[str, Any]
    date_index: int
    area: Mapping[str, Any] | None
    anchor: tuple[float, float] | None  # (lon, lat)


def legend_sides(claimants: Iterable[object], palette: Mapping[str, str]) -> list[Side]:
    """The claimants present, fixed sides first; a claim without one counts as "unknown"."""
    names = {c if isinstance(c, str) and c else "unknown" for c in claimants}
    return [Side(name, colour_of(name, palette)) for name in legend_order(names)]


def legend_actions(actions: Iterable[object]) -> list[str]:
    """Actions present in contract order; anything outside the contract counts as "other"."""
    present = {a if isinstance(a, str) and a in ACTION_ORDER else "other" for a in actions}
    return [a for a in ACTION_ORDER if a in present]


def side_name(props: Mapping[str, Any]) -> str:
    """The claimant of a claim as the legend lists it."""
    claimant = props.get("claimant")
    return claimant if isinstance(claimant, str) and claimant else "unknown"


def action_name(props: Mapping[str, Any]) -> str:
    """The action of a claim as the legend lists it."""
    action = props.get("action")
    return action if isinstance(action, str) and action in ACTION_ORDER else "other"


def claim_mark(props: Mapping[str, Any], colour: str) -> Mark:
    """The look of a claim's marker; bearings are whole degrees so that markers share symbols."""
    bearing = _finite(props.get("bearing_deg"))
    return Mark(
        action=str(props.get("action") or "other"),
        colour=colour,
        bearing_deg=float(round(bearing) % 360) if bearing is not None else None,
        denied=props.get("denied") is True,
        unverified=props.get("verification") == "unverified",
        contested=props.get("contested") is True,
    )


def _flags(mark: Mark) -> int:
    return (
        (UNVERIFIED if mark.unverified else 0) | (CONTESTED if mark.contested else 0) | (DENIED if mark.denied else 0)
    )


def _size(claim: ClaimInput) -> float:
    """How much of the map a claim's area covers (its bounding box, in square degrees)."""
    box = _bbox(claim.area)
    return 0.0 if box is None else (box[2] - box[0]) * (box[3] - box[1])


def build_map_data(
    claims: Sequence[ClaimInput],
    places: Sequence[tuple[float, float, Mapping[str, Any]]],
    palette: Mapping[str, str],
    basemap: Basemap,
) -> MapData:
    """The whole document.

    Claims are stored widest area first, so that small areas are drawn over large ones.

    Parameters
    ----------
    claims
        The drawn claims, each with the index of its date layer.
    places
        ``(lon, lat, properties)`` of the resolved places, in drawing order.
    palette
        Claimant -> colour.
    basemap
        Oblasts and water bodies, for the search.
    """
    data = MapData()
    html = Interner(empty_first=True)
    icons = Interner()
    data.sides = legend_sides((c.props.get("claimant") for c in claims), palette)
    data.actions = legend_actions(c.props.get("action") for c in claims)
    side_index = {side.name: i for i, side in enumerate(data.sides)}
    action_index = {action: i for i, action in enumerate(data.actions)}
    ordered = sorted(claims, key=lambda c: (-_size(c), c.id))
    # Claims that are always shown and hidden together (same date, side and action) and share an
    # area and an anchor line draw them once: ten reports of one place on one day must not stack
    # ten translucent fills into an opaque blot.
    drawn: set[tuple[int, int, int, str, str]] = set()
    for claim in ordered:
        side = side_index[side_name(claim.props)]
        action = action_index[action_name(claim.props)]
        colour = data.sides[side].colour
        mark = claim_mark(claim.props, colour)
        parts = claim_popup_parts(claim.props)
        area = encode_area(claim.area) or 0
        anchor = _point(claim.anchor[1], claim.anchor[0]) if claim.anchor else 0
        key = (claim.date_index, side, action, json.dumps(area), json.dumps([anchor, claim.lat, claim.lon]))
        if key in drawn:
            area = anchor = 0
        drawn.add(key)
        data.claims.append(
            [
                claim.id,
                *_point(claim.lat, claim.lon),
                claim.date_index,
                side,
                action,
                _flags(mark),
                icons(marker_svg(mark, halo=True)),
                area,
                anchor,
                html(claim_tooltip_html(claim.props)),
                [html(parts.head), html(parts.quote), *(html(v) for v in parts.values)],
            ]
        )
    for lon, lat, props in places:
        name = props.get("place_name") or props.get("name") or "place"
        values = [html(value) for value in place_popup_values(props)]
        data.places.append([*_point(lat, lon), html(esc(name)), values])
    data.search = list(search_entries(ordered, places, basemap))
    data.html = html.values
    data.icons = icons.values
    return data


def _text(props: Mapping[str, Any], key: str) -> str | None:
    value = props.get(key)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def search_entries(
    claims: Sequence[ClaimInput],
    places: Sequence[tuple[float, float, Mapping[str, Any]]],
    basemap: Basemap,
) -> Iterator[list[Any]]:
    """Every name a reader may look for, once per name, kind and spot.

    Parameters
    ----------
    claims
        In the order of the document's claim arrays (an entry targets a claim by that index).
    places
        ``(lon, lat, properties)`` in the order of the document's place arrays.
    basemap
        Oblasts, rivers and lakes.
    """
    kind = {name: i for i, name in enumerate(SEARCH_KINDS)}
    # Claims at one spot under one name: one entry that opens the newest of them.
    spots: dict[tuple[str, float, float], list[int]] = {}
    aliases: dict[tuple[str, float, float], str] = {}
    anchors: dict[tuple[str, float, float], int] = {}
    for index, claim in enumerate(claims):
        lat, lon = _point(claim.lat, claim.lon)
        canonical = _text(claim.props, "place_name")
        written = _text(claim.props, "place")
        name = canonical or written
        if name:
            spots.setdefault((name, lat, lon), []).append(index)
        if canonical and written and fold(written) != fold(canonical):
            aliases.setdefault((written, lat, lon), canonical)
        anchor_name = _text(claim.props, "anchor")
        if anchor_name and claim.anchor:
            alat, alon = _point(claim.anchor[1], claim.anchor[0])
            anchors[(anchor_name, alat, alon)] = anchors.get((anchor_name, alat, alon), 0) + 1

    def newest(indices: list[int]) -> int:
        return max(indices, key=lambda i: (str(claims[i].props.get("date") or ""), claims[i].id))

    for (name, lat, lon), indices in sorted(spots.items()):
        dates = sorted({str(claims[i].props.get("date")) for i in indices if claims[i].props.get("date")})
        span = f", {dates[0]}" + (f" to {dates[-1]}" if len(dates) > 1 else "") if dates else ""
        count = len(indices)
        yield [name, kind["claims"], lat, lon, newest(indices), _plural(count, "claim") + span, count]
    for (written, lat, lon), canonical in sorted(aliases.items()):
        target = newest(spots[(canonical, lat, lon)])
        yield [written, kind["written form"], lat, lon, target, f"for {canonical}", 0]
    for (name, lat, lon), count in sorted(anchors.items()):
        yield [name, kind["reference place"], lat, lon, -1, f"reference of {_plural(count, 'claim')}", count]
    claimed = {(fold(name), lat, lon) for name, lat, lon in spots}
    mentioned: dict[tuple[str, float, float], int] = {}
    for index, (lon, lat, props) in enumerate(places):
        plat, plon = _point(lat, lon)
        for field_name in ("place_name", "name"):
            name = _text(props, field_name)
            if name and (fold(name), plat, plon) not in claimed:
                mentioned.setdefault((name, plat, plon), index)
    for (name, lat, lon), index in sorted(mentioned.items()):
        yield [name, kind["place mentioned"], lat, lon, index, "mentioned in an article", 0]
    water = "river or lake"
    for layer, label in ((basemap.oblasts, "oblast"), (basemap.rivers, water), (basemap.lakes, water)):
        yield from _area_entries(layer, kind[label])


def _area_entries(collection: Mapping[str, Any], kind: int) -> Iterator[list[Any]]:
    """One entry per name of each basemap feature, aimed at its bounding box."""
    for feature in collection.get("features") or []:
        if not isinstance(feature, Mapping):
            continue
        props = feature.get("properties") or {}
        box = _bbox(feature.get("geometry"))
        if box is None or not isinstance(props, Mapping):
            continue
        south, west, north, east = box
        names = [n for n in (_text(props, k) for k in ("name", "name_en", "name_uk")) if n]
        note = _text(props, "note") or ""
        for name in dict.fromkeys(names):
            detail = names[0] if name != names[0] else note
            yield [name, kind, round((south + north) / 2, 4), round((west + east) / 2, 4), list(box), detail, 0]


def _bbox(geometry: object) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of a geometry, 4 decimals."""
    lons: list[float] = []
    lats: list[float] = []
    stack: list[object] = [geometry.get("coordinates") if isinstance(geometry, Mapping) else None]
    while stack:
        item = stack.pop()
        if isinstance(item, Sequence) and not isinstance(item, str):
            if len(item) >= 2 and all(isinstance(v, int | float) for v in item[:2]):
                lons.append(float(item[0]))
                lats.append(float(item[1]))
            else:
                stack.extend(item)
    if not lons:
        return None
    return round(min(lats), 4), round(min(lons), 4), round(max(lats), 4), round(max(lons), 4)
