"""Form validators every feature shares."""

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


def has_control_characters(text: str | None) -> bool:
    """Does `text` hold a control character or a line or paragraph separator?"""
    return bool(text) and any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def single_line(form: Any, field: Any) -> None:
    """A title or a name is one line: no control characters (they would break mail headers)."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(_l("Use one line, without control characters."))
