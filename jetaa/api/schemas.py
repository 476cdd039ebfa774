"""The documented shapes of the API: every request and response has a schema here.

Times are ISO 8601 with their offset (UTC instants, "+00:00"); an event's local start
comes with its zone's offset as well.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from marshmallow import Schema, ValidationError, fields, validate

from jetaa.activities.models import Category as ActivityCategory
from jetaa.activities.services import (
    MAX_LINKS,
    MAX_MONEY,
    MAX_PARTNERS,
    MAX_PEOPLE,
    MAX_VOLUNTEERS,
)
from jetaa.events.models import Category
from jetaa.members.choices import FIRST_JET_YEAR, LAST_JET_YEAR

MAX_PER_PAGE = 100
MAX_PAGE = 10_000


class Strict(Schema):
    class Meta:
        ordered = True


# Errors and pages ----------------------------------------------------------------

class ErrorBody(Strict):
    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.Raw(),
                          required=True)


class ApiError(Strict):
    """Every error answer of the API."""

    error = fields.Nested(ErrorBody, required=True)


class PageArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))


class PageInfo(Strict):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class Links(Strict):
    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(required=True, allow_none=True)
    next = fields.String(required=True, allow_none=True)


def paged(name: str, item: type[Schema]) -> type[Schema]:
    """A page of `item`: the items, where the page is, and links to the pages around it."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "pagination": fields.Nested(PageInfo, required=True),
        "links": fields.Nested(Links, required=True),
    }, name=name)


# Branches -----------------------------------------------------------------------

class BranchRef(Strict):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class Branch(Strict):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    country_name = fields.String(required=True)
    region = fields.String(required=True)
    grouping = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"description": "IANA zone name"})
    website = fields.String(required=True, allow_none=True)
    join_policy = fields.String(required=True, validate=validate.OneOf(["open", "approval"]))
    member_count = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "the branch's page"})
    events_url = fields.String(required=True, metadata={"description": "its events in this API"})


class BranchDetail(Branch):
    description = fields.String(required=True)
    mission = fields.Nested(Schema.from_dict({"slug": fields.String(required=True),
                                              "name": fields.String(required=True)},
                                             name="MissionRef"), required=True, allow_none=True)


class Money(Strict):
    currency = fields.String(required=True)
    amount = fields.String(required=True, metadata={"description": "major units, as a decimal"})


class ActivityTotals(Strict):
    branch = fields.Nested(BranchRef, required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    counted = fields.String(required=True, validate=validate.OneOf(["published", "verified"]),
                            metadata={"description": "published: what anyone may see; verified: "
                                                     "every verified activity, for those the "
                                                     "branch's impact dashboard is open to"})
    activities = fields.Integer(required=True)
    people_reached = fields.Integer(required=True)
    volunteer_hours = fields.String(required=True, metadata={"description": "a decimal"})
    members_involved = fields.Integer(required=True)
    money_raised = fields.List(fields.Nested(Money), required=True)
    money_spent = fields.List(fields.Nested(Money), required=True)


# Events -------------------------------------------------------------------------

class EventArgs(PageArgs):
    branch = fields.String(validate=validate.Length(max=64),
                           metadata={"description": "a host or co-host branch's slug"})
    category = fields.String(validate=validate.OneOf([c.value for c in Category]))
    from_ = fields.Date(data_key="from",
                        metadata={"description": "events ending on or after this day (UTC); "
                                                 "default: today"})
    to = fields.Date(metadata={"description": "events starting on or before this day (UTC)"})


class Event(Strict):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["published", "cancelled"]))
    audience = fields.String(required=True)
    timezone = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    starts_local = fields.DateTime(required=True, metadata={"description": "in the event's zone"})
    venue = fields.String(required=True)
    address = fields.String(required=True)
    online = fields.Boolean(required=True)
    capacity = fields.Integer(required=True, allow_none=True)
    seats_left = fields.Integer(required=True, allow_none=True)
    branch = fields.Nested(BranchRef, required=True)
    cohosts = fields.List(fields.Nested(BranchRef), required=True)
    url = fields.String(required=True)


