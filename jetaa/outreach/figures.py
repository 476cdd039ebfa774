"""A mission's season in figures: GROUP BY in the database, a handful of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.outreach.models import (
    ANSWERABLE,
    OfferStatus,
    RequestKind,
    RequestRole,
    RequestStatus,
    VolunteerOffer,
    VolunteerRequest,
)
from jetaa.outreach.queries import _fill_columns

ATTENTION_DAYS = 14
COUNTED = (RequestStatus.OPEN, RequestStatus.FILLED, RequestStatus.CLOSED)


@dataclass
class BranchLine:
    branch: str
    slug: str
    offers: int = 0
    confirmed: int = 0
    attended: int = 0
    no_shows: int = 0
    tenths: int = 0


@dataclass
class Season:
    cycle: str
    by_kind: dict[RequestKind, dict[RequestStatus, int]] = field(default_factory=dict)
    requests: int = 0
    places: int = 0
    filled: int = 0
    attended: int = 0
    no_shows: int = 0
    tenths: int = 0
    people_reached: int = 0
    questions: int = 0
    applications: int = 0
    branches: list[BranchLine] = field(default_factory=list)

    @property
    def fill_rate(self) -> float | None:
        return self.filled / self.places if self.places else None

    @property
    def no_show_rate(self) -> float | None:
        marked = self.attended + self.no_shows
        return self.no_shows / marked if marked else None

    @property
    def hours(self) -> float:
        return self.tenths / 10


def season(mission_id: int, cycle: str) -> Season:
    """Requests by kind and status, places against needs, attendance, hours, reach, by branch."""
    result = Season(cycle=cycle)
    of_cycle = sa.and_(VolunteerRequest.mission_id == mission_id, VolunteerRequest.cycle == cycle)
    for kind, status, count in db.session.execute(
            sa.select(VolunteerRequest.kind, VolunteerRequest.status, sa.func.count())
            .where(of_cycle).group_by(VolunteerRequest.kind, VolunteerRequest.status)):
        result.by_kind.setdefault(kind, {})[status] = count
    counted = sa.and_(of_cycle, VolunteerRequest.status.in_(COUNTED))
    row = db.session.execute(
        sa.select(sa.func.count(VolunteerRequest.id),
                  sa.func.coalesce(sa.func.sum(VolunteerRequest.people_reached), 0),
                  sa.func.coalesce(sa.func.sum(VolunteerRequest.questions_asked), 0),
                  sa.func.coalesce(sa.func.sum(VolunteerRequest.applications_named), 0))
        .where(counted)).one()
    result.requests, result.people_reached, result.questions, result.applications = map(int, row)
    row = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(RequestRole.places), 0),
                  sa.func.coalesce(sa.func.sum(RequestRole.confirmed), 0))
        .join(VolunteerRequest, VolunteerRequest.id == RequestRole.request_id).where(counted)).one()
    result.places, result.filled = int(row[0]), int(row[1])
    confirmed = VolunteerOffer.status == OfferStatus.CONFIRMED
    lines = db.session.execute(
        sa.select(Branch.name, Branch.slug, sa.func.count(VolunteerOffer.id),
                  sa.func.count(sa.case((confirmed, 1))),
                  sa.func.count(sa.case((sa.and_(confirmed, VolunteerOffer.attended.is_(True)), 1))),
                  sa.func.count(sa.case((sa.and_(confirmed, VolunteerOffer.attended.is_(False)),
                                         1))),
                  sa.func.coalesce(sa.func.sum(sa.case((confirmed, VolunteerOffer.hours_tenths))),
                                   0))
        .join(VolunteerRequest, VolunteerRequest.id == VolunteerOffer.request_id)
        .join(Branch, Branch.id == VolunteerOffer.branch_id)
        .where(counted, VolunteerOffer.status != OfferStatus.INVITED)
        .group_by(Branch.name, Branch.slug).order_by(Branch.name)).all()
    for name, slug, offers, conf, came, missed, tenths in lines:
        line = BranchLine(name, slug, int(offers), int(conf), int(came), int(missed), int(tenths))
        result.branches.append(line)
        result.attended += line.attended
        result.no_shows += line.no_shows
        result.tenths += line.tenths
    return result


@dataclass
class Attention:
    unfilled_soon: list[Any]
    waiting_offers: list[Any]
    outcome_due: list[Any]


def open_requests(mission_id: int, limit: int = 20) -> list[Any]:
    """The mission's requests still ahead (drafts included), soonest first, with their fill."""
    return list(db.session.execute(
        sa.select(VolunteerRequest, *_fill_columns())
        .where(VolunteerRequest.mission_id == mission_id,
               VolunteerRequest.status.in_((RequestStatus.DRAFT, *ANSWERABLE)),
               VolunteerRequest.ends_at >= utcnow())
        .order_by(VolunteerRequest.starts_at, VolunteerRequest.id).limit(limit)).all())


def attention(rows: list[Any]) -> Attention:
    """From the open requests already loaded: what needs staff now."""
    soon = utcnow() + timedelta(days=ATTENTION_DAYS)
    unfilled = [r for r in rows if r[0].status == RequestStatus.OPEN and r.confirmed < r.places
                and r[0].starts_at <= soon]
    waiting = [r for r in rows if r.waiting]
    return Attention(unfilled, waiting, [])


def outcome_due(mission_id: int, limit: int = 10) -> list[VolunteerRequest]:
    """Requests that are over and have no outcome yet."""
    return list(db.session.scalars(
        sa.select(VolunteerRequest)
        .where(VolunteerRequest.mission_id == mission_id,
               VolunteerRequest.status.in_(ANSWERABLE), VolunteerRequest.ends_at < utcnow())
        .order_by(VolunteerRequest.ends_at.desc()).limit(limit)))


def requests_of_cycle(mission_id: int, cycle: str, limit: int = 500) -> list[Any]:
    """Every request of the cycle with its figures, for the CSV and the printed report."""
    return list(db.session.execute(
        sa.select(VolunteerRequest, *_fill_columns())
        .where(VolunteerRequest.mission_id == mission_id, VolunteerRequest.cycle == cycle,
               VolunteerRequest.status != RequestStatus.DRAFT)
        .order_by(VolunteerRequest.starts_at, VolunteerRequest.id).limit(limit)).all())
