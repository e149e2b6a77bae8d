"""Compile GeoNames-layout rows into the lookup index, and store it in a compact file.

Compiling does the slow work once (at build or import time): admin names, every key of every
place (exact, alternate, romanised, derived) with its tier, the best-first order of the places
behind each key, and the skeleton keys. The result is written to ``index.fmi``: a small header
followed by zlib-compressed columns (newline-joined strings, little-endian arrays), so that
loading is a few C-level splits and ``dict(zip(…))`` calls, with no pickle and no per-row Python.
"""

from __future__ import annotations

import array
import functools
import json
import logging
import re
import sys
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from frontmap.errors import GazetteerError
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.gazetteer.names import (
    has_cyrillic,
    is_russian,
    is_ukrainian,
    normalize,
    romanize,
    russian_style,
    skeleton,
)
from frontmap.gazetteer.query import ADMIN_SUFFIXES
from frontmap.gazetteer.ranking import (
    ALTERNATE,
    DERIVED,
    EXACT,
    TRANSLITERATION,
    base_score,
    distance_km,
)

__all__ = ["FORMAT_VERSION", "INDEX_NAME", "IndexData", "compile_rows", "read_index", "write_index"]

logger = logging.getLogger("frontmap")

INDEX_NAME = "index.fmi"
FORMAT_VERSION = 1
_MAGIC = b"FMGI"
_MAX_WORDS = 6  # longer "names" are descriptions, never written as a place name in a report
_MAX_STEM_WORDS = 3  # derived forms ("<stem> river") only from short names
# base_score(tier, …) - base_score(EXACT, …): the tier's part of a score.
_TIER_DELTA = tuple(base_score(t, "P", "PPL", 0) - base_score(EXACT, "P", "PPL", 0) for t in range(6))

# The columns of the place table, in Place field order (lat, lon, population are arrays).
_TEXT_COLUMNS = (
    "ids", "names", "fclass", "fcode", "country", "admin1", "admin2", "admin1_code", "admin2_code",
)  # fmt: skip


@dataclass(slots=True)
class IndexData:
    """The compiled index, as columns (what :func:`write_index` stores)."""

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    lat: array.array[float] = field(default_factory=lambda: array.array("d"))
    lon: array.array[float] = field(default_factory=lambda: array.array("d"))
    fclass: list[str] = field(default_factory=list)
    fcode: list[str] = field(default_factory=list)
    population: array.array[int] = field(default_factory=lambda: array.array("q"))
    n_names: array.array[int] = field(default_factory=lambda: array.array("I"))
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)  # "" when unknown
    admin2: list[str] = field(default_factory=list)
    admin1_code: list[str] = field(default_factory=list)
    admin2_code: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    key_group: array.array[int] = field(default_factory=lambda: array.array("I"))
    skel_keys: list[str] = field(default_factory=list)
    skel_group: array.array[int] = field(default_factory=lambda: array.array("I"))
    group_offsets: array.array[int] = field(default_factory=lambda: array.array("I", [0]))
    group_members: array.array[int] = field(default_factory=lambda: array.array("I"))
    group_tiers: array.array[int] = field(default_factory=lambda: array.array("B"))
    meta: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Which alternate names are worth indexing

_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,5}$")  # IATA/ICAO codes, "KHE", "UKDB": not names in prose


def usable_name(name: str) -> bool:
    """Whether an alternate name is worth a key.

    Lower-case Latin alternates are machine romanisations of CJK/Indic names ("ke xi qi fu ka",
    "baheumuteu"): a report never writes a place that way, and they only add false hits. Codes and
    long descriptions are left out for the same reason.
    """
    text = name.strip()
    if len(text) < 2 or _CODE_LIKE.match(text) or "http" in text or "@" in text:
        return False
    if len(text.split()) > _MAX_WORDS:
        return False
    if has_cyrillic(text):
        return True
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in letters)
    return not latin or any(c.isupper() for c in letters)


# --------------------------------------------------------------------------------------------
# Admin display names ("Donetska Oblast" -> "Donetsk Oblast")

