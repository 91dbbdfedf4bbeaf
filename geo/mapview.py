"""The event map: an events table in, a ``folium.Map`` out, with no Streamlit calls.

The map has two parts so Streamlit can redraw the points without reloading the map:

* :func:`base_map` -- Leaflet and the layer script (``static/geoevents/layer.js``)
  served by the app itself (no CDN), the bundled country outline (drawn *under* the
  tiles, so it shows wherever tiles fail to load), optional OpenStreetMap tiles and the
  legend. It depends on no event, so it stays the same while filters change.
* :func:`events_layer` -- the events as ONE layer in a ``FeatureGroup``. The dataset
  (:class:`MarkerSet`: positions, colour = event type, radius = fatalities, outline dash =
  geo-precision) reaches the browser once, as files the app serves (:meth:`MarkerSet.publish`);
  a filter change sends only a bitmask of the events shown (12.5 KB at 100k events). The
  browser counts the shown events in view into grid cells and draws, for the current view
  only, clusters and canvas circle markers, then fits the view to them. Cards are fetched in chunks when
  a marker is hovered or clicked, so 100k cards never sit in the page.

:func:`card_parts` is the ONE place that turns event fields into HTML (popup card
and tooltip): every value is escaped and only http(s) URLs become links, because
Leaflet inserts popup and tooltip strings as raw HTML. ``layer.js`` only joins those
fragments.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.datafiles import data_path

logger = logging.getLogger(__name__)

#: Where the vendored assets are, relative to the st_folium component frame
#: (``<base>/component/streamlit_folium.st_folium/index.html``). Relative, so the app
#: also works under a base URL path (Streamlit Community Cloud serves apps under one).
ASSET_BASE = "../../app/static"

#: ACLED event type -> marker colour (colour-blind-safe Okabe-Ito palette).
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#E69F00",
    "Violence against civilians": "#CC79A7",
    "Protests": "#0072B2",
    "Riots": "#882255",
    "Strategic developments": "#009E73",
}
OTHER_COLOUR = "#666666"
COLOURS = [*TYPE_COLOURS.values(), OTHER_COLOUR]

#: ACLED geo-precision -> (legend label, outline dash pattern, fill opacity).
PRECISION_STYLES: dict[int, tuple[str, str | None, float]] = {
    1: ("exact site or town", None, 0.85),
    2: ("near a town / district", "5 4", 0.45),
    3: ("province or country only", "1 5", 0.12),
}

#: Radius in px of an event with no reported fatalities, and the cap.
MIN_RADIUS, MAX_RADIUS = 6.0, 26.0

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

# --- popup / tooltip HTML ---------------------------------------------------------


def _esc(value: Any) -> str:
    """HTML-escape any value for text *and* quoted-attribute context (incl. backticks)."""
    return html.escape(str(value), quote=True).replace("`", "&#96;")


def safe_url(url: Any) -> str | None:
    """Return ``url`` when it is an http(s) URL with a host, else ``None`` (no javascript: links)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def _present(value: Any) -> bool:
    """True for a real value: not None/NaN and not an empty string or list."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, (str, list, tuple)):
        return len(value) > 0
    return not pd.isna(value)


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):  # numpy arrays out of parquet/arrow
        return list(value.tolist())
    return [value] if _present(value) else []


def _int(value: Any) -> int | None:
    return int(value) if _present(value) else None


def date_label(event: Mapping[str, Any]) -> str:
    """The event's date as shown to people: ``2019-12-29``, ``2023-10 (month)`` or ``undated``."""
    date = event.get("event_date")
    if not _present(date):
        return "undated"
    precision = event.get("date_precision")
    return f"{date} ({precision})" if _present(precision) and precision != "day" else str(date)


def fatalities_label(event: Mapping[str, Any]) -> str:
    """``25``, ``20-31 (best 25)`` when reports disagree, or ``not reported``."""
    best, low, high = (_int(event.get(k)) for k in ("fatalities", "fatalities_low", "fatalities_high"))
    if best is None and low is None:
        return "not reported"
    if low is not None and high is not None and low != high:
        return f"{low}\u2013{high}" + (f" (best {best})" if best is not None else "")
    return str(best if best is not None else low)


