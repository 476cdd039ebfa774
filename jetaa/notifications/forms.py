"""The notification settings form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, widgets

from jetaa.notifications.services import Choices
from jetaa.notifications.topics import TOPICS


class _Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NotificationForm(FlaskForm):
    event_mail = BooleanField(_l("Changes to events I answered, and reminders the day before"))
    announcement_mail = BooleanField(_l("Announcements from my branches and the federation"))
    weekly_digest = BooleanField(_l("Gather announcements in one weekly e-mail instead of one "
                                    "e-mail each"))
    muted_branches = _Checkboxes(_l("No announcements from these branches"), coerce=int,
                                 choices=[])
    recruitment_mail = BooleanField(_l("Recruitment requests from Japanese missions (when I am "
                                       "open to recruitment)"))
    topics = _Checkboxes(_l("Topics I want to hear about"), choices=list(TOPICS.items()))

    def fill(self, choices: Choices) -> None:
        self.event_mail.data = choices.event_mail
        self.announcement_mail.data = choices.announcement_mail
        self.weekly_digest.data = choices.weekly_digest
        self.recruitment_mail.data = choices.recruitment_mail
        self.muted_branches.data = sorted(choices.muted_branch_ids)
        self.topics.data = sorted(choices.topics)

    def choices(self) -> Choices:
        return Choices(event_mail=self.event_mail.data,
                       recruitment_mail=self.recruitment_mail.data,
                       announcement_mail=self.announcement_mail.data,
                       weekly_digest=self.weekly_digest.data,
                       muted_branch_ids=frozenset(self.muted_branches.data or ()),
                       topics=frozenset(self.topics.data or ()))
