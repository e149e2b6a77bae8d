"""End-to-end benchmark of ``frontmap map``: throughput per stage, peak memory, and the floor.

    python bench/run.py [--articles 10000] [--jobs 1] [--corpus DIR] [--seed 1]
                        [--dask-local N] [--map auto|full|skip] [--map-cap 20000] [--json FILE]

Without ``--corpus`` a corpus of ``--articles`` articles is generated once (bench/generate.py,
seeded) under ``$FRONTMAP_BENCH_DIR`` (default ``/tmp/frontmap-bench``) and reused.

Measured, each in a fresh interpreter so that memory figures are the run's own:

* **frontmap**: :func:`frontmap.pipeline.run` as the CLI calls it, with the cache off. Stages:
  ``ingest`` (reading and parsing files, main process), ``extract`` (sentences + places + claims,
  CPU seconds summed over workers), ``geometry`` (locating claims and encoding their GeoJSON,
  CPU seconds summed over workers), ``export`` (contested marking, sorting, writing the three
  GeoJSON files), ``map`` (reading them back and writing map.html). End to end: wall-clock
  seconds, articles/s, articles/s per worker, input MB/s. Peak memory: the main process's peak
  RSS, and the peak of the RSS summed over the whole process tree (workers included), sampled
  every 0.1 s from /proc.
* **map**: with ``--map skip`` (or ``auto`` above 2,000 articles, where the map is the renderer's
  concern, not the pipeline's) the run writes a stub map, and the map is timed separately on the
  first ``--map-cap`` claims of the run's own claims.geojson.
* **floor**: reading the same files and scanning each once for every gazetteer name with an
  Aho-Corasick automaton (pyahocorasick: ``pip install 'frontmap[bench]'``) over the lower-cased
  text: the least work any place-name extractor must do. frontmap's end-to-end time is reported
  as a ratio to it (building the automaton is reported apart, like frontmap's gazetteer load).
* **cache**: ``--rerun`` runs twice with the cache on, changing one article in between, and
  reports the second run's time.

Nothing is asserted: performance claims come from here, never from timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("FRONTMAP_BENCH_DIR", "/tmp/frontmap-bench"))

# --------------------------------------------------------------------------------------------
# Code run in fresh interpreters (strings, so that each measurement starts from nothing).

_RUN = r"""
import json, resource, sys, time
from pathlib import Path
args = json.loads(sys.argv[1])
import frontmap.pipeline as pipeline
from frontmap.config import Config
if args["stub_map"]:
    import frontmap.render
    frontmap.render.render_map = lambda *a, **k: "<!doctype html><title>stub</title>\n"
    # The stub must not read the collections back either: that is part of drawing the map.
    pipeline._read_collection = lambda path: {"type": "FeatureCollection", "features": []}
config = Config(quiet=True, cache=args["cache"], jobs=args["jobs"], dask_local=args["dask_local"],
                cache_dir=Path(args["cache_dir"]) if args["cache_dir"] else None)