class EventDetail(Event):
    description = fields.String(required=True, metadata={"description": "Markdown"})
    online_url = fields.String(required=True, allow_none=True,
                               metadata={"description": "for public events and those going"})
    rsvp_deadline = fields.DateTime(required=True, allow_none=True)
    guests_allowed = fields.Integer(required=True)


# Members ------------------------------------------------------------------------

class DirectoryArgs(Strict):
    """The directory page's filters (jetaa/members/forms.py DirectorySearchForm checks them)."""

    q = fields.String(metadata={"description": "name"})
    branch = fields.String(metadata={"description": "branch slug"})
    country = fields.String(metadata={"description": "home country, ISO 3166-1 alpha-2"})
    role = fields.String(metadata={"description": "JET role: ALT, CIR, SEA ..."})
    prefecture = fields.String()
    year_from = fields.Integer(validate=validate.Range(FIRST_JET_YEAR, LAST_JET_YEAR))
    year_to = fields.Integer(validate=validate.Range(FIRST_JET_YEAR, LAST_JET_YEAR))
    city = fields.String()
    industry = fields.String()
    language = fields.String()
    recruitment = fields.Boolean()
    mentoring = fields.Boolean()
    sort = fields.String()
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))


class Contact(Strict):
    email = fields.String(required=True)
    phone = fields.String(required=True)
    website_url = fields.String(required=True)
    linkedin_url = fields.String(required=True)


class Placement(Strict):
    """One JET placement, in the member's order (a member may have had several)."""

    role = fields.String(required=True, allow_none=True, metadata={"description": "ALT, CIR, SEA ..."})
    prefecture = fields.String(required=True, allow_none=True)
    prefecture_ja = fields.String(required=True, allow_none=True)
    municipality = fields.String(required=True)
    start_year = fields.Integer(required=True, allow_none=True)
    end_year = fields.Integer(required=True, allow_none=True)
    years = fields.String(required=True, metadata={"description": "as the site writes them"})


class PlacementDetail(Placement):
    contracting_organisation = fields.String(required=True)


class DirectoryMember(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    branches = fields.List(fields.Nested(BranchRef), required=True)
    placements = fields.List(fields.Nested(Placement), required=True)
    home_country = fields.String(required=True)
    current_city = fields.String(required=True)
    industry = fields.String(required=True)
    open_to_recruitment = fields.Boolean(required=True)
    open_to_mentoring = fields.Boolean(required=True)
    contact = fields.Nested(Contact, metadata={"description": "only when its owner shows it to you"})
    url = fields.String(required=True)


class MemberDetail(DirectoryMember):
    url = fields.String()
    placements = fields.List(fields.Nested(PlacementDetail), required=True)
    occupation = fields.String(required=True)
    employer = fields.String(required=True)
    japanese_level = fields.String(required=True, allow_none=True)
    jlpt_level = fields.String(required=True, allow_none=True)
    languages = fields.List(fields.String(), required=True)
    bio = fields.String(required=True)
    interests = fields.String(required=True)


class DirectoryPage(Strict):
    items = fields.List(fields.Nested(DirectoryMember), required=True)
    pagination = fields.Nested(PageInfo, required=True)
    links = fields.Nested(Links, required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


# Me ------------------------------------------------------------------------------

class Membership(Strict):
    branch = fields.Nested(BranchRef, required=True)
    role = fields.String(required=True, validate=validate.OneOf(["member", "officer"]))
    status = fields.String(required=True)
    primary = fields.Boolean(required=True)


class Me(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    locale = fields.String(required=True, allow_none=True)
    admin = fields.Boolean(required=True)
    missions = fields.List(fields.Nested(Schema.from_dict(
        {"slug": fields.String(required=True), "name": fields.String(required=True)},
        name="MissionOfStaff")), required=True)
    memberships = fields.List(fields.Nested(Membership), required=True)
    token = fields.Nested(Schema.from_dict({
        "name": fields.String(required=True), "scope": fields.String(required=True),
        "expires_at": fields.DateTime(required=True, allow_none=True)}, name="TokenInUse"),
        required=True, allow_none=True, metadata={"description": "null for a browser session"})


class RsvpArgs(PageArgs):
    past = fields.Boolean(load_default=False, metadata={"description": "events already over"})


class Rsvp(Strict):
    event = fields.Nested(Event, required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(["going", "waitlisted", "not_going"]))
    guests = fields.Integer(required=True)
    waitlist_place = fields.Integer(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True)


class RsvpRequest(Strict):
    event_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
    guests = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 100))


# Outreach -----------------------------------------------------------------------

class OutreachArgs(PageArgs):
    past = fields.Boolean(load_default=False, metadata={"description": "requests already over"})


class RoleRef(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    places = fields.Integer(required=True)
    confirmed = fields.Integer(required=True)


class OutreachRequest(Strict):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    mission = fields.Nested(BranchRef, required=True, metadata={"description": "slug and name"})
    timezone = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    respond_by = fields.DateTime(required=True)
    city = fields.String(required=True)
    country = fields.String(required=True)
    online = fields.Boolean(required=True)
    branches = fields.List(fields.Nested(BranchRef), required=True)
    roles = fields.List(fields.Nested(RoleRef), required=True)
    url = fields.String(required=True)


class Volunteer(Strict):
    id = fields.Integer(required=True, metadata={"description": "the offer's id"})
    status = fields.String(required=True, validate=validate.OneOf(
        ["invited", "offered", "confirmed", "waitlisted", "declined", "withdrawn"]))
    role = fields.Nested(Schema.from_dict({"id": fields.Integer(required=True),
                                           "name": fields.String(required=True)},
                                          name="VolunteerRole"), required=True)
    member = fields.Nested(Schema.from_dict({"id": fields.Integer(required=True),
                                             "name": fields.String(required=True)},
                                            name="VolunteerMember"), required=True)
    branch = fields.Nested(BranchRef, required=True)
    note = fields.String(required=True)
    availability = fields.String(required=True)
    has_conflict = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(required=True, allow_none=True)


class VolunteerList(Strict):
    request = fields.Nested(OutreachRequest, required=True)
    items = fields.List(fields.Nested(Volunteer), required=True)


# Officers -----------------------------------------------------------------------

class RosterMember(Strict):
    id = fields.Integer(required=True, metadata={"description": "the member's account id"})
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["member", "officer"]))
    status = fields.String(required=True, validate=validate.OneOf(["approved", "lapsed"]))
    primary = fields.Boolean(required=True)
    joined_at = fields.DateTime(required=True)


