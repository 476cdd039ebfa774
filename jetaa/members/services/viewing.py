"""One member's profile as a given viewer may see it (pages and the API share this)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.members.choices import country_name, industry_name, language_name
from jetaa.members.models import AlumniProfile
from jetaa.members.permissions import can_see_contact, can_see_profile, owners_of
from jetaa.members.placements import years_text
from jetaa.members.services.directory import DirectoryEntry


@dataclass
class MemberView:
    entry: DirectoryEntry
    show_contact: bool


def member_view(viewer: Any, user_id: int) -> MemberView | None:
    """The member's profile if `viewer` may see it, else None (the caller answers 404)."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        return None
    owner = owners_of([user.id])[user.id]
    if not can_see_profile(viewer, owner):
        return None
    profile = db.session.get(AlumniProfile, user.id)
    branches = list(db.session.scalars(
        sa.select(Branch).where(Branch.id.in_(sorted(owner.branch_ids))).order_by(Branch.name)))
    return MemberView(
        entry=DirectoryEntry(user=user, profile=profile, branches=branches),
        show_contact=can_see_contact(viewer, owner),
    )


def entry_as_json(entry: DirectoryEntry, *, contact: bool = False,
                  detail: bool = False) -> dict[str, Any]:
    """The fields of a visible profile; contact details only when `contact` is allowed."""
    p = entry.profile
    data: dict[str, Any] = {
        "id": entry.user.id, "name": entry.user.name,
        "branches": [{"slug": b.slug, "name": b.name} for b in entry.branches],
        "placements": [_placement_json(placement, detail=detail)
                       for placement in (p.placements if p else [])],
        "home_country": p.home_country if p else "",
        "current_city": p.current_city if p else "",
        "industry": p.industry if p else "",
        "open_to_recruitment": bool(p and p.open_to_recruitment),
        "open_to_mentoring": bool(p and p.open_to_mentoring),
    }
    if detail:
        data.update({
            "occupation": p.occupation if p else "", "employer": p.employer if p else "",
            "japanese_level": p.japanese_level.value if p and p.japanese_level else None,
            "jlpt_level": p.jlpt_level.value if p and p.jlpt_level else None,
            "languages": p.language_codes if p else [], "bio": p.bio if p else "",
            "interests": p.interests if p else "",
        })
    if contact:
        data["contact"] = {"email": entry.user.email, "phone": p.phone if p else "",
                           "website_url": p.website_url if p else "",
                           "linkedin_url": p.linkedin_url if p else ""}
    return data


def _placement_json(placement: Any, *, detail: bool) -> dict[str, Any]:
    role = placement.role
    prefecture = placement.prefecture
    data = {"role": getattr(role, "value", role),
            "prefecture": prefecture.name if prefecture else None,
            "prefecture_ja": prefecture.name_ja if prefecture else None,
            "municipality": placement.municipality, "start_year": placement.start_year,
            "end_year": placement.end_year,
            "years": years_text(placement.start_year, placement.end_year)}
    if detail:
        data["contracting_organisation"] = placement.contracting_organisation
    return data


def labels() -> dict[str, Any]:
    """Name look-ups for templates."""
    return {"country_name": country_name, "industry_name": industry_name,
            "language_name": language_name}
