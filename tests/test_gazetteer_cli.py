"""`frontmap geocode` and `frontmap gazetteer import|info`, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontmap.gazetteer.cli import gazetteer_group, geocode_command

FIXTURE = Path(__file__).resolve().parent / "data" / "gazetteer_fixture"


@pytest.fixture(autouse=True)
def private_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Keep the user's real gazetteer folder out of the tests."""
    monkeypatch.setenv("FRONTMAP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_geocode_table() -> None:
    result = CliRunner().invoke(geocode_command, ["Kleshcheevka", "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split() == [
        "id", "name", "lat", "lon", "admin1", "admin2", "feature_code", "population", "match",
    ]  # fmt: skip
    assert lines[1].startswith("geonames:13512497  Klishchiivka")
    assert "Donetsk Oblast" in lines[1] and "transliteration" in lines[1]
    assert len(lines) <= 4


def test_geocode_several_words_unquoted() -> None:
    result = CliRunner().invoke(geocode_command, ["Chasov", "Yar", "--limit", "1"])
    assert result.exit_code == 0
    assert "geonames:710915" in result.output


def test_geocode_json() -> None:
    result = CliRunner().invoke(
        geocode_command, ["Andriivka", "--near", "48.59,38.0", "--limit", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list) and len(rows) == 2
    assert rows[0]["id"] == "geonames:9114136"
    assert {"id", "name", "lat", "lon", "admin1", "admin2", "feature_code", "population", "match"} <= set(rows[0])


def test_geocode_admin1() -> None:
    result = CliRunner().invoke(geocode_command, ["Verbove", "--admin1", "Zaporizhzhia Oblast", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows[0]["id"] == "geonames:689965"
    assert all(r["admin1"] == "Zaporizhzhia Oblast" for r in rows)


def test_geocode_nothing_exits_1() -> None:
    result = CliRunner().invoke(geocode_command, ["Xqzvwrtp"])
    assert result.exit_code == 1
    assert "no place in the gazetteer matches 'Xqzvwrtp'" in result.output


@pytest.mark.parametrize("near", ["abc", "48.59", "48.59,38.0,1", "95,1", "nan,1"])
def test_geocode_bad_near_is_a_usage_error(near: str) -> None:
    result = CliRunner().invoke(geocode_command, ["Bakhmut", "--near", near])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "--near" in errors[0]


def test_info() -> None:
    result = CliRunner().invoke(gazetteer_group, ["info"])
    assert result.exit_code == 0, result.output
    assert "places:" in result.output and "in detail: UA" in result.output
    result = CliRunner().invoke(gazetteer_group, ["info", "--json"])
    info = json.loads(result.output)
    assert info["home_countries"] == ["UA"] and info["places"] > 30_000
    assert {"UA", "RU", "ML"} <= set(info["countries"])


def test_import_then_geocode(private_home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        gazetteer_group, ["import", str(FIXTURE / "XQ.txt"), str(FIXTURE / "wof-admin-xq-places.tsv")]
    )
    assert result.exit_code == 0, result.output
    assert str(private_home / "gazetteer") in result.output
    assert (private_home / "gazetteer" / "index.fmi").is_file()
    result = runner.invoke(geocode_command, ["Novy Khutor", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["id"] == "wof:1100004"
    info = json.loads(runner.invoke(gazetteer_group, ["info", "--json"]).output)
    assert info["home_countries"] == ["UA", "XQ"]


def test_import_to_dest(tmp_path: Path) -> None:
    dest = tmp_path / "elsewhere"
    result = CliRunner().invoke(gazetteer_group, ["import", str(FIXTURE / "XQ.txt"), "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert (dest / "XQ.txt.gz").is_file()


def test_import_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("x")
    result = CliRunner().invoke(gazetteer_group, ["import", str(bad)])
    assert result.exit_code == 1
    assert "not a GeoNames dump" in result.output
    broken = tmp_path / "XX.txt"
    broken.write_text("only\tthree\tcolumns\n")
    result = CliRunner().invoke(gazetteer_group, ["import", str(broken)])
    assert result.exit_code == 1
    assert "expected 19 tab-separated GeoNames columns" in result.output


def test_import_missing_file() -> None:
    result = CliRunner().invoke(gazetteer_group, ["import", "/no/such/XX.zip"])
    assert result.exit_code == 2


def test_geocode_json_lists_every_andriivka_with_oblast_and_raion() -> None:
    result = CliRunner().invoke(geocode_command, ["Andriivka", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) > 50  # Ukraine has dozens of them; --json gives all, the table the first 10
    assert all(row["admin1"] for row in rows)
    assert sum(1 for row in rows if row["admin2"]) > 0.8 * len(rows)
    assert len({row["admin1"] for row in rows}) > 10
