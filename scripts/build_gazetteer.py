"""Build the shipped gazetteer (data/gazetteer/) from the sources in ../shared/gazetteer-src.

    python scripts/build_gazetteer.py [--src DIR] [--out DIR]

Writes, in the 19-column GeoNames layout:

- ``UA.txt.gz``: the GeoNames Ukraine rows frontmap needs (all populated places, oblasts, raions
  and hromadas, the natural features and works that reports name), with the Ukrainian, Russian,
  English and undetermined names of Who's On First merged into the alternate names;
- ``UA-wof.txt.gz``: the few WOF localities that GeoNames lacks (ids ``wof:<id>``);
- ``index.fmi``: the compiled lookup index (rebuilt from the two files above);
- ``ATTRIBUTION``: sources, licences, dates and commits.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import time
from pathlib import Path

from frontmap.gazetteer.geonames import GeoNamesRow, read_rows, write_rows
from frontmap.gazetteer.index import INDEX_NAME, compile_rows, write_index
from frontmap.gazetteer.store import source_info
from frontmap.gazetteer.wof import iter_wof, merge_names, wof_only_rows

logger = logging.getLogger("frontmap")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "gazetteer-src"
DEFAULT_OUT = ROOT / "data" / "gazetteer"

# Feature codes kept besides every populated place (class P). Chosen for what war reporting names:
# admin units, water bodies and crossings, heights and islands, forests, airfields, dams and
# plants. Railway stations, hotels, streets, landings and the like are left out: they repeat town
# names and would only add ambiguity.
KEEP_CODES: dict[str, frozenset[str] | None] = {
    "P": None,
    "A": frozenset({"ADM1", "ADM2", "ADM3"}),
    "H": frozenset(
        {
            "STM", "STMA", "STMC", "STMI", "STMX", "STMM", "STMS", "STMSB",
            "RSV", "LK", "LKN", "LKI", "LKNI", "LKO", "LGN",
            "CNL", "BAY", "ESTY", "GULF", "STRT", "CHN", "HBR", "INLT", "RVN", "SWMP", "MRSH",
        }
    ),
    "T": frozenset(
        {
            "HLL", "HLLS", "MT", "MTS", "MND", "RDGE", "UPLD", "ISL", "ISLS", "ISLET",
            "SPIT", "PEN", "CAPE", "PT", "ISTH", "PLN", "VAL", "GRGE", "PASS",
        }
    ),
    "V": None,
    "L": frozenset({"AREA", "RGN", "RGNL", "PRT", "MILB"}),
    "S": frozenset({"AIRP", "AIRB", "AIRF", "AIRQ", "BDG", "DAM", "DAMQ", "PS", "PSH", "PSN", "MSTY"}),
}
WOF_LANGUAGES = ("ukr", "rus", "eng", "und")

ATTRIBUTION = """\
frontmap gazetteer (data/gazetteer/) - sources and licences
==========================================================

UA.txt.gz, index.fmi
    GeoNames, geonames.org, licensed under CC BY 4.0
    (https://creativecommons.org/licenses/by/4.0/).
    Ukraine country dump UA.zip dated {gn_date}, sha256 {gn_sha}
    (as re-hosted unmodified by GitHub pikytkin/Zemlevlasnyk, data/UA.zip,
    commit 4b2967812c8f6560c05debb111195881fc32fe4d).
    Changes: only the feature classes/codes frontmap uses are kept; names from
    Who's On First (below) are appended to the alternatenames column.

UA-wof.txt.gz, and names merged into UA.txt.gz
    Who's On First, whosonfirst.org, licensed under CC BY (composite; see
    https://whosonfirst.org/docs/licenses/). Includes data from GeoNames (CC BY),
    Quattroshapes (CC BY), Natural Earth (public domain) and Wikidata (CC0).
    Snapshot: whosonfirst-data/whosonfirst-data-admin-ua,
    commit 18b5ee31d6cd4915e627fbf7f3def46e66e440d5 (2025-01-20).
    Changes: flattened to a TSV extract; names of languages {languages} only;
    records farther than 10 km from their GeoNames point, or whose names disagree
    with it, lend no names.

Built by scripts/build_gazetteer.py from ../shared/gazetteer-src (collected 2026-11-25).
"""


def keep(row: GeoNamesRow) -> bool:
    """Whether a GeoNames row belongs in the shipped gazetteer."""
    codes = KEEP_CODES.get(row.feature_class, frozenset())
    return codes is None or row.feature_code in codes


def build(src: Path, out: Path) -> dict[str, object]:
    """Build the gazetteer files from ``src`` into ``out``; return a summary."""
    t0 = time.perf_counter()
    zip_path = src / "geonames" / "UA.zip"
    wof_path = src / "wof" / "wof-admin-ua-places.tsv.gz"
    all_rows = read_rows(zip_path)
    rows = [row for row in all_rows if keep(row)]
    logger.info("GeoNames: %d of %d rows kept", len(rows), len(all_rows))

    records = list(iter_wof(wof_path))
    rows, stats = merge_names(rows, records, languages=WOF_LANGUAGES, max_km=10.0)
    logger.info(
        "WOF names: %d records point at kept rows, %d merged (%d names), %d too far, %d disagreeing",
        stats.records, stats.merged, stats.names_added, stats.too_far, stats.disagreeing,
    )  # fmt: skip
    all_ids = {row.geonameid for row in all_rows}
    # Records pointing at a GeoNames row we dropped on purpose (a station, a hotel) stay dropped.
    candidates = [r for r in records if not (r.gn_id and r.gn_id in all_ids) or r.placetype == "region"]
    extra = wof_only_rows(candidates, country="UA", geonames=rows, languages=WOF_LANGUAGES)
    extra = [row for row in extra if row.feature_class == "P"]
    logger.info("WOF-only places added: %d", len(extra))

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.txt.gz"):
        if stale.name not in ("UA.txt.gz", "UA-wof.txt.gz"):
            stale.unlink()
    write_rows(rows, out / "UA.txt.gz")
    write_rows(extra, out / "UA-wof.txt.gz")
    files = [out / "UA.txt.gz", out / "UA-wof.txt.gz"]
    data = compile_rows(rows + extra, meta={"name": "frontmap shipped gazetteer (Ukraine)"})
    index_size = write_index(data, out / INDEX_NAME, sources=[source_info(f) for f in files])

    gn_sha = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    (out / "ATTRIBUTION").write_text(
        ATTRIBUTION.format(
            gn_date="2026-07-28",
            gn_sha=gn_sha,
            languages=", ".join(WOF_LANGUAGES),
        ),
        encoding="utf-8",
    )
    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
    return {
        "rows": len(rows),
        "wof_only": len(extra),
        "keys": data.meta["keys"],
        "skeleton_keys": data.meta["skeleton_keys"],
        "max_name_words": data.meta["max_name_words"],
        "index_bytes": index_size,
        "sizes": sizes,
        "total_bytes": sum(sizes.values()),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="gazetteer-src folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (data/gazetteer)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    if not (args.src / "geonames" / "UA.zip").is_file():
        print(f"error: {args.src}/geonames/UA.zip not found", file=sys.stderr)
        return 1
    summary = build(args.src, args.out)
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
