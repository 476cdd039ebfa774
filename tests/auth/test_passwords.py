"""Argon2id hashing and the password policy (NIST 800-63B: length and a blocklist, no rules)."""

import pytest

from jetaa.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


def test_hashes_are_argon2id_with_the_configured_cost(app):
    password_hash = hash_password("correct horse battery staple")
    assert password_hash.startswith("$argon2id$")
    assert f"m={app.config['ARGON2_MEMORY_COST']},t={app.config['ARGON2_TIME_COST']}" in (
        password_hash)
    assert hash_password("correct horse battery staple") != password_hash, "salted"


def test_verify_password(app):
    password_hash = hash_password("correct horse battery staple")
    assert verify_password(password_hash, "correct horse battery staple")
    assert not verify_password(password_hash, "Correct horse battery staple")
    assert not verify_password(None, "correct horse battery staple")
    assert not verify_password("", "anything at all")
    assert not verify_password("not-a-hash", "anything at all")


def test_a_stronger_setting_asks_for_a_rehash(app, monkeypatch):
    password_hash = hash_password("correct horse battery staple")
    assert not needs_rehash(password_hash)
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", app.config["ARGON2_TIME_COST"] + 1)
    assert needs_rehash(password_hash)


def test_login_upgrades_an_old_hash(app, make_user, db, monkeypatch):
    from jetaa.auth.services import authenticate

    user = make_user(email="old@example.com")
    old_hash = user.password_hash
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", app.config["ARGON2_TIME_COST"] + 1)
    with app.test_request_context():
        assert authenticate("old@example.com", "correct horse battery staple").user is not None
    db.commit()
    db.refresh(user)
    assert user.password_hash != old_hash
    assert not needs_rehash(user.password_hash)


@pytest.mark.parametrize(("password", "expected"), [
    ("x" * 3 + "yz" * 3, "Use at least 10 characters."),  # 9 characters
    ("ab" * (MAX_LENGTH // 2) + "c", "Use at most 256 characters."),
    ("qwertyuiop", "This password is too common."),
    ("QWERTYUIOP", "This password is too common."),
    ("aaaaaaaaaaaa", "This password is too common."),
    ("abababababab", "This password is too common."),
])
def test_refused_passwords(app, password, expected):
    with app.test_request_context():
        assert password_problem(password).startswith(expected)


def test_the_address_and_the_name_are_refused(app):
    with app.test_request_context():
        assert password_problem("Kim.Lee@example.com", email="kim.lee@example.com") == (
            "Do not use your e-mail address as your password.")
        assert password_problem("kim.lee.jet", email="Kim.Lee.JET@example.com") == (
            "Do not use your e-mail address as your password.")
        assert password_problem("Kimberly Lee", name="kimberly lee") == (
            "Do not use your name as your password.")
        assert password_problem("kimberlylee", name="Kimberly Lee") == (
            "Do not use your name as your password.")


@pytest.mark.parametrize("password", [
    "a" * 3 + "bcdefghij",  # ten characters, letters only: no composition rules
    "tsuru kame okonomiyaki",
    "パスワードは長いほうがいい",
    "x" * (MIN_LENGTH - 3) + "yzw",
    "abc" * (MAX_LENGTH // 3) + "d",
])
def test_good_passwords_pass(app, password):
    with app.test_request_context():
        assert password_problem(password, email="kim@example.com", name="Kim Lee") is None


def test_the_common_list_holds_thousands_that_meet_the_length_rule_and_jet_words(app):
    from jetaa.auth.passwords import _common_passwords

    long_enough = [word for word in _common_passwords() if len(word) >= MIN_LENGTH]
    assert len(long_enough) >= 3000
    with app.test_request_context():
        for password in ("jetprogramme", "JETAA12345", "Konnichiwa123", "arigatougozaimasu",
                         "password123", "JETAANewYork", "hokkaido2025", "qwerty123456"):
            assert password_problem(password).startswith("This password is too common"), password
