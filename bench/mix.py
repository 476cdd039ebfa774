"""Mixed-traffic benchmark: many signed-in members, many different pages, writes meanwhile.

    python bench/mix.py --skip-load                 # the data bench/run.py loaded
    python bench/mix.py --database postgresql+psycopg://postgres@127.0.0.1:5432/jetaa_bench

Where bench/run.py asks one page again and again as one viewer, this asks what real
traffic asks: `--signed-in` distinct members (each signed in once through the form) and
visitors, spread over the pages of bench/traffic.py with ids, searches and months drawn at
random from the bench database, from `--connections` client threads, while a writer
answers RSVPs (`--rsvps` a second), edits a profile every few seconds and posts an event
now and then. The yardstick, the bare Flask page of bench/bare.py (one indexed query, a
small template), is measured in the same run with the same connections, before the mix.
Reports requests/second, p50/p95/p99 and errors, per kind of page as well. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import BARE, LOGINS  # noqa: E402
from bench.run import (  # noqa: E402
    CSRF_FIELD,
    DEFAULT_DATABASE,
    RESULTS,
    _commit,
    _NoRedirect,
    _safe_url,
    forget_second_factors,
    load_demo_data,
    login_cookie,
    start_gunicorn,
)
from bench.traffic import READS, Pools, draw_pools  # noqa: E402

OK = {302, 303}  # a write that worked answers with a redirect (a form shown again is an error)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="SQLAlchemy URL of the bench DB")
    parser.add_argument("--members", type=int, default=25000, help="demo-data members")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data already loaded")
    parser.add_argument("--seconds", type=float, default=60, help="length of the mix")
    parser.add_argument("--connections", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--signed-in", type=int, default=20, help="distinct members signed in")
    parser.add_argument("--rsvps", type=float, default=2, help="RSVP answers per second meanwhile")
    parser.add_argument("--cold", action="store_true", help="every cache off (CACHE_TTL=0)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


# -- HTTP -----------------------------------------------------------------------------------------


def request(opener: urllib.request.OpenerDirector, url: str, cookie: str = "",
            data: dict | None = None) -> tuple[int, float, str, str]:
    """Status, seconds, body and Location of one GET (or POST of `data`)."""
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    url = urllib.parse.quote(url, safe=":/?&=%+")  # names such as "Léa" in a search
    req = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    started = time.perf_counter()
    try:
        with opener.open(req, timeout=30) as response:
            text, status, location = response.read().decode(errors="replace"), response.status, ""
    except urllib.error.HTTPError as answer:
        text, status = answer.read().decode(errors="replace"), answer.code
        location = answer.headers.get("Location", "")
    except OSError:  # refused, reset or timed out: an error of the run, not a crash of the bench
        text, status, location = "", 0, ""
    return status, time.perf_counter() - started, text, location


class FormFields(HTMLParser):
    """The fields of the page's own form (the first POST form that posts back to the page, with
    no action of its own: not the layout's language or sign-out forms), as a browser sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.done, self.fields = False, False, []
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "").lower() == "post" and not a.get("action"):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            # A single select sends its first option when none is selected; a multiple one, nothing.
            self._select, self._first_option = a.get("name"), None
            self._chosen = "multiple" in a
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._chosen = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((self._textarea, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._chosen and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_of(page: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(page)
    fields: dict[str, list[str]] = defaultdict(list)
    for name, value in parser.fields:
        fields[name].append(value)
    return dict(fields)


# -- the run -------------------------------------------------------------------------------------


class Samples:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[str, int, float]] = []

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.rows.append((kind, status, seconds))


def figures(rows: list[tuple[str, int, float]], seconds: float, ok: frozenset | set = OK) -> dict:
    latencies = sorted(s for _, _, s in rows)
    if not latencies:
        return {"requests": 0}

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, max(0, round(p * len(latencies)) - 1))] * 1000, 1)

    return {"requests": len(rows), "rps": round(len(rows) / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "errors": sum(1 for _, status, _ in rows if status not in ok),
            "statuses": sorted({status for _, status, _ in rows})}


def bare_phase(base: str, pools: Pools, args: argparse.Namespace, seconds: float) -> dict:
    """The yardstick under the same connections: distinct branches, one indexed query each."""
    samples, deadline = Samples(), time.monotonic() + seconds

    def worker(n: int) -> None:
        rng, opener = random.Random(args.seed + n), urllib.request.build_opener(_NoRedirect)
        while time.monotonic() < deadline:
            status, took, _, _ = request(opener, f"{base}{BARE.path}?slug={rng.choice(pools.branches)}")
            samples.add("bare", status, took)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return figures(samples.rows, time.perf_counter() - started, {200})


def sign_in(base: str, pools: Pools) -> tuple[list[tuple[str, str]], dict[str, str], dict[str, str]]:
    """(cookie, branch) of the signed-in members, cookies of the demo logins, a CSRF token per cookie."""
    members = [(login_cookie(base, email), slug) for email, slug in pools.signed_in]
    demo = {role: login_cookie(base, LOGINS[role]) for role in ("officer", "mission", "admin")}
    opener = urllib.request.build_opener(_NoRedirect)
    tokens = {}
    for cookie in [*(cookie for cookie, _ in members), *demo.values()]:
        _, _, page, _ = request(opener, f"{base}/profile/edit", cookie)
        found = CSRF_FIELD.search(page)
        if found:
            tokens[cookie] = found.group(1)
    return members, demo, tokens


def mix_phase(base: str, pools: Pools, members: list[tuple[str, str]], demo: dict[str, str],
              tokens: dict[str, str], args: argparse.Namespace) -> tuple[Samples, Samples, float]:
    reads, writes = Samples(), Samples()
    deadline = time.monotonic() + args.seconds
    weights = [read.weight for read in READS]

    def reader(n: int) -> None:
        rng, opener = random.Random(args.seed * 1000 + n), urllib.request.build_opener(_NoRedirect)
        while time.monotonic() < deadline:
            read = rng.choices(READS, weights)[0]
            cookie, home = rng.choice(members) if read.who == "member" else (demo.get(read.who, ""),
                                                                              "new-york")
            status, took, _, location = request(opener, base + read.path(rng, pools, home), cookie)
            if status == 302:
                status = 401 if "/login" in location else 302
            reads.add(read.name, status, took)

    def rsvp(rng: random.Random, opener: urllib.request.OpenerDirector) -> None:
        cookie, _ = rng.choice(members)
        answer = rng.choice(("going", "going", "not_going"))
        status, took, _, _ = request(opener, f"{base}/events/{rng.choice(pools.upcoming_events)}/rsvp",
                                     cookie, {"csrf_token": tokens.get(cookie, ""), "answer": answer,
                                              "guests": "0"})
        writes.add("rsvp", status, took)

    def edit_profile(rng: random.Random, opener: urllib.request.OpenerDirector) -> None:
        cookie, _ = rng.choice(members)
        status, took, page, _ = request(opener, f"{base}/profile/edit", cookie)
        fields = form_of(page)
        fields["occupation"] = [rng.choice(("Teacher", "Translator", "Engineer", "Civil servant"))]
        status, took2, _, _ = request(opener, f"{base}/profile/edit", cookie, fields)
        writes.add("profile edit", status, took + took2)

    def new_event(rng: random.Random, opener: urllib.request.OpenerDirector) -> None:
        cookie = demo["officer"]
        status, took, page, _ = request(opener, f"{base}/branches/new-york/events/new", cookie)
        fields = form_of(page)
        starts = datetime.now(UTC) + timedelta(days=rng.randint(3, 90))
        fields.update({"title": [f"Bench evening {rng.randint(1, 10**6)}"],
                       "starts_local": [starts.strftime("%Y-%m-%dT19:00")],
                       "ends_local": [starts.strftime("%Y-%m-%dT21:00")],
                       "venue": ["Japan Society"], "audience": ["branch"]})
        status, took2, _, _ = request(opener, f"{base}/branches/new-york/events/new", cookie, fields)
        writes.add("new event", status, took + took2)

    def writer() -> None:
        rng, opener = random.Random(args.seed * 7), urllib.request.build_opener(_NoRedirect)
        started, done = time.monotonic(), 0
        while time.monotonic() < deadline:
            elapsed = time.monotonic() - started
            if done >= elapsed * args.rsvps:
                time.sleep(0.05)
                continue
            done += 1
            rsvp(rng, opener)
            if done % 10 == 0:  # a profile edit every five seconds at 2 RSVPs a second
                edit_profile(rng, opener)
            if done % 60 == 0:  # a new event every half minute
                new_event(rng, opener)

    started = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.connections)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reads, writes, time.perf_counter() - started


