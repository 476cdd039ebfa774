"""Register, confirm, log in and out, reset, change password and e-mail: through the views."""

import base64
import hashlib
import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import AccountToken, User
from jetaa.auth.passwords import verify_password
from jetaa.auth.services import address_tag, confirmation_token
from jetaa.auth.tokens import make_token
from jetaa.db import utcnow
from tests.auth.conftest import NEW_PASSWORD, link_path
from tests.conftest import PASSWORD, ROLES

INDEX = "/"


def flashes(client) -> list[tuple[str, str]]:  # noqa: ANN001
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def logged_in_id(client) -> str | None:  # noqa: ANN001
    """The account part of the signed-in id ("<id>:<token>", without the session id)."""
    with client.session_transaction() as session:
        value = session.get("_user_id")
    return value.rsplit(":", 1)[0] if value else None


def users(db) -> list[User]:  # noqa: ANN001
    return list(db.scalars(sa.select(User).order_by(User.id)))


def templates(outbox) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(m.template, m.to_address) for m in outbox()]


# --- register -------------------------------------------------------------------------------


def test_register_creates_an_unconfirmed_account_and_mails_a_link(register, db, outbox):
    response = register(name="  Rita Register ", email="rita@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/check-email"
    [user] = users(db)
    assert (user.name, user.email, user.locale) == ("Rita Register", "rita@example.com", "en")
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    assert templates(outbox) == [("confirm_email", "rita@example.com")]
    assert link_path(outbox()[0], "/confirm/").startswith("/confirm/")


def test_register_normalises_the_address(register, db):
    assert register(email=" Rita@Example.COM ").status_code == 302
    assert [u.email for u in users(db)] == ["rita@example.com"]


def _without_token(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', page)


def test_register_with_a_taken_address_answers_like_a_new_one(client, register, make_user, db,
                                                              outbox):
    new = register(email="new@example.com")
    new_flashes = flashes(client)
    new_page = client.get(new.headers["Location"]).get_data(as_text=True)
    owner = make_user("Olive Owner", "taken@example.com")
    hash_before = owner.password_hash
    db.query(type(outbox()[0])).delete()
    db.commit()

    taken = register(name="Mallory", email="Taken@Example.com ", password="another long secret",
                     confirm="another long secret")
    assert (taken.status_code, taken.headers["Location"]) == (new.status_code,
                                                              new.headers["Location"])
    assert flashes(client) == new_flashes
    # The pages match but for the CSRF token, which is signed with the time (a second may pass).
    assert _without_token(client.get(taken.headers["Location"]).get_data(as_text=True)) == \
        _without_token(new_page)
    db.refresh(owner)
    assert (owner.name, owner.password_hash) == ("Olive Owner", hash_before)
    assert len(users(db)) == 2
    assert templates(outbox) == [("already_registered", "taken@example.com")]
    assert "/forgot-password" in outbox()[0].body_text


def test_register_bad_input_rerenders_with_messages_and_keeps_what_was_typed(register, db,
                                                                            outbox):
    response = register(name="Rita Register", email="not-an-address", password="short",
                        confirm="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please correct the marked fields." in page
    assert "Invalid email address." in page
    assert "Use at least 10 characters." in page
    assert 'value="Rita Register"' in page
    assert 'value="not-an-address"' in page
    assert 'value="short"' not in page
    assert users(db) == []
    assert outbox() == []


@pytest.mark.parametrize(("password", "message"), [
    ("nine char", "Use at least 10 characters."),
    ("qwertyuiop", "This password is too common."),
    ("1234567890", "This password is too common."),
    ("rita@example.com", "Do not use your e-mail address as your password."),
    ("RITA.REGISTER", "Do not use your e-mail address as your password."),
    ("Rita Register", "Do not use your name as your password."),
])
def test_register_refuses_weak_passwords(register, db, password, message):
    response = register(email="rita.register@example.com" if "." in password and "@" not in password
                        else "rita@example.com", password=password, confirm=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert users(db) == []


def test_register_refuses_different_repeated_password(register, db):
    response = register(confirm=PASSWORD + "!")
    assert "The passwords differ." in response.get_data(as_text=True)
    assert users(db) == []


def test_register_when_logged_in_goes_home(login_as, make_user, db):
    client = login_as(make_user())
    response = client.post("/register", data={"name": "X", "email": "x@example.com",
                                              "password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"] == INDEX
    assert len(users(db)) == 1


# --- confirm --------------------------------------------------------------------------------


def test_confirm_link_confirms_once(client, register, db, outbox):
    register()
    path = link_path(outbox()[0], "/confirm/")
    response = client.get(path)
    assert response.headers["Location"] == "/login"
    assert flashes(client)[-1][0] == "success"
    [user] = users(db)
    confirmed_at = user.email_confirmed_at
    assert confirmed_at is not None

    again = client.get(path)
    assert again.headers["Location"] == "/login"
    assert flashes(client)[-1][0] == "error"
    db.refresh(user)
    assert user.email_confirmed_at == confirmed_at


def test_confirm_link_expires_after_three_days(app, client, make_user, db, tokens_made_ago):
    user = make_user(confirmed=False)
    max_age = app.config["CONFIRM_TOKEN_MAX_AGE"]
    with app.test_request_context():
        with tokens_made_ago(max_age + 5):
            old = confirmation_token(user)
        with tokens_made_ago(max_age - 60):
            recent = confirmation_token(user)
    client.get(f"/confirm/{old}")
    db.refresh(user)
    assert user.email_confirmed_at is None
    client.get(f"/confirm/{recent}")
    db.refresh(user)
    assert user.email_confirmed_at is not None


def _forged_tokens(app, user: User) -> dict[str, str]:
    from itsdangerous import URLSafeTimedSerializer

    with app.test_request_context():
        good = confirmation_token(user)
        return {
            "tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
            "other key": URLSafeTimedSerializer("not-our-key", salt="jetaa.confirm").dumps(
                {"uid": user.id, "email": user.email}),
            "reset purpose": make_token("reset", {"uid": user.id, "email": user.email}),
            "change-email purpose": make_token("change-email", {"uid": user.id,
                                                                "email": user.email}),
            "other address": make_token("confirm", {"uid": user.id,
                                                    "addr": address_tag("x@example.com")}),
            "readable address (old form)": make_token("confirm", {"uid": user.id,
                                                                  "email": user.email}),
            "not a dict": make_token("confirm", [user.id, user.email]),
            "garbage": "not-a-token",
        }


@pytest.mark.parametrize("kind", ["tampered", "other key", "reset purpose", "change-email purpose",
                                  "other address", "readable address (old form)", "not a dict",
                                  "garbage"])
def test_forged_or_wrong_purpose_confirm_tokens_are_refused(app, client, make_user, db, kind):
    user = make_user(confirmed=False)
    token = _forged_tokens(app, user)[kind]
    response = client.get(f"/confirm/{token}")
    assert response.status_code == 302
    assert flashes(client)[-1][0] == "error"
    db.refresh(user)
    assert user.email_confirmed_at is None


# --- log in ---------------------------------------------------------------------------------


def test_login_starts_a_session_without_remember_cookie(client, log_in, make_user, db):
    user = make_user(email="lou@example.com")
    response = log_in("LOU@example.com ")
    assert response.headers["Location"] == INDEX
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]
    assert client.get_cookie("remember_token", domain="jetaa.test") is None
    db.refresh(user)
    assert user.last_login_at is not None
    assert client.get("/account").status_code == 200


def test_remember_me_sets_a_lasting_cookie_that_logs_back_in(client, log_in, make_user):
    user = make_user(email="lou@example.com")
    response = log_in("lou@example.com", remember="y")
    cookie = client.get_cookie("remember_token", domain="jetaa.test")
    assert cookie is not None
    assert cookie.expires is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    header = next(h for h in response.headers.getlist("Set-Cookie") if "remember_token" in h)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    # The browser is closed: only the remember cookie is left.
    client.delete_cookie("session", domain="jetaa.test")
    assert client.get("/account").status_code == 200
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]


def test_login_of_an_unconfirmed_account_sends_a_new_link(client, log_in, make_user, outbox):
    make_user(email="una@example.com", confirmed=False)
    response = log_in("una@example.com")
    assert response.status_code == 200
    assert logged_in_id(client) is None
    assert flashes(client) == [] or flashes(client)[-1][0] == "info"
    assert "Please confirm your e-mail address first" in response.get_data(as_text=True)
    assert templates(outbox) == [("confirm_email", "una@example.com")]


def test_wrong_password_and_unknown_address_answer_the_same(client, log_in, make_user, outbox):
    make_user(email="known@example.com")
    wrong = log_in("known@example.com", "not the right password")
    unknown = log_in("nobody@example.com", "not the right password")
    assert wrong.status_code == unknown.status_code == 200
    assert (wrong.get_data(as_text=True).replace("known@", "X@")
            == unknown.get_data(as_text=True).replace("nobody@", "X@"))
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert logged_in_id(client) is None
    assert outbox() == []


def test_login_of_a_deleted_account_is_refused(client, log_in, make_user, db):
    from jetaa.db import utcnow

    user = make_user(email="gone@example.com")
    user.deleted_at = utcnow()
    db.commit()
    response = log_in("gone@example.com")
    assert response.status_code == 200
    assert logged_in_id(client) is None


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "http://evil.example/branches",
    "javascript:alert(1)", "/\t/evil.example", "\t//evil.example", "/%09/evil.example",
    "///evil.example", "https:evil.example",
])
def test_login_next_never_leaves_the_site(client, log_in, make_user, target):
    make_user(email="lou@example.com")
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert 'name="next"' in page
    response = log_in("lou@example.com", next=target)
    assert response.status_code == 302
    resolved = urlsplit(urljoin("http://jetaa.test/login", response.headers["Location"]))
    assert (resolved.scheme, resolved.netloc) == ("http", "jetaa.test")
    assert "evil.example" not in resolved.netloc
    assert resolved.path in ("/", "/%09/evil.example")


def test_login_follows_a_next_on_this_site(client, log_in, make_user):
    make_user(email="lou@example.com")
    page = client.get("/login?next=/branches").get_data(as_text=True)
    assert 'value="/branches"' in page
    response = log_in("lou@example.com", next="/branches")
    assert response.headers["Location"] == "/branches"


def test_a_page_for_members_sends_visitors_to_log_in_and_back(client, log_in, make_user):
    make_user(email="lou@example.com")
    response = client.get("/account")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert urlsplit(login_url).path == "/login"
    page = client.get(login_url).get_data(as_text=True)
    assert 'value="/account"' in page
    assert log_in("lou@example.com", next="/account").headers["Location"] == "/account"


# --- log out --------------------------------------------------------------------------------


def test_logout_is_post_only(login_as, make_user):
    user = make_user()
    client = login_as(user)
    assert client.get("/logout").status_code == 405
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]
    response = client.post("/logout")
    assert response.headers["Location"] == INDEX
    assert logged_in_id(client) is None
    assert client.get("/account").status_code == 302


