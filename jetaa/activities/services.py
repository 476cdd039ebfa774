"""Logging activities, the officers' review, publishing, and an event turned into an activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from babel.numbers import get_currency_precision, list_currencies
from flask_babel import lazy_gettext as _l

from jetaa.activities.models import (
    Activity,
    ActivityError,
    ActivityMember,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    ActivityStatus,
    Category,
    FundingSource,
    VolunteerRate,
)
from jetaa.activities.uploads import add_photo as store_photo
from jetaa.activities.uploads import add_receipt as store_receipt
from jetaa.activities.uploads import (
    delete_photo,
    delete_receipt,
    forget_files,
    photo_path,
    receipt_path,
)
from jetaa.audit.services import apply_changes, record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.events.models import Category as EventCategory
from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.notifications.services import notify

MAX_PEOPLE = 1_000_000
MAX_VOLUNTEERS = 10_000
MAX_MONEY = Decimal(100_000_000)
MAX_PARTNERS, MAX_LINKS = 20, 10
MAX_RECEIPTS = 20
MAX_DAYS = 366
EDITABLE = (ActivityStatus.DRAFT, ActivityStatus.CHANGES_REQUESTED, ActivityStatus.SUBMITTED,
            ActivityStatus.VERIFIED)
# What an event's category becomes when the event is logged as an activity.
FROM_EVENT_CATEGORY = {
    EventCategory.CULTURAL: Category.CULTURE, EventCategory.LANGUAGE_EXCHANGE: Category.LANGUAGE,
    EventCategory.CAREER: Category.CAREERS, EventCategory.NETWORKING: Category.CAREERS,
    EventCategory.RECRUITMENT: Category.RECRUITMENT, EventCategory.SOCIAL: Category.FESTIVALS,
    EventCategory.VOLUNTEERING: Category.OTHER, EventCategory.OTHER: Category.OTHER,
}


@dataclass
class ActivityData:
    """What the activity form collects; money in major units (12.50), hours as decimals."""

    title: str
    category: Category | str
    starts_on: date
    ends_on: date
    city: str = ""
    country: str = ""
    is_online: bool = False
    description: str = ""
    people_reached: int = 0
    volunteers: int = 0
    volunteer_hours: Decimal = Decimal(0)
    members_involved: int = 0
    member_ids: list[int] = field(default_factory=list)
    currency: str = "USD"
    money_raised: Decimal = Decimal(0)
    money_spent: Decimal = Decimal(0)
    funding_source: FundingSource | str | None = None
    partners: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    cohost_ids: list[int] = field(default_factory=list)
    event_id: int | None = None


def _enum(kind: type, value: Any, message: Any) -> Any:
    try:
        return kind(value)
    except ValueError as error:
        raise ActivityError(message) from error


def minor_units(amount: Decimal, currency: str) -> int:
    """12.50 USD -> 1250; 1200 JPY -> 1200."""
    exponent = get_currency_precision(currency)
    return int((amount * 10**exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def major_units(amount: int, currency: str) -> Decimal:
    """1250 USD cents -> 12.50 (with the currency's decimals, as CSV files show money)."""
    return Decimal(amount).scaleb(-get_currency_precision(currency))


def check(data: ActivityData, today: date | None = None) -> None:
    """Refuse what no activity can be, whichever form or script sent it."""
    today = today or utcnow().date()
    data.category = _enum(Category, data.category, _l("Unknown category."))
    if data.funding_source in ("", None):
        data.funding_source = None
    else:
        data.funding_source = _enum(FundingSource, data.funding_source,
                                    _l("Unknown funding source."))
    data.currency = (data.currency or "").upper()
    if data.currency not in list_currencies():
        raise ActivityError(_l("Unknown currency: %(code)s.", code=data.currency))
    if data.ends_on < data.starts_on:
        raise ActivityError(_l("The activity must end on or after the day it starts."))
    if data.ends_on > today:
        raise ActivityError(_l("Log an activity once it has happened: it cannot end in the future."))
    days = (data.ends_on - data.starts_on).days + 1
    if days > MAX_DAYS:
        raise ActivityError(_l("An activity can last at most a year; log longer projects by year."))
    for value, most, message in (
        (data.people_reached, MAX_PEOPLE, _l("People reached must be between 0 and a million.")),
        (data.volunteers, MAX_VOLUNTEERS, _l("Volunteers must be between 0 and 10,000.")),
        (data.members_involved, MAX_VOLUNTEERS,
         _l("Members involved must be between 0 and 10,000.")),
    ):
        if value < 0 or value > most:
            raise ActivityError(message)
    if data.volunteer_hours < 0:
        raise ActivityError(_l("Volunteer hours cannot be negative."))
    if data.volunteer_hours > data.volunteers * 24 * days:
        raise ActivityError(_l(
            "More volunteer hours than the volunteers could give: at most %(most)s "
            "(24 hours a day for each volunteer).", most=f"{data.volunteers * 24 * days:,}"))
    for amount in (data.money_raised, data.money_spent):
        if amount < 0 or amount > MAX_MONEY:
            raise ActivityError(_l("Amounts must be between 0 and 100,000,000."))
    if len(data.partners) > MAX_PARTNERS or len(data.links) > MAX_LINKS:
        raise ActivityError(_l("At most 20 partner organisations and 10 links."))


def _eligible_members(member_ids: list[int], branch_ids: set[int]) -> set[int]:
    """Of these people, those who are approved members of one of the host branches."""
    if not member_ids:
        return set()
    return set(db.session.scalars(
        sa.select(Membership.user_id).where(Membership.user_id.in_(member_ids),
                                            Membership.branch_id.in_(sorted(branch_ids)),
                                            Membership.status == MembershipStatus.APPROVED)))


def _columns(data: ActivityData) -> dict[str, Any]:
    return {
        "title": data.title.strip(), "category": data.category, "starts_on": data.starts_on,
        "ends_on": data.ends_on, "city": data.city.strip(), "country": data.country.upper(),
        "is_online": data.is_online, "description": data.description,
        "people_reached": data.people_reached, "volunteers": data.volunteers,
        "volunteer_tenths": int((data.volunteer_hours * 10).quantize(Decimal(1),
                                                                     rounding=ROUND_HALF_UP)),
        "currency": data.currency, "money_raised": minor_units(data.money_raised, data.currency),
        "money_spent": minor_units(data.money_spent, data.currency),
        "funding_source": data.funding_source, "links": "\n".join(data.links),
    }


def _partner_names(partners: list[str]) -> list[str]:
    """Tidied partner names, each once whatever its capitals (the first spelling wins)."""
    names: dict[str, str] = {}
    for partner in partners:
        name = " ".join(partner.split())[:160]
        if name:
            names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)


