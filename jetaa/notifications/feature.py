"""Notification settings as the app sees them: the page; nothing cached shows them."""

from flask import Flask

from jetaa.core import generations
from jetaa.notifications import views
from jetaa.notifications.models import BranchOptOut, NotificationSettings, TopicOptIn


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    generations.unseen(NotificationSettings, BranchOptOut, TopicOptIn)
