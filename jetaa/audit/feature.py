"""The audit log's model (the admins' pages read it)."""

from flask import Flask

from jetaa.audit.models import AuditEntry
from jetaa.core import generations


def init_app(app: Flask) -> None:
    generations.unseen(AuditEntry)
