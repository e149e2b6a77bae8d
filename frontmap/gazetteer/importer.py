"""Import gazetteers of other countries into the user gazetteer folder.

GeoNames dumps (``XX.zip``, ``XX.txt``, ``cities500.zip``/``.txt``) and Who's On First TSV
extracts (``wof-admin-xx-places.tsv.gz``) are normalised to the shipped layout: GeoNames-format
``*.txt.gz`` files plus a compiled ``index.fmi``, which :meth:`Gazetteer.load` merges with the
shipped gazetteer. When a WOF extract is imported together with (or after) the GeoNames dump of
the same country, its names are merged into the GeoNames rows, as for the shipped data.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from frontmap.errors import GazetteerError
from frontmap.gazetteer.geonames import GeoNamesRow, read_rows, write_rows
from frontmap.gazetteer.index import INDEX_NAME, compile_rows, write_index
from frontmap.gazetteer.store import clear_cache, source_info, user_gazetteer_dir
from frontmap.gazetteer.wof import WofRecord, country_of_path, iter_wof, merge_names, wof_only_rows

__all__ = ["ImportSummary", "import_sources", "rows_from_sources", "source_kind"]

logger = logging.getLogger("frontmap")

_WOF_NAME = re.compile(r"\.tsv(\.gz)?$", re.IGNORECASE)
_GEONAMES_NAME = re.compile(r"\.(zip|txt|txt\.gz)$", re.IGNORECASE)
_SAFE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What :func:`import_sources` wrote.

    Attributes
    ----------
    dest
        The gazetteer folder written.
    files
        The GeoNames-format files written or rewritten there.
    places
        Places read from the sources, per country code.
    wof_names_merged
        WOF records whose names went into GeoNames rows.
    total_places
        Places in the folder after the import (all files).
    """

    dest: Path
    files: tuple[Path, ...]
    places: dict[str, int] = field(default_factory=dict)
    wof_names_merged: int = 0
    total_places: int = 0


def source_kind(path: Path) -> str:
    """``"wof"`` for a WOF TSV extract, ``"geonames"`` for a GeoNames-layout file.

    Raises
    ------
    GazetteerError
        When the file name says neither.
    """
    if _WOF_NAME.search(path.name):
        return "wof"
    if _GEONAMES_NAME.search(path.name):
        return "geonames"
    msg = f"{path}: not a GeoNames dump (.zip, .txt, .txt.gz) or a Who's On First extract (.tsv, .tsv.gz)"
    raise GazetteerError(msg)


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".txt.gz", ".tsv.gz", ".zip", ".txt", ".tsv", ".gz"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return _SAFE_STEM.sub("_", name) or "gazetteer"


def _wof_rows(
    records: Sequence[WofRecord], country: str, geonames: Sequence[GeoNamesRow]
) -> list[GeoNamesRow]:
    return wof_only_rows(records, country=country, geonames=geonames, languages=None)


def rows_from_sources(paths: Iterable[Path]) -> list[GeoNamesRow]:
    """Rows of the GeoNames layout from GeoNames files and WOF extracts (in memory, nothing written).

    WOF names are merged into the GeoNames rows given in the same call.
    """
    gn_rows: list[GeoNamesRow] = []
    wof: list[tuple[Path, list[WofRecord]]] = []
    for path in paths:
        if source_kind(path) == "geonames":
            gn_rows.extend(read_rows(path))
        else:
            wof.append((path, list(iter_wof(path))))
    out = gn_rows
    for path, records in wof:
        out, _stats = merge_names(out, records, languages=None)
        country = country_of_path(path) or _majority_country(records, out)
        same = [r for r in out if r.country == country] if country else []
        out = out + _wof_rows(records, country, same)
    return out


def _majority_country(records: Sequence[WofRecord], rows: Sequence[GeoNamesRow]) -> str:
    by_id = {r.geonameid: r.country for r in rows}
    votes = Counter(by_id[r.gn_id] for r in records if r.gn_id in by_id)
    return votes.most_common(1)[0][0] if votes else ""


def import_sources(paths: Sequence[Path], *, dest: Path | None = None) -> ImportSummary:
    """Import gazetteer sources into a user gazetteer folder and recompile its index.

    Parameters
    ----------
    paths
        GeoNames dumps (``XX.zip``, ``XX.txt``, ``cities500.zip``) and/or WOF extracts
        (``wof-admin-xx-places.tsv.gz``).
    dest
        Target folder; default :func:`~frontmap.gazetteer.store.user_gazetteer_dir`.

    Returns
    -------
    ImportSummary
        The files written and the places per country.

    Raises
    ------
    GazetteerError
        When a source is missing, of an unknown kind or unreadable, or ``dest`` is not writable.
    """
    if not paths:
        msg = "nothing to import: give GeoNames dumps or Who's On First extracts"
        raise GazetteerError(msg)
    target = (dest or user_gazetteer_dir()).expanduser()
    for path in paths:
        if not Path(path).is_file():
            msg = f"{path}: no such file"
            raise GazetteerError(msg)
        source_kind(Path(path))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"{target}: cannot create the gazetteer folder ({exc})"
        raise GazetteerError(msg) from exc

    written: list[Path] = []
    places: Counter[str] = Counter()
    # GeoNames files first, so WOF extracts can merge their names into them.
    ordered = sorted((Path(p) for p in paths), key=lambda p: source_kind(p) != "geonames")
    merged_total = 0
    for path in ordered:
        if source_kind(path) == "geonames":
            rows = read_rows(path)
            out = target / f"{_stem(path)}.txt.gz"
            write_rows(rows, out)
            written.append(out)
            places.update(r.country for r in rows)
            logger.info("imported %d GeoNames rows from %s", len(rows), path)
            continue
        records = list(iter_wof(path))
        country = country_of_path(path)
        # Merge names into any GeoNames file of that country already in the folder.
        geonames_rows: list[GeoNamesRow] = []
        for existing in sorted(target.glob("*.txt.gz")):
            if existing.name.endswith("-wof.txt.gz"):
                continue
            rows = read_rows(existing)
            if not country:
                country = _majority_country(records, rows)
            if not any(r.country == country for r in rows):
                continue
            new_rows, stats = merge_names(rows, records, languages=None)
            if stats.names_added:
                write_rows(new_rows, existing)
                if existing not in written:
                    written.append(existing)
            merged_total += stats.merged
            geonames_rows.extend(r for r in new_rows if r.country == country)
        extra = _wof_rows(records, country, geonames_rows)
        out = target / f"{(country or _stem(path)).upper()}-wof.txt.gz"
        write_rows(extra, out)
        written.append(out)
        places.update(r.country for r in extra)
        logger.info("imported %d Who's On First places from %s", len(extra), path)

    sources = sorted(p for p in target.glob("*.txt.gz") if p.is_file())
    all_rows: list[GeoNamesRow] = []
    for source in sources:
        all_rows.extend(read_rows(source))
    data = compile_rows(all_rows, meta={"name": "user gazetteer"})
    try:
        write_index(data, target / INDEX_NAME, sources=[source_info(p) for p in sources])
    except OSError as exc:
        msg = f"{target}: cannot write the gazetteer index ({exc})"
        raise GazetteerError(msg) from exc
    clear_cache()
    by_country: dict[str, int] = defaultdict(int)
    for code, count in places.items():
        by_country[code or "??"] += count
    return ImportSummary(
        dest=target,
        files=tuple(written),
        places=dict(sorted(by_country.items())),
        wof_names_merged=merged_total,
        total_places=len(data.ids),
    )