class Attendee(Strict):
    name = fields.String(required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(["going", "waitlisted", "not_going"]))
    guests = fields.Integer(required=True)
    email = fields.String(required=True, metadata={"description": "empty unless the member "
                                                                  "shows it to you"})
    jet_role = fields.String(required=True)
    years = fields.String(required=True)
    attended = fields.Boolean(required=True, allow_none=True)


class AttendeeList(Strict):
    event = fields.Nested(Event, required=True)
    items = fields.List(fields.Nested(Attendee), required=True)


class TotalsArgs(Strict):
    from_ = fields.Date(data_key="from", metadata={
        "description": "first day; default: April 1 of Japan's current fiscal year"})
    to = fields.Date(metadata={"description": "last day, inclusive; default: March 31"})


# Activities ---------------------------------------------------------------------

class Activity(Strict):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ["draft", "submitted", "changes_requested", "verified", "rejected"]))
    published = fields.Boolean(required=True)
    branch = fields.Nested(BranchRef, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    city = fields.String(required=True)
    online = fields.Boolean(required=True)
    people_reached = fields.Integer(required=True)
    url = fields.String(required=True)


class ActivityDetail(Activity):
    description = fields.String(required=True)
    country = fields.String(required=True)
    volunteers = fields.Integer(required=True)
    volunteer_hours = fields.String(required=True)
    members_involved = fields.Integer(required=True)
    currency = fields.String(required=True)
    money_raised = fields.String(required=True)
    money_spent = fields.String(required=True)
    review_comment = fields.String(required=True)
    version = fields.String(required=True, metadata={
        "description": "send it back with a review: the decision applies to this version"})


def _between(low: int, high: int) -> Any:
    """A Decimal's bounds (validate.Range would put them in the document as strings)."""

    def check(value: Decimal) -> None:
        if not low <= value <= high:
            raise ValidationError(f"Must be between {low} and {high}.")

    return check


class ActivityRequest(Strict):
    """What the activity form collects (jetaa/activities/services.py check() decides)."""

    title = fields.String(required=True, validate=validate.Length(1, 160))
    category = fields.String(required=True, validate=validate.OneOf(
        [c.value for c in ActivityCategory]))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(metadata={"description": "default: the start day"})
    city = fields.String(load_default="", validate=validate.Length(max=120))
    country = fields.String(load_default="", validate=validate.Length(max=2))
    is_online = fields.Boolean(load_default=False)
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    people_reached = fields.Integer(load_default=0, strict=True,
                                    validate=validate.Range(0, MAX_PEOPLE))
    volunteers = fields.Integer(load_default=0, strict=True,
                                validate=validate.Range(0, MAX_VOLUNTEERS))
    volunteer_hours = fields.Decimal(load_default=Decimal(0), places=1,
                                     validate=_between(0, MAX_VOLUNTEERS * 24 * 366),
                                     metadata={"description": "at most 24 a volunteer a day",
                                               "minimum": 0, "maximum": MAX_VOLUNTEERS * 24 * 366})
    members_involved = fields.Integer(load_default=0, strict=True,
                                      validate=validate.Range(0, MAX_VOLUNTEERS))
    currency = fields.String(load_default="USD", validate=validate.OneOf(sorted(list_currencies())),
                             metadata={"description": "ISO 4217"})
    money_raised = fields.Decimal(load_default=Decimal(0), validate=_between(0, int(MAX_MONEY)),
                                  metadata={"minimum": 0, "maximum": int(MAX_MONEY)})
    money_spent = fields.Decimal(load_default=Decimal(0), validate=_between(0, int(MAX_MONEY)),
                                 metadata={"minimum": 0, "maximum": int(MAX_MONEY)})
    funding_source = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(
        ["clair", "mission", "other_grant", "own_funds"]))
    partners = fields.List(fields.String(validate=validate.Length(max=160)), load_default=list,
                           validate=validate.Length(max=MAX_PARTNERS))
    links = fields.List(fields.String(validate=validate.Length(max=500)), load_default=list,
                        validate=validate.Length(max=MAX_LINKS))


