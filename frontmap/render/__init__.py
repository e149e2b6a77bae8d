"""The HTML map: folium and Leaflet, inlined so that the page opens with no network.

Use :func:`render_map`; the modules behind it are small folium elements (``elements``), Leaflet's
inlined files (``assets``), marker symbols (``symbols``), popup HTML (``popup``) and the
deterministic naming of elements (``ids``).
"""

from __future__ import annotations

from frontmap.render.assets import AssetError, find_remote_assets
from frontmap.render.core import render_map

__all__ = ["AssetError", "find_remote_assets", "render_map"]
