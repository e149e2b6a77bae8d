"""Located claims and mentions -> GeoJSON (RFC 7946) feature collections, and files.

RFC 7946: coordinates are [lon, lat] on WGS84, polygons follow the right-hand rule (exterior
counter-clockwise), there is no ``crs`` member; coordinates are rounded to 6 decimals (~0.1 m).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shapely.geometry import Polygon, mapping
from shapely.geometry.polygon import orient

from frontmap.records import Article, LocatedClaim, Mention

COORD_DECIMALS = 6

#: Claim properties in the order of the output contract (DESIGN.md), then frontmap's extras.
CLAIM_PROPERTIES: tuple[str, ...] = (
    "id", "article", "source", "url", "published", "date", "date_precision", "claimant", "claimant_name",
    "actor", "action", "place", "place_id", "place_name", "admin1", "anchor", "anchor_id", "direction",
    "bearing_deg", "distance_km", "distance_min_km", "distance_max_km", "distance_text", "geo_precision",
    "uncertainty_km", "verification", "denied", "contested", "quote",
    # extras: how the place was chosen, and where the anchor is (for the map's anchor line)
    "reason", "candidates", "anchor_lon", "anchor_lat",
)
PLACE_PROPERTIES: tuple[str, ...] = (
    "article", "name", "place_id", "place_name", "admin1", "admin2", "feature_code", "population", "mentions",
    "candidates", "reason",
)


def _round(value: float) -> float:
    return round(float(value), COORD_DECIMALS)


def claim_properties(located: LocatedClaim, article: Article) -> dict[str, Any]:
    """The contract's properties of one claim."""
    claim = located.claim
    place_mention = claim.place
    place = place_mention.place if place_mention is not None else None
    anchor_mention = claim.anchor
    anchor = anchor_mention.place if anchor_mention is not None else None
    distance = claim.distance
    chosen = place_mention if place is not None else anchor_mention
    props: dict[str, Any] = {
        "id": claim.id,
        "article": claim.article,
        "source": article.source,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "date": claim.date.isoformat() if claim.date else None,
        "date_precision": claim.date_precision if claim.date else None,
        "claimant": claim.claimant,
        "claimant_name": claim.claimant_name,
        "actor": claim.actor,
        "action": claim.action,
        "place": place_mention.text if place_mention is not None else None,
        "place_id": place.id if place is not None else None,
        "place_name": place.name if place is not None else None,
        "admin1": (place or anchor).admin1 if (place or anchor) is not None else None,  # type: ignore[union-attr]
        "anchor": anchor_mention.text if anchor_mention is not None else None,
        "anchor_id": anchor.id if anchor is not None else None,
        "direction": claim.direction,
        "bearing_deg": claim.bearing_deg,
        "distance_km": distance.km if distance else None,
        "distance_min_km": distance.min_km if distance else None,
        "distance_max_km": distance.max_km if distance else None,
        "distance_text": distance.text if distance else None,
        "geo_precision": located.geo_precision,
        "uncertainty_km": located.uncertainty_km,
        "verification": claim.verification,
        "denied": claim.denied,
        "contested": claim.contested,
        "quote": claim.quote,
        "reason": chosen.reason if chosen is not None else None,
        "candidates": len(chosen.candidates) if chosen is not None else 0,
        "anchor_lon": _round(anchor.lon) if anchor is not None and claim.place_is_offset else None,
        "anchor_lat": _round(anchor.lat) if anchor is not None and claim.place_is_offset else None,
    }
    return {key: props[key] for key in CLAIM_PROPERTIES}


def claim_feature(located: LocatedClaim, article: Article) -> dict[str, Any]:
    """One Point feature for a claim."""
    return {
        "type": "Feature",
        "id": located.claim.id,
        "geometry": {"type": "Point", "coordinates": [_round(located.lon), _round(located.lat)]},
        "properties": claim_properties(located, article),
    }


def area_feature(located: LocatedClaim, article: Article) -> dict[str, Any] | None:
    """One Polygon feature for a claim's area (same id), or None when it has none."""
    if not isinstance(located.area, Polygon) or located.area.is_empty:
        return None
    polygon = orient(located.area, sign=1.0)  # exterior counter-clockwise: RFC 7946's right-hand rule
    geometry = _rounded_geometry(mapping(polygon))
    props = claim_properties(located, article)
    return {"type": "Feature", "id": located.claim.id, "geometry": geometry, "properties": props}