_ADMIN_WORDS = (
    "Oblast", "Raion", "Rayon", "District", "Region", "Province", "City", "Governorate", "State", "Krai", "Kray",
)  # fmt: skip
_ADJECTIVE_ENDINGS = ("s'ka", "s’ka", "ska", "ka", "skyi", "skyy", "ky", "kyi")


def _stem_of(name: str) -> str:
    """``"Donetsk Oblast"`` -> ``"Donetsk"`` (the name without its trailing admin word)."""
    words = name.split()
    if len(words) > 1 and words[-1].rstrip("'’") in _ADMIN_WORDS:
        return " ".join(words[:-1])
    return name


def _ukrainian_romanisations(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """KMU romanisations of the Cyrillic names: (certainly Ukrainian, possibly Ukrainian)."""
    strong: set[str] = set()
    weak: set[str] = set()
    for name in names:
        key = normalize(name)
        if has_cyrillic(key) and not is_russian(key):
            variants = romanize(key, "uk")
            if variants:
                (strong if is_ukrainian(key) else weak).add(variants[0])
    return strong, weak - strong


def admin_display_name(row: GeoNamesRow, seat: GeoNamesRow | None) -> str:
    """The name the press uses for an admin unit, chosen among its own names.

    GeoNames names some oblasts by their adjective ("Donetska Oblast", "Sumska Oblast") and some
    raions likewise ("Kramatorskyi Raion"). Among the unit's names ending in the same admin word,
    prefer the one built on the seat's name in the national romanisation ("Donetsk Oblast",
    "Zaporizhzhia Oblast", "Kramatorsk Raion", "Kyiv City"), else the unit's own name.
    """
    own_last = row.name.split()[-1] if row.name.split() else ""
    same_kind = own_last if own_last in _ADMIN_WORDS else None
    strong: set[str] = set()
    weak: set[str] = set()
    seat_name = ""
    if seat is not None:
        seat_name = normalize(seat.name)
        strong, weak = _ukrainian_romanisations((seat.name, *seat.alternatenames))
    own_stem = normalize(_stem_of(row.name))
    adjective_stems = {own_stem[: -len(e)] for e in _ADJECTIVE_ENDINGS if own_stem.endswith(normalize(e))}
    best, best_score = row.name, 0.5
    for name in (row.name, *row.alternatenames):
        words = name.split()
        if len(words) < 2 or words[-1] not in _ADMIN_WORDS:
            continue
        if same_kind is not None and words[-1] != same_kind:
            continue
        if not name[0].isupper() or has_cyrillic(name):
            continue
        stem = normalize(" ".join(words[:-1]))
        score = 0.0
        if stem in strong:
            score += 2.0
        elif stem in weak:
            score += 1.0
        if seat_name and stem == seat_name:
            score += 1.0
        if stem in adjective_stems:
            score += 1.5
        if name == row.name:
            score += 0.5
        # Ties between equally official spellings go to the fuller one (Zaporizhzhia over the
        # misspelt Zaporizhia that some alternate names carry).
        score += 0.001 * len(stem)
        if score > best_score:
            best, best_score = name, score
    return best


# --------------------------------------------------------------------------------------------
# Derived keys: the decorated forms reports use ("Dnipro River", "Kakhovka Reservoir")

# feature-code prefix -> (generic words to strip from names, key templates with {} for the stem)
_DERIVED_FORMS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("STM",), ("river", "reka", "richka", "rechka"), ("{} river", "river {}")),
    (("CNL",), ("canal", "kanal"), ("{} canal",)),
    (("RSV",), ("reservoir", "vodoskhovyshche", "vodokhranilishche", "vodoskhovishhe"), ("{} reservoir",)),
    (("LK",), ("lake", "ozero"), ("lake {}", "{} lake")),
    (("ISL",), ("island", "islands", "ostriv", "ostrov", "ostrova"), ("{} island",)),
    (("FRST",), ("forest", "lis", "les", "las"), ("{} forest",)),
    (("SPIT",), ("spit", "kosa"), ("{} spit",)),
    (("ESTY",), ("estuary", "lyman", "liman", "hyrlo", "hirlo"), ("{} estuary",)),
    (
        ("AIRP", "AIRB", "AIRF", "AIRQ"),
        (
            "international", "airport", "airfield", "air", "base", "airbase", "aerodrome", "aeroport",
            "national",
        ),
        ("{} airport", "{} airfield", "{} air base", "{} airbase"),
    ),
    (("BDG",), ("bridge", "mist", "most", "strait"), ("{} bridge",)),
    (
        ("PSH", "DAM"),
        ("hydroelectric", "power", "station", "plant", "dam", "damba", "hpp", "hes", "pumped", "storage"),
        ("{} dam", "{} hpp", "{} hydroelectric power plant", "{} power plant"),
    ),
    (
        ("PSN", "PS"),
        ("nuclear", "power", "plant", "station", "npp", "aes"),
        ("{} nuclear power plant", "{} npp"),
    ),
)
_ADJ_SUFFIXES = tuple(
    sorted(
        (
            "ske", "ska", "skyi", "skyy", "sky", "skiy", "skoye", "skoe", "skaya",
            "zke", "zka", "tske", "tska", "tskyi", "zkyi", "kyi", "ke",
        ),
        key=len,
        reverse=True,
    )
)


