"""The run: folder in, the five files of the output contract out.

Stages in order (one module each): ingest -> sentences -> places (recognise, resolve) -> claims
-> contested marking -> geometry -> export and render. Each article is processed on its own, so
one broken article never loses the others.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontmap import __version__
from frontmap.cache import CACHE_DIR_NAME, CachedFile, ExtractCache, run_identity
from frontmap.config import Config
from frontmap.errors import ConfigError, InputError
from frontmap.export import (
    write_extra_formats,
)
from frontmap.extract.claims import extract_claims
from frontmap.extract.places import find_mentions, resolve_mentions
from frontmap.extract.refine import refine_mentions
from frontmap.extract.sentences import split_sentences
from frontmap.fileio import atomic_write_json, atomic_write_text
from frontmap.gazetteer import Gazetteer, clear_cache
from frontmap.ingest import (
    READABLE_SUFFIXES,
    IngestResult,
    display_name,
    iter_files,
    read_bytes,
    read_file,
    read_folder,
)
from frontmap.parallel import open_backend
from frontmap.records import Article, Claim, FileOutcome, Mention
from frontmap.stream import Digest, Spool

logger = logging.getLogger("frontmap")

OUTPUT_FILES = ("map.html", "claims.geojson", "areas.geojson", "places.geojson", "report.json")


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """What one article gave."""

    article: Article
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]


@dataclass
class RunSummary:
    """Counts and paths of a finished run (what the CLI prints)."""

    files: list[FileOutcome] = field(default_factory=list)
    articles: int = 0
    claims: int = 0
    located: int = 0
    places_resolved: int = 0
    places_unresolved: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cached_files: set[str] = field(default_factory=set)  # files whose results came from the cache
    backend: str = "serial"  # where articles were extracted: serial, processes, dask
    workers: int = 1

    @property
    def read(self) -> int:
        return sum(1 for f in self.files if f.status == "read")

    @property
    def skipped(self) -> int:
        return sum(1 for f in self.files if f.status == "skipped")

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")


def process_article(article: Article, gazetteer: Gazetteer) -> ArticleResult:
    """Sentences, places and claims of one article."""
    sentences = split_sentences(article.text)
    mentions = refine_mentions(article, resolve_mentions(article, find_mentions(article, sentences, gazetteer)))
    claims = extract_claims(article, sentences, mentions)
    return ArticleResult(article=article, mentions=tuple(mentions), claims=tuple(claims))


def count_files(root: Path, *, config: Config) -> int:
    """How many entries the run will account for (for a progress bar)."""
    return sum(1 for _ in iter_files(root, config=config))


def _release_memory() -> None:
    """Collect garbage and ask the C allocator to hand free pages back to the system (glibc's
    ``malloc_trim``; elsewhere only the collection): freed Python objects otherwise stay in the
    process's resident size."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def run(
    input_path: Path,
    output_dir: Path,
    *,
    config: Config,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> RunSummary:
    """Read every article under ``input_path`` and write the outputs into ``output_dir``.

    Parameters
    ----------
    input_path
        A folder of articles (read recursively) or one article file.
    output_dir
        Where the five files of the output contract are written (created if missing).
    config
        Run options.
    on_file
        Called once per input entry as it is accounted for (progress reporting).
    """
    if not input_path.exists():
        raise InputError(f"{input_path}: no such file or folder")
    if output_dir.exists() and not output_dir.is_dir():
        raise ConfigError(f"{output_dir}: exists and is not a folder")
    try:  # now rather than after the run: an unusable -o must not cost the whole run first
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{output_dir}: cannot create the output folder: {exc.strerror or exc}") from None
    started = time.perf_counter()
    # Loaded here even when workers extract: a bad gazetteer fails before any work starts, and
    # a serial run finds it cached.
    Gazetteer.load(config.gazetteer_paths)
    if config.jobs > 1 or config.scheduler or config.dask_local:
        # Workers load their own: here it was only checked. Given back, its ~100 MB keep a big
        # run's process tree (this process's claim columns plus the workers) under 1 GB.
        clear_cache()
        _release_memory()
    summary = RunSummary()
    summary.timings["gazetteer_s"] = round(time.perf_counter() - started, 3)

    log = _ArticleLog(output_dir)
    try:
        _run_stages(input_path, output_dir, config, summary, log, on_file, started)
    finally:
        log.close()
    return summary