def _sources_html(event: Mapping[str, Any]) -> str:
    sources = _as_list(event.get("sources"))
    outlets = _as_list(event.get("outlets"))
    urls = _as_list(event.get("urls"))
    # outlets and urls run parallel to sources when every article had one; when some
    # had none (or a merge deduplicated them) the list is shorter: then every source and
    # every link is still shown, just not paired.
    with_outlets = len(outlets) == len(sources)
    with_urls = len(urls) == len(sources)
    items = []
    for i, source in enumerate(sources):
        outlet = outlets[i] if with_outlets else None
        url = safe_url(urls[i]) if with_urls else None
        label = _esc(outlet) + f" <span class='ge-id'>{_esc(source)}</span>" if _present(outlet) else _esc(source)
        items.append(f"<a href='{_esc(url)}' target='_blank' rel='noopener noreferrer'>{label}</a>" if url else label)
    if not with_outlets and outlets:
        items.append("Outlets: " + ", ".join(_esc(o) for o in outlets))
    if not with_urls:
        items += [
            f"<a href='{_esc(u)}' target='_blank' rel='noopener noreferrer'>{_esc(u)}</a>"
            for u in map(safe_url, urls) if u
        ]
    return "".join(f"<li>{item}</li>" for item in items)


def _row(label: str, value_html: str) -> str:
    return f"<tr><th>{label}</th><td>{value_html}</td></tr>"


def card_parts(event: Mapping[str, Any]) -> tuple[list[str], str]:
    """Build the popup card and the tooltip of one event: the ONE place event fields become HTML.

    Every field is escaped here. The card comes in fragments whose concatenation is the
    card; they are cut where events tend to share text (date, type, actors, place,
    fatalities, sources), so a layer of many events can send each distinct fragment once.

    Parameters
    ----------
    event
        One row of an events table (``EVENT_COLUMNS`` keys; missing keys are fine).

    Returns
    -------
    (fragments, tooltip)
        ``"".join(fragments)`` is the card HTML; ``tooltip`` is one line (date, type, place).
        Both are safe to hand to Leaflet's ``bindPopup`` / ``bindTooltip``.
    """
    date = _esc(date_label(event))
    kind = " / ".join(_esc(event[k]) for k in ("event_type", "sub_event_type") if _present(event.get(k)))
    actors = _row("Actors", " \u2192 ".join(_esc(event[k]) for k in ("actor1", "actor2") if _present(event.get(k)))
                  or "not named")
    assoc = _as_list(event.get("assoc_actors"))
    if assoc:
        actors += _row("Also named", ", ".join(_esc(a) for a in assoc))
    written, resolved = event.get("location_as_written"), event.get("location")
    where = _esc(written) if _present(written) else "not written"
    if _present(resolved):
        country = f", {_esc(event['country'])}" if _present(event.get("country")) else ""
        where += f" \u2192 {_esc(resolved)}{country}"
        precision = PRECISION_STYLES.get(_int(event.get("geo_precision")) or 0)
        if precision:
            where += f" <span class='ge-id'>({_esc(precision[0])})</span>"
    else:
        where += " \u2192 not resolved"
    harm = _row("Fatalities", _esc(fatalities_label(event)))
    if _present(event.get("injuries")):
        harm += _row("Injuries", _esc(_int(event["injuries"])))
    evidence = event.get("evidence")
    quote = f"<blockquote class='ge-evidence'>{_esc(evidence)}</blockquote>" if _present(evidence) else ""
    sources = _sources_html(event)
    fragments = [
        f"<div class='ge-card'><div class='ge-date'>{date}</div><table>",
        _row("Type", kind or "unknown"),
        actors,
        _row("Place", where),
        harm,
        f"</table>{quote}",
        (f"<div class='ge-src'>Sources</div><ul>{sources}</ul>" if sources else "") + "</div>",
    ]
    place = resolved if _present(resolved) else written
    tooltip = " \u00b7 ".join(_esc(v) for v in (date_label(event), event.get("event_type"), place) if _present(v))
    return fragments, tooltip