def _forms_for(fcode: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    for prefixes, strip, templates in _DERIVED_FORMS:
        if any(fcode.startswith(p) for p in prefixes):
            return strip, templates
    return None


def _strip_generic(key: str, generic: Sequence[str]) -> str:
    # Compared by skeleton, so that "vodoshovische" (a romanisation variant) goes as well.
    skeletons = _generic_skeletons(tuple(generic))
    words = [w for w in key.split() if w not in generic and skeleton(w) not in skeletons]
    return " ".join(words)


@functools.lru_cache(maxsize=64)
def _generic_skeletons(generic: tuple[str, ...]) -> frozenset[str]:
    return frozenset(skeleton(w) for w in generic)


# --------------------------------------------------------------------------------------------
# Compilation


def _latin_keys(tiers: Mapping[str, int], limit_translit: int = 6) -> list[str]:
    """Latin keys of a place for building derived forms (exact and alternate first)."""
    out = [k for k, t in tiers.items() if t in (EXACT, ALTERNATE) and not has_cyrillic(k)]
    translit = [k for k, t in tiers.items() if t == TRANSLITERATION]
    return out + translit[:limit_translit]


def _place_keys(row: GeoNamesRow) -> dict[str, int]:
    keys: dict[str, int] = {}
    # Spellings of the place's own name in another romanisation (Avdiivka for GeoNames'
    # Avdiyivka, Kupiansk for Kupyansk) count as exact: they are its name, not another one.
    own = skeleton(normalize(row.name))

    def add(key: str, tier: int) -> None:
        if tier in (ALTERNATE, TRANSLITERATION) and skeleton(key) == own:
            tier = EXACT
        if tier != EXACT and len(key) < 3:
            return  # "Or" (Perekop's Tatar name) would hit every "or" of a text
        if key and (key not in keys or keys[key] > tier):
            keys[key] = tier

    for name in (row.name, row.asciiname):
        if name:
            add(normalize(name), EXACT)
            if has_cyrillic(name):
                for spelling in romanize(name):
                    add(spelling, TRANSLITERATION)
    for alt in row.alternatenames:
        if not usable_name(alt):
            continue
        add(normalize(alt), ALTERNATE)
        if has_cyrillic(alt):
            for spelling in romanize(alt):
                add(spelling, TRANSLITERATION)
    if row.feature_class == "P" and row.country == "UA":
        # Russian-style endings of the Ukrainian name (Verbovoy, Makarovka): Russian sources write
        # them even where GeoNames has no Russian name. A real name elsewhere stays exact.
        for key in [k for k, t in keys.items() if t == EXACT and not has_cyrillic(k)]:
            for variant in russian_style(key):
                add(variant, TRANSLITERATION)
    return keys


def compile_rows(
    rows: Sequence[GeoNamesRow],
    *,
    meta: Mapping[str, object] | None = None,
    home: Collection[str] | None = None,
) -> IndexData:
    """Compile rows of the GeoNames layout into an :class:`IndexData`.

    Parameters
    ----------
    rows
        Places, any countries; a repeated id keeps its first row.
    meta
        Extra header fields stored with the index (sources, dates).
    home
        Country codes the rows cover in detail (stored as ``home_countries``). Places of other
        countries rank a little below home namesakes (see
        :func:`~frontmap.gazetteer.ranking.base_score`). Default: every country of the rows.

    Returns
    -------
    IndexData
        Columns ready for :func:`write_index` or for loading.
    """
    seen: set[str] = set()
    unique: list[GeoNamesRow] = []
    for row in rows:
        if row.geonameid not in seen:
            seen.add(row.geonameid)
            unique.append(row)
    rows = unique
    n = len(rows)
    logger.debug("compiling %d gazetteer rows", n)

    # Admin units and their seats.
    adm1: dict[tuple[str, str], GeoNamesRow] = {}
    adm2: dict[tuple[str, str, str], GeoNamesRow] = {}
    seat1: dict[tuple[str, str], GeoNamesRow] = {}
    towns2: dict[tuple[str, str, str], list[GeoNamesRow]] = defaultdict(list)
    for row in rows:
        code = row.feature_code
        if code == "ADM1":
            adm1.setdefault((row.country, row.admin1), row)
        elif code == "ADM2":
            adm2.setdefault((row.country, row.admin1, row.admin2), row)
        if code in ("PPLC", "PPLA"):
            k1 = (row.country, row.admin1)
            if k1 not in seat1 or seat1[k1].population < row.population:
                seat1[k1] = row
        if code in ("PPLC", "PPLA", "PPLA2"):
            towns2[(row.country, row.admin1, row.admin2)].append(row)
    seat2 = {k: seat for k, r in adm2.items() if (seat := _raion_seat(r, towns2.get(k, []))) is not None}
    name1 = {k: admin_display_name(r, seat1.get(k)) for k, r in adm1.items()}
    name2 = {k: admin_display_name(r, seat2.get(k)) for k, r in adm2.items()}

    place_keys = [_place_keys(row) for row in rows]
    n_names = [1 + sum(1 for a in row.alternatenames if usable_name(a)) for row in rows]
    display = [row.name for row in rows]
    for i, row in enumerate(rows):
        if row.feature_code == "ADM1":
            display[i] = name1.get((row.country, row.admin1), row.name)
        elif row.feature_code == "ADM2":
            display[i] = name2.get((row.country, row.admin1, row.admin2), row.name)
        if display[i] != row.name:
            place_keys[i][normalize(display[i])] = EXACT

    _add_admin_forms(rows, place_keys, seat1, seat2)
    _add_feature_forms(rows, place_keys)

    data = IndexData()
    for i, row in enumerate(rows):
        a1 = name1.get((row.country, row.admin1), "")
        a2 = name2.get((row.country, row.admin1, row.admin2), "") if row.admin2 else ""
        data.ids.append(row.id)
        data.names.append(display[i])
        data.lat.append(row.lat)
        data.lon.append(row.lon)
        data.fclass.append(row.feature_class)
        data.fcode.append(row.feature_code)
        data.population.append(row.population)
        data.n_names.append(n_names[i])
        data.country.append(row.country)
        data.admin1.append(a1)
        data.admin2.append(a2)
        data.admin1_code.append(row.admin1)
        data.admin2_code.append(row.admin2)

    # key -> [(place, tier)], ordered best first by the context-free score.
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_skel: dict[str, set[int]] = defaultdict(set)
    for i, tiers in enumerate(place_keys):
        for key, tier in tiers.items():
            if key.count(" ") >= _MAX_WORDS:
                continue
            by_key[key].append((i, tier))
            if not has_cyrillic(key):
                by_skel[skeleton(key)].add(i)
    countries = sorted({r.country for r in rows if r.country})
    home_countries = sorted(set(home)) if home is not None else countries
    home_set = frozenset(home_countries)
    static = [
        base_score(
            EXACT, r.feature_class, r.feature_code, r.population, n_names[i], foreign=r.country not in home_set
        )
        for i, r in enumerate(rows)
    ]

    groups: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}

    def group_of(members: tuple[int, ...], tiers: tuple[int, ...]) -> int:
        ident = (members, tiers)
        gid = groups.get(ident)
        if gid is None:
            gid = groups[ident] = len(groups)
            data.group_members.extend(members)
            data.group_tiers.extend(tiers)
            data.group_offsets.append(len(data.group_members))
        return gid

    max_words = 1
    for key in sorted(by_key):
        entries = sorted(by_key[key], key=lambda e: (-static[e[0]] - _TIER_DELTA[e[1]], e[0]))
        data.keys.append(key)
        data.key_group.append(group_of(tuple(e[0] for e in entries), tuple(e[1] for e in entries)))
        max_words = max(max_words, key.count(" ") + 1)
    for skel in sorted(by_skel):
        members = tuple(sorted(by_skel[skel], key=lambda i: (-static[i], i)))
        data.skel_keys.append(skel)
        data.skel_group.append(group_of(members, (0,) * len(members)))

    data.meta = {
        **(meta or {}),
        "places": n,
        "keys": len(data.keys),
        "skeleton_keys": len(data.skel_keys),
        "groups": len(groups),
        "max_name_words": max_words,
        "countries": countries,
        "home_countries": home_countries,
        "admin1": {f"{cc}.{a1}": nm for (cc, a1), nm in sorted(name1.items())},
        "admin1_aliases": _admin1_aliases(adm1, name1, place_keys, rows),
    }
    return data


