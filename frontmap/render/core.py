"""``render_map``: the claims, their areas and the resolved places as one self-contained HTML map."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure

from frontmap.config import Config
from frontmap.render.assets import AssetError, OfflineAssets, find_remote_assets
from frontmap.render.elements import (
    AsOfStamp,
    BoundPopup,
    Legend,
    MapChrome,
    TimeControl,
    TitleBox,
)
from frontmap.render.ids import assign_ids, walk
from frontmap.render.popup import claim_popup_html, claim_tooltip_html, esc, place_popup_html
from frontmap.render.symbols import (
    ACTION_ORDER,
    ICON_SIZE,
    LEGEND_INK,
    Mark,
    claimant_palette,
    colour_of,
    legend_order,
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


def _is_unverified(props: Mapping[str, Any]) -> bool:
    return props.get("verification") == "unverified"


def _area_style(colour: str, props: Mapping[str, Any]) -> dict[str, Any]:
    style: dict[str, Any] = {
        "color": colour,
        "weight": 1.2,
        "opacity": 0.75,
        "fillColor": colour,
        "fillOpacity": 0.13,
    }
    if _is_unverified(props):
        style["dashArray"] = "5 4"
    return style


def _draw_areas(
    group: folium.FeatureGroup,
    points: Sequence[ClaimPoint],
    areas: Mapping[str, Mapping[str, Any]],
    palette: Mapping[str, str],
) -> None:
    """All areas of one date as one GeoJSON layer, widest first so small ones stay on top."""
    features = []
    for point in points:
        geometry = areas.get(point.id)
        if geometry is None:
            continue
        radius = point.props.get("uncertainty_km")
        size = float(radius) if isinstance(radius, int | float) and not isinstance(radius, bool) else 0.0
        style = _area_style(colour_of(point.props.get("claimant"), palette), point.props)
        features.append(
            (-size, point.id, {"type": "Feature", "geometry": geometry, "properties": {"style": style}})
        )
    if features:
        collection = {"type": "FeatureCollection", "features": [f for _, _, f in sorted(features)]}
        # Not interactive: clicks go through to the markers, which carry the popups.
        folium.GeoJson(collection, control=False, interactive=False).add_to(group)


def _draw_anchor_line(group: folium.FeatureGroup, point: ClaimPoint, colour: str) -> None:
    anchor = _anchor(point)
    if anchor is None:
        return
    line = folium.PolyLine(  # type: ignore[no-untyped-call]  # folium leaves this signature unannotated
        [[anchor[1], anchor[0]], [point.lat, point.lon]],
        color=colour,
        weight=1.6,
        opacity=0.9,
        dash_array="1 5",
        line_cap="round",
        class_name="fm-anchor-line",
    )
    line.add_to(group)
    folium.CircleMarker(
        [anchor[1], anchor[0]],
        radius=2.5,
        color=colour,
        weight=1.2,
        fill_color="#ffffff",
        fill_opacity=1.0,
        class_name="fm-anchor-line",
    ).add_to(group)


def _mark(point: ClaimPoint, colour: str) -> Mark:
    props = point.props
    bearing = props.get("bearing_deg")
    return Mark(
        action=str(props.get("action") or "other"),
        colour=colour,
        bearing_deg=float(bearing)
        if isinstance(bearing, int | float) and not isinstance(bearing, bool)
        else None,
        denied=props.get("denied") is True,
        unverified=_is_unverified(props),
        contested=props.get("contested") is True,
    )


def _draw_marker(group: folium.FeatureGroup, point: ClaimPoint, colour: str) -> None:
    icon = folium.DivIcon(
        html=marker_svg(_mark(point, colour), claim_id=point.id),
        icon_size=(ICON_SIZE, ICON_SIZE),
        icon_anchor=(ICON_SIZE // 2, ICON_SIZE // 2),
        popup_anchor=(0, -ICON_SIZE // 2 + 2),
        class_name="fm-icon fm-claim",
    )
    marker = folium.Marker([point.lat, point.lon], icon=icon, rise_on_hover=True)
    BoundPopup(claim_popup_html(point.props, colour), claim_tooltip_html(point.props)).add_to(marker)
    marker.add_to(group)


def _date_layer(
    label: str,
    points: Sequence[ClaimPoint],
    areas: Mapping[str, Mapping[str, Any]],
    palette: Mapping[str, str],
) -> folium.FeatureGroup:
    """One date's layer: areas at the bottom, then anchor lines, then markers."""
    # Leaflet's layer control writes the name with innerHTML: escape it like any other text.
    group = folium.FeatureGroup(name=esc(label), overlay=True, show=True)
    _draw_areas(group, points, areas, palette)
    for point in points:
        _draw_anchor_line(group, point, colour_of(point.props.get("claimant"), palette))
    for point in points:
        _draw_marker(group, point, colour_of(point.props.get("claimant"), palette))
    return group


