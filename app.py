"""geo-events dashboard: `streamlit run app.py`.

Wires the UI only: events come from geo.dashboard (articles read, extracted and merged once
per content, shared by all sessions), filters from geo.filters, the map from geo.mapview, the timeline from
geo.timeline, downloads from geo.export. By default it shows the bundled seed articles; set
``GEO_EVENTS_SOURCE`` to a folder of articles or to a ``.geojson`` events file
(as the GeoJSON download writes) to show those instead.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.dashboard import Loaded, check_upload, dashboard_source, load_data
from geo.errors import InputError, StoreError
from geo.export import country_name, to_acled_csv, to_geojson
from geo.filters import FilterOptions, Filters, apply_filters, from_query_params, to_query_params
from geo.mapview import ASSET_BASE, MarkerSet, base_map, events_layer
from geo.timeline import timeline_spec, weekly_counts

SEEDS = Path(__file__).resolve().parent / "seeds"
#: Where the map's datasets are published (served by Streamlit at app/static/maps/).
MAP_DATA = Path(__file__).resolve().parent / "static" / "maps"
#: Rows per page of the events table: a page is sent, not 100k rows per rerun.
TABLE_PAGE = 1000
UPLOAD_TYPES = ["txt", "csv", "jsonl"]
#: The map's layers when a store also holds ACLED's own events: label -> source_kind.
LAYERS = {"Extracted": "extracted", "ACLED": "acled"}

# --- uploads ---------------------------------------------------------------------------


def readable_uploads(uploaded: list, pasted: list[str]) -> tuple[tuple[tuple[str, bytes], ...], int]:
    """The uploaded and pasted files that parse, and their article count; each bad one gets an ``st.error``."""
    good: list[tuple[str, bytes]] = []
    articles = 0
    candidates = [(f.name, f.getvalue()) for f in uploaded]
    candidates += [(f"pasted-{i + 1}.txt", text.encode("utf-8")) for i, text in enumerate(pasted)]
    for name, data in candidates:
        count, problem = check_upload(name, data)
        if problem:
            st.error(f"Could not read **{name}**: {problem}", icon=":material/error:")
            continue
        good.append((name, data))
        articles += count
    return tuple(good), articles


# --- sidebar: filters, restored from and written to the URL ---------------------------


def restore_view(options: FilterOptions) -> None:
    """Set the filter widgets from the URL once per session (values the data lacks are dropped)."""
    state = st.session_state
    if state.get("view_restored"):
        return
    view = from_query_params({k: st.query_params.get_all(k) for k in st.query_params})
    state["view_restored"] = True
    if options.first_day and options.last_day:
        lo, hi = options.first_day, options.last_day
        start = min(max(view.date_from or lo, lo), hi)
        state["f_dates"] = (start, max(min(view.date_to or hi, hi), start))
        state["f_span"] = (lo, hi)
    state["f_undated"] = view.include_undated
    state["f_actors"] = [a for a in view.actors if a in options.actors]
    state["f_types"] = [t for t in view.event_types if t in options.event_types]
    state["f_subtypes"] = [s for s in view.sub_event_types if any(s in v for v in options.sub_event_types.values())]
    state["f_countries"] = [c for c in view.countries if c in options.countries]
    state["f_outlets"] = [o for o in view.outlets if o in options.outlets]
    state["f_minfat"] = min(view.min_fatalities, options.max_fatalities)
    state["f_text"] = view.text
    state["f_tiles"] = st.query_params.get("tiles") != "0"


def reset_view() -> None:
    """Clear every filter and the URL (a button callback)."""
    for key in [k for k in st.session_state if str(k).startswith("f_") or k == "view_restored"]:
        del st.session_state[key]
    st.query_params.clear()


def keep_date_span(options: FilterOptions) -> None:
    """When new events widen the date span, a slider left at the full span follows it."""
    state = st.session_state
    span = (options.first_day, options.last_day)
    if state.get("f_span") != span:
        if state.get("f_dates") == state.get("f_span") or "f_dates" not in state:
            state["f_dates"] = span
        else:
            start = min(max(state["f_dates"][0], span[0]), span[1])
            state["f_dates"] = (start, max(min(state["f_dates"][1], span[1]), start))
        state["f_span"] = span


def _prune(key: str, allowed: list[str]) -> None:
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]


def sub_type_choices(options: FilterOptions, types: list[str]) -> list[str]:
    """Sub-event types offered: those of the chosen event types (of all types when none is chosen)."""
    return sorted({s for t, subs in options.sub_event_types.items() if not types or t in types for s in subs})


def chosen_view(options: FilterOptions) -> tuple[Filters, bool]:
    """The view the filter widgets hold, and whether to show map tiles.

    Read from the widgets' session state (set by :func:`restore_view`, then by the user), so
    that the figures and the map are sent to the browser before the sidebar's widgets.
    """
    state = st.session_state
    lo, hi = options.first_day, options.last_day
    dates: tuple[date, date] | None = None
    if lo and hi and lo < hi:
        keep_date_span(options)
        dates = state["f_dates"]
    for key, allowed in (("f_actors", options.actors), ("f_types", options.event_types),
                         ("f_countries", options.countries), ("f_outlets", options.outlets)):
        _prune(key, allowed)
    _prune("f_subtypes", sub_type_choices(options, state["f_types"]))
    view = Filters(
        date_from=dates[0] if dates and dates[0] > lo else None,
        date_to=dates[1] if dates and dates[1] < hi else None,
        include_undated=state["f_undated"],
        actors=tuple(sorted(state["f_actors"])), event_types=tuple(sorted(state["f_types"])),
        sub_event_types=tuple(sorted(state["f_subtypes"])), countries=tuple(sorted(state["f_countries"])),
        outlets=tuple(sorted(state["f_outlets"])), min_fatalities=int(state["f_minfat"]), text=state["f_text"].strip(),
    )
    return view, state["f_tiles"]


def filter_sidebar(options: FilterOptions) -> None:
    """Draw the filter widgets; their values are already in session state (see :func:`chosen_view`)."""
    lo, hi = options.first_day, options.last_day
    if lo and hi and lo < hi:
        st.slider("Dates", min_value=lo, max_value=hi, key="f_dates", format="YYYY-MM-DD")
    elif lo:
        st.caption(f"All dated events fall on {lo:%Y-%m-%d}.")
    st.toggle(f"Include undated events ({options.undated})", key="f_undated")
    st.multiselect("Actor", options.actors, key="f_actors", help="Matches actor 1, actor 2 or an associated actor.")
    st.multiselect("Event type", options.event_types, key="f_types")
    st.multiselect("Sub-event type", sub_type_choices(options, st.session_state["f_types"]), key="f_subtypes")
    st.multiselect("Country", options.countries, key="f_countries", format_func=lambda c: f"{country_name(c)[0]} ({c})")
    st.multiselect("Outlet", options.outlets, key="f_outlets")
    st.number_input("Minimum fatalities", min_value=0, max_value=max(options.max_fatalities, 0), step=1, key="f_minfat")
    st.text_input("Search evidence", key="f_text", placeholder="e.g. roket")
    st.toggle("OpenStreetMap background (needs internet)", key="f_tiles")
    st.button("Reset filters", on_click=reset_view)


def write_view_to_url(view: Filters, tiles: bool) -> None:
    """Mirror the view into ``st.query_params`` so the page's link reopens it."""
    params = to_query_params(view) | ({} if tiles else {"tiles": "0"})
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if {k: st.query_params.get_all(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(params)


def map_source(markers: MarkerSet) -> str | None:
    """URL of the published dataset of ``markers`` (written once; None if it cannot be written)."""
    try:
        folder = markers.publish(MAP_DATA)
    except OSError as err:  # a read-only app folder: the layer then carries its data inline
        st.caption(f"Map data sent inline ({err}).")
        return None
    return f"{ASSET_BASE}/maps/{folder.name}"


def upload_sidebar() -> tuple[tuple[tuple[str, bytes], ...], int]:
    """The sidebar's upload and paste boxes; the readable files among them and their article count."""
    with st.sidebar:
        st.header("geo-events")
        with st.expander("Add your own articles"):
            uploaded = st.file_uploader(
                "Upload .txt, .csv or .jsonl", type=UPLOAD_TYPES, accept_multiple_files=True, key="uploads",
                help="CSV/JSONL need a `text` column; `title`, `outlet`, `url`, `published` are used when present.",
            )
            with st.form("paste", clear_on_submit=True):
                pasted_text = st.text_area("…or paste an article", key="paste_text", height=120)
                if st.form_submit_button("Add text") and pasted_text.strip():
                    st.session_state.setdefault("pasted", []).append(pasted_text)
        return readable_uploads(uploaded or [], st.session_state.get("pasted", []))


def headline(shown: pd.DataFrame, data: Loaded) -> None:
    """Events, fatalities, places and articles of the view, or why there is nothing to show."""
    shown_articles = {s for cell in shown["sources"] for s in cell}
    places = shown["location"].dropna().nunique()
    fatalities = pd.to_numeric(shown["fatalities"], errors="coerce").sum()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Events", f"{len(shown)}", help=f"of {len(data.events)} loaded")
    c2.metric("Fatalities", f"{int(fatalities)}", help="Sum of the best count per event; unreported counts as 0.")
    c3.metric("Places", f"{places}")
    c4.metric("Articles", f"{len(shown_articles)}", help=f"of {data.articles} read")
    if data.events.empty:
        st.info("No events found in these articles yet. Add articles in the sidebar.", icon=":material/info:")
    elif shown.empty:
        st.info("No events match these filters. Widen the date range, include undated events or clear a filter.",
                icon=":material/filter_alt_off:")


def timeline(shown: pd.DataFrame) -> None:
    """Events per week by type."""
    st.subheader("Events per week")
    counts, left_out = weekly_counts(shown)
    if counts.empty:
        st.caption("No events dated to the day.")
    else:
        st.vega_lite_chart(counts, timeline_spec(counts), width="stretch")
    if left_out:
        st.caption(f"{left_out} events dated only to a month or year are not in the weekly timeline.")


def table_and_downloads(shown: pd.DataFrame, data: Loaded) -> None:
    """The view's events as a sortable table (a page at a time) and as GeoJSON / ACLED-style CSV."""
    st.subheader("Events")
    rows = shown.index
    if len(rows) > TABLE_PAGE:
        pages = -(-len(rows) // TABLE_PAGE)
        if st.session_state.get("table_page", 1) > pages:  # fewer pages after a filter change
            st.session_state["table_page"] = pages
        page = st.number_input(f"Page (of {pages}, {TABLE_PAGE} events each)", min_value=1, max_value=pages,
                               step=1, key="table_page")
        rows = rows[(page - 1) * TABLE_PAGE:page * TABLE_PAGE]
    st.dataframe(
        data.table.loc[rows],
        hide_index=True,
        width="stretch",
        column_config={
            "event_date": st.column_config.TextColumn("date"),
            "location_as_written": "as written",
            "outlets": st.column_config.ListColumn("outlets"),
            "urls": st.column_config.LinkColumn("first source"),
            "evidence": st.column_config.TextColumn("evidence", width="large"),
        },
    )
    d1, d2 = st.columns(2)
    # Built only when clicked; a download changes nothing on the page, so it does not rerun it.
    d1.download_button(
        "Download GeoJSON", data=lambda: to_geojson(shown), file_name="events.geojson",
        mime="application/geo+json", disabled=shown.empty, icon=":material/download:", on_click="ignore",
    )
    d2.download_button(
        "Download ACLED-style CSV", data=lambda: to_acled_csv(shown), file_name="events_acled.csv",
        mime="text/csv", disabled=shown.empty, icon=":material/download:", on_click="ignore",
    )


def main() -> None:
    """The page, top to bottom: one run per visit and per widget change."""
    # No page_icon: Streamlit fetches material/emoji favicons from the internet.
    st.set_page_config(page_title="geo-events", layout="wide")
    # Imported here, not at the top: streamlit-folium declares its component on import, and
    # only a script run (not the server importing this file, see `app` below) declares it.
    from streamlit_folium import st_folium

    upload_files, upload_articles = upload_sidebar()
    st.title("Conflict events from Indonesian news")  # shown while the first load extracts
    source, store_path = dashboard_source(SEEDS)
    try:  # the same data as the session's last run is returned as it is (nothing recomputed)
        data = st.session_state["loaded"] = load_data(source, store_path, upload_files, upload_articles,
                                                      memo=st.session_state.get("loaded"))
    except (OSError, InputError, StoreError, ValueError, KeyError) as err:
        st.error(f"Cannot load events from {store_path or source}: {err}")
        st.stop()
    for message in data.errors:
        st.warning(message)

    events, options = data.events, data.options
    restore_view(options)
    view, show_tiles = chosen_view(options)
    write_view_to_url(view, show_tiles)
    shown = apply_filters(events, view)
    layered = "source_kind" in shown and (events["source_kind"] == "acled").any()  # a store with `geo import --format acled` rows
    if layered:
        layers = st.session_state.setdefault("f_layers", list(LAYERS))
        shown = shown[shown["source_kind"].isin([LAYERS[label] for label in layers or []])]

    headline(shown, data)
    st_folium(
        base_map(tiles=show_tiles),
        # the dataset goes to the browser once; a filter change sends only which events are shown
        feature_group_to_add=events_layer(data.markers, shown["event_id"], source=map_source(data.markers)),
        returned_objects=[],  # pan/zoom/click never rerun the script
        key="map",
        height=560,
        use_container_width=True,
    )
    with st.sidebar:  # after the map: the browser draws the map first (values read above by chosen_view)
        st.subheader("Filters")
        filter_sidebar(options)
        if layered:
            st.segmented_control("Layers", list(LAYERS), selection_mode="multi", key="f_layers",
                                 help="Events read from the articles, and events imported from ACLED")
    unmapped = len(shown) - len(data.markers.positions(shown["event_id"]))
    if unmapped:
        st.caption(f"{unmapped} of these events have no resolved place and are only in the table below.")
    timeline(shown)
    table_and_downloads(shown, data)


@asynccontextmanager
async def warm_up(_app: st.App) -> AsyncIterator[None]:
    """Before the server takes its first visitor: read the dashboard's source (for articles that
    loads the gazetteer, automata and lexicons and extracts them), prepare its markers, publish its
    map dataset and draw the map once, so the first visitor's run finds all of it cached
    (``geo.dashboard`` shares its caches with the script runs).
    """
    try:
        data = load_data(*dashboard_source(SEEDS))
        base_map(tiles=False).add_child(events_layer(data.markers, source=map_source(data.markers))).get_root().render()
    except Exception as err:  # noqa: BLE001 - a failed warm-up must not keep the dashboard from starting
        logging.getLogger(__name__).warning("warm-up skipped: %s", err)
    yield

if __name__ == "__main__":  # Streamlit runs this file as __main__, once per visit and widget change
    main()
else:  # `streamlit run app.py` finds this App and serves it with uvicorn, which imports this file first
    app = st.App(__file__, lifespan=warm_up)
