/* frontmap-cells.js: a big map's claims counted in the cells of a grid (frontmap/render/cells.py).
 *
 * Inlined after frontmap.js, only into maps with more claims than render_map draws one by one.
 * The document holds spots (claim positions), run lengths that make every cell of every grid
 * level a run of consecutive spots and claims, and one packed number per claim. Counting is done
 * here, for the cells in view and the dates, sides and actions shown now, on every redraw.
 *
 * Every string in the document was escaped in Python (frontmap.render.popup.esc); the rest is
 * numbers and palette colours. Nothing here builds HTML from text it did not get escaped.
 */
(function (fm) {
    "use strict";

    var TARGET_PX = 48;   // a grid level is used while its cells are at least this high on screen
    var PAD = 0.2;        // the canvas reaches this share of the view beyond each edge (panning)
    var RING = 3.5;       // the side ring and white rim around a disc, in px
    var LIST_MAX = 30;    // a group of at most this many claims lists them in its popup
    var TOP_PLACES = 6;
    var LABEL_FONT = "600 12px 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
    var POPUP_OPTIONS = {
        maxWidth: 400,
        minWidth: 260,
        className: "fm-leaflet-popup",
        autoPanPaddingTopLeft: [16, 170],
        autoPanPaddingBottomRight: [16, 16]
    };

    function pane(map, name, zIndex, passThrough) {
        var el = map.getPane(name) || map.createPane(name);
        el.style.zIndex = String(zIndex);
        if (passThrough) { el.style.pointerEvents = "none"; }
        return name;
    }

    function number(n) {
        return n.toLocaleString("en-US");
    }

    /* "1,234" fits a small disc as "1.2k". */
    function short(n) {
        if (n < 1000) { return String(n); }
        if (n < 10000) { return (Math.floor(n / 100) / 10) + "k"; }
        if (n < 1000000) { return Math.floor(n / 1000) + "k"; }
        return (Math.floor(n / 100000) / 10) + "M";
    }

    function radius(n) {
        return 8 + 3.6 * Math.log(n) / Math.LN10;  // 1 claim: 8 px, 100,000: 26 px
    }

    function plural(n, word) {
        return number(n) + " " + word + (n === 1 ? "" : "s");
    }

    /* The document's run lengths and packed claims as typed arrays. */
    function decode(data) {
        var scale = data.grid.scale, count = data.spots.length / 2;
        var lat = new Float64Array(count), lon = new Float64Array(count);
        var a = 0, b = 0, i, j;
        for (i = 0; i < count; i += 1) {
            a += data.spots[2 * i];
            b += data.spots[2 * i + 1];
            lat[i] = a / scale;
            lon[i] = b / scale;
        }
        var claimStart = new Int32Array(count + 1);
        for (i = 0; i < count; i += 1) { claimStart[i + 1] = claimStart[i] + data.spotClaims[i]; }
        var sides = data.sides.length, actions = data.actions.length, n = data.claims.length;
        var group = new Int32Array(n), side = new Uint16Array(n), action = new Uint16Array(n);
        var date = new Int32Array(n), flags = new Uint8Array(n);
        for (i = 0; i < n; i += 1) {
            var v = data.claims[i], g = Math.floor(v / 8);
            flags[i] = v % 8;
            group[i] = g;
            action[i] = g % actions;
            side[i] = Math.floor(g / actions) % sides;
            date[i] = Math.floor(g / (actions * sides));
        }
        function level(runs, deg) {
            var cells = runs.length, start = new Int32Array(cells + 1);
            var box = {s: new Float64Array(cells), w: new Float64Array(cells),
                       n: new Float64Array(cells), e: new Float64Array(cells)};
            var s = 0;
            for (var c = 0; c < cells; c += 1) {
                start[c] = s;
                box.s[c] = box.w[c] = Infinity;
                box.n[c] = box.e[c] = -Infinity;
                for (var end = s + runs[c]; s < end; s += 1) {
                    if (lat[s] < box.s[c]) { box.s[c] = lat[s]; }
                    if (lat[s] > box.n[c]) { box.n[c] = lat[s]; }
                    if (lon[s] < box.w[c]) { box.w[c] = lon[s]; }
                    if (lon[s] > box.e[c]) { box.e[c] = lon[s]; }
                }
            }
            start[cells] = s;
            return {deg: deg, cells: cells, start: start, box: box};
        }
        var levels = data.levels.map(function (runs, k) {
            return level(runs, Math.pow(2, -(data.grid.coarsest + k)));
        });
        var ones = [];
        for (j = 0; j < count; j += 1) { ones.push(1); }
        var spotsLevel = level(ones, 0);  // past the finest grid level: every spot on its own
        return {
            lat: lat, lon: lon, claimStart: claimStart, group: group, side: side, action: action,
            date: date, flags: flags, levels: levels, spots: spotsLevel,
            dates: data.dates.length, sideCount: sides, actionCount: actions
        };
    }

    /* Claims of a big map, counted in grid cells and drawn as one disc per cell in view.
     *
     * Same API shape as frontmap.claims: dateLayers (shown or hidden by the layer control and
     * the time control) and the side and action filters decide which claims are counted. */
    function cells(map, dataId, dateLayers, placesLayer, labelsLayer) {
        var data = JSON.parse(document.getElementById(dataId).textContent);
        var t = decode(data);
        var on = {
            side: data.sides.map(function () { return true; }),
            action: data.actions.map(function () { return true; })
        };
        var vis = new Uint8Array(Math.max(1, t.dates * t.sideCount * t.actionCount));
        var nameCount = new Int32Array(data.names.length);
        var popup = L.popup(POPUP_OPTIONS);
        var places = [];
        var api, layer, drawn = [], current = null, totalShown = 0;

        function updateVisible() {
            var S = t.sideCount, A = t.actionCount;
            totalShown = 0;
            for (var g = 0; g < vis.length; g += 1) {
                var d = Math.floor(g / (S * A));
                vis[g] = map.hasLayer(dateLayers[d]) && on.side[Math.floor(g / A) % S] && on.action[g % A] ? 1 : 0;
            }
            for (var c = 0; c < t.group.length; c += 1) { totalShown += vis[t.group[c]]; }
        }

        /* The grid level for the zoom: the finest whose cells are still TARGET_PX high, the
         * spots themselves once the finest cells are twice that. */
        function pickLevel() {
            var centre = map.getCenter(), z = map.getZoom();
            var a = map.project(centre, z), b = map.project([Math.min(85, centre.lat + 0.1), centre.lng], z);
            var perDeg = Math.abs(a.y - b.y) / 0.1;
            var finest = t.levels.length - 1;
            if (t.levels[finest].deg * perDeg >= 2 * TARGET_PX) { return t.spots; }
            for (var k = finest; k >= 0; k -= 1) {
                if (t.levels[k].deg * perDeg >= TARGET_PX) { return t.levels[k]; }
            }
            return t.levels[0];
        }

        /* Claims counted over spot ranges: total, by side, by action, marks, places, dates.
         * ``all`` counts hidden claims too (a place found by the search while filters hide it). */
        function summarize(ranges, all) {
            var out = {n: 0, hidden: 0, sides: new Array(t.sideCount).fill(0),
                       actions: new Array(t.actionCount).fill(0), marks: [0, 0, 0],
                       names: {}, first: Infinity, last: -1, claims: []};
            ranges.forEach(function (range) {
                for (var c = t.claimStart[range[0]]; c < t.claimStart[range[1]]; c += 1) {
                    if (!all && !vis[t.group[c]]) { out.hidden += 1; continue; }
                    out.n += 1;
                    out.sides[t.side[c]] += 1;
                    out.actions[t.action[c]] += 1;
                    for (var bit = 0; bit < 3; bit += 1) { if (t.flags[c] & (1 << bit)) { out.marks[bit] += 1; } }
                    var name = data.claimNames[c];
                    if (name) { out.names[name] = (out.names[name] || 0) + 1; }
                    if (t.date[c] < out.first) { out.first = t.date[c]; }
                    if (t.date[c] > out.last) { out.last = t.date[c]; }
                    if (out.claims.length <= LIST_MAX) { out.claims.push(c); }
                }
            });
            return out;
        }

        function bar(count, total, colour) {
            var width = total ? Math.max(2, Math.round(100 * count / total)) : 0;
            return "<span class='fm-cell-bar'><span style='width:" + width + "%;background:" + colour +
                "'></span></span>";
        }

        /* The popup of a group: escaped names from the document, numbers, palette colours. */
        function popupHtml(sum, note) {
            var dominant = sum.sides.indexOf(Math.max.apply(null, sum.sides));
            var span = sum.last < 0 ? "" : data.dates[sum.first] +
                (sum.last !== sum.first ? " \u2013 " + data.dates[sum.last] : "");
            var html = "<div class='fm-popup-head' style='border-color:" + data.sides[dominant][1] + "'><b>" +
                plural(sum.n, "claim") + "</b>" + (span ? " <span class='fm-muted'>" + span + "</span>" : "") +
                "</div><table class='fm-cell-table'><tr><th colspan='3'>Who claims</th></tr>";
            sum.sides.forEach(function (n, i) {
                if (!n) { return; }
                html += "<tr><td><span class='fm-cell-swatch' style='background:" + data.sides[i][1] + "'></span>" +
                    data.sides[i][0] + "</td><td class='fm-cell-n'>" + number(n) + "</td><td>" +
                    bar(n, sum.n, data.sides[i][1]) + "</td></tr>";
            });
            html += "<tr><th colspan='3'>What</th></tr>";
            sum.actions.forEach(function (n, i) {
                if (!n) { return; }
                html += "<tr><td>" + data.actions[i] + "</td><td class='fm-cell-n'>" + number(n) + "</td><td>" +
                    bar(n, sum.n, "#6b6b6b") + "</td></tr>";
            });
            html += "</table>";
            var marks = ["unverified", "contested", "denial"].map(function (word, i) {
                return sum.marks[i] ? number(sum.marks[i]) + " " + word + (i === 2 && sum.marks[i] > 1 ? "s" : "") : "";
            }).filter(Boolean);
            if (marks.length) { html += "<div class='fm-cell-line'><b>Marks</b> " + marks.join(" \u00b7 ") + "</div>"; }
            var names = Object.keys(sum.names).map(Number).sort(function (a, b) {
                return sum.names[b] - sum.names[a] || a - b;
            });
            if (names.length) {
                html += "<div class='fm-cell-line'><b>Places</b> " + names.slice(0, TOP_PLACES).map(function (i) {
                    return data.names[i] + " <span class='fm-muted'>" + number(sum.names[i]) + "</span>";
                }).join(" \u00b7 ") + (names.length > TOP_PLACES
                    ? " \u00b7 <span class='fm-muted'>" + plural(names.length - TOP_PLACES, "other place") + "</span>" : "") +
                    "</div>";
            }
            if (sum.n <= LIST_MAX) {
                html += "<ol class='fm-cell-claims'>" + sum.claims.map(function (c) {
                    var marks = ["unverified", "contested", "denial"].filter(function (_, bit) {
                        return t.flags[c] & (1 << bit);
                    });
                    return "<li><span class='fm-muted'>" + data.dates[t.date[c]] + "</span> <b style='color:" +
                        data.sides[t.side[c]][1] + "'>" + data.sides[t.side[c]][0] + "</b>: " +
                        data.actions[t.action[c]] + (data.claimNames[c] ? ", " + data.names[data.claimNames[c]] : "") +
                        (marks.length ? " <span class='fm-muted'>(" + marks.join(", ") + ")</span>" : "") +
                        " <code>" + data.ids[c] + "</code></li>";
                }).join("") + "</ol>";
                html += "<div class='fm-muted fm-cell-note'>Each claim's sentence, source and precision: " +
                    "claims.geojson, by id.</div>";
            } else {
                html += "<div class='fm-muted fm-cell-note'>Zoom in to list the claims (" + LIST_MAX +
                    " or fewer in a group); each claim's sentence and source are in claims.geojson.</div>";
            }
            if (sum.hidden) {
                html += "<div class='fm-muted fm-cell-note'>" + plural(sum.hidden, "more claim") +
                    " here hidden by the dates or filters now shown.</div>";
            }
            return "<div class='fm-popup fm-cell-popup'>" + html + (note || "") + "</div>";
        }

        function boundsOf(ranges) {
            var s = Infinity, w = Infinity, n = -Infinity, e = -Infinity;
            ranges.forEach(function (range) {
                for (var i = range[0]; i < range[1]; i += 1) {
                    s = Math.min(s, t.lat[i]); n = Math.max(n, t.lat[i]);
                    w = Math.min(w, t.lon[i]); e = Math.max(e, t.lon[i]);
                }
            });
            return L.latLngBounds([s, w], [n, e]);
        }

        function showPopup(latlng, ranges, all, note) {
            var sum = summarize(ranges, all);
            var box = document.createElement("div");
            box.innerHTML = popupHtml(sum, note);  // escaped in Python
            box.setAttribute("data-fm-cell-claims", String(sum.n));
            var bounds = boundsOf(ranges);
            var single = bounds.getNorth() === bounds.getSouth() && bounds.getEast() === bounds.getWest();
            if (!single || map.getZoom() < map.getMaxZoom()) {
                var zoom = document.createElement("button");
                zoom.type = "button";
                zoom.className = "fm-cell-zoom";
                zoom.textContent = "Zoom in";
                zoom.addEventListener("click", function () {
                    map.closePopup(popup);
                    if (single) {
                        map.setView(bounds.getCenter(), Math.min(map.getMaxZoom(), map.getZoom() + 3));
                    } else {
                        map.fitBounds(bounds, {padding: [80, 80], maxZoom: Math.max(map.getZoom() + 1, 12)});
                    }
                });
                box.firstChild.appendChild(zoom);
            }
            current = ranges;
            popup.setLatLng(latlng).setContent(box).openOn(map);
        }
        map.on("popupclose", function (event) { if (event.popup === popup) { current = null; } });

        // ---- drawing ----

        /* Count the claims shown in each cell in view and merge discs that would overlap. */
        function groups() {
            var level = pickLevel(), size = map.getSize();
            var view = L.bounds([-PAD * size.x, -PAD * size.y], [(1 + PAD) * size.x, (1 + PAD) * size.y]);
            var sw = map.containerPointToLatLng([view.min.x, view.max.y]);
            var ne = map.containerPointToLatLng([view.max.x, view.min.y]);
            var box = level.box, found = [];
            var sideN = new Int32Array(t.sideCount), touched = [];
            for (var c = 0; c < level.cells; c += 1) {
                if (box.n[c] < sw.lat || box.s[c] > ne.lat || box.e[c] < sw.lng || box.w[c] > ne.lng) { continue; }
                var n = 0, sumLat = 0, sumLon = 0;
                sideN.fill(0);
                for (var s = level.start[c]; s < level.start[c + 1]; s += 1) {
                    var k = 0;
                    for (var i = t.claimStart[s]; i < t.claimStart[s + 1]; i += 1) {
                        if (!vis[t.group[i]]) { continue; }
                        k += 1;
                        sideN[t.side[i]] += 1;
                        var name = data.claimNames[i];
                        if (name) {
                            if (!nameCount[name]) { touched.push(name); }
                            nameCount[name] += 1;
                        }
                    }
                    n += k;
                    sumLat += k * t.lat[s];
                    sumLon += k * t.lon[s];
                }
                if (!n) { continue; }
                var names = {};
                touched.forEach(function (name) {
                    names[name] = nameCount[name];
                    nameCount[name] = 0;
                });
                touched.length = 0;
                found.push({
                    n: n, sides: Array.prototype.slice.call(sideN), latlng: L.latLng(sumLat / n, sumLon / n),
                    ranges: [[level.start[c], level.start[c + 1]]], names: names
                });
            }
            return merge(found);
        }

        function byCount(a, b) { return b.n - a.n || a.ranges[0][0] - b.ranges[0][0]; }

        /* Discs that would overlap (rings included) become one, at their claims' weighted centre,
         * pass after pass until none overlaps (a merged disc is bigger and may reach another).
         * Biggest first: the busiest places keep a disc of their own. */
        function merge(list) {
            var cell = 2 * (radius(Math.max(1, totalShown)) + RING) + 2;
            list.forEach(function (g) {
                g.sumLat = g.latlng.lat * g.n;
                g.sumLon = g.latlng.lng * g.n;
                g.point = map.latLngToContainerPoint(g.latlng);
                g.r = radius(g.n);
            });
            for (var pass = 0; pass < 20; pass += 1) {
                var kept = [], grid = {}, merged = false;
                list.sort(byCount);
                list.forEach(function (g) {
                    var gx = Math.floor(g.point.x / cell), gy = Math.floor(g.point.y / cell);
                    for (var x = gx - 1; x <= gx + 1; x += 1) {
                        for (var y = gy - 1; y <= gy + 1; y += 1) {
                            var near = grid[x + "/" + y] || [];
                            for (var j = 0; j < near.length; j += 1) {
                                var other = near[j];
                                if (other.point.distanceTo(g.point) < other.r + g.r + 2 * RING + 1) {
                                    other.n += g.n;
                                    other.sumLat += g.sumLat;
                                    other.sumLon += g.sumLon;
                                    g.sides.forEach(function (v, i) { other.sides[i] += v; });
                                    Object.keys(g.names).forEach(function (k) {
                                        other.names[k] = (other.names[k] || 0) + g.names[k];
                                    });
                                    other.ranges = other.ranges.concat(g.ranges);
                                    other.r = radius(other.n);
                                    merged = true;
                                    return;
                                }
                            }
                        }
                    }
                    (grid[gx + "/" + gy] = grid[gx + "/" + gy] || []).push(g);
                    kept.push(g);
                });
                kept.forEach(function (g) {
                    g.latlng = L.latLng(g.sumLat / g.n, g.sumLon / g.n);
                    g.point = map.latLngToContainerPoint(g.latlng);
                });
                list = kept;
                if (!merged) { break; }
            }
            list.forEach(function (g) { g.name = topName(g.names); });
            return list.sort(byCount);
        }

        /* The most counted name (the first in the document's order among equals); 0 for none. */
        function topName(names) {
            var top = 0;
            Object.keys(names).forEach(function (key) {
                var name = Number(key);
                if (!top || names[name] > names[top] || (names[name] === names[top] && name < top)) { top = name; }
            });
            return top;
        }

        function drawDisc(ctx, g) {
            var x = g.point.x, y = g.point.y, r = g.r, total = g.n;
            var dominant = g.sides.indexOf(Math.max.apply(null, g.sides));
            ctx.beginPath();
            ctx.arc(x, y, r + RING, 0, 2 * Math.PI);
            ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
            ctx.fill();
            var start = -Math.PI / 2;
            ctx.lineWidth = 4;
            g.sides.forEach(function (n, i) {
                if (!n) { return; }
                var end = start + 2 * Math.PI * n / total;
                ctx.beginPath();
                ctx.arc(x, y, r + 1.5, start, end);
                ctx.strokeStyle = data.sides[i][1];
                ctx.stroke();
                start = end;
            });
            ctx.beginPath();
            ctx.arc(x, y, r - 1.5, 0, 2 * Math.PI);
            ctx.fillStyle = data.sides[dominant][1];
            ctx.fill();
            ctx.lineWidth = 1.2;
            ctx.strokeStyle = "#ffffff";
            ctx.stroke();
            var text = short(total);
            ctx.font = "bold " + (text.length > 3 ? 10 : 11) + "px 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.lineJoin = "round";  // a mitred outline spikes at the sharp corners of "4" and "k"
            ctx.lineWidth = 2.5;
            ctx.strokeStyle = "rgba(0, 0, 0, 0.55)";
            ctx.strokeText(text, x, y + 0.5);
            ctx.fillStyle = "#ffffff";
            ctx.fillText(text, x, y + 0.5);
        }

        function overlaps(a, b) {
            return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        }

        /* The top place of each group beside its disc, where it covers no disc and no other name,
     * and not again within 120 px of the same name. */
        function drawNames(ctx, list) {
            ctx.font = LABEL_FONT;
            ctx.textAlign = "left";
            ctx.textBaseline = "middle";
            ctx.lineJoin = "round";
            var discs = list.map(function (g) {
                return {x: g.point.x - g.r - 3, y: g.point.y - g.r - 3, w: 2 * g.r + 6, h: 2 * g.r + 6};
            });
            var placed = [], shown = 0, named = {};
            var scratch = document.createElement("textarea");
            list.forEach(function (g) {
                if (!g.name) { return; }
                scratch.innerHTML = data.names[g.name];  // escaped HTML -> its text, never run
                var text = scratch.value, w = ctx.measureText(text).width + 4, h = 16;
                if ((named[g.name] || []).some(function (p) { return p.distanceTo(g.point) < 120; })) { return; }
                var spots = [
                    {x: g.point.x + g.r + 4, y: g.point.y - h / 2},
                    {x: g.point.x - g.r - 4 - w, y: g.point.y - h / 2},
                    {x: g.point.x - w / 2, y: g.point.y + g.r + 4}
                ];
                for (var i = 0; i < spots.length; i += 1) {
                    var box = {x: spots[i].x, y: spots[i].y, w: w, h: h};
                    if (placed.some(function (o) { return overlaps(box, o); }) ||
                            discs.some(function (o) { return overlaps(box, o); })) { continue; }
                    placed.push(box);
                    (named[g.name] = named[g.name] || []).push(g.point);
                    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
                    ctx.lineWidth = 3.5;
                    ctx.strokeText(text, box.x + 2, box.y + h / 2);
                    ctx.fillStyle = "#2b2b2b";
                    ctx.fillText(text, box.x + 2, box.y + h / 2);
                    shown += 1;
                    return;
                }
            });
            return shown;
        }

        var CellLayer = L.Layer.extend({
            options: {pane: "fm-cells"},

            onAdd: function () {
                this._canvas = L.DomUtil.create("canvas", "fm-cell-canvas");
                this.getPane().appendChild(this._canvas);
                map.on("moveend resize", this.redraw, this);
                map.on("zoomstart", this._hide, this);
                this._pending = null;
                this.draw();
            },

            onRemove: function () {
                L.DomUtil.remove(this._canvas);
                map.off("moveend resize", this.redraw, this);
                map.off("zoomstart", this._hide, this);
            },

            redraw: function () {
                if (this._pending === null && this._map) {
                    this._pending = L.Util.requestAnimFrame(function () {
                        this._pending = null;
                        if (this._map) { this.draw(); }
                    }, this);
                }
            },

            _hide: function () { this._canvas.style.visibility = "hidden"; },

            draw: function () {
                var size = map.getSize(), canvas = this._canvas, ratio = window.devicePixelRatio || 1;
                var offX = PAD * size.x, offY = PAD * size.y;
                var width = size.x + 2 * offX, height = size.y + 2 * offY;
                L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([-offX, -offY]));
                canvas.width = Math.round(width * ratio);
                canvas.height = Math.round(height * ratio);
                canvas.style.width = width + "px";
                canvas.style.height = height + "px";
                canvas.style.visibility = "";
                var ctx = canvas.getContext("2d");
                ctx.setTransform(ratio, 0, 0, ratio, ratio * offX, ratio * offY);
                drawn = groups();
                // Big discs first: small ones stay on top and clickable.
                for (var i = 0; i < drawn.length; i += 1) { drawDisc(ctx, drawn[i]); }
                this.names = labelsLayer && map.hasLayer(labelsLayer) ? drawNames(ctx, drawn) : 0;
            }
        });

        function hit(point) {
            for (var i = drawn.length - 1; i >= 0; i -= 1) {
                if (drawn[i].point.distanceTo(point) <= drawn[i].r + 3) { return drawn[i]; }
            }
            return null;
        }

        var tip = L.tooltip({direction: "top", offset: [0, -14], opacity: 0.95});
        map.on("mousemove", function (event) {
            var g = layer && !map.getContainer().classList.contains("fm-measuring") ? hit(event.containerPoint) : null;
            layer._canvas.classList.toggle("leaflet-interactive", Boolean(g));  // basemap names keep quiet
            map.getContainer().style.cursor = g ? "pointer" : "";
            if (g) {
                tip.setContent(plural(g.n, "claim") + (g.name ? " \u00b7 " + data.names[g.name] : "") +
                    " <span class='fm-more'>click for details</span>").setLatLng(g.latlng);
                if (!map.hasLayer(tip)) { map.openTooltip(tip); }
            } else if (map.hasLayer(tip)) {
                map.closeTooltip(tip);
            }
        });
        map.on("mouseout zoomstart", function () { if (map.hasLayer(tip)) { map.closeTooltip(tip); } });
        map.on("click", function (event) {
            if (map.getContainer().classList.contains("fm-measuring")) { return; }
            var g = hit(event.containerPoint);
            if (g) { showPopup(g.latlng, g.ranges, false); }
        });

        function changed() {
            updateVisible();
            if (current) { map.closePopup(popup); }
            layer.redraw();
            map.fire("fm:change");
        }

        pane(map, "fm-cells", 610, true);
        updateVisible();
        dateLayers.forEach(function (date) { date.on("add remove", changed); });
        if (labelsLayer) { labelsLayer.on("add remove", function () { layer.redraw(); }); }

        var pointRenderer = L.canvas({pane: pane(map, "fm-cell-places", 600, false), padding: 0.1});
        (data.places || []).forEach(function (p) {
            var dot = L.circleMarker([p[0], p[1]], {
                renderer: pointRenderer, radius: 3.5, color: "#4d4d4d", weight: 1,
                fillColor: "#a6a6a6", fillOpacity: 0.9
            });
            dot.bindPopup(function () { return placePopupHtml(p[3]); }, {className: "fm-leaflet-popup", maxWidth: 320});
            dot.bindTooltip(data.html[p[2]], {direction: "top", offset: [0, -6], opacity: 0.95});
            places.push(dot);
            if (placesLayer) { placesLayer.addLayer(dot); }
        });

        function placePopupHtml(values) {
            var rows = "";
            for (var i = 0; i < data.placeRowLabels.length; i += 1) {
                var value = data.html[values[i]];
                if (value) { rows += "<tr><th>" + data.placeRowLabels[i] + "</th><td>" + value + "</td></tr>"; }
            }
            return "<div class='fm-popup fm-place'><table>" + rows + "</table></div>";
        }

        layer = new CellLayer();
        api = {
            mode: "cells",
            data: data,
            records: [],
            dateLayers: dateLayers,
            ready: null,
            setFilter: function (kind, index, shown) {
                on[kind][index] = Boolean(shown);
                changed();
            },
            setAll: function (kind, shown) {
                on[kind] = on[kind].map(function () { return Boolean(shown); });
                changed();
            },
            /* The discs drawn now (for tests and the benchmark): count, counts by side, where
             * in page pixels, and the place named beside it. */
            shown: function () {
                var r = map.getContainer().getBoundingClientRect();
                return drawn.map(function (g) {
                    return {n: g.n, sides: g.sides.slice(), x: r.left + g.point.x, y: r.top + g.point.y,
                            r: g.r, name: g.name ? data.names[g.name] : ""};
                });
            },
            /* How many claims the dates and filters show now, in view or not. */
            total: function () { return totalShown; },
            /* Draw now rather than at the next frame. */
            redraw: function () { layer.draw(); },
            /* Go to a spot found by the search and open the popup of the disc that holds it. */
            open: function (spot) {
                map.setView([t.lat[spot], t.lon[spot]], Math.max(map.getZoom(), 11), {animate: false});
                layer.draw();
                var g = drawn.filter(function (d) {
                    return d.ranges.some(function (range) { return range[0] <= spot && spot < range[1]; });
                })[0];
                if (g) {
                    showPopup(g.latlng, g.ranges, false);
                } else {
                    showPopup(L.latLng(t.lat[spot], t.lon[spot]), [[spot, spot + 1]], true,
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
                        .setContent(placePopupHtml(data.places[index][3])).openOn(map);
                }
            }
        };
        layer.addTo(map);
        api.layer = layer;
        api.ready = Promise.resolve(api);
        return api;
    }

    fm.cells = cells;
}(frontmap));
