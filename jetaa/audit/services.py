"""Writing the audit log. Services call record() in the transaction of their change."""

from typing import Any

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.extensions import db


def record(
    action: str,
    *,
    actor: User | None,
    object_type: str,
    object_id: int | None = None,
    branch_id: int | None = None,
    **payload: Any,
) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit saves it with the change."""
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=object_type,
        object_id=object_id,
        branch_id=branch_id,
        payload=payload,
    )
    db.session.add(entry)
    return entry
