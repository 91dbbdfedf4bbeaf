/* geo-events map layer: every event of a dataset, clustered by supercluster, drawn for the current view.
 *
 * The dataset (positions and styles of all events, geo.mapview.MarkerSet) is fetched ONCE per
 * dataset and kept for the life of the map frame; a filter change sends only a bitmask of the
 * events shown, so a redraw transfers kilobytes. Cards (the HTML built and escaped in Python by
 * geo.mapview.card_parts) are fetched in chunks when a marker is hovered or clicked; this script
 * never builds HTML from event text, it only joins those escaped fragments.
 *
 * Drawn for the view on every moveend: clusters as small DOM labels with their event count,
 * single events as canvas circle markers (colour = type, radius = fatalities, dash and fill =
 * geo-precision). Pan and zoom never talk to the server.
 */
(function () {
    "use strict";

    var datasets = {};  // source URL -> Dataset (one per map frame and dataset)
    var KEEP_INDEXES = 8;  // clustered indexes kept per dataset: going back to a seen view is instant

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
        this.indexes = [];  // [[mask, index]], most recent last
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

    /** The supercluster index of the events in `shown` (cached by mask). */
    Dataset.prototype.index = function (P, mask, shown) {
        for (var j = 0; j < this.indexes.length; j++) {
            if (this.indexes[j][0] === mask) {
                var hit = this.indexes.splice(j, 1)[0];
                this.indexes.push(hit);
                return hit[1];
            }
        }
        var features = new Array(shown.length);
        for (var s = 0; s < shown.length; s++) {
            var i = shown[s];
            features[s] = {type: "Feature", properties: {i: i}, geometry: {type: "Point", coordinates: [P.lon[i], P.lat[i]]}};
        }
        var index = new Supercluster({radius: 45, maxZoom: P.max_zoom, minPoints: 2}).load(features);
        this.indexes.push([mask, index]);
        if (this.indexes.length > KEEP_INDEXES) { this.indexes.shift(); }
        return index;
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

    var GeoEventsLayer = L.Layer.extend({
        /* options: src (URL of the dataset folder) or data (the dataset inline), mask (base64), fit (bool) */
        initialize: function (options) {
            L.setOptions(this, options);
            this.data = dataset(options.src, options.data);
            this.loaded = false;
            this.error = null;
            this.drawn = {items: 0, events: 0};
        },

        onAdd: function (map) {
            var self = this;
            this._group = L.featureGroup().addTo(map);
            this._renderer = L.canvas({padding: 0.5});
            this._tip = L.tooltip({direction: "top", offset: [0, -8]});
            this._group.on("mouseover", this._hover, this);
            this._group.on("mouseout", function () { map.closeTooltip(self._tip); });
            this._group.on("click", this._click, this);
            map.on("moveend", this._draw, this);
            window.geoEventsLayer = this;
            this.ready = this.data.points.then(function (P) {
                if (self._map !== map) { return; }  // replaced before its data came
                self._P = P;
                self.shown = decodeMask(self.options.mask, P.lat.length);
                self._index = self.data.index(P, self.options.mask, self.shown);
                if (self.options.fit) { self._fit(); }
                self._draw();
                self.loaded = true;
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

        _draw: function () {
            if (!this._index || !this._map) { return; }
            var map = this._map, P = this._P, b = map.getBounds().pad(0.2), zoom = map.getZoom();
            var items = this._index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom);
            var layers = [], events = 0;
            for (var k = 0; k < items.length; k++) {
                var f = items[k], ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
                if (f.properties.cluster) {
                    var count = f.properties.point_count;
                    events += count;
                    layers.push(L.marker(ll, {
                        icon: clusterIcon(count, f.properties.point_count_abbreviated),
                        cluster: f.properties.cluster_id, count: count, keyboard: false
                    }));
                } else {
                    var i = f.properties.i, c = P.colours[P.type[i]], p = P.precision[P.prec[i]] || P.precision[1];
                    events += 1;
                    layers.push(L.circleMarker(ll, {
                        renderer: this._renderer, radius: P.radius[i], color: c, fillColor: c,
                        weight: 2, opacity: 0.95, dashArray: p[0], fillOpacity: p[1], event: i, count: 1
                    }));
                }
            }
            this._group.clearLayers();
            for (var j = 0; j < layers.length; j++) { this._group.addLayer(layers[j]); }
            this.drawn = {items: layers.length, events: events};
        },

        _hover: function (e) {
            var i = e.layer.options.event, map = this._map, tip = this._tip;
            if (i === undefined) { return; }
            this._hovered = i;
            var self = this;
            this.data.card(i).then(function (card) {
                if (self._hovered === i && map) { tip.setLatLng(e.layer.getLatLng()).setContent(card.tip); map.openTooltip(tip); }
            });
        },

        _click: function (e) {
            var o = e.layer.options, map = this._map;
            if (o.event !== undefined) {
                this.openCard(o.event, e.layer.getLatLng());
                return;
            }
            var zoom = this._index.getClusterExpansionZoom(o.cluster);
            if (zoom <= map.getMaxZoom() && zoom > map.getZoom()) {
                map.setView(e.layer.getLatLng(), zoom);
            } else {
                this._list(o.cluster, e.layer.getLatLng());
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

        /** A cluster that no zoom can split (events at one place): a popup listing its events. */
        _list: function (clusterId, latlng) {
            var self = this, leaves = this._index.getLeaves(clusterId, 200);
            Promise.all(leaves.map(function (f) { return self.data.card(f.properties.i); })).then(function (cards) {
                var box = L.DomUtil.create("div", "ge-list");
                var head = L.DomUtil.create("div", "ge-date", box);
                head.textContent = self._index.getLeaves(clusterId, Infinity).length + " events here";
                var ul = L.DomUtil.create("ul", "", box);
                cards.forEach(function (card, k) {
                    var li = L.DomUtil.create("li", "", ul), a = L.DomUtil.create("a", "", li);
                    a.href = "#";
                    a.innerHTML = card.tip;  // escaped by geo.mapview.card_parts
                    L.DomEvent.on(a, "click", function (ev) {
                        L.DomEvent.preventDefault(ev);
                        self.openCard(leaves[k].properties.i, latlng);
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
            var map = this._map, P = this._P, ll = L.latLng(P.lat[i], P.lon[i]), index = this._index, d = 1e-6;
            var alone = function (f) { return !f.properties.cluster && f.properties.i === i; };
            for (var z = Math.max(map.getZoom(), 2); z <= map.getMaxZoom(); z++) {
                if (index.getClusters([ll.lng - d, ll.lat - d, ll.lng + d, ll.lat + d], z).some(alone)) {
                    map.setView(ll, z, {animate: false});
                    this._draw();
                    return Promise.resolve(map.latLngToContainerPoint(ll));
                }
            }
            map.setView(ll, map.getMaxZoom(), {animate: false});
            this._draw();
            var holder = null;
            this._group.eachLayer(function (m) {
                if (m.options.cluster !== undefined && index.getLeaves(m.options.cluster, Infinity).some(
                    function (f) { return f.properties.i === i; })) { holder = m; }
            });
            if (!holder) { return Promise.resolve(null); }
            var p = map.latLngToContainerPoint(holder.getLatLng());
            return Promise.resolve({x: p.x, y: p.y, cluster: true});
        }
    });

    L.GeoEventsLayer = GeoEventsLayer;
    L.geoEventsLayer = function (options) { return new GeoEventsLayer(options); };
    L.geoEventsLayer.decodeMask = decodeMask;
})();
