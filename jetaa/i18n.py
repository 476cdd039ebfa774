"""Which language a page is shown in, and its catalogue looked up once per request."""

from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import Domain, get_locale
from flask_login import current_user

from jetaa.extensions import babel


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


class RequestDomain(Domain):
    """Flask-Babel's message domain, remembering the catalogue of the request's locale.

    Flask-Babel finds the catalogue again for every string: three look-ups of the app
    context and the locale's name formatted each time, some 10 µs a string, and a page
    translates a hundred. Here a string costs one look-up while the locale stays the same
    object (`force_locale`, used for e-mail, sets another one and then puts it back).
    """

    def get_translations(self) -> Any:
        ctx = _cv_app.get(None)
        state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
        locale = getattr(state, "babel_locale", None)
        remembered = getattr(state, "jetaa_translations", None)
        if locale is not None and remembered is not None and remembered[0] is locale:
            return remembered[1]
        translations = super().get_translations()
        state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
        if state is not None and getattr(state, "babel_locale", None) is not None:
            state.jetaa_translations = (state.babel_locale, translations)
        return translations


def locale_name() -> str:
    """The request's locale as a name ("en", "ja"), worked out once per request and locale
    (str() of a Babel locale takes a few microseconds, and pages format hundreds of figures)."""
    ctx = _cv_app.get(None)
    state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
    locale = getattr(state, "babel_locale", None)
    remembered = getattr(state, "jetaa_locale_name", None)
    if locale is not None and remembered is not None and remembered[0] is locale:
        return remembered[1]
    name = str(get_locale() or "en")
    state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.jetaa_locale_name = (state.babel_locale, name)
    return name


def install_request_domain(app: Flask) -> None:
    """After Babel's init_app: the domain above for Python and the templates."""
    domain = RequestDomain()
    babel.__dict__["domain_instance"] = domain  # Babel.domain_instance is a cached_property
    # The templates' _() and ngettext() straight to that domain (Flask-Babel's go through
    # get_domain(), one more look-up of the context per string).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
