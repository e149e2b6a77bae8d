"""``render_map``: the claims, their areas and the resolved places as one self-contained HTML map."""

from __future__ import annotations

import importlib
import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure

from frontmap.config import Config
from frontmap.render.assets import AssetError, CellAssets, OfflineAssets, find_remote_assets
from frontmap.render.basemap import Basemap, load_basemap
from frontmap.render.cells import AGGREGATE_OVER, build_cell_data
from frontmap.render.data import ClaimInput, Side, build_map_data, claim_mark, script_json
from frontmap.render.elements import (
    AsOfStamp,
    BasemapLayers,
    CellLayers,
    ClaimLayers,
    FitView,
    Legend,
    MapChrome,
    MeasureControl,
    Ready,
    SearchBox,
    TimeControl,
    TitleBox,
)
from frontmap.render.ids import assign_ids, walk
from frontmap.render.popup import esc
from frontmap.render.symbols import (
    ACTION_ORDER,
    FIXED_COLOURS,
    LEGEND_INK,
    Mark,
    claimant_palette,
    marker_svg,
    swatch_svg,
)

log = logging.getLogger("frontmap")

UNDATED = "undated"
# Ukraine's extent (south-west, north-east as lat/lon): the view of an empty map.
UKRAINE_BOUNDS = ((44.2, 22.1), (52.4, 40.3))
ATTRIBUTION = ("Places: GeoNames (CC BY 4.0)",)

Feature = Mapping[str, Any]
Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class ClaimPoint:
    """A claim Feature reduced to what the map draws."""

    id: str
    lon: float
    lat: float
    props: Mapping[str, Any]

    @property
    def label(self) -> str:
        """The date layer this claim belongs to."""
        date = self.props.get("date")
        return str(date) if date not in (None, "") else UNDATED


def _features(collection: Mapping[str, Any] | None) -> list[Feature]:
    """The Features of a FeatureCollection (none for a missing or malformed one)."""
    features = (collection or {}).get("features") or []
    return [f for f in features if isinstance(f, Mapping)]


def _feature_id(feature: Feature) -> str | None:
    props = feature.get("properties") or {}
    value = feature.get("id", props.get("id") if isinstance(props, Mapping) else None)
    return None if value is None else str(value)


def _lonlat(feature: Feature) -> tuple[float, float] | None:
    """The [lon, lat] of a Point Feature, or None if it has no usable point."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping) or geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    if not isinstance(coords, Sequence) or len(coords) < 2:
        return None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def claim_points(claims: Mapping[str, Any] | None) -> list[ClaimPoint]:
    """Claims that have a point, sorted by id so that input order never changes the page."""
    points = []
    for index, feature in enumerate(_features(claims)):
        where = _lonlat(feature)
        if where is None:
            log.debug("render: claim %s has no point geometry; not drawn", _feature_id(feature))
            continue
        props = feature.get("properties")
        points.append(
            ClaimPoint(
                id=_feature_id(feature) or f"claim-{index}",
                lon=where[0],
                lat=where[1],
                props=props if isinstance(props, Mapping) else {},
            )
        )
    return sorted(points, key=lambda p: (p.id, p.lon, p.lat))


def group_by_date(points: Iterable[ClaimPoint]) -> list[tuple[str, list[ClaimPoint]]]:
    """Claims per date layer: dates in order (ISO dates sort as text), "undated" last."""
    groups: dict[str, list[ClaimPoint]] = {}
    for point in points:
        groups.setdefault(point.label, []).append(point)
    dated = sorted(label for label in groups if label != UNDATED)
    return [(label, groups[label]) for label in [*dated, UNDATED] if label in groups]


def _coords(geometry: object) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) pair in a GeoJSON geometry's nested coordinate arrays."""
    if not isinstance(geometry, Mapping):
        return
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            yield from _coords(part)
        return
    stack: list[object] = [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, Sequence) and not isinstance(item, str):
            if len(item) >= 2 and all(isinstance(v, int | float) for v in item[:2]):
                lon, lat = float(item[0]), float(item[1])
                if math.isfinite(lon) and math.isfinite(lat):
                    yield lon, lat
            else:
                stack.extend(item)


