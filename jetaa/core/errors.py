"""Friendly error pages for people, JSON errors for the API."""

import logging

from flask import Flask, abort, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response

from jetaa.extensions import db, login_manager

logger = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, title: str, message: str):  # noqa: ANN202
    if _is_api():
        from jetaa.api.errors import json_error

        return json_error(status, message or title)
    if _wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def register(app: Flask) -> None:
    from flask_babel import gettext as _

    @app.before_request
    def refuse_nul_bytes() -> None:
        # No text field has a use for NUL, and PostgreSQL refuses to store one (a 500).
        values = [*request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400)

    @app.teardown_appcontext
    def end_session_quietly(_error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's own remove(): a connection the database cut after
        # the response was made (a restart) is dropped, not raised past the response.
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            logger.warning("database connection lost at the end of a request: %s",
                           str(error).splitlines()[0])
            db.session().invalidate()
            db.session.remove()

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # noqa: ANN202
        from flask_login import current_user

        from jetaa.security.events import log_refusal

        log_refusal("csrf.failed", current_user if current_user.is_authenticated else None,
                    reason=error.description)
        return _render(400, _("The form expired"),
                       _("Please go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):
            # A Host not in TRUSTED_HOSTS: no page can be built (no links for it), and
            # nothing about the site is owed to whoever sent it.
            return Response("Bad request: unknown host.\n", 400, mimetype="text/plain")
        titles = {
            400: _("Bad request"), 401: _("Please log in"), 403: _("Not allowed"),
            404: _("Page not found"), 405: _("Method not allowed"),
            413: _("File too large"), 429: _("Too many attempts"),
        }
        messages = {
            403: _("You do not have permission to see this page."),
            404: _("There is no page at this address. It may have moved."),
            413: _("The file is larger than the site accepts (5 MB)."),
            422: _("Some of the values sent are not valid: see the fields."),
            429: _("Please wait a minute before trying again."),
        }
        # A description given to abort() says why; it wins over the generic message.
        told = error.description if error.description != type(error).description else None
        if _is_api():
            from jetaa.api.errors import fields_of, json_error, passed_headers

            return json_error(error.code, told or messages.get(error.code)
                              or titles.get(error.code, error.name),
                              fields_of(error), passed_headers(error))
        return _render(error.code, titles.get(error.code, error.name),
                       told or messages.get(error.code, error.description or ""))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception):  # noqa: ANN202
        # The database restarting or out of reach: say so and come back by itself. The
        # pool drops its dead connections (pool_pre_ping checks the next ones), so the
        # site recovers once the server answers, without restarting the workers.
        logger.error("database unavailable on %s %s: %s", request.method, request.path,
                     str(error).splitlines()[0] if str(error) else type(error).__name__)
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session().invalidate()
        # The page is drawn for a visitor: loading the account would ask the database again.
        g._login_user = login_manager.anonymous_user()
        body, status = _render(503, _("Back in a moment"),
                               _("The site cannot reach its database just now. Please try "
                                 "again in a few seconds."))
        return body, status, {"Retry-After": "5"}

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error: Exception):  # noqa: ANN202
        # A number or date in the address too large for the database or the calendar
        # (SQLite raises OverflowError, PostgreSQL a DataError).
        logger.warning("out of range on %s %s: %s", request.method, request.path, error)
        db.session.rollback()
        return _render(400, _("Bad request"),
                       _("A number or date in the address is out of range."))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # noqa: ANN202
        if isinstance(error, HTTPException):
            return http_error(error)
        logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(InternalServerError.code, _("Something went wrong"),
                       _("The error is logged and we will look into it. Please try again."))
