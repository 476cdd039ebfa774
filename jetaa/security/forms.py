"""Second-factor forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """A code from the authenticator app (or, where allowed, a recovery code)."""

    code = StringField(
        _l("Code"), validators=[DataRequired(), Length(max=40)],
        description=_l("The six digits your authenticator app shows now."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "off", "spellcheck": "false"},
    )
    next = HiddenField()


class SignInCodeForm(CodeForm):
    code = StringField(
        _l("Code"), validators=[DataRequired(), Length(max=40)],
        description=_l("The six digits your authenticator app shows now, or one of your "
                       "recovery codes."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false", "autofocus": True},
    )


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""
