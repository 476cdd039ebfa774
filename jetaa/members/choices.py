"""The fixed lists the profile and the directory filters offer."""

import functools
import unicodedata

import pycountry
from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

FIRST_JET_YEAR = 1987  # the JET Programme began in 1987
LAST_JET_YEAR = 2030

INDUSTRIES = (
    ("education", _l("Education")),
    ("government", _l("Government and public service")),
    ("business", _l("Business and finance")),
    ("technology", _l("Technology")),
    ("translation", _l("Translation and interpreting")),
    ("tourism", _l("Travel and tourism")),
    ("law", _l("Law")),
    ("health", _l("Health")),
    ("media", _l("Media and the arts")),
    ("nonprofit", _l("Non-profit")),
    ("research", _l("Research and academia")),
    ("other", _l("Other")),
)
INDUSTRY_CODES = frozenset(code for code, _ in INDUSTRIES)

# Languages besides Japanese (which has its own level) a member may list.
LANGUAGE_CODES = ("en", "fr", "de", "es", "pt", "it", "zh", "ko", "ru", "ar", "hi", "id",
                  "vi", "th", "tl", "nl", "sv", "ga", "cy", "mi")

JAPANESE_LEVELS = (
    ("none", _l("None")),
    ("basic", _l("Basic")),
    ("conversational", _l("Conversational")),
    ("business", _l("Business")),
    ("fluent", _l("Fluent")),
    ("native", _l("Native")),
)

JET_ROLES = (("ALT", _l("ALT (Assistant Language Teacher)")),
             ("CIR", _l("CIR (Coordinator for International Relations)")),
             ("SEA", _l("SEA (Sports Exchange Advisor)")))


@functools.cache
def _parse(tag: str) -> Locale:
    return Locale.parse(tag)


def _locale() -> Locale:
    return _parse(str(get_locale() or "en"))


# Real countries only: ISO 3166-1 (Babel's territories also hold pseudo-locales such as
# "Pseudo-Accents" (XA) and groupings such as "European Union" and "Outlying Oceania").
ISO_COUNTRIES = frozenset(country.alpha_2 for country in pycountry.countries)


def sort_key(name: str) -> str:
    """A name as the reader's alphabet orders it: "Åland" with the A's, "Côte" with the C's.

    Japanese names are mostly katakana, which Unicode already orders by the kana syllabary.
    """
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


@functools.cache
def _countries(tag: str) -> dict[str, str]:
    names = _parse(tag).territories
    return {code: names.get(code, code) for code in ISO_COUNTRIES}


def country_names() -> dict[str, str]:
    """ISO 3166 countries' names in the reader's language, by two-letter code."""
    return _countries(str(_locale()))


def country_choices() -> list[tuple[str, str]]:
    """Two-letter country codes with their names in the reader's language, in its order."""
    return list(_country_choices(str(_locale())))


@functools.cache
def _country_choices(tag: str) -> tuple[tuple[str, str], ...]:
    # Sorted once per language: the ~250 names' sort keys cost ~2 ms, on every directory
    # search when the filter lists are not kept (CACHE_TTL=0).
    return tuple(sorted(_countries(tag).items(), key=lambda pair: sort_key(pair[1])))


def country_name(code: str) -> str:
    return _locale().territories.get(code, code) if code else ""


def language_choices() -> list[tuple[str, str]]:
    names = _locale().languages
    return sorted(((code, names.get(code, code)) for code in LANGUAGE_CODES),
                  key=lambda pair: pair[1])


def language_name(code: str) -> str:
    return _locale().languages.get(code, code)


def industry_name(code: str) -> str:
    return industry_names().get(code, code) if code else ""


def industry_names() -> dict[str, str]:
    """Industry labels in the reader's language (translated once per language)."""
    return _industry_names(str(get_locale() or "en"))


@functools.cache
def _industry_names(tag: str) -> dict[str, str]:
    return {code: str(label) for code, label in INDUSTRIES}