def _raion_seat(unit: GeoNamesRow, towns: Sequence[GeoNamesRow]) -> GeoNamesRow | None:
    """The seat of a second-level unit among the admin-seat towns filed under it.

    GeoNames' PPLA2 marks still follow the pre-2020 raions (Oleshky is PPLA2 inside today's
    Khersonskyi Raion), so the town the unit is named after wins ("Khersonskyi" -> Kherson);
    failing that, the biggest PPLA2, then the biggest PPLA.
    """
    if not towns:
        return None
    word = normalize(unit.name).split()[0] if unit.name.split() else ""
    root = word
    for suffix in _ADJ_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            break
    for cut in range(3):
        prefix = skeleton(root[: len(root) - cut]) if len(root) - cut >= 3 else ""
        named = [t for t in towns if prefix and skeleton(normalize(t.name)).startswith(prefix)]
        if named:
            return max(named, key=lambda t: t.population)
    return max(towns, key=lambda t: (t.feature_code == "PPLA2", t.population))


def _add_admin_forms(
    rows: Sequence[GeoNamesRow],
    place_keys: list[dict[str, int]],
    seat1: Mapping[tuple[str, str], GeoNamesRow],
    seat2: Mapping[tuple[str, str, str], GeoNamesRow],
) -> None:
    """Add "<stem> oblast/region", "<seat> raion/district", "<stem> hromada" keys to admin units."""
    index_of = {row.geonameid: i for i, row in enumerate(rows)}
    all_suffixes = {s for group in ADMIN_SUFFIXES.values() for s in group}
    all_suffixes |= {"oblast", "oblasti", "rayon", "city"}
    for i, row in enumerate(rows):
        code = row.feature_code
        level = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3"}.get(code)
        if level is None:
            continue
        stems: set[str] = set()
        for key, tier in list(place_keys[i].items()):
            if has_cyrillic(key) or tier not in (EXACT, ALTERNATE):
                continue
            words = key.split()
            if len(words) > 1 and words[-1] in all_suffixes:
                stems.add(" ".join(words[:-1]))
        seat: GeoNamesRow | None = None
        if code == "ADM1":
            seat = seat1.get((row.country, row.admin1))
        elif code == "ADM2":
            seat = seat2.get((row.country, row.admin1, row.admin2))
        if seat is not None and seat.geonameid in index_of:
            stems.update(_latin_keys(place_keys[index_of[seat.geonameid]]))
        if code == "ADM3":
            stems.update(_strip_generic(k, _HROMADA_WORDS) for k in list(stems))
            stems.add(_strip_generic(normalize(row.name), _HROMADA_WORDS))
        for stem in stems:
            if len(stem) < 3 or stem.count(" ") >= _MAX_STEM_WORDS or not stem.isascii():
                continue
            for suffix in ADMIN_SUFFIXES[level]:
                key = f"{stem} {suffix}"
                if key not in place_keys[i]:
                    place_keys[i][key] = DERIVED


