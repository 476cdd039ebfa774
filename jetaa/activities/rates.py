"""What an hour of volunteer time is worth per country, loaded from jetaa/data/volunteer_rates.json.

Funders value volunteer time at an hourly rate; the dashboards multiply a
country's verified hours by its rate. Where the file has no rate for a country
the dashboards say so instead of guessing. The sources are in jetaa/data/README.md.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from babel.numbers import list_currencies

from jetaa.activities.models import VolunteerRate
from jetaa.extensions import db
from jetaa.reference.services import read_data

RATES_FILE = "volunteer_rates.json"
FIELDS = ("currency", "hourly_rate", "year", "source", "source_url")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    """The row as stored, or ValueError naming what is wrong (a typo must not load quietly)."""
    country = str(row.get("country", ""))
    if not _COUNTRY.match(country):
        raise ValueError(f"volunteer rate: {country!r} is not an ISO 3166 alpha-2 code")
    if row.get("currency") not in list_currencies():
        raise ValueError(f"volunteer rate {country}: unknown currency {row.get('currency')!r}")
    rate, year = row.get("hourly_rate"), row.get("year")
    if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
        raise ValueError(f"volunteer rate {country}: hourly_rate must be a positive whole "
                         "number of minor units")
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise ValueError(f"volunteer rate {country}: year {year!r} is not a year")
    if not str(row.get("source", "")).strip():
        raise ValueError(f"volunteer rate {country}: a rate needs its source")
    return {"country": country, "currency": row["currency"], "hourly_rate": rate, "year": year,
            "source": str(row["source"]).strip()[:300],
            "source_url": str(row.get("source_url") or "")[:300]}


def load_volunteer_rates(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    """Upsert the rates by country; returns (created, updated). Rates not in the file stay."""
    checked = [_checked(row) for row in (rows if rows is not None
                                         else read_data(RATES_FILE)["rates"])]
    existing = {rate.country: rate for rate in db.session.scalars(sa.select(VolunteerRate))}
    created = updated = 0
    for row in checked:
        rate = existing.get(row["country"])
        if rate is None:
            rate = VolunteerRate(country=row["country"])
            db.session.add(rate)
            existing[row["country"]] = rate
            created += 1
        elif any(getattr(rate, name) != row[name] for name in FIELDS):
            updated += 1
        for name in FIELDS:
            setattr(rate, name, row[name])
    db.session.flush()
    return created, updated
