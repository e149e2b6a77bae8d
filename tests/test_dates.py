"""Dates: tables of sentence -> date and precision, claim-date choice, article date parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontmap.extract.dates import (
    DateMatch,
    dateline_parts,
    find_dateline,
    find_dates,
    infer_year,
    parse_date_string,
    resolve_claim_date,
)

D = dt.date
FRI = D(2024, 3, 15)  # a Friday
JAN = D(2024, 1, 4)  # a Thursday early in the year

# (text, published, [(text as written, date, precision)])
FIND: list[tuple[str, dt.date | None, list[tuple[str, dt.date, str]]]] = [
    ("Troops entered the village on March 14.", FRI, [("March 14", D(2024, 3, 14), "day")]),
    ("Troops entered the village on 14 March.", FRI, [("14 March", D(2024, 3, 14), "day")]),
    ("The depot burned on the 2nd of March.", FRI, [("2nd of March", D(2024, 3, 2), "day")]),
    ("The town fell on February 17, 2024.", FRI, [("February 17, 2024", D(2024, 2, 17), "day")]),
    ("The town fell on 17 February 2024.", FRI, [("17 February 2024", D(2024, 2, 17), "day")]),
    ("The strike was logged as 2024-03-11.", FRI, [("2024-03-11", D(2024, 3, 11), "day")]),
    ("Footage from Mar 9 shows the column.", FRI, [("Mar 9", D(2024, 3, 9), "day")]),
    ("Footage from Feb. 28 shows the column.", FRI, [("Feb. 28", D(2024, 2, 28), "day")]),
    ("Russian sources claimed the capture in March 12.", FRI, [("March 12", D(2024, 3, 12), "day")]),
    ("Shelling resumed on December 30.", JAN, [("December 30", D(2023, 12, 30), "day")]),
    ("Talks are set for January 9.", JAN, [("January 9", D(2024, 1, 9), "day")]),
    ("No date is known without a year: March 3.", None, []),
    ("The raid on 3 March 2023 was confirmed.", None, [("3 March 2023", D(2023, 3, 3), "day")]),
    # weekdays
    ("Ukraine said on Friday its troops held.", FRI, [("Friday", FRI, "day")]),
    ("The attack came on Tuesday.", FRI, [("Tuesday", D(2024, 3, 12), "day")]),
    ("The attack came on Saturday.", FRI, [("Saturday", D(2024, 3, 9), "day")]),
    ("The attack came last Friday.", FRI, [("last Friday", D(2024, 3, 8), "day")]),
    ("A vote is due next Monday.", FRI, [("next Monday", D(2024, 3, 18), "day")]),
    ("Market stalls open on Fridays.", FRI, []),
    # relative
    ("The governor said today that two drones fell.", FRI, [("today", FRI, "day")]),
    ("Missiles hit the port overnight.", FRI, [("overnight", FRI, "day")]),
    ("The bridge was hit yesterday.", FRI, [("yesterday", D(2024, 3, 14), "day")]),
    ("Sirens sounded last night.", FRI, [("last night", D(2024, 3, 14), "day")]),
    ("They gained ground in the past day.", FRI, [("in the past day", FRI, "day")]),
    ("They repelled 30 attacks over the last 24 hours.", FRI, [("over the last 24 hours", FRI, "day")]),
    ("The village was taken two days ago.", FRI, [("two days ago", D(2024, 3, 13), "day")]),
    ("Fighting intensified this week.", FRI, [("this week", FRI, "week")]),
    ("Fighting intensified last week.", FRI, [("last week", D(2024, 3, 8), "week")]),
    ("Fighting intensified in the past week.", FRI, [("in the past week", FRI, "week")]),
    ("Two villages fell over the weekend.", FRI, [("over the weekend", D(2024, 3, 10), "week")]),
    ("Losses mounted in recent days.", FRI, [("in recent days", FRI, "week")]),
    ("Strikes grew more frequent this month.", FRI, [("this month", D(2024, 3, 1), "month")]),
    ("Strikes were rarer last month.", FRI, [("last month", D(2024, 2, 1), "month")]),
    ("Strikes were rarer last month.", JAN, [("last month", D(2023, 12, 1), "month")]),
    # months and years
    ("The offensive began in May.", FRI, [("May", D(2023, 5, 1), "month")]),
    ("The offensive began in early March.", FRI, [("early March", D(2024, 3, 1), "month")]),
    ("Russia has held the town since mid-February.", FRI, [("mid-February", D(2024, 2, 1), "month")]),
    ("The dam was breached in June 2023.", FRI, [("June 2023", D(2023, 6, 1), "month")]),
    ("The war escalated in 2022.", FRI, [("2022", D(2022, 1, 1), "year")]),
    # not dates
    ("Russian forces may attack again.", FRI, []),
    ("May God protect them, he said.", FRI, []),
    ("Crowds joined a march on the capital.", FRI, []),
    ("They destroyed 2023 drones and 15 tanks.", FRI, []),
    ("The column moved 1.5 km in a morning.", FRI, []),
    ("The plan runs through 2030 at least.", FRI, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), FIND)
def test_find_dates(text: str, published: dt.date | None, expected: list[tuple[str, dt.date, str]]) -> None:
    found = find_dates(text, published)
    assert [(d.text, d.date, d.precision) for d in found] == expected
    for d in found:
        assert text[d.start : d.end] == d.text


def test_ranges_are_dated_to_their_last_day() -> None:
    (d,) = find_dates("Fighting raged between March 12 and 13.", FRI)
    assert (d.date, d.range_start) == (D(2024, 3, 13), D(2024, 3, 12))
    (d,) = find_dates("Fighting raged on 10-11 March.", FRI)
    assert (d.date, d.range_start) == (D(2024, 3, 11), D(2024, 3, 10))


def test_since_marks_the_start_of_a_period() -> None:
    (d,) = find_dates("Ukraine has advanced 5 km since March 3.", FRI)
    assert d.since and d.date == D(2024, 3, 3)


# (sentence, published, expected claim date, precision)
RESOLVE: list[tuple[str, dt.date | None, dt.date | None, str | None]] = [
    ("Ukrainian forces recaptured Kozachi on March 14.", FRI, D(2024, 3, 14), "day"),
    (
        "The ministry said on Friday that its troops repelled an attack on Wednesday.",
        FRI,
        D(2024, 3, 13),
        "day",
    ),
    (
        "Ukraine said on Friday its troops had advanced in the area it entered in early March.",
        FRI,
        FRI,
        "day",
    ),
    ("The General Staff on Thursday also reported gains near the village.", FRI, D(2024, 3, 14), "day"),
    ("Footage published on March 13 shows troops in the village.", FRI, D(2024, 3, 13), "day"),
    ("Troops have pushed 3 km since early March.", FRI, FRI, "day"),
    ("Russian troops repelled attacks near the town.", FRI, FRI, "day"),
    ("Russian troops repelled attacks near the town.", None, None, None),
    ("A Russian source said this week that the attack failed.", FRI, FRI, "week"),
    ("Russia seized the town in May after a long siege.", FRI, D(2023, 5, 1), "month"),
    ("Ukraine shelled the town, which Russia seized in May, on Tuesday.", FRI, D(2024, 3, 12), "day"),
    ("Troops advanced near the city that Russia took in February.", FRI, FRI, "day"),
    ("Kyiv said that Russia took the city in February.", FRI, D(2024, 2, 1), "month"),
    (
        "EASTVILLE, March 15 — Troops advanced, footage published on March 14 shows.",
        FRI,
        D(2024, 3, 14),
        "day",
    ),
    ("The governor said units will retake the town on March 17.", FRI, FRI, "day"),
    ("KHARKIV, March 15 (Newswire) - Troops repelled an assault on March 14.", FRI, D(2024, 3, 14), "day"),
]


@pytest.mark.parametrize(("sentence", "published", "expected", "precision"), RESOLVE)
def test_resolve_claim_date(
    sentence: str, published: dt.date | None, expected: dt.date | None, precision: str | None
) -> None:
    assert resolve_claim_date(sentence, published) == (expected, precision)


def test_resolve_uses_the_paragraph_context_when_the_sentence_has_no_date() -> None:
    context = find_dates("Fighting went on near the river on March 12.", FRI)
    assert resolve_claim_date("Ukraine repelled two attacks.", FRI, context_dates=context) == (
        D(2024, 3, 12),
        "day",
    )


def test_resolve_prefers_the_date_nearest_the_claim() -> None:
    sentence = "Troops took the hill on March 11 and lost the ridge on March 13."
    assert resolve_claim_date(sentence, FRI, focus=sentence.index("lost")) == (D(2024, 3, 13), "day")
    assert resolve_claim_date(sentence, FRI, focus=sentence.index("took")) == (D(2024, 3, 11), "day")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-07-07", D(2023, 7, 7)),
        ("2023-07-07T10:15:00Z", D(2023, 7, 7)),
        ("2023-07-07 23:50:00+03:00", D(2023, 7, 7)),
        ("Fri, 07 Jul 2023 10:15:00 GMT", D(2023, 7, 7)),
        ("07 Jul 2023", D(2023, 7, 7)),
        ("July 7, 2023", D(2023, 7, 7)),
        ("7 July 2023", D(2023, 7, 7)),
        ("Friday, July 7, 2023", D(2023, 7, 7)),
        ("7th July 2023", D(2023, 7, 7)),
        ("08/07/2023", D(2023, 7, 8)),
        ("07/17/2023", D(2023, 7, 17)),
        ("17.07.2023", D(2023, 7, 17)),
        ("2023/07/07", D(2023, 7, 7)),
        ("July 2023", None),
        ("yesterday", None),
        ("", None),
        ("2023-02-30", None),
    ],
)
def test_parse_date_string(value: str, expected: dt.date | None) -> None:
    assert parse_date_string(value) == expected


def test_parse_date_string_month_first_when_asked() -> None:
    assert parse_date_string("08/07/2023", dayfirst=False) == D(2023, 8, 7)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("KYIV, July 7 (Newswire) - Troops advanced.", (None, 7, 7)),
        ("MOSCOW, October 1. /Agency/. Troops advanced.", (None, 10, 1)),
        ("UKRAINE, KHARKIV REGION, Jul 23 — Troops advanced.", (None, 7, 23)),
        ("Kyiv, 7 July 2023 (Wire) - Troops advanced.", (2023, 7, 7)),
        ("Ukraine said on Friday its troops advanced.", None),
        ("Troops advanced on July 7 near the city.", None),
    ],
)
def test_dateline_parts(text: str, parts: tuple[int | None, int, int] | None) -> None:
    assert dateline_parts(text) == parts


def test_find_dateline_year() -> None:
    text = "KYIV, December 30 (Newswire) - Shelling went on."
    assert find_dateline(text, published=D(2024, 1, 2)) == D(2023, 12, 30)
    assert find_dateline(text, year=2021) == D(2021, 12, 30)
    assert find_dateline(text, today=D(2024, 6, 1)) == D(2023, 12, 30)
    assert find_dateline("Kyiv, 7 July 2023 (Wire) - x", published=D(2024, 1, 2)) == D(2023, 7, 7)
    assert find_dateline("No dateline here.") is None


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 400))
def test_inferred_year_is_most_recent_not_after_publication(published: dt.date, back: int) -> None:
    target = published - dt.timedelta(days=back)
    if target.month == 2 and target.day == 29:
        return
    year = infer_year(target.month, target.day, published)
    assert year is not None
    placed = D(year, target.month, target.day)
    assert placed <= published + dt.timedelta(days=7)
    assert placed >= published - dt.timedelta(days=366 - 7)
    if back <= 350:
        assert placed == target


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)))
def test_weekday_is_on_or_before_publication(published: dt.date) -> None:
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        (d,) = find_dates(f"It happened on {name}.", published)
        assert 0 <= (published - d.date).days < 7
        assert d.date.strftime("%A") == name


@given(st.text(max_size=200), st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)))
def test_hostile_text_never_breaks(text: str, published: dt.date) -> None:
    for d in find_dates(text, published):
        assert isinstance(d, DateMatch)
        assert text[d.start : d.end] == d.text
    resolve_claim_date(text, published)
    parse_date_string(text)
    find_dateline(text, published=published)