_HROMADA_WORDS = (
    "terytorialna",
    "hromada",
    "miska",
    "silska",
    "selyshchna",
    "rada",
    "municipality",
    "starostynskyi",
    "starostynskyy",
    "okruh",
    "district",
)


# Features reports name after a nearby town: "Kakhovka Reservoir", "Kerch Bridge", "Zaporizhzhia NPP".
_TOWN_NAMED = ("RSV", "LK", "BDG", "DAM", "PS", "ESTY")


def _add_feature_forms(rows: Sequence[GeoNamesRow], place_keys: list[dict[str, int]]) -> None:
    """Add "<name> river", "<town> reservoir", "<name> island" … keys to natural features and works.

    A reservoir is named by the adjective of its town ("Kakhovske Vodoskhovyshche"); reports name
    it by the town ("Kakhovka Reservoir"). The town is the most populous place within 150 km
    whose name starts like the adjective's root (or is the feature's name word itself, in
    another spelling: "Zaporizhia Nuclear Power Plant" -> Zaporizhzhia).
    """
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row.feature_class == "P" and row.feature_code not in ("PPLX", "PPLH", "PPLQ", "PPLW"):
            by_prefix[skeleton(normalize(row.name))[:3]].append(i)
    for i, row in enumerate(rows):
        forms = _forms_for(row.feature_code)
        if forms is None:
            continue
        generic, templates = forms
        stems = {_strip_generic(k, generic) for k in _latin_keys(place_keys[i])}
        if row.feature_code.startswith(_TOWN_NAMED):
            town = _town_of_adjective(row, stems, rows, by_prefix)
            if town is not None:
                stems.update(_latin_keys(place_keys[town], limit_translit=3))
        for stem in stems:
            if len(stem) < 3 or stem.count(" ") >= _MAX_STEM_WORDS or not stem.isascii():
                continue
            for template in templates:
                key = template.format(stem)
                if key not in place_keys[i]:
                    place_keys[i][key] = DERIVED


