/* frontmap.js: what a frontmap map does in the browser (Leaflet 1.9, no other library).
 *
 * The Python side (frontmap/render) writes the map's data as JSON documents into the page and
 * calls the functions below from small per-element scripts. Every HTML fragment in the data was
 * escaped there; plain text (search names) is only ever written here with textContent. Nothing
 * in this file builds HTML from text it did not get escaped.
 */
var frontmap = (function () {
    "use strict";

    var ICON = 28;            // marker symbol size in CSS pixels (symbols.ICON_SIZE)
    var AREA_SCALE = 1e4;     // areas are integers in 1e-4 degrees (data.AREA_SCALE)
    var UNVERIFIED = 1;       // claim flags (data.UNVERIFIED ...)
    var EARTH_KM = 6371.0088; // mean Earth radius, for the measuring tool

    // Row positions of a claim array (data.MapData.row_layout).
    var ID = 0, LAT = 1, LON = 2, DATE = 3, SIDE = 4, ACTION = 5, FLAGS = 6, ICON_AT = 7,
        AREA = 8, ANCHOR = 9, TOOLTIP = 10, POPUP = 11;

    var POPUP_OPTIONS = {
        maxWidth: 380,
        minWidth: 240,
        className: "fm-leaflet-popup",
        // Controls sit above popups: an opening popup pans the map to clear the boxes at the top.
        autoPanPaddingTopLeft: [16, 170],
        autoPanPaddingBottomRight: [16, 16]
    };
    var TOOLTIP_OPTIONS = {direction: "top", offset: [0, -12], opacity: 0.95};

    function readJson(id) {
        return JSON.parse(document.getElementById(id).textContent);
    }

    /* A div already in the page becomes a Leaflet control, so the boxes stack in the map's
     * corners instead of overlapping; clicks and wheel turns on it do not reach the map. */
    function box(map, id, position) {
        var el = document.getElementById(id);
        var control = L.control({position: position});
        control.onAdd = function () { return el; };
        control.addTo(map);
        L.DomEvent.disableClickPropagation(el);
        L.DomEvent.disableScrollPropagation(el);
        return el;
    }

    /* A map pane at a fixed height; "passThrough" lets the mouse reach the panes below (the
     * claim areas are drawn on one canvas that would otherwise swallow every hover). */
    function pane(map, name, zIndex, passThrough) {
        var el = map.getPane(name) || map.createPane(name);
        el.style.zIndex = String(zIndex);
        if (passThrough) { el.style.pointerEvents = "none"; }
        return name;
    }

    function textNode(text, detail) {
        var el = document.createElement("div");
        var b = document.createElement("b");
        b.textContent = text;
        el.appendChild(b);
        if (detail) {
            var small = document.createElement("div");
            small.className = "fm-muted";
            small.textContent = detail;
            el.appendChild(small);
        }
        return el;
    }

    // ---- background ---------------------------------------------------------------------------

    /* Land fill, oblast borders, rivers and reservoirs; each part goes into the layer (a
     * FeatureGroup of the layer control, or the map itself) it is given. None of them takes the
     * mouse (the claims' canvas lies above them and would hide them anyway): names come from
     * hoverNames instead. */
    function basemap(map, dataId, targets) {
        var data = readJson(dataId);
        var landPane = pane(map, "fm-land", 190, true);
        var basePane = pane(map, "fm-base", 250, true);
        if (targets.land) {
            L.geoJSON(data.oblasts, {
                pane: landPane, interactive: false,
                style: {stroke: false, fillColor: "#fbfaf6", fillOpacity: 1}
            }).addTo(targets.land);
        }
        L.geoJSON(data.oblasts, {
            pane: basePane, interactive: false,
            style: {color: "#8d96a0", weight: 0.9, opacity: 1, fill: false}
        }).addTo(targets.oblasts);
        L.geoJSON(data.lakes, {
            pane: basePane, interactive: false,
            style: {color: "#7fa7c9", weight: 0.8, fillColor: "#c6dcee", fillOpacity: 0.85}
        }).addTo(targets.water);
        L.geoJSON(data.rivers, {
            pane: basePane, interactive: false,
            style: {color: "#6f9fca", weight: 1.6, opacity: 0.9, lineCap: "round"}
        }).addTo(targets.water);
        hoverNames(map, data, targets);
    }

    function inRing(ring, lon, lat) {
        var inside = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
            var a = ring[i], b = ring[j];
            if ((a[1] > lat) !== (b[1] > lat) && lon < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0]) {
                inside = !inside;
            }
        }
        return inside;
    }

    function polygons(geometry) {
        if (!geometry) { return []; }
        if (geometry.type === "Polygon") { return [geometry.coordinates]; }
        if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
        return [];
    }

    function inFeature(feature, lon, lat) {
        return polygons(feature.geometry).some(function (rings) {
            return inRing(rings[0], lon, lat) && !rings.slice(1).some(function (hole) {
                return inRing(hole, lon, lat);
            });
        });
    }

    /* Distance in "tolerances" from (x, y) to a polyline, in a plane scaled so 1 = the tolerance. */
    function nearLine(coords, lon, lat, tolLon, tolLat) {
        for (var i = 1; i < coords.length; i += 1) {
            var ax = (coords[i - 1][0] - lon) / tolLon, ay = (coords[i - 1][1] - lat) / tolLat;
            var bx = (coords[i][0] - lon) / tolLon, by = (coords[i][1] - lat) / tolLat;
            var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
            var t = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
            var px = ax + t * dx, py = ay + t * dy;
            if (px * px + py * py <= 1) { return true; }
        }
        return false;
    }

    function lines(geometry) {
        if (!geometry) { return []; }
        if (geometry.type === "LineString") { return [geometry.coordinates]; }
        if (geometry.type === "MultiLineString") { return geometry.coordinates; }
        return [];
    }

    /* The name of the river, reservoir or oblast under a resting mouse, as a tooltip (like a
     * browser's own tooltips, it waits for the mouse to stop, so it never trails the cursor). */
    function hoverNames(map, data, targets) {
        var tip = L.tooltip({direction: "top", offset: [0, -8], className: "fm-area-tip", opacity: 0.92});
        var timer = null;

        function nameAt(latlng, point) {
            var lon = latlng.lng, lat = latlng.lat;
            if (map.hasLayer(targets.water)) {
                var off = map.containerPointToLatLng(point.add([6, -6]));
                var tolLon = Math.abs(off.lng - lon) || 1e-9, tolLat = Math.abs(off.lat - lat) || 1e-9;
                var river = (data.rivers.features || []).filter(function (f) {
                    return lines(f.geometry).some(function (c) { return nearLine(c, lon, lat, tolLon, tolLat); });
                })[0];
                var lake = river || (data.lakes.features || []).filter(function (f) {
                    return inFeature(f, lon, lat);
                })[0];
                if (lake) { return lake.properties || {}; }
            }
            if (map.hasLayer(targets.oblasts)) {
                var oblast = (data.oblasts.features || []).filter(function (f) {
                    return inFeature(f, lon, lat);
                })[0];
                if (oblast) { return oblast.properties || {}; }
            }
            return null;
        }

        function hide() {
            if (timer !== null) { clearTimeout(timer); timer = null; }
            if (map.hasLayer(tip)) { map.closeTooltip(tip); }
        }

        // Leaflet marks a canvas "leaflet-interactive" while the mouse is over one of its layers:
        // over a claim or a place, that layer's own tooltip speaks.
        function overLayer() {
            return map.getContainer().querySelector("canvas.leaflet-interactive") !== null;
        }

        map.on("mousemove", function (event) {
            hide();
            if (event.originalEvent.buttons) { return; }
            timer = setTimeout(function () {
                timer = null;
                if (overLayer()) { return; }
                var props = nameAt(event.latlng, event.containerPoint);
                if (!props || !props.name) { return; }
                var names = [props.name, props.name_en].filter(Boolean).join(" / ");
                tip.setContent(textNode(names, props.note || "")).setLatLng(event.latlng);
                map.openTooltip(tip);
            }, 450);
        });
        map.on("mouseout movestart zoomstart popupopen", hide);
        return {nameAt: nameAt};
    }

    // ---- claims ---------------------------------------------------------------------------------

    /* A claim's symbol drawn on a canvas (one canvas for all claims: thousands of DOM markers
     * took seconds to paint). The symbol is an image of the SVG that symbols.py makes, so the map
     * and the legend draw the very same shapes; the click and hover area is a circle around it.
     * Uses Leaflet 1.9's canvas internals (_drawing, _ctx), as its own CircleMarker does. */
    var SymbolMarker = L.CircleMarker.extend({
        _updatePath: function () {
            var renderer = this._renderer, image = this.options.image;
            if (!renderer._drawing || this._empty() || !image) { return; }
            renderer._ctx.drawImage(image, this._point.x - ICON / 2, this._point.y - ICON / 2, ICON, ICON);
        }
    });

    /* The symbol SVGs as bitmaps, each rasterised once (at the screen's pixel ratio): drawing an
     * SVG image onto a canvas rasterises it again on every draw. Resolves when all are ready. */
    function loadSymbols(svgs) {
        var ratio = Math.max(1, Math.ceil(window.devicePixelRatio || 1));
        return Promise.all(svgs.map(function (svg) {
            var image = new Image(ICON, ICON);
            image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
            return image.decode().then(function () {
                var bitmap = document.createElement("canvas");
                bitmap.width = bitmap.height = ICON * ratio;
                bitmap.getContext("2d").drawImage(image, 0, 0, ICON * ratio, ICON * ratio);
                return bitmap;
            }, function () { return null; });
        }));
    }

    function decodeRing(flat) {
        var out = new Array(flat.length / 2), lat = 0, lon = 0;
        for (var i = 0, j = 0; i < flat.length; i += 2, j += 1) {
            lat += flat[i];
            lon += flat[i + 1];
            out[j] = [lat / AREA_SCALE, lon / AREA_SCALE];
        }
        return out;
    }

    function decodeArea(polygons) {
        return polygons.map(function (rings) { return rings.map(decodeRing); });
    }

    /* The popup of a claim, laid out exactly as popup.layout_claim_popup does in Python. */
    function popupHtml(data, row) {
        var html = data.html, parts = row[POPUP], rows = "";
        for (var i = 0; i < data.rowLabels.length; i += 1) {
            var value = html[parts[i + 2]];
            if (value) { rows += "<tr><th>" + data.rowLabels[i] + "</th><td>" + value + "</td></tr>"; }
        }
        var quote = html[parts[1]];
        return "<div class='fm-popup'><div class='fm-popup-head' style='border-color:" +
            data.sides[row[SIDE]][1] + "'>" + html[parts[0]] + "</div>" +
            (quote ? "<blockquote class='fm-quote'>" + quote + "</blockquote>" : "") +
            "<table>" + rows + "</table></div>";
    }

    /* The popup of a place, laid out exactly as popup.layout_place_popup does in Python. */
    function placePopupHtml(data, values) {
        var rows = "";
        for (var i = 0; i < data.placeRowLabels.length; i += 1) {
            var value = data.html[values[i]];
            if (value) { rows += "<tr><th>" + data.placeRowLabels[i] + "</th><td>" + value + "</td></tr>"; }
        }
        return "<div class='fm-popup fm-place'><table>" + rows + "</table></div>";
    }

    function areaStyle(renderer, colour, flags) {
        return {
            renderer: renderer, interactive: false, color: colour, fillColor: colour,
            dashArray: flags & UNVERIFIED ? "5 4" : null
        };
    }

    /* The vaguer a claim, the fainter its area: a claim "somewhere in the oblast" must not
     * outshout a claim about one village. Tiers by the area's diagonal. */
    function areaWeight(bounds) {
        var km = bounds.getNorthWest().distanceTo(bounds.getSouthEast()) / 1000;
        if (km <= 30) { return {weight: 1.2, opacity: 0.75, fillOpacity: 0.1}; }
        if (km <= 90) { return {weight: 1, opacity: 0.6, fillOpacity: 0.06}; }
        return {weight: 1, opacity: 0.45, fillOpacity: 0.025};
    }

    function button(text, label) {
        var el = document.createElement("button");
        el.type = "button";
        el.textContent = text;
        el.setAttribute("aria-label", label);
        return el;
    }

    /* Builds every claim's symbol, area and anchor line from the data document.
     *
     * A claim sits in a small layer group per (date, side, action), inside its date's layer:
     * the date layers are switched by the layer control and the time control, the small groups by
     * the side and action filters, so a claim shows exactly when its date, side and action are
     * all switched on.
     *
     * Claims at the same spot share one popup that pages through them ("2 of 5"). */
    function claims(map, dataId, dateLayers, placesLayer) {
        var data = readJson(dataId);
        var areaRenderer = L.canvas({pane: pane(map, "fm-areas", 390, true), padding: 0.1});
        var pointRenderer = L.canvas({pane: pane(map, "fm-points", 610, false), padding: 0.1});
        var groups = [], byKey = {}, records = [], places = [];
        var on = {
            side: data.sides.map(function () { return true; }),
            action: data.actions.map(function () { return true; })
        };
        var popup = L.popup(POPUP_OPTIONS);
        var halo = L.circleMarker([0, 0], {
            renderer: pointRenderer, interactive: false, radius: 16, color: "#111111", weight: 2.5,
            fill: false, opacity: 0.9
        });
        var api, shown = null;

        function groupOf(row) {
            var key = row[DATE] + "/" + row[SIDE] + "/" + row[ACTION];
            var group = byKey[key];
            if (!group) {
                group = byKey[key] = L.layerGroup();
                group.fmKey = [row[DATE], row[SIDE], row[ACTION]];
                groups.push(group);
                dateLayers[row[DATE]].addLayer(group);
            }
            return group;
        }

        /* Records of the claims drawn now within a few pixels of this one, this one first. */
        function stackAt(record) {
            var here = map.latLngToLayerPoint(record.marker.getLatLng()), stack = [record];
            records.forEach(function (other) {
                if (other !== record && map.hasLayer(other.marker) &&
                        map.latLngToLayerPoint(other.marker.getLatLng()).distanceTo(here) <= 4) {
                    stack.push(other);
                }
            });
            return stack;
        }

        function showPopup(stack, at, note) {
            var box = document.createElement("div");
            var body = document.createElement("div");
            box.appendChild(body);
            var pager = null, label = null;
            function show(i) {
                at = (i + stack.length) % stack.length;
                body.innerHTML = popupHtml(data, stack[at].row) + (note || "");  // escaped in Python
                if (label) { label.textContent = (at + 1) + " of " + stack.length + " claims here"; }
                halo.setLatLng(stack[at].marker.getLatLng());
                shown = stack[at];
                box.setAttribute("data-claim-id", stack[at].row[ID]);
            }
            if (stack.length > 1) {
                pager = document.createElement("div");
                pager.className = "fm-pager";
                var prev = button("\u25C0", "Previous claim here"), next = button("\u25B6", "Next claim here");
                label = document.createElement("span");
                prev.addEventListener("click", function () { show(at - 1); popup.update(); });
                next.addEventListener("click", function () { show(at + 1); popup.update(); });
                pager.appendChild(prev);
                pager.appendChild(label);
                pager.appendChild(next);
                box.appendChild(pager);
            }
            show(at || 0);
            popup.setLatLng(stack[0].marker.getLatLng()).setContent(box).openOn(map);
            halo.addTo(map);
        }
        map.on("popupclose", function (event) {
            if (event.popup === popup) { map.removeLayer(halo); shown = null; }
        });
        // A claim that the dates or filters hide takes its popup along.
        function closeIfHidden() {
            if (shown && popup.isOpen() && !map.hasLayer(shown.marker)) { map.closePopup(popup); }
        }
        dateLayers.forEach(function (date) { date.on("remove", closeIfHidden); });

        function onClick(event) {
            if (map.getContainer().classList.contains("fm-measuring")) { return; }
            L.DomEvent.stop(event);
            showPopup(stackAt(event.target.fmRecord), 0);
        }

        function tooltip(marker) {
            var stack = stackAt(marker.fmRecord);
            return data.html[marker.fmRecord.row[TOOLTIP]] + (stack.length > 1
                ? " <span class='fm-more'>+" + (stack.length - 1) + " more here</span>" : "");
        }

        function build(images) {
            data.claims.forEach(function (row, index) {
                var group = groupOf(row);
                var colour = data.sides[row[SIDE]][1];
                var record = {row: row, index: index, area: null, line: null, dot: null, marker: null};
                if (row[AREA]) {
                    record.area = L.polygon(decodeArea(row[AREA]), areaStyle(areaRenderer, colour, row[FLAGS]));
                    record.area.setStyle(areaWeight(record.area.getBounds()));
                    group.addLayer(record.area);
                }
                if (row[ANCHOR]) {
                    record.line = L.polyline([row[ANCHOR], [row[LAT], row[LON]]], {
                        renderer: areaRenderer, interactive: false, color: colour, weight: 1.6, opacity: 0.9,
                        dashArray: "1 5", lineCap: "round"
                    });
                    record.dot = L.circleMarker(row[ANCHOR], {
                        renderer: areaRenderer, interactive: false, radius: 2.5, color: colour, weight: 1.2,
                        fillColor: "#ffffff", fillOpacity: 1
                    });
                    group.addLayer(record.line);
                    group.addLayer(record.dot);
                }
                record.marker = new SymbolMarker([row[LAT], row[LON]], {
                    renderer: pointRenderer, radius: ICON / 2 - 3, image: images[row[ICON_AT]]
                });
                record.marker.fmRecord = record;
                record.marker.on("click", onClick);
                record.marker.bindTooltip(tooltip, TOOLTIP_OPTIONS);
                group.addLayer(record.marker);
                records.push(record);
                recordById[row[ID]] = record;
            });
            (data.places || []).forEach(function (p) {
                var dot = L.circleMarker([p[0], p[1]], {
                    renderer: pointRenderer, radius: 3.5, color: "#4d4d4d", weight: 1,
                    fillColor: "#a6a6a6", fillOpacity: 0.9
                });
                dot.bindPopup(function () { return placePopupHtml(data, p[3]); },
                    {className: "fm-leaflet-popup", maxWidth: 320});
                dot.bindTooltip(data.html[p[2]], TOOLTIP_OPTIONS);
                places.push(dot);
                if (placesLayer) { placesLayer.addLayer(dot); }
            });
            if (placesLayer) {
                // Places switched on later would be drawn over the claims: keep them underneath.
                placesLayer.on("add", function () { places.forEach(function (dot) { dot.bringToBack(); }); });
            }
            return api;
        }

        function apply() {
            groups.forEach(function (group) {
                var key = group.fmKey, date = dateLayers[key[0]];
                var wanted = on.side[key[1]] && on.action[key[2]];
                if (wanted && !date.hasLayer(group)) { date.addLayer(group); }
                if (!wanted && date.hasLayer(group)) { date.removeLayer(group); }
            });
            closeIfHidden();
            map.fire("fm:change");
        }

        var recordById = {};  // claim id -> record
        function byId(id) {
            return Object.prototype.hasOwnProperty.call(recordById, id) ? recordById[id] : null;
        }

        api = {
            data: data,
            records: records,
            dateLayers: dateLayers,
            /* Resolves once every symbol is drawn. */
            ready: loadSymbols(data.icons).then(build),
            /* Show or hide one side ("side") or action ("action") by its legend index. */
            setFilter: function (kind, index, shown) {
                on[kind][index] = Boolean(shown);
                apply();
            },
            setAll: function (kind, shown) {
                on[kind] = on[kind].map(function () { return Boolean(shown); });
                apply();
            },
            /* Ids of the claims whose symbol, area or anchor line is on the map now. */
            visible: function () {
                var out = {markers: [], areas: [], lines: []};
                records.forEach(function (r) {
                    if (map.hasLayer(r.marker)) { out.markers.push(r.row[ID]); }
                    if (r.area && map.hasLayer(r.area)) { out.areas.push(r.row[ID]); }
                    if (r.line && map.hasLayer(r.line)) { out.lines.push(r.row[ID]); }
                });
                return out;
            },
            /* Where a claim's symbol is, in page pixels (null when unknown). */
            pointOf: function (id) {
                var record = byId(id);
                if (!record) { return null; }
                var p = map.latLngToContainerPoint(record.marker.getLatLng());
                var r = map.getContainer().getBoundingClientRect();
                return {x: r.left + p.x, y: r.top + p.y};
            },
            /* Centre a claim and open its popup, also when filters or dates hide it. */
            open: function (index) {
                var record = records[index], latlng = record.marker.getLatLng();
                map.setView(latlng, Math.max(map.getZoom(), 10), {animate: false});
                if (map.hasLayer(record.marker)) {
                    showPopup(stackAt(record), 0);
                } else {
                    showPopup([record], 0,
                        "<div class='fm-muted fm-hidden-note'>Hidden by the dates or filters now shown.</div>");
                }
            },
            openPlace: function (index) {
                var dot = places[index], latlng = dot.getLatLng();
                map.setView(latlng, Math.max(map.getZoom(), 10), {animate: false});
                if (map.hasLayer(dot)) {
                    dot.openPopup();
                } else {
                    L.popup({className: "fm-leaflet-popup", maxWidth: 320}).setLatLng(latlng)
                        .setContent(placePopupHtml(data, data.places[index][3])).openOn(map);
                }
            }
        };
        return api;
    }

    // ---- place names ---------------------------------------------------------------------------

    function overlaps(a, b) {
        return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }

    /* The names of the places that the claims now shown are about, on their own canvas beside
     * the symbols. Busier places first; a name goes right, left, above or below its spot, where
     * it covers neither another name nor a symbol, or is left out (it comes back on zooming in):
     * the map never turns into a smear of text. */
    var PlaceLabels = L.Layer.extend({
        options: {pane: "fm-labels"},

        initialize: function (items, source, options) {
            L.setOptions(this, options);
            this._items = items;
            this._source = source;
            this._pending = null;
        },

        onAdd: function (map) {
            this._canvas = L.DomUtil.create("canvas", "fm-label-canvas");
            this.getPane().appendChild(this._canvas);
            map.on("moveend resize fm:change", this.redraw, this);
            map.on("zoomstart", this._hide, this);
            this._draw();
        },

        onRemove: function (map) {
            L.DomUtil.remove(this._canvas);
            map.off("moveend resize fm:change", this.redraw, this);
            map.off("zoomstart", this._hide, this);
        },

        /* Draw again at the next frame (many changes in one go cost one drawing). */
        redraw: function () {
            if (this._pending === null && this._map) {
                this._pending = L.Util.requestAnimFrame(function () {
                    this._pending = null;
                    if (this._map) { this._draw(); }
                }, this);
            }
        },

        _hide: function () { this._canvas.style.visibility = "hidden"; },

        _draw: function () {
            var map = this._map, size = map.getSize(), canvas = this._canvas;
            var ratio = window.devicePixelRatio || 1, cell = 40;
            L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
            canvas.width = size.x * ratio;
            canvas.height = size.y * ratio;
            canvas.style.width = size.x + "px";
            canvas.style.height = size.y + "px";
            canvas.style.visibility = "";
            var ctx = canvas.getContext("2d");
            ctx.scale(ratio, ratio);
            ctx.font = "600 12px 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
            ctx.textBaseline = "middle";
            ctx.lineJoin = "round";

            var now = this._source(), grid = {}, placed = [];
            now.points.forEach(function (latlng) {
                var p = map.latLngToContainerPoint(latlng);
                var key = Math.floor(p.x / cell) + "/" + Math.floor(p.y / cell);
                (grid[key] = grid[key] || []).push({x: p.x - 10, y: p.y - 10, w: 20, h: 20});
            });
            function hitsSymbol(box) {
                for (var gx = Math.floor(box.x / cell) - 1; gx <= Math.floor((box.x + box.w) / cell) + 1; gx += 1) {
                    for (var gy = Math.floor(box.y / cell) - 1; gy <= Math.floor((box.y + box.h) / cell) + 1; gy += 1) {
                        var symbols = grid[gx + "/" + gy] || [];
                        for (var i = 0; i < symbols.length; i += 1) { if (overlaps(box, symbols[i])) { return true; } }
                    }
                }
                return false;
            }
            var items = this._items.filter(function (item) { return now.counts[item.key]; });
            items.sort(function (a, b) {
                return now.counts[b.key] - now.counts[a.key] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
            });
            var named = {};  // name -> points already labelled: one name once in a neighbourhood
            items.forEach(function (item) {
                var p = map.latLngToContainerPoint(item.latlng);
                if (p.x < -80 || p.y < -20 || p.x > size.x + 80 || p.y > size.y + 20) { return; }
                if ((named[item.name] || []).some(function (q) { return q.distanceTo(p) < 120; })) { return; }
                var w = ctx.measureText(item.name).width + 4, h = 16;
                var spots = [
                    {x: p.x + ICON / 2, y: p.y - h / 2},
                    {x: p.x - ICON / 2 - w, y: p.y - h / 2},
                    {x: p.x - w / 2, y: p.y - ICON / 2 - h},
                    {x: p.x - w / 2, y: p.y + ICON / 2}
                ];
                for (var i = 0; i < spots.length; i += 1) {
                    var box = {x: spots[i].x, y: spots[i].y, w: w, h: h};
                    if (placed.some(function (o) { return overlaps(box, o); }) || hitsSymbol(box)) { continue; }
                    placed.push(box);
                    (named[item.name] = named[item.name] || []).push(p);
                    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
                    ctx.lineWidth = 3.5;
                    ctx.strokeText(item.name, box.x + 2, box.y + h / 2);
                    ctx.fillStyle = "#2b2b2b";
                    ctx.fillText(item.name, box.x + 2, box.y + h / 2);
                    return;
                }
            });
            this.shown = placed.length;
        }
    });

    /* Names of the places with claims shown now (and of the places claims are reckoned from). */
    function placeLabels(map, api, target) {
        pane(map, "fm-labels", 600, true);
        var kinds = api.data.kinds;
        var items = api.data.search.filter(function (entry) {
            return entry[6] > 0 && (kinds[entry[1]] === "claims" || kinds[entry[1]] === "reference place");
        }).map(function (entry) {
            return {name: entry[0], latlng: L.latLng(entry[2], entry[3]), key: entry[2] + "," + entry[3]};
        });
        // Claims shown now: how many at each spot (and at each reference place), and where.
        function source() {
            var counts = {}, points = [];
            api.records.forEach(function (record) {
                if (!map.hasLayer(record.marker)) { return; }
                var row = record.row, key = row[LAT] + "," + row[LON];
                counts[key] = (counts[key] || 0) + 1;
                if (row[ANCHOR]) {
                    var anchor = row[ANCHOR][0] + "," + row[ANCHOR][1];
                    counts[anchor] = (counts[anchor] || 0) + 1;
                }
                points.push(record.marker.getLatLng());
            });
            return {counts: counts, points: points};
        }
        var layer = new PlaceLabels(items, source);
        api.ready.then(function () {
            api.dateLayers.forEach(function (date) { date.on("add remove", layer.redraw, layer); });
            target.addLayer(layer);
        });
        api.labels = layer;
        return layer;
    }

    /* The side and action checkboxes of the legend drive the claims' filters. */
    function filters(api, id) {
        var root = document.getElementById(id);
        root.addEventListener("change", function (event) {
            var input = event.target;
            if (input.matches && input.matches("input[data-fm-filter]")) {
                api.setFilter(input.getAttribute("data-fm-filter"), Number(input.value), input.checked);
            }
        });
        root.addEventListener("click", function (event) {
            var button = event.target.closest ? event.target.closest("button[data-fm-set]") : null;
            if (!button) { return; }
            var kind = button.getAttribute("data-fm-group");
            var shown = button.getAttribute("data-fm-set") === "all";
            root.querySelectorAll("input[data-fm-filter='" + kind + "']").forEach(function (input) {
                input.checked = shown;
            });
            api.setAll(kind, shown);
        });
    }

    // ---- time -----------------------------------------------------------------------------------

    /* A date slider with play and "show all" buttons over the per-date layers. It adds and
     * removes the same layers as the layer control, whose checkboxes follow along. */
    function timeControl(map, id, steps, interval) {
        var el = box(map, id, "bottomleft");
        var slider = el.querySelector("input");
        var label = el.querySelector("output");
        var play = el.querySelector(".fm-time-play");
        var all = el.querySelector(".fm-time-all");
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
            el.setAttribute("data-selected", index === null ? "all" : steps[index][0]);
            if (index !== null) { slider.value = String(index); }
        }
        function stop() {
            if (timer !== null) { clearInterval(timer); timer = null; }
            play.textContent = "\u25B6";
            play.setAttribute("aria-pressed", "false");
        }
        slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
        all.addEventListener("click", function () { stop(); show(null); });
        play.addEventListener("click", function () {
            if (timer !== null) { stop(); return; }
            var i = el.getAttribute("data-selected") === "all" ? -1 : Number(slider.value);
            function next() { i = (i + 1) % steps.length; show(i); }
            play.textContent = "\u275A\u275A";
            play.setAttribute("aria-pressed", "true");
            next();
            timer = setInterval(next, interval);
        });
        if (steps.length < 2) { slider.disabled = true; play.disabled = true; }
        show(null);
    }

    // ---- search ---------------------------------------------------------------------------------

    /* Case- and diacritic-insensitive form of a name (data.fold on the Python side). */
    function fold(text) {
        return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
            .replace(/['\u2019\u02bc`\u00b4]/g, "");
    }

    /* A search box over every name drawn on the map: claims' places and their written forms,
     * reference places, places mentioned, oblasts, rivers and lakes. Prefix matches first, then
     * matches at a word start, then anywhere. */
    function search(map, id, api) {
        var el = box(map, id, "topleft");
        var input = el.querySelector("input");
        var list = el.querySelector("ul");
        var kinds = api.data.kinds;
        var entries = api.data.search.map(function (entry) { return {entry: entry, key: fold(entry[0])}; });
        var shown = [], active = -1;

        function find(query) {
            var key = fold(query.trim());
            if (!key) { return []; }
            var hits = [];
            entries.forEach(function (item) {
                var at = item.key.indexOf(key);
                if (at < 0) { return; }
                var rank = at === 0 ? 0 : /[\s\-(.,]/.test(item.key.charAt(at - 1)) ? 1 : 2;
                hits.push([rank, item.entry[1], item.key.length, item.entry[0], item.entry]);
            });
            hits.sort(function (a, b) {
                for (var i = 0; i < 3; i += 1) { if (a[i] !== b[i]) { return a[i] - b[i]; } }
                return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
            });
            return hits.slice(0, 10).map(function (hit) { return hit[4]; });
        }

        function highlight(index) {
            active = index;
            Array.prototype.forEach.call(list.children, function (li, i) {
                li.setAttribute("aria-selected", String(i === index));
            });
        }

        function render() {
            shown = find(input.value);
            list.textContent = "";
            shown.forEach(function (entry, i) {
                var li = document.createElement("li");
                li.setAttribute("role", "option");
                var name = document.createElement("b");
                name.textContent = entry[0];
                var detail = document.createElement("span");
                detail.className = "fm-muted";
                detail.textContent = entry[5] || kinds[entry[1]];
                li.appendChild(name);
                li.appendChild(detail);
                // mousedown keeps the focus in the box (a blur would hide the list before the
                // click lands); the click, inside the control, never reaches the map.
                li.addEventListener("mousedown", function (event) { event.preventDefault(); });
                li.addEventListener("click", function () { go(i); });
                list.appendChild(li);
            });
            list.hidden = shown.length === 0;
            el.setAttribute("data-results", String(shown.length));
            highlight(shown.length ? 0 : -1);
        }

        function go(index) {
            var entry = shown[index];
            if (!entry) { return; }
            var kind = kinds[entry[1]], target = entry[4];
            list.hidden = true;
            if ((kind === "claims" || kind === "written form") && target >= 0) {
                api.open(target);
            } else if (kind === "place mentioned" && target >= 0) {
                api.openPlace(target);
            } else if (Array.isArray(target)) {
                map.fitBounds([[target[0], target[1]], [target[2], target[3]]], {padding: [40, 40], animate: false});
                L.popup({className: "fm-leaflet-popup"}).setLatLng([entry[2], entry[3]])
                    .setContent(textNode(entry[0], entry[5] || kind)).openOn(map);
            } else {
                map.setView([entry[2], entry[3]], Math.max(map.getZoom(), 11), {animate: false});
                L.popup({className: "fm-leaflet-popup"}).setLatLng([entry[2], entry[3]])
                    .setContent(textNode(entry[0], entry[5] || kind)).openOn(map);
            }
        }

        input.addEventListener("input", render);
        input.addEventListener("focus", render);
        input.addEventListener("blur", function () { list.hidden = true; });
        input.addEventListener("keydown", function (event) {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                if (shown.length) {
                    highlight((active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length);
                }
            } else if (event.key === "Enter") {
                event.preventDefault();
                go(active < 0 ? 0 : active);
            } else if (event.key === "Escape") {
                input.value = "";
                render();
            }
        });
        return {find: find};
    }

    // ---- measuring ------------------------------------------------------------------------------

    /* Great-circle distance in km between two LatLngs (haversine on the mean Earth radius). */
    function haversine(a, b) {
        var rad = Math.PI / 180;
        var dLat = (b.lat - a.lat) * rad, dLon = (b.lng - a.lng) * rad;
        var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
            Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    function formatKm(km) {
        return (km < 10 ? km.toFixed(2) : km.toFixed(1)) + " km";
    }

    /* A ruler: switch it on, click two or more points, read the distance along them. A double
     * click (or Enter) ends the line and keeps it with its distance on screen, and the map
     * answers clicks again; the button or Esc clears it. */
    function measure(map, id) {
        var el = box(map, id, "topright");
        var button = el.querySelector("button");
        var readout = el.querySelector("output");
        var layer = L.layerGroup();
        var line = L.polyline([], {color: "#111111", weight: 2.5, dashArray: "6 5", interactive: false});
        var points = [], state = "off";  // "off", "measuring" or "done"

        function total() {
            var km = 0;
            for (var i = 1; i < points.length; i += 1) { km += haversine(points[i - 1], points[i]); }
            return km;
        }
        function update() {
            line.setLatLngs(points);
            var km = total();
            readout.textContent = points.length < 2 ? "Click points on the map" : formatKm(km);
            el.setAttribute("data-km", points.length < 2 ? "" : km.toFixed(3));
            el.setAttribute("data-state", state);
        }
        function clear() {
            points = [];
            layer.clearLayers();
            layer.addLayer(line);
            if (state === "done") { measuring(); }
            update();
        }
        function measuring() {
            state = "measuring";
            map.doubleClickZoom.disable();  // a double click ends the line instead
            map.getContainer().classList.add("fm-measuring");
            update();
        }
        function done() {
            state = "done";
            map.doubleClickZoom.enable();
            map.getContainer().classList.remove("fm-measuring");
            update();
        }
        function start() {
            clear();
            layer.addTo(map);
            button.setAttribute("aria-pressed", "true");
            el.classList.add("fm-measure-on");
            measuring();
        }
        function stop() {
            done();
            state = "off";
            map.removeLayer(layer);
            button.setAttribute("aria-pressed", "false");
            el.classList.remove("fm-measure-on");
            update();
        }
        button.addEventListener("click", function () { if (state === "off") { start(); } else { stop(); } });
        el.querySelector(".fm-measure-clear").addEventListener("click", clear);
        map.on("click", function (event) {
            if (state !== "measuring") { return; }
            points.push(event.latlng);
            layer.addLayer(L.circleMarker(event.latlng, {
                radius: 4, color: "#111111", weight: 2, fillColor: "#ffffff", fillOpacity: 1, interactive: false
            }));
            update();
        });
        map.on("dblclick", function () { if (state === "measuring" && points.length > 1) { done(); } });
        document.addEventListener("keydown", function (event) {
            if (state === "off") { return; }
            if (event.key === "Escape") { stop(); }
            if (event.key === "Enter" && state === "measuring" && points.length > 1) { done(); }
        });
        update();
        return {haversine: haversine, total: total};
    }

    // ---- ready ----------------------------------------------------------------------------------

    /* The layer list scrolls where it would run into the legend below it (both sit on the
     * right; their heights depend on the data and the window). */
    function fitControls(map) {
        var container = map.getContainer();
        var list = container.querySelector(".leaflet-control-layers-expanded");
        if (!list) { return; }
        var legend = container.querySelector(".fm-legend");
        var limit = legend ? legend.getBoundingClientRect().top - 10 : container.getBoundingClientRect().bottom - 40;
        var style = window.getComputedStyle(list);
        var frame = ["paddingTop", "paddingBottom", "borderTopWidth", "borderBottomWidth"].reduce(
            function (sum, key) { return sum + (parseFloat(style[key]) || 0); }, 0);
        list.style.maxHeight = Math.max(90, limit - list.getBoundingClientRect().top - frame) + "px";
    }

    /* Everything is built: tests and the benchmark wait for this flag. */
    function ready(map, api) {
        fitControls(map);
        map.on("resize", function () { fitControls(map); });
        api.ready.then(function () {
            window.__frontmap = api;
            window.__frontmapReadyMs = performance.now();
            window.__frontmapReady = true;
            document.documentElement.setAttribute("data-frontmap-ready", "true");
            // When the first frame with everything on it has been drawn (for the benchmark).
            requestAnimationFrame(function () {
                setTimeout(function () { window.__frontmapPaintedMs = performance.now(); }, 0);
            });
        });
    }

    return {
        box: box,
        basemap: basemap,
        claims: claims,
        filters: filters,
        placeLabels: placeLabels,
        timeControl: timeControl,
        search: search,
        measure: measure,
        haversine: haversine,
        ready: ready
    };
}());