def _run_stages(
    input_path: Path,
    output_dir: Path,
    config: Config,
    summary: RunSummary,
    log: _ArticleLog,
    on_file: Callable[[FileOutcome], None] | None,
    started: float,
) -> None:
    """Extract, export, draw and report (the body of :func:`run`)."""
    t0 = time.perf_counter()
    paths = {name: output_dir / name for name in OUTPUT_FILES}
    with Spool(output_dir) as spool:
        _extract_all(input_path, output_dir, config, summary, spool, log, on_file)
        summary.timings["extract_s"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        spool.write(paths["claims.geojson"], paths["areas.geojson"], paths["places.geojson"])
        summary.timings["export_s"] = round(time.perf_counter() - t0, 3)
        summary.timings.update({k: round(v, 3) for k, v in spool.timings.items() if k != "export_s"})
        unlocated = spool.unlocated
        summary.claims = spool.claims
        summary.located = spool.located
    summary.articles = len(log)
    summary.places_resolved = log.resolved
    summary.places_unresolved = log.unresolved

    t0 = time.perf_counter()
    as_of = log.latest
    title = f"frontmap: {input_label(input_path)}"
    from frontmap.render import render_map  # folium is the heaviest import: load it only to draw

    # The map is drawn from the collections just written: they were never all in memory.
    claims_fc, areas_fc, places_fc = (_read_collection(paths[name])
                                      for name in ("claims.geojson", "areas.geojson", "places.geojson"))
    html = render_map(claims_fc, areas_fc, places_fc, title=title, as_of=as_of, config=config,
                      aggregate_over=config.map_aggregate_over)
    atomic_write_text(paths["map.html"], html)
    summary.timings["map_s"] = round(time.perf_counter() - t0, 3)
    extra: dict[str, str] = {}
    if config.formats or config.csv:
        extra = write_extra_formats(output_dir, {"claims": claims_fc, "areas": areas_fc, "places": places_fc},
                                    formats=config.formats, csv=config.csv)
    summary.timings["write_s"] = round(summary.timings["export_s"] + time.perf_counter() - t0, 3)
    summary.timings["total_s"] = round(time.perf_counter() - started, 3)
    summary.outputs = {name: str(path) for name, path in paths.items()} | extra
    report = _report(input_path, output_dir, summary, log, unlocated)
    atomic_write_json(paths["report.json"], report)


def input_label(input_path: Path) -> str:
    """The input's own name, however it was spelled: "." and "../articles" and the absolute path
    of one folder give the same name, so the outputs do not depend on the working directory.
    (abspath, not resolve: a symlinked input keeps the name the user gave it.)"""
    return display_name(Path(os.path.abspath(input_path)).name) or "input"  # noqa: PTH100 (see above)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One input file on its way through the run: read and waiting for extraction, or found in
    the cache (``cached``); ``key`` is its cache key when the cache is on."""

    item: IngestResult | None
    cached: CachedFile | None = None
    key: str | None = None

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.item.articles if self.item is not None else ()


#: Articles per chunk sent to a worker: big enough that a round trip is noise next to the
#: extraction (~10 ms an article), small enough to keep every worker busy to the end.
CHUNK_ARTICLES = 16


def _entries(input_path: Path, config: Config, cache: ExtractCache | None) -> Iterator[_Entry]:
    """Every input entry in path order: read, or taken from the cache without parsing it."""
    if cache is None:
        for item in read_folder(input_path, config=config):
            yield _Entry(item)
        return
    for rel, path, reason in iter_files(input_path, config=config):
        if path is None:
            yield _Entry(IngestResult(FileOutcome(rel, "skipped", reason), ()))
            continue
        try:
            eligible = path.suffix.lower() in READABLE_SUFFIXES and path.stat().st_size <= config.max_file_bytes
            data = path.read_bytes() if eligible else None
        except OSError:
            data = None
        if data is None:  # skipped or unreadable: read_file says why, as without a cache
            yield _Entry(read_file(path, rel, config=config))
            continue
        key = cache.key(rel, data)
        hit = cache.get(key)
        if hit is not None:
            yield _Entry(None, cached=hit, key=key)
        else:
            yield _Entry(read_bytes(data, rel, config=config), key=key)


def _batches(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    """Consecutive entries holding about ``size`` articles to extract."""
    batch: list[_Entry] = []
    count = 0
    for entry in entries:
        batch.append(entry)
        count += len(entry.articles)
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


class _ArticleLog(list[dict[str, Any]]):
    """The report's entry for every article, kept in a temporary file (one JSON line each), and
    the counts the summary needs: a run over 100,000 articles holds none of the entries in memory.

    It is a list so that ``json.dump`` writes it where the report has it: that encoder (pure
    Python) iterates the list, which reads the entries back, so the bytes are those of a real list.
    Write it with ``json.dump`` only: ``json.dumps`` without an indent takes the C encoder, which
    reads a list's own storage and would find it empty.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close())
        self._count = 0
        self.resolved = 0
        self.unresolved = 0
        self.undated = 0
        self.latest: str | None = None  # the newest publication date (YYYY-MM-DD)

    def add(self, digest: Digest) -> None:
        entry = {
            "path": digest.path,
            "title": digest.title,
            "source": digest.source,
            "published": digest.published,
            "warning": None if digest.published else "no date found: its claims are in the 'undated' layer",
            "mentions": digest.mentions,
            "claims": digest.claims,
        }
        self._file.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self._count += 1
        self.resolved += digest.resolved
        self.unresolved += digest.unresolved
        if digest.published is None:
            self.undated += 1
        elif self.latest is None or digest.published > self.latest:
            self.latest = digest.published

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)

    def close(self) -> None:
        self._file.close()