def _town_of_adjective(
    row: GeoNamesRow, stems: Iterable[str], rows: Sequence[GeoNamesRow], by_prefix: Mapping[str, list[int]]
) -> int | None:
    best: tuple[bool, int, int, int] | None = None
    best_index: int | None = None
    for stem in stems:
        words = stem.split()
        if len(words) != 1:
            continue
        word = words[0]
        root, cuts = word, 1  # a plain name must match a town's name whole
        for suffix in _ADJ_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                root, cuts = word[: -len(suffix)], 3  # Kremenchut(ske) -> Kremenchu(k)
                break
        for cut in range(cuts):
            prefix = skeleton(root[: len(root) - cut])
            if len(prefix) < (3 if cut == 0 else 4):  # Kyiv(ske) is short, but whole
                break
            for j in by_prefix.get(prefix[:3], ()):
                town = rows[j]
                name = skeleton(normalize(town.name))
                if not (name.startswith(prefix) if cuts > 1 else name == prefix):
                    continue
                dist = distance_km(row.lat, row.lon, town.lat, town.lon)
                if dist > 150:
                    continue
                # A town over a hamlet (Kurakhove, not Kurakhivka), then the closer spelling.
                significant = town.feature_code in ("PPLC", "PPLA", "PPLA2", "PPLA3") or town.population >= 1000
                rank = (significant, -cut, town.population, -int(dist * 1000))
                if best is None or rank > best or (rank == best and best_index is not None and j < best_index):
                    best, best_index = rank, j
    return best_index


