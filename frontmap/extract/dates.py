"""Dates in war reporting: what day a claim refers to, and the article's own date.

Body text (:func:`find_dates`, :func:`resolve_claim_date`):

* explicit dates: "on July 6", "on 6 July", "July 6, 2023", "6th of July 2023", "2023-07-06",
  "Jul 23", "Oct. 3", ranges "July 6-7" / "between October 2 and 3" (dated to the last day, the
  state the report describes; :attr:`DateMatch.range_start` keeps the first), typos such as
  "in July 20";
* months and years: "in May", "in early June", "since mid-May", "by the end of March",
  "February 2022", "in 2022" (month precision is dated to the 1st, year precision to January 1);
* weekdays: "on Friday" is the most recent Friday on or before publication (in a story published
  on a Friday, that day); "last Friday" is the one before if publication falls on a Friday too;
  "next Friday" the first one after;
* relative expressions, by their distance from publication:

  ==========================================================  ===========  =========
  expression                                                   date         precision
  ==========================================================  ===========  =========
  today, tonight, this morning, overnight, in the past day,    published    day
  over the past 24 hours, during this day, earlier today
  yesterday, last night                                        published-1  day
  N days ago                                                   published-N  day
  this week, in the past week, in recent days                  published    week
  last week, a week ago, N weeks ago                           published-7N week
  over the weekend, at the weekend                             last Sunday  week
  this month / last month, N months ago                        1st of month month
  this year / last year                                        January 1    year
  ==========================================================  ===========  =========

  "Overnight" is the night that ends on the publication day (wire stories published in the morning
  say "overnight" for the night just gone), so it is the publication date; "last night" is the
  evening before, so the day before.

Years: a date without a year gets the year that makes it the most recent such date not after
publication ("December 30" in a January article is the previous year), allowing a few days of
slack for time zones and announced near-term events (:data:`FUTURE_SLACK_DAYS`). Without a
publication date, only dates that carry their year can be placed.

"May" and "March" are read as months only with a capital letter and either a day number or year
next to them or a word that introduces a time ("in", "on", "since", "by", "until", "early", "late",
"mid-", "the end of", ...), so "Russian forces may attack" and "a march on Kyiv" are not dates.

Article dates (used by ingest): :func:`parse_date_string` for header and meta values and
:func:`find_dateline` for wire datelines ("KYIV, July 7 (Reuters) -").
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from frontmap.records import DatePrecision

__all__ = [
    "FUTURE_SLACK_DAYS",
    "DateMatch",
    "dateline_parts",
    "find_dateline",
    "find_dates",
    "infer_year",
    "parse_date_string",
    "resolve_claim_date",
]

DateKind = Literal["explicit", "month", "year", "weekday", "relative"]

#: Days after publication that a date without a year may still fall on (time zones, a date just
#: announced); beyond that it is taken to be in the previous year.
FUTURE_SLACK_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text.

    Attributes
    ----------
    start, end
        Offsets of the expression ("July 6", "early June", "last week", "Friday").
    date
        The day it stands for; the 1st for month precision, January 1 for year precision.
    precision
        "day", "week", "month" or "year".
    text
        ``text[start:end]``.
    kind
        "explicit" (a day with a month), "month", "year", "weekday" or "relative".
    since
        The expression starts a period that runs on to publication ("since May", "since March 24").
    range_start
        First day of a range ("July 6-7"), whose ``date`` is the last day.
    """

    start: int
    end: int
    date: dt.date
    precision: DatePrecision
    text: str
    kind: DateKind
    since: bool = False
    range_start: dt.date | None = None


# --- vocabulary ---------------------------------------------------------------------------------

