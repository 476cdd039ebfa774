"""Forms for editing reference data."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from jetaa.core.timezones import is_timezone
from jetaa.missions.models import MissionKind


class MissionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[
        (MissionKind.EMBASSY.value, _l("Embassy")),
        (MissionKind.CONSULATE_GENERAL.value, _l("Consulate-General")),
        (MissionKind.CONSULAR_OFFICE.value, _l("Consular office")),
    ])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])

    def validate_timezone(self, field: StringField) -> None:
        if not is_timezone(field.data or ""):
            raise ValidationError(_l("Unknown time zone. Use an IANA name such as Asia/Tokyo."))

    def changes(self) -> dict:
        return {"name": self.name.data.strip(), "name_ja": (self.name_ja.data or "").strip(),
                "kind": MissionKind(self.kind.data), "city": self.city.data.strip(),
                "timezone": self.timezone.data.strip(),
                "website": (self.website.data or "").strip() or None}


class PrefectureForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=40)])
    name_ja = StringField(_l("Name in Japanese"), validators=[DataRequired(), Length(max=40)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=40)])
    region_ja = StringField(_l("Region in Japanese"), validators=[Optional(), Length(max=40)])

    def changes(self) -> dict:
        return {field: (getattr(self, field).data or "").strip()
                for field in ("name", "name_ja", "region", "region_ja")}
