"""The audit log as people read it: one sentence per entry, with links to what it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.extensions import db

# What happened, one whole sentence each so that each language can order it; actions not
# listed read "<actor>: outreach: still coming".
ACTIONS = {
    "membership.approve": _l("%(actor)s approved the application of %(user)s"),
    "membership.decline": _l("%(actor)s declined the application of %(user)s"),
    "membership.leave": _l("%(actor)s left the branch"),
    "membership.lapse": _l("%(actor)s marked %(user)s lapsed"),
    "membership.reinstate": _l("%(actor)s reinstated %(user)s"),
    "membership.remove": _l("%(actor)s removed %(user)s from the branch"),
    "membership.restore": _l("%(actor)s restored %(user)s to the branch"),
    "membership.promote": _l("%(actor)s made %(user)s an officer"),
    "membership.demote": _l("%(actor)s made %(user)s a member (no longer an officer)"),
    "membership.primary": _l("%(actor)s chose a primary branch"),
    "event.create": _l("%(actor)s created an event"),
    "event.update": _l("%(actor)s edited an event"),
    "event.publish": _l("%(actor)s published an event"),
    "event.cancel": _l("%(actor)s cancelled an event"),
    "event.duplicate": _l("%(actor)s copied an event"),
    "event.attendance": _l("%(actor)s recorded who came to an event"),
    "activity.create": _l("%(actor)s logged an activity"),
    "activity.update": _l("%(actor)s edited an activity"),
    "activity.submit": _l("%(actor)s submitted an activity for review"),
    "activity.publish": _l("%(actor)s verified an activity"),
    "activity.delete": _l("%(actor)s deleted an activity"),
    "profile.update": _l("%(actor)s updated a profile"),
    "branch.update": _l("%(actor)s edited a branch"),
    "roster.export": _l("%(actor)s exported the roster"),
    "roster.import": _l("%(actor)s imported a roster file"),
    "account.password_changed": _l("%(actor)s changed their password"),
    "account.email_changed": _l("%(actor)s changed their e-mail address"),
    "account.delete": _l("%(actor)s deleted their account"),
    "api_token.create": _l("%(actor)s created an API token"),
    "api_token.revoke": _l("%(actor)s revoked an API token"),
}

_LINKS = {
    "event": ("events.show", "event_id"),
    "activity": ("activities.show", "activity_id"),
    "outreach_request": ("outreach.show", "request_id"),
    "user": ("profiles.show", "user_id"),
}


@dataclass(frozen=True)
class Described:
    sentence: str
    link: str | None
    branch: Branch | None
    details: list[tuple[str, str]]


def _details(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The payload as label/value pairs, ids left out (they are in the sentence)."""
    pairs = []
    for key, value in payload.items():
        if key.endswith("_id") or value in (None, "", [], {}):
            continue
        if isinstance(value, list) and len(value) == 2 and key not in ("rows",):
            value = f"{value[0] or '—'} → {value[1] or '—'}"  # an edit: [old, new]
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        pairs.append((key.replace("_", " "), str(value)))
    return pairs


def describe(entries: list[AuditEntry]) -> dict[int, Described]:
    """Each entry's sentence, link, branch and details (two queries for the whole page)."""
    user_ids = {e.payload.get("user_id") for e in entries} - {None}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))}
    branch_ids = {e.branch_id for e in entries} - {None}
    branches = {b.id: b for b in db.session.scalars(
        sa.select(Branch).where(Branch.id.in_(branch_ids)))}
    found = {}
    for entry in entries:
        person = users.get(entry.payload.get("user_id"))
        name = person.name if person else _("someone")
        actor = entry.actor.name if entry.actor else _("The system")
        phrase = ACTIONS.get(entry.action)
        words = entry.action.replace(".", ": ", 1).replace("_", " ")
        sentence = (str(phrase) % {"actor": actor, "user": name} if phrase
                    else _("%(actor)s: %(action)s", actor=actor, action=words))
        endpoint = _LINKS.get(entry.object_type)
        link = None
        if endpoint and entry.object_id:
            link = url_for(endpoint[0], **{endpoint[1]: entry.object_id})
        elif person is not None:
            link = url_for("profiles.show", user_id=person.id)
        found[entry.id] = Described(sentence, link, branches.get(entry.branch_id),
                                    _details(entry.payload))
    return found
