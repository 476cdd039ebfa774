"""Officers' roster: CSV export (what officers may see) and a previewed, idempotent import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.auth.services import find_user_by_email, normalise_email, password_link
from jetaa.branches.models import Branch
from jetaa.core.spreadsheets import csv_text
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.choices import FIRST_JET_YEAR, LAST_JET_YEAR
from jetaa.members.models import AlumniProfile, JetRole
from jetaa.members.permissions import can_see_contact, can_see_profile, owners_of
from jetaa.members.placements import years_text
from jetaa.members.services.directory import prefectures_by_code
from jetaa.members.services.profiles import (
    apply_profile_changes,
    get_or_create_profile,
    placement_dict,
)
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus, RosterInvitation
from jetaa.memberships.services import MembershipError
from jetaa.notifications.services import notify

MAX_BYTES = 256 * 1024
MAX_ROWS = 2000
# The "placements" cell holds every placement, in order, separated by ";". Each is
#   role, prefecture, town, years[, contracting organisation]
# e.g. "ALT, Hyogo, Himeji, 2015-2017; CIR, Hyogo, Kobe, 2017-2019". The role (ALT, CIR or
# SEA) is required; the prefecture is a name (English or Japanese) or its number 1-47;
# years are "2015-2017", "2015" or "2015-" (still on JET). The town may not hold a comma
# or a semicolon; the organisation, last, may hold commas. The export writes the same.
PLACEMENTS_FORMAT = "role, prefecture, town, years[, contracting organisation]; ..."
IMPORT_COLUMNS = ("email", "name", "placements", "home_country", "current_city", "occupation")
REQUIRED_COLUMNS = ("email", "name")
# The columns of the one-placement format before migration 0015: named in the error.
OLD_PLACEMENT_COLUMNS = ("jet_roles", "prefecture", "municipality", "contracting_organisation",
                         "start_year", "end_year")
EXPORT_COLUMNS = ("name", "email", "phone", "role", "status", "primary_branch", "placements",
                  "home_country", "current_city", "occupation", "industry",
                  "employer", "open_to_recruitment", "open_to_mentoring", "joined")
SAMPLE_ROWS = (
    ("alex.morgan@example.com", "Alex Morgan",
     "ALT, Nagano, Matsumoto, 2015-2018, Matsumoto City Board of Education",
     "US", "Brooklyn", "Teacher"),
    ("sam.lee@example.com", "Sam Lee",
     "ALT, Hyogo, Himeji, 2009-2011; CIR, 14, Yokohama, 2011-2014, "
     "Kanagawa Prefectural Government", "CA", "Toronto", "Translator"),
)
_YEARS = re.compile(r"^(\d{4})?\s*(?:([-–—])\s*(\d{4})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = tuple(chr(c) for c in range(32) if chr(c) not in "\t")


def activated() -> sa.ColumnElement[bool]:
    """Accounts someone has signed in to: those an import made and nobody has taken up
    yet are shown as invitations, like addresses that had an account (no telling which)."""
    return sa.or_(User.password_hash.is_not(None), User.last_login_at.is_not(None))


def roster_members(branch: Branch) -> sa.Select:
    """The roster's rows: approved and lapsed members who have an account in use, officers
    first (the roster page and the API page through it)."""
    return (sa.select(Membership).join(Membership.user)
            .where(Membership.branch_id == branch.id, activated(),
                   Membership.status.in_((MembershipStatus.APPROVED, MembershipStatus.LAPSED)))
            .options(sa.orm.contains_eager(Membership.user))
            .order_by(Membership.role.desc(), Membership.status, Membership.id))


def export_roster(branch: Branch, *, actor: User) -> str:
    """The branch's members as CSV, with profile and contact fields only where the officer
    may see them (the privacy gate of every other list)."""
    rows = db.session.execute(
        sa.select(Membership, User, AlumniProfile)
        .join(User, User.id == Membership.user_id)
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(Membership.branch_id == branch.id, User.deleted_at.is_(None), activated(),
               Membership.status.in_((MembershipStatus.APPROVED, MembershipStatus.LAPSED)))
        .options(sa.orm.selectinload(AlumniProfile.placements))
        .order_by(User.name_key, User.id)
    ).all()
    lines = []
    # The gate's owner branches are where each person is approved now: a lapsed
    # member's contact details are not the officers' any more.
    owners = owners_of([user.id for _membership, user, _p in rows])
    for membership, user, profile in rows:
        # The same gate as the profile page: a lapsed member's fields go with their page.
        p = profile if profile is not None and can_see_profile(actor, owners[user.id]) else None
        contact = p is not None and can_see_contact(actor, owners[user.id])
        lines.append((
            user.name, user.email if contact else "", p.phone if contact and p else "",
            membership.role.value, membership.status.value, "yes" if membership.is_primary else "",
            placements_cell(p.placements) if p else "",
            *((p.home_country, p.current_city, p.occupation, p.industry, p.employer,
               "yes" if p.open_to_recruitment else "", "yes" if p.open_to_mentoring else "")
              if p else [""] * 7),
            membership.created_at.date().isoformat(),
        ))
    record("roster.export", actor=actor, object_type="branch", object_id=branch.id,
           branch_id=branch.id, rows=len(rows))
    return csv_text(EXPORT_COLUMNS, lines)


def placements_cell(placements: list[Any]) -> str:
    """The placements in the import's format (PLACEMENTS_FORMAT)."""
    parts = []
    for p in placements:
        fields = [p.role.value if p.role else "", p.prefecture.name if p.prefecture else "",
                  p.municipality, years_text(p.start_year, p.end_year).replace("–", "-")]
        if p.contracting_organisation:
            fields.append(p.contracting_organisation)
        parts.append(", ".join(fields))
    return "; ".join(parts)


