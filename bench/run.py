"""Full-scale benchmark: demo data, gunicorn, requests/second and latency per page.

    python bench/run.py                       # SQLite file /tmp/jetaa-bench.sqlite3
    python bench/run.py --database postgresql+psycopg://postgres@127.0.0.1:5432/jetaa_bench

Loads `flask demo-data --members 25000 --reset` into the bench database, serves the
app with gunicorn on a free loopback port, and for each page in bench/pages.py sends a
fixed number of requests from a few threads. Every page is compared with yardsticks
measured in the same run, so the ratios mean more than the raw figures of one machine:
the trivial page (/healthz), the layout-only page (/about) and a bare Flask app
(bench/bare.py, served by its own gunicorn beside the app). The SQL query count of each
page is measured in-process (Flask test client) on the same database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import BARE, LOGINS, PAGES, TRIVIAL, YARDSTICKS, Page, layout_baseline  # noqa: E402
from jetaa.demo.core import DEMO_PASSWORD  # noqa: E402

DEFAULT_DATABASE = "sqlite:////tmp/jetaa-bench.sqlite3"
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="SQLAlchemy URL of the bench DB")
    parser.add_argument("--members", type=int, default=25000, help="demo-data members")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data already loaded")
    parser.add_argument("--requests", type=int, default=500, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--max-seconds", type=float, default=30, help="time limit per page")
    parser.add_argument("--only", default="",
                        help="measure only pages whose path contains this, or one of these comma-separated "
                             "strings, or is exactly the one after a '=' (and the yardsticks)")
    parser.add_argument("--cold", action="store_true",
                        help="every cache off (CACHE_TTL=0): no list or figure is reused either")
    return parser.parse_args()


def _env(database: str, cold: bool = False) -> dict[str, str]:
    env = {
        **os.environ,
        "FLASK_APP": "jetaa",
        "DATABASE_URL": database,
        "JETAA_ENV": "development",
        "SECRET_KEY": secrets.token_hex(16),
        # A bench member asks several pages a second, a person a few a minute: the per-account
        # allowances against scraping (still checked on every request) would answer 429.
        **{f"RATELIMIT_SCRAPE_{kind}": "1000000 per minute"
           for kind in ("DIRECTORY", "PROFILES", "API", "EXPORTS")},
        "RATELIMIT_API": "1000000 per minute",  # the API's own allowance, per address or token
    }
    if cold:
        env["CACHE_TTL"] = "0"
    return env


def load_demo_data(database: str, members: int) -> dict[str, float | None]:
    """Migrate and fill the bench database.

    Returns the command's wall time (start-up and the --reset wipe included) and the
    time demo-data reports for making the data itself.
    """
    env = _env(database)
    flask = [BIN / "flask"]
    subprocess.run(
        [*flask, "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )
    started = time.perf_counter()
    result = subprocess.run(
        [*flask, "demo-data", "--members", str(members), "--reset"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - started
    reported = re.search(r"made in ([\d.]+) s", result.stdout)
    return {"wall": round(wall, 1), "reported": float(reported.group(1)) if reported else None}


# -- SQL query counts, in-process ---------------------------------------------------------------


def _test_client_login(client, email: str) -> None:  # noqa: ANN001
    form = client.get("/login").get_data(as_text=True)
    token = CSRF_FIELD.search(form).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    if response.status_code == 302 and "/account/security/setup" in response.headers["Location"]:
        setup = client.get("/account/security/setup").get_data(as_text=True)
        client.post("/account/security/setup", data=_second_factor_answer(setup))
    elif response.status_code != 302 or "/login" in response.headers["Location"]:
        raise SystemExit(f"in-process login as {email} failed ({response.status_code})")


def _second_factor_answer(setup_page: str) -> dict[str, str]:
    """What the set-up page's form needs: its CSRF token and a code from the key it shows,
    as an authenticator app would make it."""
    import pyotp

    secret = re.search(r'id="totp-secret"[^>]*>([^<]+)<', setup_page).group(1).strip()
    return {"csrf_token": CSRF_FIELD.search(setup_page).group(1), "code": pyotp.TOTP(secret).now(),
            "next": ""}


def resolve_paths(database: str, pages: list[Page]) -> list[Page]:
    """Fill the pages' {placeholders} with ids from the bench database (ids differ per load)."""
    if not any("{" in page.path for page in pages):
        return pages
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    with engine.connect() as connection:
        ny_event = connection.execute(sa.text(
            "SELECT e.id FROM events e JOIN branches b ON b.id = e.branch_id "
            "WHERE b.slug = 'new-york' AND e.audience = 'public' AND e.status = 'published' "
            "AND e.starts_at > :now ORDER BY e.starts_at LIMIT 1"
        ), {"now": datetime.now(UTC).replace(tzinfo=None)}).scalar_one()
        ny_request = connection.execute(sa.text(
            "SELECT r.id FROM outreach_requests r JOIN missions m ON m.id = r.mission_id "
            "WHERE m.slug = 'cg-new-york' AND r.status = 'open' AND r.starts_at > :now "
            "ORDER BY r.starts_at LIMIT 1"
        ), {"now": datetime.now(UTC).replace(tzinfo=None)}).scalar_one()
        ny_announcement = connection.execute(sa.text(
            "SELECT a.id FROM announcements a JOIN branches b ON b.id = a.branch_id "
            "WHERE b.slug = 'new-york' AND a.status = 'sent' ORDER BY a.send_at DESC LIMIT 1"
        )).scalar_one()
        member_id = connection.execute(sa.text(
            "SELECT id FROM users WHERE email = 'member@example.org'")).scalar_one()
    engine.dispose()
    values = {"ny_event": ny_event, "ny_request": ny_request, "ny_announcement": ny_announcement,
              "member_id": member_id}
    return [dataclasses.replace(page, path=page.path.format(**values)) for page in pages]


