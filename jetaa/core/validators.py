"""Form validators every feature shares."""

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError


def has_control_characters(text: str | None) -> bool:
    """Does `text` hold a control character or a line or paragraph separator?"""
    return bool(text) and any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def single_line(form: Any, field: Any) -> None:
    """A title or a name is one line: no control characters (they would break mail headers)."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(_l("Use one line, without control characters."))


def with_scheme(value: str | None) -> str | None:
    """A web address as people type it ("linkedin.com/in/hana") made whole ("https://...")."""
    value = (value or "").strip()
    if value and "://" not in value and not value.lower().startswith(("mailto:", "tel:")):
        return f"https://{value}"
    return value or None


class WebAddressField(StringField):
    """A web address that may be typed without https:// (a type="url" box would refuse it)."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "url")
        super().__init__(label, validators, filters=[with_scheme], **kwargs)
