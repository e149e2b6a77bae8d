"""The Gazetteer API over the shipped data: lookup, candidates, ranking, reverse, info."""

from __future__ import annotations

import dataclasses

import pytest

from frontmap.errors import GazetteerError
from frontmap.gazetteer import Candidate, Gazetteer, normalize
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.records import Place

BAKHMUT = "geonames:713174"
KLISHCHIIVKA = "geonames:13512497"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(include_user=False)


def test_load_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.load(include_user=False) is gaz


def test_size_and_info(gaz: Gazetteer) -> None:
    assert 45_000 < len(gaz) < 60_000
    info = gaz.info()
    countries = info["countries"]
    assert isinstance(countries, list)
    # Ukraine in detail, and the world layer: every country, Ukraine's neighbours above all.
    assert {"UA", "RU", "BY", "MD", "PL", "RO", "ML", "SD", "PS", "MM"} <= set(countries)
    assert len(countries) > 200
    by_class = info["by_class"]
    assert isinstance(by_class, dict)
    assert by_class["P"] > 33_000
    assert {"A", "H", "T", "V", "S", "L"} <= set(by_class)
    sources = info["sources"]
    assert isinstance(sources, list) and sources
    assert 3 <= gaz.max_name_words <= 8


def test_admin1_names(gaz: Gazetteer) -> None:
    names = gaz.admin1_names()
    assert len(names) == 27 + 10  # Ukraine's, and the world layer's few named units
    for name in ("Donetsk Oblast", "Luhansk Oblast", "Zaporizhzhia Oblast", "Kharkiv Oblast", "Kherson Oblast"):
        assert name in names
    for name in ("Belgorod Oblast", "Kursk Oblast", "Krasnodar Krai", "Gomel Region", "Transnistria"):
        assert name in names


def test_lookup_is_plain_and_ranked(gaz: Gazetteer) -> None:
    places = gaz.lookup("bakhmut")
    assert places and places[0].id == BAKHMUT
    assert all(isinstance(p, Place) for p in places)
    assert gaz.lookup("bakhmut") is places  # the same tuple: no work on a repeated hit
    assert gaz.lookup("no such place at all") == ()
    assert gaz.lookup("Bakhmut") == ()  # keys must be normalised by the caller


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Kleshcheevka", KLISHCHIIVKA),
        ("Kleshcheyevka", KLISHCHIIVKA),
        ("Artemivsk", BAKHMUT),
        ("Artemovsk", BAKHMUT),
        ("Rabotino", "geonames:695586"),
        ("Ugledar", "geonames:690823"),
        ("Volchansk", "geonames:689304"),
        ("Luk’yanivka", None),
        ("Avdiivka's", "geonames:713122"),
        ("Donetsk Oblast", "geonames:709716"),
        ("Bakhmut Raion", "geonames:713172"),
        ("Dnipro River", "geonames:565896"),
        ("Kakhovka Reservoir", "geonames:707242"),
        ("Бахмут", BAKHMUT),
    ],
)
def test_lookup_finds_spellings(gaz: Gazetteer, written: str, expected: str | None) -> None:
    places = gaz.lookup(normalize(written))
    assert places, written
    if expected is not None:
        assert expected in {p.id for p in places}


def test_lookup_has_no_fuzzy_or_skeleton(gaz: Gazetteer) -> None:
    assert gaz.lookup(normalize("Artiomovsk")) == ()  # only the skeleton knows this one
    assert gaz.lookup_skeleton(normalize("Artiomovsk"))[0].id == BAKHMUT
    assert gaz.lookup(normalize("Bakhmutt")) == ()


def test_place_fields(gaz: Gazetteer) -> None:
    place = gaz.get(BAKHMUT)
    assert place is not None
    assert place.name == "Bakhmut"
    assert (place.feature_class, place.feature_code) == ("P", "PPLA2")
    assert place.admin1 == "Donetsk Oblast" and place.admin1_code == "05"
    assert place.admin2 == "Bakhmut Raion" and place.admin2_code == "1402"
    assert place.country == "UA"
    assert place.population > 50_000
    assert abs(place.lat - 48.594) < 0.01 and abs(place.lon - 37.999) < 0.01
    assert gaz.get("713174") == place
    assert gaz.get("geonames:0") is None


