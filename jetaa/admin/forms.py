"""Forms for editing reference data."""

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from jetaa.core import dates
from jetaa.core.templating import local_name
from jetaa.core.timezones import is_timezone
from jetaa.core.validators import single_line
from jetaa.missions.models import MissionKind
from jetaa.reference.cycle import Stage, intake_window


class MissionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160), single_line])
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=160), single_line])
    kind = SelectField(_l("Kind"), choices=[
        SelectChoice(MissionKind.EMBASSY.value, _l("Embassy")),
        SelectChoice(MissionKind.CONSULATE_GENERAL.value, _l("Consulate-General")),
        SelectChoice(MissionKind.CONSULAR_OFFICE.value, _l("Consular office")),
    ])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120), single_line])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])

    def validate_timezone(self, field: StringField) -> None:
        if not is_timezone((field.data or "").strip()):
            raise ValidationError(_l("Unknown time zone. Use an IANA name such as Asia/Tokyo."))

    def changes(self) -> dict:
        return {"name": self.name.data.strip(), "name_ja": (self.name_ja.data or "").strip(),
                "kind": MissionKind(self.kind.data), "city": self.city.data.strip(),
                "timezone": self.timezone.data.strip(),
                "website": (self.website.data or "").strip() or None}


class PrefectureForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=40), single_line])
    name_ja = StringField(_l("Name in Japanese"), validators=[DataRequired(), Length(max=40), single_line])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=40), single_line])
    region_ja = StringField(_l("Region in Japanese"), validators=[Optional(), Length(max=40), single_line])

    def changes(self) -> dict:
        return {field: (getattr(self, field).data or "").strip()
                for field in ("name", "name_ja", "region", "region_ja")}


class CycleDatesForm(FlaskForm):
    """One country's recruitment dates for one intake: a first and a last day per stage.

    Both left empty, a stage keeps the shipped months (cycle_dates_form builds the fields).
    """

    stages: list[Stage]
    intake: int

    def pairs(self) -> list[tuple[Stage, DateField, DateField]]:
        return [(stage, self[f"{stage.key}__start"], self[f"{stage.key}__end"])
                for stage in self.stages]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        first, last = intake_window(self.intake)
        for _stage, start, end in self.pairs():
            if start.errors or end.errors:
                continue
            if (start.data is None) != (end.data is None):
                (end if end.data is None else start).errors.append(
                    _("Give both days, or neither to keep the usual months."))
                valid = False
            elif start.data is not None and end.data < start.data:
                end.errors.append(_("The last day cannot be before the first."))
                valid = False
            elif start.data is not None and not (first <= start.data and end.data <= last):
                (start if start.data < first else end).errors.append(
                    _("The %(intake)d intake's dates fall between %(first)s and %(last)s.",
                      intake=self.intake, first=dates.short_date(first), last=dates.short_date(last)))
                valid = False
        return valid

    def dates(self) -> dict[str, tuple[date, date] | None]:
        """Each stage's (first, last) day, or None to go back to the shipped months."""
        return {stage.key: (start.data, end.data) if start.data is not None else None
                for stage, start, end in self.pairs()}


def cycle_dates_form(stages: list[Stage], intake: int, **kwargs: Any) -> CycleDatesForm:
    """A CycleDatesForm with a date field for the first and the last day of each stage."""
    fields: dict[str, DateField] = {}
    for stage in stages:
        name = local_name(stage)
        fields[f"{stage.key}__start"] = DateField(_("%(stage)s: first day", stage=name),
                                                  validators=[Optional()])
        fields[f"{stage.key}__end"] = DateField(_("%(stage)s: last day", stage=name),
                                                validators=[Optional()])
    form_class = type("StageDatesForm", (CycleDatesForm,), fields)
    form = form_class(**kwargs)
    form.stages, form.intake = stages, intake
    return form
