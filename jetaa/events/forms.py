"""Event forms: the officer's event form, the RSVP form and the calendar filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import Select

from jetaa.core.timezones import is_timezone
from jetaa.core.validators import single_line
from jetaa.events.models import MAX_EVENT_LENGTH, Audience, Category, Frequency
from jetaa.events.services import EventData

MAX_RANGE_DAYS = 3 * 366
LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

CATEGORY_LABELS = {
    Category.NETWORKING: _l("Networking"), Category.CULTURAL: _l("Cultural"),
    Category.LANGUAGE_EXCHANGE: _l("Language exchange"), Category.CAREER: _l("Career"),
    Category.RECRUITMENT: _l("Recruitment"), Category.SOCIAL: _l("Social"),
    Category.VOLUNTEERING: _l("Volunteering"), Category.OTHER: _l("Other"),
}
AUDIENCE_LABELS = {
    Audience.PUBLIC: _l("Public: anyone"),
    Audience.FEDERATION: _l("Members of any JETAA branch"),
    Audience.BRANCH: _l("Members of the hosting branches only"),
}


# Dates outside these years are typing slips, and near year 1 or 9999 the conversions
# between zones overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _sensible_year(form: FlaskForm, field: Any) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


def _zone(form: FlaskForm, field: StringField) -> None:
    if not is_timezone((field.data or "").strip()):
        raise ValidationError(_l("Unknown time zone: choose one from the list."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160), single_line])
    category = SelectField(_l("Category"), choices=[(c.value, label) for c, label
                                                    in CATEGORY_LABELS.items()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                description=_l("Markdown: **bold**, *italic*, [links](https://…), lists."))
    # The view offers the branch's likely zones; any real zone posted is still accepted.
    timezone = SelectField(_l("Time zone"), validators=[DataRequired(), Length(max=64), _zone],
                           validate_choice=False,
                           description=_l("The branch's zone unless the event happens elsewhere."))
    starts_local = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                      validators=[DataRequired(), _sensible_year])
    ends_local = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT,
                                    validators=[DataRequired(), _sensible_year])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=160), single_line])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300), single_line])
    online_url = URLField(_l("Online link"), validators=[Optional(), URL(), Length(max=300)],
                          description=_l("For online or hybrid events."))
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)],
                            description=_l("Seats, guests included. Empty: no limit."))
    rsvp_deadline_local = DateTimeLocalField(_l("RSVP deadline"), format=LOCAL_FORMAT,
                                             validators=[Optional(), _sensible_year])
    guests_allowed = IntegerField(_l("Guests allowed per RSVP"), default=0,
                                  validators=[Optional(), NumberRange(min=0, max=20)])
    audience = SelectField(_l("Who can see it"), choices=[(a.value, label) for a, label
                                                          in AUDIENCE_LABELS.items()])
    cohosts = SelectMultipleField(_l("Co-hosting branches"), coerce=int, validate_choice=True,
                                  description=_l("Their officers can edit the event too."))
    mission_id = SelectField(_l("Partner mission"), coerce=int, default=0)
    frequency = SelectField(_l("Repeats"), choices=[
        ("", _l("Does not repeat")), (Frequency.WEEKLY.value, _l("Every week")),
        (Frequency.MONTHLY.value, _l("Every month, same weekday (e.g. second Tuesday)"))],
        validate_choice=False)
    repeat_until = DateField(_l("Repeat until"), validators=[Optional(), _sensible_year])

    def validate_ends_local(self, field: DateTimeLocalField) -> None:
        if self.starts_local.data and field.data and field.data <= self.starts_local.data:
            raise ValidationError(_l("The event must end after it starts."))
        if self.starts_local.data and field.data and \
                field.data - self.starts_local.data > MAX_EVENT_LENGTH:
            raise ValidationError(_l("An event can last at most 31 days."))

    def validate_rsvp_deadline_local(self, field: DateTimeLocalField) -> None:
        if field.data and self.ends_local.data and field.data > self.ends_local.data:
            raise ValidationError(_l("The RSVP deadline must be before the event ends."))

    def validate_frequency(self, field: SelectField) -> None:
        if field.data not in (None, "", *(f.value for f in Frequency)):
            raise ValidationError(_l("Not a valid choice."))

    def validate_repeat_until(self, field: DateField) -> None:
        if "frequency" not in self or not self.frequency.data:
            return
        start = self.starts_local.data
        if field.data is None:
            raise ValidationError(_l("Give the date of the last occurrence."))
        if start and field.data < start.date():
            raise ValidationError(_l("The last date must be on or after the first."))
        if start and field.data > start.date() + timedelta(days=2 * 366):
            raise ValidationError(_l("A series can run for at most two years."))

    def data_object(self) -> EventData:
        return EventData(
            title=self.title.data.strip(), category=Category(self.category.data),
            description=(self.description.data or "").strip(),
            timezone=self.timezone.data.strip(), starts_local=self.starts_local.data,
            ends_local=self.ends_local.data, venue=(self.venue.data or "").strip(),
            address=(self.address.data or "").strip(),
            online_url=(self.online_url.data or "").strip() or None,
            capacity=self.capacity.data, rsvp_deadline_local=self.rsvp_deadline_local.data,
            guests_allowed=self.guests_allowed.data or 0, audience=Audience(self.audience.data),
            cohost_ids=list(self.cohosts.data or []), mission_id=self.mission_id.data or None,
            frequency=Frequency(self.frequency.data) if "frequency" in self and self.frequency.data
            else None,
            repeat_until=self.repeat_until.data if "repeat_until" in self else None,
        )


class RsvpForm(FlaskForm):
    answer = SelectField(_l("Your answer"), choices=[("going", _l("Going")),
                                                    ("not_going", _l("Not going"))])
    guests = IntegerField(_l("Guests"), default=0,
                          validators=[Optional(), NumberRange(min=0, max=20)])


class RememberedSelect(Select):
    """A <select> rendered once per process for each set of options and chosen value.

    The calendar's filters list every branch, country and region on every page
    view; building those options was a fifth of the page's time. The key holds the
    options' translated labels, so each language and any renamed branch get their own.
    """

    def __init__(self, size: int = 512) -> None:
        super().__init__()
        self.size = size
        self.rendered: dict[tuple, Markup] = {}

    def __call__(self, field: SelectField, **kwargs: object) -> Markup:
        key = (field.id, field.name, field.data, tuple(sorted(kwargs.items())),
               tuple((str(value), str(label)) for value, label in field.choices))
        html = self.rendered.get(key)
        if html is None:
            html = super().__call__(field, **kwargs)
            if len(self.rendered) >= self.size:
                self.rendered.clear()
            self.rendered[key] = html
        return html


class CalendarFilterForm(FlaskForm):
    """The query string of the calendars; bad values give messages, not errors."""

    class Meta:
        csrf = False

    view = SelectField(_l("View"), choices=[("month", _l("Month")), ("list", _l("List"))],
                       default="month", validate_choice=False)
    month = StringField(_l("Month"), validators=[Optional(), Length(max=7)])
    branch = SelectField(_l("Branch"), validators=[Optional()], widget=RememberedSelect())
    country = SelectField(_l("Country"), validators=[Optional()], widget=RememberedSelect())
    # The values are the national associations ("JETAA USA"), not regions of a country.
    region = SelectField(_l("National association"), validators=[Optional()],
                         widget=RememberedSelect())
    category = SelectField(_l("Category"), validators=[Optional()], widget=RememberedSelect(), choices=[
        ("", _l("All categories"))] + [(c.value, label) for c, label in CATEGORY_LABELS.items()])
    mode = SelectField(_l("Where"), validators=[Optional()], widget=RememberedSelect(), choices=[
        ("", _l("All formats")), ("online", _l("Online")),
        ("in_person", _l("In person"))])
    start = DateField(_l("From"), validators=[Optional(), _sensible_year])
    end = DateField(_l("To"), validators=[Optional(), _sensible_year])

    def validate_view(self, field: SelectField) -> None:
        if field.data not in ("month", "list"):
            field.data = "month"

    def validate_month(self, field: StringField) -> None:
        if field.data and self.first_of_month() is None:
            raise ValidationError(_l("Give the month as YYYY-MM, for example 2026-04."))

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end date is before the start date."))
            if (field.data - self.start.data).days > MAX_RANGE_DAYS:
                raise ValidationError(_l("Choose a range of at most three years."))

    def first_of_month(self) -> date | None:
        try:
            year, month = (int(part) for part in (self.month.data or "").split("-"))
            return date(year, month, 1) if 1900 < year < 2200 else None
        except ValueError:
            return None
