"""The sessions list names a place for each address: a country in the reader's language,
"Local network" for private and loopback addresses, nothing when it cannot be told."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jetaa.auth.models import LoginSession
from jetaa.security.places import place_of
from tests.conftest import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(("address", "english", "japanese"), [
    ("1.0.16.1", "Japan", "日本"),  # APNIC, allocated to Japan
    ("133.242.0.1", "Japan", "日本"),
    ("8.8.8.8", "United States", "アメリカ合衆国"),
    ("193.0.6.139", "Netherlands", "オランダ"),  # RIPE NCC
    ("2001:4860:4860::8888", "United States", "アメリカ合衆国"),
    ("::ffff:1.0.16.1", "Japan", "日本"),  # IPv4 seen through an IPv6 socket
])
def test_a_public_address_is_named_by_its_country(app, address, english, japanese):
    with app.test_request_context():
        with force_locale("en"):
            assert place_of(address) == english
        with force_locale("ja"):
            assert place_of(address) == japanese


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.1.2.3", "172.20.0.5",
                                     "192.168.1.10", "fd12:3456::1", "fe80::1", "169.254.1.1"])
def test_private_and_loopback_addresses_are_the_local_network(app, address):
    with app.test_request_context():
        with force_locale("en"):
            assert place_of(address) == "Local network"
        with force_locale("ja"):
            assert place_of(address) == "ローカルネットワーク"


@pytest.mark.parametrize("address", [
    None, "", "not an address", "1.2.3", "192.0.2.1",  # documentation range
    "2001:db8::1", "100.64.0.1",  # carrier-grade NAT (VPNs too): could be anywhere
    "240.0.0.1", "0.0.0.0", "224.0.0.1",  # noqa: S104  reserved, unspecified, multicast
    "2c0f:ffff:ffff::1",  # a public range no registry has allocated
])
def test_nothing_is_said_when_the_place_cannot_be_told(app, address):
    with app.test_request_context(), force_locale("en"):
        assert place_of(address) == ""


def test_the_sessions_list_shows_the_place_beside_the_address(app, make_user, db):
    user = make_user()
    for address in ("1.0.16.1", "192.168.1.10", "192.0.2.1"):
        app.test_client().post("/login", data={"email": user.email, "password": PASSWORD},
                               headers={"User-Agent": FIREFOX},
                               environ_overrides={"REMOTE_ADDR": address})
    assert {s.ip_address for s in db.scalars(sa.select(LoginSession))} == {
        "1.0.16.1", "192.168.1.10", "192.0.2.1"}
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD},
                 headers={"User-Agent": FIREFOX})
    page = browser.get("/account/security").get_data(as_text=True)
    assert "Japan (address 1.0.16.1)" in page
    assert "Local network (address 192.168.1.10)" in page
    assert "Address 192.0.2.1 ·" in page  # unknown: the address alone
    assert "Local network (address 127.0.0.1)" in page
    japanese = browser.get("/account/security", headers={"Accept-Language": "ja"})
    assert "日本" in japanese.get_data(as_text=True)


def test_admins_see_the_places_of_a_members_sessions(app, make_user, login_as, world, db):
    member = world.users["member"]
    member.password_hash = make_user().password_hash
    db.commit()
    app.test_client().post("/login", data={"email": member.email, "password": PASSWORD},
                           environ_overrides={"REMOTE_ADDR": "193.0.6.139"})
    page = login_as(world.users["admin"]).get(f"/admin/users/{member.id}/security")
    assert "Netherlands (address 193.0.6.139)" in page.get_data(as_text=True)