def event_card(event: Mapping[str, Any], *, brief: bool = False) -> str:
    """Return the escaped popup card of one event (``brief``: its one-line tooltip); see :func:`card_parts`.

    Parameters
    ----------
    event
        One row of an events table.
    brief
        ``True`` for the tooltip (date, type, place), ``False`` for the popup card.

    Returns
    -------
    str
        HTML safe to hand to Leaflet.
    """
    fragments, tooltip = card_parts(event)
    return tooltip if brief else "".join(fragments)


# --- Leaflet elements ---------------------------------------------------------------

_CARD_CSS = """
.ge-card{font:13px/1.35 system-ui,sans-serif;max-width:340px}
.ge-date{font-weight:600;margin-bottom:4px}
.ge-card table{border-collapse:collapse}
.ge-card th{text-align:left;vertical-align:top;padding:1px 8px 1px 0;color:#555;font-weight:500}
.ge-evidence{margin:6px 0;padding:4px 8px;border-left:3px solid #999;background:#f6f6f6;font-style:italic}
.ge-src{font-weight:600}.ge-card ul{margin:2px 0;padding-left:18px}
.ge-id{color:#777;font-size:11px}
.ge-legend{background:rgba(255,255,255,.92);padding:6px 9px;border-radius:4px;
  font:12px/1.5 system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.ge-legend svg{vertical-align:middle;margin-right:4px}
.ge-cluster div{width:100%;height:100%;border-radius:50%;display:flex;align-items:center;justify-content:center;
  font:600 12px system-ui,sans-serif;color:#fff;background:rgba(40,40,40,.78);box-shadow:0 0 0 4px rgba(40,40,40,.25)}
.ge-cluster-m div{background:rgba(28,28,28,.84)}.ge-cluster-l div{background:rgba(0,0,0,.9)}
.ge-legend .ge-cluster-swatch{display:inline-block;width:14px;height:14px;border-radius:50%;margin-right:4px;
  vertical-align:middle;background:rgba(40,40,40,.78);color:#fff;font:600 9px/14px system-ui,sans-serif;text-align:center}
.ge-list ul{margin:4px 0;padding-left:16px;font:12px/1.4 system-ui,sans-serif}
.leaflet-container{background:#cfe3ec}
"""


def script_json(value: Any) -> str:
    r"""JSON for inlining in a ``<script>``: ``</`` and ``<!--`` cannot end or confuse the script.

    Jinja's ``tojson`` escapes every ``<``, ``>``, ``&`` and ``'`` as ``\u00XX``, which makes
    escaped HTML cards ~65% bigger; only these two sequences matter inside a script.
    """
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")


class _Raw(Element):
    """Text emitted as it is (a big generated script must not be compiled as a Jinja template)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class _ScriptElement(JSCSSMixin):
    """A script-only element with per-instance asset links.

    Folium's ``MacroElement.render`` wraps the rendered script in a new ``Element``,
    which compiles it as a Jinja template: ~1 s for the 8 MB script of 10k events.
    Here the script is added as :class:`_Raw` text instead. The asset lists are set
    per instance so folium's class-level CDN lists are never mutated.
    """

    def __init__(self, js: list[tuple[str, str]] | None = None, css: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.default_js, self.default_css = js or [], css or []

    def render(self, **kwargs: Any) -> None:
        """Add the asset links to the page header and the script, unparsed, to its scripts."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_Raw(self._template.module.script(self, kwargs)), name=self.get_name())


class EventLayer(_ScriptElement):
    """All events as one ``L.GeoEventsLayer`` (``static/geoevents/layer.js``).

    The layer draws the events whose bit is set in ``mask`` (:meth:`MarkerSet.mask`), from
    a dataset fetched once from ``source`` (:meth:`MarkerSet.publish`) or, with no source,
    carried inline (``MarkerSet.inline_json``: a standalone page, every rerun pays for it).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.geoEventsLayer({{ this.options_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, mask: str, *, source: str | None = None, data_json: str | None = None) -> None:
        super().__init__()
        self._name = "EventLayer"
        options = script_json({"src": source, "mask": mask, "fit": True})
        # the inline dataset is spliced in as already-encoded JSON (megabytes: not re-encoded)
        self.options_json = options if data_json is None else options[:-1] + f',"data":{data_json}}}'


class _Outline(_ScriptElement):
    """The bundled country outline, in a pane below the tiles so it shows where tiles fail."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.createPane("outline").style.zIndex = 150;
            L.geoJSON({{ this.data_json }}, {
                pane: "outline", interactive: false,
                style: {color: "#8a8a8a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}
            }).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str) -> None:
        super().__init__()
        self._name = "Outline"
        self.data_json = data_json