def test_admin_units_have_names(gaz: Gazetteer) -> None:
    oblast = gaz.get("geonames:709716")
    raion = gaz.get("geonames:713172")
    assert oblast is not None and raion is not None
    assert oblast.name == oblast.admin1 == "Donetsk Oblast"  # GeoNames: "Donetska Oblast"
    assert raion.name == "Bakhmut Raion" and raion.admin1 == "Donetsk Oblast"
    assert gaz.get("geonames:687699").name == "Zaporizhzhia Oblast"  # type: ignore[union-attr]
    assert gaz.get("geonames:689064").name == "Volyn Oblast"  # type: ignore[union-attr]
    assert gaz.get("geonames:703447").name == "Kyiv City"  # type: ignore[union-attr]


def test_every_populated_place_has_an_oblast(gaz: Gazetteer) -> None:
    ukraine = [p for p in gaz if p.feature_class == "P" and p.country == "UA"]
    missing = [p for p in ukraine if not p.admin1]
    assert len(missing) < 0.01 * len(ukraine)


def test_candidate_is_frozen(gaz: Gazetteer) -> None:
    candidate = gaz.candidates("Bakhmut")[0]
    assert isinstance(candidate, Candidate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.score = 0.0  # type: ignore[misc]


def test_candidates_ranked_and_limited(gaz: Gazetteer) -> None:
    found = gaz.candidates("Lyman")
    assert len(found) > 5
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].place.id == "geonames:704204"  # the town, not one of the villages
    assert len(gaz.candidates("Lyman", limit=2)) == 2
    assert gaz.candidates("Lyman", limit=0) == []


def test_match_labels(gaz: Gazetteer) -> None:
    assert gaz.candidates("Klishchiivka")[0].match == "exact"
    assert gaz.candidates("Avdiivka")[0].match == "exact"  # GeoNames writes Avdiyivka
    assert gaz.candidates("Artemivsk")[0].match == "alternate"
    assert gaz.candidates("Kleshcheevka")[0].match == "transliteration"
    assert gaz.candidates("Kakhovka Reservoir")[0].match == "derived"
    assert gaz.candidates("Artiomovsk")[0].match == "skeleton"
    assert gaz.candidates("Artiomovsk")[0].place.id == BAKHMUT
    fuzzy = gaz.candidates("Kramatorks")
    assert fuzzy[0].match == "fuzzy" and fuzzy[0].place.id == "geonames:704508"


def test_fuzzy_is_strict(gaz: Gazetteer) -> None:
    assert gaz.candidates("Xqzvwrtp") == []
    assert gaz.candidates("Bkmt") == []  # too short to guess at
    assert gaz.candidates("") == []
    assert gaz.candidates("   ") == []


def test_exact_tiers_beat_skeleton(gaz: Gazetteer) -> None:
    found = gaz.candidates("Marinka", admin1="Donetsk Oblast")
    assert found[0].place.id == "geonames:701845"
    assert all(c.match != "fuzzy" for c in found)


def test_importance_then_population_without_context(gaz: Gazetteer) -> None:
    assert gaz.candidates("Kharkiv")[0].place.feature_code == "PPLA"  # not the river, not the oblast
    assert gaz.candidates("Donetsk")[0].place.id == "geonames:709717"
    assert gaz.candidates("Kyiv")[0].place.feature_code == "PPLC"


def test_roles_pick_the_kind_of_place(gaz: Gazetteer) -> None:
    assert gaz.candidates("Donetsk Oblast")[0].place.feature_code == "ADM1"
    assert gaz.candidates("Donetsk region")[0].place.feature_code == "ADM1"
    assert gaz.candidates("Bakhmut Raion")[0].place.feature_code == "ADM2"
    assert gaz.candidates("Kherson City")[0].place.feature_code == "PPLA"
    assert gaz.candidates("Kharkiv River")[0].place.feature_code == "STM"
    assert gaz.candidates("Oskil River")[0].place.feature_code == "STM"
    assert gaz.candidates("Oskil")[0].place.feature_class == "P"
    hromada = gaz.candidates("Siverska hromada")[0].place
    assert hromada.feature_code == "ADM3" and hromada.admin1 == "Donetsk Oblast"


