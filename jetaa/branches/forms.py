"""Branch forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from jetaa.branches.models import JoinPolicy
from jetaa.core.timezones import is_timezone
from jetaa.core.validators import WebAddressField, single_line


class BranchSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search branches"), validators=[Optional(), Length(max=100)])


class BranchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), single_line])
    region = StringField(_l("City or region"), validators=[Optional(), Length(max=200), single_line])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                           description=_l("An IANA name such as America/New_York."))
    contact_email = EmailField(_l("Contact e-mail"),
                               validators=[Optional(), Email(), Length(max=254)])
    website = WebAddressField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    description = TextAreaField(_l("Short description"),
                                validators=[Optional(), Length(max=2000)])
    join_policy = SelectField(
        _l("Who can join"),
        choices=[SelectChoice(JoinPolicy.APPROVAL.value, _l("An officer approves each application")),
                 SelectChoice(JoinPolicy.OPEN.value, _l("Anyone signed in joins at once"))],
    )

    def validate_timezone(self, field: StringField) -> None:
        if not is_timezone((field.data or "").strip()):
            raise ValidationError(_l("Unknown time zone. Use an IANA name such as Europe/London."))

    def changes(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "region": (self.region.data or "").strip(),
            "timezone": self.timezone.data.strip(),
            "contact_email": (self.contact_email.data or "").strip().lower() or None,
            "website": (self.website.data or "").strip() or None,
            "description": (self.description.data or "").strip(),
            "join_policy": JoinPolicy(self.join_policy.data),
        }