def test_logout_forgets_the_remember_cookie(client, log_in, make_user):
    make_user(email="lou@example.com")
    log_in("lou@example.com", remember="y")
    assert client.get_cookie("remember_token", domain="jetaa.test") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token", domain="jetaa.test") is None
    client.delete_cookie("session", domain="jetaa.test")
    assert client.get("/account").status_code == 302


# --- forgot and reset -----------------------------------------------------------------------


def test_forgot_password_answers_the_same_for_unknown_addresses(client, make_user, outbox):
    make_user(email="known@example.com")
    known = client.post("/forgot-password", data={"email": "Known@example.com"})
    known_flashes = flashes(client)
    client.get("/login")  # show (and so clear) the flash
    unknown = client.post("/forgot-password", data={"email": "nobody@example.com"})
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code,
                                                              unknown.headers["Location"])
    assert flashes(client) == known_flashes
    assert templates(outbox) == [("reset_password", "known@example.com")]


def _reset_link(client, outbox, email: str) -> str:  # noqa: ANN001
    client.post("/forgot-password", data={"email": email})
    return link_path(outbox()[-1], "/reset-password/")


def test_reset_sets_the_password_once_and_ends_other_sessions(app, client, log_in, make_user, db,
                                                              outbox):
    user = make_user(email="rae@example.com")
    other = app.test_client()
    other.post("/login", data={"email": "rae@example.com", "password": PASSWORD, "remember": "y"})
    assert other.get("/account").status_code == 200
    token_before = user.session_token

    path = _reset_link(client, outbox, "rae@example.com")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/login"
    db.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user.session_token != token_before
    assert templates(outbox)[-1] == ("password_changed", "rae@example.com")
    assert db.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_id == user.id)) == (
        "account.password_changed")

    assert other.get("/account").status_code == 302
    other.delete_cookie("session", domain="jetaa.test")
    assert other.get("/account").status_code == 302, "the remember cookie died too"

    again = client.get(path)
    assert again.headers["Location"] == "/forgot-password"
    assert client.post(path, data={"password": "yet another passphrase",
                                   "confirm": "yet another passphrase"}).status_code == 302
    db.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert log_in("rae@example.com", PASSWORD).status_code == 200
    assert log_in("rae@example.com", NEW_PASSWORD).headers["Location"] == INDEX