class ReviewRequest(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(["verify", "changes",
                                                                     "reject"]))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
    version = fields.String(load_default=None, allow_none=True,
                            metadata={"description": "the version you read (optional)"})


class RoleRequest(Strict):
    id = fields.Integer(strict=True, allow_none=True, load_default=None,
                        validate=validate.Range(1, 2**31 - 1),
                        metadata={"description": "a role kept in an edit (none: a new role)"})
    name = fields.String(required=True, validate=validate.Length(1, 80))
    places = fields.Integer(required=True, strict=True, validate=validate.Range(1, 1000))
    jet_role = fields.String(allow_none=True, load_default=None,
                             validate=validate.OneOf(["ALT", "CIR", "SEA"]))


class OutreachRequestBody(Strict):
    """What the request form collects, in the request's local time (no offset: the wall
    clock in `timezone`)."""

    kind = fields.String(required=True, validate=validate.OneOf(
        ["information_session", "career_fair", "application_screening", "interview_panel",
         "waiting_room_host", "pre_departure_orientation", "returnee_event",
         "testimonial_media", "other"]))
    title = fields.String(required=True, validate=validate.Length(1, 160))
    timezone = fields.String(required=True, validate=validate.Length(1, 64),
                             metadata={"description": "IANA zone name"})
    starts_local = fields.NaiveDateTime(required=True)
    ends_local = fields.NaiveDateTime(required=True)
    respond_by_local = fields.NaiveDateTime(required=True)
    roles = fields.List(fields.Nested(RoleRequest), required=True,
                        validate=validate.Length(1, 20))
    branches = fields.List(fields.String(validate=validate.Length(1, 64)), required=True,
                           validate=validate.Length(1, 100),
                           metadata={"description": "slugs of the branches asked"})
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    venue = fields.String(load_default="", validate=validate.Length(max=200))
    city = fields.String(load_default="", validate=validate.Length(max=120))
    country = fields.String(load_default="", validate=validate.Length(max=2))
    is_online = fields.Boolean(load_default=False)
    online_url = fields.String(load_default=None, allow_none=True,
                               validate=validate.Length(max=500))
    is_period = fields.Boolean(load_default=False)