class _Legend(folium.MacroElement):
    """A Leaflet control listing the type colours, precision styles and the size rule."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "ge-legend");
                div.innerHTML = {{ this.legend_html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        self.css = _CARD_CSS
        self.legend_html = legend_html()


def _swatch(colour: str, dash: str | None = None, fill: float = 0.85) -> str:
    dash_attr = f" stroke-dasharray='{_esc(dash)}'" if dash else ""
    return (
        f"<svg width='14' height='14'><circle cx='7' cy='7' r='5.5' stroke='{_esc(colour)}'"
        f" stroke-width='1.6' fill='{_esc(colour)}' fill-opacity='{fill}'{dash_attr}/></svg>"
    )


def legend_html() -> str:
    """HTML of the legend: one swatch per event type, one per geo-precision, the size rule."""
    types = [(_swatch(colour), name) for name, colour in TYPE_COLOURS.items()] + [(_swatch(OTHER_COLOUR), "other")]
    precisions = [(_swatch("#444", dash, fill), label) for label, dash, fill in PRECISION_STYLES.values()]
    lines = [f"{sw}{_esc(label)}" for sw, label in types]
    lines.append("<b>Location</b>")
    lines += [f"{sw}{_esc(label)}" for sw, label in precisions]
    lines.append("Larger = more fatalities")
    lines.append("<span class='ge-cluster-swatch'>5</span>events grouped: click to zoom")
    return "<b>Event type</b><br>" + "<br>".join(lines)


@lru_cache(maxsize=1)
def world_outline() -> dict:
    """The bundled Natural Earth 1:110m country outline as a GeoJSON dict (read once)."""
    return json.loads(data_path("world_outline.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _world_outline_json() -> str:
    # encoded once: base_map() runs on every Streamlit rerun
    return script_json(world_outline())


# --- public builders ----------------------------------------------------------------


def radius_for(fatalities: Any) -> float:
    """Marker radius in pixels: area grows with fatalities, capped at ``MAX_RADIUS``."""
    n = _int(fatalities)
    if not n or n < 0:
        return MIN_RADIUS
    return round(min(MAX_RADIUS, MIN_RADIUS + 2.5 * math.sqrt(n)), 1)


def marker_rows(events: pd.DataFrame) -> dict[str, list[Any]]:
    """The rows :class:`EventLayer` draws, by event id; events without a valid lat/lon are left out.

    Parameters
    ----------
    events
        An events table with ``EVENT_COLUMNS`` (unique ``event_id``).

    Returns
    -------
    dict
        ``event_id -> [lat, lon, colour, radius, geo_precision, card_fragments, tooltip]``.
    """
    rows: dict[str, list[Any]] = {}
    for event in events.to_dict("records"):
        lat, lon = event.get("lat"), event.get("lon")
        if not (_present(lat) and _present(lon)):
            continue
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            logger.warning("event %s has an invalid position lat=%r lon=%r; not drawn", event.get("event_id"), lat, lon)
            continue
        fragments, tooltip = card_parts(event)
        rows[event["event_id"]] = [
            round(lat, 5), round(lon, 5),
            TYPE_COLOURS.get(event.get("event_type"), OTHER_COLOUR),
            radius_for(event.get("fatalities")),
            _int(event.get("geo_precision")) or 1,
            fragments,
            tooltip,
        ]
    return rows


#: Events per card chunk: a hover or click fetches the chunk of its event (~100-200 KB).
CHUNK_EVENTS = 500
#: Dataset folders kept by :meth:`MarkerSet.publish` (the newest; older ones are removed).
KEEP_DATASETS = 6
#: The map's deepest zoom (a few metres a pixel); events still sharing a cluster there share
#: a place, and a click on it lists them.
MAX_ZOOM = 16


def encode_mask(positions: Iterable[int] | np.ndarray, n: int) -> str:
    """Base64 bitmask of ``n`` bits with the bits at ``positions`` set (bit i: byte i // 8, value 1 << i % 8)."""
    bits = np.zeros(n, dtype=bool)
    bits[np.asarray(list(positions) if not isinstance(positions, np.ndarray) else positions, dtype=np.int64)] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def decode_mask(mask: str, n: int) -> list[int]:
    """The positions whose bit is set in a mask of :func:`encode_mask` (what ``layer.js`` draws)."""
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), dtype=np.uint8), bitorder="little")[:n]
    return np.flatnonzero(bits).tolist()


