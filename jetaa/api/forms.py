"""The API tokens page's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from jetaa.api.models import Scope
from jetaa.api.tokens import EXPIRY_DAYS


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("What it is for, e.g. \"Branch website\"."))
    scope = SelectField(_l("Access"), choices=[
        (Scope.READ.value, _l("Read: see what your account sees")),
        (Scope.WRITE.value, _l("Read and write: also answer RSVPs"))],
        default=Scope.READ.value)
    expires = SelectField(_l("Expires"), default="90", choices=[
        *[(str(days), _l("In %(n)d days", n=days)) for days in EXPIRY_DAYS],
        ("never", _l("Never"))])

    def expires_in_days(self) -> int | None:
        return None if self.expires.data == "never" else int(self.expires.data)
