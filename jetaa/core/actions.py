"""One way to refuse, and one shape for a POST view that calls a service.

Services raise `Refused` (or a feature's subclass of it) with a translated
message the person can act on. A view hands the call to `act()`, which
commits when it succeeds and rolls back when it is refused, flashes what
happened and redirects: post/redirect/get in a few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from jetaa.extensions import db


class Refused(Exception):
    """A change refused for a reason the person can act on; str() is the translated message."""


def act(call: Callable[[], Any], *, done: str | Callable[[Any], str], back: str,
        success: str | Callable[[Any], str]) -> Response:
    """Run `call`, then commit, flash `success` and redirect to `done`.

    `done` and `success` may be functions of the call's result (a new object's
    address, a count in the message). When the call raises Refused, nothing it
    wrote stays: the transaction is rolled back, the reason is flashed and the
    person goes `back`.
    """
    try:
        result = call()
    except Refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(back)
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return redirect(done(result) if callable(done) else done)


def once_more_on_conflict(call: Callable[[], Any]) -> Callable[[], Any]:
    """`call` committed; when a concurrent request inserted the same row first (a unique
    violation: a double-clicked submit), rolled back and run once more, when it finds
    that row and answers as for a repeated request (usually a Refused)."""

    def run() -> Any:
        try:
            result = call()
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            result = call()
            db.session.commit()
        return result

    return run
