"""Reading a place query: the name, its decorations and the role they give it.

Reports rarely write a bare name: "Avdiivka's outskirts", "the Kupiansk direction", "Kherson City",
"Donetsk region", "Bakhmut Raion", "the Inhulets river", "Kakhovka Reservoir", "the
Bakhmut–Chasiv Yar road". :func:`parse_query` strips such words and records what they say about the
place (its *role*: an oblast, a raion, a river …), which the ranking then uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontmap.gazetteer.names import normalize

__all__ = ["ADMIN_SUFFIXES", "PREFIXES", "SUFFIXES", "Query", "parse_query", "split_context"]

# Normalised trailing words -> role. Longer phrases are tried first.
SUFFIXES: dict[str, str] = {
    "oblast": "admin1",
    "oblasti": "admin1",
    "region": "admin1",
    "province": "admin1",
    "governorate": "admin1",
    "state": "admin1",
    "obl": "admin1",
    "raion": "admin2",
    "rayon": "admin2",
    "district": "admin2",
    "hromada": "admin3",
    "territorial community": "admin3",
    "territorial hromada": "admin3",
    "community": "admin3",
    "municipality": "admin3",
    "city council": "admin3",
    "village council": "admin3",
    "settlement council": "admin3",
    "city": "populated",
    "town": "populated",
    "village": "populated",
    "settlement": "populated",
    "urban type settlement": "populated",
    "hamlet": "populated",
    "direction": "populated",
    "sector": "populated",
    "axis": "populated",
    "front": "populated",
    "frontline": "populated",
    "front line": "populated",
    "salient": "populated",
    "bulge": "populated",
    "pocket": "populated",
    "bridgehead": "populated",
    "outskirts": "populated",
    "suburbs": "populated",
    "environs": "populated",
    "vicinity": "populated",
    "area": "populated",
    "river": "river",
    "canal": "canal",
    "reservoir": "reservoir",
    "water reservoir": "reservoir",
    "lake": "lake",
    "estuary": "estuary",
    "island": "island",
    "islands": "island",
    "forest": "forest",
    "woods": "forest",
    "spit": "spit",
    "heights": "height",
    "height": "height",
    "hill": "height",
    "airport": "airport",
    "airfield": "airport",
    "air base": "airport",
    "airbase": "airport",
    "aerodrome": "airport",
    "bridge": "bridge",
    "dam": "dam",
    "hpp": "dam",
    "hydroelectric power plant": "dam",
    "hydroelectric power station": "dam",
    "hydroelectric plant": "dam",
    "nuclear power plant": "plant",
    "nuclear power station": "plant",
    "npp": "plant",
    "power plant": "plant",
    "power station": "plant",
    "thermal power plant": "plant",
}

# Normalised leading words -> role (None: the words say nothing about the kind of place).
PREFIXES: dict[str, str | None] = {
    "the": None,
    "outskirts of": "populated",
    "the outskirts of": "populated",
    "suburbs of": "populated",
    "vicinity of": "populated",
    "environs of": "populated",
    "city of": "populated",
    "town of": "populated",
    "village of": "populated",
    "settlement of": "populated",
    "river": "river",
    "lake": "lake",
    "mount": "height",
    "region of": "admin1",
    "oblast of": "admin1",
}

#: Trailing words that say a name is an administrative unit of the given level.
ADMIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "admin1": ("oblast", "region", "province"),
    "admin2": ("raion", "rayon", "district"),
    "admin3": ("hromada", "community", "city council"),
}

_ROAD_WORDS = r"road|highway|motorway|route|railway|rail line|railroad|supply route|motorway|line"
_ROAD = re.compile(rf"^(?:the\s+)?(?P<pair>.+?)\s+(?:{_ROAD_WORDS})$", re.IGNORECASE)
_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")
_SUFFIX_ORDER = sorted(SUFFIXES, key=lambda s: -len(s.split()))
_PREFIX_ORDER = sorted(PREFIXES, key=lambda s: -len(s.split()))


@dataclass(frozen=True, slots=True)
class Query:
    """A query as read by :func:`parse_query`.

    Attributes
    ----------
    text
        The query as given.
    key
        Its normalised form, decorations included (``"bakhmut raion"``).
    base
        The normalised name without decorations (``"bakhmut"``); equals ``key`` when there were none.
    role
        What the decorations say the place is: ``"admin1"``, ``"admin2"``, ``"admin3"``,
        ``"populated"``, ``"river"``, ``"reservoir"``, … or None.
    endpoints
        For "the X–Y road": the raw names X and Y (the query then stands for X first).
    """

    text: str
    key: str
    base: str
    role: str | None = None
    endpoints: tuple[str, ...] = ()


def _strip(words: list[str]) -> tuple[list[str], str | None]:
    role: str | None = None
    changed = True
    while changed and words:
        changed = False
        for phrase in _PREFIX_ORDER:
            parts = phrase.split()
            if len(words) > len(parts) and words[: len(parts)] == parts:
                words = words[len(parts) :]
                role = role or PREFIXES[phrase]
                changed = True
                break
        for phrase in _SUFFIX_ORDER:
            parts = phrase.split()
            if len(words) > len(parts) and words[-len(parts) :] == parts:
                words = words[: -len(parts)]
                # The innermost decoration tells most ("Bakhmut Raion area" is still a raion).
                role = SUFFIXES[phrase]
                changed = True
                break
    return words, role


def parse_query(text: str) -> Query:
    """Split a place query into its name and what the decorations around it say.

    Parameters
    ----------
    text
        A name as written: "Avdiivka's outskirts", "the Kupiansk direction", "Donetsk region".

    Returns
    -------
    Query
        ``base`` is the normalised bare name, ``role`` what the decorations say.

    Examples
    --------
    >>> parse_query("the Kupiansk direction").base
    'kupiansk'
    >>> parse_query("Bakhmut Raion").role
    'admin2'
    >>> parse_query("the Bakhmut–Chasiv Yar road").endpoints
    ('Bakhmut', 'Chasiv Yar')
    """
    raw = " ".join(text.split())
    key = normalize(raw)
    endpoints: tuple[str, ...] = ()
    road = _ROAD.match(raw)
    if road is not None and _DASHES.search(road.group("pair")):
        pieces = _DASHES.split(road.group("pair"))
        if len(pieces) >= 2:
            endpoints = tuple(p.strip() for p in pieces if p.strip())
    words, role = _strip(key.split())
    base = " ".join(words) if words else key
    if endpoints:
        role = "populated"
        base = normalize(endpoints[0])
    return Query(text=text, key=key, base=base, role=role, endpoints=endpoints)


def split_context(text: str) -> tuple[str, str | None]:
    """Split "Andriivka, Donetsk Oblast" into the name and its trailing admin context.

    Only the first comma counts; a country after a second comma ("…, Ukraine") is dropped.

    Returns
    -------
    tuple
        ``(name, context)``; ``context`` is None when there is no comma.
    """
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return (parts[0] if parts else text.strip()), None
    return parts[0], parts[1]
