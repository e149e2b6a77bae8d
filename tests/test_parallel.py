"""Back-ends and streaming: every way of running gives the same bytes as the plain serial run.

The reference is the pipeline as it was before streaming: every article's records in memory,
``mark_contested`` over all claims, then sort, build the collections and ``dumps`` them. The
streaming spool, worker processes and a Dask LocalCluster must all reproduce it byte for byte.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from types import ModuleType

import pytest

from frontmap.config import Config
from frontmap.export import area_feature, claim_feature, dumps, feature_collection, place_features
from frontmap.extract.claims import mark_contested
from frontmap.gazetteer import Gazetteer
from frontmap.geometry import locate
from frontmap.ingest import read_folder
from frontmap.parallel import chunked, digest_chunk, open_backend, ordered_map
from frontmap.pipeline import process_article, run
from frontmap.records import Claim, Mention, Place
from frontmap.resources import examples_dir
from frontmap.stream import Spool

REPO = Path(__file__).resolve().parent.parent
COLLECTIONS = ("claims.geojson", "areas.geojson", "places.geojson")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated articles (bench/generate.py, seeded) in two sub-folders."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate = _generator()
    generate.PER_FOLDER = 30  # two sub-folders: the walk order must not matter either
    generate.generate(folder, 60, seed=7, jobs=1)
    return folder


def reference(folder: Path) -> dict[str, bytes]:
    """The three collections computed the pre-streaming way, all in memory."""
    config = Config()
    gazetteer = Gazetteer.load()
    results = [process_article(a, gazetteer) for item in read_folder(folder, config=config) for a in item.articles]
    articles = {r.article.path: r.article for r in results}
    located = [s for s in (locate(c) for c in mark_contested([c for r in results for c in r.claims])) if s]
    located.sort(key=lambda lc: (lc.claim.date.isoformat() if lc.claim.date else "9999", lc.claim.article,
                                 lc.claim.sentence, lc.claim.id))
    areas = [area_feature(lc, articles[lc.claim.article]) for lc in located]
    return {
        "claims.geojson": dumps(feature_collection(claim_feature(lc, articles[lc.claim.article]) for lc in located))
        .encode(),
        "areas.geojson": dumps(feature_collection(a for a in areas if a is not None)).encode(),
        "places.geojson": dumps(feature_collection(place_features([m for r in results for m in r.mentions])))
        .encode(),
    }


def outputs(folder: Path, out: Path, **options: object) -> dict[str, bytes]:
    run(folder, out, config=Config(quiet=True, **options))  # type: ignore[arg-type]
    return {name: (out / name).read_bytes() for name in (*COLLECTIONS, "report.json")}


def test_streaming_run_equals_the_in_memory_reference(tmp_path: Path, synthetic: Path) -> None:
    contested = 0
    for folder in (examples_dir(), synthetic):
        got = outputs(folder, tmp_path / folder.name, cache=False)
        expected = reference(folder)
        for name in COLLECTIONS:
            assert got[name] == expected[name], f"{folder.name}/{name}"
        features = json.loads(got["claims.geojson"])["features"]
        contested += sum(1 for f in features if f["properties"]["contested"])
    assert contested  # the spool's flip of "contested" was exercised


def test_jobs_2_gives_the_bytes_of_jobs_1(tmp_path: Path, synthetic: Path) -> None:
    for folder in (examples_dir(), synthetic):
        serial = outputs(folder, tmp_path / "serial" / folder.name, cache=False)
        parallel = outputs(folder, tmp_path / "jobs2" / folder.name, cache=False, jobs=2)
        assert parallel == serial, folder.name


def _dask_available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but dask[distributed] is not installed (it is in the test extra)")
        return False
    return True


def test_dask_local_cluster_of_2_gives_the_bytes_of_a_serial_run(tmp_path: Path, synthetic: Path) -> None:
    if not _dask_available():
        pytest.skip("dask[distributed] is not installed")
    serial = outputs(synthetic, tmp_path / "serial", cache=False)
    dask = outputs(synthetic, tmp_path / "dask", cache=False, dask_local=2)
    assert dask == serial


def test_dask_scheduler_address_is_used(tmp_path: Path) -> None:
    if not _dask_available():
        pytest.skip("dask[distributed] is not installed")
    from distributed import LocalCluster

    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(p.name for p in examples_dir().iterdir())[:3]:
        shutil.copy(examples_dir() / name, folder)
    serial = outputs(folder, tmp_path / "serial", cache=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = outputs(folder, tmp_path / "remote", cache=False, scheduler=cluster.scheduler_address)
    assert remote == serial


def test_a_failing_article_fails_its_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import frontmap.pipeline

    real = frontmap.pipeline.process_article

    def flaky(article, gazetteer):  # type: ignore[no-untyped-def]
        if "03_" in article.path:
            raise RuntimeError("boom")
        return real(article, gazetteer)

    monkeypatch.setattr(frontmap.pipeline, "process_article", flaky)
    summary = run(examples_dir(), tmp_path / "out", config=Config(quiet=True, cache=False))
    failed = [f for f in summary.files if f.status == "failed"]
    assert [f.path for f in failed] == [p.name for p in sorted(examples_dir().iterdir()) if p.name.startswith("03_")]
    assert failed[0].reason == "extraction failed: RuntimeError: boom"
    assert summary.articles == len(summary.files) - 1


def test_digest_chunk_reports_errors_in_place() -> None:
    items = list(read_folder(examples_dir(), config=Config()))
    articles = [a for item in items[:2] for a in item.articles]
    out = digest_chunk(articles)
    assert [d.path for d in out if not isinstance(d, str)] == [a.path for a in articles]


def test_ordered_map_keeps_order_and_bounds_the_window() -> None:
    submitted: list[int] = []
    in_flight: list[int] = []
    pending: list[Future[int]] = []

    def submit(task: int) -> Future[int]:
        submitted.append(task)
        future: Future[int] = Future()
        pending.append(future)
        in_flight.append(len(submitted) - len(taken))
        future.set_result(task * 10)
        return future

    taken: list[int] = []
    for result in ordered_map(submit, range(10), window=3):
        taken.append(result)
    assert taken == [i * 10 for i in range(10)]
    assert max(in_flight) <= 3


def test_chunked() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


def test_bad_backend_options_are_config_errors() -> None:
    from frontmap.errors import ConfigError

    with pytest.raises(ConfigError), open_backend(jobs=0):
        pass


# --------------------------------------------------------------------------------------------
# Contested marking in the spool: place by place, run of dates by run of dates


def _claim(n: int, place: str | None, date: dt.date | None, claimant: str, action: str, actor: str,
           denied: bool = False) -> Claim:
    mention = Mention(article="a", text="X", start=0, end=1, sentence=0, key="x",
                      place=None if place is None else Place(id=place, name=place, lat=0.0, lon=0.0,
                                                             feature_class="P", feature_code="PPL"))
    return Claim(id=f"{n:016x}", article="a", sentence=n, quote="q", claimant=claimant, claimant_name=None,
                 actor=actor, action=action, place=mention, date=date, denied=denied)


def _claims() -> Iterator[Claim]:
    day = dt.date(2023, 7, 1)
    yield _claim(0, "p1", day, "Ukraine", "advance", "Ukraine")
    yield _claim(1, "p1", day + dt.timedelta(days=3), "Russia", "repel", "Russia")  # within 3 days
    yield _claim(2, "p1", day + dt.timedelta(days=8), "Russia", "repel", "Russia")  # too late
    yield _claim(3, "p2", day, "Ukraine", "capture", "Ukraine")
    yield _claim(4, "p2", None, "Russia", "hold", "Russia")  # undated: contradicts any date
    yield _claim(5, "p3", day, "Russia", "capture", "Russia")
    yield _claim(6, "p3", day, "Ukraine", "capture", "Russia", denied=True)
    yield _claim(7, None, day, "Russia", "repel", "Russia")
    yield _claim(8, "p4", day + dt.timedelta(days=20), "Ukraine", "advance", "Ukraine")
    yield _claim(9, "p4", day + dt.timedelta(days=16), "Russia", "hold", "Russia")
    yield _claim(10, "p4", day + dt.timedelta(days=12), "Ukraine", "advance", "Ukraine")


def test_spool_contested_flags_equal_mark_contested(tmp_path: Path) -> None:
    from frontmap.stream import Digest

    claims = list(_claims())
    rows = tuple((c.date.isoformat() if c.date else None, c.sentence, c.id,
                  c.place.place.id if c.place is not None and c.place.place is not None else None,
                  c.claimant, c.actor, c.action, c.denied, None, None) for c in claims)
    with Spool(tmp_path) as spool:
        spool.add(Digest("a", None, None, None, 0, len(rows), 0, 0, rows, ""))
        flags = list(spool.contested())
    assert flags == [int(c.contested) for c in mark_contested(claims)]
    assert sum(flags) >= 6
    assert not list(tmp_path.glob(".frontmap-spool-*"))  # spill files removed


def test_spool_order_is_the_pipeline_sort(tmp_path: Path) -> None:
    """(date or "9999", article path, sentence, id), whatever order the articles came in."""
    from frontmap.stream import Digest

    paths = ["a/x.txt", "a b/x.txt", "z.jsonl#10", "z.jsonl#9"]
    dates = ["2023-07-02", None, "2023-07-01", "2024-01-01"]
    rows_by_path = {
        path: tuple((dates[(i + n) % 4], n % 2, f"{(i * 7 + n * 13) % 97:016x}", None, "Ukraine", None,
                     "advance", False, '{"f":1}', None) for n in range(4))
        for i, path in enumerate(paths)
    }
    for odd in (False, True):
        with Spool(tmp_path) as spool:
            everything = []
            for path in paths:
                rows = rows_by_path[path]
                if odd:  # one id that is not 16 hex digits: ids sort as strings
                    rows = ((*rows[0][:2], "Z-odd", *rows[0][3:]), *rows[1:])
                spool.add(Digest(path, None, None, None, 0, len(rows), 0, 0, rows, ""))
                everything.extend((r[0] or "9999", path, r[1], r[2]) for r in rows)
            expected = sorted(range(len(everything)), key=lambda k: everything[k])
            assert spool.order().tolist() == expected
