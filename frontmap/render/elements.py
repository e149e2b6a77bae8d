"""The map's own folium elements, one small MacroElement each with its own template.

The behaviour lives in ``static/frontmap.js``; these elements put their markup and data into the
page and call it. Text from the data never goes into these templates unescaped: HTML parts arrive
escaped from :mod:`frontmap.render.popup`, data documents go through
:func:`frontmap.render.data.script_json`, and everything else written into a script goes through
folium's ``tojavascript`` or ``tojson`` filters (JSON literals with ``<``, ``>``, ``&`` and ``'``
escaped), so neither ``</script>`` nor a quote nor ``${...}`` can leave its string. And what
these elements render is put into the page verbatim (:class:`Verbatim`), never read as a template
again, so ``{{ ... }}`` in an article stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.template import Template


class Verbatim(Element):
    """Rendered markup that goes into the page as it is.

    branca's ``MacroElement.render`` wraps each rendered part in a new ``Element``, whose
    constructor compiles the text as a Jinja template, and renders it again: an article's
    ``{{ ... }}`` or ``{% ... %}`` would run in this process. This element only hands its text on.

    Parameters
    ----------
    text
        Markup already rendered from a trusted template.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        return self.text


class FrontmapElement(MacroElement):
    """Base of every element here: a typed constructor over branca's untyped one, and rendering
    that puts each macro's output into the page verbatim (see :class:`Verbatim`)."""

    def __init__(self, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's __init__ has no annotations
        self._name = name

    def render(self, **kwargs: Any) -> str:
        """Add the rendered header, html and script parts to the figure (as MacroElement does).

        Returns
        -------
        str
            Nothing to put in place: the parts went to the figure.
        """
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self._name} can only be rendered inside a Figure")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class MapChrome(FrontmapElement):
    """The metric scale bar and the credits in the attribution control.

    Parameters
    ----------
    attribution
        Plain text credited in the map's attribution control (the data licences ask for it).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
            {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
            {%- for text in this.attribution %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojavascript }});
            {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, attribution: Sequence[str] = ()) -> None:
        super().__init__("MapChrome")
        self.attribution = list(attribution)


class FitView(FrontmapElement):
    """The opening view: the data's bounds, set at once (no zoom animation).

    Add it before the layers: they are then projected once, at the final zoom, instead of being
    drawn at the default view and again after an animated ``fitBounds``.

    Parameters
    ----------
    bounds
        ``[[south, west], [north, east]]``.
    padding_top_left, padding_bottom_right
        Room in pixels kept free for the boxes in the corners.
    max_zoom
        Keeps a single claim from filling the screen.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        bounds: Sequence[Sequence[float]],
        *,
        padding_top_left: tuple[int, int] = (40, 40),
        padding_bottom_right: tuple[int, int] = (40, 40),
        max_zoom: int = 11,
    ) -> None:
        super().__init__("FitView")
        self.bounds = [list(corner) for corner in bounds]
        self.options = {
            "paddingTopLeft": list(padding_top_left),
            "paddingBottomRight": list(padding_bottom_right),
            "maxZoom": max_zoom,
            "animate": False,
        }


class DataDocument(FrontmapElement):
    """Base of elements that carry a JSON document in a ``<script type="application/json">``.

    Parameters
    ----------
    document
        Script-safe JSON (see :func:`frontmap.render.data.script_json`).
    """

    def __init__(self, name: str, document: str) -> None:
        super().__init__(name)
        self.document = document

    @property
    def data_id(self) -> str:
        """DOM id of the document's script element."""
        return f"{self.get_name()}_data"


class BasemapLayers(DataDocument):
    """Land, oblast borders, rivers and reservoirs, drawn by ``frontmap.basemap``.

    Parameters
    ----------
    document
        Script-safe JSON ``{"oblasts": ..., "rivers": ..., "lakes": ...}``.
    land, oblasts, water
        Where each part goes: a FeatureGroup of the layer control, or the map (``land`` may be
        None when the online tiles are the only background).
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.data_id }}">{{ this.document }}</script>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.basemap({{ this._parent.get_name() }}, {{ this.data_id|tojson }}, {
                land: {{ this.land.get_name() if this.land else "null" }},
                oblasts: {{ this.oblasts.get_name() }},
                water: {{ this.water.get_name() }}
            });
        {% endmacro %}
        """
    )

    def __init__(self, document: str, *, land: Element | None, oblasts: Element, water: Element) -> None:
        super().__init__("BasemapLayers", document)
        self.land = land
        self.oblasts = oblasts
        self.water = water


