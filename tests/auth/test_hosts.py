"""A forged Host header changes nothing that others receive: links come from PUBLIC_URL,
production refuses other hosts, and behind a proxy the client's own address counts."""

import pytest

from tests.conftest import PASSWORD


def test_a_forged_host_does_not_reach_the_reset_link(client, make_user, outbox):
    user = make_user(email="victim@example.com")
    client.post("/forgot-password", data={"email": user.email}, headers={"Host": "evil.example"})
    [message] = outbox()
    assert "http://jetaa.test/reset-password/" in message.body_text
    assert "evil.example" not in message.body_text + message.body_html


@pytest.fixture
def trusted_app(make_app):  # noqa: ANN001, ANN201
    return make_app(TRUSTED_HOSTS=["jetaa.test"], SERVER_NAME=None)


def test_requests_for_another_host_are_refused(trusted_app):
    client = trusted_app.test_client()
    assert client.get("/about", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/about", headers={"Host": "jetaa.test"}).status_code == 200


def test_without_trusted_proxies_a_forwarded_address_is_ignored(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute")
    client = app.test_client()
    statuses = [client.post("/login", data={"email": f"x{i}@example.com", "password": "nope!"},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 429], "a forged X-Forwarded-For must not dodge the limit"


def test_behind_a_trusted_proxy_each_client_has_its_own_address_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", TRUSTED_PROXIES=1)
    client = app.test_client()

    def attempt(address: str, n: int) -> int:
        return client.post("/login", data={"email": f"y{n}@example.com", "password": "nope!"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.1", n) for n in range(3)] == [200, 200, 429]
    assert attempt("203.0.113.2", 9) == 200


def test_forty_alumni_on_one_wifi_can_all_sign_in(make_app, make_user):
    """The per-address limit is loose; guessing is stopped per account instead."""
    app = make_app(RATELIMIT_ENABLED=True)
    people = [make_user(email=f"alum{n}@example.com") for n in range(40)]
    statuses = []
    for person in people:
        browser = app.test_client()
        statuses.append(browser.post("/login", data={"email": person.email,
                                                     "password": PASSWORD}).status_code)
    assert statuses == [302] * 40


def test_failed_attempts_are_limited_per_account_whatever_the_address(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1,
                   RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    make_user(email="target@example.com")
    client = app.test_client()

    def attempt(n: int, password: str = "wrong guess!", email: str = "target@example.com") -> int:
        return client.post("/login", data={"email": email, "password": password},
                           headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code

    assert [attempt(n) for n in range(3)] == [200, 200, 200]
    assert attempt(4) == 429
    assert attempt(5, email=" TARGET@example.com") == 429, "the address as accounts store it"
    assert attempt(6, PASSWORD) == 429, "locked for the minute, even with the password"
    assert attempt(7, email="someone.else@example.com") == 200


def test_signing_in_does_not_use_up_the_account_limit(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    make_user(email="often@example.com")
    statuses = [app.test_client().post("/login", data={"email": "often@example.com",
                                                        "password": PASSWORD}).status_code
                for _ in range(4)]
    assert statuses == [302] * 4
