"""Name normalisation, romanisation, skeleton keys and query decorations (no data needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontmap.gazetteer.names import has_cyrillic, is_russian, is_ukrainian, normalize, romanize, skeleton
from frontmap.gazetteer.query import parse_query, split_context


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Bakhmut", "bakhmut"),
        ("  BAKHMUT  ", "bakhmut"),
        ("Luk'yanivka", "lukyanivka"),
        ("Luk’yanivka", "lukyanivka"),
        ("Lukʼyanivka", "lukyanivka"),
        ("Lukʹyanivka", "lukyanivka"),
        ("Luk`yanivka", "lukyanivka"),
        ("Avdiivka's", "avdiivka"),
        ("Avdiivka’s outskirts", "avdiivka outskirts"),
        ("Chasiv  Yar", "chasiv yar"),
        ("Ivano-Frankivsk", "ivano frankivsk"),
        ("Bakhmut–Chasiv Yar", "bakhmut chasiv yar"),
        ("Novoselivka (Persha)", "novoselivka persha"),
        ("Žytomyr", "zytomyr"),
        ("Mariupol’", "mariupol"),
        ("Krasnyy Lyman.", "krasnyy lyman"),
        ("Kraßnoje", "krassnoje"),
        ("Бахмут", "бахмут"),
        ("Мар'їнка", "марїнка"),  # ї stays ї: it is not і with a diaeresis to strip
        ("Артёмовск", "артемовск"),  # ё is written е as often as not
        ("Красний Лиман", "красний лиман"),
    ],
)
def test_normalize(raw: str, key: str) -> None:
    assert normalize(raw) == key


def test_normalize_keeps_cyrillic_letters_apart() -> None:
    assert normalize("Й") == "й"
    assert normalize("Ї") == "ї"
    assert normalize("й") != normalize("и")


@given(st.text(max_size=40))
def test_normalize_is_idempotent_and_tidy(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key
    assert key == key.strip()
    assert "  " not in key
    assert not any(c in key for c in "'’ʼ-–")


@pytest.mark.parametrize(
    ("cyrillic", "expected"),
    [
        ("Кліщіївка", {"klishchiivka", "klishchiyivka"}),
        ("Клещеевка", {"kleshcheevka", "kleshcheyevka"}),
        ("Артемовск", {"artemovsk"}),
        ("Работино", {"rabotino"}),
        ("Вербовое", {"verbovoye", "verbovoe"}),
        ("Синьковка", {"sinkovka"}),
        ("Волчанск", {"volchansk"}),
        ("Угледар", {"ugledar"}),
        ("Вугледар", {"vuhledar", "vugledar"}),
        ("Дзержинск", {"dzerzhinsk", "dzerzhynsk"}),
        ("Красноармійськ", {"krasnoarmiisk", "krasnoarmiysk"}),
        ("Красноармейск", {"krasnoarmeysk", "krasnoarmeisk"}),
        ("Куп'янськ", {"kupiansk", "kupyansk"}),
        ("Запорожье", {"zaporozhye"}),
        ("Запоріжжя", {"zaporizhzhia", "zaporizhzhya"}),
        ("Николаев", {"nikolaev", "nikolayev"}),
        ("Миколаїв", {"mykolaiv", "mykolayiv"}),
        ("Харьков", {"kharkov"}),
        ("Луганськ", {"luhansk", "lugansk"}),
        ("Часов Яр", {"chasov yar"}),
        ("Авдеевка", {"avdeevka", "avdeyevka"}),
        ("Авдіївка", {"avdiivka", "avdiyivka"}),
        ("Марьинка", {"marinka", "maryinka"}),
        ("Мар'їнка", {"marinka", "maryinka"}),
        ("Лиман", {"lyman", "liman"}),
        ("Изюм", {"izyum", "izium"}),
        ("Любимівка", {"liubymivka", "lyubymivka"}),
        ("Лук'янівка", {"lukianivka", "lukyanivka"}),
        ("Сіверський Донець", {"siverskyi donets", "siversky donets", "siverskiy donets"}),
        ("Красноармейский", {"krasnoarmeyskiy", "krasnoarmeysky", "krasnoarmeiskii"}),
        ("Щастя", {"shchastia", "shchastya", "schastya"}),
        ("Згурівка", {"zghurivka"}),
        ("Єнакієве", {"yenakiieve", "yenakiyeve"}),
        ("Енакиево", {"yenakiyevo", "enakievo"}),
    ],
)
def test_romanize_covers_press_spellings(cyrillic: str, expected: set[str]) -> None:
    spellings = set(romanize(cyrillic))
    assert expected <= spellings, sorted(spellings)


def test_romanize_official_system_first() -> None:
    assert romanize("Кліщіївка")[0] == "klishchiivka"  # KMU 2010
    assert romanize("Клещеевка", "ru")[0] == "kleshcheyevka"  # BGN/PCGN: ye after a vowel
    assert romanize("Артемовск", "ru")[0] == "artemovsk"
    assert romanize("Згурівка")[0] == "zghurivka"  # KMU's zgh, so it cannot read as ж


def test_romanize_latin_passes_through() -> None:
    assert romanize("Bakhmut") == ("bakhmut",)
    assert romanize("") == ()


def test_romanize_is_bounded() -> None:
    long_name = "Новоолександрівсько-Щасливцевоїйська Любимівка Юр'ївка"
    assert 1 <= len(romanize(long_name)) <= 48
    assert len(romanize(long_name, limit=5)) <= 5


def test_language_guess() -> None:
    assert is_ukrainian("кліщіївка") and not is_russian("кліщіївка")
    assert is_russian("артёмовск") and not is_ukrainian("артёмовск")
    assert has_cyrillic("Bakhmut Бахмут") and not has_cyrillic("Bakhmut")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("artyomovsk", "artemovsk"),
        ("kupyansk", "kupiansk"),
        ("kleshcheevka", "kleshcheyevka"),
        ("zaporizhzhia", "zaporizhzhya"),
        ("siverskyi donets", "siversky donets"),
        ("maryinka", "marinka"),
        ("lugansk", "luhansk"),
        ("izyum", "izium"),
        ("avdiyivka", "avdiivka"),
        ("awdijiwka", "avdiivka"),
    ],
)
def test_skeleton_merges_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bakhmut", "pokrovsk"),
        ("kharkiv", "kherson"),
        ("lyman", "liman bakhmut"),
        ("zhytomyr", "shytomyr"),  # ж and ш stay apart
    ],
)
def test_skeleton_keeps_different_names_apart(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize(
    ("text", "base", "role"),
    [
        ("Bakhmut", "bakhmut", None),
        ("Avdiivka's outskirts", "avdiivka", "populated"),
        ("the outskirts of Avdiivka", "avdiivka", "populated"),
        ("Donetsk Oblast", "donetsk", "admin1"),
        ("Donetsk region", "donetsk", "admin1"),
        ("Donetska oblast", "donetska", "admin1"),
        ("Bakhmut Raion", "bakhmut", "admin2"),
        ("Bakhmut district", "bakhmut", "admin2"),
        ("Siversk hromada", "siversk", "admin3"),
        ("Siversk city council", "siversk", "admin3"),
        ("Kherson City", "kherson", "populated"),
        ("the city of Kherson", "kherson", "populated"),
        ("the Kupiansk direction", "kupiansk", "populated"),
        ("Marinka sector", "marinka", "populated"),
        ("the Lyman axis", "lyman", "populated"),
        ("Zaporizhzhia front", "zaporizhzhia", "populated"),
        ("Kakhovka Reservoir", "kakhovka", "reservoir"),
        ("Dnipro River", "dnipro", "river"),
        ("the Inhulets river", "inhulets", "river"),
        ("River Dnieper", "dnieper", "river"),
        ("Zmiinyi Island", "zmiinyi", "island"),
        ("Kakhovka dam", "kakhovka", "dam"),
        ("Zaporizhzhia Nuclear Power Plant", "zaporizhzhia", "plant"),
        ("Saky airfield", "saky", "airport"),
        ("Oblast", "oblast", None),  # a bare decoration word is the name itself
    ],
)
def test_parse_query(text: str, base: str, role: str | None) -> None:
    query = parse_query(text)
    assert (query.base, query.role) == (base, role)
    assert query.key == normalize(text)


def test_parse_query_road() -> None:
    query = parse_query("the Bakhmut–Chasiv Yar road")
    assert query.endpoints == ("Bakhmut", "Chasiv Yar")
    assert query.base == "bakhmut"
    assert parse_query("Ivano-Frankivsk–Lviv highway").endpoints == ("Ivano", "Frankivsk", "Lviv")
    assert parse_query("Chasiv Yar").endpoints == ()


def test_split_context() -> None:
    assert split_context("Andriivka, Donetsk Oblast") == ("Andriivka", "Donetsk Oblast")
    assert split_context("Andriivka, Donetsk Oblast, Ukraine") == ("Andriivka", "Donetsk Oblast")
    assert split_context("Andriivka") == ("Andriivka", None)
    assert split_context(" , Bakhmut") == ("Bakhmut", None)
