"""Activity forms: logging one, reviewing it, adding photos and receipts, the log's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import Select

from jetaa.activities.models import CATEGORY_LABELS, FUNDING_LABELS, STATUS_LABELS
from jetaa.activities.services import MAX_LINKS, MAX_PARTNERS, ActivityData, minor_units

FIRST_YEAR, LAST_YEAR = 1990, 2200
CURRENCIES = ("USD", "CAD", "GBP", "EUR", "AUD", "NZD", "JPY", "KRW", "CNY", "SGD", "ZAR",
              "BRL", "ARS", "PEN", "PHP", "INR", "CHF", "SEK", "NOK", "DKK", "RUB", "MXN",
              "THB", "IDR", "MYR", "VND", "TRY", "HKD", "TWD", "JMD", "TTD")


def _sensible_year(form: FlaskForm, field: Any) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


class QuickSelect(Select):
    """WTForms' select, its plain options written straight out (the same HTML).

    WTForms formats every option through html_params() and Markup.format(), some 20 µs
    each; the log's filters have two dozen options and every view of the log draws them.
    """

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""  # html_params sorts: "selected" first
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')  # noqa: S704


class FiniteDecimalField(DecimalField):
    """A decimal that is a number: "NaN", "sNaN" and "Infinity" are refused like any typo."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(gettext("Not a valid decimal value."))


def _one_line(value: str | None) -> str | None:
    """No control characters (a title becomes an e-mail subject)."""
    return None if value is None else "".join(c for c in value if c.isprintable())


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ActivityForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)],
                        filters=[_one_line])
    category = SelectField(_l("Category"), choices=[(c.value, label) for c, label
                                                    in CATEGORY_LABELS.items()])
    starts_on = DateField(_l("Date"), validators=[DataRequired(), _sensible_year])
    ends_on = DateField(_l("Last day"), validators=[Optional(), _sensible_year],
                        description=_l("Only for an activity over several days."))
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)], filters=[_one_line])
    country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)],
                          description=_l("Two letters, e.g. US, GB, JP."))
    is_online = BooleanField(_l("It took place online"))
    description = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=20000)],
                                description=_l("Markdown: **bold**, *italic*, [links](https://…), lists."))
    people_reached = IntegerField(_l("People reached"), default=0,
                                  validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    volunteers = IntegerField(_l("Volunteers"), default=0,
                              validators=[Optional(), NumberRange(min=0, max=10_000)])
    volunteer_hours = FiniteDecimalField(_l("Volunteer hours (all volunteers together)"), default=0,
                                   places=1, validators=[Optional(), NumberRange(min=0)])
    members_involved = IntegerField(_l("Members involved"), default=0,
                                    validators=[Optional(), NumberRange(min=0, max=10_000)])
    member_ids = SelectMultipleField(_l("Members who took part"), coerce=int, validate_choice=True,
                                     description=_l("They can choose not to be named."))
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    money_raised = FiniteDecimalField(_l("Money raised"), default=0, places=2,
                                validators=[Optional(), NumberRange(min=0, max=100_000_000)])
    money_spent = FiniteDecimalField(_l("Money spent"), default=0, places=2,
                               validators=[Optional(), NumberRange(min=0, max=100_000_000)])
    funding_source = SelectField(_l("Funded by"), default="", choices=[("", _l("No funding used"))] + [
        (f.value, label) for f, label in FUNDING_LABELS.items()])
    partners = TextAreaField(_l("Partner organisations"), validators=[Optional(), Length(max=4000)],
                             description=_l("One organisation a line."))
    links = TextAreaField(_l("Links"), validators=[Optional(), Length(max=4000)],
                          description=_l("Photos, press, the organiser's page: one address a line."))
    cohosts = SelectMultipleField(_l("Co-hosting branches"), coerce=int, validate_choice=True)

    def validate_country(self, field: StringField) -> None:
        if field.data and not (field.data.isascii() and field.data.isalpha()):
            raise ValidationError(_l("Two letters, e.g. US, GB, JP."))

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day is before the first."))

    def validate_partners(self, field: TextAreaField) -> None:
        if len(_lines(field.data)) > MAX_PARTNERS:
            raise ValidationError(_l("At most %(n)d partner organisations.", n=MAX_PARTNERS))

    def validate_links(self, field: TextAreaField) -> None:
        links = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise ValidationError(_l("At most %(n)d links.", n=MAX_LINKS))
        for link in links:
            if not link.startswith(("https://", "http://")) or len(link) > 300 or " " in link:
                raise ValidationError(_l("Each link must be a web address starting with https://."))

    def data_object(self) -> ActivityData:
        return ActivityData(
            title=self.title.data.strip(), category=self.category.data,
            starts_on=self.starts_on.data, ends_on=self.ends_on.data or self.starts_on.data,
            city=(self.city.data or "").strip(), country=(self.country.data or "").strip().upper(),
            is_online=bool(self.is_online.data), description=(self.description.data or "").strip(),
            people_reached=self.people_reached.data or 0, volunteers=self.volunteers.data or 0,
            volunteer_hours=self.volunteer_hours.data or Decimal(0),
            members_involved=self.members_involved.data or 0,
            member_ids=list(self.member_ids.data or []), currency=self.currency.data,
            money_raised=self.money_raised.data or Decimal(0),
            money_spent=self.money_spent.data or Decimal(0),
            funding_source=self.funding_source.data or None, partners=_lines(self.partners.data),
            links=[line.strip() for line in (self.links.data or "").splitlines() if line.strip()],
            cohost_ids=list(self.cohosts.data or []),
        )


class ReviewForm(FlaskForm):
    version = HiddenField()  # the entry as the officer saw it (services.version_of)
    decision = SelectField(_l("Decision"), choices=[
        ("verify", _l("Verify: it counts in the reports")),
        ("changes", _l("Ask the author for changes")),
        ("reject", _l("Reject"))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)],
                            description=_l("Needed when you ask for changes: the author is e-mailed it."))


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG or WebP, at most 5 MB)"),
                      validators=[FileRequired(_l("Choose a photo."))])
    caption = StringField(_l("Caption"), validators=[Optional(), Length(max=200)])
    in_report = BooleanField(_l("Show it in the branch's annual report"))


