"""Per-article digests and the spool that streams them into the output files.

Why: a run over 100,000 articles makes millions of claims; holding every :class:`Article`,
:class:`Mention` and :class:`Claim` (and the feature dictionaries built from them) until the end
takes many gigabytes. Instead each article is boiled down, as soon as it is read, to a
:class:`Digest`: the counts the report needs, one small row per claim (what sorting and contested
marking need, plus the claim's and its area's GeoJSON text) and its place features' GeoJSON text.
Digests are built wherever the article was extracted (a worker process, a Dask worker), so
geometry and JSON encoding run in parallel too, and they are plain data: cheap to send between
processes and to keep in the incremental cache as JSON.

The :class:`Spool` appends the GeoJSON texts to temporary files beside the outputs and keeps only
compact columns in memory. At the end it marks contested claims (with
:func:`frontmap.extract.claims.mark_contested` itself, one place and one run of nearby dates at a
time), sorts the claims as the pipeline always did (date, article, sentence, id) and writes the
three collections byte for byte as :func:`frontmap.export.dumps` would have.
"""

from __future__ import annotations

import array
import datetime as dt
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Polygon

from frontmap.export import COORD_DECIMALS, claim_feature, place_features
from frontmap.extract.claims import mark_contested
from frontmap.fileio import atomic_writer
from frontmap.geometry import Disc, Sector, circles, place_claim, trace
from frontmap.records import Claim, LocatedClaim, Mention, Place

if TYPE_CHECKING:
    from frontmap.pipeline import ArticleResult

__all__ = ["ClaimRow", "Digest", "Spool", "digest_article", "dumps_feature"]

#: One claim: (date ISO or None, sentence, id, place id or None, claimant, actor, action, denied,
#: claim Feature JSON or None when it could not be located, area Feature JSON or None).
ClaimRow = tuple[str | None, int, str, str | None, str, str | None, str, bool, str | None, str | None]

# A claim's Feature is written before contested marking (which needs every article) with
# "contested":false; the spool flips it for contested claims. Every string value before it is
# JSON-escaped, so this exact text can only be the property itself.
_NOT_CONTESTED = ',"contested":false,'
_CONTESTED = ',"contested":true,'
_COLLECTION_HEAD = '{"type":"FeatureCollection","features":['
_COLLECTION_TAIL = "]}\n"
# Undated claims sort after every dated one ("9999" in the pipeline's sort key), and before a
# date in the year 9999: twice the ordinal leaves room for that slot.
_UNDATED = 2 * dt.date(9999, 1, 1).toordinal() - 1
#: Area geometries kept per process (~2.5 KB of text each): a corpus names a few thousand places.
_AREA_CACHE = 8192


# json.dumps with these options builds a new encoder on every call; one does for the process.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps_feature(feature: dict[str, Any]) -> str:
    """One Feature as :func:`frontmap.export.dumps` writes it inside a collection."""
    return _ENCODER.encode(feature)


@dataclass(frozen=True, slots=True)
class Digest:
    """What the rest of the run needs of one article, as plain data.

    Attributes
    ----------
    path, title, source, published
        The article's report entry (``published`` as YYYY-MM-DD).
    mentions, claims, resolved, unresolved
        Counts for the report and the summary.
    rows
        One :data:`ClaimRow` per claim, in the article's claim order.
    places
        The article's place Features, JSON, comma-separated ("" when none).
    seconds
        CPU seconds spent extracting and digesting (not serialised: timings never enter the cache or
        the outputs).
    """

    path: str
    title: str | None
    source: str | None
    published: str | None
    mentions: int
    claims: int
    resolved: int
    unresolved: int
    rows: tuple[ClaimRow, ...]
    places: str
    seconds: tuple[float, float] = field(default=(0.0, 0.0), compare=False)

    def to_json(self) -> list[Any]:
        """A JSON-able form (for the cache)."""
        return [self.path, self.title, self.source, self.published, self.mentions, self.claims,
                self.resolved, self.unresolved, [list(r) for r in self.rows], self.places]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Digest:
        """Inverse of :meth:`to_json`."""
        path, title, source, published, mentions, claims, resolved, unresolved, rows, places = data
        return cls(path, title, source, published, int(mentions), int(claims), int(resolved), int(unresolved),
                   tuple(tuple(r) for r in rows), places)


