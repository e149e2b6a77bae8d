"""The CLI through click's CliRunner: the main job end to end, and usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from frontmap.cli import main
from frontmap.pipeline import OUTPUT_FILES

DATA = Path(__file__).resolve().parent / "data"


def test_map_on_embedded_default(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in OUTPUT_FILES:
        assert (out / name).is_file(), name
    claims = json.loads((out / "claims.geojson").read_text(encoding="utf-8"))
    assert claims["type"] == "FeatureCollection"
    assert len(claims["features"]) >= 20
    dates = {f["properties"]["date"] for f in claims["features"]}
    assert len(dates) >= 4
    assert "claims" in result.output and "map.html" in result.output


def test_wire_story_puts_bakhmut_and_klishchiivka_on_2023_07_07(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "articles" / "wire_bakhmut.txt", folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["map", str(folder), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    claims = json.loads((out / "claims.geojson").read_text(encoding="utf-8"))["features"]
    on_day = [f for f in claims if f["properties"]["date"] == "2023-07-07"]
    by_place = {f["properties"]["place_name"]: f["geometry"]["coordinates"] for f in on_day}
    # GeoNames: Bakhmut 713174 (48.59419, 37.99886), Klishchiivka 13512497 (48.52897, 37.95972)
    assert by_place["Bakhmut"] == [37.99886, 48.59419]
    assert by_place["Klishchiivka"] == [37.95972, 48.52897]
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "2023-07-07" in html


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["map", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_failed_article_gives_exit_1_and_the_rest_is_mapped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "articles" / "wire_bakhmut.txt", folder)
    (folder / "broken.json").write_text("{oops", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["map", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "broken.json" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert statuses == {"broken.json": "failed", "wire_bakhmut.txt": "read"}
    assert json.loads((out / "claims.geojson").read_text(encoding="utf-8"))["features"]


def test_same_input_same_bytes(tmp_path: Path) -> None:
    outs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        result = CliRunner().invoke(main, ["map", "-o", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
        outs.append(out)
    for name in OUTPUT_FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_json_field_names_are_configurable(tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    source.write_text('{"headline": "H", "meta": {"when": "2023-07-07"}, '
                      '"story": "Ukrainian forces advanced near Bakhmut, the general staff said."}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(out), "-q", "--no-cache",
                                       "--json-field", "text=story", "--json-field", "date=meta.when"])
    assert result.exit_code == 0, result.output
    claims = json.loads((out / "claims.geojson").read_text(encoding="utf-8"))["features"]
    assert [(c["properties"]["date"], c["properties"]["place"]) for c in claims] == [("2023-07-07", "Bakhmut")]
    bad = CliRunner().invoke(main, ["map", str(source), "-o", str(out), "--json-field", "nonsense"])
    assert bad.exit_code == 2
