"""Fixtures for the members feature."""

from collections.abc import Callable

import pytest

from jetaa.auth.models import User
from jetaa.members.models import AlumniProfile, ProfileJetRole, ProfileLanguage, Visibility
from jetaa.reference.services import load_prefectures


@pytest.fixture
def prefectures(db) -> None:  # noqa: ANN001
    load_prefectures()
    db.commit()


@pytest.fixture
def make_profile(db, prefectures) -> Callable[..., AlumniProfile]:  # noqa: ANN001
    def make(user: User, *, roles: tuple[str, ...] = ("ALT",), languages: tuple[str, ...] = (),
             **fields: object) -> AlumniProfile:
        values = {"prefecture_code": 20, "municipality": "Matsumoto", "start_year": 2012,
                  "end_year": 2014, "home_country": "US", "current_city": "Boston",
                  "visibility": Visibility.BRANCHES, "contact_visibility": Visibility.HIDDEN,
                  "member_set_fields": []}
        values.update(fields)
        profile = AlumniProfile(user_id=user.id, **values)
        profile.jet_roles = [ProfileJetRole(role=r) for r in roles]
        profile.languages = [ProfileLanguage(code=c) for c in languages]
        db.add(profile)
        db.commit()
        return profile

    return make