def sample_csv() -> str:
    return csv_text(IMPORT_COLUMNS, SAMPLE_ROWS)


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str]
    email: str = ""
    name: str = ""
    profile: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create / update / skip
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def decode_upload(data: bytes) -> str:
    """The upload as text, or MembershipError saying why not."""
    if len(data) > MAX_BYTES:
        raise MembershipError(_("The file is too large (at most %(kb)d KB).", kb=MAX_BYTES // 1024))
    if not data.strip():
        raise MembershipError(_("The file is empty."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MembershipError(_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try "
                                "again.")) from None


def _read(text: str) -> list[dict[str, str]]:
    try:
        return _read_rows(text)
    except csv.Error as error:
        raise MembershipError(_("The file is not a readable CSV file (%(error)s).",
                                error=str(error))) from None


def _read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in IMPORT_COLUMNS]
    old = [c for c in unknown if c in OLD_PLACEMENT_COLUMNS]
    if old:
        raise MembershipError(_(
            "The columns %(old)s are now one column, placements, which holds every placement "
            "of the person separated by \";\": %(format)s. For example: %(example)s.",
            old=", ".join(old), format=PLACEMENTS_FORMAT, example=SAMPLE_ROWS[1][2]))
    if missing or unknown or len(set(header)) != len(header):
        raise MembershipError(_(
            "The columns are not right (missing: %(missing)s; unknown: %(unknown)s). "
            "Use the columns of the sample file: %(columns)s.",
            missing=", ".join(missing) or "-", unknown=", ".join(unknown) or "-",
            columns=", ".join(IMPORT_COLUMNS)))
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    if len(rows) > MAX_ROWS:
        raise MembershipError(_("Too many rows (at most %(n)d).", n=MAX_ROWS))
    if not rows:
        raise MembershipError(_("The file has no rows under the header."))
    return rows


def _year(value: str, label: str, errors: list[str]) -> int | None:
    if not value:
        return None
    # isdecimal() alone lets "²" or "٣" through, which int() then refuses or misreads.
    if not (value.isascii() and value.isdecimal()) or not (
            FIRST_JET_YEAR <= int(value) <= LAST_JET_YEAR):
        errors.append(_("%(label)s must be a year between %(a)d and %(b)d.", label=label,
                        a=FIRST_JET_YEAR, b=LAST_JET_YEAR))
        return None
    return int(value)


def _years(value: str, where: str, errors: list[str]) -> tuple[int | None, int | None]:
    match = _YEARS.match(value.strip())
    if not value.strip():
        return None, None
    if not match or not match.group(1):
        errors.append(_("%(where)s: the years must read like 2015-2017, 2015 or 2015-, not "
                        "\"%(value)s\".", where=where, value=value.strip()))
        return None, None
    start = _year(match.group(1), _("%(where)s: the first year", where=where), errors)
    end = start if not match.group(2) else (
        _year(match.group(3), _("%(where)s: the last year", where=where), errors)
        if match.group(3) else None)
    if start and end and end < start:
        errors.append(_("%(where)s: the last year is before the first year.", where=where))
    return start, end


def _placements(cell: str, errors: list[str]) -> list[dict[str, Any]]:
    """The placements of a "placements" cell (PLACEMENTS_FORMAT); errors say which one."""
    placements = []
    parts = [part.strip() for part in cell.split(";")]
    for n, part in enumerate((p for p in parts if p), start=1):
        where = _("Placement %(n)d (%(text)s)", n=n, text=part)
        fields = [f.strip() for f in part.split(",", 4)]
        fields += [""] * (5 - len(fields))
        role, prefecture, town, years, organisation = fields
        before = len(errors)
        if role.upper() not in JetRole.__members__:
            errors.append(_("%(where)s: the JET role must be ALT, CIR or SEA, first.",
                            where=where))
        code = _prefecture(prefecture, errors)
        start, end = _years(years, where, errors)
        if len(town) > 120 or len(organisation) > 160:
            errors.append(_("%(where)s: the town or the organisation is too long.", where=where))
        if len(errors) == before:
            placements.append({"role": role.upper(), "prefecture_code": code,
                               "municipality": town, "contracting_organisation": organisation,
                               "start_year": start, "end_year": end})
    if len(placements) > 6:
        errors.append(_("At most %(n)d placements a person.", n=6))
    return placements


def _prefecture(value: str, errors: list[str]) -> int | None:
    if not value:
        return None
    for code, prefecture in prefectures_by_code().items():
        if value.isascii() and value.isdecimal() and int(value) == code or value.casefold() in (
                prefecture.name.casefold(), prefecture.slug, prefecture.name_ja):
            return code
    errors.append(_("Unknown prefecture \"%(value)s\".", value=value))
    return None


def _valid_email(address: str) -> bool:
    """The same rule as the sign-up form (email-validator), and the column's 254 characters."""
    if len(address) > 254 or not _EMAIL.match(address):
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _validate(row: ImportRow) -> None:
    raw, errors = row.raw, row.errors
    row.email = normalise_email(raw.get("email", ""))
    row.name = raw.get("name", "")
    if any(ch in value for value in raw.values() for ch in _CONTROL):
        errors.append(_("The row contains control characters."))
    if not _valid_email(row.email):
        errors.append(_("A valid e-mail address is required."))
    if not row.name or len(row.name) > 120:
        errors.append(_("A name (up to 120 characters) is required."))
    placements = _placements(raw.get("placements", ""), errors)
    country = raw.get("home_country", "").upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        errors.append(_("Home country must be a two-letter code such as US or GB."))
    profile: dict[str, Any] = {"placements": placements, "home_country": country}
    for text_field, limit in (("current_city", 120), ("occupation", 120)):
        value = raw.get(text_field, "")
        if len(value) > limit:
            errors.append(_("%(field)s is too long.", field=text_field))
        profile[text_field] = value
    # Blank cells mean "not given": never clear what is already there.
    row.profile = {k: v for k, v in profile.items() if v not in ("", None, [])}


def preview_import(branch: Branch, text: str) -> ImportPreview:
    """Check every row and say what confirming would do; changes nothing."""
    rows = [ImportRow(line=n, raw=raw) for n, raw in enumerate(_read(text), start=2)]
    seen: dict[str, int] = {}
    for row in rows:
        _validate(row)
        if row.email and row.email in seen:
            row.errors.append(_("Duplicate of row %(n)d.", n=seen[row.email]))
        seen.setdefault(row.email, row.line)
        if not row.errors:
            _plan(branch, row)
    return ImportPreview(rows=rows)


def _plan(branch: Branch, row: ImportRow) -> None:
    """create: add to the branch (new or existing account alike, so the preview does not
    tell officers who has an account); update: a member whose blank fields it fills."""
    user = find_user_by_email(row.email)
    if user is not None and user.deleted_at is not None:
        row.errors.append(_("This address belongs to a deleted account."))
        return
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == (user.id if user else None), Membership.branch_id == branch.id))
    if membership is None or not membership.is_approved:
        row.action, row.changes = "create", ["membership", *row.profile]
        return
    profile = db.session.get(AlumniProfile, user.id)
    keep = set(profile.member_set_fields or []) if profile else set()
    changes = []
    with db.session.no_autoflush:
        for key, value in row.profile.items():
            current = getattr(profile, key, None) if profile else None
            if key == "placements" and profile:
                current = [placement_dict(p) for p in profile.placements]
            if key not in keep and current != value:
                changes.append(key)
    row.action, row.changes = ("update", changes) if changes else ("skip", [])