_MONTH_NUMBER: Final = MappingProxyType(
    {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12,
    }
)  # fmt: skip
_WEEKDAY_NUMBER: Final = MappingProxyType(
    {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
)
_NUMBER_WORDS: Final = MappingProxyType(
    {
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
    }
)  # fmt: skip

# Words that introduce a month named alone ("in May", "since early June", "until March").
_MONTH_CONTEXT: Final = frozenset(
    {
        "in", "on", "since", "by", "until", "till", "from", "through", "throughout", "during",
        "before", "after", "early", "late", "mid", "last", "this", "next", "between", "and", "or",
        "to", "of", "around",
    }
)  # fmt: skip
_PERIOD_PARTS: Final = frozenset({"end", "beginning", "start", "middle", "rest", "half", "course"})
_REPORT_VERBS: Final = frozenset(
    {
        "said", "says", "say", "stated", "states", "reported", "reports", "report", "claimed",
        "claims", "claim", "announced", "announces", "added", "told", "tells", "noted", "notes",
        "confirmed", "confirms", "denied", "denies", "deny", "published", "posted", "wrote", "writes",
        "acknowledged", "insisted", "warned", "tweeted", "declared", "indicated", "indicates",
        "according", "statement", "briefing", "update", "assessed", "assesses", "showed", "shows",
        "accused", "alleged", "admitted",
    }
)  # fmt: skip
_SPAN_WORDS: Final = frozenset({"in", "over", "during", "within", "for", "throughout"})
_PRECISION_RANK: Final = MappingProxyType({"day": 0, "week": 1, "month": 2, "year": 3})
_KIND_RANK: Final = MappingProxyType({"explicit": 0, "weekday": 1, "relative": 2, "month": 3, "year": 4})

# --- patterns -----------------------------------------------------------------------------------

_MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
_MONTH_ABBREVIATIONS: Final = (
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
# Case-sensitive on purpose: "may" and "march" in lower case are a verb and a noun.
_MONTH_SRC: Final = "|".join(
    sorted(
        [*_MONTH_NAMES, *(m.upper() for m in _MONTH_NAMES)]
        + [rf"{a}\.?" for a in _MONTH_ABBREVIATIONS]
        + [rf"{a.upper()}\.?" for a in _MONTH_ABBREVIATIONS],
        key=len,
        reverse=True,
    )
)
# Month names start with these; a literal alternation lets the re module skip ahead quickly.
_MONTH_HINT: Final = re.compile(
    "|".join(sorted({m[:3] for m in _MONTH_NAMES} | {m[:3].upper() for m in _MONTH_NAMES}))
)
_MONTH: Final = re.compile(rf"(?P<month>{_MONTH_SRC})(?![A-Za-z])")
_ORD: Final = r"(?:st|nd|rd|th)?"
_AFTER_MONTH: Final = re.compile(
    rf"\s+(?P<d1>\d{{1,2}}){_ORD}(?:\s*(?:-|–|—|and|to|through)\s*(?P<d2>\d{{1,2}}){_ORD})?(?![\d:])"
    r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
    r"|,?\s+(?P<yo>\d{4})(?![\d,.]\d)"
)
_DAY_BEFORE: Final = re.compile(
    rf"(?<![\d,.])(?P<d1>\d{{1,2}}){_ORD}(?:\s*(?:-|–|—|and|to)\s*(?P<d2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?\Z"
)
_YEAR_AFTER: Final = re.compile(r",?\s+(?P<y>\d{4})(?![\d,.]\d)")
# Numeric dates: ISO first (unambiguous), then year-first with slashes, then day-first.
_NUM_HINT: Final = re.compile(r"[0-9](?:[0-9]{3}(?![0-9])|[-/.][0-9])")
_NUMERIC: Final = re.compile(
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d])"
    r"|(?P<sy>\d{4})[/.](?P<sm>\d{1,2})[/.](?P<sd>\d{1,2})(?![\d])"
    r"|(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>\d{4})(?![\d])"
)
_YEAR_CONTEXT: Final = frozenset(
    {"in", "since", "during", "by", "until", "throughout", "early", "late", "mid", "of", "before", "after"}
)
_WORDS: Final = re.compile(r"[\w’'-]+")
_RELATIVE: Final = re.compile(r"\b(?:which|that|who|whom|whose|where)\b", re.IGNORECASE)
_CLAUSE_BREAK: Final = re.compile(r"[,;:]|\s(?:and|but|while|whereas|although)\s|\s[–—]\s")

# --- article dates -------------------------------------------------------------------------------

_ISO_PREFIX: Final = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T\s]|$)")
_WEEKDAY_PREFIX: Final = re.compile(r"^\s*(?:[A-Z][a-z]+day|[A-Z][a-z]{2}),?\s+")
_DATELINE: Final = re.compile(
    rf"\A\s*(?:[A-Z][A-Za-z'’. -]{{1,40}},\s*(?:[A-Z][A-Za-z'’. -]{{1,40}},\s*)*)"
    rf"(?P<date>(?P<month>{_MONTH_SRC})\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}}){_ORD}\s+(?P<month2>{_MONTH_SRC})(?:,?\s+(?P<year2>\d{{4}}))?)"
    r"\s*(?:\(|/|\.|,|—|–|-|:)"
)