def count_queries(database: str, pages: list[Page], cold: bool = False) -> dict[str, dict[str, int]]:
    """Status and number of SQL statements of one warm request to each page.

    Warm: the page was requested once before, so its cached parts are used
    (with --cold there are none, and the count is the page's full work).
    """
    import sqlalchemy as sa

    from config import DevelopmentConfig
    from jetaa import create_app
    from jetaa.extensions import db

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database
        RATELIMIT_ENABLED = False
        CACHE_TTL = 0 if cold else DevelopmentConfig.CACHE_TTL

    from bench import bare

    app, bare_app = create_app(BenchConfig), bare.create_app(database)
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
    sa.event.listen(bare_app.extensions["bench.engine"], "before_cursor_execute", count)
    clients = {}
    counts = {}
    for page in pages:
        key = (page.server, page.login)
        if key not in clients:
            clients[key] = (bare_app if page.server == "bare" else app).test_client()
            if page.login:
                _test_client_login(clients[key], LOGINS[page.login])
        client = clients[key]
        client.get(page.path)  # the first request fills per-process caches
        statements[0] = 0
        response = client.get(page.path)
        counts[page.label] = {"status": response.status_code, "queries": statements[0]}
    return counts


# -- gunicorn and the HTTP client ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database: str, workers: int, log_path: Path, cold: bool = False,
                   app: str = "jetaa:create_app()",
                   ready: str = "/healthz") -> tuple[subprocess.Popen, str]:
    """Serve `app` on a free loopback port; returns once `ready` answers 200."""
    port = _free_port()
    command = [
        BIN / "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        app,
    ]
    log = log_path.open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=_env(database, cold), stdout=log,
                              stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"{base}{ready}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer {ready} in 30 s; see {log_path}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to measure (and for a login page, a failure), not to follow."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def login_cookie(base: str, email: str) -> str:
    """Log in through the real form (CSRF token and all); returns the Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/login", timeout=10) as response:
        token = CSRF_FIELD.search(response.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
    try:
        opener.open(f"{base}/login", data=body, timeout=10)
    except urllib.error.HTTPError as answer:
        if answer.code == 302 and "/account/security/setup" in answer.headers["Location"]:
            _set_up_second_factor(opener, base, email)
        if answer.code == 302 and "/login" not in answer.headers["Location"]:
            # Sign-in starts a new session with a new CSRF secret, made by the first page with
            # a form (the layout's language switch): keep the cookie that holds it.
            opener.open(f"{base}/about", timeout=10).read()
            return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
        raise SystemExit(f"login as {email} failed: {answer.code}") from answer
    raise SystemExit(f"login as {email} failed: the form came back")


def _set_up_second_factor(opener: urllib.request.OpenerDirector, base: str, email: str) -> None:
    """Admins, officers and mission staff are sent to set up the second factor at sign-in:
    do it as the authenticator app would (the bench forgets every second factor before it
    signs in, see forget_second_factors)."""
    with opener.open(f"{base}/account/security/setup", timeout=10) as response:
        body = urllib.parse.urlencode(_second_factor_answer(response.read().decode())).encode()
    with opener.open(f"{base}/account/security/setup", data=body, timeout=10) as response:
        if "recovery" not in response.read().decode().lower():
            raise SystemExit(f"setting up the second factor of {email} failed")


def forget_second_factors(database: str) -> None:
    """The bench database is disposable: drop its second factors, so that every sign-in
    of a privileged demo login sets one up afresh (the bench cannot read an authenticator)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM recovery_codes"))
        connection.execute(sa.text("DELETE FROM second_factors"))
    engine.dispose()


