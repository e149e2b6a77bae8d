"""Benchmark of the gazetteer: cold start, lookup and candidates rates, memory.

    python bench/bench_gazetteer.py [--repeat 5] [--json]

Prints the figures; nothing is asserted (performance claims come from here, not from tests).
Targets (issue 3): cold start < 0.5 s, lookup > 200,000 keys/s, loaded size < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One fresh interpreter: import, load the shipped gazetteer, answer one lookup and one query.
_COLD = """
import time
t0 = time.perf_counter()
from frontmap.gazetteer import Gazetteer, normalize
g = Gazetteer.load(include_user=False)
t1 = time.perf_counter()
g.lookup(normalize("Klishchiivka"))
t2 = time.perf_counter()
g.candidates("Kleshcheevka")
t3 = time.perf_counter()
print(t1 - t0, t2 - t0, t3 - t0)
"""

# Memory: RSS before and after loading (and after a query touched the lazy parts), from /proc.
# tracemalloc keeps a record per allocation, which itself costs about as much memory as the
# gazetteer: it runs in a second process, so that the RSS figures are those of a real run.
_MEMORY = """
def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

import frontmap.gazetteer.store, frontmap.records, rapidfuzz.process
before = rss_kb()
from frontmap.gazetteer import Gazetteer
g = Gazetteer.load(include_user=False)
loaded = rss_kb()
g.candidates("Kleshcheevka")
g.candidates("Klishchiivkka")
for place in g:
    pass
full = rss_kb()
print(before, loaded, full)
"""

_TRACED = """
import tracemalloc
import frontmap.gazetteer.store, frontmap.records, rapidfuzz.process
tracemalloc.start()
from frontmap.gazetteer import Gazetteer
g = Gazetteer.load(include_user=False)
current, peak = tracemalloc.get_traced_memory()
print(current, peak)
"""


def _python() -> str:
    return sys.executable


def cold_start(repeat: int) -> dict[str, float]:
    """Median seconds (fresh subprocess) to a loaded gazetteer, first lookup, first candidates."""
    loads: list[float] = []
    lookups: list[float] = []
    queries: list[float] = []
    for _ in range(repeat):
        wall = time.perf_counter()
        out = subprocess.run(
            [_python(), "-c", _COLD], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        wall = time.perf_counter() - wall
        loads.append(float(out[0]))
        lookups.append(float(out[1]))
        queries.append(float(out[2]))
        del wall
    return {
        "load_s": statistics.median(loads),
        "first_lookup_s": statistics.median(lookups),
        "first_candidates_s": statistics.median(queries),
    }


def interpreter_start(repeat: int) -> float:
    """Median seconds of a bare ``python -c pass`` (the floor under the cold start)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([_python(), "-c", "pass"], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def rates() -> dict[str, float]:
    """Lookups/s over a mix of hits and misses, and candidates/s over varied queries."""
    from frontmap.gazetteer import Gazetteer, normalize
    from frontmap.gazetteer.store import iter_keys

    gaz = Gazetteer.load(include_user=False)
    rng = random.Random(3)
    keys = list(iter_keys(gaz))
    hits = rng.sample(keys, 50_000)
    # Misses look like a scanner's n-grams of ordinary prose.
    words = ["the", "troops", "advanced", "near", "village", "of", "south", "west", "said", "on", "forces"]
    misses = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(150_000)]
    probe = hits + misses
    rng.shuffle(probe)
    lookup = gaz.lookup
    for key in probe[:1000]:
        lookup(key)
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        for key in probe:
            lookup(key)
        best = max(best, len(probe) / (time.perf_counter() - t))

    normalise_t = time.perf_counter()
    raw = [k.title() for k in hits[:20_000]]
    normalize.cache_clear()
    for name in raw:
        normalize(name)
    normalise_rate = len(raw) / (time.perf_counter() - normalise_t)

    queries = [
        "Kleshcheevka", "Artyomovsk", "Bakhmut Raion", "Donetsk region", "the Kupiansk direction",
        "Avdiivka's outskirts", "Kakhovka Reservoir", "Dnipro River", "Zaporozhye", "Andriivka",
        "Novoselivka", "Lyman", "Kherson City", "Chasov Yar", "Ugledar",
    ]  # fmt: skip
    sample = [k.title() for k in rng.sample(keys, 2000)] + queries * 20
    gaz.candidates("warm up")
    t = time.perf_counter()
    for name in sample:
        gaz.candidates(name, limit=10)
    cand_rate = len(sample) / (time.perf_counter() - t)
    ctx = time.perf_counter()
    for name in sample[:1000]:
        gaz.candidates(name, admin1="Donetsk Oblast", near=(48.59, 38.0), limit=10)
    ctx_rate = 1000 / (time.perf_counter() - ctx)
    misses_fuzzy = [f"{k}q" for k in rng.sample(keys, 200)]
    t = time.perf_counter()
    for name in misses_fuzzy:
        gaz.candidates(name)
    fuzzy_rate = len(misses_fuzzy) / (time.perf_counter() - t)
    return {
        "lookup_per_s": best,
        "normalize_per_s": normalise_rate,
        "candidates_per_s": cand_rate,
        "candidates_with_context_per_s": ctx_rate,
        "candidates_fuzzy_fallback_per_s": fuzzy_rate,
        "keys": float(len(keys)),
        "places": float(len(gaz)),
    }


def memory() -> dict[str, float]:
    """Resident memory added by loading (MB), from /proc/self/status in a fresh process."""
    out = subprocess.run(
        [_python(), "-c", _MEMORY], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    before, loaded, full = (int(x) for x in out)
    traced = subprocess.run(
        [_python(), "-c", _TRACED], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    current, peak = (int(x) for x in traced)
    return {
        "rss_delta_loaded_mb": (loaded - before) / 1024,
        "rss_delta_all_touched_mb": (full - before) / 1024,
        "tracemalloc_loaded_mb": current / 2**20,
        "tracemalloc_peak_mb": peak / 2**20,
    }


def shipped_size() -> dict[str, float]:
    """Bytes of data/gazetteer."""
    folder = ROOT / "data" / "gazetteer"
    return {"shipped_mb": sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description="gazetteer benchmarks")
    parser.add_argument("--repeat", type=int, default=5, help="cold-start runs (median)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    figures: dict[str, float] = {"python_start_s": interpreter_start(args.repeat)}
    figures.update(cold_start(args.repeat))
    figures.update(rates())
    figures.update(memory())
    figures.update(shipped_size())
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value:,.3f}" if value < 1000 else f"{key:34} {value:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
