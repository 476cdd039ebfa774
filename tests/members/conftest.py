"""Fixtures for the members feature."""

from collections.abc import Callable

import pytest

from jetaa.auth.models import User
from jetaa.members.models import AlumniProfile, Placement, ProfileLanguage, Visibility
from jetaa.members.services.profiles import years_on_jet
from jetaa.reference.services import load_prefectures


@pytest.fixture
def prefectures(db) -> None:  # noqa: ANN001
    load_prefectures()
    db.commit()


@pytest.fixture
def make_profile(db, prefectures) -> Callable[..., AlumniProfile]:  # noqa: ANN001
    def make(user: User, *, roles: tuple[str, ...] = ("ALT",), languages: tuple[str, ...] = (),
             placements: list[dict] | None = None, **fields: object) -> AlumniProfile:
        """A profile; its placements given as dicts, or one placement per role in the place
        and years of prefecture_code, municipality, start_year, end_year (defaults below)."""
        place = {"prefecture_code": 20, "municipality": "Matsumoto", "start_year": 2012,
                 "end_year": 2014, "contracting_organisation": ""}
        for key in list(place):
            if key in fields:
                place[key] = fields.pop(key)
        values = {"home_country": "US", "current_city": "Boston",
                  "visibility": Visibility.BRANCHES, "contact_visibility": Visibility.HIDDEN,
                  "member_set_fields": []}
        values.update(fields)
        if placements is None:
            placements = [{"role": r, **place} for r in roles] or [place]
        profile = AlumniProfile(user_id=user.id, **values)
        profile.placements = [Placement(position=n, **p) for n, p in enumerate(placements)]
        profile.first_year, profile.last_year = years_on_jet(placements)
        profile.languages = [ProfileLanguage(code=c) for c in languages]
        db.add(profile)
        db.commit()
        return profile

    return make


def placement_form(*placements: dict) -> dict[str, str]:
    """The profile and join forms' placement rows, as a browser posts them."""
    data = {}
    for n, placement in enumerate(placements):
        for key, value in placement.items():
            data[f"placements-{n}-{key}"] = str(value)
    return data