def _fetch(opener: urllib.request.OpenerDirector, url: str, cookie: str) -> tuple[int, float]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as answer:
        answer.read()
        status = answer.code
    return status, time.perf_counter() - started


def measure(base: str, page: Page, cookie: str, args: argparse.Namespace) -> dict:
    """Send args.requests requests from args.concurrency threads (within args.max_seconds)."""
    url = base + page.path
    for _ in range(3):  # warm-up: imports, template compilation, connection pool
        _fetch(urllib.request.build_opener(_NoRedirect), url, cookie)
    lock, remaining = threading.Lock(), [args.requests]
    deadline = time.monotonic() + args.max_seconds
    samples: list[tuple[int, float]] = []

    def worker() -> None:
        opener = urllib.request.build_opener(_NoRedirect)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            sample = _fetch(opener, url, cookie)
            with lock:
                samples.append(sample)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        for _ in range(args.concurrency):
            pool.submit(worker)
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for _, seconds in samples)
    statuses = sorted({status for status, _ in samples})
    return {
        "requests": len(samples),
        "seconds": round(elapsed, 3),
        "statuses": statuses,
        "errors": sum(1 for status, _ in samples if status != 200),
        "rps": round(len(samples) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[max(0, round(0.95 * len(latencies)) - 1)] * 1000, 1),
    }


# -- report ------------------------------------------------------------------------------------


def _ratio(row: dict, yardstick: dict | None) -> float | None:
    return round(row["rps"] / yardstick["rps"], 2) if yardstick and yardstick["rps"] else None


