"""The geopy adapter: LocalGeocoder answers geocode() and reverse() offline."""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from frontmap.gazetteer import Gazetteer
from frontmap.gazetteer.geocoder import LocalGeocoder, OfflineAdapter


@pytest.fixture(scope="module")
def geocoder() -> LocalGeocoder:
    return LocalGeocoder(Gazetteer.load(include_user=False))


def test_is_a_geopy_geocoder(geocoder: LocalGeocoder) -> None:
    assert isinstance(geocoder, Geocoder)
    assert isinstance(geocoder.adapter, OfflineAdapter)


def test_adapter_refuses_network(geocoder: LocalGeocoder) -> None:
    with pytest.raises(GeocoderServiceError, match="offline"):
        geocoder.adapter.get_json("https://example.org", timeout=1, headers={})
    with pytest.raises(GeocoderServiceError):
        geocoder.adapter.get_text("https://example.org", timeout=1, headers={})


def test_geocode_one(geocoder: LocalGeocoder) -> None:
    location = geocoder.geocode("Kleshcheevka")
    assert isinstance(location, Location)
    assert location.raw["id"] == "geonames:13512497"
    assert location.raw["name"] == "Klishchiivka"
    assert location.raw["match"] == "transliteration"
    assert location.address == "Klishchiivka, Bakhmut Raion, Donetsk Oblast, UA"
    assert abs(location.latitude - 48.529) < 0.01 and abs(location.longitude - 37.960) < 0.01


def test_geocode_with_admin_context(geocoder: LocalGeocoder) -> None:
    locations = geocoder.geocode("Andriivka, Donetsk Oblast", exactly_one=False)
    assert isinstance(locations, list) and len(locations) > 3
    assert all(loc.raw["admin1"] == "Donetsk Oblast" for loc in locations)
    assert "geonames:9114136" in {loc.raw["id"] for loc in locations}
    near = geocoder.geocode("Andriivka", near=(48.59, 38.0))
    assert isinstance(near, Location) and near.raw["id"] == "geonames:9114136"


def test_geocode_context_that_is_no_oblast_is_ignored(geocoder: LocalGeocoder) -> None:
    location = geocoder.geocode("Bakhmut, Ukraine")
    assert isinstance(location, Location) and location.raw["id"] == "geonames:713174"


def test_geocode_structured_query(geocoder: LocalGeocoder) -> None:
    location = geocoder.geocode({"city": "Andriivka", "state": "Donetsk Oblast"})
    assert isinstance(location, Location) and location.raw["admin1"] == "Donetsk Oblast"


def test_geocode_nothing(geocoder: LocalGeocoder) -> None:
    assert geocoder.geocode("Xqzvwrtp") is None
    assert geocoder.geocode("Xqzvwrtp", exactly_one=False) == []
    with pytest.raises(GeocoderQueryError):
        geocoder.geocode("  ")


def test_geocode_limit(geocoder: LocalGeocoder) -> None:
    locations = geocoder.geocode("Lyman", exactly_one=False, limit=3)
    assert isinstance(locations, list) and len(locations) == 3


def test_reverse(geocoder: LocalGeocoder) -> None:
    location = geocoder.reverse((48.59, 38.0))
    assert isinstance(location, Location)
    assert location.raw["feature_class"] == "P"
    assert location.raw["admin2"] == "Bakhmut Raion"
    assert location.raw["distance_km"] < 5
    assert geocoder.reverse(Point(48.59, 38.0)).raw == location.raw  # type: ignore[union-attr]
    assert geocoder.reverse("48.59, 38.0").raw == location.raw  # type: ignore[union-attr]
    many = geocoder.reverse((48.59, 38.0), exactly_one=False)
    assert isinstance(many, list) and len(many) == 1


def test_reverse_nothing_and_bad_point(geocoder: LocalGeocoder) -> None:
    assert geocoder.reverse((0.0, -150.0)) is None
    assert geocoder.reverse((0.0, -150.0), exactly_one=False) == []
    with pytest.raises(GeocoderQueryError):
        geocoder.reverse("not a point")


def test_default_gazetteer_loads_lazily(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("FRONTMAP_HOME", str(tmp_path))
    geocoder = LocalGeocoder(user_agent="test", timeout=3)
    location = geocoder.geocode("Bakhmut")
    assert isinstance(location, Location) and location.raw["id"] == "geonames:713174"


def test_works_with_rate_limiter(geocoder: LocalGeocoder) -> None:
    from geopy.extra.rate_limiter import RateLimiter

    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert geocode("Ugledar").raw["name"] == "Vuhledar"
