"""Forms of the memberships feature: applying, deciding, importing a roster."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from jetaa.members.forms import ApplicationForm


class JoinForm(ApplicationForm):
    message = TextAreaField(_l("Anything the officers should know? (optional)"),
                            validators=[Optional(), Length(max=1000)])


class DecisionForm(FlaskForm):
    decision = SelectField(choices=[("approve", _l("Approve")), ("decline", _l("Decline"))])
    message = TextAreaField(_l("Message to the applicant (optional)"),
                            validators=[Optional(), Length(max=1000)])


class ImportForm(FlaskForm):
    file = FileField(_l("Roster file (CSV, UTF-8)"),
                     validators=[FileRequired(_l("Choose a CSV file."))])


class ConfirmImportForm(FlaskForm):
    csv_text = TextAreaField(validators=[DataRequired()])
