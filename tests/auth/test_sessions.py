"""Logging out ends the session on the server; "sign out everywhere" ends them all."""

import sqlalchemy as sa

from jetaa.auth.models import LoginSession


def _copy_cookies(app, source):  # noqa: ANN001, ANN202
    """Another browser holding the same cookies (as an attacker who copied them would)."""
    copy = app.test_client()
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name, domain="jetaa.test")
        if cookie is not None:
            copy.set_cookie(name, cookie.value, domain="jetaa.test")
    return copy


def test_a_cookie_copied_before_logout_no_longer_signs_in(app, client, log_in, make_user, db):
    make_user(email="sam@example.com")
    log_in("sam@example.com")
    assert client.get("/account").status_code == 200
    copied = _copy_cookies(app, client)
    assert copied.get("/account").status_code == 200
    client.post("/logout")
    assert copied.get("/account").status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 0


def test_a_remember_cookie_copied_before_logout_no_longer_signs_in(app, client, log_in,
                                                                     make_user):
    make_user(email="rem@example.com")
    log_in("rem@example.com", remember="y")
    copied = _copy_cookies(app, client)
    copied.delete_cookie("session", domain="jetaa.test")  # only the long-lived cookie
    assert copied.get("/account").status_code == 200
    client.post("/logout")
    copied.delete_cookie("session", domain="jetaa.test")
    assert copied.get("/account").status_code == 302


def test_logging_out_of_one_browser_keeps_the_others(app, log_in, make_user):
    make_user(email="two@example.com")
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.post("/login", data={"email": "two@example.com",
                                     "password": "correct horse battery staple"})
    first.post("/logout")
    assert first.get("/account").status_code == 302
    assert second.get("/account").status_code == 200


def test_sign_out_everywhere_ends_every_session(app, make_user, db):
    user = make_user(email="all@example.com")
    browsers = [app.test_client() for _ in range(3)]
    for browser in browsers:
        browser.post("/login", data={"email": "all@example.com",
                                     "password": "correct horse battery staple"})
    assert "Sign out everywhere" in browsers[0].get("/account").get_data(as_text=True)
    response = browsers[0].post("/account/sign-out-everywhere")
    assert response.headers["Location"].endswith("/login")
    assert [b.get("/account").status_code for b in browsers] == [302, 302, 302]
    assert db.scalar(sa.select(sa.func.count()).select_from(LoginSession)
                     .where(LoginSession.user_id == user.id)) == 0


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, make_user):
    make_user(email="pw@example.com")
    here, there = app.test_client(), app.test_client()
    for browser in (here, there):
        browser.post("/login", data={"email": "pw@example.com",
                                     "password": "correct horse battery staple"})
    here.post("/account/password", data={"current_password": "correct horse battery staple",
                                         "password": "a brand new passphrase",
                                         "confirm": "a brand new passphrase"})
    assert here.get("/account").status_code == 200
    assert there.get("/account").status_code == 302


def test_a_cookie_of_the_old_two_part_form_is_refused(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_token}"
    assert client.get("/account").status_code == 302
