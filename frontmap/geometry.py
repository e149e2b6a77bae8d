"""Claims -> geometry whose size is the claim's uncertainty.

Points are moved, and circles and sectors traced, with pyproj's geodesic on the WGS84 ellipsoid
(vectorised, so that many claims stay cheap). All coordinates are lon/lat.

How big the area is:

* a claim *in* a settlement: the settlement's own extent, from its population;
* *near* a place, or a place given only by a vague relation: that extent plus a few km;
* a region (oblast, raion): a radius of the order of the region's size;
* *relative* to an anchor ("2 km southwest of X"): the annular sector that the words leave open:
  the direction's compass width (±45° for "south", ±22.5° for "southwest", ±11.25° for
  "south-southwest") and the distance's min..max.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Polygon

from frontmap.records import Claim, LocatedClaim, Place

_GEOD = Geod(ellps="WGS84")

#: km added around a place when the claim says only "near", "around" or "in the direction of".
NEAR_SLACK_KM = 5.0
#: default radius when a direction is given from an anchor with no distance.
DEFAULT_RELATIVE_RANGE_KM = (0.0, 10.0)


@dataclass(frozen=True, slots=True)
class Sector:
    """An annular sector around an anchor: bearings centre ± half width, distances lo..hi km."""

    lat: float
    lon: float
    bearing_deg: float
    half_width_deg: float
    min_km: float
    max_km: float


@dataclass(frozen=True, slots=True)
class Disc:
    """A geodesic circle of ``radius_km`` around (lat, lon): a place's own extent (plus slack)."""

    lat: float
    lon: float
    radius_km: float


def offset(lat: float, lon: float, bearing_deg: float, distance_km: float) -> tuple[float, float]:
    """The point ``distance_km`` from (lat, lon) along ``bearing_deg``, geodesically.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` of the destination.
    """
    # pyproj's geodesic on WGS84 (Karney's algorithm, as geopy's geodesic), in C: a tenth of the cost.
    dest_lon, dest_lat, _ = _GEOD.fwd(lon, lat, bearing_deg, distance_km * 1000.0)
    return float(dest_lat), float(dest_lon)


def circle(lat: float, lon: float, radius_km: float, *, segments: int = 48) -> Polygon:
    """A geodesic circle as a counter-clockwise lon/lat polygon."""
    radius_km = max(radius_km, 0.05)
    azimuths = np.linspace(0.0, 360.0, segments, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(segments, lon), np.full(segments, lat), azimuths,
                              np.full(segments, radius_km * 1000.0))
    # fwd walks clockwise (azimuth grows eastward): reverse for the right-hand rule. (An array,
    # not a list of tuples: the same coordinates, a quarter of the cost per claim.)
    return Polygon(np.column_stack((lons[::-1], lats[::-1])))


def circles(discs: Sequence[Disc], *, segments: int = 48) -> list[Polygon]:
    """:func:`circle` of each disc, traced in one pyproj call and built in one shapely call (the
    same coordinates: pyproj measures each point on its own, whatever the batch)."""
    if not discs:
        return []
    azimuths = np.tile(np.linspace(0.0, 360.0, segments, endpoint=False), len(discs))
    lons, lats, _ = _GEOD.fwd(np.repeat([d.lon for d in discs], segments), np.repeat([d.lat for d in discs], segments),
                              azimuths, np.repeat([max(d.radius_km, 0.05) * 1000.0 for d in discs], segments))
    # Each circle's points reversed, as circle() does: counter-clockwise.
    rings = np.stack((lons.reshape(-1, segments)[:, ::-1], lats.reshape(-1, segments)[:, ::-1]), axis=-1)
    polygons: list[Polygon] = shapely.polygons(rings).tolist()
    return polygons


def sector_polygon(sector: Sector, *, step_deg: float = 3.0) -> Polygon:
    """The annular sector as a counter-clockwise lon/lat polygon (a wedge when min_km is 0)."""
    start = sector.bearing_deg - sector.half_width_deg
    end = sector.bearing_deg + sector.half_width_deg
    count = max(3, math.ceil((end - start) / step_deg) + 1)
    azimuths = np.linspace(start, end, count)
    outer_lons, outer_lats, _ = _GEOD.fwd(np.full(count, sector.lon), np.full(count, sector.lat), azimuths,
                                          np.full(count, max(sector.max_km, 0.05) * 1000.0))
    outer = np.column_stack((outer_lons, outer_lats))
    if sector.min_km > 0.01:
        inner_lons, inner_lats, _ = _GEOD.fwd(np.full(count, sector.lon), np.full(count, sector.lat),
                                              azimuths[::-1], np.full(count, sector.min_km * 1000.0))
        ring = np.vstack((outer, np.column_stack((inner_lons, inner_lats))))
    else:
        ring = np.vstack((outer, [[sector.lon, sector.lat]]))
    # Outer arc runs clockwise; reverse the ring to make it counter-clockwise.
    return Polygon(ring[::-1])


