"""Login and reset are rate limited: in process memory, or in Redis when REDIS_URL is set.

Flask-Limiter reads its settings when the app is made, so each test makes its own app.
"""


from jetaa.auth.services import _issue_link
from jetaa.extensions import db
from tests.conftest import TEST_REDIS_URL, signed_in_id

LIMITS = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute",
          "RATELIMIT_RESET": "2 per minute"}



def _login(client):  # noqa: ANN001, ANN202
    return client.post("/login", data={"email": "nobody@example.com", "password": "wrong guess!"})


def test_login_posts_are_limited_in_memory(make_app):
    app = make_app(**LIMITS)
    assert app.extensions["limiter"]
    client = app.test_client()
    assert [_login(client).status_code for _ in range(3)] == [200, 200, 200]
    response = _login(client)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/login").status_code == 200, "only POSTs count"


def test_reset_posts_are_limited(make_app, make_user):
    app = make_app(**LIMITS)
    user = make_user()
    client = app.test_client()
    statuses = [client.post("/forgot-password", data={"email": "x@example.com"}).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429]
    with app.test_request_context():
        token = _issue_link(user, "reset", 3600)
        db.session.commit()
    statuses = [client.post(f"/reset-password/{token}", data={}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_registering_and_account_changes_are_limited(make_app, make_user):
    app = make_app(**LIMITS)
    client = app.test_client()
    statuses = [client.post("/register", data={"email": f"r{i}@example.com"}).status_code
                for i in range(3)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:2]
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_id(user)
    for url in ("/account/password", "/account/email"):
        statuses = [client.post(url, data={"current_password": "wrong"}).status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429], url


def test_limits_are_off_in_the_test_configuration(client):
    assert {_login(client).status_code for _ in range(12)} == {200}


def test_limits_live_in_redis_when_redis_url_is_set(make_app, redis_db):
    app = make_app(REDIS_URL=TEST_REDIS_URL, **LIMITS)
    assert app.config["RATELIMIT_STORAGE_URI"] == TEST_REDIS_URL
    client = app.test_client()
    assert [_login(client).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert any(b"login" in key for key in redis_db.keys("*")), redis_db.keys("*")
    # Another process (here: another app) shares the count.
    other = make_app(REDIS_URL=TEST_REDIS_URL, **LIMITS).test_client()
    assert _login(other).status_code == 429
