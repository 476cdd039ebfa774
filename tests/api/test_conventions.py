"""What every endpoint shares: the document, JSON errors, pages and links, ISO times,
ETags, CORS only on public reads, no-store for tokens, the rate limit and its headers."""

from datetime import UTC, datetime, timedelta

import pytest

from jetaa.db import utcnow

PUBLIC = ["/api/v1/branches", "/api/v1/branches/home", "/api/v1/events", "/api/v1/events/{pub}"]


def test_the_document_describes_every_route_with_schemas(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    routes = {rule.rule.replace("<id:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith(("api_public.", "api_members.", "api_me.",
                                           "api_branches.", "api_activities.",
                                           "api_outreach."))}
    assert routes == set(spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            ok = operation["responses"][next(c for c in operation["responses"]
                                             if c.startswith("2"))]
            assert "schema" in ok["content"]["application/json"], (method, path)
    assert [t["name"] for t in spec["tags"]] == ["Public", "Directory", "Me", "Officers",
                                                 "Activities", "Outreach"]
    assert spec["paths"]["/api/v1/events"]["get"]["tags"] == ["Public"]
    error = spec["components"]["schemas"]["ApiError"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


@pytest.mark.parametrize(("method", "url", "status", "code"), [
    ("GET", "/api/v1/nothing-here", 404, "not_found"),
    ("GET", "/api/v1/events/99999999999", 404, "not_found"),
    ("POST", "/api/v1/branches", 405, "method_not_allowed"),
    ("GET", "/api/v1/events?per_page=101", 422, "invalid"),
    ("GET", "/api/v1/events?from=2026-02-30", 422, "invalid"),
    ("GET", "/api/v1/directory?year_from=1900", 401, "unauthorized"),
    ("GET", "/api/v1/events?category=parade", 422, "invalid"),
    ("GET", "/api/v1/events?page=0", 422, "invalid"),
    ("GET", "/api/v1/events?branch=nowhere", 404, "not_found"),
    ("GET", "/api/v1/me", 401, "unauthorized"),
    ("GET", "/api/v1/events?q=%00", 400, "bad_request"),
])
def test_errors_are_json_with_the_right_status(world, client, method, url, status, code):
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_invalid_fields_are_named(world, client):
    fields = client.get("/api/v1/events?per_page=500&from=soon").json["error"]["fields"]
    assert set(fields) == {"per_page", "from"}


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"event_id": "x"}', '{"guests": 1}'])
def test_a_bad_body_is_a_422_not_a_500(world, events, client, bearer, body):
    response = client.post("/api/v1/me/rsvps", data=body, content_type="application/json",
                           headers=bearer(world.users["member"]))
    assert response.status_code in (400, 422)
    assert "error" in response.json


def test_events_paginate_with_links_and_bounded_pages(world, make_event, client):
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    for n in range(5):
        make_event(world.branch, title=f"Talk {n}", starts_at=start + timedelta(days=n))
    body = client.get("/api/v1/events?per_page=2&page=2").json
    assert [e["title"] for e in body["items"]] == ["Talk 2", "Talk 3"]
    assert body["pagination"] == {"page": 2, "per_page": 2, "total": 5, "pages": 3}
    links = body["links"]
    assert links["next"] == "/api/v1/events?per_page=2&page=3"
    assert links["prev"] == "/api/v1/events?per_page=2&page=1"
    assert links["last"].endswith("page=3")
    assert client.get(links["next"]).json["links"]["next"] is None
    assert client.get("/api/v1/events?page=9").json["items"] == []


def test_event_filters_and_times_with_offsets(world, make_event, client):
    start = datetime(2031, 7, 1, 23, 30, tzinfo=UTC)
    make_event(world.branch, title="Summer social", starts_at=start, timezone="Asia/Tokyo")
    make_event(world.other_branch, title="Away talk", starts_at=start, category="career")
    make_event(world.branch, title="Later", starts_at=start + timedelta(days=40))
    make_event(world.branch, title="Members only", starts_at=start, audience="branch")
    titles = lambda url: [e["title"] for e in client.get(url).json["items"]]  # noqa: E731
    assert titles("/api/v1/events?from=2031-07-01&to=2031-07-31") == ["Summer social",
                                                                       "Away talk"]
    assert titles("/api/v1/events?branch=away") == ["Away talk"]
    assert titles("/api/v1/events?category=career") == ["Away talk"]
    assert titles("/api/v1/events?from=2031-08-01") == ["Later"]
    item = client.get("/api/v1/events?branch=home").json["items"][0]
    assert item["starts_at"] == "2031-07-01T23:30:00+00:00"
    assert item["starts_local"] == "2031-07-02T08:30:00+09:00"
    assert item["branch"] == {"slug": "home", "name": "JETAA Home"}


def test_branches_list_and_detail(world, make_membership, make_user, client):
    make_membership(make_user("New Member"), world.other_branch)
    body = client.get("/api/v1/branches").json
    by_slug = {b["slug"]: b for b in body["items"]}
    assert set(by_slug) == {"home", "away"}
    assert by_slug["away"]["member_count"] == 2  # its officer and the new member
    detail = client.get("/api/v1/branches/home").json
    assert detail["mission"]["slug"] == "cg-test"
    assert detail["events_url"].endswith("/api/v1/events?branch=home")


@pytest.mark.parametrize("url", PUBLIC)
def test_public_reads_have_etags_and_answer_304(world, events, client, url, db):
    url = url.format(**events)
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_an_etag_changes_with_the_data(world, events, client, db):
    from jetaa.events.models import Event

    first = client.get(f"/api/v1/events/{events['pub']}")
    db.get(Event, events["pub"]).title = "Renamed picnic"
    db.commit()
    second = client.get(f"/api/v1/events/{events['pub']}",
                        headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.json["title"] == "Renamed picnic"


@pytest.mark.parametrize("url", [*PUBLIC, "/api/v1/openapi.json"])
def test_public_reads_allow_any_origin_without_credentials(world, events, client, url):
    url = url.format(**events)
    response = client.get(url, headers={"Origin": "https://jetaa-branch.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(url, headers={"Origin": "https://jetaa-branch.example",
                                             "Access-Control-Request-Method": "GET",
                                             "Access-Control-Request-Headers": "Authorization"})
    assert "authorization" not in preflight.headers.get("Access-Control-Allow-Headers",
                                                        "").lower()


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/me/rsvps", "/api/v1/directory",
                                 "/api/v1/members/{member}", "/api/v1/events/{pub}/nothing"])
