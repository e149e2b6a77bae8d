"""A geopy geocoder backed by the local gazetteer: geopy's API, no network.

>>> from frontmap.gazetteer.geocoder import LocalGeocoder
>>> geocoder = LocalGeocoder()
>>> geocoder.geocode("Kleshcheevka").raw["name"]
'Klishchiivka'

It plugs into code written for geopy (``RateLimiter``, ``geocode(query, exactly_one=False)``,
``reverse((lat, lon))``). Queries may carry their oblast after a comma: ``"Andriivka, Donetsk
Oblast"``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from frontmap.gazetteer.query import split_context
from frontmap.gazetteer.ranking import distance_km
from frontmap.gazetteer.store import Candidate, Gazetteer
from frontmap.records import Place

__all__ = ["LocalGeocoder", "OfflineAdapter"]


class OfflineAdapter(BaseSyncAdapter):  # type: ignore[misc]
    """A geopy adapter that refuses every request: the local geocoder never goes online."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        """Refuse: there is no network access in frontmap."""
        msg = f"LocalGeocoder is offline; refused to fetch {url}"
        raise GeocoderServiceError(msg)

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        """Refuse: there is no network access in frontmap."""
        msg = f"LocalGeocoder is offline; refused to fetch {url}"
        raise GeocoderServiceError(msg)


def _address(place: Place) -> str:
    parts = [place.name]
    for part in (place.admin2, place.admin1):
        if part and part not in parts:
            parts.append(part)
    if place.country:
        parts.append(place.country)
    return ", ".join(parts)


def _location(candidate: Candidate) -> Location:
    place = candidate.place
    raw: dict[str, object] = dataclasses.asdict(place)
    raw["match"] = candidate.match
    raw["score"] = candidate.score
    return Location(_address(place), Point(place.lat, place.lon), raw)


class LocalGeocoder(Geocoder):  # type: ignore[misc]
    """geopy ``Geocoder`` over :class:`~frontmap.gazetteer.store.Gazetteer` (offline).

    Parameters
    ----------
    gazetteer
        The gazetteer to use; default :meth:`Gazetteer.load` (shipped + user data).
    extra_paths
        Extra gazetteers for :meth:`Gazetteer.load` when ``gazetteer`` is not given.
    **kwargs
        Passed on to geopy's ``Geocoder`` (``timeout``, ``user_agent`` … are accepted and
        ignored; no request is ever made).
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        extra_paths: Sequence[Path] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("adapter_factory", OfflineAdapter)
        super().__init__(**kwargs)
        self._gazetteer = gazetteer
        self._extra_paths = tuple(extra_paths)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer answering the queries (loaded on first use)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load(self._extra_paths)
        return self._gazetteer

    def geocode(
        self,
        query: str | dict[str, str],
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        *,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Resolve a place name to a location (or a ranked list of them).

        Parameters
        ----------
        query
            A name, optionally followed by its oblast: ``"Andriivka, Donetsk Oblast"``. A geopy
            structured query (``{"city": …, "state": …}``) is accepted too.
        exactly_one
            Return the best location only (default) or the ranked list.
        timeout
            Ignored (nothing goes over the network); accepted for geopy compatibility.
        admin1, near, limit
            As for :meth:`Gazetteer.candidates`; ``admin1`` overrides the context in ``query``.

        Returns
        -------
        Location, list of Location, or None
            ``Location.raw`` is the place as a dict, plus ``match`` and ``score``. None (or an
            empty list) when nothing matches. Text after the comma that is no known oblast
            ("Bakhmut, Ukraine") is ignored.
        """
        if isinstance(query, dict):
            name = query.get("city") or query.get("query") or query.get("county") or query.get("state") or ""
            context = query.get("state") if name != query.get("state") else None
        else:
            name, context = split_context(str(query))
        if not name.strip():
            msg = "empty geocoding query"
            raise GeocoderQueryError(msg)
        region = admin1 or context
        candidates = self.gazetteer.candidates(
            name, admin1=region, near=near, limit=1 if exactly_one else limit
        )
        locations = [_location(c) for c in candidates]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(
        self,
        query: Point | tuple[float, float] | str,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        *,
        feature_class: str | None = "P",
    ) -> Location | list[Location] | None:
        """The nearest gazetteer place to a point (a populated place unless told otherwise).

        Parameters
        ----------
        query
            ``(lat, lon)``, a geopy ``Point`` or ``"lat, lon"``.
        exactly_one
            Return a Location (default) or a one-element list.
        timeout
            Ignored; accepted for geopy compatibility.
        feature_class
            GeoNames class of the places considered ("P" populated places; None: any).
        """
        try:
            point = query if isinstance(query, Point) else Point(query)
        except (TypeError, ValueError) as exc:
            msg = f"not a point: {query!r}"
            raise GeocoderQueryError(msg) from exc
        place = self.gazetteer.reverse(point.latitude, point.longitude, feature_class=feature_class)
        if place is None:
            return None if exactly_one else []
        location = _location(Candidate(place, "reverse", 0.0))
        location.raw["distance_km"] = round(
            distance_km(point.latitude, point.longitude, place.lat, place.lon), 3
        )
        return location if exactly_one else [location]