def apply_import(branch: Branch, preview: ImportPreview, *, actor: User) -> dict[str, int]:
    """Carry out a previewed import: rows with errors are left out."""
    counts = {"create": 0, "update": 0, "skip": 0}
    for row in preview.rows:
        if row.errors:
            continue
        counts[row.action] += 1
        if row.action == "skip":
            continue
        user = find_user_by_email(row.email)
        new_account = user is None
        if new_account:
            user = _invite(row, branch, actor)
        if row.action == "create":
            _note_invitation(row, user, branch, actor)
        if not new_account and row.action == "create":
            if not _has_membership_row(user, branch):
                # Someone with an account who never asked to join: invite them to apply.
                # Adding them would show their profile to this branch's officers (and let
                # the import fill it in) without their say.
                notify(user, "branch_invitation", branch=branch, inviter=actor,
                            link=external_url("memberships.join", slug=branch.slug))
                continue
            notify(user, "membership_added", branch=branch, inviter=actor,
                        link=external_url("branches.show", slug=branch.slug))
        _ensure_membership(user, branch)
        profile = get_or_create_profile(user)
        apply_profile_changes(profile, row.profile, keep_member_set=True)
    record("roster.import", actor=actor, object_type="branch", object_id=branch.id,
           branch_id=branch.id, **counts, errors=preview.error_count)
    return counts


