"""Geometry: offsets at the stated distance and bearing; sectors contain their point."""

from __future__ import annotations

import math

import shapely
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from frontmap.geometry import Disc, Sector, circle, circles, offset, place_radius_km, sector_polygon
from frontmap.records import Place

GEOD = Geod(ellps="WGS84")
lats = st.floats(min_value=-60.0, max_value=70.0)
lons = st.floats(min_value=-179.0, max_value=179.0)
bearings = st.floats(min_value=0.0, max_value=359.99)
distances = st.floats(min_value=0.1, max_value=300.0)


def angle_diff(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


@settings(max_examples=200, deadline=None)
@given(lats, lons, bearings, distances)
def test_offset_lies_at_stated_distance_and_bearing(lat: float, lon: float, bearing: float, km: float) -> None:
    lat2, lon2 = offset(lat, lon, bearing, km)
    azimuth, _back, metres = GEOD.inv(lon, lat, lon2, lat2)
    assert abs(metres - km * 1000.0) < 1.0
    assert angle_diff(azimuth % 360.0, bearing) < 0.1


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=44.0, max_value=52.5), st.floats(min_value=22.0, max_value=40.5), bearings,
       st.sampled_from([11.25, 22.5, 45.0]), st.floats(min_value=0.0, max_value=20.0),
       st.floats(min_value=0.5, max_value=40.0))
def test_sector_contains_its_point(lat: float, lon: float, bearing: float, half: float, lo: float,
                                   width: float) -> None:
    hi = lo + width
    sector = Sector(lat=lat, lon=lon, bearing_deg=bearing, half_width_deg=half, min_km=lo, max_km=hi)
    polygon = sector_polygon(sector)
    assert polygon.is_valid
    mid_lat, mid_lon = offset(lat, lon, bearing, (lo + hi) / 2.0)
    assert polygon.contains(Point(mid_lon, mid_lat))
    far_lat, far_lon = offset(lat, lon, (bearing + 180.0) % 360.0, (lo + hi) / 2.0)
    assert not polygon.contains(Point(far_lon, far_lat))


def test_circle_radius_is_geodesic() -> None:
    polygon = circle(48.59, 38.0, 5.0)
    assert polygon.is_valid and polygon.exterior.is_ccw
    for lon, lat in list(polygon.exterior.coords)[:-1]:
        assert abs(geodesic((48.59, 38.0), (lat, lon)).km - 5.0) < 0.01


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(lats, lons, st.floats(min_value=0.0, max_value=120.0)), max_size=6))
def test_circles_traced_together_are_the_circles_traced_alone(discs: list[tuple[float, float, float]]) -> None:
    together = circles([Disc(lat, lon, km) for lat, lon, km in discs])
    for (lat, lon, km), polygon in zip(discs, together, strict=True):
        alone = circle(lat, lon, km)
        assert shapely.get_coordinates(polygon).tobytes() == shapely.get_coordinates(alone).tobytes()


def test_place_radius_grows_with_population() -> None:
    def place(pop: int, code: str = "PPL") -> Place:
        return Place(id="x", name="x", lat=0, lon=0, feature_class="P" if code.startswith("PPL") else "A",
                     feature_code=code, population=pop)

    assert place_radius_km(place(400)) < place_radius_km(place(70_000)) < place_radius_km(place(1_000_000))
    assert place_radius_km(place(0, "ADM1")) > place_radius_km(place(0, "ADM2")) > 10
    assert math.isclose(place_radius_km(place(0)), 0.5)