def test_reset_link_expires_after_two_hours(app, client, make_user, db, outbox):
    user = make_user(email="rae@example.com")
    client.post("/forgot-password", data={"email": "rae@example.com"})
    path = link_path(outbox()[-1], "/reset-password/")
    row = db.scalar(sa.select(AccountToken))
    lifetime = (row.expires_at - row.created_at).total_seconds()
    assert abs(lifetime - app.config["RESET_TOKEN_MAX_AGE"]) < 1
    row.expires_at = utcnow() - timedelta(seconds=5)
    db.commit()
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/forgot-password"
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_reset_and_change_links_hold_a_random_value_stored_hashed(app, client, make_user, db,
                                                                  outbox, login_as):
    user = make_user(email="rae@example.com")
    client.post("/forgot-password", data={"email": "rae@example.com"})
    token = link_path(outbox()[-1], "/reset-password/").rsplit("/", 1)[1]
    login_as(user).post("/account/email", data={"email": "new.rae@example.com",
                                                "current_password": PASSWORD})
    change = link_path(outbox()[-1], "/account/email/").rsplit("/", 1)[1]
    for value in (token, change):
        assert len(value) >= 43
        assert "rae" not in base64.urlsafe_b64decode(value + "==").decode("latin-1")
        assert user.session_token[:12] not in value
    stored = set(db.scalars(sa.select(AccountToken.token_hash)))
    assert stored == {hashlib.sha256(token.encode()).hexdigest(),
                      hashlib.sha256(change.encode()).hexdigest()}


