"""Fixtures for account tests: posting the forms, reading links from mail, old tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from flask import Flask
from itsdangerous import TimestampSigner

from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def link_path(message: object, marker: str) -> str:
    """The path of the one link containing `marker` in a message's text part."""
    [link] = [url for url in re.findall(r"https?://\S+", message.body_text) if marker in url]
    assert link in message.body_html
    return urlsplit(link).path


@pytest.fixture
def register(client) -> Callable[..., object]:  # noqa: ANN001
    def post(**fields: str) -> object:
        data = {"name": "Rita Register", "email": "rita@example.com",
                "password": PASSWORD, "confirm": PASSWORD}
        data.update(fields)
        return client.post("/register", data=data)

    return post


@pytest.fixture
def log_in(client) -> Callable[..., object]:  # noqa: ANN001
    def post(email: str, password: str = PASSWORD, **fields: str) -> object:
        return client.post("/login", data={"email": email, "password": password, **fields})

    return post


@contextmanager
def _tokens_made_ago(seconds: int) -> Iterator[None]:
    original = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: original(self) - seconds
    try:
        yield
    finally:
        TimestampSigner.get_timestamp = original


@pytest.fixture
def tokens_made_ago() -> Callable[[int], object]:
    """`with tokens_made_ago(s):` signs tokens as if it were `s` seconds ago."""
    return _tokens_made_ago


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """A second app on the suite's database, with some settings changed.

    Flask-Limiter reads RATELIMIT_* once, when the app is made, so rate limit
    tests need an app of their own.
    """
    from config import TestingConfig
    from jetaa import create_app
    from jetaa.extensions import db

    made: list[Flask] = []

    def make(**settings: object) -> Flask:
        config = type("Config", (TestingConfig,), {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_FILE_DIR": app.config["MAIL_FILE_DIR"],
            "SERVER_NAME": app.config["SERVER_NAME"],
            **settings,
        })
        other = create_app(config)
        other.test_client_class = app.test_client_class
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()
