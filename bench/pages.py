"""The pages `bench/run.py` measures. Later issues append their pages to PAGES.

`login` names one of the demo logins in LOGINS (all share the demo password);
None measures the page as an anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LOGINS = {
    "admin": "admin@example.org",
    "officer": "officer@example.org",
    "member": "member@example.org",
    "mission": "mission@example.org",
}


@dataclass(frozen=True)
class Page:
    path: str
    login: str | None = None
    server: str = "app"  # "bare": bench/bare.py, served beside the app

    @property
    def label(self) -> str:
        if self.server != "app":
            return f"{self.path} ({self.server} Flask)"
        return f"{self.path} ({self.login})" if self.login else self.path


# The yardsticks, measured in the same run as every page:
# - /healthz: JSON, one `SELECT 1`, no template, no session;
# - /bare: not this app but a bare Flask one (bench/bare.py): one indexed query and a small
#   template, no extensions, session or layout. The issues' "half the requests/second of a
#   bare Flask page" targets are read against it ("vs bare");
# - /about: the site's layout with no work of its own, under the same login as the page
#   (signed in, the layout loads the account and its memberships). A page's ratio to it is
#   what the page's own queries and markup cost.
TRIVIAL = Page("/healthz")
BARE = Page("/bare", server="bare")
YARDSTICKS = (TRIVIAL, BARE)


def layout_baseline(page: Page) -> Page | None:
    return Page("/about", login=page.login) if page.server == "app" else None


def last_fiscal_year(today: date) -> int:
    """Japan's last complete fiscal year (April to March, named by its first year)."""
    return (today.year if today.month >= 4 else today.year - 1) - 1

PAGES: list[Page] = [
    TRIVIAL,
    BARE,
    Page("/"),
    Page("/branches"),
    Page("/branches?q=york"),
    Page("/branches/new-york"),
    Page("/branches/new-york", login="member"),
    Page("/missions"),
    Page("/missions/cg-new-york"),
    Page("/admin", login="admin"),
    Page("/admin/audit", login="admin"),
    # The member directory (issue 4): filtered searches over 25,000 members.
    Page("/directory?q=smith", login="member"),
    Page("/directory?q=tan&role=CIR&prefecture=13", login="member"),
    Page("/directory?country=GB&year_from=2000&year_to=2010&sort=years", login="member"),
    Page("/branches/new-york/members?q=smith", login="member"),
    Page("/directory", login="member"),
]
# Events (issue 5): ~10,000 events over 10 years, ~107k RSVPs.
PAGES += [
    Page("/events"),
    Page("/events", login="member"),
    Page("/events?view=list&country=US&category=social&mode=in_person"),
    Page("/events?view=list&country=US&category=social&mode=in_person", login="member"),
    Page("/events?view=list&region=JETAA+USA&category=cultural", login="member"),
    # {ny_event}: the next public New York event, looked up in the bench database.
    Page("/events/{ny_event}"),
    Page("/events/{ny_event}", login="member"),
    Page("/events.ics"),
]
# Activities and impact (issue 6): ~24,000 activities over 10 years. The dashboards and the
# annual report must reach half the requests/second of /bare, caches off (--cold), on both
# databases.
PAGES += [
    Page("/impact", login="member"),  # the federation's dashboard
    Page("/branches/new-york/impact", login="member"),
    Page("/missions/cg-new-york/impact", login="mission"),
    Page("/branches/new-york/activities"),  # the log, as the public sees it
    Page("/branches/new-york/activities", login="member"),
    Page(f"/branches/new-york/report/{last_fiscal_year(date.today())}", login="officer"),
]
# Recruitment outreach (issue 11): five cycles of requests for every mission, with offers.
# The board, a request page with its suggestions (staff) and the mission dashboard must reach
# half the requests/second of /bare, caches off (--cold), on both databases.
PAGES += [
    Page("/outreach", login="member"),
    Page("/outreach", login="mission"),
    Page("/outreach/{ny_request}", login="mission"),  # with the suggestions for each role
    Page("/outreach/{ny_request}", login="member"),
    Page("/missions/cg-new-york/dashboard", login="mission"),
]
# The personal home, announcements, notification settings, user management (issue 17).
# Measured caches off (--cold) against /bare. Queuing an announcement to every member:
# bench/announce.py.
PAGES += [
    Page("/", login="member"),
    Page("/", login="officer"),
    Page("/", login="mission"),
    Page("/my/events", login="member"),
    Page("/account/notifications", login="member"),
    Page("/branches/new-york/announcements"),
    Page("/branches/new-york/announcements", login="member"),
    Page("/announcements/{ny_announcement}", login="member"),
    Page("/admin/users", login="admin"),
    Page("/admin/users?q=smith", login="admin"),
    Page("/admin/users/{member_id}", login="admin"),
]

# The JSON API's lists (jetaa/api/): public events and branches, the directory's JSON.
PAGES += [
    Page("/api/v1/events"),
    Page("/api/v1/events?branch=new-york"),
    Page("/api/v1/events?per_page=100"),
    Page("/api/v1/branches"),
    Page("/api/v1/directory?q=smith", login="member"),
]
