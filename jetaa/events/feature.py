"""Events as the app sees them: calendars, feeds, template questions, reminders, cache, demo."""

from flask import Flask

from jetaa.core.urls import external_url
from jetaa.demo.core import add_step
from jetaa.events import feed_views, views
from jetaa.events.commands import send_reminders
from jetaa.events.demo import make_events
from jetaa.events.links import google_calendar_url, map_url, outlook_url
from jetaa.events.permissions import can_edit_event, can_rsvp, can_see_online_link


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(feed_views.bp)
    for question in (can_edit_event, can_rsvp, can_see_online_link, map_url,
                     google_calendar_url, outlook_url):
        app.add_template_global(question)
    # The widget and the feed addresses are links other sites keep: on PUBLIC_URL.
    app.add_template_global(external_url)
    app.cli.add_command(send_reminders)
    # What calendars and event pages show: a write to any of these moves the
    # "events" generation, which keys their cached parts (events/views.py).
    add_step(app, make_events)