def _invite(row: ImportRow, branch: Branch, actor: User) -> User:
    user = User(name=row.name, email=row.email, password_hash=None)
    db.session.add(user)
    db.session.flush()
    notify(user, "membership_invite", branch=branch, inviter=actor, link=password_link(user))
    return user


def _note_invitation(row: ImportRow, user: User, branch: Branch, actor: User) -> None:
    """Every address an import adds is shown on the roster as invited, account or not."""
    invitation = db.session.scalar(sa.select(RosterInvitation).where(
        RosterInvitation.branch_id == branch.id, RosterInvitation.user_id == user.id))
    if invitation is None:
        invitation = RosterInvitation(branch_id=branch.id, user_id=user.id)
        db.session.add(invitation)
    invitation.name, invitation.email = row.name, row.email
    invitation.invited_at, invitation.invited_by_id = utcnow(), actor.id


def pending_invitations(branch: Branch) -> list[RosterInvitation]:
    """Invitations not taken up yet: the person has no approved membership here, or their
    account (made by the import) has no password yet. Shown with the file's name and
    address only, so the roster looks the same whether an account existed or not."""
    approved = sa.exists().where(Membership.user_id == RosterInvitation.user_id,
                                 Membership.branch_id == branch.id,
                                 Membership.status == MembershipStatus.APPROVED)
    return list(db.session.scalars(
        sa.select(RosterInvitation).join(User, User.id == RosterInvitation.user_id)
        .where(RosterInvitation.branch_id == branch.id, User.deleted_at.is_(None),
               sa.or_(sa.not_(activated()), ~approved))
        .order_by(RosterInvitation.invited_at.desc(), RosterInvitation.id)))


def _has_membership_row(user: User, branch: Branch) -> bool:
    """Applied, declined, lapsed or a member: the person has had to do with this branch."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.user_id == user.id, Membership.branch_id == branch.id)) > 0


def _ensure_membership(user: User, branch: Branch) -> None:
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == user.id, Membership.branch_id == branch.id))
    if membership is None:
        has_primary = db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
            Membership.user_id == user.id, Membership.is_primary.is_(True)))
        membership = Membership(user_id=user.id, branch_id=branch.id, role=MemberRole.MEMBER,
                                is_primary=not has_primary)
        db.session.add(membership)
    membership.status = MembershipStatus.APPROVED
    membership.decided_at = utcnow()
