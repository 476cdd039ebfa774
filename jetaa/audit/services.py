"""Writing the audit log. Services call record() in the transaction of their change."""

from typing import Any

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.extensions import db
from jetaa.security.origin import request_origin


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
        **request_origin(),
    )
    db.session.add(entry)
    return entry


def _text(value: Any) -> str | None:
    """A value as an audit payload shows it: a string, and None stays None."""
    return None if value is None else str(value)


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[str | None]]:
    """Set `obj`'s attributes to `values`; return what changed as {field: [old, new]}.

    Old and new are text, ready for an audit entry's payload. Fields whose value
    is already the same are left alone and not reported.
    """
    changed: dict[str, list[str | None]] = {}
    for field, value in values.items():
        old = getattr(obj, field)
        if old != value:
            changed[field] = [_text(old), _text(value)]
            setattr(obj, field, value)
    return changed
