"""Folder -> articles.

Every entry under the input folder is accounted for: read (with the articles it gave), skipped
(with the reason) or failed (with the reason). One bad file never stops the run, and no file's
content can make this module raise: analysts point frontmap at folders they did not curate.

Formats: ``.txt`` and ``.md`` (optional ``key: value`` header lines or YAML-like front matter),
``.html``/``.htm`` (main text by trafilatura, metadata from meta tags, RDFa and JSON-LD; the
standard library's parser when trafilatura finds nothing), ``.json`` (one object, a list of
them, or ``{"articles": [...]}``) and ``.jsonl`` (one object a line), and ``.zip`` archives of
any of these.

Encodings are detected, never assumed: UTF-8 with or without BOM, UTF-16 with or without BOM,
the Cyrillic code pages (Windows-1251, KOI8-U/KOI8-R, CP866, Mac Cyrillic) told apart by letter
frequencies, Windows-1252/Latin-1, and whatever else charset-normalizer recognises. The choice is
recorded per file.

Nothing here touches the network: trafilatura and htmldate are only ever given markup, never a
URL, and the file name or file time is never a source of an article's date.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import html
import io
import itertools
import json
import logging
import math
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import IO, Literal
from urllib.parse import urlsplit

from frontmap.config import Config
from frontmap.errors import ArticleError, ConfigError, InputError
from frontmap.extract.dates import dateline_parts, find_dateline, parse_date_string
from frontmap.records import Article, FileOutcome

logger = logging.getLogger("frontmap")

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".zip"})
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | ARCHIVE_SUFFIXES

# Field names that common news APIs and scrapers use, in order of preference. A name with a dot
# is a path into nested objects ("meta.published").
JSON_FIELDS: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "maintext", "articleBody",
             "description"),
    "title": ("title", "headline", "name"),
    "date": ("date", "published", "publishedAt", "published_at", "pubDate", "date_publish",
             "publication_date", "datePublished", "created_at", "time"),
    "source": ("source", "publisher", "site_name", "source_name", "outlet", "domain"),
    "url": ("url", "link", "href", "canonical_url"),
}
JsonFields = Mapping[str, Sequence[str]] | Iterable[tuple[str, str]]

# A zip archive may hold many members, each under the size limit, that together decompress to
# far more than any article folder: the whole archive is held to this many times the limit.
ZIP_TOTAL_FACTOR = 4
ZIP_MAX_MEMBERS = 10_000

_HEADER_LINE = re.compile(r"^(title|date|source|url|publisher|published|link|author)\s*:\s*(.*)$", re.I)
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles of one file, and what became of the file."""

    outcome: FileOutcome
    articles: tuple[Article, ...]


class NotTextError(ArticleError):
    """The bytes are not text in any encoding frontmap knows (a binary file)."""


def _skipped(rel: str, reason: str, encoding: str | None = None) -> IngestResult:
    return IngestResult(FileOutcome(rel, "skipped", reason, encoding=encoding), ())


def _failed(rel: str, reason: str, encoding: str | None = None) -> IngestResult:
    return IngestResult(FileOutcome(rel, "failed", reason, encoding=encoding), ())


# --------------------------------------------------------------------------------------------
# Walking the folder


