"""Forms of the members feature: validation lives here."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from jetaa.core.cache import cached, key_of
from jetaa.core.templating import local_name
from jetaa.core.validators import WebAddressField, single_line
from jetaa.members import choices
from jetaa.members.services.directory import branch_refs, prefecture_refs

YEAR_RANGE = NumberRange(choices.FIRST_JET_YEAR, choices.LAST_JET_YEAR,
                         message=_l("Enter a year between %(min)s and %(max)s."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _prefecture_choices() -> list[tuple[str, str]]:
    """The 47 prefectures in the reader's language (from a cache: each placement row asks)."""
    return [("", _l("Choose…"))] + [(str(p.code), local_name(p))
                                    for p in prefecture_refs().values()]


def _with_blank(pairs: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label)] + [(str(code), str(name)) for code, name in pairs]


MAX_PLACEMENTS = 6


class PlacementForm(Form):
    """One JET placement (a row of the profile's list; no CSRF token of its own)."""

    role = SelectField(_l("JET role"), choices=[("", _l("Choose…")), *choices.JET_ROLES],
                       validators=[DataRequired(_l("Choose a role."))])
    prefecture_code = SelectField(_l("Prefecture"),
                                  validators=[DataRequired(_l("Choose a prefecture."))])
    municipality = StringField(_l("Town or city"),
                               validators=[DataRequired(), Length(max=120), single_line])
    contracting_organisation = StringField(_l("Contracting organisation"),
                                           validators=[Optional(), Length(max=160), single_line])
    start_year = IntegerField(_l("First year"), validators=[DataRequired(), YEAR_RANGE])
    end_year = IntegerField(_l("Last year"), validators=[Optional(), YEAR_RANGE],
                            description=_l("Leave it empty if you are still on JET."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefecture_code.choices = _prefecture_choices()
        if self.prefecture_code.data is not None:
            # Stored as a number; the select's values are strings.
            self.prefecture_code.data = str(self.prefecture_code.data)

    def validate_prefecture_code(self, field: SelectField) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Choose a prefecture."))

    def validate(self, extra_validators: Any = None) -> bool:
        """The years in order, whether or not the last year was sent: left out, it keeps the
        stored one (Optional() then skips the field's checks), which may be before a new
        first year."""
        valid = super().validate(extra_validators)
        start, end = self.start_year.data, self.end_year.data
        if start and end and end < start and not self.end_year.errors:
            self.end_year.errors = [_l("The last year cannot be before the first year.")]
            return False
        return valid

    def placement_data(self) -> dict[str, Any]:
        return {"role": self.role.data, "prefecture_code": int(self.prefecture_code.data),
                "municipality": (self.municipality.data or "").strip(),
                "contracting_organisation": (self.contracting_organisation.data or "").strip(),
                "start_year": self.start_year.data, "end_year": self.end_year.data}


class ApplicationForm(FlaskForm):
    """The branch's questions to an applicant (stored in the applicant's own profile)."""

    placements = FieldList(FormField(PlacementForm), min_entries=1, max_entries=MAX_PLACEMENTS)
    home_country = SelectField(_l("Home country"),
                               validators=[DataRequired(_l("Choose a country."))])
    current_city = StringField(_l("Current city"), validators=[Optional(), Length(max=120), single_line])
    # Lazy labels as they are: made text here, at import, they would stay English.
    japanese_level = SelectField(_l("Japanese level"), validators=[Optional()],
                                 choices=[("", "—"), *choices.JAPANESE_LEVELS])
    jlpt_level = SelectField(_l("JLPT"), validators=[Optional()],
                             choices=[("", "—")] + [(f"N{n}", f"N{n}") for n in range(1, 6)])
    languages = MultiCheckboxField(_l("Other languages"), validators=[Optional()])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=120), single_line])
    industry = SelectField(_l("Industry"), validators=[Optional()],
                           choices=[("", "—"), *choices.INDUSTRIES])
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=160), single_line])
    bio = TextAreaField(_l("A short bio"), validators=[Optional(), Length(max=1000)])
    interests = StringField(_l("Interests"), validators=[Optional(), Length(max=300), single_line])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home_country.choices = _with_blank(choices.country_choices(), _l("Choose…"))
        self.languages.choices = choices.language_choices()

    def edit_placements(self, posted: Any) -> bool:
        """Carry out an "Add another placement" or "Remove" button, if one was pressed.

        Those buttons submit the form (so the list works without JavaScript) but save
        nothing: the caller shows the form again. Returns whether one was pressed.
        """
        if "add_placement" in posted:
            if len(self.placements) < MAX_PLACEMENTS:
                self.placements.append_entry()
            return True
        remove = posted.get("remove_placement", "")
        if remove.isdigit():
            kept = [e for e in self.placements.entries if e.name != f"placements-{remove}"]
            if kept:  # the last placement stays: a profile needs one
                self.placements.entries = kept
            return True
        return False

    def profile_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ("current_city", "occupation", "industry", "employer", "bio", "interests",
                     "home_country", "japanese_level", "jlpt_level"):
            data[name] = (getattr(self, name).data or "").strip()
        data["japanese_level"] = data["japanese_level"] or None
        data["jlpt_level"] = data["jlpt_level"] or None
        data["placements"] = [entry.form.placement_data() for entry in self.placements]
        data["languages"] = self.languages.data or []
        return data


