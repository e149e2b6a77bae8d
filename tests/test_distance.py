"""Distances: tables of phrase -> kilometres and bounds, negatives, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontmap.extract.distance import find_distances, parse_distance

MILE = 1.609344

# (text, written phrase, km, min_km, max_km, qualifier)
CASES: list[tuple[str, str, float, float | None, float | None, str | None]] = [
    # digits and units
    ("The brigade pushed 3 km past the railway.", "3 km", 3.0, 3.0, 3.0, None),
    ("a depot in Kalynivka (12km west of Mariivka)", "12km", 12.0, 12.0, 12.0, None),
    ("Troops dug in 800 metres from the river.", "800 metres", 0.8, 0.8, 0.8, None),
    ("The convoy was spotted 600 meters away.", "600 meters", 0.6, 0.6, 0.6, None),
    ("Drones were seen 300m from the plant.", "300m", 0.3, 0.3, 0.3, None),
    ("They fell back 1,200 m to a treeline.", "1,200 m", 1.2, 1.2, 1.2, None),
    ("The gap narrowed to 1.5 km on Tuesday.", "1.5 km", 1.5, 1.5, 1.5, None),
    ("The gap narrowed to 2,5 km on Tuesday.", "2,5 km", 2.5, 2.5, 2.5, None),
    ("Shelling reached villages 4 miles inland.", "4 miles", 4 * MILE, 4 * MILE, 4 * MILE, None),
    ("The ship stayed 12 nautical miles offshore.", "12 nautical miles", 22.224, 22.224, 22.224, None),
    ("The raid struck 20 kms behind the line.", "20 kms", 20.0, 20.0, 20.0, None),
    ("Forward posts sat 5 mi east of the town.", "5 mi", 5 * MILE, 5 * MILE, 5 * MILE, None),
    # number words, articles and fractions
    ("Units moved a kilometre closer to the town.", "a kilometre", 1.0, 1.0, 1.0, None),
    ("Scouts were half a kilometre from the bridge.", "half a kilometre", 0.5, 0.5, 0.5, None),
    ("The marines advanced two kilometres along the coast.", "two kilometres", 2.0, 2.0, 2.0, None),
    ("a trench twenty-five kilometres long", "twenty-five kilometres", 25.0, 25.0, 25.0, None),
    ("They gained a kilometre and a half overnight.", "a kilometre and a half", 1.5, 1.5, 1.5, None),
    ("They gained one and a half kilometres overnight.", "one and a half kilometres", 1.5, 1.5, 1.5, None),
    ("The line moved two hundred metres.", "two hundred metres", 0.2, 0.2, 0.2, None),
    ("Russian troops were three miles from the border.", "three miles", 3 * MILE, 3 * MILE, 3 * MILE, None),
    # vague amounts
    ("Assault groups advanced a few kilometres.", "a few kilometres", 3.5, 2.0, 5.0, None),
    ("The front shifted several kilometres west.", "several kilometres", 5.0, 3.0, 7.0, None),
    (
        "Strikes reached dozens of kilometres behind the front.",
        "dozens of kilometres",
        60.0,
        24.0,
        96.0,
        None,
    ),
    ("Infantry crept a few hundred metres forward.", "a few hundred metres", 0.35, 0.2, 0.5, None),
    ("a couple of kilometres south of the dam", "a couple of kilometres", 2.5, 2.0, 3.0, None),
    # ranges
    ("The brigade advanced 2-3 km.", "2-3 km", 2.5, 2.0, 3.0, None),
    ("The brigade advanced 10–15 km.", "10–15 km", 12.5, 10.0, 15.0, None),
    ("The brigade advanced 2 to 3 kilometres.", "2 to 3 kilometres", 2.5, 2.0, 3.0, None),
    ("The brigade advanced two or three kilometres.", "two or three kilometres", 2.5, 2.0, 3.0, None),
    ("positions between 4 and 6 km apart", "between 4 and 6 km", 5.0, 4.0, 6.0, None),
    # qualifiers: lower bound only
    (
        "Troops advanced more than a kilometre near the city.",
        "more than a kilometre",
        1.0,
        1.0,
        None,
        "more than",
    ),
    ("Troops advanced over 2 km in a day.", "over 2 km", 2.0, 2.0, None, "more than"),
    ("The salient is at least 8 km deep.", "at least 8 km", 8.0, 8.0, None, "at least"),
    (
        "Raids went upwards of 30 kilometres inland.",
        "upwards of 30 kilometres",
        30.0,
        30.0,
        None,
        "more than",
    ),
    ("They pushed 10 km or more.", "10 km or more", 10.0, 10.0, None, "at least"),
    # qualifiers: upper bound only
    ("Our units penetrated up to 700 metres.", "up to 700 metres", 0.7, 0.0, 0.7, "up to"),
    ("Enemy groups came within 2km of the town.", "within 2km", 2.0, 0.0, 2.0, "within"),
    ("The gains were less than a kilometre.", "less than a kilometre", 1.0, 0.0, 1.0, "less than"),
    ("The gains were under 500 m in depth.", "under 500 m", 0.5, 0.0, 0.5, "less than"),
    ("They advanced no more than 3 kilometres.", "no more than 3 kilometres", 3.0, 0.0, 3.0, "up to"),
    # qualifiers: about, nearly
    ("a village about 40km north of the city", "about 40km", 40.0, 34.0, 46.0, "about"),
    ("a village approximately 20 km away", "approximately 20 km", 20.0, 17.0, 23.0, "about"),
    ("a village approx. 10km to the east", "approx. 10km", 10.0, 8.5, 11.5, "about"),
    ("a hamlet some 6km west of the river", "some 6km", 6.0, 5.1, 6.9, "about"),
    ("a hamlet roughly four kilometres away", "roughly four kilometres", 4.0, 3.4, 4.6, "about"),
    ("a hamlet around 30 kilometres from the border", "around 30 kilometres", 30.0, 25.5, 34.5, "about"),
    ("a bridge ~3 km upstream", "~3 km", 3.0, 2.55, 3.45, "about"),
    ("a mile or so from the shore", "a mile or so", MILE, 0.85 * MILE, 1.15 * MILE, "about"),
    ("The column came nearly 5 km closer.", "nearly 5 km", 5.0, 4.25, 5.0, "nearly"),
    ("The column came almost two kilometres closer.", "almost two kilometres", 2.0, 1.7, 2.0, "nearly"),
    # adjectival forms
    ("They broke through a 15-kilometre stretch of the line.", "15-kilometre", 15.0, 15.0, 15.0, None),
    ("Ukraine holds a 40km-deep salient.", "40km", 40.0, 40.0, 40.0, None),
    ("along the 600-mile front", "600-mile", 600 * MILE, 600 * MILE, 600 * MILE, None),
]


@pytest.mark.parametrize(("text", "written", "km", "lo", "hi", "qualifier"), CASES)
def test_find_distance(
    text: str, written: str, km: float, lo: float | None, hi: float | None, qualifier: str | None
) -> None:
    matches = find_distances(text)
    assert len(matches) == 1, matches
    match = matches[0]
    d = match.distance
    assert d.text == written
    assert text[match.start : match.end] == written
    assert d.km == pytest.approx(km)
    assert (d.min_km is None) == (lo is None) and (lo is None or d.min_km == pytest.approx(lo))
    assert (d.max_km is None) == (hi is None) and (hi is None or d.max_km == pytest.approx(hi))
    assert d.qualifier == qualifier


NEGATIVES = [
    "Ukraine said it destroyed 25 tanks and 40 trucks.",
    "The aid package is worth $3 m and more is planned.",
    "The aid package is worth €400m in total.",
    "Some 3m people have fled the region.",
    "The convoy travelled at 60 km/h on the highway.",
    "Drones fly at 120 km per hour.",
    "Ukraine has retaken 2.3 square km this week.",
    "The flooded zone covers 600 km² of farmland.",
    "Russia fired 5 missiles and 30 drones in 2022.",
    "The minefields were laid by sappers in March.",
    "Kilometres of trenches were dug across the steppe.",
    "They met at the Three Mile crossroads.",
    "The T-72 and the Su-25 were hit.",
    "The front was held by brigade No. 5 for months.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_distance(text: str) -> None:
    assert find_distances(text) == []


def test_restatement_in_another_unit_is_the_same_distance() -> None:
    text = "they have advanced more than one kilometre (0.62 mile), he said"
    matches = find_distances(text)
    assert len(matches) == 1
    match = matches[0]
    assert match.distance.text == "more than one kilometre"
    assert match.alt is not None
    assert match.alt.distance.text == "0.62 mile"
    assert text[match.alt.start : match.alt.end] == "0.62 mile"
    assert match.alt.distance.km == pytest.approx(0.62 * MILE)


def test_restatement_with_its_own_qualifier() -> None:
    matches = find_distances("Both lie about 25 kilometers (about 16 miles) from the road.")
    assert [m.distance.text for m in matches] == ["about 25 kilometers"]
    assert matches[0].alt is not None and matches[0].alt.distance.qualifier == "about"


def test_several_distances_in_order() -> None:
    text = "Vilne (three miles from the border, 40 miles from the city) and a depot 5km further."
    assert [m.distance.text for m in find_distances(text)] == ["three miles", "40 miles", "5km"]


def test_parse_distance() -> None:
    d = parse_distance("more than a kilometre")
    assert d is not None and (d.km, d.min_km, d.max_km, d.qualifier) == (1.0, 1.0, None, "more than")
    assert parse_distance("no distance here") is None
    d = parse_distance("  about 58km northeast of Nova Kakhovka")
    assert d is not None and d.km == 58.0 and d.text == "about 58km"


@given(st.floats(min_value=0.1, max_value=999, allow_nan=False).map(lambda x: round(x, 1)))
def test_digits_round_trip(value: float) -> None:
    d = parse_distance(f"advanced {value} km")
    assert d is not None and d.km == pytest.approx(value)
    m = parse_distance(f"advanced {value:g} metres")
    assert m is not None and m.km == pytest.approx(value / 1000)


@given(st.text(max_size=200))
def test_hostile_text_never_breaks(text: str) -> None:
    for match in find_distances(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.distance.text
        d = match.distance
        assert d.km is not None and d.km >= 0
        assert d.min_km is None or d.min_km <= d.km + 1e-9
        assert d.max_km is None or d.max_km >= d.km - 1e-9