def place_radius_km(place: Place) -> float:
    """How far from its point a place's own extent reaches, in km.

    Settlements grow with population (a village of 400 people ~0.7 km, a city of a million
    ~10 km); regions get a radius of their order of size.
    """
    code = place.feature_code
    if code == "ADM1":
        return 80.0
    if code == "ADM2":
        return 30.0
    if code == "ADM3":
        return 10.0
    if place.feature_class == "H":  # rivers, reservoirs: the point is a convention
        return 25.0
    if place.feature_class in {"T", "L", "V"}:
        return 3.0
    population = max(place.population, 0)
    return round(min(15.0, 0.5 + math.sqrt(population) / 100.0), 2)


def geo_precision_of(place: Place, *, relative: bool, near: bool) -> int:
    """ACLED-style precision: 1 the place itself, 2 near/relative to it, 3 a region."""
    if place.feature_class == "A" or place.feature_class == "H":
        return 3
    if relative or near:
        return 2
    return 1


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a claim goes, before its area is traced: the point, the precision, the
    uncertainty, and the shape of the area (:func:`trace` draws it)."""

    lon: float
    lat: float
    geo_precision: int
    uncertainty_km: float
    shape: Disc | Sector


def trace(shape: Disc | Sector) -> Polygon:
    """The area of a :class:`Placement` as a lon/lat polygon."""
    if isinstance(shape, Disc):
        return circle(shape.lat, shape.lon, shape.radius_km)
    return sector_polygon(shape)


def locate(claim: Claim, *, near: bool | None = None) -> LocatedClaim | None:
    """Give a claim its point and area; ``None`` when it has no resolved place.

    Parameters
    ----------
    claim
        The claim; its ``place``/``anchor`` mentions must be resolved to be located.
    near
        The sentence places the claim only *near* the place (adds ``NEAR_SLACK_KM``); by
        default, what the claim says (``Claim.near``).
    """
    spot = place_claim(claim, near=near)
    if spot is None:
        return None
    return LocatedClaim(claim=claim, lon=spot.lon, lat=spot.lat, geo_precision=spot.geo_precision,
                        uncertainty_km=spot.uncertainty_km, area=trace(spot.shape))


def place_claim(claim: Claim, *, near: bool | None = None) -> Placement | None:
    """What :func:`locate` gives, with the area's shape instead of its polygon (many claims share
    a shape: the stream traces and encodes each shape once)."""
    if near is None:
        near = claim.near
    anchor = claim.anchor.place if claim.anchor is not None else None
    if claim.place_is_offset and anchor is not None and claim.bearing_deg is not None:
        return _place_offset(claim, anchor)
    target = claim.place.place if claim.place is not None else None
    if target is None:
        return None
    radius = place_radius_km(target) + (NEAR_SLACK_KM if near else 0.0)
    precision = geo_precision_of(target, relative=False, near=near)
    return Placement(lon=target.lon, lat=target.lat, geo_precision=precision, uncertainty_km=round(radius, 3),
                     shape=Disc(target.lat, target.lon, radius))


def _place_offset(claim: Claim, anchor: Place) -> Placement:
    assert claim.bearing_deg is not None
    half_width = _half_width(claim.direction)
    lo, hi = DEFAULT_RELATIVE_RANGE_KM
    distance = claim.distance
    if distance is not None:
        km = distance.km
        lo = distance.min_km if distance.min_km is not None else 0.0
        if distance.max_km is not None:
            hi = distance.max_km
        elif km is not None:
            # "more than 2 km": open above; draw up to twice the stated figure.
            hi = max(km * 2.0, km + 2.0)
        else:
            hi = lo + DEFAULT_RELATIVE_RANGE_KM[1]
    middle = distance.km if distance is not None and distance.km is not None else (lo + hi) / 2.0
    lat, lon = offset(anchor.lat, anchor.lon, claim.bearing_deg, middle)
    sector = Sector(lat=anchor.lat, lon=anchor.lon, bearing_deg=claim.bearing_deg, half_width_deg=half_width,
                    min_km=lo, max_km=hi)
    uncertainty = max(hi - middle, middle - lo, 2.0 * middle * math.sin(math.radians(half_width)) / 2.0)
    return Placement(lon=lon, lat=lat, geo_precision=2, uncertainty_km=round(max(uncertainty, 0.5), 3), shape=sector)


def _half_width(point: str | None) -> float:
    """Half the angular width a compass word leaves open: 45° for N, 22.5° for NE, 11.25° for NNE."""
    if not point:
        return 45.0
    return {1: 45.0, 2: 22.5}.get(len(point), 11.25)