def report_lines(bare: dict, reads: dict, kinds: dict[str, dict], writes: dict[str, dict]) -> list[str]:
    lines = [
        "| | req/s | vs bare | p50 ms | p95 ms | p99 ms | errors |",
        "|---|--:|--:|--:|--:|--:|--:|",
        f"| bare Flask page (same connections) | {bare['rps']} | 1.00 | {bare['p50_ms']} "
        f"| {bare['p95_ms']} | {bare['p99_ms']} | {bare['errors']} |",
        f"| **the mix (all reads)** | {reads['rps']} | {reads['rps'] / bare['rps']:.2f} | {reads['p50_ms']} "
        f"| {reads['p95_ms']} | {reads['p99_ms']} | {reads['errors']} |",
        "",
        "| Kind of page | requests | p50 ms | p95 ms | p99 ms | errors (statuses) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, row in sorted(kinds.items(), key=lambda item: -item[1]["p95_ms"]):
        lines.append(f"| {name} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
                     f"| {row['errors']} ({','.join(map(str, row['statuses']))}) |")
    for name, row in writes.items():
        lines.append(f"| write: {name} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} "
                     f"| {row['p99_ms']} | {row['errors']} ({','.join(map(str, row['statuses']))}) |")
    return lines


def cache_hit_rates(stats_path: Path) -> dict[str, dict[str, float]]:
    """The workers' cache hits and misses per kind of entry, added up (jetaa/core/cache.py)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in stats_path.parent.glob(f"{stats_path.name}.*.json"):
        for kind, (hits, misses) in json.loads(path.read_text()).items():
            totals[kind][0] += hits
            totals[kind][1] += misses
        path.unlink()
    return {kind: {"hits": hits, "misses": misses, "rate": round(hits / (hits + misses), 3)}
            for kind, (hits, misses) in totals.items() if hits + misses}


def run(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]
    if not args.skip_load:
        print(f"Loading demo data ({args.members} members) into {_safe_url(args.database)} ...")
        load_demo_data(args.database, args.members)
    pools = draw_pools(args.database, args.signed_in, args.seed)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = Path(f"/tmp/jetaa-mix-{stamp}.log")
    # Each app worker writes the cache's hits and misses per kind of entry as it exits.
    stats_path = log_path.with_name(log_path.stem + "-cache")
    os.environ["CACHE_STATS_FILE"] = str(stats_path)
    servers = []
    try:
        server, base = start_gunicorn(args.database, args.workers, log_path, cold=args.cold)
        servers.append(server)
        bare_server, bare_base = start_gunicorn(args.database, args.workers,
                                                log_path.with_name(log_path.stem + "-bare.log"),
                                                app="bench.bare:create_app()", ready=BARE.path)
        servers.append(bare_server)
        forget_second_factors(args.database)
        print(f"Signing in {len(pools.signed_in)} members and the demo officer, mission and admin ...")
        members, demo, tokens = sign_in(base, pools)
        print(f"Bare page, {args.connections} connections ...")
        bare = bare_phase(bare_base, pools, args, max(10.0, args.seconds / 3))
        print(f"The mix, {args.seconds:.0f} s, {args.connections} connections, {args.rsvps} RSVPs/s ...")
        reads, writes, seconds = mix_phase(base, pools, members, demo, tokens, args)
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)
    cache_hits = cache_hit_rates(stats_path)
    by_kind: dict[str, list] = defaultdict(list)
    for row in reads.rows:
        by_kind[row[0]].append(row)
    write_kinds: dict[str, list] = defaultdict(list)
    for row in writes.rows:
        write_kinds[row[0]].append(row)
    # A read is a page only when it answers 200: a redirect (to a sign-in or a set-up) is an error.
    total = figures(reads.rows, seconds, {200})
    kinds = {name: figures(rows, seconds, {200}) for name, rows in by_kind.items()}
    written = {name: figures(rows, seconds) for name, rows in write_kinds.items()}
    dialect = args.database.split(":", 1)[0].split("+", 1)[0]
    report = {"when": stamp, "commit": _commit(), "database": _safe_url(args.database),
              "cpus": os.cpu_count(), "load_average_before": round(load_before, 2),
              "workers": args.workers, "connections": args.connections, "signed_in": len(members),
              "seconds": round(seconds, 1), "page_caches": "off" if args.cold else "on",
              "bare": bare, "reads": total, "vs_bare": round(total["rps"] / bare["rps"], 2),
              "kinds": kinds, "writes": written, "cache": cache_hits}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stamp}-mix-{dialect}.json").write_text(json.dumps(report, indent=2))
    print(f"\n{dialect}, mix of {len(READS)} kinds of page, {len(members)} members signed in, "
          f"gunicorn -w {args.workers}, {args.connections} connections, page caches "
          f"{report['page_caches']}, commit {report['commit']}\n")
    print("\n".join(report_lines(bare, total, kinds, written)))
    if cache_hits:
        print("\n| Kept in the cache | hits | misses | hit rate |\n|---|--:|--:|--:|")
        for kind, row in sorted(cache_hits.items(), key=lambda item: -item[1]["hits"]):
            print(f"| {kind} | {row['hits']} | {row['misses']} | {row['rate']:.0%} |")
    if total["errors"] or any(row["errors"] for row in written.values()):
        print(f"\nWARNING: errors in the mix: see {log_path}")
    if load_before > 0.5:
        print(f"\nNote: the load average was {load_before:.1f} before the run: the figures are noisy.")
    print(f"\nSaved bench/results/{stamp}-mix-{dialect}.json")


if __name__ == "__main__":
    run(parse_args())