def find_dates(text: str, published: dt.date | None) -> list[DateMatch]:
    """Find every date expression in ``text`` that can be placed on the calendar.

    Parameters
    ----------
    text
        A sentence or a whole article.
    published
        The article's date; needed for weekdays, relative expressions and dates without a year.

    Returns
    -------
    list[DateMatch]
        In text order, without overlaps (the longer reading wins).

    Examples
    --------
    >>> [(m.text, str(m.date)) for m in find_dates("on March 24 and yesterday", dt.date(2022, 3, 25))]
    [('March 24', '2022-03-24'), ('yesterday', '2022-03-24')]
    """
    found: list[DateMatch] = []
    for hint in _MONTH_HINT.finditer(text):
        i = hint.start()
        if i > 0 and text[i - 1].isalpha():
            continue
        m = _MONTH.match(text, i)
        if m is not None:
            match = _month_date(text, m, published)
            if match is not None:
                found.append(match)
    for hint in _NUM_HINT.finditer(text):
        j = hint.start()
        while j > 0 and text[j - 1].isdigit():
            j -= 1
        match = _numeric_date(text, j, published)
        if match is not None:
            found.append(match)
    if published is not None:
        low = text.lower()
        for key in ("day", "night", "hours", "week", "month", "year"):
            i = low.find(key)
            while i != -1:
                match = _relative_date(text, low, i, len(key), published)
                if match is not None:
                    found.append(match)
                i = low.find(key, i + len(key))
    return _without_overlaps(found)


def resolve_claim_date(
    sentence: str,
    published: dt.date | None,
    *,
    context_dates: Sequence[DateMatch] = (),
    focus: int | None = None,
) -> tuple[dt.date | None, DatePrecision | None]:
    """The date a claim in ``sentence`` refers to, and its precision.

    Parameters
    ----------
    sentence
        The claim's sentence.
    published
        The article's date.
    context_dates
        Dates of the preceding sentences of the same paragraph, in order; the last usable one
        is used when the sentence has none ("Fighting went on near X on May 3. Ukraine repelled
        an attack on Y." dates the second claim May 3).
    focus
        Offset in ``sentence`` of the claim's verb; among equally good dates the nearest wins.

    Returns
    -------
    tuple[date | None, str | None]
        The date and "day", "week", "month" or "year"; when nothing in the sentence or its context
        dates it, the publication date with "day" (reports describe the day of publication or
        the day before; the publication date is the better guess and keeps claims on the map's
        newest layer); (None, None) without any date at all.

    Notes
    -----
    With ``focus``, dates in the clause of the claim's verb come first (clauses end at commas,
    semicolons, "and", "but", "while"). Candidates are then ranked by precision (a day beats a
    week, a month, a year), then dates of the
    event beat dates of the report ("The ministry said on Friday that troops repelled an attack on
    Thursday" gives Thursday; "said on Friday ... in early June" still gives Friday), then
    explicit dates beat weekdays and relative words, then nearness to ``focus`` (a date after the
    verb at its distance, one before it at twice its distance), else text order.
    Dates that open a period ("since May"), dates after publication, and months or years in a
    relative clause ("Bakhmut, which Russia seized in May") are not claim dates. A dateline
    ("KYIV, July 7 (Reuters) -") ranks below any other date of the same precision.
    """
    candidates = [
        d
        for d in find_dates(sentence, published)
        if _usable(d, published) and not _is_background(sentence, d, focus)
    ]
    if candidates:
        lo, hi = _clause_around(sentence, focus) if focus is not None else (0, len(sentence))

        def rank(d: DateMatch) -> tuple[bool, int, int, int, int]:
            if focus is None:
                where = d.start
            elif d.start >= focus:
                where = d.start - focus
            else:  # a time adverbial usually follows its verb: a date before it counts double
                where = 2 * (focus - d.end)
            outside = not (lo <= d.start < hi)
            report = _is_report_date(sentence, d)
            return outside, _PRECISION_RANK[d.precision], report, _KIND_RANK[d.kind], where

        best = min(candidates, key=rank)
        return best.date, best.precision
    for d in reversed(context_dates):
        if _usable(d, published):
            return d.date, d.precision
    if published is not None:
        return published, "day"
    return None, None