t0 = time.perf_counter()
summary = pipeline.run(Path(args["corpus"]), Path(args["out"]), config=config)
wall = time.perf_counter() - t0
print(json.dumps({
    "wall_s": wall, "timings": summary.timings, "articles": summary.articles, "claims": summary.claims,
    "located": summary.located, "files": len(summary.files), "cached_files": len(summary.cached_files),
    "backend": summary.backend, "workers": summary.workers,
    "main_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

_FLOOR = r"""
import json, os, sys, time
import ahocorasick
from frontmap.gazetteer import Gazetteer
from frontmap.gazetteer.store import iter_keys
corpus = sys.argv[1]
t0 = time.perf_counter()
automaton = ahocorasick.Automaton()
for key in iter_keys(Gazetteer.load(include_user=False)):
    automaton.add_word(key, len(key))
automaton.make_automaton()
build = time.perf_counter() - t0
paths = []
for folder, dirs, files in os.walk(corpus):
    dirs.sort()
    paths.extend(os.path.join(folder, f) for f in sorted(files) if not f.startswith("."))
t0 = time.perf_counter()
hits = 0
size = 0
for path in paths:
    with open(path, "rb") as handle:
        data = handle.read()
    size += len(data)
    for _end, _length in automaton.iter(data.decode("utf-8", "replace").lower()):
        hits += 1
scan = time.perf_counter() - t0
print(json.dumps({"build_s": build, "scan_s": scan, "files": len(paths), "bytes": size, "hits": hits,
                  "keys": len(automaton)}))
"""

_MAP = r"""
import json, resource, sys, time
from pathlib import Path
from frontmap.config import Config
from frontmap.fileio import atomic_write_text
from frontmap.render import render_map

def features(path):
    # One Feature at a time (the files can be gigabytes: never json.load them whole).
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8") as handle:
        buffer = handle.read(1 << 20)
        at = buffer.index("[") + 1
        while True:
            while at < len(buffer) and buffer[at] in ", \n":
                at += 1
            if at < len(buffer) and buffer[at] == "]":
                return
            try:
                feature, end = decoder.raw_decode(buffer, at)
            except json.JSONDecodeError:
                more = handle.read(1 << 20)
                if not more:
                    raise
                buffer, at = buffer[at:] + more, 0
                continue
            yield feature
            at = end

out, cap = Path(sys.argv[1]), int(sys.argv[2])
t0 = time.perf_counter()
claims = []
for feature in features(out / "claims.geojson"):
    if len(claims) >= cap:
        break
    claims.append(feature)
kept = {f["id"] for f in claims}
areas = []
for feature in features(out / "areas.geojson"):  # in the claims' order: stop past the kept ones
    if feature["id"] not in kept:
        break
    areas.append(feature)
articles = {f["properties"]["article"] for f in claims}
places = [f for f in features(out / "places.geojson") if f["properties"]["article"] in articles]
read = time.perf_counter() - t0
collections = [{"type": "FeatureCollection", "features": x} for x in (claims, areas, places)]
t0 = time.perf_counter()
html = render_map(*collections, title="bench", as_of=None, config=Config())
atomic_write_text(out / "map-capped.html", html)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"claims": len(claims), "areas": len(areas), "places": len(places), "read_s": read,
                  "map_s": time.perf_counter() - t0, "bytes": len(html.encode()), "peak_rss_mb": peak}))
"""


# --------------------------------------------------------------------------------------------
# Memory of a process tree, sampled from /proc


def _children(pid: int) -> list[int]:
    """Child processes of every thread of ``pid`` (Dask's nanny starts workers from a thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _rss_kb(pid: int) -> tuple[int, int]:
    rss = hwm = 0
    try:
        with Path(f"/proc/{pid}/status").open() as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class TreeMemory(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, each one's VmHWM, and each
    one's CPU time (the last reading before it exits: CPU seconds are what a loaded machine
    distorts least, so per-core throughput is read from them)."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        self.peak_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            total = 0
            stack = [self.pid]
            while stack:
                pid = stack.pop()
                rss, hwm = _rss_kb(pid)
                total += rss
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), hwm)
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_s(pid))
                stack.extend(_children(pid))
            self.peak_kb = max(self.peak_kb, total)
            self.done.wait(self.every)

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu.values())


def _python(code: str, *args: str) -> tuple[dict[str, Any], TreeMemory]:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    memory = TreeMemory(proc.pid)
    memory.start()
    out, _ = proc.communicate()
    memory.done.set()
    memory.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), memory


# --------------------------------------------------------------------------------------------


def corpus_for(args: argparse.Namespace) -> Path:
    if args.corpus is not None:
        return Path(args.corpus)
    folder = BENCH_DIR / f"corpus-{args.articles}-s{args.seed}"
    marker = BENCH_DIR / f"{folder.name}.complete"  # beside it: inside, ingest would account for it
    if not marker.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from generate import generate

        t0 = time.perf_counter()
        written = generate(folder, args.articles, seed=args.seed, jobs=os.cpu_count() or 1)
        marker.write_text(f"{args.articles} {written}\n")
        print(f"generated {args.articles} articles ({written / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s"
              f" -> {folder}", file=sys.stderr)
    return folder


def corpus_size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            files += 1
            size += path.stat().st_size
    return files, size


def run_frontmap(corpus: Path, out: Path, *, jobs: int, dask_local: int, stub_map: bool, cache: bool,
                 cache_dir: Path | None = None) -> tuple[dict[str, Any], TreeMemory]:
    spec = {"corpus": str(corpus), "out": str(out), "jobs": jobs, "dask_local": dask_local, "stub_map": stub_map,
            "cache": cache, "cache_dir": str(cache_dir) if cache_dir else None}
    return _python(_RUN, json.dumps(spec))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=None, help="an existing folder of articles")
    parser.add_argument("--jobs", "-j", type=int, default=1)
    parser.add_argument("--dask-local", type=int, default=0, metavar="N")
    parser.add_argument("--map", choices=("auto", "full", "skip"), default="auto")
    parser.add_argument("--map-cap", type=int, default=20_000, help="claims drawn when the map is timed apart")
    parser.add_argument("--no-floor", action="store_true", help="skip the Aho-Corasick floor")
    parser.add_argument("--rerun", action="store_true", help="also time an incremental re-run (one file changed)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: under the bench dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    corpus = corpus_for(args)
    files, size = corpus_size(corpus)
    out = args.out or BENCH_DIR / f"out-{corpus.name}-j{args.jobs}-d{args.dask_local}"
    stub = args.map == "skip" or (args.map == "auto" and files > 2000)
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_before": os.getloadavg()},
        "corpus": {"path": str(corpus), "files": files, "mb": round(size / 1e6, 2)},
        "options": {"jobs": args.jobs, "dask_local": args.dask_local, "map": "stub" if stub else "full"},
    }

    run, memory = run_frontmap(corpus, out, jobs=args.jobs, dask_local=args.dask_local, stub_map=stub, cache=False)
    t = run["timings"]
    wall = run["wall_s"]
    workers = max(1, run["workers"])
    n = run["articles"]

    def rate(seconds: float | None) -> dict[str, float | None]:
        if not seconds:
            return {"s": seconds, "articles_per_s": None, "mb_per_s": None}
        return {"s": round(seconds, 3), "articles_per_s": round(n / seconds, 1),
                "mb_per_s": round(size / 1e6 / seconds, 2)}

    result["frontmap"] = {
        "articles": n, "claims": run["claims"], "located": run["located"], "backend": run["backend"],
        "workers": workers,
        "stages": {
            "gazetteer": {"s": t.get("gazetteer_s")},
            "ingest": rate(t.get("ingest_s")),
            "extract_cpu": rate(t.get("extract_cpu_s")),
            "geometry_cpu": rate(t.get("geometry_cpu_s")),
            "extract_loop_wall": rate(t.get("extract_s")),
            "export": rate(t.get("export_s")),
            "map": {"s": t.get("map_s"), "stub": stub},
        },
        "end_to_end": rate(wall) | {"articles_per_s_per_worker": round(n / wall / workers, 1),
                                    "cpu_s": round(memory.cpu_s, 2),
                                    "articles_per_cpu_s": round(n / memory.cpu_s, 1) if memory.cpu_s else None},
        "peak_rss_mb": {"main": round(run["main_peak_rss_mb"], 1), "tree_sum": round(memory.peak_kb / 1024, 1),
                        "sum_of_process_peaks": round(sum(memory.hwm_kb.values()) / 1024, 1)},
        "outputs_mb": {name: round((out / name).stat().st_size / 1e6, 2)
                       for name in ("claims.geojson", "areas.geojson", "places.geojson", "map.html")},
    }
    if stub:
        mapped, _ = _python(_MAP, str(out), str(args.map_cap))
        result["map"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in mapped.items()}

    if not args.no_floor:
        floor, _ = _python(_FLOOR, str(corpus))
        result["floor"] = {
            "automaton_build_s": round(floor["build_s"], 3), "keys": floor["keys"], "hits": floor["hits"],
            "scan": {"s": round(floor["scan_s"], 3), "articles_per_s": round(floor["files"] / floor["scan_s"], 1),
                     "mb_per_s": round(floor["bytes"] / 1e6 / floor["scan_s"], 2)},
            "ratio_end_to_end": round(wall / floor["scan_s"], 1),
            "ratio_per_worker": round(wall * workers / floor["scan_s"], 1),
            "ratio_cpu": round(memory.cpu_s / floor["scan_s"], 1),
        }

    if args.rerun:
        cache_dir = BENCH_DIR / f"cache-{corpus.name}"
        first, _ = run_frontmap(corpus, out, jobs=args.jobs, dask_local=args.dask_local, stub_map=stub, cache=True,
                                cache_dir=cache_dir)
        victim = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))[0]
        original = victim.read_bytes()
        try:
            victim.write_bytes(original + b"\nUkrainian forces repelled Russian attacks near Bakhmut.\n")
            again, _ = run_frontmap(corpus, out, jobs=args.jobs, dask_local=args.dask_local, stub_map=stub,
                                    cache=True, cache_dir=cache_dir)
        finally:
            victim.write_bytes(original)
        result["rerun"] = {"first_s": round(first["wall_s"], 2), "rerun_s": round(again["wall_s"], 2),
                           "cached_files": again["cached_files"], "files": again["files"],
                           "export_s": again["timings"].get("export_s"), "ingest_s": again["timings"].get("ingest_s")}

    print(json.dumps(result, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
