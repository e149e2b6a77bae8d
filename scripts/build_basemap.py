"""Build the shipped offline basemap (data/basemap/) from the sources in ../shared/gazetteer-src.

    python scripts/build_basemap.py [--src DIR] [--out DIR] [--tolerance DEG]

Writes compact RFC 7946 GeoJSON (5 decimals, about 1 m), one Feature a line so that a rebuild
shows up as a readable diff:

- ``oblasts.geojson``: the 27 first-level units of Ukraine (oblasts, Kyiv, Sevastopol, Crimea),
  simplified as a *coverage*, so that neighbouring oblasts keep one shared border (simplifying each
  polygon on its own would open slivers and overlaps between them);
- ``rivers.geojson``: Natural Earth 1:50m river centrelines in and around Ukraine, one
  MultiLineString per river name;
- ``lakes.geojson``: Natural Earth 1:50m lakes and reservoirs there (Kremenchuk, Kakhovka, Syvash);
- ``ATTRIBUTION``: sources, licences and commits.

The output is byte-identical for the same sources, so the files are only rewritten when the data
changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "gazetteer-src"
DEFAULT_OUT = ROOT / "data" / "basemap"

OBLASTS_SRC = Path("boundaries") / "geoBoundaries-UKR-ADM1_simplified.geojson"
RIVERS_SRC = Path("rivers") / "ne_50m_rivers_lake_centerlines.geojson"
LAKES_SRC = Path("rivers") / "ne_50m_lakes.geojson"

# Ukraine and a margin around it (west, south, east, north): rivers that cross the border still
# read as rivers, and the Don and the Danube delta stay in view for orientation.
AROUND_UKRAINE = (20.0, 43.0, 42.5, 53.8)
DECIMALS = 5  # ~1 m: far below what a 0.005° simplification keeps
# Oblast borders: coverage_simplify removes vertices by the area of the triangle they make
# (Visvalingam-Whyatt; tolerance ~ the square root of that area), so 0.01 deg here is roughly a
# 0.005 deg (~0.5 km) Douglas-Peucker distance: borders still read right at zoom 10.
DEFAULT_TOLERANCE = 0.01
LINE_TOLERANCE = 0.005  # degrees, Douglas-Peucker, for rivers and lake shores
MIN_RING_AREA = 1e-5  # square degrees (~0.1 km²): islets and slivers the simplification leaves

# What a reader should know that the 2012-era Natural Earth data does not say.
LAKE_NOTES = {
    "Kakhovka Reservoir": "drained after the dam's destruction on 6 June 2023",
}

ATTRIBUTION = """\
frontmap offline basemap (data/basemap/) - sources and licences
================================================================