class ClaimLayers(DataDocument):
    """Every claim's marker, area and anchor line, and the places, built by ``frontmap.claims``.

    Its JavaScript variable is the claims API (filters, visibility, opening a claim) that the
    legend, the search box and the tests use.

    Parameters
    ----------
    document
        Script-safe JSON of :class:`frontmap.render.data.MapData`.
    date_layers
        One FeatureGroup per date, in the order of the document's date indices.
    places
        The FeatureGroup of the places overlay, or None.
    labels
        The FeatureGroup that shows the names of the claims' places, or None for no names.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.data_id }}">{{ this.document }}</script>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = frontmap.claims(
                {{ this._parent.get_name() }},
                {{ this.data_id|tojson }},
                [
                {%- for layer in this.date_layers %}
                    {{ layer.get_name() }},
                {%- endfor %}
                ],
                {{ this.places.get_name() if this.places else "null" }}
            );
            {%- if this.labels %}
            frontmap.placeLabels(
                {{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.labels.get_name() }}
            );
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        document: str,
        date_layers: Sequence[Element],
        places: Element | None,
        labels: Element | None = None,
    ) -> None:
        super().__init__("ClaimLayers", document)
        self.date_layers = list(date_layers)
        self.places = places
        self.labels = labels


class CellLayers(DataDocument):
    """The claims of a big map counted in grid cells, drawn by ``frontmap.cells``.

    Its JavaScript variable is the same kind of API as :class:`ClaimLayers`' (filters, opening a
    place found by the search), so the legend, the search box and the time control work alike.

    Parameters
    ----------
    document
        Script-safe JSON of :class:`frontmap.render.cells.CellData`.
    date_layers
        One FeatureGroup per date, in the order of the document's date indices: showing and
        hiding one shows and hides its claims in the counts.
    places
        The FeatureGroup of the places overlay, or None.
    labels
        The FeatureGroup that switches the cells' place names, or None for no names.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.data_id }}">{{ this.document }}</script>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = frontmap.cells(
                {{ this._parent.get_name() }},
                {{ this.data_id|tojson }},
                [
                {%- for layer in this.date_layers %}
                    {{ layer.get_name() }},
                {%- endfor %}
                ],
                {{ this.places.get_name() if this.places else "null" }},
                {{ this.labels.get_name() if this.labels else "null" }}
            );
        {% endmacro %}
        """
    )

    def __init__(
        self,
        document: str,
        date_layers: Sequence[Element],
        places: Element | None,
        labels: Element | None = None,
    ) -> None:
        super().__init__("CellLayers", document)
        self.date_layers = list(date_layers)
        self.places = places
        self.labels = labels


class BoxControl(FrontmapElement):
    """A fixed box in a corner of the map (title, as-of stamp, legend).

    Parameters
    ----------
    body
        Content; must already be escaped HTML.
    position
        Leaflet corner: "topleft", "topright", "bottomleft" or "bottomright".
    css_class
        Extra class of the box (styled in ``static/frontmap.css``).
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="fm-box {{ this.css_class }}">{{ this.body }}</div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.box(
                {{ this._parent.get_name() }}, {{ this.get_name()|tojson }}, {{ this.position|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, body: str, *, position: str, css_class: str, name: str = "BoxControl") -> None:
        super().__init__(name)
        self.body = body
        self.position = position
        self.css_class = css_class


class TitleBox(BoxControl):
    """The map's title and a one-line summary, top left."""

    def __init__(self, title_html: str, summary_html: str) -> None:
        body = f"<h1>{title_html}</h1><div class='fm-muted'>{summary_html}</div>"
        super().__init__(body, position="topleft", css_class="fm-title", name="TitleBox")


class AsOfStamp(BoxControl):
    """ "as of YYYY-MM-DD": the newest article date, so a printed map tells its age."""

    def __init__(self, as_of_html: str) -> None:
        super().__init__(as_of_html, position="topleft", css_class="fm-asof", name="AsOfStamp")


class Legend(BoxControl):
    """Claimant colours, action symbols and marks; its side and action entries are the filters.

    Parameters
    ----------
    body
        Escaped HTML whose checkboxes carry ``data-fm-filter`` (see :func:`core.legend_html`).
    claims
        The ClaimLayers element whose filters the checkboxes drive.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="fm-box fm-legend" role="group"
            aria-label="Legend and filters">{{ this.body }}</div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.box({{ this._parent.get_name() }}, {{ this.get_name()|tojson }}, "bottomright");
            frontmap.filters({{ this.claims.get_name() }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, body: str, claims: Element) -> None:
        super().__init__(body, position="bottomright", css_class="fm-legend", name="Legend")
        self.claims = claims


class TimeControl(FrontmapElement):
    """A date slider with play and "all dates" buttons over the per-date layers.

    Moving the slider shows that date's layer alone; "all dates" shows them all again. It adds
    and removes the same FeatureGroups as the layer control, whose checkboxes follow along
    (Leaflet's layer control listens to the layers' add/remove events).

    Parameters
    ----------
    steps
        (label, FeatureGroup) pairs in date order.
    interval_ms
        Time each date stays on screen while playing.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="fm-box fm-time" role="group" aria-label="Dates shown">
            <button type="button" class="fm-time-play" title="Play through the dates"
                aria-label="Play through the dates" aria-pressed="false">&#9654;</button>
            <input type="range" class="fm-time-slider" min="0" max="{{ [this.steps|length - 1, 0]|max }}"
                step="1" value="0" aria-label="Date">
            <output class="fm-time-label">all dates</output>
            <button type="button" class="fm-time-all" aria-pressed="true">show all</button>
        </div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.timeControl(
                {{ this._parent.get_name() }},
                {{ this.get_name()|tojson }},
                [
                {%- for label, layer in this.steps %}
                    [{{ label|tojavascript }}, {{ layer.get_name() }}],
                {%- endfor %}
                ],
                {{ this.interval_ms|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, steps: Sequence[tuple[str, Element]], *, interval_ms: int = 1500) -> None:
        super().__init__("TimeControl")
        self.steps = list(steps)
        self.interval_ms = interval_ms


class SearchBox(FrontmapElement):
    """A box that finds any name drawn on the map and goes there (``frontmap.search``).

    Parameters
    ----------
    claims
        The ClaimLayers element, whose document holds the search entries.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="fm-box fm-search" role="search">
            <input type="search" placeholder="Find a place, oblast or river" aria-label="Find a place"
                autocomplete="off" spellcheck="false">
            <ul role="listbox" aria-label="Places found" hidden></ul>
        </div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.search(
                {{ this._parent.get_name() }}, {{ this.get_name()|tojson }}, {{ this.claims.get_name() }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, claims: Element) -> None:
        super().__init__("SearchBox")
        self.claims = claims


class MeasureControl(FrontmapElement):
    """A ruler button: click points on the map, read the great-circle distance along them."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="fm-measure">
            <button type="button" class="fm-measure-toggle" aria-pressed="false"
                title="Measure a distance: click points on the map, double-click to end the line; Esc clears it"
                aria-label="Measure a distance">
                <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
                    <path d="M2 13.5 L13.5 2 L18 6.5 L6.5 18 Z" fill="none" stroke="currentColor"
                        stroke-width="1.6" stroke-linejoin="round"/>
                    <path d="M6 10 L8 12 M8.5 7.5 L11.5 10.5 M11 5 L13 7" stroke="currentColor"
                        stroke-width="1.4"/>
                </svg>
            </button>
            <div class="fm-box fm-measure-panel">
                <output class="fm-measure-km">Click points on the map</output>
                <button type="button" class="fm-measure-clear">clear</button>
            </div>
        </div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            frontmap.measure({{ this._parent.get_name() }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__("MeasureControl")


class Ready(FrontmapElement):
    """Marks the map as built (``window.__frontmapReady``); add it last.

    Parameters
    ----------
    claims
        The ClaimLayers element, whose API is exposed as ``window.__frontmap`` for tests.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            frontmap.ready({{ this._parent.get_name() }}, {{ this.claims.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, claims: Element) -> None:
        super().__init__("Ready")
        self.claims = claims