def _extract_all(
    input_path: Path,
    output_dir: Path,
    config: Config,
    summary: RunSummary,
    spool: Spool,
    log: _ArticleLog,
    on_file: Callable[[FileOutcome], None] | None,
) -> None:
    """The article loop: read each file (or take it from the cache), extract its articles on the
    chosen back-end, hand the digests to the spool in input order; return the report's entries.

    The claims go to the spool and each article's report entry to ``log`` (both spill to disk), so
    memory grows by the spool's columns (~60 bytes a claim), not by the article.
    """
    cache: ExtractCache | None = None
    if config.cache:
        cache = ExtractCache(config.cache_dir or output_dir / CACHE_DIR_NAME, run_identity(config))
    ingest = [0.0]
    cpu = [0.0, 0.0]

    def timed(entries: Iterator[_Entry]) -> Iterator[_Entry]:
        while True:  # time spent reading and parsing files (and looking them up in the cache)
            t0 = time.perf_counter()
            entry = next(entries, None)
            ingest[0] += time.perf_counter() - t0
            if entry is None:
                return
            yield entry

    queue: deque[list[_Entry]] = deque()

    def chunks() -> Iterator[list[Article]]:
        for batch in _batches(timed(_entries(input_path, config, cache)), CHUNK_ARTICLES):
            queue.append(batch)
            yield [a for entry in batch for a in entry.articles]

    try:
        with open_backend(jobs=config.jobs, scheduler=config.scheduler, dask_local=config.dask_local,
                          gazetteer_paths=config.gazetteer_paths) as backend:
            summary.backend, summary.workers = backend.name, backend.workers
            for outcomes in backend.map(chunks()):
                batch = queue.popleft()  # results come back in input order, batch by batch
                at = 0
                for entry in batch:
                    done = outcomes[at : at + len(entry.articles)]
                    at += len(entry.articles)
                    outcome, digests = _settle(entry, done, summary)
                    if cache is not None and entry.key is not None and entry.cached is None \
                            and outcome.status != "failed":
                        cache.put(entry.key, outcome, digests)
                    for digest in digests:
                        spool.add(digest)
                        cpu[0] += digest.seconds[0]
                        cpu[1] += digest.seconds[1]
                        log.add(digest)
                    summary.files.append(outcome)
                    if on_file is not None:
                        on_file(outcome)
    finally:
        if cache is not None:
            cache.close()
    summary.timings["ingest_s"] = round(ingest[0], 3)
    summary.timings["extract_cpu_s"] = round(cpu[0], 3)  # summed over workers
    summary.timings["geometry_cpu_s"] = round(cpu[1], 3)


def _settle(entry: _Entry, done: list[Digest | str], summary: RunSummary) -> tuple[FileOutcome, list[Digest]]:
    """A file's outcome and digests: from the cache, or from its articles' extraction."""
    if entry.cached is not None:
        summary.cached_files.add(entry.cached.outcome.path)
        return entry.cached.outcome, list(entry.cached.digests)
    assert entry.item is not None
    outcome = entry.item.outcome
    digests: list[Digest] = []
    for article, result in zip(entry.item.articles, done, strict=True):
        if isinstance(result, str):  # one article's bug must not lose the others
            logger.error("%s: %s", article.path, result)
            outcome = FileOutcome(outcome.path, "failed", result, outcome.encoding, outcome.articles)
        else:
            digests.append(result)
    return outcome, digests


def _read_collection(path: Path) -> dict[str, Any]:
    """A collection the spool wrote, back as the dictionary :func:`render_map` takes (JSON
    round-trips these values exactly, so the map is the one the in-memory collection drew)."""
    with path.open("rb") as handle:
        collection: dict[str, Any] = json.load(handle)
    return collection


def _report(
    input_path: Path,
    output_dir: Path,
    summary: RunSummary,
    log: _ArticleLog,
    unlocated: list[dict[str, Any]],
) -> dict[str, Any]:
    """report.json: every input entry accounted for, what was resolved, timings.

    Timings are kept out of it so that the same input gives byte-identical outputs; they are in
    the CLI summary instead.
    """
    return {
        "frontmap_version": __version__,
        "input": input_label(input_path),  # not the absolute path: outputs are the same on every machine
        "files": [
            {"path": f.path, "status": f.status, "reason": f.reason, "encoding": f.encoding, "articles": f.articles,
             "cached": f.path in summary.cached_files}
            for f in summary.files
        ],
        "counts": {
            "files": len(summary.files),
            "read": summary.read,
            "skipped": summary.skipped,
            "failed": summary.failed,
            "articles": summary.articles,
            "undated_articles": log.undated,
            "claims": summary.claims,
            "claims_located": summary.located,
            "places_resolved": summary.places_resolved,
            "places_unresolved": summary.places_unresolved,
            "cached_files": len(summary.cached_files),
        },
        "articles": log,  # read back from its file as the report is written
        "claims_not_located": unlocated,
        "outputs": sorted(OUTPUT_FILES),
    }
