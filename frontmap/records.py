"""Typed records passed between the pipeline stages. All are frozen: a stage makes new records,
it never edits the ones it was given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["advance", "capture", "attack", "repel", "withdraw", "strike", "hold", "other"]
DatePrecision = Literal["day", "week", "month", "year"]
ACTIONS: tuple[str, ...] = ("advance", "capture", "attack", "repel", "withdraw", "strike", "hold", "other")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: str  # "geonames:713174"; other sources use their own prefix ("wof:…")
    name: str  # canonical name
    lat: float
    lon: float
    feature_class: str  # GeoNames class: P, A, H, T, L, V, S, R, U
    feature_code: str  # PPL, PPLA2, ADM1, STM, …
    population: int = 0
    country: str = ""
    admin1: str | None = None  # oblast (region) name
    admin2: str | None = None  # raion (district) name
    admin1_code: str = ""
    admin2_code: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """One article read from the input folder."""

    path: str  # relative to the input folder, POSIX separators
    text: str  # body text, the title excluded
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    encoding: str | None = None
    format: str = "txt"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article body; offsets index ``Article.text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name as written in an article, with what the resolver made of it."""

    article: str
    text: str  # as written
    start: int  # offsets in Article.text
    end: int
    sentence: int
    key: str  # the normalised name that was looked up
    candidates: tuple[Place, ...] = ()
    place: Place | None = None
    reason: str = ""  # why this candidate was chosen (shown to the user)


@dataclass(frozen=True, slots=True)
class Distance:
    """A distance as written, in kilometres; min/max follow the qualifier ("more than", "up to")."""

    text: str
    km: float | None
    min_km: float | None
    max_km: float | None
    qualifier: str | None = None  # "about", "more than", "up to", "within", …


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of movement or fighting, as read from a sentence."""

    id: str
    article: str
    sentence: int
    quote: str
    claimant: str  # "Ukraine", "Russia", "third party", "unknown", …
    claimant_name: str | None
    actor: str | None
    action: str
    place: Mention | None  # the place the claim is about
    anchor: Mention | None = None  # reference place of a relative phrase
    direction: str | None = None  # 16-point compass
    bearing_deg: float | None = None
    distance: Distance | None = None
    date: dt.date | None = None
    date_precision: str | None = None
    verification: str | None = None  # "unverified", "geolocated" or None
    denied: bool = False
    contested: bool = False
    place_is_offset: bool = False  # True: the point is the anchor moved by bearing and distance
    near: bool = False  # the text puts the claim only near/around the place, not in it


@dataclass(frozen=True, slots=True)
class LocatedClaim:
    """A claim with the point and area that stand for it on the map."""

    claim: Claim
    lon: float
    lat: float
    geo_precision: int  # 1 the place itself, 2 near/relative to it, 3 a region
    uncertainty_km: float
    area: object | None = None  # shapely Polygon in lon/lat, or None


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one file under the input folder."""

    path: str
    status: Literal["read", "skipped", "failed"]
    reason: str | None = None
    encoding: str | None = None
    articles: int = 0


@dataclass(frozen=True)
class RunReport:
    """What a run read, skipped, resolved and wrote."""

    input: str
    output: str
    files: tuple[FileOutcome, ...]
    articles: int
    claims: int
    places_resolved: int
    places_unresolved: int
    unresolved: tuple[dict[str, object], ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