def test_road_gives_both_ends(gaz: Gazetteer) -> None:
    found = gaz.candidates("the Bakhmut–Chasiv Yar road", limit=5)
    ids = [c.place.id for c in found]
    assert ids[0] == BAKHMUT
    assert "geonames:710915" in ids
    hyphenated = gaz.candidates("Ivano-Frankivsk–Lviv highway", limit=5)
    assert hyphenated[0].place.id == "geonames:707471"


@pytest.mark.parametrize(
    "admin1", ["Donetsk", "Donetsk Oblast", "Donetska oblast", "Donetsk region", "Донецька область", "05", "UA.05"]
)
def test_admin1_spellings(gaz: Gazetteer, admin1: str) -> None:
    assert gaz.admin1_codes(admin1) == frozenset({"UA.05"})
    found = gaz.candidates("Andriivka", admin1=admin1)
    assert found and all(c.place.admin1 == "Donetsk Oblast" for c in found)


def test_admin1_unknown_or_empty_is_ignored(gaz: Gazetteer) -> None:
    plain = [c.place.id for c in gaz.candidates("Lyman", limit=5)]
    assert [c.place.id for c in gaz.candidates("Lyman", admin1="Atlantis", limit=5)] == plain
    assert gaz.admin1_codes("Atlantis") == frozenset()


def test_admin1_without_match_inside_falls_back(gaz: Gazetteer) -> None:
    found = gaz.candidates("Uzhhorod", admin1="Donetsk Oblast")
    assert found and found[0].place.id == "geonames:690548"


def test_near_picks_the_right_namesake(gaz: Gazetteer) -> None:
    assert gaz.candidates("Andriivka", near=(48.59, 38.0))[0].place.id == "geonames:9114136"
    assert gaz.candidates("Andriivka", near=(47.83, 38.13))[0].place.id == "geonames:713406"
    far = gaz.candidates("Andriivka")[0].place.id
    assert far != "geonames:9114136"  # without context another Andriivka wins: near matters


def test_best(gaz: Gazetteer) -> None:
    place = gaz.best("Kleshcheevka", admin1="Donetsk")
    assert place is not None and place.id == KLISHCHIIVKA
    assert gaz.best("Xqzvwrtp") is None


def test_klishchiivka_lies_ssw_of_bakhmut(gaz: Gazetteer) -> None:
    from frontmap.gazetteer.ranking import distance_km

    bakhmut, village = gaz.get(BAKHMUT), gaz.get(KLISHCHIIVKA)
    assert bakhmut is not None and village is not None
    assert 6 < distance_km(bakhmut.lat, bakhmut.lon, village.lat, village.lon) < 10
    assert village.lat < bakhmut.lat and village.lon < bakhmut.lon


def test_reverse(gaz: Gazetteer) -> None:
    place = gaz.reverse(48.59, 38.0)
    assert place is not None and place.feature_class == "P" and place.admin2 == "Bakhmut Raion"
    assert place.id == BAKHMUT
    assert gaz.reverse(48.529, 37.96).id in (KLISHCHIIVKA, "geonames:705666")  # type: ignore[union-attr]
    river = gaz.reverse(46.5, 32.3, feature_class="H")
    assert river is not None and river.feature_class == "H"
    anything = gaz.reverse(48.59, 38.0, feature_class=None)
    assert anything is not None
    assert gaz.reverse(0.0, -150.0) is None  # middle of the Pacific


def test_from_rows_and_merge() -> None:
    row = GeoNamesRow(
        geonameid="1",
        name="Testivka",
        asciiname="Testivka",
        alternatenames=("Тестівка", "Testovka"),
        lat=48.0,
        lon=37.0,
        feature_class="P",
        feature_code="PPL",
        country="UA",
        admin1="05",
        admin2="",
        admin3="",
        population=10,
    )
    small = Gazetteer.from_rows([row])
    assert len(small) == 1
    assert small.lookup("testivka")[0].id == "geonames:1"
    assert small.lookup("testovka")[0].name == "Testivka"
    assert small.candidates("Testivkaz")[0].match == "fuzzy"
    assert small.reverse(48.1, 37.1).id == "geonames:1"  # type: ignore[union-attr]


def test_empty_gazetteer_is_an_error() -> None:
    with pytest.raises(GazetteerError):
        Gazetteer([])


def test_missing_extra_path_is_an_error(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(GazetteerError, match="no such gazetteer"):
        Gazetteer.load([Path(str(tmp_path)) / "nope.zip"], include_user=False)
    assert issubclass(GazetteerError, LookupError)