class MarkerSet:
    """The markers of one events table, encoded once: positions and styles, and cards in chunks.

    The browser gets the dataset once (:meth:`publish` writes it where the app serves it;
    ``points.json`` is ~30 bytes an event) and then, per filter change, only a bitmask of
    the events shown (:meth:`mask`: 12.5 KB at 100k events). Cards stay on the server
    until a marker is hovered or clicked: ``cards-<k>.json`` holds events ``k*500`` to
    ``k*500+499``, their card fragments and tooltips interned (events of one article share
    sources, type, actors and place).

    Parameters
    ----------
    events
        An events table with ``EVENT_COLUMNS`` (unique ``event_id``).
    """

    def __init__(self, events: pd.DataFrame) -> None:
        colour_index = {colour: i for i, colour in enumerate(COLOURS)}
        ids: list[str] = []
        lat: list[float] = []
        lon: list[float] = []
        kind: list[int] = []
        radius: list[float] = []
        prec: list[int] = []
        chunks: list[str] = []
        strings: dict[str, int] = {}
        cards: list[str] = []
        for n, (event_id, row) in enumerate(marker_rows(events).items()):
            if n and n % CHUNK_EVENTS == 0:
                chunks.append(self._chunk_json(strings, cards))
                strings, cards = {}, []
            ids.append(event_id)
            lat.append(row[0])
            lon.append(row[1])
            kind.append(colour_index[row[2]])
            radius.append(row[3])
            prec.append(row[4])
            numbers = [strings.setdefault(text, len(strings)) for text in (*row[5], row[6])]
            cards.append(f"[{script_json(numbers[:-1])},{numbers[-1]}]")
        if cards:
            chunks.append(self._chunk_json(strings, cards))
        self._ids = pd.Index(ids)
        self.points_json = script_json({
            "n": len(ids), "chunk": CHUNK_EVENTS,
            "colours": COLOURS,
            "precision": {k: [dash, fill] for k, (_, dash, fill) in PRECISION_STYLES.items()},
            "lat": lat, "lon": lon, "type": kind, "radius": radius, "prec": prec,
        })
        self.chunks = chunks
        digest = hashlib.sha256(self.points_json.encode())
        for chunk in chunks:
            digest.update(chunk.encode())
        #: Content hash: the name of the published dataset folder.
        self.digest = digest.hexdigest()[:24]

    @staticmethod
    def _chunk_json(strings: dict[str, int], cards: list[str]) -> str:
        return f'{{"strings":{script_json(list(strings))},"cards":[{",".join(cards)}]}}'

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids

    @property
    def event_ids(self) -> list[str]:
        """The ids of the drawable events, in dataset order (the bit order of :meth:`mask`)."""
        return list(self._ids)

    def positions(self, event_ids: Iterable[str] | None = None) -> np.ndarray:
        """Dataset positions of ``event_ids`` (default all); ids without a marker are skipped."""
        if event_ids is None:
            return np.arange(len(self._ids))
        found = self._ids.get_indexer(pd.Index(list(event_ids) if not isinstance(event_ids, pd.Series) else event_ids))
        return found[found >= 0]

    def mask(self, event_ids: Iterable[str] | None = None) -> str:
        """The base64 bitmask (:func:`encode_mask`) of the events to draw (default all)."""
        return encode_mask(self.positions(event_ids), len(self._ids))

    def inline_json(self) -> str:
        """The whole dataset as one JSON object (``points`` and all card ``chunks``), for a standalone page."""
        return f'{{"points":{self.points_json},"chunks":[{",".join(self.chunks)}]}}'

    def publish(self, folder: Path) -> Path:
        """Write the dataset to ``folder/<digest>/`` once (atomically) and return that folder.

        ``points.json`` and ``cards-<k>.json``, written to a temporary folder that is then
        renamed, so a browser never reads half a dataset. Each call marks the folder as
        used; only the :data:`KEEP_DATASETS` most recently used dataset folders are kept.
        """
        target = folder / self.digest
        if (target / "points.json").is_file():
            os.utime(target)
            return target
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
        try:
            (tmp / "points.json").write_text(self.points_json, encoding="utf-8")
            for k, chunk in enumerate(self.chunks):
                (tmp / f"cards-{k}.json").write_text(chunk, encoding="utf-8")
            try:
                tmp.rename(target)
            except OSError:  # another process published the same dataset first
                if not (target / "points.json").is_file():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        os.utime(target)
        datasets = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                          key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in datasets[KEEP_DATASETS:]:
            if old != target:
                shutil.rmtree(old, ignore_errors=True)
        return target


