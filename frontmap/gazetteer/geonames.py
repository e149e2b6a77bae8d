"""Reading and writing the 19-column GeoNames layout (country dumps, ``cities500``, our own files).

The shipped gazetteer and every imported one are kept in this layout, so that the files stay
readable by any GeoNames tool. Rows that do not come from GeoNames (Who's On First places that
GeoNames lacks) carry their own id, e.g. ``wof:101752941``, in the first column.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from frontmap.errors import GazetteerError

__all__ = ["GeoNamesRow", "iter_rows", "place_id", "read_rows", "write_rows"]

N_COLUMNS = 19


@dataclass(frozen=True, slots=True)
class GeoNamesRow:
    """One row of the GeoNames layout (only the columns frontmap uses are typed)."""

    geonameid: str  # digits for GeoNames rows; "wof:<id>" for rows from Who's On First
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    admin2: str
    admin3: str
    population: int
    rest: tuple[str, ...] = ()  # cc2, admin4, elevation, dem, timezone, modification date

    @property
    def id(self) -> str:
        """Place id: ``geonames:<id>`` or the row's own prefixed id."""
        return place_id(self.geonameid)

    def to_line(self) -> str:
        """The row as one tab-separated line (no newline)."""
        cc2, admin4, elevation, dem, timezone, modified = (tuple(self.rest) + ("",) * 6)[:6]
        cols = [
            self.geonameid,
            self.name,
            self.asciiname,
            ",".join(self.alternatenames),
            _fmt_coord(self.lat),
            _fmt_coord(self.lon),
            self.feature_class,
            self.feature_code,
            self.country,
            cc2,
            self.admin1,
            self.admin2,
            self.admin3,
            admin4,
            str(self.population),
            elevation,
            dem,
            timezone,
            modified,
        ]
        return "\t".join(c.replace("\t", " ").replace("\n", " ") for c in cols)


def _fmt_coord(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def place_id(geonameid: str) -> str:
    """Frontmap place id of a first-column value (``"713174"`` -> ``"geonames:713174"``)."""
    return f"geonames:{geonameid}" if geonameid.isdigit() else geonameid


def parse_line(line: str, *, source: str = "", lineno: int = 0) -> GeoNamesRow:
    """Parse one tab-separated line of the GeoNames layout.

    Raises
    ------
    GazetteerError
        When the line has the wrong number of columns or unreadable coordinates.
    """
    cols = line.rstrip("\r\n").split("\t")
    if len(cols) != N_COLUMNS:
        msg = f"{source}:{lineno}: expected {N_COLUMNS} tab-separated GeoNames columns, found {len(cols)}"
        raise GazetteerError(msg)
    try:
        lat = float(cols[4])
        lon = float(cols[5])
        population = int(cols[14] or 0)
    except ValueError as exc:
        msg = f"{source}:{lineno}: unreadable coordinates or population ({exc})"
        raise GazetteerError(msg) from exc
    alternates = tuple(a for a in cols[3].split(",") if a) if cols[3] else ()
    return GeoNamesRow(
        geonameid=cols[0],
        name=cols[1],
        asciiname=cols[2],
        alternatenames=alternates,
        lat=lat,
        lon=lon,
        feature_class=cols[6],
        feature_code=cols[7],
        country=cols[8],
        admin1=cols[10],
        admin2=cols[11],
        admin3=cols[12],
        population=population,
        rest=(cols[9], cols[13], cols[15], cols[16], cols[17], cols[18]),
    )


def _text_streams(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    """Yield (label, text stream) for a .txt, .txt.gz or .zip GeoNames file."""
    name = path.name.lower()
    if name.endswith(".zip"):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            msg = f"{path}: not a readable zip archive ({exc})"
            raise GazetteerError(msg) from exc
        with archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(".txt") and not Path(m).name.lower().startswith("readme")
            ]
            if not members:
                msg = f"{path}: the archive holds no GeoNames .txt file"
                raise GazetteerError(msg)
            for member in members:
                with archive.open(member) as raw:
                    yield f"{path}!{member}", io.TextIOWrapper(raw, encoding="utf-8")
    elif name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            yield str(path), stream
    else:
        with path.open(encoding="utf-8") as stream:
            yield str(path), stream


def iter_rows(path: Path) -> Iterator[GeoNamesRow]:
    """Rows of a GeoNames-layout file (``XX.zip``, ``XX.txt``, ``cities500.zip``, ``*.txt.gz``).

    Blank lines and ``#`` comments are skipped.

    Raises
    ------
    GazetteerError
        When the file is missing or a line is not in the GeoNames layout.
    """
    if not path.is_file():
        msg = f"{path}: no such GeoNames file"
        raise GazetteerError(msg)
    try:
        for label, stream in _text_streams(path):
            for lineno, line in enumerate(stream, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                yield parse_line(line, source=label, lineno=lineno)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        msg = f"{path}: cannot read ({exc})"
        raise GazetteerError(msg) from exc


def read_rows(path: Path) -> list[GeoNamesRow]:
    """All rows of a GeoNames-layout file (see :func:`iter_rows`)."""
    return list(iter_rows(path))


def write_rows(rows: Iterable[GeoNamesRow], path: Path) -> int:
    """Write rows to ``path`` (gzip when it ends in ``.gz``, reproducibly); return the count."""
    lines = [row.to_line() for row in rows]
    data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        # mtime=0 and no file name: the same rows always give the same bytes (clean git diffs).
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(data)
    else:
        path.write_bytes(data)
    return len(lines)
