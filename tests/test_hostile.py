"""A folder nobody curated, end to end: every entry accounted for, no exception, hostile text
inert, outputs written atomically into the named folder only, the same bytes on every run.

The folder is made by :mod:`tests.hostile` (over 1,000 entries, seeded). Figures of the run are
printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontmap import fileio
from frontmap.cli import main
from frontmap.config import Config
from frontmap.errors import OutputError
from frontmap.pipeline import OUTPUT_FILES, RunSummary, run
from frontmap.resources import examples_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile

CONFIG = Config(max_file_bytes=hostile.MAX_FILE_BYTES, cache=False)


@dataclass
class Run:
    """One pipeline run and what it left."""

    input: Path
    out: Path
    summary: RunSummary
    seconds: float

    def json(self, name: str) -> Any:
        return json.loads((self.out / name).read_text(encoding="utf-8"))

    def bytes(self) -> dict[str, bytes]:
        return {name: (self.out / name).read_bytes() for name in OUTPUT_FILES}


def _run(input_path: Path, out: Path, config: Config = CONFIG) -> Run:
    started = time.perf_counter()
    summary = run(input_path, out, config=config)
    return Run(input_path, out, summary, time.perf_counter() - started)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> hostile.Manifest:
    return hostile.build(tmp_path_factory.mktemp("hostile") / "articles", count=1000)


@pytest.fixture(scope="module")
def hostile_run(folder: hostile.Manifest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    done = _run(folder.root, tmp_path_factory.mktemp("out") / "hostile")
    report = done.json("report.json")
    counts = Counter(f["status"] for f in report["files"])
    print(f"\nhostile run: {len(report['files'])} files ({counts['read']} read, {counts['skipped']} skipped, "
          f"{counts['failed']} failed), {report['counts']['articles']} articles, "
          f"{report['counts']['claims']} claims, {done.seconds:.1f} s")
    return done


@pytest.fixture(scope="module")
def good_run(folder: hostile.Manifest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    alone = tmp_path_factory.mktemp("good") / "articles"
    assert hostile.write_good(alone) == folder.good
    return _run(alone, tmp_path_factory.mktemp("out") / "good")


# --------------------------------------------------------------------------------------------
# The one run over the hostile folder


def test_the_folder_is_big_and_the_same_every_time(folder: hostile.Manifest, tmp_path: Path) -> None:
    assert len(folder.entries) >= 1000
    assert len(set(folder.entries)) == len(folder.entries)
    again = hostile.build(tmp_path / "again", count=1000)
    assert again.entries == folder.entries

    def contents(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.is_symlink()}

    assert contents(again.root) == contents(folder.root)


def test_every_entry_is_in_the_report_with_a_status(hostile_run: Run, folder: hostile.Manifest) -> None:
    files = hostile_run.json("report.json")["files"]
    paths = [f["path"] for f in files]
    assert len(paths) == len(set(paths))
    assert sorted(paths) == sorted(folder.entries)
    for entry in files:
        assert entry["status"] in {"read", "skipped", "failed"}
        if entry["status"] != "read":
            assert entry["reason"], entry
        else:
            assert entry["articles"] >= 1, entry
    counts = Counter(f["status"] for f in files)
    assert counts["read"] > 600 and counts["skipped"] > 80 and counts["failed"] > 30
    assert hostile_run.summary.failed == counts["failed"]


def test_expected_fates(hostile_run: Run) -> None:
    """A sample of the kinds, each with the fate and reason the issue asks for."""
    fate = {f["path"]: (f["status"], f["reason"] or "") for f in hostile_run.json("report.json")["files"]}

    def check(path: str, status: str, reason: str = "") -> None:
        assert fate[path][0] == status and reason in fate[path][1], (path, fate[path])

    check("empty/empty.txt", "skipped", "empty file")
    check("empty/empty.zip", "skipped", "empty file")
    check("special/pipe.txt", "skipped", "named pipe")
    check("special/zero.txt", "skipped", "device")
    check("links/self.txt", "skipped", "symlink loop")
    check("links/a.txt", "skipped", "symlink loop")
    check("links/dangling.txt", "skipped", "broken symlink")
    check("links/up", "skipped", "symlink loop")
    check("links/alias.txt", "read")
    check("hidden/.git", "skipped", "hidden")
    check("huge/over_limit.txt", "skipped", "size limit")
    check("huge/one_line.txt", "read")
    check("deep/arrays.json", "failed", "nested too deeply")
    check("deep/divs.html", "read")
    check("lookalike/report.json", "read")
    check("weird_names/new\nline.txt", "read")
    check("weird_names/bad\\xff\\xfename.txt", "read")
    zips = {p: v for p, v in fate.items() if p.startswith("zips/")}
    assert any("CRC" in reason for _, reason in zips.values())  # the zip bomb that lied about its size
    assert any("decompresses past 4x" in reason for _, reason in zips.values())
    assert any("compression method 12" in reason for _, reason in zips.values())


def test_good_articles_claims_are_those_of_a_run_on_them_alone(hostile_run: Run, good_run: Run) -> None:
    def good_claims(done: Run) -> list[dict[str, Any]]:
        features = done.json("claims.geojson")["features"]
        return [f for f in features if f["properties"]["article"].startswith(hostile.GOOD + "/")]

    alone = good_claims(good_run)
    assert len(alone) >= 8
    assert {f["properties"]["article"].split("#")[0] for f in alone} >= {
        "good/01_wire.txt", "good/02_summary.md", "good/03_page.html", "good/04_feed.json", "good/05_utf16.txt",
        "good/06_bundle.zip/summary.txt"}
    assert good_claims(hostile_run) == alone


def test_undated_articles_are_kept_with_a_warning(hostile_run: Run) -> None:
    report = hostile_run.json("report.json")
    undated = {a["path"]: a for a in report["articles"] if a["path"].startswith("undated/")}
    assert set(undated) == {"undated/2023-07-07.txt", "undated/2023-07-07_assessment.html", "undated/20230707.md"}
    for article in undated.values():
        assert article["published"] is None
        assert "undated" in (article["warning"] or "")
    claims = [f for f in hostile_run.json("claims.geojson")["features"]
              if f["properties"]["article"].startswith("undated/")]
    assert claims and all(f["properties"]["date"] is None for f in claims)


def test_hostile_text_adds_no_markup_to_the_map(hostile_run: Run) -> None:
    """The payloads' text is in the map, but only inside its JSON data documents, where every
    ``<`` is written ``\\u003c`` and the browser runs nothing; nowhere else."""
    page = (hostile_run.out / "map.html").read_text(encoding="utf-8")
    spans = [(m.end(), page.index("</script>", m.end()))
             for m in re.finditer(r'<script type="application/json"[^>]*>', page)]
    assert spans
    outside = "".join(page[a:b] for a, b in zip([0] + [b for _, b in spans], [a for a, _ in spans] + [len(page)],
                                                  strict=True))
    # Leaflet itself has "onerror=" and "onload=": the tokens are the payloads' own.
    for token in ("__pwned", "onerror=window", 'onerror="window', "onmouseover=window", "ontoggle=window",
                  "onload=window", "mglyph", "display:none}", "javascript:window", "javascript:alert", "vbscript:",
                  "PHNjcmlwdD5", "+ADw-script", "<scr<script>"):
        assert token not in outside, token
    assert page.count("__pwned") > 100  # the text is there, as data
    for a, b in spans:
        assert "<" not in page[a:b]


def test_outputs_hold_no_paths_or_times_of_the_machine(hostile_run: Run) -> None:
    today = dt.date.today().isoformat()
    for name, data in hostile_run.bytes().items():
        text = data.decode("utf-8")  # every output is valid UTF-8, whatever the names and bytes read
        assert str(hostile_run.input) not in text, name
        assert str(hostile_run.out) not in text, name
        assert today not in text, name


# --------------------------------------------------------------------------------------------
# Reproducibility


def test_examples_give_the_same_bytes_however_the_path_is_spelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twice from the absolute path, once from a relative one in another working directory,
    once with the folder spelled "." from inside it: byte-identical outputs."""
    articles = tmp_path / "work" / "articles"
    shutil.copytree(examples_dir(), articles)
    config = Config(cache=False)
    first = _run(articles, tmp_path / "o1", config).bytes()
    assert _run(articles, tmp_path / "o2", config).bytes() == first
    monkeypatch.chdir(tmp_path / "work")
    assert _run(Path("articles"), Path("../o3"), config).bytes() == first
    monkeypatch.chdir(articles)
    assert _run(Path(), tmp_path / "o4", config).bytes() == first
    monkeypatch.chdir(tmp_path)
    assert _run(Path("work/../work/articles/"), Path("o5"), config).bytes() == first
    for data in first.values():
        assert str(tmp_path).encode() not in data


