"""Re-create the vendored map assets from their npm packages (run by hand, not at app start).

The app serves Leaflet itself (``static/``, served by Streamlit at
``app/static/``; ``static/geoevents/`` is the project's own layer script) so
the map works with no CDN, and it draws the
country outline in ``data/world_outline.geojson`` so places stay readable when
map tiles cannot load.

Usage: ``python static/vendor.py`` (needs ``npm`` on PATH; talks to the npm
registry only through ``npm pack``).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"

#: npm package -> (version, [(file inside the package, path under static/)]).
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "leaflet": (
        "1.9.4",
        [
            ("dist/leaflet.js", "leaflet/leaflet.js"),
            ("dist/leaflet.css", "leaflet/leaflet.css"),
            ("dist/images/layers.png", "leaflet/images/layers.png"),
            ("dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
            ("dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
            ("dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
            ("dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
            ("LICENSE", "leaflet/LICENSE"),
        ],
    ),
}

#: Natural Earth 1:110m admin-0 countries, as TopoJSON, from the world-atlas package.
WORLD_ATLAS = ("world-atlas", "2.0.2", "countries-110m.json")
OUTLINE = ROOT / "data" / "world_outline.geojson"
OUTLINE_LICENSE = ROOT / "data" / "LICENSE.world_outline"
#: Decimal places kept in the outline: 0.01 degree (~1 km) is far below 1:110m detail.
OUTLINE_DIGITS = 2


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download ``name@version`` with ``npm pack`` and unpack it; return its ``package/`` folder."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    target = workdir / name
    with tarfile.open(workdir / out) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc of a quantized TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded integer positions
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, OUTLINE_DIGITS), round(y * sy + ty, OUTLINE_DIGITS)))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        # A negative index ~i means arc i reversed; consecutive arcs share an end point.
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend([list(p) for p in (points if not ring else points[1:])])
    return ring


def topology_to_geojson(topology: dict, obj: str = "countries") -> dict:
    """Convert one geometry collection of a TopoJSON topology into a GeoJSON FeatureCollection."""
    arcs = _decode_arcs(topology)
    features = []
    for geom in topology["objects"][obj]["geometries"]:
        if geom["type"] == "Polygon":
            coords = [_ring(r, arcs) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": geom.get("properties", {}).get("name", "")},
            "geometry": {"type": geom["type"], "coordinates": coords},
        })
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    """Fetch every package and write the files under ``static/`` and the outline under ``data/``."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name, (version, files) in PACKAGES.items():
            package = npm_pack(name, version, workdir)
            for source, target in files:
                dest = STATIC / target
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / source, dest)
            (STATIC / files[0][1]).parent.joinpath("VERSION").write_text(f"{name}@{version}\n")
        name, version, member = WORLD_ATLAS
        package = npm_pack(name, version, workdir)
        topology = json.loads((package / member).read_text(encoding="utf-8"))
        OUTLINE.write_text(json.dumps(topology_to_geojson(topology), separators=(",", ":")) + "\n")
        OUTLINE_LICENSE.write_text(
            f"data/world_outline.geojson: Natural Earth 1:110m Admin 0 countries (public domain,\n"
            f"https://www.naturalearthdata.com/about/terms-of-use/), converted from {member} of the\n"
            f"npm package {name}@{version} by static/vendor.py. Licence of that package:\n\n"
            + (package / "LICENSE").read_text(encoding="utf-8")
        )


if __name__ == "__main__":
    main()