def base_map(*, tiles: bool = True, asset_base: str = ASSET_BASE) -> folium.Map:
    """The map without events: local Leaflet and layer script, country outline, optional OSM tiles, legend.

    Parameters
    ----------
    tiles
        Add OpenStreetMap tiles (they need internet; the outline shows without them).
    asset_base
        URL prefix of the vendored ``static/`` folder, as seen from the page that shows the map.

    Returns
    -------
    folium.Map
        The same map for the same arguments, so Streamlit keeps it mounted across reruns.
    """
    # maxZoom on the map itself: without a tile layer nothing else sets one. 16 (a few
    # metres a pixel) is finer than any event's place.
    fmap = folium.Map(
        location=[25.0, 30.0], zoom_start=2, tiles=None, control_scale=True, world_copy_jump=True,
        maxZoom=MAX_ZOOM, minZoom=1,
    )
    # Folium's defaults pull Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; the
    # map needs only Leaflet and the layer script, served by the app.
    fmap.default_js = [
        ("leaflet", f"{asset_base}/leaflet/leaflet.js"),
        ("geoevents", f"{asset_base}/geoevents/layer.js"),
    ]
    fmap.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]
    _Outline(_world_outline_json()).add_to(fmap)
    if tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(fmap)
    _Legend().add_to(fmap)
    return fmap


def events_layer(
    markers: MarkerSet, event_ids: Iterable[str] | None = None, *, source: str | None = None
) -> folium.FeatureGroup:
    """The events as one layer in a ``FeatureGroup`` (for ``st_folium``'s ``feature_group_to_add``).

    Parameters
    ----------
    markers
        The markers of an events table. Building them takes the time (the cards), so a
        caller redrawing subsets of one events table builds them once.
    event_ids
        The events to draw (default: all); ids without a marker are skipped.
    source
        URL of the dataset folder :meth:`MarkerSet.publish` wrote, as seen from the map
        page: the layer then carries only the bitmask of ``event_ids`` (kilobytes). Without
        it the whole dataset goes inline (a standalone page).

    Returns
    -------
    folium.FeatureGroup
        One group holding one :class:`EventLayer`; it fits the map view to its events.
    """
    group = folium.FeatureGroup(name="Events")
    data = None if source else markers.inline_json()
    EventLayer(markers.mask(event_ids), source=source, data_json=data).add_to(group)
    return group


def build_map(events: pd.DataFrame, *, tiles: bool = True, asset_base: str = ASSET_BASE) -> folium.Map:
    """Build the complete event map (base map plus the events layer, its data inline).

    Parameters
    ----------
    events
        An events table with ``EVENT_COLUMNS``.
    tiles
        Add OpenStreetMap tiles.
    asset_base
        URL prefix of the vendored ``static/`` folder.

    Returns
    -------
    folium.Map
        Render it with ``.get_root().render()`` or show it with ``st_folium``.
    """
    fmap = base_map(tiles=tiles, asset_base=asset_base)
    events_layer(MarkerSet(events)).add_to(fmap)
    return fmap