def test_the_confirmation_link_shows_no_address(app, client, register, outbox, db):
    import json

    from itsdangerous import URLSafeTimedSerializer

    register(email="rita.register@example.com")
    token = link_path(outbox()[-1], "/confirm/").rsplit("/", 1)[1]
    _valid, payload = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="jetaa.confirm").loads_unsafe(token)
    assert set(payload) == {"uid", "addr"}
    assert "rita" not in json.dumps(payload)
    client.get(f"/confirm/{token}")
    assert users(db)[0].email_confirmed_at is not None


def test_a_confirm_token_is_no_reset_token(app, client, make_user, db):
    user = make_user(email="rae@example.com")
    with app.test_request_context():
        token = make_token("confirm", {"uid": user.id, "fp": user.session_token[:12]})
    client.post(f"/reset-password/{token}", data={"password": NEW_PASSWORD,
                                                  "confirm": NEW_PASSWORD})
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


@pytest.mark.parametrize(("password", "message"), [
    ("short", "Use at least 10 characters."),
    ("qwertyuiop", "too common"),
    ("rae@example.com", "Do not use your e-mail address"),
    ("Rae Resetter", "Do not use your name"),
])
def test_reset_refuses_weak_passwords(client, make_user, db, outbox, password, message):
    user = make_user("Rae Resetter", "rae@example.com")
    path = _reset_link(client, outbox, "rae@example.com")
    response = client.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_reset_confirms_an_unconfirmed_address(client, make_user, db, outbox):
    user = make_user(email="una@example.com", confirmed=False)
    path = _reset_link(client, outbox, "una@example.com")
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db.refresh(user)
    assert user.email_confirmed_at is not None


