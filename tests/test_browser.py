"""The dashboard in a real browser: Debian's Chromium (headless) against `streamlit run app.py` on 127.0.0.1.

Checks what only a browser shows: the map draws one marker or cluster count per
expected event, a filter change redraws it, clicking a marker opens its card, hostile
article text stays text, the download holds the filtered events, and nothing is fetched
from outside 127.0.0.1 (no other host resolves, as in CI, which has no internet).
Screenshots and measured timings go to test-artifacts/.
"""
from __future__ import annotations

import csv
import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SAMPLE = ROOT / "tests" / "fixtures" / "events_sample.geojson"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
    # No host name resolves, so nothing can leave this machine (as in CI); requests to
    # other hosts are still issued, fail, and are recorded. Cheaper than page.route,
    # which would add a round trip to Python for each of Streamlit's ~100 requests.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")
sync_playwright, PlaywrightTimeout = playwright_api.sync_playwright, playwright_api.TimeoutError

# In the map frame: events drawn, as the sum over the Leaflet layers drawn for the view of
# one per marker and the count of each cluster, and the events the layer shows; null until
# the layer (geo.mapview / static/geoevents/layer.js) has its data.
COUNT_JS = """() => {
    const layer = window.geoEventsLayer;
    if (!window.map || !layer || !layer.loaded || !layer._map) return null;
    let shown = 0;
    layer._group.eachLayer(m => { shown += m.options.count; });
    return {total: layer.shown.length, shown};
}"""

# In the map frame: zoom until the marker whose tooltip contains `text` stands alone (or,
# when it shares its place with other events, until their cluster is at the deepest
# zoom), return its position in the frame's viewport.
SHOW_MARKER_JS = """async (text) => {
    const layer = window.geoEventsLayer;
    const found = await layer.find(text);
    if (found.length !== 1) return null;
    const p = await layer.reveal(found[0]);
    await new Promise(resolve => setTimeout(resolve, 400));
    const box = window.map.getContainer().getBoundingClientRect();
    return p && {x: box.left + p.x, y: box.top + p.y, cluster: !!p.cluster};
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def start_app() -> Iterator:
    """Start `streamlit run app.py` on a free local port with extra env; stop every server at the end."""
    servers: list[subprocess.Popen] = []

    def start(env_extra: dict[str, str]) -> str:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "GEO_EVENTS_SOURCE"} | env_extra
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        servers.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # the server warms up (and may build the gazetteer) first
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return url
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not come up on {url}")

    yield start
    for proc in servers:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page of the app that records every request it makes."""

    def __init__(self, browser, url: str) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.started = time.perf_counter()
        self.page.goto(url)

    @property
    def map(self):
        return self.page.frame_locator(MAP_FRAME)

    def frame(self):
        self.page.locator(MAP_FRAME).wait_for(timeout=60_000)
        return self.page.locator(MAP_FRAME).element_handle().content_frame()

    def wait_for_events(self, expected: int, timeout_ms: int = 60_000) -> float:
        """Wait until the map draws exactly ``expected`` events, all on screen; seconds since ``mark``."""
        frame = self.frame()
        try:
            frame.wait_for_function(
                f"() => {{ const c = ({COUNT_JS})(); return c && c.total === {expected} && c.shown === {expected}; }}",
                timeout=timeout_ms, polling=50,
            )
        except PlaywrightTimeout:
            pytest.fail(f"map never drew {expected} events; it draws {frame.evaluate(COUNT_JS)}")
        return time.perf_counter() - self.started

    def wait_until_idle(self) -> None:
        """Wait for the script run to finish (widgets below the map, like downloads, are then current)."""
        self.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60_000)

    def mark(self) -> None:
        self.started = time.perf_counter()

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")]

    def click_marker(self, tooltip_text: str) -> tuple[str, str]:
        """Point at, then click, the marker whose tooltip has ``tooltip_text``; return tooltip and popup texts.

        An event sharing its place with others is reached as people do: click the cluster,
        which lists its events by their tooltip line, then click that line.
        """
        point = self.frame().evaluate(SHOW_MARKER_JS, tooltip_text)
        assert point, f"no marker with tooltip {tooltip_text!r}"
        box = self.page.locator(MAP_FRAME).bounding_box()
        x, y = box["x"] + point["x"], box["y"] + point["y"]
        if point["cluster"]:
            self.page.mouse.click(x, y)
            entry = self.map.locator(".ge-list a", has_text=tooltip_text)
            entry.wait_for(timeout=10_000)
            tip = entry.inner_text()
            entry.click()
        else:
            self.page.mouse.move(x - 20, y)
            self.page.mouse.move(x, y, steps=4)
            tooltip = self.map.locator(".leaflet-tooltip")
            tooltip.wait_for(timeout=5_000)
            tip = tooltip.inner_text()
            self.page.mouse.click(x, y)
        popup = self.map.locator(".leaflet-popup-content .ge-card")
        try:
            popup.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            self.screenshot("browser_click_failed.png")
            pytest.fail(f"no card after clicking {tooltip_text!r} at {point} in the map frame")
        return tip, popup.inner_text()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def seed_events():
    """The seed events as the app computes them: extracted, then merged."""
    from geo.articles import load_articles
    from geo.export import event_dicts, records_to_frame
    from geo.extract import extract_events
    from geo.merge import merge_events

    articles, _ = load_articles([ROOT / "seeds"])
    return records_to_frame(merge_events(event_dicts(extract_events(articles))))


