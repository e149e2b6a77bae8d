"""Folder -> articles.

Every file under the input folder is accounted for: read (with the articles it gave), skipped
(with the reason) or failed (with the reason). One bad file never stops the run.

Formats: ``.txt`` and ``.md`` (optional ``key: value`` header lines or YAML-like front matter),
``.html``/``.htm`` (main text and meta tags), ``.json`` (one object or a list of objects) and
``.jsonl`` (one object a line), and ``.zip`` archives of any of these.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import logging
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from frontmap.config import Config
from frontmap.errors import ArticleError, InputError
from frontmap.extract.dates import dateline_parts, find_dateline, parse_date_string
from frontmap.records import Article, FileOutcome

logger = logging.getLogger("frontmap")

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".zip"})
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | ARCHIVE_SUFFIXES

# Field names that common news APIs and scrapers use, in order of preference.
JSON_FIELDS: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "maintext", "description"),
    "title": ("title", "headline", "name"),
    "date": ("date", "published", "publishedAt", "published_at", "pubDate", "date_publish",
             "publication_date", "datePublished", "created_at", "time"),
    "source": ("source", "publisher", "site_name", "source_name", "outlet", "domain"),
    "url": ("url", "link", "href", "canonical_url"),
}

_HEADER_LINE = re.compile(r"^(title|date|source|url|publisher|published|link|author)\s*:\s*(.*)$", re.I)
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles of one file, and what became of the file."""

    outcome: FileOutcome
    articles: tuple[Article, ...]


# --------------------------------------------------------------------------------------------
# Walking the folder