def test_hostile_folder_gives_the_same_bytes_twice(
    hostile_run: Run, folder: hostile.Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder.root.parent)
    again = _run(Path(folder.root.name), tmp_path / "again")
    assert again.bytes() == hostile_run.bytes()


def test_cached_rerun_gives_the_same_bytes(folder: hostile.Manifest, hostile_run: Run, tmp_path: Path) -> None:
    config = Config(max_file_bytes=hostile.MAX_FILE_BYTES, cache=True, cache_dir=tmp_path / "cache")
    first = _run(folder.root, tmp_path / "c1", config)
    second = _run(folder.root, tmp_path / "c2", config)  # with files from the cache (if nothing changed)
    assert first.bytes()["claims.geojson"] == second.bytes()["claims.geojson"] == hostile_run.bytes()["claims.geojson"]
    assert first.bytes()["map.html"] == second.bytes()["map.html"] == hostile_run.bytes()["map.html"]


# --------------------------------------------------------------------------------------------
# The CLI on messy input: exit status and one-line messages


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_cli_exit_1_when_some_files_failed(folder: hostile.Manifest, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["map", str(folder.root), "-o", str(tmp_path / "o"), "--no-cache",
                                       "--max-file-mb", str(hostile.MAX_FILE_BYTES / 1024 / 1024)])
    assert result.exit_code == 1, result.output
    assert "failed" in result.stdout and "see report.json" in result.stderr


