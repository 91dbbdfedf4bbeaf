"""Places given as a distance and a direction from a named one: "sekitar 70 kilometer di utara Khartoum".

ACLED codes such an event at the stated offset (geo_precision 2), not in the town it is measured from.
"""
from __future__ import annotations

import re

from geopy.distance import geodesic

from geo.geocoders import Location

#: Compass words (Indonesian and English) and their bearings in degrees.
_BEARINGS = {"utara": 0, "north": 0, "timur laut": 45, "northeast": 45, "north-east": 45, "timur": 90, "east": 90,
             "tenggara": 135, "southeast": 135, "south-east": 135, "selatan": 180, "south": 180,
             "barat daya": 225, "southwest": 225, "south-west": 225, "barat": 270, "west": 270,
             "barat laut": 315, "northwest": 315, "north-west": 315}
_COMPASS = {0: "N", 45: "NE", 90: "E", 135: "SE", 180: "S", 225: "SW", 270: "W", 315: "NW"}
_DIRECTION = "|".join(sorted((re.escape(word) for word in _BEARINGS), key=len, reverse=True))
#: Right before a place name: "70 km di utara", "70 kilometer sebelah barat laut kota", "30 km south of".
_OFFSET_BEFORE_RE = re.compile(
    rf"\b(?P<km>\d+(?:[.,]\d+)?)\s*(?:kilometer|kilometres?|kilometers?|km)\s+(?:di\s+|ke\s+arah\s+|arah\s+)?(?:sebelah\s+)?"
    rf"(?P<direction>{_DIRECTION})\s+(?:dari\s+|of\s+)?(?:(?:kota|ibu kota|desa|the city of)\s+)?$", re.IGNORECASE)
#: Closer than this, the named place itself is the better location.
MIN_OFFSET_KM = 5.0
#: The precision of a point placed by distance and direction: "part of a region".
OFFSET_PRECISION = 2


def offset_before(text: str, start: int) -> tuple[float, str] | None:
    """The (km, compass word) of an offset written just before ``text[start:]``, or None."""
    match = _OFFSET_BEFORE_RE.search(text, max(0, start - 70), start)
    if match is None:
        return None
    km = float(match.group("km").replace(",", "."))
    return (km, match.group("direction").lower()) if km >= MIN_OFFSET_KM else None


def shifted(location: Location, km: float, direction: str) -> Location:
    """``location`` moved ``km`` towards ``direction`` ("utara", "south-west", ...), at region precision."""
    bearing = _BEARINGS[direction]
    point = geodesic(kilometers=km).destination((location.lat, location.lon), bearing)
    return location._replace(name=f"{km:g} km {_COMPASS[bearing]} of {location.name}", lat=round(point.latitude, 5),
                             lon=round(point.longitude, 5), kind="offset",
                             geo_precision=max(location.geo_precision, OFFSET_PRECISION))