def _cohost_ids(data: ActivityData, host_id: int, actor: User) -> list[int]:
    """Co-hosts are branches the person logging belongs to (any branch for an admin):
    nobody puts an activity into the figures of a branch they are not in."""
    wanted = {i for i in data.cohost_ids if i != host_id}
    if not wanted or actor.is_admin:
        return sorted(wanted)
    mine = set(db.session.scalars(sa.select(Membership.branch_id).where(
        Membership.user_id == actor.id, Membership.status == MembershipStatus.APPROVED)))
    return sorted(wanted & mine)


def _set_relations(activity: Activity, data: ActivityData, actor: User) -> dict[str, list]:
    """Co-hosts, partners and named members; what changed, for the audit entry."""
    changed: dict[str, list] = {}
    ids = _cohost_ids(data, activity.branch_id, actor)
    cohosts = list(db.session.scalars(sa.select(Branch).where(Branch.id.in_(ids)))) if ids else []
    if {b.id for b in cohosts} != {b.id for b in activity.cohosts}:
        changed["cohosts"] = [sorted(b.slug for b in activity.cohosts), sorted(b.slug for b in cohosts)]
        activity.cohosts = cohosts
    names = _partner_names(data.partners)
    current_partners = {p.name: p for p in activity.partners}
    if set(names) != set(current_partners):
        changed["partners"] = [sorted(current_partners), names]
        # Keep the rows of names that stay: a new row for the same name would collide.
        activity.partners = [current_partners.get(n) or ActivityPartner(name=n) for n in names]
    wanted = _eligible_members(data.member_ids, {activity.branch_id} | set(ids))
    current = {m.user_id: m for m in activity.members}
    if wanted != set(current):
        changed["members"] = [sorted(current), sorted(wanted)]
        activity.members = [current.get(i) or ActivityMember(user_id=i) for i in sorted(wanted)]
    activity.members_involved = max(data.members_involved, len(wanted))
    return changed


def create_activity(branch: Branch, data: ActivityData, *, actor: User) -> Activity:
    """A draft activity of `branch`, logged by `actor`."""
    check(data)
    activity = Activity(branch=branch, created_by_id=actor.id, event_id=data.event_id,
                        **_columns(data))
    db.session.add(activity)
    db.session.flush()
    _set_relations(activity, data, actor)
    db.session.flush()
    record("activity.create", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=branch.id, title=activity.title)
    return activity