def test_cli_exit_0_when_only_skips(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(examples_dir(), folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "undated.txt").write_text("Russian forces attacked Kherson, officials said.", encoding="utf-8")
    result = CliRunner().invoke(main, ["map", str(folder), "-o", str(tmp_path / "o"), "--no-cache"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert {f["path"]: f["status"] for f in report["files"] if f["status"] != "read"} == {
        "dangling.txt": "skipped", "empty.txt": "skipped", "scan.pdf": "skipped"}


@pytest.mark.parametrize(("args", "expected"), [
    (["map", "{tmp}/nope"], "no such file or folder"),
    (["map", "--no-such-option"], "No such option '--no-such-option'"),
    (["map", "--max-file-mb", "-1"], "--max-file-mb"),
    (["map", "--max-file-mb", "lots"], "--max-file-mb"),
    (["map", "{examples}", "-o", "{tmp}/file"], "exists and is not a folder"),
    (["map", "{examples}", "-o", "{tmp}/file/sub"], "cannot create the output folder"),
    (["nosuchcommand"], "No such command"),
])
def test_cli_usage_errors_are_one_line_and_exit_2(args: list[str], expected: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    args = [a.format(tmp=tmp_path, examples=examples_dir()) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    line = _one_line(result.stderr)
    assert line.startswith("frontmap: ") and expected in line
    assert result.stdout.strip() == ""
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------
# Output safety


def test_a_symlinked_output_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victims = {}
    for name in OUTPUT_FILES:
        victim = elsewhere / f"victim-{name}"
        victim.write_text("precious", encoding="utf-8")
        (out / name).symlink_to(victim)
        victims[name] = victim
    _run(examples_dir(), out, Config(cache=False))
    for name, victim in victims.items():
        assert victim.read_text(encoding="utf-8") == "precious", name
        assert not (out / name).is_symlink() and (out / name).is_file(), name
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(f"victim-{n}" for n in OUTPUT_FILES)


def test_output_names_are_fixed_whatever_the_articles_are_called(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("../../escape.txt".replace("/", "_"), "map.html", "report.json", "claims.geojson"):
        (folder / name).write_text("date: 2023-07-07\n\nRussian forces attacked Kherson.", encoding="utf-8")
    out = tmp_path / "out"
    _run(folder, out, Config(cache=False))
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


class _InterruptedError(OSError):
    pass


def _fail_writes_of(monkeypatch: pytest.MonkeyPatch, name: str, *, half: bool) -> None:
    """Make the atomic writer fail while writing ``name``: after half the bytes (a full disk),
    or after all of them, just before the rename."""
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise _InterruptedError(28, "No space left on device")

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.handle, attr)

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)
        target = Path(f"/proc/self/fd/{fd}").readlink()
        if target.name.startswith(f".{name}."):
            if half:
                return HalfWriter(handle)
            real_fsync = os.fsync

            def fsync(descriptor: int) -> None:
                real_fsync(descriptor)
                raise _InterruptedError(5, "Input/output error")

            monkeypatch.setattr(fileio.os, "fsync", fsync)
        return handle

    monkeypatch.setattr(fileio.os, "fdopen", fdopen)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file is written")
@pytest.mark.parametrize("half", [True, False])
def test_an_interrupted_write_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, half: bool
) -> None:
    target = tmp_path / "map.html"
    fileio.atomic_write_text(target, "<html>the complete previous map</html>")
    _fail_writes_of(monkeypatch, "map.html", half=half)
    with pytest.raises(OutputError) as info:
        fileio.atomic_write_text(target, "<html>" + "x" * 100_000 + "</html>")
    assert "\n" not in str(info.value)
    assert target.read_text(encoding="utf-8") == "<html>the complete previous map</html>"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary file left behind


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file is written")
def test_a_run_interrupted_while_writing_the_map_keeps_the_last_complete_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["map", "-o", str(out), "--quiet", "--no-cache"])
    assert result.exit_code == 0, result.output
    before = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    folder = tmp_path / "in"
    shutil.copytree(examples_dir(), folder)
    (folder / "extra.txt").write_text("date: 2024-06-01\n\nRussian forces attacked Kherson, officials said.",
                                      encoding="utf-8")
    _fail_writes_of(monkeypatch, "map.html", half=True)
    result = CliRunner().invoke(main, ["map", str(folder), "-o", str(out), "--quiet", "--no-cache"])
    assert result.exit_code == 1
    assert "map.html: cannot write: No space left on device" in _one_line(result.stderr)
    assert (out / "map.html").read_bytes() == before["map.html"]
    assert (out / "report.json").read_bytes() == before["report.json"]  # written last: not reached
    leftovers = [p.name for p in out.iterdir() if p.name not in OUTPUT_FILES]
    assert leftovers == [], leftovers


# --------------------------------------------------------------------------------------------
# Template syntax in articles


def test_template_syntax_in_articles_is_only_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, payload in enumerate(hostile.TEMPLATE_PAYLOADS):
        (folder / f"t{n}.txt").write_text(
            f"title: {payload}\ndate: 2023-07-07\nsource: {payload}\n\n"
            f"Russian forces attacked Kherson {payload} on Tuesday, the general staff said.", encoding="utf-8")
    marker = tmp_path / "cwd-marker-dir"
    marker.mkdir()
    monkeypatch.chdir(marker)
    done = _run(folder, tmp_path / "out", Config(cache=False))
    page = (done.out / "map.html").read_text(encoding="utf-8")
    # The renderer writes "{" of article text as \u007b (JSON) or &#123; (HTML): read it back.
    page = page.replace("\\u007b", "{").replace("&#123;", "{")
    assert "tmpl1337" not in page  # {{ 'tm' ~ 'pl' ~ 7*191 }}
    assert "cwd-marker-dir" not in page  # {{ cycler.__init__.__globals__.os.getcwd() }}
    assert "evaluated" not in page.replace("{% if true %}evaluated", "")
    quotes = [f["properties"]["quote"] for f in done.json("claims.geojson")["features"]]
    assert any("{{ 'tm' ~ 'pl' ~ 7*191 }}" in q for q in quotes)