class ReceiptForm(FlaskForm):
    receipt = FileField(_l("Receipt (PDF or image, at most 5 MB)"),
                        validators=[FileRequired(_l("Choose a file."))])


class LogFilterForm(FlaskForm):
    """The log's query string; bad values give messages, not errors."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), validators=[Optional()], widget=QuickSelect(), choices=[
        ("", _l("All categories"))] + [(c.value, label) for c, label in CATEGORY_LABELS.items()])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=FIRST_YEAR,
                                                                       max=LAST_YEAR)])
    status = SelectField(_l("Status"), validators=[Optional()], widget=QuickSelect(), choices=[
        ("", _l("All statuses"))] + [(s.value, label) for s, label in STATUS_LABELS.items()])
    funding = SelectField(_l("Funded by"), validators=[Optional()], widget=QuickSelect(), choices=[
        ("", _l("Any funding"))] + [(f.value, label) for f, label in FUNDING_LABELS.items()])


class VolunteerRateForm(FlaskForm):
    country = StringField(_l("Country code"), validators=[DataRequired(), Length(min=2, max=2)],
                          description=_l("Two letters, e.g. US, GB, JP."))
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    hourly_rate = FiniteDecimalField(_l("Value of one volunteer hour"), places=2,
                               validators=[DataRequired(), NumberRange(min=0.01, max=100_000)])
    year = IntegerField(_l("Year of the figure"),
                        validators=[DataRequired(), NumberRange(min=FIRST_YEAR, max=LAST_YEAR)])
    source = StringField(_l("Source"), validators=[DataRequired(), Length(max=300)],
                         description=_l("Who published the figure, shown beside the value."))
    source_url = StringField(_l("Source address"), validators=[Optional(), Length(max=300)])

    def validate_country(self, field: StringField) -> None:
        if not (field.data or "").isascii() or not (field.data or "").isalpha():
            raise ValidationError(_l("Two letters, e.g. US, GB, JP."))

    def validate_source_url(self, field: StringField) -> None:
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Each link must be a web address starting with https://."))

    def values(self) -> dict[str, Any]:
        return {"currency": self.currency.data,
                "hourly_rate": minor_units(self.hourly_rate.data, self.currency.data),
                "year": self.year.data, "source": self.source.data.strip(),
                "source_url": (self.source_url.data or "").strip()}