def update_activity(activity: Activity, data: ActivityData, *, actor: User) -> dict[str, list]:
    """Apply an edit; a verified activity goes back to review (and off the public page)."""
    if activity.status not in EDITABLE:
        raise ActivityError(_l("A rejected activity cannot be changed."))
    check(data)
    changed: dict[str, list] = apply_changes(activity, _columns(data))
    before = activity.members_involved
    changed.update(_set_relations(activity, data, actor))
    if activity.members_involved != before:
        changed["members_involved"] = [before, activity.members_involved]
    if changed:
        activity.edited_by_id = actor.id
        _back_to_review(activity, changed)
    if changed:
        record("activity.update", actor=actor, object_type="activity", object_id=activity.id,
               branch_id=activity.branch_id, changes=changed)
    return changed


def _back_to_review(activity: Activity, changed: dict[str, list]) -> None:
    """A verified entry whose content changes is verified again (and is off the public page)."""
    if activity.status == ActivityStatus.VERIFIED:
        activity.status, activity.is_published = ActivityStatus.SUBMITTED, False
        activity.submitted_at = utcnow()
        changed["status"] = ["verified", "submitted"]


def submit_activity(activity: Activity, *, actor: User) -> None:
    """The author sends the draft (or the changed entry) to the branch's officers."""
    if activity.created_by_id != actor.id:
        raise ActivityError(_l("Only its author submits an activity."))
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.CHANGES_REQUESTED):
        raise ActivityError(_l("Only a draft or an entry sent back for changes can be submitted."))
    if activity.ends_on > utcnow().date():
        raise ActivityError(_l("Log an activity once it has happened: it cannot end in the future."))
    activity.status, activity.submitted_at = ActivityStatus.SUBMITTED, utcnow()
    record("activity.submit", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id)


def version_of(activity: Activity) -> str:
    """What the review form carries: a decision applies to the entry as the officer saw it."""
    return activity.updated_at.isoformat()


def _decide(activity: Activity, status: ActivityStatus, comment: str, *, actor: User,
            version: str | None) -> None:
    if activity.status != ActivityStatus.SUBMITTED:
        raise ActivityError(_l("Only an activity waiting for review can be decided."))
    if actor.id in (activity.created_by_id, activity.edited_by_id):
        raise ActivityError(_l("Another officer or an admin reviews the entries you wrote "
                               "or last changed."))
    if version is not None and version != version_of(activity):
        raise ActivityError(_l("The entry changed since you opened it: read it again, then "
                               "decide."))
    activity.status, activity.review_comment = status, comment.strip()
    activity.reviewed_by_id, activity.reviewed_at = actor.id, utcnow()
    record(f"activity.{status.value}", actor=actor, object_type="activity",
           object_id=activity.id, branch_id=activity.branch_id, comment=activity.review_comment)


def verify_activity(activity: Activity, comment: str = "", *, actor: User,
                    version: str | None = None) -> None:
    """The entry is right: it counts in every report from now on."""
    _decide(activity, ActivityStatus.VERIFIED, comment, actor=actor, version=version)


def request_changes(activity: Activity, comment: str, *, actor: User,
                    version: str | None = None) -> None:
    """Back to the author with what to change; they are e-mailed."""
    if not comment.strip():
        raise ActivityError(_l("Say what should change: the author reads your comment."))
    _decide(activity, ActivityStatus.CHANGES_REQUESTED, comment, actor=actor, version=version)
    author = db.session.get(User, activity.created_by_id) if activity.created_by_id else None
    if author is not None and author.deleted_at is None:
        notify(author, "activity_changes_requested", activity=activity,
               comment=activity.review_comment, reviewer=actor,
               link=external_url("activities.edit", activity_id=activity.id))


def reject_activity(activity: Activity, comment: str = "", *, actor: User,
                    version: str | None = None) -> None:
    """Not an activity of the branch (or a duplicate): it never counts."""
    _decide(activity, ActivityStatus.REJECTED, comment, actor=actor, version=version)


def set_published(activity: Activity, published: bool, *, actor: User) -> None:
    """Show (or hide) a verified activity on the branch's public page."""
    if activity.status != ActivityStatus.VERIFIED:
        raise ActivityError(_l("Only a verified activity can be published."))
    activity.is_published = published
    record("activity.publish" if published else "activity.unpublish", actor=actor,
           object_type="activity", object_id=activity.id, branch_id=activity.branch_id)


def set_named(activity: Activity, user: User, named: bool) -> None:
    """A member chooses whether their name shows among the people who took part."""
    for member in activity.members:
        if member.user_id == user.id:
            member.hidden = not named
            return
    raise ActivityError(_l("You are not listed among the members of this activity."))


