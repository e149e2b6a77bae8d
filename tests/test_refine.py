"""Readings that depend on the words around a name (frontmap.extract.refine)."""

from __future__ import annotations

import datetime as dt

import pytest

from frontmap.extract.places import haversine_km
from frontmap.gazetteer import Gazetteer
from frontmap.pipeline import process_article
from frontmap.records import Article, Mention


def mentions(text: str) -> dict[str, Mention]:
    article = Article(path="t.txt", text=text, published=dt.date(2024, 2, 20), source="Test Desk")
    return {m.text: m for m in process_article(article, Gazetteer.load()).mentions}


def test_bank_of_the_dnipro_is_the_river() -> None:
    found = mentions("Marines held positions on the east bank of the Dnipro near Krynky and Kherson.")
    assert found["Dnipro"].place is not None and found["Dnipro"].place.feature_class == "H"
    assert "wording" in found["Dnipro"].reason


def test_city_of_dnipro_stays_the_city() -> None:
    found = mentions("A missile hit an apartment block in Dnipro, regional officials said, near Pavlohrad.")
    assert found["Dnipro"].place is not None and found["Dnipro"].place.feature_class == "P"


def test_sea_of_azov_is_no_village() -> None:
    found = mentions("Drones struck an airfield near Berdiansk on the Sea of Azov coast.")
    assert "Azov" not in found
    assert "Berdiansk" in found


def test_a_call_sign_is_no_place() -> None:
    found = mentions("A sergeant fighting near Kupiansk, known by his call sign, Dnipro, said the line held.")
    assert "Dnipro" not in found
    assert "Kupiansk" in found


def test_country_over_village_of_the_same_name() -> None:
    found = mentions("Fighters attacked an army convoy in northern Mali, near the border with Niger.")
    assert found["Mali"].place is not None and found["Mali"].place.feature_code.startswith("PCL")


@pytest.mark.parametrize("text", [
    "On Independence Day the Defence Forces held the line near Bakhmut, Avdiivka and Marinka.",
])
def test_a_word_that_is_a_town_far_away_is_dropped(text: str) -> None:
    found = mentions(text)
    assert "Independence" not in found
    assert {"Bakhmut", "Avdiivka", "Marinka"} <= set(found)


def test_public_figures_are_no_villages() -> None:
    found = mentions("Putin met Gerasimov and Peskov in Moscow, while Budanov spoke in Kyiv about Bakhmut.")
    assert not {"Putin", "Gerasimov", "Peskov", "Budanov"} & set(found)
    assert {"Moscow", "Kyiv", "Bakhmut"} <= set(found)


def test_a_given_name_before_a_surname_is_no_city() -> None:
    found = mentions("Occupation official Vladimir Rogov said shelling hit Enerhodar and Vasylivka.")
    assert "Vladimir" not in found
    assert {"Enerhodar", "Vasylivka"} <= set(found)


def test_a_misspelt_two_word_name_is_matched_whole() -> None:
    found = mentions("Ukrainian forces struck an ammunition depot in Nova Khakovka and positions near Kherson.")
    assert "Nova" not in found
    nova = found["Nova Khakovka"].place
    assert nova is not None and nova.name == "Nova Kakhovka"
    assert found["Nova Khakovka"].reason.startswith("spelling matched loosely")


def test_a_hamlet_far_from_the_theatre_named_without_a_locative_is_dropped() -> None:
    found = mentions("Strelkov criticised the command again. Russian forces attacked near Bakhmut, Chasiv Yar, "
                     "Klishchiivka, Andriivka and Kurdiumivka, the General Staff said.")
    assert "Strelkov" not in found
    assert {"Bakhmut", "Chasiv Yar", "Klishchiivka"} <= set(found)


def test_weapon_systems_and_units_are_no_places() -> None:
    found = mentions("A Pantsir and a Tor system were destroyed near Tokmak, and the Vostok battalion held Vuhledar.")
    assert not {"Pantsir", "Tor", "Vostok"} & set(found)
    assert {"Tokmak", "Vuhledar"} <= set(found)


def test_kyiv_oblast_is_the_oblast() -> None:
    found = mentions("Drones were shot down over Kyiv Oblast and Kyiv overnight.")
    oblast, city = found["Kyiv Oblast"].place, found["Kyiv"].place
    assert oblast is not None and oblast.name == "Kyiv Oblast"
    assert city is not None and city.feature_code == "PPLC"


def test_a_place_missing_from_the_gazetteer_is_put_where_the_text_says() -> None:
    # The only Buchach on file is in Ternopil Oblast, 900 km from Kupiansk.
    found = mentions("Russian forces attacked Buchach (6km south of Kupiansk) on Monday.")
    buchach, kupiansk = found["Buchach"].place, found["Kupiansk"].place
    assert buchach is not None and kupiansk is not None
    assert buchach.id.startswith("offset:")
    assert 5.5 < haversine_km(buchach.lat, buchach.lon, kupiansk.lat, kupiansk.lon) < 6.5
    assert buchach.lat < kupiansk.lat
    assert "as written" in found["Buchach"].reason


def test_a_rough_offset_does_not_overrule_a_nearby_candidate() -> None:
    found = mentions("Ukrainian forces struck Dudchany (about 40km northeast of Nova Kakhovka) on Monday.")
    dudchany = found["Dudchany"].place
    assert dudchany is not None and dudchany.id.startswith("geonames:")


def test_a_plural_region_word_makes_every_name_of_the_list_an_oblast() -> None:
    found = mentions("Russian forces shelled settlements in Donetsk, Luhansk, and Zaporizhzhia regions and struck "
                     "Kharkiv city.")
    for name in ("Donetsk", "Luhansk", "Zaporizhzhia"):
        place = found[name].place
        assert place is not None and place.feature_code == "ADM1", name
    kharkiv = found["Kharkiv city"].place
    assert kharkiv is not None and kharkiv.feature_class == "P"
