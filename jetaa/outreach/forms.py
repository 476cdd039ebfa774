"""Outreach forms: the staff's request form (with its roles), offers, decisions, the outcome."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from jetaa.core.validators import single_line
from jetaa.events.forms import LOCAL_FORMAT, _sensible_year, _zone
from jetaa.members.choices import JAPANESE_LEVELS
from jetaa.members.models import JapaneseLevel, JetRole, Jlpt
from jetaa.outreach.models import CONFLICT_LABELS, KIND_LABELS, ConflictKind, RequestKind
from jetaa.outreach.offers import Declaration
from jetaa.outreach.services import MAX_PLACES, MAX_ROLES, RequestData, RoleData

# The member profile's own names for the levels ("none" is no requirement here).
JAPANESE_LABELS = {JapaneseLevel(value): label for value, label in JAPANESE_LEVELS
                   if value != JapaneseLevel.NONE}
ANY = ("", _l("Any"))


def _enum_or_none(kind: type, value: str | None) -> Any:
    return kind(value) if value else None


class RoleForm(Form):
    """One row of the request form: a role and its requirements (an empty name: no role)."""

    role_id = HiddenField(validators=[Optional()])  # the role this row edits
    name = StringField(_l("Role"), validators=[Optional(), Length(max=80), single_line],
                       description=_l("e.g. Panelist, Host, Speaker"))
    places = IntegerField(_l("Volunteers needed"),
                          validators=[Optional(), NumberRange(min=1, max=MAX_PLACES)])
    jet_role = SelectField(_l("Former JET role"), default="",
                           choices=[ANY] + [(r.value, r.value) for r in JetRole])
    min_japanese = SelectField(_l("Japanese at least"), default="", choices=[ANY] + [
        (level.value, label) for level, label in JAPANESE_LABELS.items()])
    min_jlpt = SelectField(_l("JLPT at least"), default="", choices=[ANY] + [(j.value, j.value) for j in
                                                                 (Jlpt.N5, Jlpt.N4, Jlpt.N3,
                                                                  Jlpt.N2, Jlpt.N1)])
    returned_min_years = IntegerField(_l("Returned at least (years ago)"),
                                      validators=[Optional(), NumberRange(min=0, max=60)])
    returned_max_years = IntegerField(_l("Returned at most (years ago)"),
                                      validators=[Optional(), NumberRange(min=0, max=60)])
    region = SelectField(_l("Placement region"), default="", choices=[ANY], validate_choice=False)

    def validate_region(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Not a valid choice."))

    def validate_places(self, field: IntegerField) -> None:
        if (self.name.data or "").strip() and field.data is None:
            raise ValidationError(_l("How many volunteers does this role need?"))

    def validate_returned_max_years(self, field: IntegerField) -> None:
        low = self.returned_min_years.data
        if low is not None and field.data is not None and low > field.data:
            raise ValidationError(_l("“At most” must be at least “at least”."))

    def role_data(self) -> RoleData | None:
        if not (self.name.data or "").strip():
            return None
        role_id = self.role_id.data or ""
        return RoleData(
            name=self.name.data.strip(), places=self.places.data,
            id=int(role_id) if role_id.isascii() and role_id.isdigit() and len(role_id) < 12
            else None,
            jet_role=_enum_or_none(JetRole, self.jet_role.data),
            min_japanese=_enum_or_none(JapaneseLevel, self.min_japanese.data),
            min_jlpt=_enum_or_none(Jlpt, self.min_jlpt.data),
            returned_min_years=self.returned_min_years.data,
            returned_max_years=self.returned_max_years.data, region=self.region.data or "")


class RequestForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160), single_line])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                description=_l("What volunteers will do, what to bring, who to "
                                               "ask. Markdown."))
    is_online = BooleanField(_l("Online"))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200), single_line])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120), single_line],
                       description=_l("Used to suggest volunteers who live nearby."))
    country = SelectField(_l("Country"), validate_choice=False)
    online_url = URLField(_l("Online link"), validators=[Optional(), URL(), Length(max=500)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64), _zone])
    starts_local = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                      validators=[DataRequired(), _sensible_year])
    ends_local = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT,
                                    validators=[DataRequired(), _sensible_year])
    is_period = BooleanField(_l("A period of work rather than a single event (e.g. screening)"))
    respond_by_local = DateTimeLocalField(_l("Answers by"), format=LOCAL_FORMAT,
                                          validators=[DataRequired(), _sensible_year])
    branches = SelectMultipleField(_l("Branches asked"), coerce=int, validate_choice=True,
                                   description=_l("The branches in the mission's area."))
    roles = FieldList(FormField(RoleForm), min_entries=3, max_entries=MAX_ROLES)

    def validate_country(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Not a valid choice."))

    def validate_ends_local(self, field: DateTimeLocalField) -> None:
        if self.starts_local.data and field.data and field.data <= self.starts_local.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_respond_by_local(self, field: DateTimeLocalField) -> None:
        if self.starts_local.data and field.data and field.data > self.starts_local.data:
            raise ValidationError(_l("The response deadline must be on or before the start."))

    def validate_roles(self, field: FieldList) -> None:
        if not any((entry.form.name.data or "").strip() for entry in field.entries):
            raise ValidationError(_l("Add at least one role, with the number of volunteers it "
                                     "needs."))

    def validate_branches(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Ask at least one branch."))

    def data_object(self) -> RequestData:
        roles = [r for r in (entry.form.role_data() for entry in self.roles.entries) if r]
        return RequestData(
            kind=RequestKind(self.kind.data), title=self.title.data,
            description=self.description.data or "", venue=self.venue.data or "",
            city=self.city.data or "", country=self.country.data or "",
            is_online=self.is_online.data, online_url=self.online_url.data or None,
            timezone=self.timezone.data.strip(), starts_local=self.starts_local.data,
            ends_local=self.ends_local.data, respond_by_local=self.respond_by_local.data,
            is_period=self.is_period.data, roles=roles, branch_ids=list(self.branches.data))


class OfferForm(FlaskForm):
    role_id = SelectField(_l("Role"), coerce=int, validate_choice=True)
    note = TextAreaField(_l("Note for the mission"), validators=[Optional(), Length(max=2000)],
                         description=_l("What you can bring: experience, languages, a talk."))
    availability = StringField(_l("Availability"), validators=[Optional(), Length(max=300),
                                                               single_line],
                               description=_l("e.g. the whole day, or after 2 pm"))
    # Confidential requests only (interview panels, screening).
    has_conflict = SelectField(_l("Conflict of interest"), choices=[
        ("no", _l("I have no conflict of interest with this cycle's applicants")),
        ("yes", _l("I have a possible conflict of interest"))], default="no")
    conflict_kind = SelectField(_l("Kind of conflict"), default="", choices=[ANY] + [
        (k.value, label) for k, label in CONFLICT_LABELS.items()])
    conflict_details = TextAreaField(_l("Details of the conflict"),
                                     validators=[Optional(), Length(max=2000)])
    confidential = BooleanField(_l("I will keep everything about applicants confidential"))

    def declaration(self) -> Declaration:
        return Declaration(has_conflict=self.has_conflict.data == "yes",
                           confidential=bool(self.confidential.data),
                           kind=_enum_or_none(ConflictKind, self.conflict_kind.data),
                           details=self.conflict_details.data or "")


class DeclarationForm(FlaskForm):
    has_conflict = OfferForm.has_conflict
    conflict_kind = OfferForm.conflict_kind
    conflict_details = OfferForm.conflict_details
    confidential = OfferForm.confidential
    declaration = OfferForm.declaration


class InviteForm(FlaskForm):
    role_id = IntegerField(validators=[DataRequired()])
    user_id = IntegerField(validators=[DataRequired()])


class ConflictForm(FlaskForm):
    reason = TextAreaField(_l("Why the conflict is acceptable"),
                           validators=[DataRequired(), Length(min=10, max=2000)])


class OutcomeForm(FlaskForm):
    people_reached = IntegerField(_l("People reached"),
                                  validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    questions_asked = IntegerField(_l("Questions answered"),
                                   validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    applications_named = IntegerField(
        _l("Applications that name it as where they heard of JET"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        description=_l("When the mission knows; leave empty otherwise."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class StaffForm(FlaskForm):
    email = StringField(_l("E-mail address of the colleague's account"),
                        validators=[DataRequired(), Length(max=254), single_line])


class SettingsForm(FlaskForm):
    show_hours_on_profile = BooleanField(_l("Show my confirmed volunteer hours on my profile"))


class AreaForm(FlaskForm):
    # A checkbox per branch: a long multiple select needs Ctrl-click, and a slip loses the rest.
    branches = SelectMultipleField(_l("Branches in the mission's area"), coerce=int,
                                   validate_choice=True,
                                   widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(),
                                   description=_l("A branch belongs to one mission's area: "
                                                  "choosing it here moves it from another's."))
