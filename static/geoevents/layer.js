/* geo-events map layer: every event of a dataset, aggregated on a grid for the current view.
 *
 * The dataset (positions and styles of all events, geo.mapview.MarkerSet) is fetched ONCE per
 * dataset and kept for the life of the map frame; a filter change sends only a bitmask of the
 * events shown, so a redraw transfers kilobytes. Cards (the HTML built and escaped in Python by
 * geo.mapview.card_parts) are fetched in chunks when a marker is hovered or clicked; this script
 * never builds HTML from event text, it only joins those escaped fragments.
 *
 * Drawn for the view on every moveend: the shown events in view are counted into grid cells of
 * 56 px (one pass, ~20 ms at 100k events; a filter change builds no index, unlike supercluster,
 * whose index took 1 s at 92k events). A cell with several events is a cluster, drawn as a small
 * DOM label with its count at their centroid; a click zooms to its events, or lists them when
 * they share one place. A single event is a canvas circle marker (colour = type, radius =
 * fatalities, dash and fill = geo-precision). Pan and zoom never talk to the server.
 */
(function () {
    "use strict";

    var datasets = {};  // source URL -> Dataset (one per map frame and dataset)

    function getJSON(url) {
        return fetch(url).then(function (reply) {
            if (!reply.ok) { throw new Error(url + ": HTTP " + reply.status); }
            return reply.json();
        });
    }

    /** Indexes of the set bits of a base64 bitmask (bit i of byte i >> 3, least significant first). */
    function decodeMask(b64, n) {
        var bytes = atob(b64), out = [];
        for (var b = 0; b < bytes.length; b++) {
            var v = bytes.charCodeAt(b);
            if (!v) { continue; }
            for (var k = 0; k < 8; k++) {
                if (v & (1 << k)) {
                    var i = (b << 3) + k;
                    if (i < n) { out.push(i); }
                }
            }
        }
        return out;
    }

    function Dataset(src, inline) {
        this.src = src;
        this.inline = inline;
        this.points = inline ? Promise.resolve(inline.points) : getJSON(src + "/points.json");
        this.chunks = {};
    }

    /** The card chunk holding event i: {strings: [...], cards: [[[fragment ids], tooltip id], ...]}. */
    Dataset.prototype.chunk = function (k) {
        if (!this.chunks[k]) {
            var self = this;
            this.chunks[k] = this.inline ? Promise.resolve(this.inline.chunks[k])
                : getJSON(this.src + "/cards-" + k + ".json").catch(function (err) {
                    delete self.chunks[k];  // retry on the next hover
                    throw err;
                });
        }
        return this.chunks[k];
    };

    /** Promise of {html, tip} for event i: the escaped card and tooltip made by geo.mapview.card_parts. */
    Dataset.prototype.card = function (i) {
        var self = this;
        return this.points.then(function (P) {
            return self.chunk(Math.floor(i / P.chunk)).then(function (C) {
                var row = C.cards[i % P.chunk], S = C.strings;
                return {html: row[0].map(function (s) { return S[s]; }).join(""), tip: S[row[1]]};
            });
        });
    };

    /** Web Mercator position of every event in [0, 1) world units (computed once per dataset). */
    Dataset.prototype.mercator = function (P) {
        if (!this.mx) {
            var n = P.lat.length, mx = new Float64Array(n), my = new Float64Array(n);
            for (var i = 0; i < n; i++) {
                var s = Math.sin(Math.max(-85.05, Math.min(85.05, P.lat[i])) * Math.PI / 180);
                mx[i] = (P.lon[i] + 180) / 360;
                my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
            }
            this.mx = mx;
            this.my = my;
        }
        return this;
    };

    function dataset(src, inline) {
        var key = src || ("inline:" + Math.random());
        if (!datasets[key]) { datasets[key] = new Dataset(src, inline); }
        return datasets[key];
    }

    function clusterIcon(count, label) {
        var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
        var tier = count < 10 ? "s" : count < 100 ? "m" : "l";
        return L.divIcon({
            html: "<div><span>" + label + "</span></div>", className: "ge-cluster ge-cluster-" + tier,
            iconSize: L.point(size, size)
        });
    }

    var CELL = 56;  // px: events closer than a grid cell of this size at the current zoom are one cluster

    function abbreviate(count) {
        return count >= 10000 ? Math.round(count / 1000) + "k" : count >= 1000 ? (Math.round(count / 100) / 10) + "k"
            : String(count);
    }

    var GeoEventsLayer = L.Layer.extend({
        /* options: src (URL of the dataset folder) or data (the dataset inline), mask (base64), fit (bool) */
        initialize: function (options) {
            L.setOptions(this, options);
            this.data = dataset(options.src, options.data);
            this.loaded = false;
            this.error = null;
            this.drawn = {items: 0, events: 0};
            this.timings = {};  // milliseconds, for benchmarks
        },

        onAdd: function (map) {
            var self = this, t0 = performance.now();
            this._group = L.featureGroup().addTo(map);
            this._renderer = L.canvas({padding: 0.5});
            this._tip = L.tooltip({direction: "top", offset: [0, -8]});
            this._group.on("mouseover", this._hover, this);
            this._group.on("mouseout", function () { self._hovered = null; map.closeTooltip(self._tip); });
            this._group.on("click", this._click, this);
            map.on("moveend", this._draw, this);
            window.geoEventsLayer = this;
            this.ready = this.data.points.then(function (P) {
                if (self._map !== map) { return; }  // replaced before its data came
                var t1 = performance.now();
                self._P = P;
                self._M = self.data.mercator(P);
                self.shown = decodeMask(self.options.mask, P.lat.length);
                var t2 = performance.now();
                if (self.options.fit) { self._fit(); }
                self._draw();
                self.loaded = true;
                self.timings = {data: t1 - t0, mask: t2 - t1, draw: performance.now() - t2};
            }).catch(function (err) {
                self.error = String(err);
                if (window.console) { console.error("geo-events layer:", err); }
            });
        },

        onRemove: function (map) {
            map.off("moveend", this._draw, this);
            map.closeTooltip(this._tip);
            this._group.remove();
            if (window.geoEventsLayer === this) { window.geoEventsLayer = null; }
        },

        _fit: function () {
            var P = this._P, shown = this.shown;
            if (!shown.length) { return; }
            var s = 90, w = 180, n = -90, e = -180;
            for (var k = 0; k < shown.length; k++) {
                var i = shown[k];
                if (P.lat[i] < s) { s = P.lat[i]; }
                if (P.lat[i] > n) { n = P.lat[i]; }
                if (P.lon[i] < w) { w = P.lon[i]; }
                if (P.lon[i] > e) { e = P.lon[i]; }
            }
            // the right padding keeps points clear of the legend
            this._map.fitBounds([[s, w], [n, e]], {
                paddingTopLeft: [30, 30], paddingBottomRight: [230, 30], maxZoom: 9, animate: false
            });
        },

        /** Group the shown events in view into grid cells of CELL px: O(events) per view, no index to build. */
        _cells: function () {
            var map = this._map, zoom = map.getZoom(), world = 256 * Math.pow(2, zoom);
            var view = map.getPixelBounds(), pad = 2 * CELL;
            var x0 = view.min.x - pad, x1 = view.max.x + pad, y0 = view.min.y - pad, y1 = view.max.y + pad;
            var mx = this._M.mx, my = this._M.my, shown = this.shown, cells = new Map();
            for (var k = 0; k < shown.length; k++) {
                var i = shown[k], y = my[i] * world;
                if (y < y0 || y > y1) { continue; }
                var x = mx[i] * world;
                if (x < x0 || x > x1) {  // the world copy in view, if any
                    if (x + world >= x0 && x + world <= x1) { x += world; } else if (x - world >= x0 && x - world <= x1) { x -= world; } else { continue; }
                }
                var key = Math.floor(x / CELL) * 4194304 + Math.floor(y / CELL), c = cells.get(key);
                if (!c) {
                    c = {n: 0, x: 0, y: 0, members: [], x0: x, x1: x, y0: y, y1: y};
                    cells.set(key, c);
                }
                c.n++;
                c.x += x;
                c.y += y;
                c.members.push(i);
                if (x < c.x0) { c.x0 = x; } else if (x > c.x1) { c.x1 = x; }
                if (y < c.y0) { c.y0 = y; } else if (y > c.y1) { c.y1 = y; }
            }
            return cells;
        },

        _draw: function () {
            if (!this._M || !this._map) { return; }
            var map = this._map, P = this._P, zoom = map.getZoom(), layers = [], events = 0, self = this;
            this._cells().forEach(function (c) {
                events += c.n;
                if (c.n === 1) {
                    var i = c.members[0], col = P.colours[P.type[i]], p = P.precision[P.prec[i]] || P.precision[1];
                    // at the cell's position: the world copy in view
                    layers.push(L.circleMarker(map.unproject([c.x, c.y], zoom), {
                        renderer: self._renderer, radius: P.radius[i], color: col, fillColor: col,
                        weight: 2, opacity: 0.95, dashArray: p[0], fillOpacity: p[1], event: i, count: 1
                    }));
                } else {
                    var size = c.n < 10 ? 30 : c.n < 100 ? 36 : c.n < 1000 ? 42 : 50;
                    layers.push(L.marker(map.unproject([c.x / c.n, c.y / c.n], zoom), {
                        icon: L.divIcon({
                            html: "<div><span>" + abbreviate(c.n) + "</span></div>", iconSize: L.point(size, size),
                            className: "ge-cluster ge-cluster-" + (c.n < 10 ? "s" : c.n < 100 ? "m" : "l")
                        }),
                        keyboard: false, count: c.n, members: c.members,
                        extent: L.latLngBounds(map.unproject([c.x0, c.y1], zoom), map.unproject([c.x1, c.y0], zoom))
                    }));
                }
            });
            this._group.clearLayers();
            for (var j = 0; j < layers.length; j++) { this._group.addLayer(layers[j]); }
            this.drawn = {items: layers.length, events: events};
        },

        _hover: function (e) {
            var i = e.layer.options.event, map = this._map, tip = this._tip, self = this;
            if (i === undefined) { return; }
            this._hovered = i;
            this.data.card(i).then(function (card) {
                if (self._hovered === i && self._map === map) {
                    tip.setLatLng(e.layer.getLatLng()).setContent(card.tip);
                    map.openTooltip(tip);
                }
            });
        },

        _click: function (e) {
            var o = e.layer.options, map = this._map;
            if (o.event !== undefined) {
                this.openCard(o.event, e.layer.getLatLng());
                return;
            }
            var spread = map.project(o.extent.getNorthEast()).distanceTo(map.project(o.extent.getSouthWest()));
            if (map.getZoom() < map.getMaxZoom() && spread > 0) {  // zoom in on the cluster's events
                var zoom = Math.min(map.getMaxZoom(), Math.max(map.getZoom() + 1, map.getBoundsZoom(o.extent.pad(0.1))));
                map.setView(o.extent.getCenter(), zoom);
            } else {  // events at one place: list them
                this._list(o.members, e.layer.getLatLng());
            }
        },

        /** Open the card of event i at `latlng` (fetched lazily). */
        openCard: function (i, latlng) {
            var map = this._map;
            return this.data.card(i).then(function (card) {
                return L.popup({maxWidth: 360, offset: [0, -4]}).setLatLng(latlng).setContent(card.html).openOn(map);
            }, function () {
                L.popup().setLatLng(latlng).setContent("This event's card is no longer available; reload the page.")
                    .openOn(map);
            });
        },

        /** A popup listing the events of a cluster that no zoom can split, by their tooltip line. */
        _list: function (members, latlng) {
            var self = this, some = members.slice(0, 200);
            Promise.all(some.map(function (i) { return self.data.card(i); })).then(function (cards) {
                var box = L.DomUtil.create("div", "ge-list");
                L.DomUtil.create("div", "ge-date", box).textContent = members.length + " events here";
                var ul = L.DomUtil.create("ul", "", box);
                cards.forEach(function (card, k) {
                    var a = L.DomUtil.create("a", "", L.DomUtil.create("li", "", ul));
                    a.href = "#";
                    a.innerHTML = card.tip;  // escaped by geo.mapview.card_parts
                    L.DomEvent.on(a, "click", function (ev) {
                        L.DomEvent.preventDefault(ev);
                        self.openCard(some[k], latlng);
                    });
                });
                L.popup({maxWidth: 360, maxHeight: 300}).setLatLng(latlng).setContent(box).openOn(self._map);
            });
        },

        /** Promise of the shown events whose tooltip contains `text` (loads their card chunks). */
        find: function (text) {
            var self = this;
            return this.ready.then(function () {
                return Promise.all(self.shown.map(function (i) { return self.data.card(i); }));
            }).then(function (cards) {
                return self.shown.filter(function (i, k) { return cards[k].tip.indexOf(text) >= 0; });
            });
        },

        /** Zoom until event i is drawn on its own: promise of {x, y} in the map container. Events that
         *  share their place stay a cluster at the deepest zoom: then {x, y, cluster: true} of that cluster. */
        reveal: function (i) {
            var map = this._map, ll = L.latLng(this._P.lat[i], this._P.lon[i]), holder = null;
            var holds = function (m) { if (m.options.event === i || (m.options.members || []).indexOf(i) >= 0) { holder = m; } };
            for (var z = Math.max(map.getZoom(), 2); z <= map.getMaxZoom(); z++) {
                map.setView(ll, z, {animate: false});
                this._draw();
                holder = null;
                this._group.eachLayer(holds);
                if (holder && holder.options.event === i) { break; }
            }
            if (!holder) { return Promise.resolve(null); }
            var p = map.latLngToContainerPoint(holder.getLatLng());
            return Promise.resolve({x: p.x, y: p.y, cluster: holder.options.event === undefined});
        }
    });

    L.GeoEventsLayer = GeoEventsLayer;
    L.geoEventsLayer = function (options) { return new GeoEventsLayer(options); };
    L.geoEventsLayer.decodeMask = decodeMask;
})();
