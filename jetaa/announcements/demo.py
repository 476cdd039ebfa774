"""Demo announcements: a few sent newsletters per branch (their archive), a draft in New York.

Only the announcements: the demo sends nothing, so there are no deliveries to show.
"""

from __future__ import annotations

from datetime import timedelta

from jetaa.announcements.models import Announcement, AnnouncementStatus, Scope
from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert

SUBJECTS = (
    ("Our spring hanami picnic", "Join us under the cherry blossoms. **Bring a blanket**; "
     "we bring the snacks.\n\n- Meet at the main gate at noon\n- Families welcome"),
    ("Career night: working with Japan", "Five alumni talk about careers that use what JET "
     "taught them. Questions welcome."),
    ("Volunteers wanted for the JET information session", "The consulate asks for alumni to "
     "share their experience with applicants. Reply on the outreach board."),
    ("Bonenkai: end-of-year party", "Celebrate the year with fellow alumni. Tickets on the "
     "event page."),
)


def make_announcements(ctx: DemoContext) -> None:
    now = utcnow()
    rows = []
    for branch in ctx.branches:
        officers = ctx.officers.get(branch.id) or [None]
        for n, (subject, body) in enumerate(SUBJECTS):
            sent = now - timedelta(days=20 + 45 * n + ctx.rng.randrange(10))
            rows.append({"branch_id": branch.id, "author_id": officers[0], "subject": subject,
                         "body": body, "scope": Scope.BRANCH, "segment": {},
                         "is_public": n % 2 == 0, "status": AnnouncementStatus.SENT,
                         "send_at": sent, "finished_at": sent, "recipient_count": 0,
                         "created_at": sent, "updated_at": sent})
        if branch.slug == "new-york":
            rows.append({"branch_id": branch.id, "author_id": officers[0],
                         "subject": "Draft: summer BBQ", "body": "Save the date!",
                         "scope": Scope.BRANCH, "segment": {}, "is_public": False,
                         "status": AnnouncementStatus.DRAFT, "send_at": None,
                         "finished_at": None, "recipient_count": 0, "created_at": now,
                         "updated_at": now})
    bulk_insert(Announcement, rows)
