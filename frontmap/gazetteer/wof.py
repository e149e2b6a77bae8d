"""Who's On First TSV extracts: reading them, merging their names into GeoNames rows, and turning
the places GeoNames lacks into rows of the GeoNames layout.

WOF has bad merges (a record pointing at one town's GeoNames id while carrying another town's
names, e.g. Bakhmut's id with Kypuche's names), so a record only lends its names to the GeoNames
row it points to when its point lies within ``max_km`` of that row and its main names agree with
the row's own names.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from frontmap.errors import GazetteerError
from frontmap.gazetteer.geonames import GeoNamesRow
from frontmap.gazetteer.index import usable_name
from frontmap.gazetteer.names import has_cyrillic, normalize, romanize, skeleton
from frontmap.gazetteer.ranking import distance_km

__all__ = [
    "PLACETYPE_CODES",
    "WofRecord",
    "country_of_path",
    "iter_wof",
    "merge_names",
    "wof_only_rows",
]

logger = logging.getLogger("frontmap")

#: WOF placetype -> GeoNames (feature class, feature code).
PLACETYPE_CODES: dict[str, tuple[str, str]] = {
    "country": ("A", "PCLI"),
    "dependency": ("A", "PCLD"),
    "macroregion": ("A", "ADM1"),
    "region": ("A", "ADM1"),
    "macrocounty": ("A", "ADM2"),
    "county": ("A", "ADM2"),
    "localadmin": ("A", "ADM3"),
    "locality": ("P", "PPL"),
    "borough": ("P", "PPLX"),
    "macrohood": ("P", "PPLX"),
    "neighbourhood": ("P", "PPLX"),
    "microhood": ("P", "PPLX"),
    "campus": ("S", "BLDG"),
}
_COLUMNS = (
    "wof_id",
    "placetype",
    "name",
    "lat",
    "lon",
    "gn_id",
    "wd_id",
    "parent_id",
    "region_id",
    "county_id",
    "is_current",
    "superseded_by",
    "names_json",
)
_COUNTRY_IN_NAME = re.compile(r"wof-admin-([a-z]{2})-", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WofRecord:
    """One row of a WOF TSV extract."""

    wof_id: str
    placetype: str
    name: str
    lat: float
    lon: float
    gn_id: str
    wd_id: str
    parent_id: str
    region_id: str
    county_id: str
    is_current: str
    superseded_by: str
    names: dict[str, list[str]] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        """False for records WOF marks as no longer current or superseded."""
        return self.is_current != "0" and not self.superseded_by

    def names_in(self, languages: Sequence[str] | None) -> list[str]:
        """The record's names in the given languages (all languages when None), name field first.

        Regional variants count as their language ("eng_gb" for "eng").
        """
        out: dict[str, None] = {self.name: None} if self.name else {}
        for lang, values in self.names.items():
            if languages is None or lang.split("_")[0] in languages:
                for value in values:
                    value = value.strip()
                    if value:
                        out.setdefault(value, None)
        return list(out)

    def first(self, language: str) -> str | None:
        """The preferred name in one language, if any."""
        values = self.names.get(language)
        return values[0].strip() if values else None


def country_of_path(path: Path) -> str:
    """Country code from an extract's file name (``wof-admin-sd-places.tsv.gz`` -> ``"SD"``)."""
    match = _COUNTRY_IN_NAME.search(path.name)
    return match.group(1).upper() if match else ""


def iter_wof(path: Path) -> Iterator[WofRecord]:
    """Records of a WOF TSV extract (gzip or plain, with the 13-column header).

    Raises
    ------
    GazetteerError
        When the file is missing or its header is not the WOF extract's.
    """
    if not path.is_file():
        msg = f"{path}: no such Who's On First extract"
        raise GazetteerError(msg)
    opener = gzip.open if path.name.endswith(".gz") else open
    csv.field_size_limit(1 << 30)
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None or tuple(header[: len(_COLUMNS)]) != _COLUMNS:
                msg = f"{path}: not a Who's On First TSV extract (expected columns {', '.join(_COLUMNS)})"
                raise GazetteerError(msg)
            for lineno, cols in enumerate(reader, 2):
                if len(cols) < len(_COLUMNS):
                    continue
                try:
                    lat, lon = float(cols[3]), float(cols[4])
                except ValueError:
                    logger.debug("%s:%d: no coordinates, skipped", path, lineno)
                    continue
                try:
                    names = json.loads(cols[12]) if cols[12] else {}
                except ValueError:
                    names = {}
                yield WofRecord(
                    wof_id=cols[0],
                    placetype=cols[1],
                    name=cols[2],
                    lat=lat,
                    lon=lon,
                    gn_id=cols[5],
                    wd_id=cols[6],
                    parent_id=cols[7],
                    region_id=cols[8],
                    county_id=cols[9],
                    is_current=cols[10],
                    superseded_by=cols[11],
                    names={k: [str(v) for v in vs] for k, vs in names.items() if isinstance(vs, list)},
                )
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        msg = f"{path}: cannot read ({exc})"
        raise GazetteerError(msg) from exc


