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
from jetaa.members.services.directory import prefectures_by_code
from jetaa.members.services.profiles import apply_profile_changes, get_or_create_profile
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus, RosterInvitation
from jetaa.memberships.services import MembershipError
from jetaa.notifications.services import notify

MAX_BYTES = 256 * 1024
MAX_ROWS = 2000
IMPORT_COLUMNS = ("email", "name", "jet_roles", "prefecture", "municipality",
                  "contracting_organisation", "start_year", "end_year", "home_country",
                  "current_city", "occupation")
REQUIRED_COLUMNS = ("email", "name")
EXPORT_COLUMNS = ("name", "email", "phone", "role", "status", "primary_branch", "jet_roles",
                  "prefecture", "municipality", "contracting_organisation", "start_year",
                  "end_year", "home_country", "current_city", "occupation", "industry",
                  "employer", "open_to_recruitment", "open_to_mentoring", "joined")
SAMPLE_ROWS = (
    ("alex.morgan@example.com", "Alex Morgan", "ALT", "Nagano", "Matsumoto",
     "Matsumoto City Board of Education", "2015", "2018", "US", "Brooklyn", "Teacher"),
    ("sam.lee@example.com", "Sam Lee", "CIR;ALT", "14", "Yokohama",
     "Kanagawa Prefectural Government", "2009", "2012", "CA", "Toronto", "Translator"),
)
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
        .options(sa.orm.selectinload(AlumniProfile.jet_roles))
        .order_by(User.name_key, User.id)
    ).all()
    prefectures = prefectures_by_code()
    lines = []
    # The gate's owner branches are where each person is approved now: a lapsed
    # member's contact details are not the officers' any more.
    owners = owners_of([user.id for _membership, user, _p in rows])
    for membership, user, profile in rows:
        # The same gate as the profile page: a lapsed member's fields go with their page.
        p = profile if profile is not None and can_see_profile(actor, owners[user.id]) else None
        contact = p is not None and can_see_contact(actor, owners[user.id])
        prefecture = prefectures.get(p.prefecture_code) if p else None
        lines.append((
            user.name, user.email if contact else "", p.phone if contact and p else "",
            membership.role.value, membership.status.value, "yes" if membership.is_primary else "",
            ";".join(p.role_values) if p else "", prefecture.name if prefecture else "",
            *((p.municipality, p.contracting_organisation, p.start_year, p.end_year,
               p.home_country, p.current_city, p.occupation, p.industry, p.employer,
               "yes" if p.open_to_recruitment else "", "yes" if p.open_to_mentoring else "")
              if p else [""] * 11),
            membership.created_at.date().isoformat(),
        ))
    record("roster.export", actor=actor, object_type="branch", object_id=branch.id,
           branch_id=branch.id, rows=len(rows))
    return csv_text(EXPORT_COLUMNS, lines)


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
    roles = [r.strip().upper() for r in re.split(r"[;,/ ]+", raw.get("jet_roles", "")) if r.strip()]
    if any(r not in JetRole.__members__ for r in roles):
        errors.append(_("JET roles must be ALT, CIR or SEA."))
    start = _year(raw.get("start_year", ""), _("Start year"), errors)
    end = _year(raw.get("end_year", ""), _("End year"), errors)
    if start and end and end < start:
        errors.append(_("The end year is before the start year."))
    country = raw.get("home_country", "").upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        errors.append(_("Home country must be a two-letter code such as US or GB."))
    profile = {"jet_roles": roles, "prefecture_code": _prefecture(raw.get("prefecture", ""), errors),
               "start_year": start, "end_year": end, "home_country": country}
    for text_field, limit in (("municipality", 120), ("contracting_organisation", 160),
                              ("current_city", 120), ("occupation", 120)):
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
            if key == "jet_roles" and profile:
                current = profile.role_values
            if key not in keep and current != (sorted(set(value)) if key == "jet_roles" else value):
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