# A war's claims lie within a few hundred km of one another; a claim thousands of km from the rest
# is a misread place name (e.g. "Independence Day" read as Independence, Missouri).
STRAY_MIN_CLAIMS = 5
STRAY_MIN_KM = 2000.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2, dlon = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def core_points(points: Sequence[ClaimPoint]) -> list[ClaimPoint]:
    """The claims that the opening view must show: all of them but far-off strays.

    One claim on another continent must not zoom the opening view out to the whole world; it is
    still drawn, and the search finds it. A stray lies farther from the claims' median point than
    both 2,000 km and three times the distance that 90 % of the claims stay within; strikes deep
    in the rear (Lviv is ~1,100 km from the Donbas) stay in view.
    """
    if len(points) < STRAY_MIN_CLAIMS:
        return list(points)
    lat = sorted(p.lat for p in points)[len(points) // 2]
    lon = sorted(p.lon for p in points)[len(points) // 2]
    distances = [_km(lat, lon, p.lat, p.lon) for p in points]
    usual = sorted(distances)[int(0.9 * (len(points) - 1))]
    limit = max(STRAY_MIN_KM, 3 * usual)
    return [p for p, km in zip(points, distances, strict=True) if km <= limit]


def data_bounds(points: Sequence[ClaimPoint], areas: Mapping[str, Mapping[str, Any]]) -> Bounds | None:
    """South-west and north-east corners of the points, their anchors and their areas."""
    lons: list[float] = []
    lats: list[float] = []
    for point in points:
        lons.append(point.lon)
        lats.append(point.lat)
        anchor = _anchor(point)
        if anchor is not None:
            lons.append(anchor[0])
            lats.append(anchor[1])
        for lon, lat in _coords(areas.get(point.id)):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return (min(lats), min(lons)), (max(lats), max(lons))


def _anchor(point: ClaimPoint) -> tuple[float, float] | None:
    """The anchor (lon, lat) of a relative claim, when given and different from the point."""
    lon, lat = point.props.get("anchor_lon"), point.props.get("anchor_lat")
    if isinstance(lon, bool) or isinstance(lat, bool):
        return None
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)) or (lon, lat) == (point.lon, point.lat):
        return None
    return float(lon), float(lat)