# --- change password ------------------------------------------------------------------------


def test_change_password_needs_the_current_one(login_as, make_user, db, outbox):
    user = make_user()
    client = login_as(user)
    response = client.post("/account/password", data={
        "current_password": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    assert outbox() == []


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, log_in, make_user,
                                                                db, outbox):
    user = make_user("Cam Change", "cam@example.com")
    log_in("cam@example.com")
    other = app.test_client()
    other.post("/login", data={"email": "cam@example.com", "password": PASSWORD})
    assert other.get("/account").status_code == 200

    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/account"
    db.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert templates(outbox) == [("password_changed", "cam@example.com")]


@pytest.mark.parametrize(("password", "message"), [
    ("cam@example.com", "Do not use your e-mail address"),
    ("Cam Change", "Do not use your name"),
    ("qwertyuiop", "too common"),
])
def test_change_password_refuses_weak_passwords(login_as, make_user, db, password, message):
    user = make_user("Cam Change", "cam@example.com")
    response = login_as(user).post("/account/password", data={
        "current_password": PASSWORD, "password": password, "confirm": password})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


# --- change e-mail --------------------------------------------------------------------------


def _ask_for_email_change(client, new: str, password: str = PASSWORD):  # noqa: ANN001, ANN202
    return client.post("/account/email", data={"email": new, "current_password": password})


def test_change_email_is_confirmed_at_the_new_address_and_told_to_the_old(login_as, make_user, db,
                                                                          outbox):
    user = make_user(email="old@example.com")
    client = login_as(user)
    response = _ask_for_email_change(client, "New@Example.com")
    assert response.headers["Location"] == "/account"
    db.refresh(user)
    assert user.email == "old@example.com"
    assert templates(outbox) == [("change_email", "new@example.com")]

    path = link_path(outbox()[0], "/account/email/")
    response = client.get(path)
    assert response.headers["Location"] == "/account"
    db.refresh(user)
    assert user.email == "new@example.com"
    assert templates(outbox)[1:] == [("email_changed", "old@example.com")]
    assert "new@example.com" in outbox()[1].body_text
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.email_changed"))
    assert entry.payload == {"old": "old@example.com", "new": "new@example.com"}

    assert client.get(path).status_code == 302
    assert flashes(client)[-1][0] == "error"
    assert len(outbox()) == 2


def test_change_email_to_a_taken_address_changes_nothing_and_tells_nothing(login_as, make_user, db,
                                                                          outbox):
    user = make_user(email="me@example.com")
    make_user(email="taken@example.com")
    client = login_as(user)
    free = _ask_for_email_change(client, "free@example.com")
    free_flash = flashes(client)[-1][1].replace("free@", "X@")
    client.get("/account")
    taken = _ask_for_email_change(client, "taken@example.com")
    assert (taken.status_code, taken.headers["Location"]) == (free.status_code,
                                                              free.headers["Location"])
    assert flashes(client)[-1][1].replace("taken@", "X@") == free_flash
    db.refresh(user)
    assert user.email == "me@example.com"
    assert templates(outbox) == [("change_email", "free@example.com"),
                                 ("email_taken", "taken@example.com")]
    assert "me@example.com" not in outbox()[1].body_text


def test_change_email_needs_the_current_password(login_as, make_user, db, outbox):
    user = make_user(email="me@example.com")
    response = _ask_for_email_change(login_as(user), "new@example.com", "wrong password")
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)
    assert outbox() == []


