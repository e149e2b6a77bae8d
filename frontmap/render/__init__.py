"""The HTML map: folium and Leaflet, inlined so that the page opens with no network.

Use :func:`render_map`; the modules behind it are the compact data document the page is built
from (``data``), the offline background (``basemap``), small folium elements (``elements``),
Leaflet's and frontmap's own inlined files (``assets``, ``static/``), marker symbols
(``symbols``), popup HTML (``popup``) and the deterministic naming of elements (``ids``).
"""

from __future__ import annotations

from frontmap.render.assets import AssetError, find_remote_assets
from frontmap.render.basemap import Basemap, load_basemap
from frontmap.render.core import render_map

__all__ = ["AssetError", "Basemap", "find_remote_assets", "load_basemap", "render_map"]
