"""Account forms. Validation lives here, not in the views."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from jetaa.auth.models import User
from jetaa.auth.passwords import MAX_LENGTH, password_problem
from jetaa.core.validators import single_line


class NewPasswordMixin:
    """A new password, typed twice, checked against the policy.

    Forms without name and e-mail fields (reset, change) get the account they
    are for, so its address and name are refused as a password there too.
    """

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 10 characters. A few unrelated words make a good one."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field: PasswordField) -> None:
        email = getattr(self, "email", None)
        name = getattr(self, "name", None)
        if self.account is not None:
            email, name = self.account.email, self.account.name
        else:
            email, name = email.data if email else "", name.data if name else ""
        problem = password_problem(field.data or "", email=email or "", name=name or "")
        if problem:
            raise ValidationError(problem)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str = _l("E-mail address")) -> EmailField:
    # Stripped before validation: pasted and autocompleted addresses often end in a space.
    return EmailField(label, validators=[DataRequired(), Email(), Length(max=254)],
                      filters=[_strip], render_kw={"autocomplete": "email"})


class RegisterForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120), single_line],
                       render_kw={"autocomplete": "name"})
    email = _email_field()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
