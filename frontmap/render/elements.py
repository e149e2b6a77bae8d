"""The map's own folium elements, one small MacroElement each with its own template.

Text from the data never goes into these templates unescaped: HTML parts arrive escaped from
:mod:`frontmap.render.popup`, and everything written into a script goes through folium's
``tojavascript`` filter (a JSON literal with ``<``, ``>``, ``&`` and ``'`` escaped), so neither
``</script>`` nor a quote nor ``${...}`` can leave its string.
"""

from __future__ import annotations

from collections.abc import Sequence

from branca.element import Element, MacroElement
from folium.template import Template


class FrontmapElement(MacroElement):
    """Base of every element here: a typed constructor over branca's untyped one."""

    def __init__(self, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's __init__ has no annotations
        self._name = name


class BoundPopup(FrontmapElement):
    """A popup (and optionally a tooltip) bound to its parent layer, from escaped HTML.

    folium's own ``Popup`` and ``Tooltip`` put their HTML into JavaScript template literals
    (backticks), where ``${...}`` in article text would run and a stray backslash would break the
    whole script; this element passes the HTML as a JSON string literal instead, and needs no jQuery.

    Parameters
    ----------
    html
        Popup content; must already be escaped HTML.
    tooltip
        Hover text; must already be escaped HTML. None for no tooltip.
    max_width
        Widest popup, in pixels.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup(
                {{ this.html|tojavascript }},
                {{ this.options|tojavascript }}
            ){% if this.tooltip %}.bindTooltip(
                {{ this.tooltip|tojavascript }},
                {{ this.tooltip_options|tojavascript }}
            ){% endif %};
        {% endmacro %}
        """
    )

    def __init__(self, html: str, tooltip: str | None = None, *, max_width: int = 380) -> None:
        super().__init__("BoundPopup")
        self.html = html
        self.tooltip = tooltip
        self.options = {
            "max_width": max_width,
            "min_width": 240,
            "class_name": "fm-leaflet-popup",
            # Controls sit above popups (Leaflet's panes stack below its control corners): pan the
            # map so that an opening popup clears the title and as-of boxes at the top left.
            "auto_pan_padding_top_left": [16, 124],
            "auto_pan_padding_bottom_right": [16, 16],
        }
        self.tooltip_options = {"direction": "top", "offset": [0, -12], "opacity": 0.95}