def display_name(name: str) -> str:
    """A file name that can be written to UTF-8 outputs.

    POSIX names are bytes; Python hands undecodable ones over with lone surrogates, which no
    UTF-8 writer accepts. They are shown as ``\\xNN`` escapes: readable, and still distinct.
    """
    if not any("\ud800" <= ch <= "\udfff" for ch in name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def iter_files(root: Path, *, config: Config) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield ``(relative path, path or None, skip reason or None)`` for every entry under root.

    Symlink loops, broken links, hidden entries and special files (FIFOs, sockets, devices) are
    reported, not followed or opened. The order is sorted by name so that runs are reproducible.
    """
    if root.is_file():
        yield display_name(root.name), root, None
        return
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: Path, rel: PurePosixPath) -> Iterator[tuple[str, Path | None, str | None]]:
        shown = display_name(str(rel)) if str(rel) != "." else "."
        try:
            st = folder.stat()
        except OSError as exc:
            yield shown, None, f"cannot read folder: {exc.strerror or exc}"
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            yield shown, None, "symlink loop: folder already visited"
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield shown, None, f"cannot list folder: {exc.strerror or exc}"
            return
        earlier_output = _is_output_folder(folder)
        for entry in entries:
            child_rel = rel / entry.name
            child = display_name(str(child_rel))
            path = Path(entry.path)
            if earlier_output and entry.name in OUTPUT_NAMES:
                yield child, None, "output of an earlier frontmap run"
                continue
            if entry.name.startswith(".") and not config.include_hidden:
                yield child, None, "hidden (use --include-hidden to read it)"
                continue
            try:
                st = path.stat()  # follows symlinks
            except OSError as exc:
                if entry.is_symlink():
                    yield child, None, "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
                else:
                    yield child, None, f"cannot stat: {exc.strerror or exc}"
                continue
            if stat.S_ISDIR(st.st_mode):
                yield from walk(path, child_rel)
            elif stat.S_ISREG(st.st_mode):
                yield child, path, None
            else:
                # Opening a FIFO blocks until someone writes to it; a device can be endless.
                yield child, None, f"not a regular file ({_special_kind(st.st_mode)})"

    yield from walk(root, PurePosixPath())


# What a run writes (pipeline.OUTPUT_FILES and the extra formats). An output folder inside the
# input folder would otherwise feed the last run's map.html and report.json to the next run.
OUTPUT_NAMES = frozenset({"map.html", "claims.geojson", "areas.geojson", "places.geojson", "report.json",
                          "frontmap.gpkg", "claims.parquet", "areas.parquet", "places.parquet", "claims.csv"})


def _is_output_folder(folder: Path) -> bool:
    """True when ``folder`` holds a frontmap report.json (its first bytes name the version)."""
    report = folder / "report.json"
    try:
        if not stat.S_ISREG(report.stat().st_mode):
            return False  # a FIFO of that name would block the open below
        with report.open("rb") as handle:
            head = handle.read(200)
    except OSError:
        return False
    return b'"frontmap_version"' in head


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def read_folder(
    root: Path, *, config: Config, json_fields: JsonFields | None = None
) -> Iterator[IngestResult]:
    """Read every entry under ``root``; yield one result per entry, in path order.

    Parameters
    ----------
    root
        A folder (read recursively) or one file.
    config
        Run options (size limit, hidden files, JSON field names).
    json_fields
        Extra JSON field names per kind, tried before the common ones; overrides
        ``config.json_fields`` when given. See :func:`json_field_names`.

    Yields
    ------
    IngestResult
        One per entry. Article paths are unique across the run (a repeated one gets ``~2``, ...),
        because claim ids and the report key on them.
    """
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    fields = json_field_names(json_fields if json_fields is not None else _config_json_fields(config))
    used: Counter[str] = Counter()
    for rel, path, reason in iter_files(root, config=config):
        if path is None:
            yield _skipped(rel, reason or "not readable")
            continue
        yield unique_paths(read_file(path, rel, config=config, json_fields=fields), used)


def unique_paths(result: IngestResult, used: Counter[str]) -> IngestResult:
    """``result`` with article paths not yet in ``used`` (a repeat gets ``~2``, ``~3``, ...).

    Claim ids hash the article path and the report keys on it, so two articles of one path
    would share ids. Call it on every result of a run, in order, with one ``Counter``.
    """
    if not result.articles:
        return result
    return IngestResult(result.outcome, tuple(_unique_path(a, used) for a in result.articles))


def _config_json_fields(config: Config) -> JsonFields | None:
    value: JsonFields | None = config.json_fields or None
    return value


def _unique_path(article: Article, used: Counter[str]) -> Article:
    used[article.path] += 1
    if used[article.path] == 1:
        return article
    path = f"{article.path}~{used[article.path]}"
    while used[path]:
        path += "~"
    used[path] += 1
    return replace(article, path=path)


def read_file(path: Path, rel: str, *, config: Config, json_fields: JsonFields | None = None) -> IngestResult:
    """Read one file into articles; never raises for a bad file.

    ``json_fields`` as in :func:`read_folder`; when None, ``config.json_fields`` or the defaults.
    """
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        return _skipped(rel, f"not an article format ({suffix or 'no suffix'})")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return _skipped(rel, f"not a regular file ({_special_kind(st.st_mode)})")
        if st.st_size > config.max_file_bytes:
            return _skipped(rel, f"larger than the size limit ({st.st_size} > {config.max_file_bytes} bytes)")
        with path.open("rb") as handle:
            # Bounded: a file that grows while it is read, or lies about its size, is still capped.
            data = handle.read(config.max_file_bytes + 1)
    except PermissionError as exc:  # another user's file: not for this run to read, not a failure
        return _skipped(rel, f"unreadable: {exc.strerror or 'permission denied'}")
    except OSError as exc:
        return _failed(rel, f"cannot read: {exc.strerror or exc}")
    if len(data) > config.max_file_bytes:
        return _skipped(rel, f"larger than the size limit (> {config.max_file_bytes} bytes)")
    return read_bytes(data, rel, config=config, json_fields=json_fields)


def read_bytes(data: bytes, rel: str, *, config: Config, json_fields: JsonFields | None = None) -> IngestResult:
    """Parse the bytes of one file named ``rel``; never raises for bad content."""
    if json_fields is None:
        json_fields = _config_json_fields(config)
    try:
        return _read_bytes(data, rel, config=config, fields=json_field_names(json_fields))
    except ConfigError:
        raise
    except Exception as exc:  # a parser bug on strange input must cost one file, not the run
        logger.exception("%s: unexpected error while reading", rel)
        return _failed(rel, f"internal error while reading: {type(exc).__name__}: {exc}")


def _read_bytes(data: bytes, rel: str, *, config: Config, fields: Mapping[str, tuple[str, ...]]) -> IngestResult:
    suffix = PurePosixPath(rel).suffix.lower()
    if not data.strip():
        return _skipped(rel, "empty file")
    if suffix in ARCHIVE_SUFFIXES:
        return _read_zip(data, rel, config=config, fields=fields)
    kind = _binary_kind(data)
    if kind:
        return _skipped(rel, f"binary file ({kind})")
    try:
        declared = _declared_charset(data) if suffix in HTML_SUFFIXES else None
        text, encoding, note = _decode(data, declared=declared)
    except NotTextError as exc:
        return _skipped(rel, f"binary file ({exc})")
    except ArticleError as exc:
        return _failed(rel, str(exc))
    try:
        if suffix in HTML_SUFFIXES:
            articles = [parse_html(text, rel)]
        elif suffix in JSON_SUFFIXES:
            articles = parse_json(text, rel, json_fields=fields)
        elif suffix in JSONL_SUFFIXES:
            articles, bad = _jsonl(text, rel, fields)
            if bad:  # the file is read, but not all of it: the report says what was left out
                note = "; ".join(filter(None, [note, f"{bad} line(s) not valid JSON, skipped"]))
        else:
            articles = [parse_text(text, rel, markdown=suffix != ".txt")]
    except ArticleError as exc:
        return _failed(rel, str(exc), encoding)
    articles = [_finish(a, encoding) for a in articles]
    articles = [a for a in articles if a.text.strip()]
    if not articles:
        return _skipped(rel, "no article text", encoding)
    return IngestResult(FileOutcome(rel, "read", note, encoding=encoding, articles=len(articles)), tuple(articles))


# Control characters say nothing in an article and some break consumers (NUL in C strings,
# C1 codes in terminals); lone surrogates cannot be written as UTF-8 at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Drop control characters (tab and newlines kept, form feeds become newlines) and replace
    lone surrogates, so that any string can be written to UTF-8 outputs."""
    value = value.replace("\x0c", "\n")
    return _CONTROL.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", value)


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = clean_text(value).strip()
    return value or None


def _finish(article: Article, encoding: str) -> Article:
    return replace(
        article,
        path=clean_text(article.path),
        text=clean_text(article.text),
        title=_clean_optional(article.title),
        source=_clean_optional(article.source),
        url=_clean_optional(article.url),
        encoding=article.encoding or encoding,
    )


# --------------------------------------------------------------------------------------------
# Zip archives


def _read_zip(data: bytes, rel: str, *, config: Config, fields: Mapping[str, tuple[str, ...]]) -> IngestResult:
    """Read an archive's members in name order; every member is accounted for in the reason.

    Sizes in the zip directory are whatever the archive's author wrote, so besides the declared
    size each member is read through a bounded reader: a member that decompresses past the size
    limit is cut off and skipped, and the archive as a whole stops at ``ZIP_TOTAL_FACTOR`` times
    the limit. Only stored and deflated members are read (deflate output is bounded per read).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        return _failed(rel, f"not a readable zip archive: {exc}")
    articles: list[Article] = []
    problems: list[str] = []
    budget = ZIP_TOTAL_FACTOR * config.max_file_bytes
    seen: Counter[str] = Counter()
    with archive:
        members = sorted((i for i in infos if not i.is_dir()), key=lambda i: i.filename)
        if len(members) > ZIP_MAX_MEMBERS:
            problems.append(f"{len(members) - ZIP_MAX_MEMBERS} members past the first {ZIP_MAX_MEMBERS}: skipped")
            members = members[:ZIP_MAX_MEMBERS]
        for info in members:
            member = _member_path(info.filename)
            seen[str(member)] += 1
            name = str(member) if seen[str(member)] == 1 else f"{member}~{seen[str(member)]}"
            if any(part.startswith(".") for part in member.parts) and not config.include_hidden:
                problems.append(f"{name}: skipped (hidden)")
                continue
            if member.suffix.lower() in ARCHIVE_SUFFIXES or member.suffix.lower() not in READABLE_SUFFIXES:
                problems.append(f"{name}: skipped (not an article format)")
                continue
            if budget <= 0:
                problems.append(f"{name}: skipped (archive decompresses past {ZIP_TOTAL_FACTOR}x the size limit)")
                continue
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                # bzip2 and LZMA decompress a whole read at once, with no output bound: a few KB
                # can hold gigabytes. News exports use deflate.
                problems.append(f"{name}: skipped (compression method {info.compress_type} not supported)")
                continue
            if info.file_size > config.max_file_bytes:  # the declared size, checked before any work
                problems.append(f"{name}: skipped (larger than the size limit)")
                continue
            limit = min(config.max_file_bytes, budget)
            try:
                with archive.open(info) as handle:
                    content = _read_bounded(handle, limit)
            except RuntimeError as exc:  # zipfile's word for an encrypted member
                problems.append(f"{name}: failed ({'encrypted' if 'encrypted' in str(exc) else exc})")
                continue
            except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError, EOFError, zlib.error) as exc:
                problems.append(f"{name}: failed ({exc})")
                continue
            budget -= len(content)
            if len(content) > limit:
                if limit < config.max_file_bytes:
                    problems.append(f"{name}: skipped (archive decompresses past {ZIP_TOTAL_FACTOR}x the size limit)")
                else:
                    problems.append(f"{name}: skipped (decompresses past the size limit)")
                continue
            inner = read_bytes(content, f"{rel}/{name}", config=config, json_fields=fields)
            articles.extend(inner.articles)
            if inner.outcome.status != "read":
                problems.append(f"{name}: {inner.outcome.status} ({inner.outcome.reason})")
    reason = "; ".join(problems) if problems else None
    # A member that failed fails the archive (the run's exit status says so), though the
    # articles of its other members are still read.
    status: Literal["read", "skipped", "failed"] = "read" if articles else "skipped"
    if any(": failed (" in p for p in problems):
        status = "failed"
    return IngestResult(
        FileOutcome(rel, status, reason or (None if articles else "archive holds no articles"),
                    articles=len(articles)),
        tuple(articles),
    )


def _member_path(filename: str) -> PurePosixPath:
    """A member's name as a relative path: nothing is extracted, but ``../`` and a leading
    ``/`` would make the label look like a path outside the archive."""
    parts = [p for p in PurePosixPath(clean_text(filename).replace("\\", "/")).parts if p not in {"/", "..", "."}]
    return PurePosixPath(*parts) if parts else PurePosixPath("unnamed")


def _read_bounded(handle: IO[bytes], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes in chunks: one byte past the limit tells it was exceeded
    without ever holding more than that in memory."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = handle.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# Bytes -> text


def _binary_kind(data: bytes) -> str | None:
    head = data[:16]
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, detecting the encoding; return ``(text, encoding name)``.

    Raises
    ------
    NotTextError
        When the bytes are not text in any encoding frontmap knows.
    """
    text, encoding, _note = _decode(data)
    return text, encoding


def _decode(data: bytes, *, declared: str | None = None) -> tuple[str, str, str | None]:
    """``(text, encoding, note)``; see :func:`decode`. ``declared`` is an HTML page's own charset."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"), "utf-8-sig"), "utf-8-sig", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _checked(data[2:].decode(codec, errors="replace"), "utf-16"), "utf-16", None
    sample = data[:8192]
    order = _utf16_codec(sample)
    if order is not None:
        return _checked(data.decode(order, errors="replace"), order), order, None
    if b"\x00" in sample:
        nuls = data.count(b"\x00")
        # A text file with a few stray NULs (a broken export) is still text; a binary has many.
        if nuls <= max(1, len(data) // 200):
            try:
                text = data.replace(b"\x00", b"").decode("utf-8")
            except UnicodeDecodeError:
                raise NotTextError("contains NUL bytes") from None
            return _checked(text, "utf-8"), "utf-8", f"{nuls} NUL byte(s) dropped"
        raise NotTextError("contains NUL bytes")
    try:
        return _checked(data.decode("utf-8"), "utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        text, bad = damaged
        return _checked(text, "utf-8"), "utf-8", f"{bad} invalid UTF-8 sequence(s) replaced"
    guess = _single_byte_guess(data)
    note = None
    if declared is not None:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            note = f"the page declares {declared}, which does not fit its bytes"
        else:
            if guess is None or guess == declared or not _reads_better(data, guess, declared):
                return _checked(text, declared), declared, "charset declared by the page"
            # Saved pages keep the server's header in a meta tag, right or wrong: a KOI8 page
            # labelled windows-1251 decodes without an error, into nonsense.
            note = f"the page declares {declared}, but its text reads as {guess}"
    if guess is not None:
        return _checked(data.decode(guess, errors="replace"), guess), guess, note
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise NotTextError("not text in any known encoding")
    encoding = str(best.encoding)
    return _checked(str(best), encoding), encoding, None


def _damaged_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text with a few broken sequences (a cut character, a stray byte), or None.

    Reading such a file in a single-byte code page would garble every correct character to
    save a few broken ones. Text in a single-byte code page rarely forms even one valid
    multi-byte UTF-8 sequence, so some valid ones and few broken ones mean UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for ch in text if ch >= "\x80" and ch != "\ufffd")
    if valid >= 2 and bad <= max(2, valid // 20):
        return text, bad
    return None


def _reads_better(data: bytes, guess: str, declared: str) -> bool:
    """Whether ``guess``, a Cyrillic code page, reads clearly better than the declared one."""
    cyrillic = {*_CYRILLIC_CODECS, "koi8-r"}
    if guess not in cyrillic:
        return False
    sample = data[:65536]
    theirs = _cyrillic_score(sample.decode(declared, errors="replace"))
    return _cyrillic_score(sample.decode(guess, errors="replace")) > theirs + 1.0


# C0 controls but tab, line feed, form feed and carriage return; DEL and the C1 controls. (A
# regular expression counts them in C: a loop over the characters was most of reading a file.)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _checked(text: str, encoding: str) -> str:
    """Refuse text that is mostly control characters: a binary decoded by some code page."""
    sample = text[:20000]
    if sample:
        controls = len(_CONTROLS.findall(sample))
        if controls > 0.05 * len(sample):
            raise NotTextError(f"not text: {controls} control characters in {len(sample)} as {encoding}")
    return text


#: High bytes of UTF-16 code units in the scripts _utf16_codec accepts (0x00-0x06) and of
#: typographic punctuation (0x20).
_UTF16_HIGHS = bytes([*range(0x07), 0x20])


def _utf16_codec(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when a sample without BOM reads as text in that byte order.

    Text keeps to few Unicode blocks, so the high bytes of its code units take few values (0x00
    for ASCII, 0x04 for Cyrillic, 0x20 for typographic punctuation); read in the wrong byte
    order, or in binary data, they are spread out. Counting NULs alone fails on Cyrillic, which
    has NULs only where there are spaces and digits.
    """
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    for codec, offset in (("utf-16-le", 1), ("utf-16-be", 0)):
        highs = sample[offset:n:2]
        # The two tests below need 90% of the high bytes among the allowed values: when fewer are,
        # they fail whatever the counts (most files, at the cost of one pass in C).
        if len(highs) - len(highs.translate(None, _UTF16_HIGHS)) < 0.9 * len(highs):
            continue
        top3 = Counter(highs).most_common(3)
        # European scripts only (Latin, Greek, Cyrillic, Hebrew, Arabic; 0x20 is punctuation):
        # without this, ASCII "aaaa" would read as the CJK "慡慡".
        if any(high > 0x06 and high != 0x20 for high, _ in top3):
            continue
        if sum(count for _, count in top3) < 0.9 * len(highs):
            continue
        text = sample[:n].decode(codec, errors="replace")
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r")
        if printable >= 0.95 * len(text) and "\x00" not in text:
            return codec
    return None


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    name = _CODEC_NAMES.get(name, name)
    if not _codec_exists(name) or _REFUSED_DECLARED.match(name.replace("_", "-")):
        return None
    return name


def _codec_exists(name: str) -> bool:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# UTF-7 hides markup from filters ("+ADw-script+AD4-"), and browsers refuse it; a page that says
# UTF-16 or UTF-32 but has no BOM and came this far is not in them.
_REFUSED_DECLARED = re.compile(r"(utf-?7|utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)", re.I)
_CODEC_NAMES = {"windows-1251": "cp1251", "windows-1252": "cp1252", "iso-8859-1": "latin-1", "utf8": "utf-8"}

# Letter frequencies (per cent) of Ukrainian and Russian news prose together, lower case. Used to
# tell the Cyrillic code pages apart: charset-normalizer confuses them on short texts (it reads
# short KOI8 as Shift-JIS and short Windows-1251 as Mac Cyrillic).
_CYRILLIC_FREQ = {
    "о": 10.0, "а": 7.8, "е": 6.8, "н": 6.6, "и": 6.7, "т": 5.8, "і": 3.0, "в": 4.9, "р": 4.7, "с": 4.9,
    "л": 4.0, "к": 3.6, "д": 3.1, "м": 3.1, "у": 3.0, "п": 2.9, "я": 2.1, "з": 2.0, "ь": 1.7, "г": 1.6,
    "б": 1.6, "ы": 1.0, "ч": 1.3, "й": 1.2, "х": 1.1, "ж": 0.9, "ц": 0.7, "ш": 0.8, "ю": 0.7, "ї": 0.5,
    "є": 0.4, "щ": 0.4, "ф": 0.2, "э": 0.2, "ъ": 0.03, "ё": 0.03, "ґ": 0.02,
}
_CYRILLIC_LOGP = {ch: math.log(f / 100) for ch, f in _CYRILLIC_FREQ.items()}
_RARE_LOGP = math.log(0.0001)
_SYMBOL_LOGP = math.log(0.00001)
_PUNCT_LOGP = math.log(0.005)
_TYPOGRAPHIC = frozenset("«»—–“”„’‘ʼ…№\u00a0·•")
# Rarer code pages must read clearly better to be chosen: a short Windows-1251 text can read
# almost as well in Mac Cyrillic, which shares its lower-case letters.
_CODEC_PRIOR = {"cp1251": 0.0, "koi8-u": 0.0, "cp866": -0.3, "mac-cyrillic": -0.5}
_CYRILLIC_CODECS = tuple(_CODEC_PRIOR)
_WORD = re.compile(r"[^\W\d_]+")
_UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")


def _single_byte_guess(data: bytes) -> str | None:
    """The code page of non-UTF-8 text that is Cyrillic or Western European, else None.

    In Cyrillic text nearly every letter is a byte >= 0x80, so such bytes come in runs; in
    Western European text they are single accented letters among ASCII ones.
    """
    high = [i for i, b in enumerate(data[:65536]) if b >= 0x80]
    if not high:
        return None
    adjacent = sum(1 for a, b in itertools.pairwise(high) if b == a + 1)
    if len(high) >= 3 and adjacent >= 0.5 * len(high):
        return _cyrillic_codec(data[:65536])
    return _western_codec(data[:65536])


def _cyrillic_codec(data: bytes) -> str | None:
    best: tuple[float, str] | None = None
    for codec in _CYRILLIC_CODECS:
        score = _cyrillic_score(data.decode(codec, errors="replace")) + _CODEC_PRIOR[codec]
        if best is None or score > best[0]:
            best = (score, codec)
    # Ukrainian or Russian prose scores about -3.1 in its own code page; CJK encodings, Greek
    # and the like read through a Cyrillic code page score -6 and below.
    if best is None or best[0] < -4.5:
        return None  # no Cyrillic text: let charset-normalizer try
    codec = best[1]
    if codec == "koi8-u":
        # KOI8-R and KOI8-U agree on every Russian letter; name the one the text needs.
        text = data.decode("koi8-u", errors="replace")
        return "koi8-u" if any(ch in _UKRAINIAN_ONLY for ch in text) else "koi8-r"
    return codec


def _cyrillic_score(text: str) -> float:
    """How Ukrainian or Russian a decoding reads: mean log-frequency per non-ASCII character,
    less a penalty per word with a capital inside.

    Every single-byte code page maps each byte >= 0x80 to one non-ASCII character, so the means
    of different decodings are comparable. A wrong Cyrillic code page gives symbols where
    letters belong (Windows-1251 capitals read as Mac Cyrillic are ``¬ ≥ €``), rare letters
    (Windows-1251 read as CP866), or swapped cases ("уКРАЇНСЬКІ": KOI8 read as Windows-1251).
    """
    total = 0.0
    count = 0
    for ch in text:
        if ch < "\x80":
            continue
        count += 1
        logp = _CYRILLIC_LOGP.get(ch.lower())
        if logp is None:
            logp = _PUNCT_LOGP if ch in _TYPOGRAPHIC else _RARE_LOGP if ch.isalpha() else _SYMBOL_LOGP
        total += logp
    if not count:
        return -99.0
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    odd = sum(1 for w in words if any(a.islower() and b.isupper() for a, b in itertools.pairwise(w)))
    return total / count - 6.0 * odd / max(len(words), 1)


_WESTERN_SYMBOLS = frozenset("’‘“”–—…€£°«»©®™•\u00a0·§¿¡ºª")


def _western_codec(data: bytes) -> str | None:
    """Windows-1252 (or Latin-1 when no byte needs 1252's extras), if the accented characters
    read as letters and typographic signs; None for anything else."""
    text = data.decode("cp1252", errors="replace")
    highs = [ch for ch in text if ord(ch) >= 0x80]
    good = sum(1 for ch in highs if ch.isalpha() or ch in _WESTERN_SYMBOLS
               or unicodedata.category(ch).startswith("P"))
    if good < 0.9 * len(highs):
        return None
    return "cp1252" if any(0x80 <= b <= 0x9F for b in data) else "latin-1"


# --------------------------------------------------------------------------------------------
# Text and Markdown


def parse_text(text: str, rel: str, *, markdown: bool = False) -> Article:
    """Parse a plain-text or Markdown article with optional header lines or front matter."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    body = text
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in {"---", "..."}), None)
        if end is not None:
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep:
                    meta[key.strip().lower()] = _unquote(value.strip())
            body = "\n".join(lines[end + 1 :])
    else:
        i = 0
        while i < len(lines) and i < 20:
            match = _HEADER_LINE.match(lines[i].strip())
            if not match:
                break
            meta[match.group(1).lower()] = match.group(2).strip()
            i += 1
        if meta:
            body = "\n".join(lines[i:])
    title = meta.get("title")
    if markdown:
        heading = re.match(r"\s*#\s+(.+)\n", body)
        if heading:
            title = title or heading.group(1).strip()
            body = body[heading.end() :]
        body = _strip_markdown(body)
    body = body.strip("\n")
    published = _first_date(meta.get("date"), meta.get("published"))
    if published is None:
        published = _dateline_date(body)
    return Article(
        path=rel,
        text=body,
        title=title or None,
        source=meta.get("source") or meta.get("publisher") or None,
        url=meta.get("url") or meta.get("link") or None,
        published=published,
        format="md" if markdown else "txt",
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _strip_markdown(body: str) -> str:
    # Keep offsets simple: only drop markup characters that would otherwise read as words.
    body = re.sub(r"!\[[^\]\n]*\]\([^)\n]*\)", "", body)
    body = re.sub(r"\[([^\]\n]+)\]\([^)\n]*\)", r"\1", body)
    body = re.sub(r"^#{1,6}\s+", "", body, flags=re.M)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", body)


def _first_date(*values: str | None) -> dt.date | None:
    for value in values:
        if value:
            parsed = parse_date_string(value[:200])
            if parsed:
                return parsed
    return None


def _dateline_date(body: str) -> dt.date | None:
    """A dateline's date, only when it carries its year: a guessed year would make the output
    depend on the day of the run, so "KYIV, July 7 (Reuters)" alone leaves the article undated."""
    head = body[:400]
    parts = dateline_parts(head)
    if parts is None or parts[0] is None:
        return None
    return find_dateline(head, year=parts[0])


# --------------------------------------------------------------------------------------------
# JSON


def json_field_names(extra: JsonFields | None = None) -> dict[str, tuple[str, ...]]:
    """Field names per kind: ``extra``'s first, then the common ones of :data:`JSON_FIELDS`.

    The configured names go first rather than replacing the defaults because a folder mixes
    exports: naming ``story`` as the text field of one scraper must not stop the ``text`` of
    another being read.

    Parameters
    ----------
    extra
        ``{"text": ["story"], "date": ["meta.published"]}`` or pairs ``[("text", "story")]``;
        kinds are those of :data:`JSON_FIELDS`.

    Raises
    ------
    ConfigError
        For an unknown kind or an empty name.
    """
    merged = {kind: list(names) for kind, names in JSON_FIELDS.items()}
    if extra is None:
        return {kind: tuple(names) for kind, names in merged.items()}
    pairs: list[tuple[str, str]] = []
    if isinstance(extra, Mapping):
        for kind, names in extra.items():
            pairs.extend((kind, name) for name in ([names] if isinstance(names, str) else names))
    else:
        pairs = list(extra)
    added: dict[str, list[str]] = {}
    for kind, name in pairs:
        if kind not in JSON_FIELDS:
            raise ConfigError(f"unknown JSON field kind {kind!r} (known: {', '.join(JSON_FIELDS)})")
        if not name or not name.strip():
            raise ConfigError(f"empty JSON field name for {kind!r}")
        added.setdefault(kind, []).append(name.strip())
    for kind, names in added.items():
        merged[kind] = names + [n for n in merged[kind] if n not in names]
    return {kind: tuple(names) for kind, names in merged.items()}


def parse_json_field_options(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``KIND=NAME`` strings (the CLI's ``--json-field``) as ``(kind, name)`` pairs.

    Raises
    ------
    ConfigError
        With one line naming the bad value.
    """
    pairs = []
    for value in values:
        kind, sep, name = value.partition("=")
        if not sep or not kind.strip() or not name.strip():
            raise ConfigError(f"--json-field {value!r}: expected KIND=NAME, e.g. text=body")
        pairs.append((kind.strip(), name.strip()))
    json_field_names(pairs)  # validates the kinds
    return tuple(pairs)


def parse_json(text: str, rel: str, *, json_fields: JsonFields | None = None) -> list[Article]:
    """Parse a JSON file holding one article object, a list of them, or ``{"articles": [...]}``."""
    fields = json_field_names(json_fields)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ArticleError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ArticleError(f"invalid JSON: {exc}") from None
    if isinstance(data, dict):
        for key in ("articles", "items", "results", "data", "documents", "response.docs", "response.results"):
            found = _lookup(data, key)
            if isinstance(found, list):
                data = found
                break
    objects = data if isinstance(data, list) else [data]
    articles = []
    for n, obj in enumerate(objects):
        if not isinstance(obj, dict):
            continue
        path = rel if len(objects) == 1 else f"{rel}#{n + 1}"
        article = _article_from_object(obj, path, "json", fields)
        if article is not None:
            articles.append(article)
    if not articles:
        raise ArticleError("JSON holds no object with article text")
    return articles


def parse_jsonl(text: str, rel: str, *, json_fields: JsonFields | None = None) -> list[Article]:
    """Parse JSON Lines, one article object a line; bad lines are skipped (see :func:`_jsonl`)."""
    return _jsonl(text, rel, json_fields)[0]


def _jsonl(text: str, rel: str, json_fields: JsonFields | None) -> tuple[list[Article], int]:
    """Articles of a JSON Lines file, and how many lines were not valid JSON."""
    fields = json_field_names(json_fields)
    articles = []
    bad = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            bad += 1
            continue
        if isinstance(obj, dict):
            article = _article_from_object(obj, f"{rel}#{n}", "jsonl", fields)
            if article is not None:
                articles.append(article)
    if bad:
        logger.info("%s: %d line(s) are not valid JSON and were skipped", rel, bad)
    if not articles:
        extra = f" ({bad} line(s) not valid JSON)" if bad else ""
        raise ArticleError(f"JSON Lines file holds no object with article text{extra}")
    return articles, bad


def _lookup(obj: Mapping[str, object], name: str) -> object:
    if name in obj:
        return obj[name]
    if "." not in name:
        return None
    value: object = obj
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _as_text(value: object, *, numbers: bool = False) -> str | None:
    if isinstance(value, dict):
        # {"name": ...} (NewsAPI's source), {"rendered": ...} (WordPress' title and content)
        value = next((value[k] for k in ("rendered", "name", "title", "value", "id") if k in value), None)
    if isinstance(value, list):
        parts = [v for v in value if isinstance(v, str) and v.strip()]
        value = "\n\n".join(parts) if parts else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and numbers and math.isfinite(value):
        return repr(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _field(obj: Mapping[str, object], kind: str, fields: Mapping[str, Sequence[str]]) -> str | None:
    for name in fields[kind]:
        value = _as_text(_lookup(obj, name), numbers=kind == "date")
        if value:
            return value
    return None


def _json_date(value: str | None) -> dt.date | None:
    """A date field: a written date, or Unix time in seconds or milliseconds (read in UTC, so
    that every machine gives the same day)."""
    if value is None:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", value):
        seconds = float(value) / (1000 if len(value.split(".")[0]) > 11 else 1)
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    return _first_date(value)


def _article_from_object(
    obj: Mapping[str, object], path: str, fmt: str, fields: Mapping[str, Sequence[str]]
) -> Article | None:
    body = _field(obj, "text", fields)
    if not body:
        return None
    if "<" in body and re.search(r"</?(p|div|br|span|a)\b", body, re.I):
        body = html_to_text(body)
    published = _json_date(_field(obj, "date", fields)) or _dateline_date(body)
    return Article(
        path=path, text=body.strip(), title=_field(obj, "title", fields), source=_field(obj, "source", fields),
        url=_field(obj, "url", fields), published=published, format=fmt,
    )


# --------------------------------------------------------------------------------------------
# HTML


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                         "section", "article", "header", "footer", "ul", "ol", "table", "hr", "figure"})
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "aside",
                        "form", "button", "iframe", "select", "object"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr"})