def infer_year(month: int, day: int, published: dt.date) -> int | None:
    """The year of "<month> <day>" in an article published on ``published``.

    The most recent such date not after publication, allowing :data:`FUTURE_SLACK_DAYS`; None
    for an impossible date (February 30).
    """
    latest = published + dt.timedelta(days=FUTURE_SLACK_DAYS)
    for year in (latest.year, latest.year - 1, latest.year - 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # February 29 in a common year: try the year before
        if candidate <= latest:
            return year
    return None


# --- article dates -------------------------------------------------------------------------------


def parse_date_string(value: str, *, dayfirst: bool = True) -> dt.date | None:
    """Parse a date from an article header or metadata value.

    Accepts ISO 8601 dates and date-times ("2023-07-07", "2023-07-07T10:15:00Z"), RFC 2822
    ("Fri, 07 Jul 2023 10:15:00 GMT"), written dates ("July 7, 2023", "7 July 2023",
    "07 Jul 2023", "Friday, July 7, 2023") and numeric ones ("07/07/2023", "07.07.2023",
    "2023/07/07"). The calendar date is taken as written, in the time zone of the value (the
    day the publisher dated the article), not converted to UTC.

    Numeric day/month order: a value is read month-first only when it cannot be day-first
    ("07/17/2023"); ambiguous ones ("07/08/2023") follow ``dayfirst`` (day first by default:
    the sources frontmap reads date that way more often than not).

    Returns
    -------
    date | None
        None when no full date (with a year) is found.
    """
    s = value.strip()
    if not s:
        return None
    iso = _ISO_PREFIX.match(s)
    if iso is not None:
        return _make_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    if _WEEKDAY_PREFIX.match(s) and ":" in s:
        try:
            return email.utils.parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            pass
    num = _NUMERIC.search(s)
    if num is not None:
        return _numeric_value(num, dayfirst=dayfirst)
    s = _WEEKDAY_PREFIX.sub("", s)
    for m in _MONTH.finditer(s):
        month = _MONTH_NUMBER[m.group("month").rstrip(".").lower()]
        after = _AFTER_MONTH.match(s, m.end())
        if after is not None and after.group("d1") and after.group("y"):
            return _make_date(int(after.group("y")), month, int(after.group("d2") or after.group("d1")))
        before = _DAY_BEFORE.search(s, max(0, m.start() - 16), m.start())
        year = _YEAR_AFTER.match(s, m.end())
        if before is not None and year is not None:
            return _make_date(int(year.group("y")), month, int(before.group("d1")))
    return None


def dateline_parts(text: str) -> tuple[int | None, int, int] | None:
    """Year (None when not written), month and day of a wire dateline at the start of ``text``.

    "KYIV, July 7 (Reuters) -", "MOSCOW, October 1. /TASS/.", "UKRAINE, KHARKIV REGION, Jul 23 —",
    "Kyiv, 7 July 2023 (AFP) -".
    """
    m = _DATELINE.match(text[:300])
    if m is None:
        return None
    month_text = m.group("month") or m.group("month2")
    day_text = m.group("day") or m.group("day2")
    year_text = m.group("year") or m.group("year2")
    month = _MONTH_NUMBER[month_text.rstrip(".").lower()]
    day = int(day_text)
    if not 1 <= day <= 31:
        return None
    return (int(year_text) if year_text else None), month, day


def find_dateline(
    text: str,
    *,
    published: dt.date | None = None,
    year: int | None = None,
    today: dt.date | None = None,
) -> dt.date | None:
    """The date of a wire dateline at the start of ``text`` ("KYIV, July 7 (Reuters) -").

    Datelines rarely carry a year. It is taken from, in order: the dateline itself; ``year``;
    ``published`` (the most recent such date not after it, see :func:`infer_year`); ``today``
    (default: the current date), on the view that an article whose only date is its dateline is
    recent news. Pass ``year`` or ``published`` when they are known: the last rule is a guess.
    """
    parts = dateline_parts(text)
    if parts is None:
        return None
    written_year, month, day = parts
    if written_year is not None:
        return _make_date(written_year, month, day)
    if year is not None:
        return _make_date(year, month, day)
    reference = published or today or dt.date.today()
    inferred = infer_year(month, day, reference)
    return _make_date(inferred, month, day) if inferred is not None else None


# --- internals ----------------------------------------------------------------------------------


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _place(month: int, day: int, year: int | None, published: dt.date | None) -> dt.date | None:
    """A day with its written year, or the year inferred from publication."""
    if year is None:
        if published is None:
            return None
        inferred = infer_year(month, day, published)
        if inferred is None:
            return None
        year = inferred
    return _make_date(year, month, day)


def _left_words(text: str, start: int, n: int = 4) -> list[str]:
    """The last ``n`` words before ``start``, lower-cased."""
    return [w.lower() for w in _WORDS.findall(text, max(0, start - 40), start)[-n:]]


def _month_date(text: str, m: re.Match[str], published: dt.date | None) -> DateMatch | None:
    """A date around a month name: "July 6", "6 July 2023", "July 2023", "in early July"."""
    month_text = m.group("month")
    month = _MONTH_NUMBER[month_text.rstrip(".").lower()]
    start, end = m.start(), m.end()
    left = _left_words(text, start)
    since = "since" in left[-3:]
    after = _AFTER_MONTH.match(text, end)
    if after is not None and after.group("d1"):
        d1 = int(after.group("d1"))
        d2 = int(after.group("d2")) if after.group("d2") else None
        year = int(after.group("y")) if after.group("y") else None
        return _day_match(text, start, after.end(), month, d1, d2, year, published, since)
    before = _DAY_BEFORE.search(text, max(0, start - 16), start)
    if before is not None:
        d1 = int(before.group("d1"))
        d2 = int(before.group("d2")) if before.group("d2") else None
        year_m = _YEAR_AFTER.match(text, end)
        year = int(year_m.group("y")) if year_m is not None else None
        stop = year_m.end() if year_m is not None else end
        return _day_match(text, before.start(), stop, month, d1, d2, year, published, since)
    if after is not None and after.group("yo"):
        year = int(after.group("yo"))
    elif _month_context(text, start, left):
        if published is None:
            return None
        year = published.year if month <= published.month else published.year - 1
    else:
        return None
    if not 1900 <= year <= 2100:
        return None
    stop = after.end() if after is not None and after.group("yo") else end
    phrase_start = start
    if start >= 4 and text[start - 4 : start].lower() == "mid-":
        phrase_start = start - 4
    elif left and left[-1] in ("early", "late", "mid"):
        phrase_start = _last_word_start(text, start)
    return DateMatch(
        phrase_start, stop, dt.date(year, month, 1), "month", text[phrase_start:stop], "month", since
    )


def _month_context(text: str, start: int, left: list[str]) -> bool:
    """Whether a month named alone is introduced as a time ("in May", "mid-May", "end of May")."""
    if start >= 4 and text[start - 4 : start].lower() == "mid-":
        return True
    if not left:
        return False
    if left[-1] == "of":
        return len(left) >= 2 and left[-2] in _PERIOD_PARTS
    return left[-1] in _MONTH_CONTEXT


def _last_word_start(text: str, start: int) -> int:
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _day_match(
    text: str,
    start: int,
    end: int,
    month: int,
    d1: int,
    d2: int | None,
    year: int | None,
    published: dt.date | None,
    since: bool,
) -> DateMatch | None:
    last_day = d2 if d2 is not None and d2 > d1 else d1
    date = _place(month, last_day, year, published)
    if date is None:
        return None
    first = _make_date(date.year, month, d1) if last_day != d1 else None
    return DateMatch(start, end, date, "day", text[start:end], "explicit", since, first)


def _numeric_value(m: re.Match[str], *, dayfirst: bool) -> dt.date | None:
    if m.group("iy"):
        return _make_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("sy"):
        return _make_date(int(m.group("sy")), int(m.group("sm")), int(m.group("sd")))
    a, b, y = int(m.group("na")), int(m.group("nb")), int(m.group("ny"))
    if a > 12 or (dayfirst and b <= 12):
        return _make_date(y, b, a)
    return _make_date(y, a, b)


def _numeric_date(text: str, j: int, published: dt.date | None) -> DateMatch | None:
    """An ISO or numeric date, or a year with a context word ("in 2022"), starting at ``j``."""
    m = _NUMERIC.match(text, j)
    if m is not None and (j == 0 or not text[j - 1].isalnum()):
        date = _numeric_value(m, dayfirst=True)
        if date is not None:
            since = "since" in _left_words(text, j, 2)
            return DateMatch(j, m.end(), date, "day", m.group(), "explicit", since)
        return None
    if j + 4 > len(text) or not text[j : j + 4].isdigit() or (j + 4 < len(text) and text[j + 4].isdigit()):
        return None
    year = int(text[j : j + 4])
    left = _left_words(text, j, 3)
    if not (1900 <= year <= 2100 and left and left[-1] in _YEAR_CONTEXT):
        return None
    if j > 0 and text[j - 1] in "$€£,.":
        return None
    if published is not None and year > published.year:
        return None  # "in 2030" is a plan, not a date of fighting
    return DateMatch(j, j + 4, dt.date(year, 1, 1), "year", text[j : j + 4], "year", "since" in left)


def _word_around(low: str, i: int, length: int) -> tuple[int, int]:
    """Start and end of the word that contains ``low[i:i+length]``."""
    s = i
    while s > 0 and low[s - 1].isalpha():
        s -= 1
    e = i + length
    while e < len(low) and low[e].isalpha():
        e += 1
    return s, e


def _relative_date(text: str, low: str, i: int, length: int, published: dt.date) -> DateMatch | None:
    """A weekday or relative expression around the key found at ``i``."""
    s, e = _word_around(low, i, length)
    word = low[s:e]
    left = _left_words(text, s, 4)
    right = _WORDS.findall(low, e, min(len(low), e + 24))[:2]

    def make(start: int, date: dt.date, precision: DatePrecision, kind: DateKind = "relative") -> DateMatch:
        since = "since" in left[-2:]
        return DateMatch(start, e, date, precision, text[start:e], kind, since)

    def back(n: int) -> int:
        """Start of the n-th word before ``s``."""
        pos = s
        for _ in range(n):
            pos = _last_word_start(text, pos)
        return pos

    if word in _WEEKDAY_NUMBER:
        if not text[s].isupper():
            return None
        target = _WEEKDAY_NUMBER[word]
        delta = (published.weekday() - target) % 7
        modifier = left[-1] if left else ""
        if modifier == "next":
            return make(back(1), published + dt.timedelta(days=(7 - delta) or 7), "day", "weekday")
        if modifier in ("last", "past", "previous"):
            return make(back(1), published - dt.timedelta(days=delta or 7), "day", "weekday")
        return make(s, published - dt.timedelta(days=delta), "day", "weekday")
    if word == "today" or word == "tonight":
        return make(back(1) if left and left[-1] in ("earlier", "later") else s, published, "day")
    if word == "overnight":
        return make(s, published, "day")
    if word == "yesterday":
        if left[-3:] == ["the", "day", "before"]:
            return make(back(3), published - dt.timedelta(days=2), "day")
        return make(s, published - dt.timedelta(days=1), "day")
    if word == "night" and left and left[-1] == "last":
        return make(back(1), published - dt.timedelta(days=1), "day")
    if word in ("morning", "afternoon", "evening"):
        return None
    if right and right[0] == "ago" and word in ("day", "days", "week", "weeks", "month", "months"):
        n = _count(left[-1] if left else "")
        if n is None:
            return None
        e = e + low[e:].index("ago") + 3
        if word.startswith("day"):
            return make(back(1), published - dt.timedelta(days=n), "day")
        if word.startswith("week"):
            return make(back(1), published - dt.timedelta(days=7 * n), "week")
        return make(back(1), _shift_month(published, -n), "month")
    if word == "day" or (word == "hours" and left and left[-1] in ("24", "twenty-four")):
        # "in the past day", "over the last 24 hours", "during this day"
        ws = left[:-1] if word == "hours" else left
        if len(ws) >= 2 and ws[-1] in ("past", "last") and ws[-2] == "the":
            n = len(left) - len(ws) + 2
            if len(ws) >= 3 and ws[-3] in _SPAN_WORDS:
                n += 1
            return make(back(n), published, "day")
        if ws[-1:] == ["this"]:
            return make(back(2 if ws[-2:-1] == ["during"] else 1), published, "day")
        return None
    if word == "days" and left[-1:] == ["recent"]:
        return make(back(2 if left[-2:-1] == ["in"] else 1), published, "week")
    if word in ("week", "weekend"):
        modifier = left[-1] if left else ""
        if word == "weekend":
            if modifier in ("the", "this") or (modifier == "past" and left[-2:-1] == ["this"]):
                sunday = _last_weekend_day(published)
                return make(back(2 if modifier != "past" else 3), sunday, "week")
            if modifier == "last":
                delta = (published.weekday() - 6) % 7 or 7
                return make(back(1), published - dt.timedelta(days=delta), "week")
            return None
        if modifier == "this":
            return make(back(1), published, "week")
        if modifier in ("past", "last") and len(left) >= 2 and left[-2] == "the":
            return make(back(3 if left[-3:-2] and left[-3] in _SPAN_WORDS else 2), published, "week")
        if modifier in ("last", "previous"):
            return make(back(1), published - dt.timedelta(days=7), "week")
        return None
    if word == "month":
        modifier = left[-1] if left else ""
        if modifier == "this":
            return make(back(1), published.replace(day=1), "month")
        if modifier == "last" and not (len(left) >= 2 and left[-2] == "the"):
            return make(back(1), _shift_month(published, -1), "month")
        return None
    if word == "year":
        modifier = left[-1] if left else ""
        if modifier == "this":
            return make(back(1), dt.date(published.year, 1, 1), "year")
        if modifier == "last" and not (len(left) >= 2 and left[-2] == "the"):
            return make(back(1), dt.date(published.year - 1, 1, 1), "year")
        return None
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _shift_month(d: dt.date, months: int) -> dt.date:
    """The 1st of the month ``months`` away from ``d``'s month."""
    index = d.year * 12 + (d.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _last_weekend_day(published: dt.date) -> dt.date:
    """The last day of the most recent weekend on or before ``published`` (Sat itself on a Sat)."""
    weekday = published.weekday()
    if weekday >= 5:
        return published
    return published - dt.timedelta(days=weekday + 1)


def _without_overlaps(found: list[DateMatch]) -> list[DateMatch]:
    """Drop matches that overlap an earlier or longer one."""
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMatch] = []
    for d in found:
        if out and d.start < out[-1].end:
            if d.end - d.start > out[-1].end - out[-1].start:
                out[-1] = d
            continue
        out.append(d)
    return out


def _usable(d: DateMatch, published: dt.date | None) -> bool:
    """Whether a date can be a claim's date: not the start of a period, not in the future."""
    if d.since:
        return False
    return published is None or d.date <= published + dt.timedelta(days=1)


def _clause_around(sentence: str, focus: int) -> tuple[int, int]:
    """Offsets of the clause of ``sentence`` that contains ``focus``."""
    lo = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, focus):
        lo = m.end()
    after = _CLAUSE_BREAK.search(sentence, focus)
    return lo, after.start() if after is not None else len(sentence)