def test_change_email_link_is_refused_once_the_address_is_taken(login_as, make_user, db, outbox):
    user = make_user(email="me@example.com")
    client = login_as(user)
    _ask_for_email_change(client, "new@example.com")
    path = link_path(outbox()[0], "/account/email/")
    make_user(email="new@example.com")
    client.get(path)
    db.refresh(user)
    assert user.email == "me@example.com"
    assert flashes(client)[-1][0] == "error"


def test_change_email_link_dies_when_the_password_changes(login_as, make_user, db, outbox):
    """After a break-in, a reset must also kill the intruder's pending address change."""
    user = make_user(email="me@example.com")
    client = login_as(user)
    _ask_for_email_change(client, "intruder@example.com")
    path = link_path(outbox()[0], "/account/email/")
    client.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.get(path)
    db.refresh(user)
    assert user.email == "me@example.com"
    assert flashes(client)[-1][0] == "error"


def test_change_email_link_expires(app, client, make_user, db, login_as, outbox):
    user = make_user(email="me@example.com")
    login_as(user).post("/account/email", data={"email": "new@example.com",
                                                "current_password": PASSWORD})
    path = link_path(outbox()[-1], "/account/email/")
    db.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=5)))
    db.commit()
    client.get(path)
    db.refresh(user)
    assert user.email == "me@example.com"


