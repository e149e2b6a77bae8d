"""Exports GIS users can trust: RFC 7946 GeoJSON, GeoPackage, GeoParquet and CSV, read back."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import shape

from frontmap.cli import main
from frontmap.export import CLAIM_PROPERTIES, PLACE_PROPERTIES


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(main, ["map", "-o", str(folder), "-q", "--format", "gpkg", "--format", "parquet",
                                       "--csv"])
    assert result.exit_code == 0, result.output
    return folder


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def walk(coords: Any) -> list[list[float]]:
    if isinstance(coords[0], int | float):
        return [coords]
    return [p for c in coords for p in walk(c)]


@pytest.mark.parametrize("name", ["claims.geojson", "areas.geojson", "places.geojson"])
def test_rfc7946(out: Path, name: str) -> None:
    data = load(out / name)
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        for lon, lat in walk(geometry["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert decimals(lon) <= 6 and decimals(lat) <= 6
    # [lon, lat], not [lat, lon]: the example articles are about Ukraine, so nearly every
    # feature's first position must fall inside Ukraine's box read the RFC 7946 way round.
    firsts = [walk(f["geometry"]["coordinates"])[0] for f in data["features"]]
    inside = sum(1 for lon, lat in firsts if 22 < lon < 41 and 44 < lat < 53)
    assert inside >= 0.9 * len(firsts)
    for feature in data["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            polygon = shape(geometry)
            assert polygon.is_valid
            assert polygon.exterior.is_ccw, "RFC 7946: exterior rings are counter-clockwise"
            assert geometry["coordinates"][0][0] == geometry["coordinates"][0][-1]


def test_claims_carry_the_contract(out: Path) -> None:
    claims = load(out / "claims.geojson")["features"]
    for feature in claims:
        assert list(feature["properties"]) == list(CLAIM_PROPERTIES)
        assert feature["geometry"]["type"] == "Point"
    ids = [f["properties"]["id"] for f in claims]
    assert len(ids) == len(set(ids))
    area_ids = {f["id"] for f in load(out / "areas.geojson")["features"]}
    assert area_ids <= set(ids)


@pytest.mark.parametrize("name,columns", [("claims.geojson", CLAIM_PROPERTIES), ("areas.geojson", CLAIM_PROPERTIES),
                                          ("places.geojson", PLACE_PROPERTIES)])
def test_geopandas_reads_geojson_back_without_warning(out: Path, name: str, columns: tuple[str, ...]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = gpd.read_file(out / name, engine="pyogrio")
    assert len(frame) == len(load(out / name)["features"])
    assert set(columns) <= set(frame.columns)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326


def test_geopackage_has_a_layer_per_collection(out: Path) -> None:
    layers = {name for name, _kind in pyogrio.list_layers(out / "frontmap.gpkg")}
    assert layers == {"claims", "areas", "places"}
    for layer in layers:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frame = gpd.read_file(out / "frontmap.gpkg", layer=layer, engine="pyogrio")
        assert len(frame) == len(load(out / f"{layer}.geojson")["features"])


def test_geoparquet_round_trip(out: Path) -> None:
    for layer in ("claims", "areas", "places"):
        frame = gpd.read_parquet(out / f"{layer}.parquet")
        assert len(frame) == len(load(out / f"{layer}.geojson")["features"])
        assert frame.crs is not None and frame.crs.to_epsg() == 4326


def test_csv_is_flat_with_lat_lon(out: Path) -> None:
    with (out / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    claims = load(out / "claims.geojson")["features"]
    assert len(rows) == len(claims)
    assert rows[0]["lat"] and rows[0]["lon"]
    lon, lat = claims[0]["geometry"]["coordinates"]
    assert abs(float(rows[0]["lat"]) - lat) < 1e-9 and abs(float(rows[0]["lon"]) - lon) < 1e-9
    assert "quote" in rows[0]