def digest_article(result: ArticleResult, *, extract_seconds: float = 0.0) -> Digest:
    """Locate the claims of one article and encode its Features (claims, areas, places)."""
    t0 = time.process_time()
    article = result.article
    spots = [place_claim(claim) for claim in result.claims]
    geometries = iter(_AREAS.geometries([spot.shape for spot in spots if spot is not None]))
    rows: list[ClaimRow] = []
    for claim, spot in zip(result.claims, spots, strict=True):
        place = claim.place.place if claim.place is not None else None
        feature = area = None
        if spot is not None:
            # The claim's own Feature is a point: the area is not needed for it.
            point = claim_feature(LocatedClaim(claim=claim, lon=spot.lon, lat=spot.lat,
                                               geo_precision=spot.geo_precision,
                                               uncertainty_km=spot.uncertainty_km), article)
            feature = dumps_feature(point)
            geometry = next(geometries)
            if geometry is not None:
                # The area's Feature is the claim's with the polygon for the point (same id, same
                # properties: export.area_feature), so its text is the claim's with the geometry
                # swapped, and the properties are not built and encoded a second time.
                head = '"geometry":' + dumps_feature(point["geometry"])
                area = feature.replace(head, '"geometry":' + geometry, 1)
        rows.append((
            claim.date.isoformat() if claim.date else None, claim.sentence, claim.id,
            place.id if place is not None else None, claim.claimant, claim.actor, claim.action, claim.denied,
            feature, area,
        ))
    places = ",".join(dumps_feature(f) for f in place_features(result.mentions))
    resolved = sum(1 for m in result.mentions if m.place is not None)
    return Digest(
        path=article.path, title=article.title, source=article.source,
        published=article.published.isoformat() if article.published else None,
        mentions=len(result.mentions), claims=len(result.claims), resolved=resolved,
        unresolved=len(result.mentions) - resolved, rows=tuple(rows), places=places,
        seconds=(extract_seconds, time.process_time() - t0),
    )


def _shape_key(shape: Disc | Sector) -> tuple[str, ...]:
    """A cache key that tells apart every shape :func:`trace` may draw differently: the exact
    bits of each number (``-0.0`` and ``0.0`` compare equal, but may round to different text)."""
    if isinstance(shape, Disc):
        return ("disc", shape.lat.hex(), shape.lon.hex(), float(shape.radius_km).hex())
    return ("sector", *(float(v).hex() for v in (shape.lat, shape.lon, shape.bearing_deg, shape.half_width_deg,
                                                 shape.min_km, shape.max_km)))


_ABSENT: Any = object()  # not in the cache (None is a cached answer: an empty area)