def _skeletons(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        if has_cyrillic(name):
            out.update(skeleton(v) for v in romanize(name)[:4])
        else:
            key = normalize(name)
            if key:
                out.add(skeleton(key))
    return out


def _agrees(record: WofRecord, row_skeletons: set[str]) -> bool:
    """Whether the record's main name is one of the row's names (up to transliteration).

    The Ukrainian name decides when there is one (it is what GeoNames romanises); otherwise the
    first of the undetermined, English or record name that exists.
    """
    main = record.first("ukr") or record.first("und") or record.first("eng") or record.name
    return bool(main) and not _skeletons([main]).isdisjoint(row_skeletons)


@dataclass(frozen=True, slots=True)
class MergeStats:
    """What :func:`merge_names` did."""

    records: int = 0
    merged: int = 0  # records whose names were added
    too_far: int = 0
    disagreeing: int = 0
    names_added: int = 0


def merge_names(
    rows: Sequence[GeoNamesRow],
    records: Iterable[WofRecord],
    *,
    languages: Sequence[str] | None = ("ukr", "rus", "eng", "und"),
    max_km: float = 10.0,
) -> tuple[list[GeoNamesRow], MergeStats]:
    """Add WOF names to the GeoNames rows their ``gn_id`` points to.

    Parameters
    ----------
    rows
        GeoNames rows.
    records
        WOF records; those without ``gn_id`` are ignored here (see :func:`wof_only_rows`).
    languages
        ISO 639-3 codes whose names are taken (None: all).
    max_km
        A record farther than this from the GeoNames point lends no names.

    Returns
    -------
    tuple
        The rows (new objects where names were added, in the same order) and the statistics.
    """
    index = {row.geonameid: i for i, row in enumerate(rows)}
    extra: dict[int, dict[str, None]] = defaultdict(dict)
    seen = merged = too_far = disagreeing = 0
    row_skeletons: dict[int, set[str]] = {}
    for record in records:
        i = index.get(record.gn_id) if record.gn_id else None
        if i is None:
            continue
        seen += 1
        row = rows[i]
        if distance_km(record.lat, record.lon, row.lat, row.lon) > max_km:
            too_far += 1
            continue
        if i not in row_skeletons:
            row_skeletons[i] = _skeletons([row.name, row.asciiname, *row.alternatenames])
        if not _agrees(record, row_skeletons[i]):
            disagreeing += 1
            logger.debug("WOF %s: names disagree with geonames:%s, skipped", record.wof_id, row.geonameid)
            continue
        merged += 1
        for name in record.names_in(languages):
            if usable_name(name) and "," not in name:
                extra[i].setdefault(name, None)
    out = list(rows)
    added = 0
    for i, names in extra.items():
        row = rows[i]
        have = set(row.alternatenames) | {row.name, row.asciiname}
        new = [n for n in names if n not in have]
        if new:
            added += len(new)
            out[i] = replace(row, alternatenames=row.alternatenames + tuple(new))
    stats = MergeStats(
        records=seen, merged=merged, too_far=too_far, disagreeing=disagreeing, names_added=added
    )
    return out, stats


def _latin_name(record: WofRecord) -> str:
    # wof:name first: it is the record's own label; the English lists sometimes open with an
    # oddity ("Hanoet Ydnaa" for Khan Yunis).
    for candidate in (record.name, record.first("eng"), record.first("und")):
        if candidate and not has_cyrillic(candidate) and candidate.isascii():
            return candidate
    ukr = record.first("ukr") or (record.name if has_cyrillic(record.name) else None)
    if ukr:
        spelling = romanize(ukr, "uk")
        if spelling:
            return spelling[0].title()
    return record.name


def _ascii(name: str) -> str:
    key = normalize(name)
    return key.title() if key.isascii() else ""


def wof_only_rows(
    records: Sequence[WofRecord],
    *,
    country: str,
    geonames: Sequence[GeoNamesRow] = (),
    languages: Sequence[str] | None = None,
    dedupe_km: float = 5.0,
) -> list[GeoNamesRow]:
    """Rows of the GeoNames layout for the WOF places that ``geonames`` does not have.

    A record is left out when it is not current, when its ``gn_id`` is one of ``geonames``, or
    when a GeoNames place of a matching name lies within ``dedupe_km`` (WOF keeps a Quattroshapes
    and a GeoNames copy of many towns). Ids are ``wof:<id>``; the admin1 code is the GeoNames
    code of the record's region when known, else the region's WOF id (the region itself then
    becomes an ADM1 row), and likewise for the county.

    Parameters
    ----------
    records
        All records of the extract (regions and counties are needed for the admin columns).
    country
        ISO 3166-1 alpha-2 code written in the country column.
    geonames
        GeoNames rows of the same country, if any.
    languages
        Languages whose names become alternate names (None: all).
    dedupe_km
        Radius of the duplicate test.
    """
    gn_ids = {row.geonameid for row in geonames}
    by_wof = {r.wof_id: r for r in records}
    gn_admin1 = {
        row.geonameid: row.admin1 for row in geonames if row.feature_code == "ADM1" and row.admin1
    }
    gn_admin2 = {
        row.geonameid: (row.admin1, row.admin2) for row in geonames if row.feature_code == "ADM2"
    }
    # Grid of GeoNames places (0.1°) for the duplicate and nearest-raion tests.
    grid: dict[tuple[int, int], list[GeoNamesRow]] = defaultdict(list)
    for row in geonames:
        if row.feature_class == "P":
            grid[(int(row.lat * 10), int(row.lon * 10))].append(row)

    def near_rows(lat: float, lon: float, reach: int) -> Iterator[GeoNamesRow]:
        cy, cx = int(lat * 10), int(lon * 10)
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                yield from grid.get((cy + dy, cx + dx), ())

    def admin1_of(record: WofRecord) -> str:
        region = by_wof.get(record.region_id)
        if region is not None and region.gn_id in gn_admin1:
            return gn_admin1[region.gn_id]
        return record.region_id if record.region_id and record.region_id in by_wof else ""

    def admin2_of(record: WofRecord, admin1: str) -> str:
        county = by_wof.get(record.county_id)
        if county is not None and county.gn_id in gn_admin2 and gn_admin2[county.gn_id][0] == admin1:
            return gn_admin2[county.gn_id][1]
        if geonames:
            # Counties in WOF may predate the current ones: take the nearest GeoNames place's.
            best: tuple[float, str] | None = None
            for row in near_rows(record.lat, record.lon, 2):
                if row.admin1 == admin1 and row.admin2:
                    d = distance_km(record.lat, record.lon, row.lat, row.lon)
                    if best is None or d < best[0]:
                        best = (d, row.admin2)
            return best[1] if best else ""
        return record.county_id if record.county_id and record.county_id in by_wof else ""

    # Records WOF keeps current, then those tied to Wikidata, come first: of two duplicates the
    # first is kept.
    records = sorted(records, key=lambda r: (r.is_current != "1", not r.wd_id, len(r.wof_id), r.wof_id))
    out: list[GeoNamesRow] = []
    # Per feature class: a town and the district named after it are not duplicates.
    kept: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for record in records:
        codes = PLACETYPE_CODES.get(record.placetype)
        if codes is None or record.placetype == "country":
            continue
        # A retired locality is gone, but a retired region still names the places filed under it.
        if not record.current and codes[0] != "A":
            continue
        if record.gn_id and record.gn_id in gn_ids:
            continue
        if geonames and codes[0] == "A":
            continue  # GeoNames has the country's admin units; WOF's may be outdated
        names = [n for n in record.names_in(languages) if usable_name(n) and "," not in n]
        if not names:
            continue
        skels = _skeletons([record.name, *(record.first(x) or "" for x in ("ukr", "rus", "eng", "und"))])
        skels.discard("")
        duplicate = False
        for row in near_rows(record.lat, record.lon, 1) if codes[0] == "P" else ():
            if distance_km(record.lat, record.lon, row.lat, row.lon) <= dedupe_km and not skels.isdisjoint(
                _skeletons([row.name, *row.alternatenames])
            ):
                duplicate = True
                break
        fclass, fcode = codes
        # WOF's own duplicates (a Quattroshapes and a GeoNames copy) share their wof:name.
        own = _skeletons([record.name]) or skels
        if not duplicate:
            for skel in own:
                if any(
                    distance_km(record.lat, record.lon, la, lo) <= dedupe_km for la, lo in kept[(fclass, skel)]
                ):
                    duplicate = True
                    break
        if duplicate:
            continue
        for skel in own:
            kept[(fclass, skel)].append((record.lat, record.lon))
        if record.placetype == "region":
            admin1, admin2 = record.wof_id, ""
        elif record.placetype in ("county", "macrocounty"):
            admin1 = admin1_of(record)
            admin2 = record.wof_id
        else:
            admin1 = admin1_of(record)
            admin2 = admin2_of(record, admin1)
        name = _latin_name(record)
        out.append(
            GeoNamesRow(
                geonameid=f"wof:{record.wof_id}",
                name=name,
                asciiname=_ascii(name),
                alternatenames=tuple(n for n in names if n != name),
                lat=record.lat,
                lon=record.lon,
                feature_class=fclass,
                feature_code=fcode,
                country=country,
                admin1=admin1,
                admin2=admin2,
                admin3="",
                population=0,
                rest=("", "", "", "", "", ""),
            )
        )
    return out


def records_by_gn(records: Iterable[WofRecord]) -> Mapping[str, list[WofRecord]]:
    """Records grouped by GeoNames id (records without one are left out)."""
    out: dict[str, list[WofRecord]] = defaultdict(list)
    for record in records:
        if record.gn_id:
            out[record.gn_id].append(record)
    return out