def _rounded_geometry(geometry: Mapping[str, Any]) -> dict[str, Any]:
    def walk(coords: Any) -> Any:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            return [_round(coords[0]), _round(coords[1])]
        return [walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def place_features(mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    """One Point feature per distinct place mention per article (name as written + place)."""
    groups: dict[tuple[str, str, str], list[Mention]] = {}
    for mention in mentions:
        if mention.place is None:
            continue
        groups.setdefault((mention.article, mention.text, mention.place.id), []).append(mention)
    features = []
    for (article, name, place_id), group in sorted(groups.items()):
        place = group[0].place
        assert place is not None
        props = {
            "article": article,
            "name": name,
            "place_id": place_id,
            "place_name": place.name,
            "admin1": place.admin1,
            "admin2": place.admin2,
            "feature_code": place.feature_code,
            "population": place.population,
            "mentions": len(group),
            "candidates": max(len(m.candidates) for m in group),
            "reason": group[0].reason,
        }
        features.append({
            "type": "Feature",
            "id": f"{article}:{name}:{place_id}",
            "geometry": {"type": "Point", "coordinates": [_round(place.lon), _round(place.lat)]},
            "properties": props,
        })
    return features


def feature_collection(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Wrap features in an RFC 7946 FeatureCollection (no crs member)."""
    return {"type": "FeatureCollection", "features": list(features)}


def dumps(collection: Mapping[str, Any]) -> str:
    """Serialise deterministically: same input, same bytes."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


# --------------------------------------------------------------------------------------------
# The formats GIS users expect, through geopandas: GeoPackage, GeoParquet, and a flat CSV.

EXTRA_FORMATS = ("gpkg", "parquet")
_LAYERS = ("claims", "areas", "places")


def to_geodataframe(collection: Mapping[str, Any], columns: Sequence[str]) -> Any:
    """A GeoDataFrame (EPSG:4326) of a collection, with the contract's columns in order."""
    import geopandas as gpd

    features = collection.get("features", [])
    if features:
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    else:
        frame = gpd.GeoDataFrame({name: [] for name in columns}, geometry=[], crs="EPSG:4326")
    for name in columns:
        if name not in frame.columns:
            frame[name] = None
    return frame[[*columns, "geometry"]]


def write_extra_formats(
    out_dir: Any, collections: Mapping[str, Mapping[str, Any]], *, formats: Sequence[str], csv: bool
) -> dict[str, str]:
    """Write GeoPackage (one layer per collection), GeoParquet (a file per collection) and CSV.

    Each file is written beside its final name and renamed into place, so a reader never sees
    a half-written one. Returns the written paths by name.
    """
    import os
    import tempfile
    from pathlib import Path

    out = Path(out_dir)
    written: dict[str, str] = {}
    columns = {"claims": CLAIM_PROPERTIES, "areas": CLAIM_PROPERTIES, "places": PLACE_PROPERTIES}
    frames = {name: to_geodataframe(collections[name], columns[name]) for name in _LAYERS}

    def atomic(target: Path, write: Any) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=out)
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()  # the drivers want to create the file themselves
        try:
            write(tmp)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        written[target.name] = str(target)

    if "gpkg" in formats:
        def write_gpkg(tmp: Path) -> None:
            for name in _LAYERS:
                frame = frames[name]
                if len(frame):
                    frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
            if not tmp.exists():  # nothing to write: an empty but valid GeoPackage
                frames["claims"].to_file(tmp, layer="claims", driver="GPKG", engine="pyogrio")

        atomic(out / "frontmap.gpkg", write_gpkg)
    if "parquet" in formats:
        for name in _LAYERS:
            atomic(out / f"{name}.parquet", frames[name].to_parquet)
    if csv:
        frame = frames["claims"]
        flat = frame.drop(columns="geometry")
        flat.insert(0, "lat", [g.y if g is not None else None for g in frame.geometry])
        flat.insert(1, "lon", [g.x if g is not None else None for g in frame.geometry])

        def write_csv(tmp: Path) -> None:
            flat.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")

        atomic(out / "claims.csv", write_csv)
    return written