def _admin1_aliases(
    adm1: Mapping[tuple[str, str], GeoNamesRow],
    name1: Mapping[tuple[str, str], str],
    place_keys: Sequence[dict[str, int]],
    rows: Sequence[GeoNamesRow],
) -> dict[str, list[str]]:
    """Keys under which an ``admin1=`` argument finds its oblast ("donetsk", "donetska oblast" …)."""
    index_of = {row.geonameid: i for i, row in enumerate(rows)}
    generic = {"oblast", "oblasti", "region", "province", "obl", "область", "области", "city", "misto"}
    aliases: dict[str, set[str]] = defaultdict(set)
    for (cc, a1), row in adm1.items():
        code = f"{cc}.{a1}"
        keys = set(place_keys[index_of[row.geonameid]]) | {normalize(name1[(cc, a1)]), a1.lower()}
        for key in keys:
            aliases[key].add(code)
            stripped = " ".join(w for w in key.split() if w not in generic)
            if stripped:
                aliases[stripped].add(code)
    return {k: sorted(v) for k, v in sorted(aliases.items())}


# --------------------------------------------------------------------------------------------
# The file


def _u32(values: array.array[int]) -> bytes:
    out = array.array("I", values) if values.typecode != "I" else values
    if out.itemsize != 4:  # pragma: no cover - every supported platform has 4-byte unsigned int
        msg = "this platform's C unsigned int is not 4 bytes"
        raise GazetteerError(msg)
    if sys.byteorder == "big":  # pragma: no cover
        out = array.array("I", out)
        out.byteswap()
    return out.tobytes()


# Coordinates are stored as signed 32-bit integers of 1e-5 degrees (about 1 m, the precision of
# GeoNames' files): they compress to half the size of float64 columns.
_COORD_SCALE = 100_000


def _coords(values: array.array[float]) -> bytes:
    out = array.array("i", (round(v * _COORD_SCALE) for v in values))
    if out.itemsize != 4:  # pragma: no cover - every supported platform has 4-byte int
        msg = "this platform's C int is not 4 bytes"
        raise GazetteerError(msg)
    if sys.byteorder == "big":  # pragma: no cover
        out.byteswap()
    return out.tobytes()


def _to_bytes(value: object, *, coordinate: bool = False) -> tuple[str, bytes]:
    if isinstance(value, list):
        return "str", "\n".join(value).encode("utf-8")
    if isinstance(value, array.array):
        if coordinate and value.typecode == "d":
            return "e5", _coords(value)
        if value.typecode in ("I", "L"):
            return "u32", _u32(value)
        copy = array.array(value.typecode, value)
        if sys.byteorder == "big":  # pragma: no cover
            copy.byteswap()
        return value.typecode, copy.tobytes()
    raise TypeError(type(value))  # pragma: no cover


_SECTIONS = (
    *_TEXT_COLUMNS,
    "lat",
    "lon",
    "population",
    "n_names",
    "keys",
    "key_group",
    "group_offsets",
    "group_members",
    "group_tiers",
    "skel_keys",
    "skel_group",
)


