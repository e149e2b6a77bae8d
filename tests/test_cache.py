"""Incremental runs: unchanged files come from the cache, changed ones are extracted again, and
the outputs are those of a fresh run."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import frontmap.parallel
from frontmap.cache import CACHE_DIR_NAME, ExtractCache, run_identity
from frontmap.config import Config
from frontmap.pipeline import RunSummary, run
from frontmap.records import FileOutcome
from frontmap.resources import examples_dir

COLLECTIONS = ("claims.geojson", "areas.geojson", "places.geojson")


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(examples_dir(), folder)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")  # a skipped file rides along
    return folder


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the articles that were really extracted (not taken from the cache)."""
    seen: list[str] = []
    real = frontmap.parallel.digest_chunk

    def spy(chunk, gazetteer_paths=()):  # type: ignore[no-untyped-def]
        seen.extend(a.path for a in chunk)
        return real(chunk, gazetteer_paths)

    monkeypatch.setattr(frontmap.parallel, "digest_chunk", spy)
    return seen


def _run(folder: Path, out: Path, **options: object) -> tuple[RunSummary, dict[str, bytes], dict[str, object]]:
    summary = run(folder, out, config=Config(quiet=True, **options))  # type: ignore[arg-type]
    files = {name: (out / name).read_bytes() for name in COLLECTIONS}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return summary, files, report


def test_rerun_takes_every_unchanged_file_from_the_cache(articles: Path, tmp_path: Path,
                                                           extracted: list[str]) -> None:
    out = tmp_path / "out"
    first, first_files, first_report = _run(articles, out)
    assert len(extracted) == first.articles == 12
    assert not first.cached_files
    assert (out / CACHE_DIR_NAME).is_dir()
    extracted.clear()
    second, second_files, report = _run(articles, out)
    assert extracted == []
    assert second.cached_files == {f.path for f in second.files if f.status == "read"}
    assert report["counts"]["cached_files"] == 12  # type: ignore[index]
    assert second_files == first_files
    assert [f.path for f in second.files] == [f.path for f in first.files]
    assert report["articles"] == first_report["articles"]


def test_one_changed_article_is_the_only_one_extracted_again(articles: Path, tmp_path: Path,
                                                               extracted: list[str]) -> None:
    out = tmp_path / "out"
    _run(articles, out)
    changed = articles / "02_efm_2023-07-11_bakhmut-flanks.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Ivanivske", "Khromove"), encoding="utf-8")
    extracted.clear()
    summary, files, report = _run(articles, out)
    assert extracted == [changed.name]
    entries = {f["path"]: f["cached"] for f in report["files"]}  # type: ignore[attr-defined]
    assert [path for path, cached in entries.items() if not cached] == [changed.name, "notes.pdf"]
    assert len(summary.cached_files) == 11
    _fresh_summary, fresh, _ = _run(articles, tmp_path / "fresh", cache=False)
    assert files == fresh


def test_no_cache_writes_no_cache_folder(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(articles, out, cache=False)
    assert not (out / CACHE_DIR_NAME).exists()


def test_cache_dir_is_shared_between_output_folders(articles: Path, tmp_path: Path, extracted: list[str]) -> None:
    shared = tmp_path / "cache"
    _run(articles, tmp_path / "a", cache_dir=shared)
    extracted.clear()
    summary, _, _ = _run(articles, tmp_path / "b", cache_dir=shared)
    assert extracted == [] and len(summary.cached_files) == 12
    assert not (tmp_path / "b" / CACHE_DIR_NAME).exists()


def test_moved_file_is_extracted_again(articles: Path, tmp_path: Path, extracted: list[str]) -> None:
    out = tmp_path / "out"
    _run(articles, out)
    (articles / "sub").mkdir()
    moved = "04_ua-general-staff_2023-08-24_evening-summary.txt"
    (articles / moved).rename(articles / "sub" / moved)
    extracted.clear()
    _run(articles, out)
    assert extracted == [f"sub/{moved}"]  # claim ids and "article" depend on the path


def test_damaged_entry_is_a_miss(articles: Path, tmp_path: Path, extracted: list[str]) -> None:
    out = tmp_path / "out"
    _, files, _ = _run(articles, out)
    db = sqlite3.connect(out / CACHE_DIR_NAME / "extract-v1.sqlite")
    db.execute("UPDATE files SET value = '{not json'")
    db.commit()
    db.close()
    extracted.clear()
    summary, again, _ = _run(articles, out)
    assert len(extracted) == 12 and not summary.cached_files
    assert again == files


def test_identity_follows_the_options_that_change_results() -> None:
    assert run_identity(Config()) == run_identity(Config(jobs=2, cache=False))
    assert run_identity(Config()) != run_identity(Config(max_file_bytes=1000))
    assert run_identity(Config()) != run_identity(Config(include_hidden=True))


def test_cache_round_trip(tmp_path: Path) -> None:
    from frontmap.stream import Digest

    cache = ExtractCache(tmp_path, "identity")
    digest = Digest("a.txt", "T", "S", "2023-07-07", 3, 1, 2, 1,
                    (("2023-07-07", 0, "0123456789abcdef", "geonames:1", "Ukraine", None, "advance", False,
                      '{"type":"Feature"}', None),), '{"type":"Feature"}')
    key = cache.key("a.txt", b"text")
    assert key != cache.key("b.txt", b"text") and key != cache.key("a.txt", b"text!")
    assert cache.get(key) is None
    cache.put(key, FileOutcome("a.txt", "read", None, "utf-8", 1), [digest])
    cache.close()
    again = ExtractCache(tmp_path, "identity")
    found = again.get(key)
    again.close()
    assert found is not None
    assert found.digests == (digest,)
    assert found.outcome == FileOutcome("a.txt", "read", None, "utf-8", 1)