def _record_timing(name: str, seconds: float) -> None:
    """Keep the measured seconds in test-artifacts/browser_timings.json (for the benchmark notes)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "browser_timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 3)
    path.write_text(json.dumps(timings, indent=1))
    print(f"{name}: {seconds:.2f} s")


def test_seeds_first_render_offline_and_popup(start_app, browser, seed_events):
    from geo.mapview import event_card

    mappable = seed_events[seed_events["lat"].notna()]
    url = start_app({})
    page = Page(browser, f"{url}/?tiles=0")  # the first session: extraction runs now
    try:
        # the first session extracts (the gazetteer index is already built by seed_events)
        cold = page.wait_for_events(len(mappable), timeout_ms=180_000)
        _record_timing("seeds_first_render_cold_s", cold)
        assert page.outside_requests() == []  # no CDN, no tiles, no fonts: everything from 127.0.0.1
        assert any("/app/static/leaflet/leaflet.js" in u for u in page.requests)
        page.screenshot("browser_seeds.png")
    finally:
        page.close()
    page = Page(browser, f"{url}/?tiles=0")  # a second visitor: events come from the cache
    try:
        _record_timing("seeds_first_render_warm_s", page.wait_for_events(len(mappable)))
    finally:
        page.close()
    # a shared one-day link: exactly that day's events, and the gold strike's card
    day = mappable[mappable["event_date"] == "2019-12-29"]
    page = Page(browser, f"{url}/?tiles=0&from=2019-12-29&to=2019-12-29&undated=0")
    try:
        page.wait_for_events(len(day))
        qaim = day[day["location"].fillna("").str.contains("Qa")].iloc[0].to_dict()  # gold: us-strikes-kh
        tip, text = page.click_marker(event_card(qaim, brief=True))
        assert tip == html.unescape(event_card(qaim, brief=True))
        assert qaim["evidence"] in text and "2019-12-29" in text
        assert page.outside_requests() == []
        page.page.wait_for_timeout(500)
        page.screenshot("browser_seeds_day_popup.png")
    finally:
        page.close()


def test_sample_events_offline_with_failing_tiles(start_app, browser):
    url = start_app({"GEO_EVENTS_SOURCE": str(SAMPLE)})
    page = Page(browser, url)
    try:
        page.wait_for_events(14)  # 15 sample events, one without a place
        # tiles were requested and failed (no internet); the bundled outline is drawn instead
        outside = page.outside_requests()
        assert outside and all(u.startswith("https://tile.openstreetmap.org/") for u in outside), outside
        assert page.map.locator(".leaflet-outline-pane path").count() > 150
        assert page.map.locator(".ge-legend").inner_text().startswith("Event type")
        # hostile article text is shown as text and runs nothing
        tip, text = page.click_marker("2023-12-08")
        assert tip == "2023-12-08 · Explosions/Remote violence · US Embassy, Baghdad"
        assert "Roket <img src=x onerror=alert(1)> menghantam \"kompleks\" & 'zona hijau' `Baghdad`" in text
        assert "Kedubes AS <b>Baghdad</b>" in text
        assert page.map.locator(".leaflet-popup-content img").count() == 0
        assert page.dialogs == []
        page.page.wait_for_timeout(500)  # let the popup finish fading in
        page.screenshot("browser_sample_popup.png")
    finally:
        page.close()


def test_sample_filter_change_redraws_the_map(start_app, browser):
    url = start_app({"GEO_EVENTS_SOURCE": str(SAMPLE)})
    page = Page(browser, f"{url}/?tiles=0&country=IQ")
    try:
        page.wait_for_events(11)  # Iraqi sample events with a place
        assert page.outside_requests() == []
        search = page.page.get_by_label("Search evidence")
        search.fill("pangkalan")
        page.mark()
        search.press("Enter")
        _record_timing("sample_filter_redraw_s", page.wait_for_events(3))  # Kirkuk and both Ain al-Asad attacks
        assert "q=pangkalan" in page.page.url
        # the download holds exactly the filtered events
        page.wait_until_idle()
        with page.page.expect_download() as download:
            page.page.get_by_role("button", name="Download GeoJSON").click()
        features = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["features"]
        assert sorted(f["id"] for f in features) == ["ev-asad-irgc", "ev-asad-undated", "ev-kirkuk"]
        with page.page.expect_download() as download:
            page.page.get_by_role("button", name="Download ACLED-style CSV").click()
        with open(download.value.path(), encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert sorted(r["event_id_cnty"] for r in rows) == ["ev-asad-irgc", "ev-asad-undated", "ev-kirkuk"]
        # a filter that leaves nothing: an empty map and a message, still nothing from outside
        search.fill("tidak ada kalimat seperti ini")
        search.press("Enter")
        page.wait_for_events(0)
        page.page.get_by_text("No events match these filters.").wait_for(timeout=10_000)
        assert page.outside_requests() == []
    finally:
        page.close()


def test_uploads_through_the_served_app(start_app, browser, seed_events, tmp_path):
    """A good and a bad file uploaded in the real page (the served App's upload route): the good
    article's event joins the map and the figures, the bad file is named in an error."""
    good = tmp_path / "roket.txt"
    good.write_text("Jakarta - Pada 5 Januari 2020, dua roket menghantam pangkalan udara Ain al-Asad di Irak. "
                    "Serangan itu menewaskan dua tentara Irak, kata juru bicara militer.\n", encoding="utf-8")
    bad = tmp_path / "rusak.csv"
    bad.write_bytes(b"\x00\x01binary\xff\xfe")
    mappable = seed_events[seed_events["lat"].notna()]
    url = start_app({})
    page = Page(browser, f"{url}/?tiles=0")
    try:
        page.wait_for_events(len(mappable))
        page.page.get_by_text("Add your own articles").click()
        page.page.locator('input[type="file"]').set_input_files([str(good), str(bad)])
        page.wait_for_events(len(mappable) + 1)
        page.wait_until_idle()
        figures = page.page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert figures[0] == str(len(seed_events) + 1) and figures[3] == "6"
        assert "rusak.csv" in page.page.locator('[data-testid="stAlert"]').first.inner_text()
        assert page.outside_requests() == []
    finally:
        page.close()