def iter_files(root: Path, *, config: Config) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield ``(relative path, path or None, skip reason or None)`` for every entry under root.

    Symlink loops, broken links and hidden entries are reported, not followed. The order is
    sorted so that runs are reproducible.
    """
    if root.is_file():
        yield root.name, root, None
        return
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: Path, rel: PurePosixPath) -> Iterator[tuple[str, Path | None, str | None]]:
        try:
            st = folder.stat()
        except OSError as exc:
            yield str(rel) or ".", None, f"cannot read folder: {exc.strerror or exc}"
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            yield str(rel), None, "symlink loop: folder already visited"
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield str(rel) or ".", None, f"cannot list folder: {exc.strerror or exc}"
            return
        for entry in entries:
            child_rel = rel / entry.name
            path = Path(entry.path)
            if entry.name.startswith(".") and not config.include_hidden:
                yield str(child_rel), None, "hidden (use --include-hidden to read it)"
                continue
            if entry.is_symlink() and not path.exists():
                yield str(child_rel), None, "broken symlink"
                continue
            try:
                is_dir = entry.is_dir()
            except OSError as exc:
                yield str(child_rel), None, f"cannot stat: {exc.strerror or exc}"
                continue
            if is_dir:
                yield from walk(path, child_rel)
            else:
                yield str(child_rel), path, None

    yield from walk(root, PurePosixPath())


def read_folder(root: Path, *, config: Config) -> Iterator[IngestResult]:
    """Read every file under ``root``; yield one result per file, in path order."""
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    for rel, path, reason in iter_files(root, config=config):
        if path is None:
            yield IngestResult(FileOutcome(rel, "skipped", reason), ())
            continue
        yield read_file(path, rel, config=config)


def read_file(path: Path, rel: str, *, config: Config) -> IngestResult:
    """Read one file into articles; never raises for a bad file."""
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        return IngestResult(FileOutcome(rel, "skipped", f"not an article format ({suffix or 'no suffix'})"), ())
    try:
        size = path.stat().st_size
        if size > config.max_file_bytes:
            return IngestResult(
                FileOutcome(rel, "skipped", f"larger than the size limit ({size} > {config.max_file_bytes} bytes)"),
                (),
            )
        data = path.read_bytes()
    except OSError as exc:
        return IngestResult(FileOutcome(rel, "failed", f"cannot read: {exc.strerror or exc}"), ())
    return read_bytes(data, rel, config=config)


def read_bytes(data: bytes, rel: str, *, config: Config) -> IngestResult:
    """Parse the bytes of one file named ``rel``."""
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return _read_zip(data, rel, config=config)
    if not data.strip():
        return IngestResult(FileOutcome(rel, "skipped", "empty file"), ())
    kind = _binary_kind(data)
    if kind:
        return IngestResult(FileOutcome(rel, "skipped", f"binary file ({kind})"), ())
    try:
        text, encoding = decode(data)
    except ArticleError as exc:
        return IngestResult(FileOutcome(rel, "failed", str(exc)), ())
    try:
        if suffix in HTML_SUFFIXES:
            articles = [parse_html(text, rel)]
        elif suffix in JSON_SUFFIXES:
            articles = parse_json(text, rel)
        elif suffix in JSONL_SUFFIXES:
            articles = parse_jsonl(text, rel)
        else:
            articles = [parse_text(text, rel, markdown=suffix != ".txt")]
    except ArticleError as exc:
        return IngestResult(FileOutcome(rel, "failed", str(exc), encoding=encoding), ())
    articles = [a if a.encoding else _with_encoding(a, encoding) for a in articles if a.text.strip()]
    if not articles:
        return IngestResult(FileOutcome(rel, "skipped", "no article text", encoding=encoding), ())
    return IngestResult(FileOutcome(rel, "read", None, encoding=encoding, articles=len(articles)), tuple(articles))


def _with_encoding(article: Article, encoding: str) -> Article:
    return Article(
        path=article.path, text=article.text, title=article.title, source=article.source, url=article.url,
        published=article.published, encoding=encoding, format=article.format,
    )


def _read_zip(data: bytes, rel: str, *, config: Config) -> IngestResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        return IngestResult(FileOutcome(rel, "failed", f"not a readable zip archive: {exc}"), ())
    articles: list[Article] = []
    problems: list[str] = []
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            member = PurePosixPath(info.filename)
            if any(part.startswith(".") for part in member.parts) and not config.include_hidden:
                continue
            if member.suffix.lower() in ARCHIVE_SUFFIXES or member.suffix.lower() not in READABLE_SUFFIXES:
                problems.append(f"{member}: skipped (not an article format)")
                continue
            if info.file_size > config.max_file_bytes:
                problems.append(f"{member}: skipped (larger than the size limit)")
                continue
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                problems.append(f"{member}: failed ({exc})")
                continue
            inner = read_bytes(content, f"{rel}/{member}", config=config)
            articles.extend(inner.articles)
            if inner.outcome.status != "read":
                problems.append(f"{member}: {inner.outcome.status} ({inner.outcome.reason})")
    reason = "; ".join(problems) if problems else None
    if not articles:
        return IngestResult(FileOutcome(rel, "skipped", reason or "archive holds no articles"), ())
    return IngestResult(FileOutcome(rel, "read", reason, articles=len(articles)), tuple(articles))


# --------------------------------------------------------------------------------------------
# Bytes -> text


def _binary_kind(data: bytes) -> str | None:
    head = data[:8]
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    sample = data[:4096]
    # UTF-16 text has many NULs, so it is checked before the NUL test.
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in sample and not _looks_utf16(sample):
        return "contains NUL bytes"
    return None


def _looks_utf16(sample: bytes) -> bool:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, detecting the encoding; return ``(text, encoding name)``.

    UTF-8 (with or without BOM) and UTF-16 (BOM or NUL pattern) are recognised directly; other
    encodings (Windows-1251, KOI8-U, Latin-1, …) are detected by charset-normalizer.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:4096] and _looks_utf16(data[:4096]):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("cannot detect the text encoding")
    return str(best), str(best.encoding)


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
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    body = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"^#{1,6}\s+", "", body, flags=re.M)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", body)


def _first_date(*values: str | None) -> dt.date | None:
    for value in values:
        if value:
            parsed = parse_date_string(value)
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


def parse_json(text: str, rel: str) -> list[Article]:
    """Parse a JSON file holding one article object, a list of them, or ``{"articles": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict):
        for key in ("articles", "items", "results", "data", "documents"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    objects = data if isinstance(data, list) else [data]
    articles = []
    for n, obj in enumerate(objects):
        if not isinstance(obj, dict):
            continue
        path = rel if len(objects) == 1 else f"{rel}#{n + 1}"
        article = _article_from_object(obj, path, "json")
        if article is not None:
            articles.append(article)
    if not articles:
        raise ArticleError("JSON holds no object with article text")
    return articles


def parse_jsonl(text: str, rel: str) -> list[Article]:
    """Parse JSON Lines, one article object a line; bad lines are logged and skipped."""
    articles = []
    bad = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if isinstance(obj, dict):
            article = _article_from_object(obj, f"{rel}#{n}", "jsonl")
            if article is not None:
                articles.append(article)
    if bad:
        logger.warning("%s: %d line(s) are not valid JSON and were skipped", rel, bad)
    if not articles:
        raise ArticleError("JSON Lines file holds no object with article text")
    return articles


def _field(obj: Mapping[str, object], kind: str) -> str | None:
    for name in JSON_FIELDS[kind]:
        value = obj.get(name)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title") or value.get("id")
        if isinstance(value, list):
            value = "\n\n".join(str(v) for v in value if isinstance(v, str))
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return None


def _article_from_object(obj: Mapping[str, object], path: str, fmt: str) -> Article | None:
    body = _field(obj, "text")
    if not body:
        return None
    if "<" in body and re.search(r"</?(p|div|br|span|a)\b", body, re.I):
        body = html_to_text(body)
    published = _first_date(_field(obj, "date")) or _dateline_date(body)
    return Article(
        path=path, text=body.strip(), title=_field(obj, "title"), source=_field(obj, "source"),
        url=_field(obj, "url"), published=published, format=fmt,
    )


# --------------------------------------------------------------------------------------------
# HTML


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                         "section", "article", "header", "footer", "ul", "ol", "table", "hr", "figure"})
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "aside",
                        "form", "button", "iframe", "select", "object"})