def _area_geometries(areas: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """Area geometry per claim id (the first one wins if an id repeats)."""
    found: dict[str, Mapping[str, Any]] = {}
    for feature in _features(areas):
        key, geometry = _feature_id(feature), feature.get("geometry")
        if key is not None and isinstance(geometry, Mapping) and key not in found:
            found[key] = geometry
    return found


def _place_rows(places: Mapping[str, Any] | None) -> list[tuple[float, float, Mapping[str, Any]]]:
    """(lon, lat, properties) of the resolved places, in a stable order."""
    rows = []
    for feature in _features(places):
        where = _lonlat(feature)
        props = feature.get("properties")
        if where is None or not isinstance(props, Mapping):
            continue
        key = (str(props.get("article") or ""), str(props.get("name") or ""), where)
        rows.append((key, (where[0], where[1], props)))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def _claim_inputs(
    groups: Sequence[tuple[str, Sequence[ClaimPoint]]], areas: Mapping[str, Mapping[str, Any]]
) -> list[ClaimInput]:
    return [
        ClaimInput(
            id=point.id,
            lat=point.lat,
            lon=point.lon,
            props=point.props,
            date_index=index,
            area=areas.get(point.id),
            anchor=_anchor(point),
        )
        for index, (_, members) in enumerate(groups)
        for point in members
    ]


def _add_background(m: folium.Map, basemap: Basemap, *, tiles: bool) -> None:
    """Land, oblasts, rivers; with ``tiles``, OpenStreetMap and satellite imagery as other bases.

    Without ``tiles`` the land is simply part of the map; with them, "plain (offline)" is a base
    layer like the tile layers (a radio choice), and it is the one selected on opening, so that the
    page requests no tile unless the reader picks one.
    """
    land: folium.Map | folium.FeatureGroup | None = m
    if tiles:
        land = folium.FeatureGroup(name="Plain (offline)", overlay=False, show=True)
        land.add_to(m)
        for name, provider in _tile_providers():
            folium.TileLayer(provider, name=name, overlay=False, show=False, control=True).add_to(m)
    if basemap.is_empty:
        return
    oblasts = folium.FeatureGroup(name="Oblasts", overlay=True, show=True)
    water = folium.FeatureGroup(name="Rivers and reservoirs", overlay=True, show=True)
    oblasts.add_to(m)
    water.add_to(m)
    document = script_json({"oblasts": basemap.oblasts, "rivers": basemap.rivers, "lakes": basemap.lakes})
    BasemapLayers(document, land=land, oblasts=oblasts, water=water).add_to(m)


def _tile_providers() -> list[tuple[str, Any]]:
    """The optional online backgrounds: OpenStreetMap and Esri's satellite imagery."""
    # A folium dependency, only needed when tiles are asked for. It ships no type information:
    # imported by name, its providers are plain Any to mypy without a per-module override.
    xyz: Any = importlib.import_module("xyzservices").providers
    return [
        ("OpenStreetMap (online)", xyz.OpenStreetMap.Mapnik),
        ("Satellite, Esri World Imagery (online)", xyz.Esri.WorldImagery),
    ]


def _summary(groups: Sequence[tuple[str, Sequence[ClaimPoint]]], *, aggregated: bool = False) -> str:
    claims = sum(len(points) for _, points in groups)
    dates = sum(1 for label, _ in groups if label != UNDATED)
    parts = [f"{claims} claim{'s' if claims != 1 else ''}", f"{dates} date{'s' if dates != 1 else ''}"]
    undated = sum(len(points) for label, points in groups if label == UNDATED)
    if undated:
        parts.append(f"{undated} undated")
    if aggregated:
        parts.append("counted by area")
    return esc(" · ".join(parts))


def _filter_item(kind: str, index: int | None, symbol: str, text: str) -> str:
    """A legend entry; with an index, a checkbox that shows or hides its claims."""
    if index is None:
        return f"<li>{symbol}<span>{esc(text)}</span></li>"
    box = f"<input type='checkbox' checked data-fm-filter='{kind}' value='{index}'>"
    return f"<li><label title='Show or hide these claims'>{box}{symbol}<span>{esc(text)}</span></label></li>"


def _filter_heading(title: str, kind: str, entries: int) -> str:
    """A legend heading, with "all" and "none" when there is more than one entry to switch."""
    if entries < 2:
        return f"<h2>{esc(title)}</h2>"
    buttons = "".join(
        f"<button type='button' data-fm-group='{kind}' data-fm-set='{what}'>{what}</button>" for what in ("all", "none")
    )
    return f"<h2>{esc(title)}<span class='fm-set'>{buttons}</span></h2>"


def legend_html(
    sides: Sequence[Side], actions: Sequence[str], *, advance_without_bearing: bool, aggregated: bool = False
) -> str:
    """The legend's content: who claims (colours), what (symbols) and the marks.

    The side and action entries are checkboxes (``data-fm-filter``, value = index in the map
    data's ``sides`` and ``actions``) that ``frontmap.filters`` turns into filters.

    Parameters
    ----------
    sides, actions
        The claimants and actions present, in the map data's order; when there is no claim at all
        the legend still explains the main sides and every symbol, without checkboxes.
    advance_without_bearing
        Explain the plain triangle of an advance whose direction is not known.
    aggregated
        The map draws counted cells (:mod:`frontmap.render.cells`): the marks of single claims
        give way to how to read a cell.
    """
    filtering = bool(sides)
    shown_sides = list(sides) or [Side(name, colour) for name, colour in FIXED_COLOURS[:2]]
    shown_actions = list(actions) or list(ACTION_ORDER)
    who = "".join(
        _filter_item("side", i if filtering else None, swatch_svg(side.colour), side.name)
        for i, side in enumerate(shown_sides)
    )
    what = "".join(
        _filter_item("action", i if filtering else None, marker_svg(Mark(a, LEGEND_INK, bearing_deg=45.0), size=20), a)
        for i, a in enumerate(shown_actions)
    )
    area = (
        '<svg width="20" height="14" aria-hidden="true"><rect x="1" y="1" width="18" height="12" rx="3"'
        f' fill="{LEGEND_INK}" fill-opacity="0.15" stroke="{LEGEND_INK}" stroke-width="1"/></svg>'
    )
    line = (
        '<svg width="20" height="14" aria-hidden="true"><path d="M2 12 L18 2" stroke="' + LEGEND_INK + '"'
        ' stroke-width="1.6" stroke-dasharray="1 4" stroke-linecap="round"/>'
        f'<circle cx="2.5" cy="11.5" r="2" fill="#fff" stroke="{LEGEND_INK}"/></svg>'
    )
    marks = [
        (marker_svg(Mark("other", LEGEND_INK, unverified=True), size=20), "unverified"),
        (marker_svg(Mark("other", LEGEND_INK, contested=True), size=20), "contested"),
        (marker_svg(Mark("other", LEGEND_INK, denied=True), size=20), "denial"),
        (area, "area: how precise"),
        (line, "from reference place"),
    ]
    if advance_without_bearing or not filtering:
        marks.insert(3, (marker_svg(Mark("advance", LEGEND_INK), size=20), "advance, no bearing"))
    hint = "<p class='fm-muted fm-legend-hint'>Untick to hide</p>" if filtering else ""
    if aggregated:
        return (
            f"{_filter_heading('Who claims', 'side', len(shown_sides))}"
            f"<ul class='fm-cols'>{who}</ul>"
            f"{_filter_heading('What', 'action', len(shown_actions))}"
            f"<ul class='fm-cols'>{what}</ul>"
            f"<h2>Counted by area</h2><div class='fm-cell-key'>{cell_key_svg(shown_sides)}"
            "<span>claims shown in an area; colour: the side that claims most, ring: each side's share."
            " Click for details, zoom in to split.</span></div>"
            f"{hint}"
        )
    return (
        f"{_filter_heading('Who claims', 'side', len(shown_sides) if filtering else 0)}"
        f"<ul class='fm-cols'>{who}</ul>"
        f"{_filter_heading('What', 'action', len(shown_actions) if filtering else 0)}"
        f"<ul class='fm-cols'>{what}</ul>"
        f"<h2>Marks</h2><ul class='fm-cols'>{''.join(_filter_item('', None, s, t) for s, t in marks)}</ul>"
        f"{hint}"
    )


def cell_key_svg(sides: Sequence[Side]) -> str:
    """A sample cell symbol for the legend: a count in a disc ringed by the sides' shares."""
    colours = [side.colour for side in sides[:3]] or [LEGEND_INK]
    shares = [0.55, 0.3, 0.15][: len(colours)]
    total = sum(shares)
    arcs, start = [], -90.0
    for colour, share in zip(colours, shares, strict=True):
        end = start + 360 * share / total
        x1, y1 = 17 + 15 * math.cos(math.radians(start)), 17 + 15 * math.sin(math.radians(start))
        x2, y2 = 17 + 15 * math.cos(math.radians(end)), 17 + 15 * math.sin(math.radians(end))
        large = 1 if end - start > 180 else 0
        arcs.append(
            f'<path d="M{x1:.2f} {y1:.2f} A15 15 0 {large} 1 {x2:.2f} {y2:.2f}" fill="none"'
            f' stroke="{colour}" stroke-width="3.5"/>'
        )
        start = end
    return (
        '<svg width="34" height="34" viewBox="0 0 34 34" aria-hidden="true">'
        f'<circle cx="17" cy="17" r="12" fill="{colours[0]}" stroke="#ffffff" stroke-width="1.5"/>'
        f"{''.join(arcs)}"
        '<text x="17" y="21" text-anchor="middle" font-size="11" font-weight="bold" fill="#ffffff"'
        ' stroke="#000000" stroke-opacity="0.45" stroke-width="2.5" paint-order="stroke">1.2k</text></svg>'
    )


def _fit(m: folium.Map, bounds: Bounds | None) -> None:
    (south, west), (north, east) = bounds or UKRAINE_BOUNDS
    # Room for the boxes: search and title on the left, layer list and legend on the right.
    FitView([[south, west], [north, east]], padding_top_left=(60, 40), padding_bottom_right=(300, 40)).add_to(m)


def _switch_off_cdn(root: Figure) -> None:
    """Empty folium's CDN link lists on this map's elements (per instance: no global change)."""
    for element in walk(root):
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = []
            element.default_css = []


def render_map(
    claims: Mapping[str, Any],
    areas: Mapping[str, Any],
    places: Mapping[str, Any],
    *,
    title: str,
    as_of: str | None,
    config: Config,
    basemap: Basemap | None = None,
    aggregate_over: int | None = None,
) -> str:
    """Draw the claims as a self-contained HTML map.

    Parameters
    ----------
    claims, areas, places
        RFC 7946 FeatureCollections as in DESIGN.md's output contract; areas share their claim's id.
    title
        Shown in the page title and the title box (escaped).
    as_of
        Newest article date (YYYY-MM-DD), shown as "as of ..."; None when no article is dated.
    config
        Run options; ``config.tiles`` offers OpenStreetMap and satellite tiles as optional base
        layers (switched off on opening: the page requests nothing unless the reader picks one).
    basemap
        The offline background (oblasts, rivers, reservoirs); None reads the shipped one
        (:func:`frontmap.render.basemap.load_basemap`), ``Basemap()`` draws none.
    aggregate_over
        Draw each claim on its own up to this many claims; more are counted in the cells of a
        grid (:mod:`frontmap.render.cells`), which keeps a map of 100,000 claims small and quick.
        None means :data:`frontmap.render.cells.AGGREGATE_OVER` (5,000); 0 always counts.

    Returns
    -------
    str
        The HTML page: Leaflet inlined, one layer per claim date (in date order, "undated" last),
        byte-identical for the same input.

    Raises
    ------
    AssetError
        Leaflet's files are missing, or the page would still load something over the network.
    """
    points = claim_points(claims)
    groups = group_by_date(points)
    limit = AGGREGATE_OVER if aggregate_over is None else max(0, aggregate_over)
    aggregated = len(points) > limit
    area_geometries = {} if aggregated else _area_geometries(areas)  # cells draw no areas
    palette = claimant_palette(p.props.get("claimant") for p in points)
    background = basemap if basemap is not None else load_basemap()
    bounds = data_bounds(core_points(points), area_geometries)
    centre = bounds or UKRAINE_BOUNDS

    m = folium.Map(
        location=[round((centre[0][0] + centre[1][0]) / 2, 6), round((centre[0][1] + centre[1][1]) / 2, 6)],
        zoom_start=6,
        tiles=None,
        control_scale=False,  # MapChrome adds a metric-only scale bar
        zoom_control="topright",
    )
    OfflineAssets().add_to(m)
    if aggregated:
        CellAssets().add_to(m)
    _fit(m, bounds)  # first: the layers are then drawn once, at the final view
    MapChrome((*ATTRIBUTION, *background.attribution)).add_to(m)
    _add_background(m, background, tiles=config.tiles)
    labels = None
    if points:
        labels = folium.FeatureGroup(name="Place names", overlay=True, show=True)
        labels.add_to(m)
    place_rows = _place_rows(places)
    places_layer = None
    if place_rows:
        places_layer = folium.FeatureGroup(name="Places mentioned", overlay=True, show=False)
        places_layer.add_to(m)
    steps = []
    for label, _ in groups:
        # Leaflet's layer control writes the name with innerHTML: escape it like any other text.
        layer = folium.FeatureGroup(name=esc(label), overlay=True, show=True)
        layer.add_to(m)
        steps.append((label, layer))
    layers: ClaimLayers | CellLayers
    if aggregated:
        labels_of_dates = [label for label, _ in groups]
        cells = build_cell_data(_claim_inputs(groups, {}), labels_of_dates, place_rows, palette, background)
        sides, actions = cells.sides, cells.actions
        layers = CellLayers(cells.to_json(), [layer for _, layer in steps], places_layer, labels)
        log.info("render: %d claims, more than %d: counted by area", len(points), limit)
    else:
        data = build_map_data(_claim_inputs(groups, area_geometries), place_rows, palette, background)
        sides, actions = data.sides, data.actions
        layers = ClaimLayers(data.to_json(), [layer for _, layer in steps], places_layer, labels)
    layers.add_to(m)
    MeasureControl().add_to(m)  # before the layer control: under the zoom buttons, top right
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    TitleBox(esc(title), _summary(groups, aggregated=aggregated)).add_to(m)
    AsOfStamp(f"as of {esc(as_of)}" if as_of else "as of: no dated article").add_to(m)
    SearchBox(layers).add_to(m)
    if steps:  # an empty map has nothing to step through
        TimeControl(steps).add_to(m)
    advances = [] if aggregated else [p for p in points if p.props.get("action") == "advance"]
    no_bearing = any(claim_mark(p.props, LEGEND_INK).bearing_deg is None for p in advances)
    legend = legend_html(sides, actions, advance_without_bearing=no_bearing, aggregated=aggregated)
    Legend(legend, layers).add_to(m)
    Ready(layers).add_to(m)

    figure = m.get_root()
    assert isinstance(figure, Figure)  # folium.Map always makes one
    figure.title = esc(title)  # branca writes the title into <title> unescaped
    _switch_off_cdn(figure)
    assign_ids(figure)
    page: str = figure.render()
    remote = find_remote_assets(page)
    if remote:
        raise AssetError(f"the map would load {len(remote)} remote asset(s), e.g. {remote[0][:120]}")
    return page