class _TextExtractor(HTMLParser):
    """Collects visible text by block, and metadata: meta tags, RDFa/microdata ``content``
    attributes (``<span property="dc:date" content=...>``), ``<time datetime>``, the first h1."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self._drop_depth = 0
        self._in_title = False
        self._h1 = 0  # 0 before the first h1, 1 inside it, 2 after it
        self._in_article = 0
        self.article_blocks: list[list[str]] = [[]]

    def _note(self, key: str, value: str) -> None:
        if key and key not in self.meta:
            self.meta[key] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if "content" in values:
                for part in key.split():
                    self._note(part, values["content"])
            return
        if tag == "link":
            if "canonical" in values.get("rel", "").lower().split():
                self._note("canonical", values.get("href", ""))
            return
        # RDFa and microdata carry dates and titles in content/datetime attributes of any tag.
        key = (values.get("property") or values.get("itemprop") or "").lower()
        content = values.get("content") or values.get("datetime")
        if key and content:
            for part in key.split():
                self._note(part, content)
        if tag == "time" and values.get("datetime"):
            self._note("time", values["datetime"])
        if tag == "title":
            self._in_title = True
        if tag == "h1" and self._h1 == 0:
            self._h1 = 1
        if tag in _DROP_TAGS:
            self._drop_depth += 1
        if tag == "article" or (tag == "main" and not self._in_article):
            self._in_article += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <div/> in HTML opens a div; only void elements are really self-closing.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "h1" and self._h1 == 1:
            self._h1 = 2
        if tag in _DROP_TAGS and self._drop_depth:
            self._drop_depth -= 1
        if tag in _BLOCK_TAGS:
            self._break()
        if tag in {"article", "main"} and self._in_article:
            self._in_article -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._drop_depth:
            return
        if self._h1 == 1:
            self.h1_parts.append(data)
        self.blocks[-1].append(data)
        if self._in_article:
            self.article_blocks[-1].append(data)

    def _break(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])
        if self.article_blocks[-1]:
            self.article_blocks.append([])


def _join_blocks(blocks: list[list[str]]) -> list[str]:
    out = []
    for block in blocks:
        text = re.sub(r"\s+", " ", "".join(block)).strip()
        if text:
            out.append(text)
    return out


def _main_text(parser: _TextExtractor) -> str:
    blocks = _join_blocks(parser.article_blocks)
    if sum(len(b) for b in blocks) < 200:
        blocks = _join_blocks(parser.blocks)
    # Boilerplate blocks are short and full of links or menus; prose blocks are sentences.
    prose = [b for b in blocks if len(b) >= 60 or re.search(r"[.!?]\W*$", b)]
    return "\n\n".join(prose)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, a paragraph a block."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return "\n\n".join(_join_blocks(parser.blocks))


@dataclass(frozen=True, slots=True)
class _Extracted:
    """What trafilatura found in a page."""

    text: str
    title: str | None
    date: str | None
    sitename: str | None
    url: str | None


# Pages larger than this go to the standard-library extractor alone: trafilatura's time grows
# faster than linearly with the tree, and no article needs more markup than this.
TRAFILATURA_MAX_CHARS = 3_000_000
# htmldate rejects dates after max_date, which defaults to today: the same page would then be
# dated differently depending on the day of the run. A fixed bound keeps runs reproducible.
_DATE_PARAMS: Mapping[str, object] = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}
_PUBLISHED_KEYS = (
    "article:published_time", "datepublished", "dc.date", "dc:date", "dc.date.issued", "dcterms.issued",
    "dcterms.created", "dc:created", "dcterms.date", "date", "pubdate", "publish-date", "publication_date",
    "og:published_time", "sailthru.date", "parsely-pub-date",
)
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dc:title", "dcterms.title", "headline")
_SITE_KEYS = ("og:site_name", "application-name", "dc.publisher", "publisher", "author")


@functools.cache
def _load_trafilatura() -> Callable[..., object] | None:
    """trafilatura's extractor, loaded once (its import takes 0.1 s); None when it is missing,
    which is said once, as a warning."""
    try:
        from trafilatura import bare_extraction
    except ImportError as exc:
        logger.warning("trafilatura cannot be imported (%s): web pages are read with the plain HTML "
                       "parser, which keeps more boilerplate", exc)
        return None
    _quiet_extractor_logs()
    return bare_extraction


def _trafilatura(markup: str) -> _Extracted | None:
    """Main text and metadata by trafilatura, or None when it finds nothing or fails."""
    if len(markup) > TRAFILATURA_MAX_CHARS:
        return None
    bare_extraction = _load_trafilatura()
    if bare_extraction is None:
        return None
    try:
        # Fast mode: on the ISW pages it gives the same text as the full mode in half the time
        # (19 ms a page rather than 36 ms, and 66 ms rather than 386 ms at worst).
        doc = bare_extraction(
            markup, fast=True, with_metadata=True, include_comments=False, include_tables=True,
            deduplicate=False, date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # trafilatura on malformed markup: fall back, never fail the file
        logger.debug("trafilatura failed: %s: %s", type(exc).__name__, exc)
        return None
    if doc is None or isinstance(doc, dict):
        return None
    return _Extracted(text=_str(getattr(doc, "text", None)) or "", title=_str(getattr(doc, "title", None)),
                      date=_str(getattr(doc, "date", None)), sitename=_str(getattr(doc, "sitename", None)),
                      url=_str(getattr(doc, "url", None)))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _quiet_extractor_logs() -> None:
    """Silence trafilatura's own logging unless frontmap runs at debug level.

    It logs every malformed page at ERROR level; for frontmap such a page is an ordinary
    outcome, recorded in report.json, and a folder of saved pages would bury the run's summary
    in them. A level the user set on these loggers is left alone.
    """
    if logger.isEnabledFor(logging.DEBUG):
        return
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        other = logging.getLogger(name)
        if other.level == logging.NOTSET:
            other.setLevel(logging.CRITICAL)


_NOTE_LINE = re.compile(r"^\s*(\[\d+\]|\(\d+\)|\d+\s*https?:|https?\s*://|www\.)", re.I)
_URL = re.compile(r"(https?\s*://|www\.)\S+|\S+ dot \S+", re.I)


def _tail_line(line: str) -> bool:
    """A line that may belong to a closing block of notes: a note, a line of URLs, or short."""
    return bool(_NOTE_LINE.match(line)) or len(_URL.sub(" ", line).split()) < 10


def _tidy_extracted(text: str, title: str | None) -> str:
    """trafilatura's lines as paragraphs, without a repeated title or a closing list of notes.

    Endnotes ("[12] https://t.me/...") are sources, not prose: they would only feed URLs to the
    place finder. The closing block of short and URL lines is cut at its first numbered note;
    footnote markers inside the prose stay.
    """
    lines = [re.sub(r"^[-•*]\s+", "", line.strip()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if title:
        key = title.casefold().strip()
        while lines and lines[0].casefold() == key:
            lines.pop(0)
    start = len(lines)
    while start > 0 and _tail_line(lines[start - 1]):
        start -= 1
    first_note = next((i for i in range(start, len(lines)) if _NOTE_LINE.match(lines[i])), None)
    end = len(lines) if first_note is None or first_note == 0 else first_note
    return "\n\n".join(lines[:end])


def _web_url(value: str | None) -> str | None:
    """An absolute http(s) URL that names a page, not a site's root: ISW's pages, for one,
    carry ``og:url`` of their development host's home page."""
    if not value:
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if parts.path in {"", "/"} and not parts.query:
        return None
    return value