def _is_report_date(sentence: str, d: DateMatch) -> int:
    """0: when something happened; 1: when it was said or published; 2: a dateline."""
    tail = sentence[d.end : d.end + 24].lstrip()
    if d.start < 48 and tail.startswith(("(", "/", "—", "–", "- ", ".")) and "," in sentence[: d.start]:
        return 2  # "KYIV, July 7 (Reuters) -", "REGION, Jul 23 —"
    before = _left_words(sentence, d.start, 4)
    if any(w in _REPORT_VERBS for w in before[-3:]):
        return 1
    after = _WORDS.findall(sentence, d.end, min(len(sentence), d.end + 32))[:3]
    return 1 if any(w.lower() in _REPORT_VERBS for w in after) else 0


def _is_background(sentence: str, d: DateMatch, focus: int | None = None) -> bool:
    """A month or year in a relative clause: "Bakhmut, which Russia seized in May, ..." describes
    the place, not the claim -- unless the claim is that clause itself (``focus``, the claim's
    verb, stands inside it)."""
    if d.precision not in ("month", "year"):
        return False
    lo = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, d.start):
        lo = m.end()
    for m in _RELATIVE.finditer(sentence, lo, d.start):
        if focus is not None and m.start() <= focus < d.start:
            continue  # the claim's own verb is in this relative clause: its date is the claim's
        if m.group().lower() != "that":
            return True
        before = _left_words(sentence, m.start(), 2)
        if not any(w in _REPORT_VERBS for w in before):
            return True  # "the city that Russia took in May"; not "said that ... in May"
    return False
