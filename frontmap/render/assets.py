"""Leaflet (from the xstatic-leaflet pip package) and frontmap's own script and stylesheet
(``static/``), inlined into the page so that the map needs no network.

Leaflet's stylesheet points at a few PNGs next to it (the layer-control toggle and the default
marker); they are inlined as ``data:`` URIs so that not even a ``file://`` request is left.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from folium.template import Template

from frontmap.errors import FrontmapError
from frontmap.render.elements import FrontmapElement

_CSS_IMAGE = re.compile(r"""url\((['"]?)images/([A-Za-z0-9_.-]+\.png)\1\)""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


class AssetError(FrontmapError, RuntimeError):
    """The bundled Leaflet files are missing or cannot be inlined safely."""


def leaflet_dir() -> Path:
    """Folder of Leaflet's dist files inside the xstatic-leaflet package."""
    try:
        from xstatic.pkg import leaflet
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise AssetError("xstatic-leaflet is not installed; the offline map needs it") from exc
    return Path(leaflet.BASE_DIR)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssetError(f"cannot read Leaflet asset {path}: {exc.strerror}") from exc


def _static(name: str) -> str:
    """A file of frontmap's own page code (``frontmap/render/static``)."""
    return _read(Path(__file__).resolve().parent / "static" / name)


def frontmap_js() -> str:
    """frontmap's own script (controls, filters, search, measuring), ready to inline."""
    js = _static("frontmap.js")
    lowered = js.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise AssetError("frontmap.js contains '</script' or '<!--' and cannot be inlined")
    return js


def frontmap_cells_js() -> str:
    """The script that draws a big map's counted cells (only inlined into such maps)."""
    js = _static("frontmap-cells.js")
    lowered = js.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise AssetError("frontmap-cells.js contains '</script' or '<!--' and cannot be inlined")
    return js


def frontmap_cells_css() -> str:
    """The stylesheet of a big map's cell popups (only inlined into such maps)."""
    css = _static("frontmap-cells.css")
    if "</style" in css.lower():
        raise AssetError("frontmap-cells.css contains '</style' and cannot be inlined")
    return css


def frontmap_css() -> str:
    """frontmap's own stylesheet, ready to inline."""
    css = _static("frontmap.css")
    if "</style" in css.lower():
        raise AssetError("frontmap.css contains '</style' and cannot be inlined")
    return css


def leaflet_css(base: Path | None = None) -> str:
    """Leaflet's stylesheet with its images inlined as data URIs.

    Parameters
    ----------
    base
        Leaflet's dist folder; the installed xstatic-leaflet by default.

    Returns
    -------
    str
        CSS that references no other file.
    """
    folder = base or leaflet_dir()

    def inline(match: re.Match[str]) -> str:
        image = folder / "images" / match.group(2)
        try:
            data = base64.b64encode(image.read_bytes()).decode("ascii")
        except OSError as exc:
            raise AssetError(f"cannot read Leaflet image {image}: {exc.strerror}") from exc
        return f'url("data:image/png;base64,{data}")'

    css = _CSS_IMAGE.sub(inline, _read(folder / "leaflet.css"))
    if "</style" in css.lower():
        raise AssetError("leaflet.css contains '</style' and cannot be inlined")
    return css


def leaflet_js(base: Path | None = None) -> str:
    """Leaflet's minified script, ready to sit inside a ``<script>`` element.

    The trailing ``sourceMappingURL`` comment is dropped: the map file has no ``.map`` beside it,
    and developer tools would otherwise try to load one.
    """
    js = _SOURCE_MAP.sub("", _read((base or leaflet_dir()) / "leaflet.js")).rstrip() + "\n"
    lowered = js.lower()
    # Either would end or derail the HTML parser's script state before the code ends.
    if "</script" in lowered or "<!--" in lowered:
        raise AssetError("leaflet.js contains '</script' or '<!--' and cannot be inlined")
    return js


class OfflineAssets(FrontmapElement):
    """Leaflet's and frontmap's own CSS and JS written into the page head.

    Add it as the first child of the map: folium's own CDN links are switched off (see
    :func:`frontmap.render.core.render_map`) and this element puts Leaflet in their place.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style id="frontmap-leaflet-css">
{{ this.css }}
        </style>
        <script id="frontmap-leaflet-js">
{{ this.js }}
        </script>
        <style id="frontmap-css">
{{ this.own_css }}
        </style>
        <script id="frontmap-js">
{{ this.own_js }}
        </script>
        {% endmacro %}
        """
    )

    def __init__(self, base: Path | None = None) -> None:
        super().__init__("OfflineAssets")
        self.css = leaflet_css(base)
        self.js = leaflet_js(base)
        self.own_css = frontmap_css()
        self.own_js = frontmap_js()


class CellAssets(FrontmapElement):
    """The script and stylesheet of counted cells, after :class:`OfflineAssets` (big maps only).

    A separate element and separate files, so that a map drawn claim by claim carries none of
    it and stays byte for byte what it was.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style id="frontmap-cells-css">
{{ this.own_css }}
        </style>
        <script id="frontmap-cells-js">
{{ this.own_js }}
        </script>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__("CellAssets")
        self.own_css = frontmap_cells_css()
        self.own_js = frontmap_cells_js()


# A tag that would make the browser fetch something from another host when the page loads.
_REMOTE_TAG = re.compile(
    r"""<(?:script|link|img|iframe|source|embed|object|audio|video|image|use)\b[^>]*?"""
    r"""\b(?:src|href|data|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""",
    re.IGNORECASE,
)
_REMOTE_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def find_remote_assets(page: str) -> list[str]:
    """Tags and ``@import`` rules in ``page`` that load something over the network.

    Links in text (``<a href>``) are not assets and are not reported; neither is anything inside
    a JSON string, where ``<`` is written ``\\u003c``.

    Parameters
    ----------
    page
        A rendered HTML page.

    Returns
    -------
    list of str
        The offending snippets, in page order (empty for an offline page).
    """
    return [m.group(0) for m in _REMOTE_TAG.finditer(page)] + [m.group(0) for m in _REMOTE_IMPORT.finditer(page)]
