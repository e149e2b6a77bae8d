"""Atomic writes: streamed JSON is the same text as json.dumps; outputs are ordinary files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontmap import fileio
from frontmap.cli import main
from frontmap.pipeline import OUTPUT_FILES


def test_streamed_json_is_the_text_json_dumps_gives(tmp_path: Path) -> None:
    value = {"files": [{"path": f"a/{i}.txt", "title": "Бахмут “quoted” \u2028", "n": i, "x": None}
                       for i in range(2000)], "counts": {"claims": 3, "ratio": 0.25}}
    target = tmp_path / "report.json"
    fileio.atomic_write_json(target, value)
    assert target.read_bytes() == (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_value_json_cannot_encode_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    fileio.atomic_write_json(target, {"ok": True})
    with pytest.raises(TypeError):
        fileio.atomic_write_json(target, {"bad": object()})
    assert json.loads(target.read_text(encoding="utf-8")) == {"ok": True}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_every_output_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["map", "-o", str(tmp_path / "out"), "--quiet", "--no-cache"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for name in OUTPUT_FILES:
        mode = stat.S_IMODE((tmp_path / "out" / name).stat().st_mode)
        assert mode == 0o644, f"{name}: {oct(mode)}"  # GeoJSON was 0600 (a temporary file's mode)


def test_the_article_log_is_written_into_the_report_as_the_list_it_stands_for(tmp_path: Path) -> None:
    from frontmap.pipeline import _ArticleLog
    from frontmap.stream import Digest

    digests = [Digest(f"a/{i}.txt", f"Title “{i}”", "Wire", None if i % 3 == 0 else f"2024-0{1 + i % 9}-01",
                      i, 2 * i, i, 0, (), "") for i in range(50)]
    log = _ArticleLog(tmp_path)
    for digest in digests:
        log.add(digest)
    fileio.atomic_write_json(tmp_path / "report.json", {"before": 1, "articles": log, "after": []})
    log.close()
    entries = [{"path": d.path, "title": d.title, "source": d.source, "published": d.published,
                "warning": None if d.published else "no date found: its claims are in the 'undated' layer",
                "mentions": d.mentions, "claims": d.claims} for d in digests]
    expected = json.dumps({"before": 1, "articles": entries, "after": []}, ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == expected
    assert (len(log), log.undated, log.latest, log.resolved) == (50, 17, "2024-09-01", sum(range(50)))