def _places_layer(places: Mapping[str, Any] | None) -> folium.FeatureGroup | None:
    """The resolved places as small grey dots, an overlay that starts switched off."""
    dots = []
    for feature in _features(places):
        where = _lonlat(feature)
        props = feature.get("properties")
        if where is None or not isinstance(props, Mapping):
            continue
        key = (str(props.get("article") or ""), str(props.get("name") or ""), where)
        dots.append((key, where, props))
    if not dots:
        return None
    group = folium.FeatureGroup(name="places", overlay=True, show=False)
    for _, (lon, lat), props in sorted(dots, key=lambda d: d[0]):
        dot = folium.CircleMarker(
            [lat, lon], radius=3.5, color="#4d4d4d", weight=1, fill_color="#a6a6a6", fill_opacity=0.9
        )
        name = props.get("place_name") or props.get("name") or "place"
        BoundPopup(place_popup_html(props), esc(name)).add_to(dot)
        dot.add_to(group)
    return group


def _styled(collection: Mapping[str, Any], style: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a FeatureCollection with only its geometries and one style (no properties)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": f.get("geometry"), "properties": {"style": dict(style)}}
            for f in _features(collection)
            if isinstance(f.get("geometry"), Mapping)
        ],
    }


def _add_base(m: folium.Map, basemap: Sequence[Mapping[str, Any]], *, tiles: bool) -> None:
    """Background: outlines (e.g. oblast borders) on a plain colour; OpenStreetMap only on request."""
    land = {"color": "#9aa3ad", "weight": 0.8, "opacity": 1.0, "fillColor": "#fbfaf6", "fillOpacity": 1.0}
    target: folium.Map | folium.FeatureGroup = m
    if tiles:
        # A radio choice: the plain background (with the outlines) or the online tiles, never both.
        target = folium.FeatureGroup(name="plain background", overlay=False, show=True)
        target.add_to(m)
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False).add_to(m)
    for collection in basemap:
        folium.GeoJson(_styled(collection, land), control=False, interactive=False).add_to(target)


def _summary(groups: Sequence[tuple[str, Sequence[ClaimPoint]]]) -> str:
    claims = sum(len(points) for _, points in groups)
    dates = sum(1 for label, _ in groups if label != UNDATED)
    parts = [f"{claims} claim{'s' if claims != 1 else ''}", f"{dates} date{'s' if dates != 1 else ''}"]
    undated = sum(len(points) for label, points in groups if label == UNDATED)
    if undated:
        parts.append(f"{undated} undated")
    return esc(" · ".join(parts))


