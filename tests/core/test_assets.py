"""Static files at content-hashed addresses, cached for a year; compressed responses."""

import gzip
import hashlib
from pathlib import Path

from flask import url_for

STATIC = Path(__file__).resolve().parents[2] / "static"


def _digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def test_static_addresses_carry_the_hash_of_the_file(app):
    with app.test_request_context():
        address = url_for("static", filename="css/site.css")
    assert address == f"/static/css/site.css?v={_digest('css/site.css')}"


def test_the_layout_links_the_hashed_stylesheet(client):
    page = client.get("/about").get_data(as_text=True)
    assert f"/static/css/site.css?v={_digest('css/site.css')}" in page
    assert f"/static/js/site.js?v={_digest('js/site.js')}" in page


def test_the_current_hash_is_cached_for_a_year(client):
    response = client.get(f"/static/css/site.css?v={_digest('css/site.css')}")
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public
    assert response.cache_control.immutable


def test_an_old_or_missing_hash_is_revalidated(client):
    for address in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(address)
        assert response.status_code == 200
        assert response.cache_control.no_cache
        assert not response.cache_control.immutable
        assert response.cache_control.max_age is None
        etag = response.headers["ETag"]
        assert client.get(address, headers={"If-None-Match": etag}).status_code == 304


def test_a_missing_file_is_a_404_without_a_hash(app, client):
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
    with app.test_request_context():
        assert url_for("static", filename="css/nothing.css") == "/static/css/nothing.css"


def test_pages_are_compressed_for_browsers_that_ask(client):
    plain = client.get("/about")
    assert "Content-Encoding" not in plain.headers
    zipped = client.get("/about", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data).decode() == plain.get_data(as_text=True)
