"""The loaded gazetteer: fast key lookup for the text scanner, ranked candidates for everyone else.

Loading reads the compiled index of each gazetteer folder (see :mod:`frontmap.gazetteer.index`):
a handful of C-level splits and one ``dict(zip(…))``. :class:`~frontmap.records.Place` objects and
the tuples behind each key are built the first time they are asked for, and the skeleton keys
the first time a query needs them, so a cold start stays well under half a second.
"""

from __future__ import annotations

import array
import functools
import logging
import math
import os
import sys
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontmap.errors import GazetteerError
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.gazetteer.index import INDEX_NAME, IndexData, IndexFile, compile_rows, read_index, write_index
from frontmap.gazetteer.names import normalize, skeleton
from frontmap.gazetteer.query import parse_query
from frontmap.gazetteer.ranking import (
    FUZZY,
    SKELETON,
    TIER_NAMES,
    base_score,
    distance_km,
    near_bonus,
    role_adjustment,
)
from frontmap.records import Place
from frontmap.resources import gazetteer_dir

__all__ = ["Candidate", "Gazetteer", "clear_cache", "source_info", "user_gazetteer_dir"]

logger = logging.getLogger("frontmap")

_FUZZY_CUTOFF = 88.0  # rapidfuzz ratio on skeletons; below this, typos turn into other villages
_FUZZY_MIN_LENGTH = 5
_OUTSIDE_ADMIN1_PENALTY = 0.3
_ENDPOINT_PENALTY = 0.02
_GRID = 4  # cells per degree of the reverse-geocoding grid (~28 km)
_PLACE_TEXT = ("names", "fclass", "fcode", "country", "admin1", "admin2", "admin1_code", "admin2_code")
_REPEATED_TEXT = ("fclass", "fcode", "country", "admin1", "admin2", "admin1_code", "admin2_code")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name may stand for, with how it matched and how good it looks.

    Attributes
    ----------
    place
        The gazetteer entry.
    match
        How the name matched: "exact" (the place's name, in any romanisation: Avdiivka for
        GeoNames' Avdiyivka), "alternate" (one of its other names: Artemivsk for Bakhmut),
        "transliteration" (a romanisation of one of its Cyrillic names), "derived" (a decorated
        form such as "Bakhmut Raion" or "Kakhovka Reservoir"), "skeleton" (the same name up to
        transliteration differences) or "fuzzy" (a near spelling).
    score
        Higher is better; comparable within one query only.
    """

    place: Place
    match: str
    score: float


def user_gazetteer_dir() -> Path:
    """Folder of the user's imported gazetteers.

    ``$FRONTMAP_HOME/gazetteer`` when FRONTMAP_HOME is set, else
    ``$XDG_DATA_HOME/frontmap/gazetteer`` (default ``~/.local/share/frontmap/gazetteer``).
    """
    home = os.environ.get("FRONTMAP_HOME")
    if home:
        return Path(home).expanduser() / "gazetteer"
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "frontmap" / "gazetteer"


def source_info(path: Path) -> dict[str, object]:
    """What an index records about one of its source files (to notice when it changed)."""
    return {"file": path.name, "size": path.stat().st_size}


class _Part:
    """One compiled index, from a file or from memory, with uniform column access."""

    def __init__(self, label: str, *, file: IndexFile | None = None, data: IndexData | None = None) -> None:
        self.label = label
        self.file = file
        self.data = data

    @property
    def meta(self) -> dict[str, object]:
        if self.file is not None:
            return self.file.meta
        assert self.data is not None
        return self.data.meta

    def strings(self, name: str) -> list[str]:
        if self.file is not None:
            return self.file.strings(name)
        assert self.data is not None
        value = getattr(self.data, name)
        assert isinstance(value, list)
        return value

    def ints(self, name: str) -> array.array[int]:
        if self.file is not None:
            return self.file.ints(name)
        assert self.data is not None
        value: array.array[int] = getattr(self.data, name)
        return value

    def floats(self, name: str) -> array.array[float]:
        if self.file is not None:
            return self.file.floats(name)
        assert self.data is not None
        value: array.array[float] = getattr(self.data, name)
        return value


def _home_countries(part: _Part) -> set[str]:
    """The countries a compiled index covers in detail (all of its countries, for older indexes)."""
    meta = part.meta
    home = meta.get("home_countries")
    if not isinstance(home, list):
        home = meta.get("countries")
    return {str(c) for c in home} if isinstance(home, list) else set()


def _folder_part(folder: Path, *, write: bool) -> _Part | None:
    """The compiled index of a gazetteer folder, recompiled if its sources changed."""
    sources = sorted(p for p in folder.glob("*.txt.gz") if p.is_file())
    index_path = folder / INDEX_NAME
    if index_path.is_file():
        index = read_index(index_path)
        recorded = {str(s.get("file")): s.get("size") for s in index.sources}
        actual = {p.name: p.stat().st_size for p in sources}
        if not sources or recorded == actual:
            return _Part(str(folder), file=index)
        logger.warning("%s: the gazetteer index is out of date; recompiling it", folder)
    if not sources:
        return None
    from frontmap.gazetteer.geonames import read_rows

    rows: list[GeoNamesRow] = []
    for path in sources:
        rows.extend(read_rows(path))
    data = compile_rows(rows, meta={"name": folder.name})
    if write:
        try:
            write_index(data, index_path, sources=[source_info(p) for p in sources])
        except OSError as exc:
            logger.warning("%s: cannot write the gazetteer index (%s)", folder, exc)
    return _Part(str(folder), data=data)


def _file_part(path: Path) -> _Part:
    """A gazetteer source file given directly (GeoNames dump or WOF extract), compiled in memory."""
    from frontmap.gazetteer.importer import rows_from_sources

    rows = rows_from_sources([path])
    return _Part(str(path), data=compile_rows(rows, meta={"name": path.name}))


class Gazetteer:
    """Place names of one or more gazetteers, merged, with lookup, ranking and reverse geocoding.

    Build it with :meth:`load`. The fast primitive for scanning text is :meth:`lookup`: give it
    a key made by :func:`normalize` and it returns the places of that name, best first.
    :meth:`candidates` reads decorations ("Bakhmut Raion", "the Kupiansk direction"), falls back
    to skeleton and fuzzy matching and ranks by context (oblast, nearby point).
    """

    normalize = staticmethod(normalize)
    # Guards the lazy parts (skeleton index, grid) when threads share one gazetteer. A class
    # attribute, so that instances stay picklable.
    _lazy_lock = threading.Lock()

    def __init__(self, parts: Sequence[_Part]) -> None:
        if not parts:
            msg = "no gazetteer data: data/gazetteer is empty and no other gazetteer was given"
            raise GazetteerError(msg)
        self._parts = list(parts)
        self._ids: list[str] = []
        self._names: list[str] = []
        self._fclass: list[str] = []
        self._fcode: list[str] = []
        self._country: list[str] = []
        self._admin1: list[str | None] = []
        self._admin2: list[str | None] = []
        self._admin1_code: list[str] = []
        self._admin2_code: list[str] = []
        self._lat: array.array[float] = array.array("d")
        self._lon: array.array[float] = array.array("d")
        self._pop: array.array[int] = array.array("q")
        self._nnames: array.array[int] = array.array("I")
        self._g_off: array.array[int] = array.array("I", [0])  # group g: _g_mem[_g_off[g]:_g_off[g+1]]
        self._g_mem: array.array[int] = array.array("I")
        self._g_tier: array.array[int] = array.array("B")
        self._keys: dict[str, int] = {}
        self._skel: dict[str, int] | None = None
        self._skel_list: list[str] | None = None
        self._key_list: list[str] | None = None
        self._group_offsets: list[int] = []  # first group id of each part
        self._place_remap: list[array.array[int] | None] = []
        self._admin1_aliases: dict[str, set[str]] = {}
        self._admin1_display: dict[str, str] = {}
        self._max_words = 1
        # Countries some gazetteer covers in detail; places elsewhere (the world layer) rank a
        # little below their namesakes here (see ranking.base_score).
        self._home: frozenset[str] = frozenset().union(*(_home_countries(p) for p in self._parts))
        for part in self._parts:
            self._add_part(part)
        self._places: list[Place | None] = [None] * len(self._ids)
        self._tuples: list[tuple[Place, ...] | None] = [None] * (len(self._g_off) - 1)
        self._id_index = {pid: i for i, pid in enumerate(self._ids)}
        self._grid: dict[tuple[int, int], list[int]] | None = None

    # ----------------------------------------------------------------------------------------
    # Loading

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = (), *, include_user: bool = True) -> Gazetteer:
        """The shipped gazetteer, merged with the user's and any extra ones (cached per process).

        Parameters
        ----------
        extra_paths
            Gazetteer folders (like ``data/gazetteer``) or source files (GeoNames ``XX.zip``,
            ``XX.txt``, ``cities500.zip``, WOF ``*.tsv.gz``) to merge in.
        include_user
            Also merge the user gazetteer (see :func:`user_gazetteer_dir`), which
            ``frontmap gazetteer import`` fills.

        Raises
        ------
        GazetteerError
            When the shipped data is missing or damaged, or an extra path cannot be read.
        """
        extras = tuple(str(Path(p).expanduser().resolve()) for p in extra_paths)
        user = str(user_gazetteer_dir()) if include_user else ""
        return _load_cached(extras, user)

    @classmethod
    def from_rows(
        cls, rows: Sequence[GeoNamesRow], *, label: str = "rows", home: Collection[str] | None = None
    ) -> Gazetteer:
        """A gazetteer of the given rows only (not cached; for tests and tools).

        ``home``: the countries the rows cover in detail (default: all of theirs); places
        elsewhere rank a little below home namesakes.
        """
        return cls([_Part(label, data=compile_rows(rows, meta={"name": label}, home=home))])

    def _add_part(self, part: _Part) -> None:
        ids = part.strings("ids")
        n = len(ids)
        base = len(self._ids)
        # A place already loaded from an earlier gazetteer keeps its first entry.
        remap = array.array("I", range(base, base + n))
        fresh = [True] * n
        if base:
            known = {pid: i for i, pid in enumerate(self._ids)}
            count = base
            for j, pid in enumerate(ids):
                if pid in known:
                    remap[j] = known[pid]
                    fresh[j] = False
                else:
                    remap[j] = count
                    count += 1
        columns = {name: part.strings(name) for name in _PLACE_TEXT}
        for name in _REPEATED_TEXT:
            # A few hundred distinct values in 50,000 rows: one string object each (~20 MB less).
            columns[name] = list(map(sys.intern, columns[name]))
        lat = part.floats("lat")
        lon = part.floats("lon")
        pop = part.ints("population")
        nnames = part.ints("n_names")
        if all(fresh):
            self._ids.extend(ids)
            self._names.extend(columns["names"])
            self._fclass.extend(columns["fclass"])
            self._fcode.extend(columns["fcode"])
            self._country.extend(columns["country"])
            self._admin1.extend([a or None for a in columns["admin1"]])
            self._admin2.extend([a or None for a in columns["admin2"]])
            self._admin1_code.extend(columns["admin1_code"])
            self._admin2_code.extend(columns["admin2_code"])
            self._lat.extend(lat)
            self._lon.extend(lon)
            self._pop.extend(pop)
            self._nnames.extend(nnames)
        else:
            for j in range(n):
                if fresh[j]:
                    self._ids.append(ids[j])
                    self._names.append(columns["names"][j])
                    self._fclass.append(columns["fclass"][j])
                    self._fcode.append(columns["fcode"][j])
                    self._country.append(columns["country"][j])
                    self._admin1.append(columns["admin1"][j] or None)
                    self._admin2.append(columns["admin2"][j] or None)
                    self._admin1_code.append(columns["admin1_code"][j])
                    self._admin2_code.append(columns["admin2_code"][j])
                    self._lat.append(float(lat[j]))
                    self._lon.append(float(lon[j]))
                    self._pop.append(pop[j])
                    self._nnames.append(nnames[j])
        identity = base == 0 or all(fresh)

        # Groups of this part, appended to the global group store.
        offsets = part.ints("group_offsets")
        members = part.ints("group_members")
        tiers = part.ints("group_tiers")
        g0 = len(self._g_off) - 1
        mem0 = len(self._g_mem)
        if identity:
            if base:
                self._g_mem.extend(m + base for m in members)
            else:
                self._g_mem.extend(members)
        else:
            self._g_mem.extend(remap[m] for m in members)
        self._g_tier.extend(tiers)
        # Groups are contiguous, so a part's offsets only shift by the members already stored.
        if mem0:
            self._g_off.extend(o + mem0 for o in offsets[1:])
        else:
            self._g_off.extend(offsets[1:])
        self._group_offsets.append(g0)
        self._place_remap.append(None if identity else remap)

        keys = part.strings("keys")
        groups = part.ints("key_group")
        if not self._keys:
            if g0:
                self._keys = dict(zip(keys, (g + g0 for g in groups), strict=True))
            else:
                self._keys = dict(zip(keys, groups, strict=True))
        else:
            for key, g in zip(keys, groups, strict=True):
                gid = int(g) + g0
                old = self._keys.get(key)
                self._keys[key] = gid if old is None else self._merge_groups(old, gid)

        meta = part.meta
        words = meta.get("max_name_words")
        if isinstance(words, int):
            self._max_words = max(self._max_words, words)
        aliases = meta.get("admin1_aliases")
        if isinstance(aliases, dict):
            for alias, codes in aliases.items():
                if isinstance(codes, list):
                    self._admin1_aliases.setdefault(str(alias), set()).update(str(c) for c in codes)
        display = meta.get("admin1")
        if isinstance(display, dict):
            for code, name in display.items():
                self._admin1_display.setdefault(str(code), str(name))

    def _merge_groups(self, first: int, second: int) -> int:
        """A new group with the members of both, best first, each place once."""
        best: dict[int, int] = {}
        for g in (first, second):
            start, end = self._g_off[g], self._g_off[g + 1]
            for place, tier in zip(self._g_mem[start:end], self._g_tier[start:end], strict=True):
                if place not in best or best[place] > tier:
                    best[place] = tier
        order = sorted(best.items(), key=lambda pt: (-self._static(pt[0], pt[1]), pt[0]))
        self._g_mem.extend(p for p, _ in order)
        self._g_tier.extend(t for _, t in order)
        self._g_off.append(len(self._g_mem))
        return len(self._g_off) - 2

    def _static(self, i: int, tier: int) -> float:
        return base_score(
            tier,
            self._fclass[i],
            self._fcode[i],
            self._pop[i],
            self._nnames[i],
            foreign=self._country[i] not in self._home,
        )

    def _ensure_skeleton(self) -> dict[str, int]:
        if self._skel is None:
            with self._lazy_lock:
                if self._skel is None:
                    self._skel = self._build_skeleton()
        return self._skel

    def _build_skeleton(self) -> dict[str, int]:
        skel: dict[str, int] = {}
        for part, g0 in zip(self._parts, self._group_offsets, strict=True):
            keys = part.strings("skel_keys")
            groups = part.ints("skel_group")
            if not skel:
                skel = dict(zip(keys, (g + g0 for g in groups), strict=True))
            else:
                for key, g in zip(keys, groups, strict=True):
                    old = skel.get(key)
                    skel[key] = g + g0 if old is None else self._merge_groups(old, g + g0)
        self._tuples.extend([None] * (len(self._g_off) - 1 - len(self._tuples)))
        return skel

    # ----------------------------------------------------------------------------------------
    # Places

    def _place(self, i: int) -> Place:
        place = self._places[i]
        if place is None:
            place = self._places[i] = Place(
                id=self._ids[i],
                name=self._names[i],
                lat=self._lat[i],
                lon=self._lon[i],
                feature_class=self._fclass[i],
                feature_code=self._fcode[i],
                population=self._pop[i],
                country=self._country[i],
                admin1=self._admin1[i],
                admin2=self._admin2[i],
                admin1_code=self._admin1_code[i],
                admin2_code=self._admin2_code[i],
            )
        return place

    def _group(self, g: int) -> tuple[Place, ...]:
        found = self._tuples[g] if g < len(self._tuples) else None
        if found is None:
            if g >= len(self._tuples):
                self._tuples.extend([None] * (g + 1 - len(self._tuples)))
            start, end = self._g_off[g], self._g_off[g + 1]
            found = self._tuples[g] = tuple(self._place(m) for m in self._g_mem[start:end])
        return found

    def _group_entries(self, g: int) -> Iterator[tuple[int, int]]:
        start, end = self._g_off[g], self._g_off[g + 1]
        return zip(self._g_mem[start:end], self._g_tier[start:end], strict=True)

    # ----------------------------------------------------------------------------------------
    # The fast primitives

    def lookup(self, key: str) -> tuple[Place, ...]:
        """Places whose name has this normalised key, best first (no fuzzy, no skeleton).

        ``key`` must come from :func:`normalize`. Exact names, alternate names, romanisations of
        Cyrillic names and derived forms ("bakhmut raion", "dnipro river") all hit. A miss is an
        empty tuple. This is one dict access: use it for every n-gram of a text.
        """
        g = self._keys.get(key)
        if g is None:
            return ()
        found = self._tuples[g]
        return found if found is not None else self._group(g)

    def lookup_skeleton(self, key: str) -> tuple[Place, ...]:
        """Places whose name has the same skeleton as ``key`` (looser than :meth:`lookup`).

        ``key`` must come from :func:`normalize`. Use it as a second pass for capitalised words that
        :meth:`lookup` missed ("Artyomovsk"); its hits deserve less trust.
        """
        g = self._ensure_skeleton().get(skeleton(key))
        return () if g is None else self._group(g)

    @property
    def max_name_words(self) -> int:
        """Number of words of the longest indexed name (the n-gram size a scanner needs)."""
        return self._max_words

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._keys

    def get(self, place_id: str) -> Place | None:
        """The place with this id ("geonames:713174", "wof:…"), or None."""
        i = self._id_index.get(place_id)
        if i is None and place_id.isdigit():
            i = self._id_index.get(f"geonames:{place_id}")
        return None if i is None else self._place(i)

    # ----------------------------------------------------------------------------------------
    # Admin units

    def admin1_names(self) -> tuple[str, ...]:
        """Names of the first-level admin units (oblasts), sorted."""
        return tuple(sorted(set(self._admin1_display.values())))

    def admin1_codes(self, admin1: str) -> frozenset[str]:
        """Codes ("UA.05") of the admin1 units a name stands for ("Donetsk", "Донецька область").

        An empty set when the name is unknown.
        """
        text = admin1.strip()
        if "." in text and text.split(".", 1)[0].isalpha() and text.upper() in self._admin1_display:
            return frozenset({text.upper()})
        key = normalize(text)
        codes = self._admin1_aliases.get(key)
        if codes is None:
            query = parse_query(text)
            codes = self._admin1_aliases.get(query.base)
        if codes is None:
            generic = {"oblast", "oblasti", "region", "province", "obl", "область", "области"}
            stripped = " ".join(w for w in key.split() if w not in generic)
            codes = self._admin1_aliases.get(stripped)
        return frozenset(codes or ())

    # ----------------------------------------------------------------------------------------
    # Ranked candidates

    def candidates(
        self,
        name: str,
        *,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int | None = None,
    ) -> list[Candidate]:
        """Places a name may stand for, best first.

        Parameters
        ----------
        name
            A name as written, decorations allowed: "Avdiivka's outskirts", "Bakhmut Raion",
            "Donetsk region", "the Inhulets river", "the Bakhmut–Chasiv Yar road".
        admin1
            The oblast (region) the place should be in, in any spelling ("Donetsk", "Donetsk
            Oblast", "Donetska oblast", "Донецька область"). Places elsewhere are dropped when any
            place inside matches; otherwise they stay, ranked lower.
        near
            ``(lat, lon)`` of a place the text relates to: closer places rank higher.
        limit
            Maximum number of candidates.

        Returns
        -------
        list of Candidate
            Ranked by match tier, then feature importance, then population, adjusted by the
            role the decorations give ("Oblast" favours oblasts) and by ``near``.
        """
        query = parse_query(name)
        if not query.key:
            return []
        allowed: frozenset[str] | None = None
        if admin1:
            allowed = self.admin1_codes(admin1)
            if not allowed:
                logger.debug("unknown admin1 %r ignored", admin1)
                allowed = None

        pool: dict[int, tuple[int, float]] = {}

        def add(key: str, penalty: float = 0.0) -> None:
            g = self._keys.get(key)
            if g is not None:
                for i, tier in self._group_entries(g):
                    self._offer(pool, i, tier, penalty)

        add(query.key)
        if query.key.startswith("the "):
            add(query.key[4:])  # "the Kursk region": the decorated form is a key ("kursk region")
        if query.base != query.key:
            add(query.base)
        for i, endpoint in enumerate(self._resolve_endpoints(query.endpoints)):
            add(endpoint, _ENDPOINT_PENALTY * (i + 1))
        skel = self._ensure_skeleton()
        for key in {skeleton(query.key), skeleton(query.base)}:
            g = skel.get(key)
            if g is not None:
                for i, _tier in self._group_entries(g):
                    self._offer(pool, i, SKELETON, 0.0)
        if not pool:
            # Fuzzy only when no name matched anywhere: it is a typo net, not a ranking signal.
            self._fuzzy(pool, query.base)

        scored: list[tuple[float, int, int]] = []
        inside = self._inside(pool, allowed)
        for i, (tier, penalty) in pool.items():
            if allowed is not None and inside and self._code(i) not in allowed:
                continue
            score = self._static(i, tier) - penalty
            score += role_adjustment(query.role, self._fclass[i], self._fcode[i])
            if allowed is not None and not inside:
                score -= _OUTSIDE_ADMIN1_PENALTY
            if near is not None:
                score += near_bonus(distance_km(near[0], near[1], self._lat[i], self._lon[i]))
            scored.append((score, i, tier))
        scored.sort(key=lambda s: (-s[0], self._ids[s[1]]))
        if limit is not None:
            scored = scored[: max(0, limit)]
        return [Candidate(self._place(i), TIER_NAMES[tier], round(score, 4)) for score, i, tier in scored]

    def best(
        self, name: str, *, admin1: str | None = None, near: tuple[float, float] | None = None
    ) -> Place | None:
        """The top candidate's place, or None."""
        found = self.candidates(name, admin1=admin1, near=near, limit=1)
        return found[0].place if found else None

    def _code(self, i: int) -> str:
        return f"{self._country[i]}.{self._admin1_code[i]}"

    def _inside(self, pool: dict[int, tuple[int, float]], allowed: frozenset[str] | None) -> bool:
        if allowed is None:
            return bool(pool)
        return any(self._code(i) in allowed for i in pool)

    @staticmethod
    def _offer(pool: dict[int, tuple[int, float]], i: int, tier: int, penalty: float) -> None:
        old = pool.get(i)
        if old is None or (tier, penalty) < old:
            pool[i] = (tier, penalty)

    def _resolve_endpoints(self, pieces: Sequence[str]) -> list[str]:
        """Keys of the places of "X–Y road": split where both sides are known names.

        Hyphens also occur inside names (Ivano-Frankivsk), so every split point is tried.
        """
        if len(pieces) < 2:
            return []
        for cut in range(1, len(pieces)):
            left = normalize("-".join(pieces[:cut]))
            right = normalize("-".join(pieces[cut:]))
            if left in self._keys and right in self._keys:
                return [left, right]
        return [normalize(p) for p in pieces]

    def _fuzzy(self, pool: dict[int, tuple[int, float]], base: str) -> None:
        """Near spellings of ``base``: among the keys as written, and among the skeletons.

        Both, because a skeleton turns each digraph into one letter (a dropped "h" of "shch"
        costs a lot there) while the keys miss typos on top of another romanisation.
        """
        if len(base) < _FUZZY_MIN_LENGTH:
            return
        from rapidfuzz import fuzz, process

        skel = self._ensure_skeleton()
        with self._lazy_lock:
            if self._skel_list is None:
                self._skel_list = list(skel)
            if self._key_list is None:
                self._key_list = list(self._keys)
        for target, choices, index in (
            (base, self._key_list, self._keys),
            (skeleton(base), self._skel_list, skel),
        ):
            for _match, ratio, position in process.extract(
                target, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=5
            ):
                # Closer spellings lose less: the penalty goes from 0 (ratio 100) to 0.1 (cutoff).
                penalty = (100.0 - float(ratio)) / (100.0 - _FUZZY_CUTOFF) * 0.1
                for i, _tier in self._group_entries(index[choices[position]]):
                    self._offer(pool, i, FUZZY, penalty)

    # ----------------------------------------------------------------------------------------
    # Reverse geocoding

    def _ensure_grid(self) -> dict[tuple[int, int], list[int]]:
        if self._grid is None:
            with self._lazy_lock:
                if self._grid is None:
                    grid: dict[tuple[int, int], list[int]] = {}
                    for i, (la, lo) in enumerate(zip(self._lat, self._lon, strict=True)):
                        grid.setdefault((math.floor(la * _GRID), math.floor(lo * _GRID)), []).append(i)
                    self._grid = grid
        return self._grid

    def reverse(self, lat: float, lon: float, *, feature_class: str | None = "P") -> Place | None:
        """The place nearest to a point (of the given feature class; None for any class).

        Returns None only when the gazetteer has no place of that class within about 500 km.
        """
        grid = self._ensure_grid()
        cy, cx = math.floor(lat * _GRID), math.floor(lon * _GRID)
        best: tuple[float, int] | None = None
        cell_km = 111.0 / _GRID * max(0.2, math.cos(math.radians(lat)))
        for ring in range(0, 20):
            for dy in range(-ring, ring + 1):
                for dx in range(-ring, ring + 1):
                    if max(abs(dy), abs(dx)) != ring:
                        continue
                    for i in grid.get((cy + dy, cx + dx), ()):
                        if feature_class is not None and self._fclass[i] != feature_class:
                            continue
                        d = distance_km(lat, lon, self._lat[i], self._lon[i])
                        if best is None or d < best[0]:
                            best = (d, i)
            # Anything in a farther ring is at least ring * cell size away.
            if best is not None and best[0] <= ring * cell_km:
                break
        return None if best is None else self._place(best[1])

    # ----------------------------------------------------------------------------------------
    # Description

    def __iter__(self) -> Iterator[Place]:
        return (self._place(i) for i in range(len(self._ids)))

    def info(self) -> dict[str, object]:
        """Sources, counts by feature class, countries (and those covered in detail), index sizes."""
        sources: list[dict[str, object]] = []
        for part in self._parts:
            entry: dict[str, object] = {"path": part.label}
            name = part.meta.get("name")
            if name:
                entry["name"] = name
            if part.file is not None:
                entry["files"] = [s.get("file") for s in part.file.sources]
            entry["places"] = part.meta.get("places")
            sources.append(entry)
        return {
            "places": len(self._ids),
            "keys": len(self._keys),
            "by_class": dict(sorted(Counter(self._fclass).items())),
            "countries": sorted(set(self._country) - {""}),
            "home_countries": sorted(self._home),
            "admin1": len(self._admin1_display),
            "max_name_words": self._max_words,
            "sources": sources,
        }


@functools.lru_cache(maxsize=8)
def _load_cached(extras: tuple[str, ...], user: str) -> Gazetteer:
    parts: list[_Part] = []
    shipped = _folder_part(gazetteer_dir(), write=False)
    if shipped is not None:
        parts.append(shipped)
    else:
        logger.warning("the shipped gazetteer (%s) is missing", gazetteer_dir())
    if user:
        folder = Path(user)
        if folder.is_dir():
            part = _folder_part(folder, write=True)
            if part is not None:
                parts.append(part)
    for extra in extras:
        path = Path(extra)
        if path.is_dir():
            part = _folder_part(path, write=False)
            if part is None:
                msg = f"{path}: no gazetteer files (*.txt.gz or {INDEX_NAME}) in this folder"
                raise GazetteerError(msg)
            parts.append(part)
        elif path.is_file():
            parts.append(_file_part(path))
        else:
            msg = f"{path}: no such gazetteer file or folder"
            raise GazetteerError(msg)
    return Gazetteer(parts)


def clear_cache() -> None:
    """Forget the loaded gazetteers (after an import changed the user gazetteer)."""
    _load_cached.cache_clear()


def iter_keys(gazetteer: Gazetteer) -> Iterable[str]:
    """All index keys of a gazetteer (for tools and benchmarks)."""
    return gazetteer._keys.keys()