def markdown(rows: list[dict], trivial: dict) -> str:
    by_label = {row["page"]: row for row in rows}
    lines = [
        "| Page | Status | SQL queries | req/s | p50 ms | p95 ms | req/s vs /healthz "
        "| req/s vs /about (same login) | req/s vs bare | p95 × /healthz |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        statuses = ",".join(str(s) for s in row["statuses"])
        vs_layout = _ratio(row, by_label.get(row["baseline"]))
        vs_bare = row.get("vs_bare")
        lines.append(
            f"| `{row['page']}` | {statuses} | {row['queries']} | {row['rps']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['rps'] / trivial['rps']:.2f} "
            f"| {'–' if vs_layout is None else f'{vs_layout:.2f}'} "
            f"| {'–' if vs_bare is None else f'{vs_bare:.2f}'} "
            f"| {row['p95_ms'] / trivial['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def _safe_url(database: str) -> str:
    password = urllib.parse.urlsplit(database).password
    return database.replace(f":{password}@", ":***@") if password else database


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def serve_and_measure(args: argparse.Namespace, pages: list[Page], log_path: Path) -> list[dict]:
    """Start gunicorn for the app and for the bare yardstick (same workers, each its own port),
    log in once per role, measure every page, stop both."""
    forget_second_factors(args.database)
    queries = count_queries(args.database, pages, cold=args.cold)
    servers = []
    try:
        server, base = start_gunicorn(args.database, args.workers, log_path, cold=args.cold)
        servers.append(server)
        bare_log = log_path.with_name(log_path.stem + "-bare.log")
        bare_server, bare_base = start_gunicorn(args.database, args.workers, bare_log,
                                                app="bench.bare:create_app()", ready=BARE.path)
        servers.append(bare_server)
        bases = {"app": base, "bare": bare_base}
        roles = sorted({page.login for page in pages if page.login})
        forget_second_factors(args.database)
        cookies = {role: login_cookie(base, LOGINS[role]) for role in roles}
        rows = []
        for page in pages:
            result = measure(bases[page.server], page, cookies.get(page.login, ""), args)
            baseline = layout_baseline(page)
            rows.append({"page": page.label, "baseline": baseline.label if baseline else None,
                         **queries[page.label], **result})
            print(f"  {page.label:40} {result['rps']:8.1f} req/s  p95 {result['p95_ms']:7.1f} ms")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    bare = next((row for row in rows if row["page"] == BARE.label), None)
    for row in rows:
        row["vs_bare"] = _ratio(row, bare)
    return rows


def run(args: argparse.Namespace) -> None:
    wanted = args.only.split(",")
    # "=/path": that path exactly (a text every path contains, such as "/", picks them all).
    chosen = [page for page in PAGES if page in YARDSTICKS or any(
        page.path == w[1:] if w.startswith("=") else w in page.path for w in wanted)]
    # The yardsticks first: /healthz, the bare Flask page, then each login's layout-only page.
    baselines = list(dict.fromkeys(b for b in map(layout_baseline, chosen) if b is not None))
    pages = [*YARDSTICKS, *baselines,
             *(p for p in chosen if p not in YARDSTICKS and p not in baselines)]
    load_before = os.getloadavg()[0]
    demo = {"wall": None, "reported": None}
    if not args.skip_load:
        print(f"Loading demo data ({args.members} members) into {_safe_url(args.database)} ...")
        demo = load_demo_data(args.database, args.members)
        print(
            f"demo-data made the data in {demo['reported']} s ({demo['wall']} s with start-up "
            "and wiping the old data)"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = Path(f"/tmp/jetaa-bench-{stamp}.log")
    rows = serve_and_measure(args, resolve_paths(args.database, pages), log_path)
    report = {
        "when": stamp,
        "commit": _commit(),
        "database": _safe_url(args.database),
        "members": None if args.skip_load else args.members,  # unknown: loaded by an earlier run
        "demo_data_seconds": demo["reported"],
        "demo_data_wall_seconds": demo["wall"],
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests_per_page": args.requests,
        "page_caches": "off" if args.cold else "on",
        "bare_rps": next((row["rps"] for row in rows if row["page"] == BARE.label), None),
        "pages": rows,
    }
    dialect = args.database.split(":", 1)[0].split("+", 1)[0]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stamp}-{dialect}.json").write_text(json.dumps(report, indent=2))
    print(
        f"\n{dialect}, {'data of an earlier load' if args.skip_load else f'{args.members} members'}, "
        f"demo-data {demo['reported']} s, gunicorn -w "
        f"{args.workers}, {args.concurrency} client threads, page caches "
        f"{report['page_caches']}, commit {report['commit']}\n"
    )
    print(markdown(rows, next(row for row in rows if row["page"] == TRIVIAL.label)))
    failing = [row["page"] for row in rows if row["errors"]]
    if failing:
        print(f"\nWARNING: not 200 from {', '.join(failing)}: see {log_path}")
    if load_before > 0.5:
        print(
            f"\nNote: the load average was {load_before:.1f} before the run: "
            "something else was using the CPUs, so the figures are low and noisy."
        )
    print(f"\nSaved bench/results/{stamp}-{dialect}.json")


if __name__ == "__main__":
    run(parse_args())
