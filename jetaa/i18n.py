"""Which language a page is shown in."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The visitor's explicit choice, then their account's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # flask commands and workers: no visitor to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]
