"""Directions: tables of phrase -> compass point and relation, negatives, and compass properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontmap.extract.direction import (
    POINTS,
    bearing_to_point,
    find_directions,
    half_width_of,
    parse_direction,
    point_to_bearing,
)

# (text, expected [(phrase as written, point, relation)])
CASES: list[tuple[str, list[tuple[str, str | None, str]]]] = [
    ("Shelling hit Pivdenne, just southwest of Toretsk.", [("just southwest of", "SW", "of")]),
    ("a depot in Bilozerka (about 12km west of Kherson)", [("west of", "W", "of")]),
    ("Fighting continued to the south of Marinka.", [("to the south of", "S", "of")]),
    ("Units held positions just to the north of the dam.", [("just to the north of", "N", "of")]),
    ("a hamlet north-northeast of Kupiansk", [("north-northeast of", "NNE", "of")]),
    ("a hamlet south-west of Vuhledar", [("south-west of", "SW", "of")]),
    ("a hamlet south west of Vuhledar", [("south west of", "SW", "of")]),
    ("a strongpoint 3km NE of Robotyne", [("NE of", "NE", "of")]),
    ("a strongpoint 3km S-SW of Robotyne", [("S-SW of", "SSW", "of")]),
    (
        "Russian troops attacked north and northeast of Siversk.",
        [("north", "N", "of"), ("northeast of", "NE", "of")],
    ),
    ("Ukraine struck the southern outskirts of Tokmak.", [("southern outskirts of", "S", "outskirts")]),
    (
        "Troops were on the eastern outskirts of Kreminna.",
        [("on the eastern outskirts of", "E", "outskirts")],
    ),
    ("Assaults hit Avdiivka's northern outskirts.", [("northern outskirts", "N", "outskirts")]),
    (
        "Ukrainian units pressed on the northern and southern flanks of the town.",
        [("northern", "N", "flank"), ("southern flanks of", "S", "flank")],
    ),
    ("Ukraine holds a foothold on the east bank of the Dnipro.", [("on the east bank of", "E", "bank")]),
    (
        "Villages on the western shore of the reservoir were shelled.",
        [("on the western shore of", "W", "bank")],
    ),
    ("Marines crossed to the left bank near Krynky.", [("left bank", None, "bank")]),
    ("Russian forces advanced southwest toward Lyman.", [("southwest toward", "SW", "toward")]),
    ("Columns attacked southeast from Kupiansk.", [("southeast from", "SE", "toward")]),
    (
        "Russia tried to push south and southwest from Svatove.",
        [("south", "S", "toward"), ("southwest from", "SW", "toward")],
    ),
    ("The brigade kept pushing westward.", [("westward", "W", "toward")]),
    ("Troops moved southwestwards overnight.", [("southwestwards", "SW", "toward")]),
    ("The assault group fell back south.", [("south", "S", "toward")]),
    ("They advanced in a northwesterly direction.", [("northwesterly direction", "NW", "toward")]),
    ("Russian troops attacked Chasiv Yar from the east.", [("from the east", "E", "from")]),
    ("Drone strikes hit northern Zaporizhzhia Oblast.", [("northern", "N", "part")]),
    (
        "Fighting raged across eastern and southern Ukraine.",
        [("eastern", "E", "part"), ("southern", "S", "part")],
    ),
    ("Heavy battles go on in the east.", [("in the east", "E", "part")]),
    ("Fighting is heaviest in the north of the region.", [("in the north of", "N", "part")]),
    ("Wagner held the western part of the city.", [("western part of", "W", "part")]),
    ("near the eastern city of Pokrovsk", [("eastern", "E", "part")]),
    ("There were strikes in the south-eastern Kherson region.", [("south-eastern", "SE", "part")]),
    ("The wind blew south all day.", [("south", "S", "other")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_directions(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    found = find_directions(text)
    assert [(m.text, m.point, m.relation) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text
        if m.point is not None:
            assert m.bearing_deg == point_to_bearing(m.point)
            assert m.half_width_deg == half_width_of(m.point)


NEGATIVES = [
    "North Korea has sent shells to Russia.",
    "South Africa abstained in the vote.",
    "The West pledged more air defence.",
    "Western partners delivered tanks in spring.",
    "The Southern Operational Command reported no change.",
    "Russia's Western Military District was reorganised.",
    "Prices rose across the Middle East.",
    "At least the harvest was good.",
    "The beast of a storm passed.",
    "A strike on the Eastern Group of Forces was reported.",
    "Lt. Col. N. Petrenko spoke.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_direction(text: str) -> None:
    assert find_directions(text) == []


def test_half_widths_follow_the_compass_rank() -> None:
    (south,) = find_directions("a village south of Bakhmut")
    (southwest,) = find_directions("a village southwest of Bakhmut")
    (ssw,) = find_directions("a village south-southwest of Bakhmut")
    assert (south.half_width_deg, southwest.half_width_deg, ssw.half_width_deg) == (45.0, 22.5, 11.25)
    assert (south.bearing_deg, southwest.bearing_deg, ssw.bearing_deg) == (180.0, 225.0, 202.5)


def test_left_and_right_banks_have_no_compass_point() -> None:
    (left,) = find_directions("positions on the left bank")
    (right,) = find_directions("the Right-bank districts")
    assert (left.side, right.side) == ("left", "right")
    assert left.point is None and left.bearing_deg is None and left.half_width_deg is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("southwest", ("SW", 225.0)),
        ("south-west", ("SW", 225.0)),
        ("South West", ("SW", 225.0)),
        ("southwestern", ("SW", 225.0)),
        ("southwesterly", ("SW", 225.0)),
        ("southwestwards", ("SW", 225.0)),
        ("north-northeast", ("NNE", 22.5)),
        ("east-southeast", ("ESE", 112.5)),
        ("northern", ("N", 0.0)),
        ("westward", ("W", 270.0)),
        ("SW", ("SW", 225.0)),
        ("s-sw", ("SSW", 202.5)),
        ("nnw", ("NNW", 337.5)),
        ("north-southeast", None),
        ("left", None),
        ("", None),
    ],
)
def test_parse_direction(word: str, expected: tuple[str, float] | None) -> None:
    assert parse_direction(word) == expected


@given(st.sampled_from(POINTS))
def test_point_bearing_round_trip(point: str) -> None:
    assert bearing_to_point(point_to_bearing(point)) == point


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_bearing_to_point_is_nearest(deg: float) -> None:
    point = bearing_to_point(deg)
    diff = abs((deg - point_to_bearing(point) + 180.0) % 360.0 - 180.0)
    assert diff <= 11.25 + 1e-6


@given(st.text(max_size=200))
def test_hostile_text_never_breaks(text: str) -> None:
    for m in find_directions(text):
        assert text[m.start : m.end] == m.text
        assert m.point is None or m.point in POINTS