def write_index(data: IndexData, path: Path, *, sources: Sequence[Mapping[str, object]] = ()) -> int:
    """Write the index file; return its size in bytes.

    Each column is compressed on its own, so a reader decompresses only what it needs (the
    skeleton keys, for one, only when a query falls through to them).
    """
    blobs: list[bytes] = []
    sections: list[dict[str, object]] = []
    offset = 0
    for name in _SECTIONS:
        kind, raw = _to_bytes(getattr(data, name), coordinate=name in ("lat", "lon"))
        blob = zlib.compress(raw, 9)
        sections.append({"name": name, "kind": kind, "offset": offset, "length": len(blob), "raw": len(raw)})
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps(
        {"version": FORMAT_VERSION, "meta": data.meta, "sources": list(sources), "sections": sections},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    payload = _MAGIC + len(header).to_bytes(4, "little") + header + b"".join(blobs)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(path)
    return len(payload)


class IndexFile:
    """A read index file: its header, and each section decompressed on first access."""

    def __init__(self, path: Path) -> None:
        try:
            self._payload = path.read_bytes()
        except OSError as exc:
            msg = f"{path}: cannot read the gazetteer index ({exc})"
            raise GazetteerError(msg) from exc
        if self._payload[:4] != _MAGIC:
            msg = f"{path}: not a frontmap gazetteer index"
            raise GazetteerError(msg)
        size = int.from_bytes(self._payload[4:8], "little")
        try:
            self.header: dict[str, object] = json.loads(self._payload[8 : 8 + size])
        except ValueError as exc:
            msg = f"{path}: damaged gazetteer index header ({exc})"
            raise GazetteerError(msg) from exc
        if self.header.get("version") != FORMAT_VERSION:
            msg = f"{path}: gazetteer index format {self.header.get('version')}, expected {FORMAT_VERSION}"
            raise GazetteerError(msg)
        self.path = path
        self._base = 8 + size
        sections = self.header.get("sections")
        assert isinstance(sections, list)
        self._sections: dict[str, dict[str, object]] = {str(s["name"]): s for s in sections}

    @property
    def meta(self) -> dict[str, object]:
        """Header fields written by :func:`compile_rows` (counts, admin names, aliases)."""
        meta = self.header.get("meta")
        return meta if isinstance(meta, dict) else {}

    @property
    def sources(self) -> list[dict[str, object]]:
        """The source files the index was compiled from, with their sizes."""
        sources = self.header.get("sources")
        return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []

    def _raw(self, name: str) -> tuple[str, bytes]:
        section = self._sections.get(name)
        if section is None:
            msg = f"{self.path}: the gazetteer index has no section {name!r}"
            raise GazetteerError(msg)
        start = self._base + int(str(section["offset"]))
        end = start + int(str(section["length"]))
        try:
            return str(section["kind"]), zlib.decompress(self._payload[start:end])
        except zlib.error as exc:
            msg = f"{self.path}: damaged gazetteer index section {name!r} ({exc})"
            raise GazetteerError(msg) from exc

    def strings(self, name: str) -> list[str]:
        """A newline-joined string column."""
        kind, raw = self._raw(name)
        if kind != "str":
            msg = f"{self.path}: section {name!r} is not a string column"
            raise GazetteerError(msg)
        return raw.decode("utf-8").split("\n") if raw else []

    def _array(self, name: str, kinds: dict[str, str]) -> tuple[str, bytes]:
        kind, raw = self._raw(name)
        typecode = kinds.get(kind)
        if typecode is None:
            msg = f"{self.path}: section {name!r} is not a {'/'.join(kinds)} column"
            raise GazetteerError(msg)
        return typecode, raw

    def ints(self, name: str) -> array.array[int]:
        """An integer column (``u32``, ``q`` int64 or ``B`` byte)."""
        typecode, raw = self._array(name, {"u32": "I", "q": "q", "B": "B"})
        values: array.array[int] = array.array(typecode)
        values.frombytes(raw)
        if sys.byteorder == "big" and typecode != "B":  # pragma: no cover
            values.byteswap()
        return values

    def floats(self, name: str) -> array.array[float]:
        """A float column (float64, or coordinates stored as integers of 1e-5 degrees)."""
        typecode, raw = self._array(name, {"d": "d", "e5": "i"})
        if typecode == "i":
            scaled: array.array[int] = array.array("i")
            scaled.frombytes(raw)
            if sys.byteorder == "big":  # pragma: no cover
                scaled.byteswap()
            return array.array("d", [v / _COORD_SCALE for v in scaled])
        values: array.array[float] = array.array(typecode)
        values.frombytes(raw)
        if sys.byteorder == "big":  # pragma: no cover
            values.byteswap()
        return values


def read_index(path: Path) -> IndexFile:
    """Open an index file written by :func:`write_index` (sections are read lazily)."""
    return IndexFile(path)