def parse_html(markup: str, rel: str) -> Article:
    """Parse a saved web page: main text, title, publisher, URL and date.

    trafilatura extracts the main text (boilerplate dropped) and its metadata; the standard
    library's parser reads meta tags, RDFa and microdata attributes, and gives the text when
    trafilatura finds none (fragments, tiny pages, pages over :data:`TRAFILATURA_MAX_CHARS`).

    The date comes from the page's own metadata (publication meta tags, RDFa ``dc:date``,
    JSON-LD or ``<time>`` through htmldate) or a dateline with a year, never from the file.
    """
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it still raises means junk input
        raise ArticleError(f"cannot parse HTML: {exc}") from None
    meta = parser.meta
    extracted = _trafilatura(markup)
    site = _first(*(meta.get(k) for k in _SITE_KEYS[:2]), extracted.sitename if extracted else None,
                  *(meta.get(k) for k in _SITE_KEYS[2:]))
    title = _page_title(parser, extracted, site)
    body = _tidy_extracted(extracted.text, title) if extracted and extracted.text.strip() else ""
    if not body.strip():
        body = _main_text(parser)
    date_value = _first(*(meta.get(k) for k in _PUBLISHED_KEYS))
    published = (
        _first_date(date_value)
        or _first_date(extracted.date if extracted else None)
        or _first_date(meta.get("time"))
        or _dateline_date(body)
    )
    url = (_web_url(meta.get("og:url")) or _web_url(meta.get("canonical"))
           or _web_url(extracted.url if extracted else None))
    return Article(path=rel, text=body, title=title, source=site, url=url, published=published, format="html")


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return html.unescape(value).strip()
    return None


def _page_title(parser: _TextExtractor, extracted: _Extracted | None, site: str | None) -> str | None:
    """The article's title: the first candidate that is not just the site's name.

    Some sites put their own name in ``og:title`` (ISW does); the RDFa title, the h1 and the
    ``<title>`` less its " | Site" suffix come after the meta tags.
    """
    head_title = html.unescape("".join(parser.title_parts)).strip()
    if site and head_title:
        for sep in (" | ", " - ", " — ", " – ", " :: "):
            suffix = f"{sep}{site}"
            if head_title.casefold().endswith(suffix.casefold()):
                head_title = head_title[: -len(suffix)].strip()
    h1 = re.sub(r"\s+", " ", "".join(parser.h1_parts)).strip()
    candidates = [*(parser.meta.get(k) for k in _TITLE_KEYS), extracted.title if extracted else None, h1,
                  head_title]
    not_site = (site or "").casefold().strip()
    for candidate in candidates:
        if candidate and candidate.strip():
            value = re.sub(r"\s+", " ", html.unescape(candidate)).strip()
            if value.casefold() != not_site:
                return value
    return None