def delete_draft(activity: Activity, *, actor: User) -> None:
    """The author throws away a draft that was never submitted."""
    if activity.status != ActivityStatus.DRAFT or activity.created_by_id != actor.id:
        raise ActivityError(_l("Only your own draft can be deleted."))
    # The rows go with the activity (cascade); their files once the deletion commits.
    forget_files(*(path for photo in activity.photos
                   for path in (photo_path(photo), photo_path(photo, thumb=True))),
                 *(receipt_path(receipt) for receipt in activity.receipts))
    record("activity.delete", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id, title=activity.title)
    db.session.delete(activity)


def data_from_event(event: Event) -> ActivityData:
    """A past event as an activity: title, dates, place, category and attendance filled in."""
    attended = db.session.execute(
        sa.select(sa.func.count().filter(Rsvp.attended.is_(True)),
                  sa.func.coalesce(sa.func.sum(Rsvp.guests + 1), 0))
        .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING)).one()
    came, going = attended
    start, end = to_local(event.starts_at, event.timezone), to_local(event.ends_at, event.timezone)
    return ActivityData(
        title=event.title, category=FROM_EVENT_CATEGORY.get(event.category, Category.OTHER),
        starts_on=start.date(), ends_on=max(end.date(), start.date()),
        city=(event.address or event.venue).split(",")[-1].strip()[:120] if not event.is_online
        else "", country=event.branch.country, is_online=event.is_online,
        description=event.description, people_reached=came or going,
        cohost_ids=[b.id for b in event.cohosts], event_id=event.id)


def partner_suggestions(branch: Branch, limit: int = 200) -> list[str]:
    """The partner organisations of the branch's earlier entries, most used first."""
    query = (sa.select(ActivityPartner.name)
             .join(Activity, Activity.id == ActivityPartner.activity_id)
             .where(Activity.branch_id == branch.id)
             .group_by(ActivityPartner.name)
             .order_by(sa.func.count().desc(), ActivityPartner.name).limit(limit))
    return list(db.session.scalars(query))


def published_activities(branch: Branch, limit: int = 5) -> list[Activity]:
    """The branch's latest verified activities it chose to show publicly (its page lists them)."""
    query = (sa.select(Activity)
             .where(Activity.branch_id == branch.id, Activity.status == ActivityStatus.VERIFIED,
                    Activity.is_published)
             .order_by(Activity.starts_on.desc(), Activity.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def save_volunteer_rate(country: str, values: dict[str, Any], *, actor: User) -> VolunteerRate:
    """Create or change what an hour of volunteer time is worth in `country` (admins)."""
    rate = db.session.get(VolunteerRate, country)
    created = rate is None
    if created:
        rate = VolunteerRate(country=country, **values)
        db.session.add(rate)
        changed = {name: [None, str(value)] for name, value in values.items()}
    else:
        changed = apply_changes(rate, values)
    if changed:
        record("volunteer_rate.create" if created else "volunteer_rate.update", actor=actor,
               object_type="volunteer_rate", country=country, changes=changed)
    return rate


def add_photo(activity: Activity, upload: Any, caption: str = "", *, in_report: bool = False,
              actor: User) -> ActivityPhoto:
    """A new photo is new content: a verified entry goes back to review with it."""
    photo = store_photo(activity, upload, caption, in_report=in_report)
    changed: dict[str, list] = {"photos": ["", photo.stored_name]}
    activity.edited_by_id = actor.id
    _back_to_review(activity, changed)
    record("activity.photo_add", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id, changes=changed, caption=photo.caption)
    return photo


def remove_photo(activity: Activity, photo: ActivityPhoto, *, actor: User) -> None:
    changed: dict[str, list] = {"photos": [photo.stored_name, ""]}
    delete_photo(photo)
    activity.edited_by_id = actor.id
    _back_to_review(activity, changed)
    record("activity.photo_remove", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id, changes=changed)


def add_receipt(activity: Activity, upload: Any, filename: str, *, actor: User) -> ActivityReceipt:
    if len(activity.receipts) >= MAX_RECEIPTS:
        raise ActivityError(_l("An activity can have at most %(n)d receipts.", n=MAX_RECEIPTS))
    receipt = store_receipt(activity, upload, filename)
    record("activity.receipt_add", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id, filename=receipt.filename)
    return receipt


def remove_receipt(activity: Activity, receipt: ActivityReceipt, *, actor: User) -> None:
    record("activity.receipt_remove", actor=actor, object_type="activity", object_id=activity.id,
           branch_id=activity.branch_id, filename=receipt.filename)
    delete_receipt(receipt)
