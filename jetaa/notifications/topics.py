"""The topics members can opt in to, and officers can send a segment about."""

from flask_babel import lazy_gettext as _l

TOPICS = {
    "careers": _l("Careers and jobs"),
    "japanese": _l("Japanese language"),
    "culture": _l("Japanese culture"),
    "volunteering": _l("Volunteering"),
    "social": _l("Social events"),
    "mentoring": _l("Mentoring"),
}
