"""The announcement form and the send form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from jetaa.announcements.models import Scope
from jetaa.announcements.services import MAX_SUBJECT, AnnouncementData
from jetaa.core.validators import single_line
from jetaa.members.choices import FIRST_JET_YEAR, LAST_JET_YEAR
from jetaa.notifications.topics import TOPICS

SCOPE_LABELS = {
    Scope.BRANCH: _l("All approved members of the branch"),
    Scope.SEGMENT: _l("A segment of the branch's members"),
    Scope.FEDERATION: _l("The whole federation (every approved member of any branch)"),
}
LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class AnnouncementForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=MAX_SUBJECT),
                                                     single_line])
    body = TextAreaField(_l("Message"), description=_l("Markdown: **bold**, *italic*, "
                                                       "[links](https://…), lists."),
                         render_kw={"rows": 12})
    image = FileField(_l("Image (optional)"), description=_l("JPEG, PNG or WebP, at most 5 MB."))
    remove_image = BooleanField(_l("Remove the image"))
    scope = RadioField(_l("Send to"), choices=[(s.value, SCOPE_LABELS[s]) for s in Scope],
                       default=Scope.BRANCH.value)
    topic = SelectField(_l("Opted in to the topic"), default="",
                        choices=[("", _l("Any"))] + list(TOPICS.items()))
    jet_role = SelectField(_l("JET role"), default="",
                           choices=[("", _l("Any")), ("ALT", "ALT"), ("CIR", "CIR"),
                                    ("SEA", "SEA")])
    year_from = IntegerField(_l("On JET from"), validators=[
        Optional(), NumberRange(FIRST_JET_YEAR, LAST_JET_YEAR)])
    year_to = IntegerField(_l("On JET until"), validators=[
        Optional(), NumberRange(FIRST_JET_YEAR, LAST_JET_YEAR)])
    city = StringField(_l("Current city"), validators=[Optional(), Length(max=120), single_line])
    event_id = SelectField(_l("People who answered the event"), coerce=int, default=0,
                           choices=[(0, _l("Any"))])
    rsvp = SelectField(_l("Who answered"), default="going",
                       choices=[("going", _l("Attendees (going)")),
                                ("waitlisted", _l("The waitlist"))])
    is_public = BooleanField(_l("Show it in the public archive of the branch page"))

    def data_object(self) -> AnnouncementData:
        segment = {"topic": self.topic.data, "jet_role": self.jet_role.data,
                   "year_from": self.year_from.data, "year_to": self.year_to.data,
                   "city": (self.city.data or "").strip(), "event_id": self.event_id.data}
        if segment["event_id"]:
            segment["rsvp"] = self.rsvp.data
        return AnnouncementData(subject=self.subject.data or "", body=self.body.data or "",
                                scope=Scope(self.scope.data), segment=segment,
                                is_public=self.is_public.data,
                                image=self.image.data or None,
                                remove_image=self.remove_image.data)


class SendForm(FlaskForm):
    send_at = DateTimeLocalField(_l("Send later (optional)"), format=LOCAL_FORMAT,
                                 validators=[Optional()],
                                 description=_l("In the branch's time zone; empty: now."))
