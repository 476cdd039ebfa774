"""The member's own profile: edit it, download everything, delete the account."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.audit.services import record
from jetaa.auth.models import User, new_session_token
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.models import (
    AlumniProfile,
    JapaneseLevel,
    JetRole,
    Jlpt,
    Placement,
    ProfileLanguage,
    Visibility,
)
from jetaa.memberships.models import Membership

SCALAR_FIELDS = (
    "home_country", "current_city", "occupation", "industry", "employer", "japanese_level",
    "jlpt_level", "bio", "interests", "phone", "website_url", "linkedin_url", "visibility",
    "contact_visibility", "open_to_recruitment", "open_to_mentoring",
)
# "placements" is a list of dicts with PLACEMENT_KEYS, in the member's order.
LIST_FIELDS = ("placements", "languages")
PLACEMENT_KEYS = ("role", "prefecture_code", "municipality", "contracting_organisation",
                  "start_year", "end_year")
_ENUMS = {"japanese_level": JapaneseLevel, "jlpt_level": Jlpt, "visibility": Visibility,
          "contact_visibility": Visibility}


def get_or_create_profile(user: User) -> AlumniProfile:
    profile = db.session.get(AlumniProfile, user.id)
    if profile is None:
        profile = AlumniProfile(user_id=user.id, member_set_fields=[], placements=[],
                                languages=[])
        db.session.add(profile)
    return profile


def placement_dict(placement: Placement) -> dict[str, Any]:
    data = {key: getattr(placement, key) for key in PLACEMENT_KEYS}
    data["role"] = placement.role.value if placement.role else None
    return data


def _normal_placement(data: dict[str, Any]) -> dict[str, Any]:
    normal = {key: data.get(key) for key in PLACEMENT_KEYS}
    for key in ("municipality", "contracting_organisation"):
        normal[key] = (normal[key] or "").strip()
    normal["role"] = normal["role"] or None
    return normal


def years_on_jet(placements: list[dict[str, Any]]) -> tuple[int | None, int | None]:
    """(first_year, last_year) of these placements: the earliest start, and the latest
    year on JET (a placement's last year, or its first when it has none)."""
    starts = [p["start_year"] for p in placements if p.get("start_year")]
    lasts = [p.get("end_year") or p.get("start_year") for p in placements]
    lasts = [year for year in lasts if year]
    return (min(starts) if starts else None), (max(lasts) if lasts else None)


def set_placements(profile: AlumniProfile, placements: list[dict[str, Any]]) -> None:
    """Make the profile's placements these, in this order, and its derived first and last
    years.

    Rows are updated in place by position and the extra ones dropped: replacing them all
    would insert the new (user, position) before deleting the old one.
    """
    existing = list(profile.placements)
    for position, data in enumerate(placements):
        if position < len(existing):
            placement = existing[position]
        else:
            placement = Placement(position=position)
            profile.placements.append(placement)
        for key in PLACEMENT_KEYS:
            value = data.get(key)
            setattr(placement, key, JetRole(value) if key == "role" and value else value)
    del profile.placements[len(placements):]
    profile.first_year, profile.last_year = years_on_jet(placements)


def _current(profile: AlumniProfile, field: str) -> Any:
    if field == "placements":
        return [placement_dict(p) for p in profile.placements]
    if field == "languages":
        return sorted(profile.language_codes)
    value = getattr(profile, field)
    return value.value if hasattr(value, "value") else value


def _assign(profile: AlumniProfile, field: str, value: Any) -> None:
    if field == "placements":
        set_placements(profile, value)
    elif field == "languages":
        profile.languages = [ProfileLanguage(code=v) for v in sorted(set(value))]
    elif field in _ENUMS:
        setattr(profile, field, _ENUMS[field](value) if value else None)
    else:
        setattr(profile, field, value)


def _normal(field: str, value: Any) -> Any:
    if field == "placements":
        return [_normal_placement(p) for p in value or []]
    return sorted(set(value or [])) if field in LIST_FIELDS else value


def apply_profile_changes(profile: AlumniProfile, data: dict[str, Any], *,
                          keep_member_set: bool) -> list[str]:
    """Set the given fields; with keep_member_set, leave alone what the member set.

    Returns the names of the fields that changed.
    """
    changed = []
    for field in (*SCALAR_FIELDS, *LIST_FIELDS):
        if field not in data:
            continue
        if keep_member_set and field in (profile.member_set_fields or []):
            continue
        value = _normal(field, data[field])
        if _current(profile, field) != value:
            _assign(profile, field, value)
            changed.append(field)
    return changed


def update_profile(user: User, data: dict[str, Any], *, actor: User) -> list[str]:
    """The member edits their profile; every field they touch becomes theirs."""
    profile = get_or_create_profile(user)
    if "name" in data and data["name"].strip() and data["name"].strip() != user.name:
        user.name = data["name"].strip()
    changed = apply_profile_changes(profile, data, keep_member_set=False)
    if actor.id == user.id and changed:
        profile.member_set_fields = sorted(set(profile.member_set_fields or []) | set(changed))
    if changed:
        record("profile.update", actor=actor, object_type="user", object_id=user.id,
               fields=changed)
    return changed


def profile_as_dict(profile: AlumniProfile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    data = {field: _current(profile, field) for field in (*SCALAR_FIELDS, *LIST_FIELDS)}
    data["updated_at"] = profile.updated_at.isoformat() if profile.updated_at else None
    return data


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_member_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about `user`, for the member to download."""
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.user_id == user.id).order_by(Membership.id))
    audit = db.session.scalars(
        sa.select(AuditEntry).where(sa.or_(
            AuditEntry.actor_id == user.id,
            sa.and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id),
        )).order_by(AuditEntry.id))
    return {
        "account": {"id": user.id, "name": user.name, "email": user.email,
                    "locale": user.locale, "created_at": _iso(user.created_at),
                    "email_confirmed_at": _iso(user.email_confirmed_at),
                    "last_login_at": _iso(user.last_login_at)},
        "profile": profile_as_dict(db.session.get(AlumniProfile, user.id)),
        "memberships": [{
            "branch": m.branch.name, "branch_slug": m.branch.slug, "role": m.role.value,
            "status": m.status.value, "is_primary": m.is_primary,
            "created_at": _iso(m.created_at), "decided_at": _iso(m.decided_at),
            "application_message": m.application_message,
            "decision_message": m.decision_message,
        } for m in memberships],
        "activity_log": [{"action": e.action, "at": _iso(e.created_at),
                          "object_type": e.object_type, "object_id": e.object_id,
                          "details": e.payload} for e in audit],
        "exported_at": utcnow().isoformat(),
    }


def delete_account(user: User, *, actor: User) -> None:
    """Erase the person; keep the rows others depend on (audit, events) without them.

    The account row stays as an anonymous tombstone so that foreign keys from
    shared records still point somewhere; everything personal goes.
    """
    record("account.delete", actor=None, object_type="user", object_id=user.id,
           by_self=actor.id == user.id)
    from jetaa.events.rsvp import withdraw_everywhere  # events build on members: no cycle

    # Before the address goes: their seats free up and the waitlists move on.
    withdraw_everywhere(user)
    profile = db.session.get(AlumniProfile, user.id)
    if profile is not None:
        db.session.delete(profile)
    db.session.execute(sa.delete(Membership).where(Membership.user_id == user.id))
    user.name = "Deleted member"
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash = None
    user.locale = None
    user.last_login_at = None
    user.email_confirmed_at = None
    user.session_token = new_session_token()
    user.deleted_at = utcnow()
    from jetaa.pictures.storage import drop_picture  # pictures build on members: no cycle

    drop_picture("profile", user.photo_name)  # the files go once this commits
    user.photo_name = None