def test_no_cors_elsewhere(world, events, client, bearer, url):
    response = client.get(url.format(**events), headers={
        "Origin": "https://elsewhere.example", **bearer(world.users["member"])})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_token_answers_are_not_stored(world, client, bearer):
    response = client.get("/api/v1/me", headers=bearer(world.users["member"]))
    assert response.headers["Cache-Control"] == "no-store"


def test_rate_limit_headers_and_429(make_app, world, bearer, redis_db):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute",
                   RATELIMIT_STORAGE_URI=None, REDIS_URL=None)
    client = app.test_client()
    answers = [client.get("/api/v1/branches") for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert all(r.headers["RateLimit-Limit"] == "3" for r in answers)
    assert 0 < int(answers[0].headers["RateLimit-Reset"]) <= 60
    refused = answers[-1]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json["error"]["code"] == "too_many_requests"
    # Counted per token, not per address: a member's script has its own allowance.
    with app.app_context():
        headers = bearer(world.users["member"])
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_refused_tokens_are_counted_per_address(make_app, world, redis_db):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute",
                   RATELIMIT_STORAGE_URI=None, REDIS_URL=None)
    client = app.test_client()
    statuses = [client.get("/api/v1/me", headers={"Authorization": f"Bearer jetaa_guess{n}"})
                .status_code for n in range(3)]
    assert statuses == [401, 401, 429]


def test_query_counts_do_not_grow_with_events(world, make_event, client, count_queries, db):
    def count(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    make_event(world.branch, title="One")
    small = count("/api/v1/events"), count("/api/v1/branches")
    for n in range(30):
        event = make_event(world.branch if n % 2 else world.other_branch, title=f"E{n}")
        event.cohosts = [world.other_branch if n % 2 else world.branch]
    db.commit()
    assert (count("/api/v1/events"), count("/api/v1/branches")) == small