class _AreaTexts:
    """The GeoJSON geometry text of area shapes, as :func:`frontmap.export.area_feature` writes
    it (None for an empty area), for the last ``size`` shapes used in this process.

    Why: claims about one place share its disc (a place is named again and again, in one article
    and across a corpus), and tracing it with pyproj, orienting it with GEOS and writing ~50
    rounded coordinate pairs is the costliest part of a claim's output. Shapes not seen yet are
    traced an article at a time (one pyproj call and one shapely call for all its discs), oriented
    by GEOS as the export does (``orient`` and ``orient_polygons`` are one GEOS function) and
    rounded by :func:`_ring_text`. The pipeline's tests compare the areas with the export's own
    functions byte for byte.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[tuple[str, ...], str | None] = OrderedDict()
        # A Dask worker may run several tasks at once in threads of one process.
        self._lock = threading.Lock()

    def geometries(self, shapes: Sequence[Disc | Sector]) -> list[str | None]:
        """The text of each shape, in order."""
        keys = [_shape_key(shape) for shape in shapes]
        found: dict[tuple[str, ...], str | None] = {}
        missing: dict[tuple[str, ...], Disc | Sector] = {}
        with self._lock:
            for key, shape in zip(keys, shapes, strict=True):
                if key in found or key in missing:
                    continue
                text = self._texts.get(key, _ABSENT)
                if text is _ABSENT:
                    missing[key] = shape
                else:
                    self._texts.move_to_end(key)
                    found[key] = text
        if missing:
            traced = dict(zip(missing, _geometry_texts(list(missing.values())), strict=True))
            found.update(traced)
            with self._lock:
                self._texts.update(traced)
                while len(self._texts) > self.size:
                    self._texts.popitem(last=False)
        return [found[key] for key in keys]

    def clear(self) -> None:
        """Forget every text (for measurements that want a cold start)."""
        with self._lock:
            self._texts.clear()


def _geometry_texts(shapes: Sequence[Disc | Sector]) -> list[str | None]:
    discs = [shape for shape in shapes if isinstance(shape, Disc)]
    traced = iter(circles(discs))
    areas = [next(traced) if isinstance(shape, Disc) else trace(shape) for shape in shapes]
    texts: list[str | None] = []
    # exterior counter-clockwise: RFC 7946's right-hand rule (what orient(area, sign=1.0) does)
    for polygon in shapely.orient_polygons(np.array(areas, dtype=object), exterior_cw=False).tolist():
        if not isinstance(polygon, Polygon) or polygon.is_empty:
            texts.append(None)
            continue
        rings = ["[" + _ring_text(shapely.get_coordinates(ring)) + "]"
                 for ring in (polygon.exterior, *polygon.interiors)]
        texts.append('{"type":"Polygon","coordinates":[' + ",".join(rings) + "]}")
    return texts


_AREAS = _AreaTexts(_AREA_CACHE)


# One coordinate pair with COORD_DECIMALS decimals, and a run of zeros that ends such a number.
_PAIR = f"[%.{COORD_DECIMALS}f,%.{COORD_DECIMALS}f],"
_TRAILING_ZEROS = re.compile(r"0+(?=[\],])")


def _ring_text(xy: np.ndarray[Any, np.dtype[np.float64]]) -> str:
    """``[x,y],[x,y],...`` with each number as ``repr(round(v, COORD_DECIMALS))`` (6), the
    export's rounding.

    Fast path: one ``%.6f`` formatting of the whole ring and the trailing zeros cut. Both
    ``round(v, 6)`` and ``%.6f`` round the exact binary value correctly to six decimals, and the
    shortest repr of that number is those digits without trailing zeros as long as repr writes no
    exponent: for 1e-3 <= |v| < 1e15 (coordinates, away from 0° of latitude or longitude). Any
    other value, NaN included, takes the direct way.
    """
    magnitude = np.abs(xy)
    if not ((magnitude >= 1e-3) & (magnitude < 1e15)).all():
        return ",".join(f"[{round(x, COORD_DECIMALS)!r},{round(y, COORD_DECIMALS)!r}]" for x, y in xy.tolist())
    text = (_PAIR * len(xy))[:-1] % tuple(xy.ravel().tolist())
    return _TRAILING_ZEROS.sub("", text).replace(".,", ".0,").replace(".]", ".0]")


class _Ids:
    """Claim ids, packed: the pipeline's ids are 16 hexadecimal digits (a hash), which sort as the
    64-bit numbers they spell. Any other id switches to plain strings, ranked for sorting."""

    def __init__(self) -> None:
        self._packed: array.array[int] | None = array.array("Q")
        self._strings: list[str] = []

    def append(self, claim_id: str) -> None:
        if self._packed is not None:
            if len(claim_id) == 16 and claim_id == claim_id.lower():
                try:
                    self._packed.append(int(claim_id, 16))
                    return
                except ValueError:
                    pass
            self._strings = [f"{v:016x}" for v in self._packed]
            self._packed = None
        self._strings.append(claim_id)

    def get(self, k: int) -> str:
        return f"{self._packed[k]:016x}" if self._packed is not None else self._strings[k]

    def sort_key(self) -> np.ndarray[Any, np.dtype[np.uint64]] | np.ndarray[Any, np.dtype[np.int64]]:
        if self._packed is not None:
            return np.frombuffer(self._packed, dtype=np.uint64)
        ranks = {v: r for r, v in enumerate(sorted(set(self._strings)))}
        return np.array([ranks[v] for v in self._strings], dtype=np.int64)


class _Interner:
    """Small strings (sides, actions, place ids) as dense integer codes."""

    def __init__(self) -> None:
        self.codes: dict[str | None, int] = {}
        self.values: list[str | None] = []

    def __call__(self, value: str | None) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


class _SpillFile:
    """An append-only temporary file; texts are read back by offset with ``os.pread`` (not
    mmap: mapped pages would count in the run's resident memory)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[bytes] = path.open("w+b")
        self.size = 0

    def append(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        offset = self.size
        self.handle.write(data)
        self.size += len(data)
        return offset, len(data)

    def reader(self) -> int:
        self.handle.flush()
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()


class Spool:
    """Collects digests in input order and writes claims, areas and places GeoJSON at the end.

    Parameters
    ----------
    folder
        Where the temporary spill files go (the output folder: same file system as the
        outputs, removed by :meth:`close`).
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._dir = Path(tempfile.mkdtemp(prefix=".frontmap-spool-", dir=folder))
        self._claims = _SpillFile(self._dir / "claims")
        self._areas = _SpillFile(self._dir / "areas")
        self._places = _SpillFile(self._dir / "places")
        self.articles: list[str] = []  # paths, in input order
        # Each article's place Features in the places spill: its index, offset and length.
        self._place_article = array.array("i")
        self._place_at = array.array("q")
        self._place_len = array.array("i")
        # Per claim, as compact columns: ~60 bytes a claim, where a tuple of Python objects per
        # claim would cost several hundred (100,000 articles make ~3 million claims).
        self._date = array.array("i")  # 2 x ordinal (see _UNDATED)
        self._article = array.array("i")
        self._sentence = array.array("i")
        self._ids = _Ids()
        self._claim_at = array.array("q")  # offset in the claims spill, -1: not located
        self._claim_len = array.array("i")
        self._area_at = array.array("q")
        self._area_len = array.array("i")
        self._place = array.array("i")
        self._claimant = array.array("i")
        self._actor = array.array("i")
        self._action = array.array("i")
        self._denied = bytearray()
        self._names = _Interner()
        self.unlocated: list[dict[str, Any]] = []
        self.claims = 0
        self.located = 0
        self.timings: dict[str, float] = {}

    # ----------------------------------------------------------------------------------------

    def add(self, digest: Digest) -> None:
        """Take one article's digest (call in input order)."""
        index = len(self.articles)
        self.articles.append(digest.path)
        if digest.places:
            offset, length = self._places.append(digest.places)
            self._place_article.append(index)
            self._place_at.append(offset)
            self._place_len.append(length)
        names = self._names
        for date, sentence, claim_id, place_id, claimant, actor, action, denied, feature, area in digest.rows:
            self.claims += 1
            self._date.append(2 * dt.date.fromisoformat(date).toordinal() if date else _UNDATED)
            self._article.append(index)
            self._sentence.append(sentence)
            self._ids.append(claim_id)
            self._place.append(names(place_id))
            self._claimant.append(names(claimant))
            self._actor.append(names(actor))
            self._action.append(names(action))
            self._denied.append(1 if denied else 0)
            if feature is None:
                self.unlocated.append({"article": digest.path, "sentence": sentence, "why": "no resolved place"})
                self._claim_at.append(-1)
                self._claim_len.append(0)
                self._area_at.append(-1)
                self._area_len.append(0)
                continue
            self.located += 1
            offset, length = self._claims.append(feature)
            self._claim_at.append(offset)
            self._claim_len.append(length)
            if area is None:
                self._area_at.append(-1)
                self._area_len.append(0)
            else:
                offset, length = self._areas.append(area)
                self._area_at.append(offset)
                self._area_len.append(length)

    # ----------------------------------------------------------------------------------------

    def contested(self) -> bytearray:
        """A flag per claim: another side contradicts it (see ``mark_contested``).

        ``mark_contested`` compares claims about the same place within a few days of each other,
        pair by pair. It is called here on stand-ins that carry just the fields it reads, one place
        at a time and, within a place, one run of dates at a time (claims more than the window
        apart never contradict), so a busy place over years is not one quadratic comparison.
        """
        flags = bytearray(self.claims)
        window = 3  # mark_contested's default, which the pipeline has always used
        if not self.claims:
            return flags
        places = np.frombuffer(self._place, dtype=np.int32)
        ordered = np.argsort(places, kind="stable")  # claims grouped by place, in claim order
        starts = np.flatnonzero(np.diff(places[ordered])) + 1
        none_code = self._names.codes.get(None)
        values = self._names.values
        for same_place in np.split(ordered, starts):
            code = int(places[same_place[0]])
            if len(same_place) < 2 or code == none_code:
                continue
            members: list[int] = same_place.tolist()
            stand_in = Mention(article="", text="", start=0, end=0, sentence=0, key="",
                               place=Place(id=str(values[code]), name="", lat=0.0, lon=0.0,
                                           feature_class="", feature_code=""))
            for group in self._date_runs(members, window):
                if len(group) < 2:
                    continue
                claims = [self._stand_in(k, stand_in) for k in group]
                for k, claim in zip(group, mark_contested(claims, window_days=window), strict=True):
                    if claim.contested:
                        flags[k] = 1
        return flags

    def _date_runs(self, members: list[int], window: int) -> Iterator[list[int]]:
        dates = self._date
        if any(dates[k] == _UNDATED for k in members):
            yield members  # an undated claim may contradict any other: keep them together
            return
        ordered = sorted(members, key=lambda k: dates[k])
        run = [ordered[0]]
        for k in ordered[1:]:
            if (dates[k] - dates[run[-1]]) // 2 > window:
                yield run
                run = []
            run.append(k)
        yield run

    def _stand_in(self, k: int, mention: Mention) -> Claim:
        values = self._names.values
        ordinal = self._date[k]
        return Claim(
            id=self._ids.get(k), article="", sentence=0, quote="", claimant=str(values[self._claimant[k]]),
            claimant_name=None, actor=values[self._actor[k]], action=str(values[self._action[k]]),
            place=mention, date=None if ordinal == _UNDATED else dt.date.fromordinal(ordinal // 2),
            denied=bool(self._denied[k]),
        )

    def order(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Located claims' indices sorted by (date, article path, sentence, id), as the pipeline
        sorts (numpy's lexsort over the columns: no key tuple per claim)."""
        if not self.claims:
            return np.zeros(0, dtype=np.int64)
        ranks = {path: r for r, path in enumerate(sorted(set(self.articles)))}
        rank_of = np.array([ranks[p] for p in self.articles], dtype=np.int64)
        article = np.frombuffer(self._article, dtype=np.int32)
        located = np.flatnonzero(np.frombuffer(self._claim_at, dtype=np.int64) >= 0)
        # lexsort: the last key is the primary one.
        order = np.lexsort((
            self._ids.sort_key()[located],
            np.frombuffer(self._sentence, dtype=np.int32)[located],
            rank_of[article[located]],
            np.frombuffer(self._date, dtype=np.int32)[located],
        ))
        result: np.ndarray[Any, np.dtype[np.int64]] = located[order]
        return result

    # ----------------------------------------------------------------------------------------

    def write(self, claims_path: Path, areas_path: Path, places_path: Path) -> None:
        """Write the three collections (each atomically: a temporary file renamed into place)."""
        t0 = time.perf_counter()
        flags = self.contested()
        t1 = time.perf_counter()
        order = self.order()
        t2 = time.perf_counter()
        fd = self._claims.reader()
        with atomic_writer(claims_path, buffering=1 << 20) as out:
            out.write(_COLLECTION_HEAD.encode())
            for n, k in enumerate(_each(order)):
                out.write(self._feature(fd, self._claim_at[k], self._claim_len[k], flags[k], n))
            out.write(_COLLECTION_TAIL.encode())
        fd = self._areas.reader()
        with atomic_writer(areas_path, buffering=1 << 20) as out:
            out.write(_COLLECTION_HEAD.encode())
            n = 0
            for k in _each(order):
                if self._area_at[k] >= 0:
                    out.write(self._feature(fd, self._area_at[k], self._area_len[k], flags[k], n))
                    n += 1
            out.write(_COLLECTION_TAIL.encode())
        fd = self._places.reader()
        by_path = sorted(range(len(self._place_article)), key=lambda k: self.articles[self._place_article[k]])
        with atomic_writer(places_path, buffering=1 << 20) as out:
            out.write(_COLLECTION_HEAD.encode())
            for n, k in enumerate(by_path):
                if n:
                    out.write(b",")
                out.write(os.pread(fd, self._place_len[k], self._place_at[k]))
            out.write(_COLLECTION_TAIL.encode())
        t3 = time.perf_counter()
        self.timings = {"contested_s": t1 - t0, "sort_s": t2 - t1, "export_s": t3 - t2}

    @staticmethod
    def _feature(fd: int, offset: int, length: int, contested: int, n: int) -> bytes:
        data = os.pread(fd, length, offset)
        if contested:
            data = data.replace(_NOT_CONTESTED.encode(), _CONTESTED.encode(), 1)
        return b"," + data if n else data

    def close(self) -> None:
        """Remove the spill files and drop the per-claim columns.

        The counts and ``unlocated`` stay; the columns go now rather than with the object,
        because the caller still holds it while it builds the report (at 100,000 articles the
        columns are ~200 MB and the report's dictionaries about as much).
        """
        for spill in (self._claims, self._areas, self._places):
            spill.close()
        shutil.rmtree(self._dir, ignore_errors=True)
        for name in ("_date", "_article", "_sentence", "_claim_at", "_claim_len", "_area_at", "_area_len",
                     "_place", "_claimant", "_actor", "_action", "_place_article", "_place_at", "_place_len"):
            setattr(self, name, array.array(getattr(self, name).typecode))
        self._denied = bytearray()
        self._ids = _Ids()
        self._names = _Interner()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _each(indices: np.ndarray[Any, np.dtype[np.int64]], step: int = 1 << 16) -> Iterator[int]:
    """The indices as Python ints, a slice at a time (one list of ~3 million ints is ~100 MB)."""
    for start in range(0, len(indices), step):
        yield from indices[start : start + step].tolist()