oblasts.geojson
    geoBoundaries gbOpen, UKR ADM1 (https://www.geoboundaries.org), attribution required.
    The UKR ADM1 source is reported as OpenStreetMap, (c) OpenStreetMap contributors,
    licensed under the Open Database License (ODbL) 1.0
    (https://opendatacommons.org/licenses/odbl/1-0/); this extract is shared under the same
    licence. Taken unmodified as geoBoundaries-UKR-ADM1_simplified.geojson from GitHub
    zzmy78/maps, commit c88664dc8d66f93a7d56c147083a51ff16bae294.
    Changes: coverage-simplified (shapely coverage_simplify, tolerance {tolerance}), rings smaller than
    {min_area} square degrees dropped, coordinates rounded to {decimals} decimals; only the
    properties name (shapeName) and iso (shapeISO) kept. Crimea and Sevastopol are drawn as
    parts of Ukraine, as in the source.

rivers.geojson, lakes.geojson
    Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.
    Public domain. 1:50m rivers_lake_centerlines and lakes, as GeoJSON from GitHub
    NelisV/ne_geojson, commit 7baddf966ab3a517a8b5402283206be60cd87fab.
    Changes: clipped to lon {west}..{east}, lat {south}..{north}; river parts merged per name;
    simplified with a tolerance of {line_tolerance} degrees; coordinates rounded to {decimals}
    decimals; only the names (name, name_en, name_uk) kept, plus a note on the Kakhovka
    reservoir. The 1:50m data has no Siverskyi Donets, Oskil, Desna or Southern Bug.

Built by scripts/build_basemap.py from ../shared/gazetteer-src.
"""


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, tuple | list) and coords and isinstance(coords[0], int | float):
        return [round(float(coords[0]), DECIMALS), round(float(coords[1]), DECIMALS)]
    return [_round_coords(c) for c in coords]


def _geometry_json(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON of a geometry with rounded coordinates."""
    as_json = mapping(geometry)
    return {"type": as_json["type"], "coordinates": _round_coords(as_json["coordinates"])}


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons of any geometry (GeometryCollections from clipping included)."""
    if isinstance(geometry, Polygon):
        return [geometry] if not geometry.is_empty else []
    if isinstance(geometry, MultiPolygon | GeometryCollection):
        return [p for part in geometry.geoms for p in _polygons(part)]
    return []


def _lines(geometry: BaseGeometry) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [geometry] if not geometry.is_empty else []
    if isinstance(geometry, MultiLineString | GeometryCollection):
        return [line for part in geometry.geoms for line in _lines(part)]
    return []


def _clean_polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Valid, right-hand-rule (RFC 7946) polygons without tiny rings, rounded; None if nothing is left."""
    geometry = shapely.set_precision(geometry, 10**-DECIMALS)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    kept = []
    for polygon in _polygons(geometry):
        if polygon.area < MIN_RING_AREA:
            continue
        holes = [ring for ring in polygon.interiors if Polygon(ring).area >= MIN_RING_AREA]
        kept.append(orient(Polygon(polygon.exterior, holes), sign=1.0))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def _read(path: Path) -> list[Mapping[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [f for f in data.get("features", []) if isinstance(f, Mapping) and f.get("geometry")]


def build_oblasts(src: Path, tolerance: float) -> list[dict[str, Any]]:
    """The oblasts as coverage-simplified polygons with ``name`` and ``iso``, sorted by name."""
    features = sorted(_read(src / OBLASTS_SRC), key=lambda f: str(f["properties"]["shapeName"]))
    geometries = [shapely.make_valid(shape(f["geometry"])) for f in features]
    simplified = shapely.coverage_simplify(geometries, tolerance, simplify_boundary=True)
    out = []
    for feature, geometry in zip(features, simplified, strict=True):
        cleaned = _clean_polygonal(geometry)
        if cleaned is None:  # pragma: no cover - every oblast is far larger than the tolerance
            raise SystemExit(f"build_basemap: {feature['properties']['shapeName']} vanished")
        props = feature["properties"]
        out.append(
            {
                "type": "Feature",
                "properties": {"name": props["shapeName"], "iso": props["shapeISO"]},
                "geometry": _geometry_json(cleaned),
            }
        )
    return out


def _names(props: Mapping[str, Any]) -> dict[str, str]:
    """name, and name_en / name_uk when they add something."""
    name = str(props.get("name") or props.get("name_en") or "").strip()
    names = {"name": name}
    for key in ("name_en", "name_uk"):
        value = str(props.get(key) or "").strip()
        if value and value != name:
            names[key] = value
    return names


def build_rivers(src: Path, tolerance: float = LINE_TOLERANCE) -> list[dict[str, Any]]:
    """River centrelines near Ukraine, merged into one MultiLineString per name, sorted by name."""
    frame = box(*AROUND_UKRAINE)
    parts: dict[str, list[LineString]] = {}
    names: dict[str, dict[str, str]] = {}
    for feature in _read(src / RIVERS_SRC):
        geometry = shape(feature["geometry"])
        if not geometry.intersects(frame):
            continue
        found = _names(feature["properties"])
        key = found["name"]
        if not key:
            continue
        names.setdefault(key, found)
        parts.setdefault(key, []).extend(_lines(geometry.intersection(frame)))
    out = []
    for key in sorted(parts):
        merged = linemerge(MultiLineString(parts[key]))
        lines = [
            line for line in _lines(shapely.set_precision(merged.simplify(tolerance), 10**-DECIMALS)) if line.length > 0
        ]
        if not lines:
            continue
        lines.sort(key=lambda line: line.coords[0])
        out.append(
            {
                "type": "Feature",
                "properties": names[key],
                "geometry": _geometry_json(MultiLineString(lines)),
            }
        )
    return out


def build_lakes(src: Path, tolerance: float = LINE_TOLERANCE) -> list[dict[str, Any]]:
    """Lakes and reservoirs near Ukraine, sorted by name."""
    frame = box(*AROUND_UKRAINE)
    out = []
    for feature in _read(src / LAKES_SRC):
        geometry = shape(feature["geometry"])
        if not geometry.intersects(frame):
            continue
        cleaned = _clean_polygonal(geometry.intersection(frame).simplify(tolerance))
        if cleaned is None:
            continue
        props: dict[str, str] = _names(feature["properties"])
        note = LAKE_NOTES.get(props["name"])
        if note:
            props["note"] = note
        out.append({"type": "Feature", "properties": props, "geometry": _geometry_json(cleaned)})
    return sorted(out, key=lambda f: str(f["properties"]["name"]))


def dumps(features: Iterable[Mapping[str, Any]]) -> str:
    """A FeatureCollection with one compact Feature a line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def build(src: Path, out: Path, tolerance: float = DEFAULT_TOLERANCE) -> dict[str, int]:
    """Write the basemap files; returns their sizes in bytes by file name."""
    out.mkdir(parents=True, exist_ok=True)
    west, south, east, north = AROUND_UKRAINE
    texts = {
        "oblasts.geojson": dumps(build_oblasts(src, tolerance)),
        "rivers.geojson": dumps(build_rivers(src)),
        "lakes.geojson": dumps(build_lakes(src)),
        "ATTRIBUTION": ATTRIBUTION.format(
            tolerance=tolerance,
            line_tolerance=LINE_TOLERANCE,
            min_area=MIN_RING_AREA,
            decimals=DECIMALS,
            west=west,
            east=east,
            south=south,
            north=north,
        ),
    }
    sizes = {}
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        sizes[name] = path.stat().st_size
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="the gazetteer-src folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the basemap")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="oblast simplification (shapely coverage_simplify's tolerance)",
    )
    args = parser.parse_args(argv)
    if not (args.src / OBLASTS_SRC).is_file():
        print(f"build_basemap: {args.src / OBLASTS_SRC} not found (see --src)", file=sys.stderr)
        return 2
    sizes = build(args.src, args.out, args.tolerance)
    for name, size in sizes.items():
        print(f"{args.out / name}: {size:,} bytes")
    print(f"total: {sum(sizes.values()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