class ProfileForm(ApplicationForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120), single_line],
                       description=_l("Japanese names welcome, e.g. 田中 花子."))
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    website_url = WebAddressField(_l("Website"), validators=[Optional(), URL(), Length(max=300)],
                                  description=_l("For example example.org or https://example.org"))
    linkedin_url = WebAddressField(_l("LinkedIn"), validators=[Optional(), URL(), Length(max=300)],
                                   description=_l("For example linkedin.com/in/your-name"))
    visibility = SelectField(_l("Who can see my profile"), choices=[
        ("federation", _l("Every approved member of any JETAA branch")),
        ("branches", _l("Members of my branches only")),
        ("officers", _l("Officers of my branches only")),
    ])
    contact_visibility = SelectField(
        _l("Who can see my e-mail, phone and links"),
        description=_l("Never more people than can see your profile."),
        choices=[("hidden", _l("Nobody (hidden)")),
                 ("officers", _l("Officers of my branches")),
                 ("branches", _l("Members of my branches")),
                 ("federation", _l("Every approved member"))])
    open_to_recruitment = BooleanField(
        _l("I am open to helping with JET recruitment"),
        description=_l("The Japanese missions of your branches may then suggest you for "
                       "recruitment help and see your name, branch, JET role, years, placement "
                       "and Japanese level (never your contact details)."))
    open_to_mentoring = BooleanField(_l("I am open to mentoring new and returning JETs"))

    def profile_data(self) -> dict[str, Any]:
        data = super().profile_data()
        data["name"] = self.name.data.strip()
        for name in ("phone", "website_url", "linkedin_url", "visibility",
                     "contact_visibility"):
            data[name] = (getattr(self, name).data or "").strip()
        data["open_to_recruitment"] = bool(self.open_to_recruitment.data)
        data["open_to_mentoring"] = bool(self.open_to_mentoring.data)
        return data


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(_l("I understand that this cannot be undone"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


SORT_CHOICES = [("name", _l("Name")), ("years", _l("JET years, earliest first")),
                ("-years", _l("JET years, latest first"))]


def _options_html(pairs: list) -> str:
    return "".join(f'<option value="{escape(value)}">{escape(label)}</option>'
                   for value, label in pairs)


def _directory_choices() -> dict[str, list[tuple[str, str]]]:
    branches = [b for b in branch_refs() if b.active]
    countries = {b.country for b in branches}
    prefectures = prefecture_refs().values()
    any_ = str(_l("Any"))
    return {
        "branch": _with_blank(((b.slug, b.name) for b in branches), any_),
        "country": _with_blank(((code, name) for code, name in choices.country_choices()
                                if code in countries), any_),
        "role": _with_blank(((role, role) for role in ("ALT", "CIR", "SEA")), any_),
        "prefecture": _with_blank(((p.code, local_name(p)) for p in prefectures), any_),
        "industry": _with_blank(choices.INDUSTRIES, any_),
        "language": _with_blank([("ja", _l("Japanese")), *choices.language_choices()], any_),
        "sort": [(value, str(label)) for value, label in SORT_CHOICES],
    }


def directory_filter_lists() -> dict[str, dict[str, Any]]:
    """The directory filters' choices and their <option> HTML in the reader's language.

    Built once per language and kept for CACHE_TTL: the lists (branches,
    prefectures, countries) hardly change, and rendering ~250 options on every
    search was a good part of the page's time.
    """
    def compute() -> dict[str, dict[str, Any]]:
        lists = _directory_choices()
        return {"choices": lists,
                "html": {name: _options_html(pairs) for name, pairs in lists.items()}}

    # Kept for CACHE_TTL: a branch added or renamed shows in the lists within a minute.
    return cached(key_of("members:directory-filters", get_locale() or "en"), compute)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class FilterSelectField(SelectField):
    """A directory filter <select>: choices from directory_filter_lists(), rendered there.

    Its value is checked against a set: WTForms' own check builds an object
    per option, ~250 of them on every search.
    """

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, validators=[Optional()], **kwargs)

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and self.data not in {value for value, _ in self.choices}:
            raise ValidationError(self.gettext("Not a valid choice."))


class DirectorySearchForm(FlaskForm):
    """The directory's query string: bookmarkable, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    branch = FilterSelectField(_l("Branch"))
    country = FilterSelectField(_l("Home country"))
    role = FilterSelectField(_l("JET role"))
    prefecture = FilterSelectField(_l("Placement prefecture"))
    year_from = IntegerField(_l("On JET from"), validators=[Optional(), YEAR_RANGE])
    year_to = IntegerField(_l("On JET until"), validators=[Optional(), YEAR_RANGE])
    city = StringField(_l("Current city"), validators=[Optional(), Length(max=120)])
    industry = FilterSelectField(_l("Industry"))
    language = FilterSelectField(_l("Speaks"))
    recruitment = BooleanField(_l("Open to recruitment help"))
    mentoring = BooleanField(_l("Open to mentoring"))
    sort = FilterSelectField(_l("Sort by"))

    def __init__(self, *args: Any, branch_filter: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = directory_filter_lists()
        self._options_html = lists["html"]
        for name, pairs in lists["choices"].items():
            getattr(self, name).choices = [tuple(pair) for pair in pairs]  # JSON gave lists
        if not branch_filter:
            self.branch.choices = self.branch.choices[:1]
        country = self.country.data
        listed = {code for code, _ in self.country.choices}
        if country and country not in listed and country in choices.country_names():
            # A country without a branch (a shared link): offered so it stays selected.
            pairs = [(code, name) for code, name in choices.country_choices()
                     if code in listed | {country}]
            self.country.choices = _with_blank(pairs, _l("Any"))
            self._options_html = {**self._options_html,
                                  "country": _options_html(self.country.choices)}

    def options_html(self, name: str) -> Markup:
        """The <option>s of a filter select (rendered once per language), its value selected."""
        data = self[name].data
        option = f'<option value="{escape("" if data is None else data)}">'
        # The HTML was built from escaped values only (_options_html).
        html = self._options_html[name].replace(option, option[:-1] + " selected>", 1)
        return Markup(html)  # noqa: S704

    def validate_year_to(self, field: IntegerField) -> None:
        if field.data and self.year_from.data and field.data < self.year_from.data:
            raise ValidationError(_l("The end of the range is before its start."))

    def filters(self) -> dict[str, Any]:
        """The valid parts of the search; a field with an error is left out."""
        data: dict[str, Any] = {}
        for name in ("q", "branch", "country", "role", "city", "industry", "language", "sort"):
            field = getattr(self, name)
            if not field.errors and field.data:
                data[name] = str(field.data).strip()
        if data.get("sort") not in ("name", "years", "-years"):
            data.pop("sort", None)
        data["prefecture"] = _int_or_none(self.prefecture.data) if not self.prefecture.errors else None
        for name in ("year_from", "year_to"):
            data[name] = getattr(self, name).data if not getattr(self, name).errors else None
        data["recruitment"] = bool(self.recruitment.data)
        data["mentoring"] = bool(self.mentoring.data)
        return data