def legend_html(points: Sequence[ClaimPoint], palette: Mapping[str, str]) -> str:
    """The legend's content: who claims (colours), what (symbols) and the marks.

    Parameters
    ----------
    points
        The drawn claims; the legend lists the claimants and actions they use (all actions when
        there are none).
    palette
        Claimant -> colour.
    """
    claimants = legend_order(palette) or ["Ukraine", "Russia"]
    colours = claimant_palette(claimants) | dict(palette)
    present = {str(p.props.get("action") or "other") for p in points}
    actions = [a for a in ACTION_ORDER if a in present or not points]
    if any(a not in ACTION_ORDER for a in present) and "other" not in actions:
        actions.append("other")

    def item(symbol: str, text: str) -> str:
        return f"<li>{symbol}<span>{esc(text)}</span></li>"

    who = "".join(item(swatch_svg(colours[c]), c) for c in claimants)
    what = "".join(item(marker_svg(Mark(a, LEGEND_INK, bearing_deg=45.0), size=20), a) for a in actions)
    if any(_mark(p, LEGEND_INK).bearing_deg is None for p in points if p.props.get("action") == "advance"):
        what += item(marker_svg(Mark("advance", LEGEND_INK), size=20), "advance (no bearing)")
    area = (
        '<svg width="20" height="14" aria-hidden="true"><rect x="1" y="1" width="18" height="12" rx="3"'
        f' fill="{LEGEND_INK}" fill-opacity="0.15" stroke="{LEGEND_INK}" stroke-width="1"/></svg>'
    )
    line = (
        '<svg width="20" height="14" aria-hidden="true"><path d="M2 12 L18 2" stroke="' + LEGEND_INK + '"'
        ' stroke-width="1.6" stroke-dasharray="1 4" stroke-linecap="round"/>'
        f'<circle cx="2.5" cy="11.5" r="2" fill="#fff" stroke="{LEGEND_INK}"/></svg>'
    )
    marks = "".join(
        [
            item(marker_svg(Mark("other", LEGEND_INK, unverified=True), size=20), "unverified"),
            item(marker_svg(Mark("other", LEGEND_INK, contested=True), size=20), "contested"),
            item(marker_svg(Mark("other", LEGEND_INK, denied=True), size=20), "denial"),
            item(area, "area: how precise"),
            item(line, "from reference place"),
        ]
    )
    return (
        f"<h2>Who claims</h2><ul class='fm-cols'>{who}</ul>"
        f"<h2>What</h2><ul class='fm-cols'>{what}</ul>"
        f"<h2>Marks</h2><ul class='fm-cols'>{marks}</ul>"
    )


def _fit(m: folium.Map, bounds: Bounds | None) -> None:
    (south, west), (north, east) = bounds or UKRAINE_BOUNDS
    # Room for the boxes in the corners; max_zoom keeps a single claim from filling the screen.
    m.fit_bounds([[south, west], [north, east]], padding=(40, 40), max_zoom=11)


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
    basemap: Sequence[Mapping[str, Any]] = (),
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
        Run options; ``config.tiles`` offers OpenStreetMap tiles as an optional base layer.
    basemap
        Optional FeatureCollections of outlines (e.g. oblast borders) drawn as a plain background;
        the map needs none of them.

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
    area_geometries = _area_geometries(areas)
    palette = claimant_palette(p.props.get("claimant") for p in points)
    bounds = data_bounds(points, area_geometries)
    centre = bounds or UKRAINE_BOUNDS

    m = folium.Map(
        location=[round((centre[0][0] + centre[1][0]) / 2, 6), round((centre[0][1] + centre[1][1]) / 2, 6)],
        zoom_start=6,
        tiles=None,
        control_scale=False,  # MapChrome adds a metric-only scale bar
        zoom_control="topright",
    )
    OfflineAssets().add_to(m)
    MapChrome(ATTRIBUTION).add_to(m)
    _add_base(m, basemap, tiles=config.tiles)
    steps = []
    for label, members in groups:
        layer = _date_layer(label, members, area_geometries, palette)
        layer.add_to(m)
        steps.append((label, layer))
    places_layer = _places_layer(places)
    if places_layer is not None:
        places_layer.add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    TitleBox(esc(title), _summary(groups)).add_to(m)
    AsOfStamp(f"as of {esc(as_of)}" if as_of else "as of: no dated article").add_to(m)
    if steps:  # an empty map has nothing to step through
        TimeControl(steps).add_to(m)
    Legend(legend_html(points, palette)).add_to(m)
    _fit(m, bounds)

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