class _TextExtractor(HTMLParser):
    """Collects visible text by block, and meta tags; drops scripts, navigation and footers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._drop_depth = 0
        self._in_title = False
        self._in_article = 0
        self.article_blocks: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"]
            return
        if tag == "link":
            values = {k.lower(): (v or "") for k, v in attrs}
            if values.get("rel", "").lower() == "canonical" and "canonical" not in self.meta:
                self.meta["canonical"] = values.get("href", "")
            return
        if tag == "title":
            self._in_title = True
        if tag in _DROP_TAGS:
            self._drop_depth += 1
        if tag == "article" or (tag == "main" and not self._in_article):
            self._in_article += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
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


def parse_html(markup: str, rel: str) -> Article:
    """Parse a saved web page: main text, title, publisher, URL and date from meta tags."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it still raises means junk input
        raise ArticleError(f"cannot parse HTML: {exc}") from None
    meta = parser.meta
    title = meta.get("og:title") or meta.get("twitter:title") or html.unescape("".join(parser.title_parts)).strip()
    date_value = None
    for key in ("article:published_time", "datepublished", "date", "dc.date", "dcterms.date", "pubdate",
                "publish-date", "og:published_time", "sailthru.date", "parsely-pub-date"):
        if meta.get(key):
            date_value = meta[key]
            break
    body = _main_text(parser)
    published = _first_date(date_value) or _dateline_date(body)
    url = meta.get("og:url") or meta.get("canonical") or None
    return Article(
        path=rel, text=body, title=title or None,
        source=meta.get("og:site_name") or meta.get("publisher") or meta.get("author") or None,
        url=url, published=published, format="html",
    )