class MapChrome(FrontmapElement):
    """Page-wide look (background, fonts, boxes, popups), the scale bar and the ``frontmap`` JS helper.

    The helper ``frontmap.box(map, id, position)`` turns a div already in the page into a Leaflet
    control, so the boxes stack in the map's corners instead of overlapping each other.

    Parameters
    ----------
    attribution
        Plain text credited in the map's attribution control (the gazetteer's licence asks for it).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-container {
                background: #e8ecef;
                font: 13px/1.4 "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif;
            }
            .fm-box {
                background: rgba(255, 255, 255, 0.95);
                border-radius: 6px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35);
                padding: 7px 10px;
                color: #1a1a1a;
            }
            .fm-muted { color: #666; }
            .fm-icon { background: none; border: none; }
            .fm-icon svg { display: block; filter: drop-shadow(0 0 1.2px rgba(0, 0, 0, 0.55)); }
            .fm-anchor-line { pointer-events: none; }
            .leaflet-control-layers-expanded {
                max-height: 45vh; overflow-y: auto; padding: 6px 10px 6px 6px;
            }
            .leaflet-control-layers-overlays label { margin: 1px 0; }
            .fm-leaflet-popup .leaflet-popup-content { margin: 10px 12px; }
            .fm-popup { max-height: 46vh; overflow-y: auto; }
            .fm-popup-head { border-left: 5px solid; padding-left: 6px; font-size: 14px; }
            .fm-quote {
                margin: 6px 0; padding: 4px 8px; background: #f4f4f4; border-radius: 3px;
                font-style: italic; white-space: pre-wrap; overflow-wrap: anywhere;
            }
            .fm-popup table { border-collapse: collapse; width: 100%; }
            .fm-popup th {
                text-align: left; vertical-align: top; padding: 1px 8px 1px 0;
                color: #555; font-weight: normal; white-space: nowrap;
            }
            .fm-popup td { padding: 1px 0; overflow-wrap: anywhere; }
            .fm-badge {
                display: inline-block; padding: 0 5px; border-radius: 8px; font-size: 11px;
                border: 1px solid #333;
            }
            .fm-badge-dark { background: #000; color: #fff; }
            .fm-badge-light { background: #eee; }
            .fm-badge-outline { background: #fff; }
        </style>
        <script>
            var frontmap = {
                box: function (map, id, position) {
                    var el = document.getElementById(id);
                    var control = L.control({position: position});
                    control.onAdd = function () { return el; };
                    control.addTo(map);
                    L.DomEvent.disableClickPropagation(el);
                    L.DomEvent.disableScrollPropagation(el);
                    return el;
                }
            };
        </script>
        {% endmacro %}

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


class BoxControl(FrontmapElement):
    """A fixed box in a corner of the map (title, as-of stamp, legend).

    Parameters
    ----------
    body
        Content; must already be escaped HTML.
    position
        Leaflet corner: "topleft", "topright", "bottomleft" or "bottomright".
    css_class
        Extra class of the box, styled by the subclass's ``style``.
    """

    style = ""
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {%- if this.style %}<style>{{ this.style }}</style>{% endif %}
        {% endmacro %}

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

    style = """
        .fm-title { max-width: 42vw; }
        .fm-title h1 { font-size: 17px; margin: 0 0 2px 0; line-height: 1.25; }
        .fm-title .fm-muted { font-size: 12px; }
    """

    def __init__(self, title_html: str, summary_html: str) -> None:
        body = f"<h1>{title_html}</h1><div class='fm-muted'>{summary_html}</div>"
        super().__init__(body, position="topleft", css_class="fm-title", name="TitleBox")


class AsOfStamp(BoxControl):
    """ "as of YYYY-MM-DD": the newest article date, so a printed map tells its age."""

    style = """
        .fm-asof { font-weight: bold; font-size: 13px; padding: 4px 10px; }
    """

    def __init__(self, as_of_html: str) -> None:
        super().__init__(as_of_html, position="topleft", css_class="fm-asof", name="AsOfStamp")


class Legend(BoxControl):
    """Claimant colours, action symbols and the marks of denials, doubts and areas."""

    style = """
        .fm-legend { max-width: 300px; font-size: 12px; }
        .fm-legend h2 { font-size: 12px; margin: 4px 0 2px 0; text-transform: uppercase;
                        letter-spacing: 0.04em; color: #555; }
        .fm-legend h2:first-child { margin-top: 0; }
        .fm-legend ul { list-style: none; margin: 0; padding: 0; }
        .fm-legend li { display: flex; align-items: center; gap: 6px; min-height: 20px; }
        .fm-legend li svg { flex: none; }
        .fm-legend .fm-cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 10px; }
    """

    def __init__(self, body: str) -> None:
        super().__init__(body, position="bottomright", css_class="fm-legend", name="Legend")


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
        {% macro header(this, kwargs) %}
        <style>
            .fm-time { display: flex; align-items: center; gap: 8px; }
            .fm-time button {
                font: inherit; border: 1px solid #888; border-radius: 4px; background: #fff;
                padding: 2px 8px; cursor: pointer;
            }
            .fm-time button[aria-pressed="true"] { background: #1a1a1a; color: #fff; }
            .fm-time input[type="range"] { width: 190px; }
            .fm-time[data-selected="all"] input { opacity: 0.45; }
            .fm-time output { min-width: 6.5em; font-weight: bold; font-variant-numeric: tabular-nums; }
        </style>
        <script>
            frontmap.timeControl = function (map, id, steps, interval) {
                var box = frontmap.box(map, id, "bottomleft");
                var slider = box.querySelector("input");
                var label = box.querySelector("output");
                var play = box.querySelector(".fm-time-play");
                var all = box.querySelector(".fm-time-all");
                var timer = null;

                // index === null shows every date; otherwise only steps[index].
                function show(index) {
                    steps.forEach(function (step, i) {
                        var wanted = index === null || index === i;
                        if (wanted && !map.hasLayer(step[1])) { map.addLayer(step[1]); }
                        if (!wanted && map.hasLayer(step[1])) { map.removeLayer(step[1]); }
                    });
                    label.textContent = index === null ? "all dates" : steps[index][0];
                    all.setAttribute("aria-pressed", String(index === null));
                    box.setAttribute("data-selected", index === null ? "all" : steps[index][0]);
                    if (index !== null) { slider.value = String(index); }
                }
                function stop() {
                    if (timer !== null) { clearInterval(timer); timer = null; }
                    play.textContent = "\\u25B6";
                    play.setAttribute("aria-pressed", "false");
                }
                slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
                all.addEventListener("click", function () { stop(); show(null); });
                play.addEventListener("click", function () {
                    if (timer !== null) { stop(); return; }
                    var i = box.getAttribute("data-selected") === "all" ? -1 : Number(slider.value);
                    function next() { i = (i + 1) % steps.length; show(i); }
                    play.textContent = "\\u275A\\u275A";
                    play.setAttribute("aria-pressed", "true");
                    next();
                    timer = setInterval(next, interval);
                });
                if (steps.length < 2) { slider.disabled = true; play.disabled = true; }
                show(null);
            };
        </script>
        {% endmacro %}

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
