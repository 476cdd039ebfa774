"""The per-country value of a volunteer hour: the shipped file, the loader and its command."""

import json

import pytest
import sqlalchemy as sa
from babel.numbers import get_currency_precision

from jetaa.activities.demo import MONEY
from jetaa.activities.models import VolunteerRate
from jetaa.activities.rates import load_volunteer_rates
from jetaa.reference.services import DATA_DIR, read_data


def _rates(db) -> dict[str, VolunteerRate]:
    return {rate.country: rate for rate in db.scalars(sa.select(VolunteerRate))}


def test_the_shipped_rates_load_with_their_sources(db):
    assert load_volunteer_rates() == (12, 0)
    rates = _rates(db)
    us = rates["US"]
    assert (us.currency, us.hourly_rate, us.year) == ("USD", 3180, 2022)
    assert "Independent Sector" in us.source
    for rate in rates.values():
        assert rate.source_url.startswith(("https://", "http://"))
        # Every figure that is not a value of volunteer time says it is a proxy.
        assert rate.country == "US" or rate.source.startswith("Proxy")
    assert rates["KR"].hourly_rate == 10030  # won have no minor unit
    assert rates["GB"].hourly_rate == 1221  # pence


def test_rates_are_for_branch_countries_in_the_currency_their_activities_use():
    branch_countries = {branch["country"] for branch in read_data("branches.json")}
    for row in read_data("volunteer_rates.json")["rates"]:
        assert row["country"] in branch_countries
        assert row["currency"] == MONEY[row["country"]][0]
        assert get_currency_precision(row["currency"]) in (0, 2)
    raw = (DATA_DIR / "volunteer_rates.json").read_text(encoding="utf-8")
    assert len({row["country"] for row in json.loads(raw)["rates"]}) == 12  # one row a country


def test_loading_again_updates_in_place(db):
    load_volunteer_rates()
    db.commit()
    assert load_volunteer_rates() == (0, 0)
    changed = [{"country": "US", "currency": "USD", "hourly_rate": 3349, "year": 2023,
                "source": "A newer release.", "source_url": "https://example.org/vovt"}]
    assert load_volunteer_rates(changed) == (0, 1)
    db.commit()
    rates = _rates(db)
    assert len(rates) == 12  # a rate left out of the rows is kept, not deleted
    assert (rates["US"].hourly_rate, rates["US"].year, rates["US"].source) == (
        3349, 2023, "A newer release.")


@pytest.mark.parametrize("bad", [
    {"country": "usa"}, {"currency": "XXX1"}, {"hourly_rate": -5}, {"hourly_rate": 12.5},
    {"hourly_rate": True}, {"year": 202}, {"source": " "},
])
def test_a_wrong_row_is_refused_before_anything_changes(db, bad):
    row = {"country": "NZ", "currency": "NZD", "hourly_rate": 2350, "year": 2025,
           "source": "Proxy: the minimum wage.", "source_url": ""}
    good = {**row, "country": "AU", "currency": "AUD"}
    with pytest.raises(ValueError, match="volunteer rate"):
        load_volunteer_rates([good, {**row, **bad}])
    assert _rates(db) == {}


def test_the_command_loads_and_commits(app, db):
    result = app.test_cli_runner().invoke(args=["load-volunteer-rates"])
    assert result.exit_code == 0, result.output
    assert "volunteer rates: 12 created, 0 updated" in result.output
    db.expire_all()
    assert len(_rates(db)) == 12
    again = app.test_cli_runner().invoke(args=["load-volunteer-rates"])
    assert "0 created, 0 updated" in again.output
