"""Hand queued messages to Redis only once their transaction has committed."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jetaa.mail.services import discard_queued, enqueue_after_commit

_listening = False


def listen_for_commits() -> None:
    global _listening  # noqa: PLW0603 - one set of listeners per process
    if _listening:
        return
    sa.event.listen(Session, "after_commit", enqueue_after_commit)
    sa.event.listen(Session, "after_soft_rollback", lambda session, _tx: discard_queued(session))
    _listening = True
