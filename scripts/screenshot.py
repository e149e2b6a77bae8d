"""Screenshot of a frontmap map.html in headless Chromium (used for the README's docs/map.png).

Usage::

    python scripts/screenshot.py MAP_HTML OUT_PNG [--width 1400 --height 900]

Debian's Chromium (/usr/bin/chromium, or $FRONTMAP_CHROMIUM) is driven through Playwright for
Python; no browser is downloaded. Every http(s) request is refused unless --allow-network is
given, so the picture shows exactly what an offline reader sees.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = os.environ.get("FRONTMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("map_html", type=Path, help="the map file (map.html)")
    parser.add_argument("out_png", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1400, help="viewport width in CSS pixels")
    parser.add_argument("--height", type=int, default=900, help="viewport height in CSS pixels")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (2 for sharp docs)")
    parser.add_argument("--settle-ms", type=int, default=400, help="wait after the map has drawn")
    parser.add_argument("--allow-network", action="store_true", help="let the page load online tiles")
    return parser.parse_args(argv)


def screenshot(
    map_html: Path,
    out_png: Path,
    *,
    width: int = 1400,
    height: int = 900,
    scale: float = 1.0,
    settle_ms: int = 400,
    allow_network: bool = False,
) -> list[str]:
    """Write a PNG of the map.

    Parameters
    ----------
    map_html, out_png
        Input page and output picture.
    width, height, scale
        Viewport size in CSS pixels and device pixel ratio.
    settle_ms
        Extra wait after Leaflet has created the map, for fonts and transitions.
    allow_network
        Let http(s) requests through (only useful for maps made with online tiles).

    Returns
    -------
    list of str
        The http(s) URLs the page tried to load (refused unless ``allow_network``).
    """
    from playwright.sync_api import Route, sync_playwright

    attempted: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://", "https://")):
            attempted.append(url)
            if not allow_network:
                route.abort()
                return
        route.continue_()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
            page.route("**/*", guard)
            page.goto(map_html.resolve().as_uri())
            # frontmap maps set __frontmapReady once every layer is drawn; other Leaflet pages
            # are taken once the map exists.
            page.wait_for_function(
                "() => window.__frontmapReady === true"
                " || (window.L !== undefined && document.querySelector('.leaflet-pane')"
                " && !document.querySelector('[id^=claim_layers]'))"
            )
            page.wait_for_timeout(settle_ms)
            out_png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out_png))
        finally:
            browser.close()
    return attempted


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    if not args.map_html.is_file():
        print(f"screenshot: no such file: {args.map_html}", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"screenshot: Chromium not found at {CHROMIUM} (set FRONTMAP_CHROMIUM)", file=sys.stderr)
        return 2
    attempted = screenshot(
        args.map_html,
        args.out_png,
        width=args.width,
        height=args.height,
        scale=args.scale,
        settle_ms=args.settle_ms,
        allow_network=args.allow_network,
    )
    for url in attempted:
        print(f"screenshot: the page requested {url}", file=sys.stderr)
    print(args.out_png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
