"""How candidates are scored: match tier, feature importance, population, role and distance.

The same scores order the places behind every index key at build time (so :meth:`lookup` returns
them best first) and rank :meth:`candidates` at query time, where the query's context (a role such
as "Oblast" or "River", an oblast, a point nearby) adds to them.
"""

from __future__ import annotations

import math

__all__ = [
    "ALTERNATE",
    "COUNTRY_CODES",
    "DERIVED",
    "EXACT",
    "FUZZY",
    "ROLE_CODES",
    "SKELETON",
    "TIER_NAMES",
    "TRANSLITERATION",
    "base_score",
    "distance_km",
    "near_bonus",
    "role_adjustment",
    "role_matches",
]

EXACT, ALTERNATE, TRANSLITERATION, DERIVED, SKELETON, FUZZY = range(6)
#: Names of the match tiers, indexed by tier code (``Candidate.match``).
TIER_NAMES: tuple[str, ...] = ("exact", "alternate", "transliteration", "derived", "skeleton", "fuzzy")
# Exact, alternate, transliterated and derived names are equally good evidence (a village's
# GeoNames name and a town's official romanisation are both "the name"): they differ by little, so
# importance and population decide between them. Skeleton and fuzzy hits sit clearly below.
_QUALITY: tuple[float, ...] = (1.0, 0.985, 0.985, 0.985, 0.85, 0.7)

_IMPORTANCE: dict[str, float] = {
    # Small next to population: GeoNames marks some cities PPL (Toretsk, Sloviansk), some
    # villages PPLA3, so the code only breaks near-ties.
    "PPLC": 0.03,
    "PPLA": 0.02,
    "PPLA2": 0.01,
    "PPLA3": 0.005,
    "PPLA4": 0.0025,
    "PPLG": 0.005,
    "PPL": 0.0,
    "PPLL": 0.0,
    "PPLF": 0.0,
    "PPLS": 0.0,
    "PPLX": -0.01,  # a section of a town: its town should win on a bare name
    "PPLR": -0.01,
    "PPLW": -0.02,
    "PPLQ": -0.03,
    "PPLH": -0.03,
    # An oblast, raion or hromada named like its seat should only win when the query asks for it
    # ("Donetsk Oblast", "Bakhmut Raion"); the role bonus does that.
    "ADM1": -0.02,
    "ADM2": -0.03,
    "ADM3": -0.04,
    "STM": -0.005,
    "RSV": -0.005,
    # A country outranks the villages named like it ("Mali" is the country, not Malyi); its
    # population, as for towns, orders countries among themselves.
    "PCLI": 0.06,
    "PCLD": 0.04,
    "PCLS": 0.04,
    "PCLF": 0.04,
    "PCLIX": 0.02,
    "TERR": 0.03,
}
#: Feature codes of countries and territories (their population counts, like a town's).
COUNTRY_CODES = frozenset({"PCL", "PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCLH", "TERR"})
# Places of countries that the gazetteer covers only coarsely (the world layer) rank below
# namesakes in a home country, unless they are countries or capitals: "Andreevka" is one of the
# Ukrainian villages before the Russian one, "Mali" and "Moscow" are what they are everywhere.
_FOREIGN_PENALTY = 0.04
_NO_FOREIGN_PENALTY = COUNTRY_CODES | {"PPLC"}
_CLASS_IMPORTANCE: dict[str, float] = {"P": 0.0, "A": -0.04, "H": -0.01, "T": -0.015, "V": -0.015}
_OTHER_CLASS = -0.02
_POP_WEIGHT = 0.08
_NAMES_WEIGHT = 0.01
_ROLE_BONUS = 0.15
_ROLE_PENALTY = 0.15
_NEAR_WEIGHT = 0.35
_NEAR_SCALE_KM = 15.0

#: Feature codes (or code prefixes ending in "*") a query role asks for.
ROLE_CODES: dict[str, tuple[str, ...]] = {
    "admin1": ("ADM1", "ADM1H"),
    "admin2": ("ADM2", "ADM2H"),
    "admin3": ("ADM3", "ADM3H"),
    "populated": ("P*",),
    "river": ("STM*", "CNL*"),
    "canal": ("CNL*",),
    "reservoir": ("RSV*", "LK*"),
    "lake": ("LK*", "RSV*", "LGN*"),
    "island": ("ISL*",),
    "forest": ("FRST*",),
    "spit": ("SPIT",),
    "height": ("HLL*", "MT*", "MND", "RDGE", "UPLD"),
    "airport": ("AIR*",),
    "bridge": ("BDG*",),
    "dam": ("DAM*", "PSH"),
    "plant": ("PS*", "DAM*"),
    "estuary": ("ESTY", "LK*", "BAY*"),
}


def role_matches(role: str, feature_class: str, feature_code: str) -> bool:
    """Whether a place of this class/code is what the query role asks for."""
    for pattern in ROLE_CODES.get(role, ()):
        if pattern == "P*":
            if feature_class == "P":
                return True
        elif pattern.endswith("*"):
            if feature_code.startswith(pattern[:-1]):
                return True
        elif feature_code == pattern:
            return True
    return False


def base_score(
    tier: int,
    feature_class: str,
    feature_code: str,
    population: int,
    names: int = 0,
    *,
    foreign: bool = False,
) -> float:
    """Score of a match without context: tier quality + feature importance + population.

    ``names`` (how many names the place has) breaks ties: well-known places have many names in
    many languages, duplicates and hamlets a few. ``foreign`` marks a place outside the
    gazetteer's home countries: it loses a little, unless it is a country or a capital.
    """
    score = _QUALITY[tier]
    if names > 0:
        score += _NAMES_WEIGHT * min(1.0, math.log10(1 + names) / 2.5)
    importance = _IMPORTANCE.get(feature_code)
    if importance is None:
        importance = _CLASS_IMPORTANCE.get(feature_class, _OTHER_CLASS)
    score += importance
    if population > 0 and (feature_class == "P" or feature_code in COUNTRY_CODES):
        # Only populated places and countries: an oblast's population says nothing about how
        # often it is meant.
        score += _POP_WEIGHT * min(1.0, math.log10(1 + population) / 7.0)
    if foreign and feature_code not in _NO_FOREIGN_PENALTY:
        score -= _FOREIGN_PENALTY
    return score


def role_adjustment(role: str | None, feature_class: str, feature_code: str) -> float:
    """Bonus when a place is of the kind the query role asks for, penalty when it is not."""
    if role is None or role not in ROLE_CODES:
        return 0.0
    if role_matches(role, feature_class, feature_code):
        return _ROLE_BONUS
    return -_ROLE_PENALTY


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def near_bonus(distance: float) -> float:
    """Bonus for being close to the query's reference point: 0.35 on it, halved at 15 km."""
    return _NEAR_WEIGHT / (1.0 + distance / _NEAR_SCALE_KM)
