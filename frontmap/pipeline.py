"""The run: folder in, the five files of the output contract out.

Stages in order (one module each): ingest -> sentences -> places (recognise, resolve) -> claims
-> contested marking -> geometry -> export and render. Each article is processed on its own, so
one broken article never loses the others.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontmap import __version__
from frontmap.config import Config
from frontmap.errors import ConfigError, InputError
from frontmap.export import (
    area_feature,
    claim_feature,
    dumps,
    feature_collection,
    place_features,
    write_extra_formats,
)
from frontmap.extract.claims import extract_claims, mark_contested
from frontmap.extract.places import find_mentions, resolve_mentions
from frontmap.extract.sentences import split_sentences
from frontmap.fileio import atomic_write_text
from frontmap.gazetteer import Gazetteer
from frontmap.geometry import locate
from frontmap.ingest import IngestResult, iter_files, read_folder
from frontmap.records import Article, Claim, FileOutcome, LocatedClaim, Mention

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
    mentions = resolve_mentions(article, find_mentions(article, sentences, gazetteer))
    claims = extract_claims(article, sentences, mentions)
    return ArticleResult(article=article, mentions=tuple(mentions), claims=tuple(claims))


def count_files(root: Path, *, config: Config) -> int:
    """How many entries the run will account for (for a progress bar)."""
    return sum(1 for _ in iter_files(root, config=config))


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
    started = time.perf_counter()
    gazetteer = Gazetteer.load(config.gazetteer_paths)
    summary = RunSummary()
    summary.timings["gazetteer_s"] = round(time.perf_counter() - started, 3)

    results: list[ArticleResult] = []
    t0 = time.perf_counter()
    for item in _ingest(input_path, config):
        outcome = item.outcome
        for article in item.articles:
            try:
                results.append(process_article(article, gazetteer))
            except Exception as exc:  # one article's bug must not lose the others
                logger.error("%s: extraction failed: %s: %s", article.path, type(exc).__name__, exc)
                logger.debug("traceback", exc_info=True)
                outcome = FileOutcome(outcome.path, "failed", f"extraction failed: {type(exc).__name__}: {exc}",
                                      outcome.encoding, outcome.articles)
        summary.files.append(outcome)
        if on_file is not None:
            on_file(outcome)
    summary.timings["extract_s"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    articles = {r.article.path: r.article for r in results}
    all_claims = mark_contested([c for r in results for c in r.claims])
    located: list[LocatedClaim] = []
    unlocated: list[dict[str, Any]] = []
    for claim in all_claims:
        spot = locate(claim)
        if spot is None:
            unlocated.append({"article": claim.article, "sentence": claim.sentence, "why": "no resolved place"})
            continue
        located.append(spot)
    located.sort(key=lambda lc: (lc.claim.date.isoformat() if lc.claim.date else "9999", lc.claim.article,
                                 lc.claim.sentence, lc.claim.id))
    claims_fc = feature_collection(claim_feature(lc, articles[lc.claim.article]) for lc in located)
    areas = [area_feature(lc, articles[lc.claim.article]) for lc in located]
    areas_fc = feature_collection(a for a in areas if a is not None)
    mentions = [m for r in results for m in r.mentions]
    places_fc = feature_collection(place_features(mentions))
    summary.timings["geometry_s"] = round(time.perf_counter() - t0, 3)

    summary.articles = len(results)
    summary.claims = len(all_claims)
    summary.located = len(located)
    summary.places_resolved = sum(1 for m in mentions if m.place is not None)
    summary.places_unresolved = sum(1 for m in mentions if m.place is None)

    t0 = time.perf_counter()
    output_dir.mkdir(parents=True, exist_ok=True)
    as_of = max((a.published for a in articles.values() if a.published), default=None)
    title = f"frontmap: {input_path.name or input_path}"
    from frontmap.render import render_map  # folium is the heaviest import: load it only to draw

    html = render_map(claims_fc, areas_fc, places_fc, title=title,
                      as_of=as_of.isoformat() if as_of else None, config=config)
    paths = {name: output_dir / name for name in OUTPUT_FILES}
    atomic_write_text(paths["claims.geojson"], dumps(claims_fc))
    atomic_write_text(paths["areas.geojson"], dumps(areas_fc))
    atomic_write_text(paths["places.geojson"], dumps(places_fc))
    atomic_write_text(paths["map.html"], html)
    extra: dict[str, str] = {}
    if config.formats or config.csv:
        extra = write_extra_formats(output_dir, {"claims": claims_fc, "areas": areas_fc, "places": places_fc},
                                    formats=config.formats, csv=config.csv)
    summary.timings["write_s"] = round(time.perf_counter() - t0, 3)
    summary.timings["total_s"] = round(time.perf_counter() - started, 3)
    summary.outputs = {name: str(path) for name, path in paths.items()} | extra
    report = _report(input_path, output_dir, summary, results, unlocated)
    atomic_write_text(paths["report.json"], json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return summary


def _ingest(input_path: Path, config: Config) -> Iterator[IngestResult]:
    yield from read_folder(input_path, config=config)


def _report(
    input_path: Path,
    output_dir: Path,
    summary: RunSummary,
    results: list[ArticleResult],
    unlocated: list[dict[str, Any]],
) -> dict[str, Any]:
    """report.json: every input entry accounted for, what was resolved, timings.

    Timings are kept out of it so that the same input gives byte-identical outputs; they are in
    the CLI summary instead.
    """
    return {
        "frontmap_version": __version__,
        "input": input_path.name,  # not the absolute path: outputs are the same on every machine
        "files": [
            {"path": f.path, "status": f.status, "reason": f.reason, "encoding": f.encoding, "articles": f.articles}
            for f in summary.files
        ],
        "counts": {
            "files": len(summary.files),
            "read": summary.read,
            "skipped": summary.skipped,
            "failed": summary.failed,
            "articles": summary.articles,
            "undated_articles": sum(1 for r in results if r.article.published is None),
            "claims": summary.claims,
            "claims_located": summary.located,
            "places_resolved": summary.places_resolved,
            "places_unresolved": summary.places_unresolved,
        },
        "articles": [
            {
                "path": r.article.path,
                "title": r.article.title,
                "source": r.article.source,
                "published": r.article.published.isoformat() if r.article.published else None,
                "warning": None if r.article.published else "no date found: its claims are in the 'undated' layer",
                "mentions": len(r.mentions),
                "claims": len(r.claims),
            }
            for r in results
        ],
        "claims_not_located": unlocated,
        "outputs": sorted(OUTPUT_FILES),
    }
