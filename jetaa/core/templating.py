"""What every template can use."""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, get_currency_precision
from flask import Flask, request
from flask_babel import get_locale

from jetaa import permissions
from jetaa.core import dates
from jetaa.core.timezones import zone_label
from jetaa.i18n import install_request_domain, locale_name


def money(minor_units: int | None, currency: str) -> str:
    """An amount kept in minor units (cents; yen have none), in the reader's language."""
    if minor_units is None:
        return ""
    return _money(minor_units, currency, locale_name())


@lru_cache(maxsize=8192)
def _money(minor_units: int, currency: str, locale: str) -> str:
    # Babel takes some 20 µs an amount; a dashboard shows the same ones on every view.
    amount = Decimal(minor_units) / 10 ** get_currency_precision(currency)
    return format_currency(amount, currency, locale=locale)


def decimal(value: int | Decimal, pattern: str) -> str:
    """A number in the reader's language, by a Babel pattern ("#,##0")."""
    return _decimal(value, pattern, locale_name())


@lru_cache(maxsize=8192)
def _decimal(value: int | Decimal, pattern: str, locale: str) -> str:
    return format_decimal(value, pattern, locale=locale)


def country_name(code: str, fallback: str = "") -> str:
    """A country's name in the reader's language; our data's own (English) name in English."""
    if fallback and locale_name().split("_")[0] == "en":
        return fallback
    return get_locale().territories.get((code or "").upper(), fallback or code)


def local_name(obj: object) -> str:
    """A reference row's name in the reader's language (`name_ja` in Japanese, when there is one)."""
    if obj is None:
        return ""
    if locale_name() == "ja" and getattr(obj, "name_ja", ""):
        return obj.name_ja
    return obj.name


def register(app: Flask) -> None:
    install_request_domain(app)
    app.jinja_env.globals.update(perm=permissions, current_locale=locale_name,
                                 money=money)
    app.jinja_env.filters["local_name"] = local_name
    app.jinja_env.filters.update(dates.FILTERS)  # THE date and time styles
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["zone_label"] = zone_label
    app.jinja_env.filters["number"] = lambda value: decimal(value or 0, "#,##0")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def current_path() -> dict:
        return {"current_path": request.full_path.rstrip("?") if request else "/"}

    @app.after_request
    def security_headers(response):  # noqa: ANN001, ANN202
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not getattr(response, "frameable", False):  # the events widget opts out
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'self'; form-action 'self'; object-src 'none'; base-uri 'none'",
        )
        return response