# --- CSRF and cookies -----------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused_kindly(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user(email="lou@example.com")
    response = client.post("/login", data={"email": "lou@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert logged_in_id(client) is None

    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": "lou@example.com", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.headers["Location"] == INDEX
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]
    assert client.post("/logout").status_code == 400
    assert logged_in_id(client) == user.get_id().rsplit(':', 1)[0]


def test_session_cookie_is_httponly_and_samesite_lax(client, log_in, make_user):
    make_user(email="lou@example.com")
    response = log_in("lou@example.com")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        ProductionConfig()


def test_production_cookies_are_secure(app, monkeypatch, make_user):
    from config import ProductionConfig
    from jetaa import create_app

    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("PUBLIC_URL", "https://localhost")
    production = create_app(ProductionConfig)
    assert production.config["SECRET_KEY"] == "s3cret"
    production.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    make_user(email="lou@example.com")
    client = production.test_client()
    response = client.post("/login", data={"email": "lou@example.com", "password": PASSWORD,
                                           "remember": "y"}, base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for header in cookies:
        assert "Secure" in header
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
    from jetaa.extensions import db as _db

    with production.app_context():
        _db.engine.dispose()


# --- every role -----------------------------------------------------------------------------

ACCOUNT_PAGES = ["/account", "/account/password", "/account/email"]
VISITOR_PAGES = {"/login": "Log in", "/forgot-password": "Forgot your password?",
                 "/register/check-email": "Check your e-mail"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_by_role(world, login_as, role, path):
    user = world.users[role]
    response = login_as(user).get(path)
    if user is None:
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
    else:
        assert response.status_code == 200
        assert 'name="csrf_token"' in response.get_data(as_text=True) or path == "/account"
        if path == "/account":
            assert user.email in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "title"), VISITOR_PAGES.items())
def test_visitor_pages_by_role(world, login_as, role, path, title):
    response = login_as(world.users[role]).get(path)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_register_page_by_role(world, login_as, db, role):
    client = login_as(world.users[role])
    page = client.get("/register")
    posted = client.post("/register", data={"name": "New Person", "email": "new@example.com",
                                            "password": PASSWORD, "confirm": PASSWORD})
    created = db.scalar(sa.select(User).where(User.email == "new@example.com"))
    if role == "anonymous":
        assert page.status_code == 200
        assert posted.headers["Location"] == "/register/check-email"
        assert created is not None
    else:
        assert page.headers["Location"] == posted.headers["Location"] == INDEX
        assert created is None


# --- CSRF on every account form -------------------------------------------------------------

CSRF_POSTS = {
    "/register": {"name": "New Person", "email": "new@example.com", "password": PASSWORD,
                  "confirm": PASSWORD},
    "/login": {"email": "lou@example.com", "password": PASSWORD},
    "/logout": {},
    "/forgot-password": {"email": "lou@example.com"},
    "/account/password": {"current_password": PASSWORD, "password": NEW_PASSWORD,
                          "confirm": NEW_PASSWORD},
    "/account/email": {"email": "new@example.com", "current_password": PASSWORD},
}


@pytest.mark.parametrize(("path", "data"), CSRF_POSTS.items())
def test_every_account_form_needs_its_csrf_token(app, login_as, make_user, db, outbox, monkeypatch,
                                                 path, data):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user(email="lou@example.com")
    signed_in = path.startswith("/account") or path == "/logout"
    client = login_as(user if signed_in else None)
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Please go back, reload the page and try again." in response.get_data(as_text=True)
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    assert logged_in_id(client) == (user.get_id().rsplit(':', 1)[0] if signed_in else None)
    assert [u.email for u in users(db)] == ["lou@example.com"]
    assert outbox() == []


# --- language -------------------------------------------------------------------------------


def test_mail_is_written_in_the_language_of_the_page(client, db, outbox):
    client.post("/language", data={"language": "ja", "next": "/register"})
    client.post("/register", data={"name": "Kana", "email": "kana@example.com",
                                   "password": PASSWORD, "confirm": PASSWORD})
    [user] = users(db)
    assert user.locale == "ja"
    [message] = outbox()
    assert message.subject != "Confirm your e-mail address"
    assert any(ord(ch) > 0x3000 for ch in message.subject)
    assert 'lang="ja"' in message.body_html


def test_register_race_on_the_same_address_answers_as_for_a_known_one(client, db, monkeypatch,
                                                                       make_user, outbox):
    """Two sign-ups for one address at once: the loser gets the same page, not a 500."""
    from jetaa.auth import services

    original = services.find_user_by_email
    calls = {"n": 0}

    def not_yet_there(email):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 1:
            make_user(email="race@example.com")  # the other request commits first
            return None
        return original(email)

    monkeypatch.setattr(services, "find_user_by_email", not_yet_there)
    response = client.post("/register", data={"name": "Rae Race", "email": "race@example.com",
                                              "password": "a long enough passphrase",
                                              "confirm": "a long enough passphrase"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-email")
    assert [m.template for m in outbox()] == ["already_registered"]


def test_links_in_mail_use_public_url_not_the_request_host(app, client, make_user, outbox,
                                                           monkeypatch):
    """A forged Host header cannot put an attacker's address into a reset link."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://connect.jetaa.example")
    user = make_user(email="victim@example.com")
    client.post("/forgot-password", data={"email": user.email},
                headers={"Host": "evil.example"})
    [message] = outbox()
    assert "https://connect.jetaa.example/reset-password/" in message.body_text
    assert "evil.example" not in message.body_text


def test_production_trusts_only_the_public_host(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", "https://connect.jetaa.example")
    assert ProductionConfig().TRUSTED_HOSTS == ["connect.jetaa.example"]


def test_confirming_tells_clearly_to_log_in_or_goes_home_when_signed_in(client, register, db,
                                                                       outbox, log_in):
    register(email="rita@example.com")
    path = link_path(outbox()[0], "/confirm/")
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/login"
    assert "rita@example.com is confirmed. Log in below" in response.get_data(as_text=True)
    assert users(db)[0].email_confirmed_at is not None


def test_confirming_while_signed_in_goes_home(app, client, make_user, db, login_as):
    user = make_user("Una Unconfirmed", confirmed=False)
    with app.test_request_context():
        token = confirmation_token(user)
    response = login_as(user).get(f"/confirm/{token}")
    assert response.headers["Location"] == "/"
