"""Benchmark of the HTML map: file size, render time, and time to interactive in headless Chromium.

    python bench/bench_map.py [--claims 5000] [--dates 60] [--runs 3] [--out map.html]
    python bench/bench_map.py --claims 100000 --dates 60     # a big map: claims counted in cells

Made-up claims (synthetic sentences around real front-line towns, with areas and anchors built
by frontmap.geometry like the pipeline's) are rendered with ``render_map``; the page is opened in
Debian's Chromium with the network cut off and timed, by the page's own clock:

- ``ready``: navigation to ``window.__frontmapReady`` (every symbol, area and control built);
- ``drawn``: navigation to the first frame drawn after that: the map is interactive from here;
- ``click``: a click on a claim (on a big map: on a cell's disc) to its popup being open;
- ``popup``: navigation to that popup, through Playwright (its round trips included);
- ``zoom``: one zoom step, finished and drawn.

Over ``--aggregate-over`` claims (render_map's default: 5,000) the map counts claims in grid
cells instead of drawing each one (frontmap.render.cells); the figures then say which it was.

The figures are printed, never asserted: benchmarks are not timed tests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from frontmap.config import Config
from frontmap.geometry import Sector, circle, offset, sector_polygon
from frontmap.render import render_map

CHROMIUM = os.environ.get("FRONTMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

# Towns near the front line (approximate coordinates), with the oblast they lie in.
TOWNS: tuple[tuple[str, float, float, str], ...] = (
    ("Bakhmut", 48.595, 38.000, "Donetsk Oblast"),
    ("Klishchiivka", 48.533, 37.966, "Donetsk Oblast"),
    ("Chasiv Yar", 48.589, 37.835, "Donetsk Oblast"),
    ("Avdiivka", 48.139, 37.750, "Donetsk Oblast"),
    ("Marinka", 47.941, 37.504, "Donetsk Oblast"),
    ("Vuhledar", 47.779, 37.248, "Donetsk Oblast"),
    ("Pokrovsk", 48.283, 37.176, "Donetsk Oblast"),
    ("Toretsk", 48.398, 37.843, "Donetsk Oblast"),
    ("Lyman", 48.989, 37.803, "Donetsk Oblast"),
    ("Siversk", 48.867, 38.100, "Donetsk Oblast"),
    ("Kurakhove", 47.983, 37.283, "Donetsk Oblast"),
    ("Staromaiorske", 47.700, 36.760, "Donetsk Oblast"),
    ("Kreminna", 49.046, 38.218, "Luhansk Oblast"),
    ("Kupiansk", 49.711, 37.616, "Kharkiv Oblast"),
    ("Synkivka", 49.791, 37.648, "Kharkiv Oblast"),
    ("Vovchansk", 50.291, 36.939, "Kharkiv Oblast"),
    ("Robotyne", 47.443, 35.839, "Zaporizhia Oblast"),
    ("Orikhiv", 47.568, 35.786, "Zaporizhia Oblast"),
    ("Huliaipole", 47.663, 36.257, "Zaporizhia Oblast"),
    ("Krynky", 46.731, 33.089, "Kherson Oblast"),
    ("Kherson", 46.635, 32.617, "Kherson Oblast"),
)
WRITTEN_AS = {"Bakhmut": "Artemivsk", "Toretsk": "Dzerzhynsk", "Pokrovsk": "Krasnoarmeysk"}
SIDES = (("Ukraine", 38), ("Russia", 38), ("third party", 18), ("unknown", 6))
WHO = {
    "Ukraine": ("the general staff", "a brigade spokesman", "the eastern command"),
    "Russia": ("the defence ministry", "a military blogger", "the southern group of forces"),
    "third party": ("a think tank", "a wire service", "an open-source analyst"),
    "unknown": ("local residents", "an unnamed source"),
}
ACTIONS = ("advance", "capture", "attack", "repel", "withdraw", "strike", "hold", "other")
VERBS = {
    "advance": "advanced",
    "capture": "took control of positions",
    "attack": "attacked",
    "repel": "repelled an assault",
    "withdraw": "pulled back",
    "strike": "struck a depot",
    "hold": "held the line",
    "other": "reported movement",
}
COMPASS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _polygon(shape: Any) -> dict[str, Any]:
    geometry = mapping(orient(shape, sign=1.0))
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in geometry["coordinates"]],
    }


def synthetic(claims: int, dates: int, *, seed: int = 7) -> tuple[dict[str, Any], ...]:
    """Claims, areas and places FeatureCollections: ``claims`` made-up claims over ``dates`` days.

    Returns
    -------
    tuple of dict
        (claims, areas, places) as the pipeline writes them.
    """
    rng = random.Random(seed)
    days = [f"2024-{1 + d // 28:02d}-{1 + d % 28:02d}" for d in range(dates)]
    articles = max(1, claims // 6)
    claim_features, area_features = [], []
    mentioned: dict[tuple[str, str], tuple[str, float, float, str]] = {}
    for i in range(claims):
        town, lat, lon, oblast = rng.choice(TOWNS)
        side = _weighted(rng, SIDES)
        action = rng.choice(ACTIONS)
        number = rng.randrange(articles)
        article = f"article-{number:05d}.txt"
        day = days[number % dates]  # an article reports on its own day
        props: dict[str, Any] = {
            "anchor": None,
            "anchor_id": None,
            "direction": None,
            "bearing_deg": None,
            "distance_km": None,
            "distance_min_km": None,
            "distance_max_km": None,
            "distance_text": None,
            "anchor_lon": None,
            "anchor_lat": None,
        }
        written = WRITTEN_AS.get(town) if rng.random() < 0.2 else None
        if rng.random() < 0.3:  # relative: "3 km south-west of <town>"
            point = rng.choice(COMPASS)
            bearing = COMPASS.index(point) * 22.5
            km = rng.choice((1.0, 2.0, 3.0, 5.0, 8.0))
            plat, plon = offset(lat, lon, bearing, km)
            half = {1: 45.0, 2: 22.5}.get(len(point), 11.25)
            area = sector_polygon(Sector(lat, lon, bearing, half, km * 0.5, km * 1.5))
            props.update(
                anchor=town,
                anchor_id=f"geonames:{TOWNS.index((town, lat, lon, oblast))}",
                direction=point,
                bearing_deg=bearing,
                distance_km=km,
                distance_min_km=km * 0.5,
                distance_max_km=km * 1.5,
                distance_text=f"about {km:g} km",
                anchor_lon=lon,
                anchor_lat=lat,
            )
            place_name, geo_precision, radius = None, 2, km * 0.5
        else:
            plat, plon = lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01)
            radius = rng.choice((1.5, 2.5, 4.0, 7.0))
            area = circle(plat, plon, radius)
            place_name, geo_precision = town, 1
        who = rng.choice(WHO[side])
        quote = (
            f"{who.capitalize()} said on day {i % 97} that its units had {VERBS[action]} "
            f"{'near' if place_name else 'outside'} {written or town}, a claim that could not be confirmed; "
            f"fighting continued along a stretch of about {rng.randint(2, 30)} km."
        )
        cid = f"c{i:06d}"
        props |= {
            "id": cid,
            "article": article,
            "source": f"Wire {number % 40:02d}",
            "url": f"https://news.example.org/{article[:-4]}",
            "published": day,
            "date": day,
            "date_precision": rng.choice(("day", "day", "day", "week")),
            "claimant": side,
            "claimant_name": who,
            "actor": side if side in ("Ukraine", "Russia") else rng.choice(("Ukraine", "Russia")),
            "action": action,
            "place": written or (town if place_name else None),
            "place_id": f"geonames:{TOWNS.index((town, lat, lon, oblast))}" if place_name else None,
            "place_name": place_name,
            "admin1": oblast,
            "geo_precision": geo_precision,
            "uncertainty_km": radius,
            "verification": rng.choice(("unverified", "unverified", "unverified", None, "geolocated")),
            "denied": rng.random() < 0.05,
            "contested": rng.random() < 0.15,
            "quote": quote,
            "reason": rng.choice(("only candidate", "nearest to other places in the article", "largest")),
            "candidates": rng.choice((1, 1, 2, 5)),
        }
        props = {k: props[k] for k in sorted(props)}
        claim_features.append(
            {
                "type": "Feature",
                "id": cid,
                "geometry": {"type": "Point", "coordinates": [round(plon, 6), round(plat, 6)]},
                "properties": props,
            }
        )
        area_features.append({"type": "Feature", "id": cid, "geometry": _polygon(area), "properties": props})
        mentioned.setdefault((article, written or town), (town, lat, lon, oblast))
    place_features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "article": article,
                "name": name,
                "place_id": f"geonames:{TOWNS.index((town, lat, lon, oblast))}",
                "place_name": town,
                "admin1": oblast,
                "feature_code": "PPL",
                "population": 1000,
                "mentions": 1,
                "candidates": 1,
                "reason": "only candidate",
            },
        }
        for (article, name), (town, lat, lon, oblast) in sorted(mentioned.items())
    ]

    def fc(features: list[dict[str, Any]]) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": features}

    return fc(claim_features), fc(area_features), fc(place_features)


# A claim symbol (on a big map, a cell's disc) well inside the map, clear of the boxes in the
# corners, in page pixels.
CLICK_A_MARKER = """() => {
    const api = window.__frontmap, box = document.querySelector('.folium-map').getBoundingClientRect();
    const map = window[document.querySelector('.folium-map').id];
    const inside = (x, y) => x > 320 && x < box.width - 340 && y > 200 && y < box.height - 120;
    if (api.mode === 'cells') {
        const disc = api.shown().find((d) => inside(d.x - box.left, d.y - box.top));
        return disc ? [disc.x, disc.y] : null;
    }
    for (const record of api.records) {
        if (!map.hasLayer(record.marker)) continue;
        const p = map.latLngToContainerPoint(record.marker.getLatLng());
        if (inside(p.x, p.y)) {
            return [box.left + p.x, box.top + p.y];
        }
    }
    return null;
}"""

# The page's own clock for a click: mouse down on the claim, and its popup open.
LISTEN = """() => {
    const map = window[document.querySelector('.folium-map').id];
    document.addEventListener('mousedown', (e) => { window.__benchDownAt = e.timeStamp; }, true);
    map.on('popupopen', () => { window.__benchOpenedAt = performance.now(); });
}"""

ZOOM_ONE_STEP = """() => new Promise((done) => {
    const map = window[document.querySelector('.folium-map').id];
    const start = performance.now();
    map.once('zoomend', () => requestAnimationFrame(() => requestAnimationFrame(
        () => done(performance.now() - start))));
    map.setZoom(map.getZoom() + 1, {animate: false});
})"""


def browser_times(path: Path, *, runs: int) -> dict[str, list[float]]:
    """Milliseconds from navigation to ready and to the first popup, and of one zoom step."""
    from playwright.sync_api import Route, sync_playwright

    def guard(route: Route) -> None:
        if route.request.url.startswith(("http://", "https://")):
            route.abort()
        else:
            route.continue_()

    times: dict[str, list[float]] = {"ready": [], "drawn": [], "click": [], "popup": [], "zoom": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route("**/*", guard)
                page.goto(path.as_uri(), wait_until="commit")
                page.wait_for_function("() => window.__frontmapReady === true", timeout=60_000)
                times["ready"].append(page.evaluate("() => window.__frontmapReadyMs"))
                page.wait_for_function("() => window.__frontmapPaintedMs !== undefined")
                times["drawn"].append(page.evaluate("() => window.__frontmapPaintedMs"))
                page.evaluate(LISTEN)
                where = page.evaluate(CLICK_A_MARKER)
                if where is None:
                    raise SystemExit("bench: no marker in view to click")
                page.mouse.click(where[0], where[1])
                page.wait_for_selector(".leaflet-popup-content .fm-popup", state="attached", timeout=10_000)
                times["popup"].append(page.evaluate("() => performance.now()"))
                times["click"].append(page.evaluate("() => window.__benchOpenedAt - window.__benchDownAt"))
                times["zoom"].append(page.evaluate(ZOOM_ONE_STEP))
                page.close()
        finally:
            browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    """Entry point; prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=5000, help="how many claims (default 5000)")
    parser.add_argument("--dates", type=int, default=60, help="over how many dates (default 60)")
    parser.add_argument("--runs", type=int, default=3, help="page loads to time (median reported)")
    parser.add_argument("--out", type=Path, help="keep the map here (default: a temporary file)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    parser.add_argument(
        "--aggregate-over",
        type=int,
        default=None,
        help="count claims in cells over this many (default: render_map's, 5000)",
    )
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    claims, areas, places = synthetic(args.claims, args.dates)
    t1 = time.perf_counter()
    page = render_map(
        claims,
        areas,
        places,
        title="frontmap benchmark",
        as_of="2024-12-31",
        config=Config(),
        aggregate_over=args.aggregate_over,
    )
    t2 = time.perf_counter()
    out = args.out or Path(tempfile.mkdtemp(prefix="frontmap-bench-")) / "map.html"
    out.write_text(page, encoding="utf-8")
    size = out.stat().st_size
    counted = "frontmap.cells(" in page
    print(f"claims {args.claims}, dates {args.dates}, places {len(places['features'])}")
    print(f"drawn as          {'cells (claims counted by area)' if counted else 'one symbol a claim'}")
    print(f"synthetic data    {t1 - t0:7.2f} s")
    print(f"render_map        {t2 - t1:7.2f} s")
    print(f"map.html          {size / 1e6:7.2f} MB ({size / max(args.claims, 1):,.0f} bytes a claim) {out}")
    if args.no_browser:
        return 0
    if not Path(CHROMIUM).exists():
        print(f"bench: Chromium not found at {CHROMIUM}; browser timings skipped", file=sys.stderr)
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    # Other work on the machine slows Chromium down: the figures mean little without it.
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} before the browser runs")
    times = browser_times(out, runs=args.runs)
    for key, label in (
        ("ready", "navigation -> ready (all layers built)"),
        ("drawn", "navigation -> first frame drawn"),
        ("click", "click on a claim -> its popup open"),
        ("popup", "navigation -> popup open (via Playwright)"),
        ("zoom", "one zoom step, drawn"),
    ):
        values = times[key]
        print(
            f"{label:42s} median {statistics.median(values):7.0f} ms  (runs: {', '.join(f'{v:.0f}' for v in values)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
