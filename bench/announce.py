"""How long queuing an announcement to every member takes (issue 17).

    python bench/announce.py --database sqlite:////tmp/jetaa-bench.sqlite3

On a bench database already loaded (bench/run.py, or `flask demo-data --members 25000`):
the demo admin writes a federation announcement, schedules it, and the batches run
back to back (`run_batch`, ANNOUNCEMENT_BATCH_SIZE each, one transaction per batch) until
every approved member has a Delivery row and an outbox message. Prints the figures as
JSON; then removes the announcement, its deliveries and its messages again, so the
database is as it was (and a second run is not refused by the daily limits).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/jetaa-bench.sqlite3")
    parser.add_argument("--batch", type=int, default=500, help="recipients per batch")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database

    import sqlalchemy as sa

    from jetaa import create_app
    from jetaa.announcements import services
    from jetaa.announcements.models import Announcement, Delivery, Scope
    from jetaa.auth.models import User
    from jetaa.branches.models import Branch
    from jetaa.extensions import db
    from jetaa.mail.models import OutboxMessage

    app = create_app()
    app.config["SERVER_NAME"] = None
    with app.test_request_context():
        admin = db.session.scalar(sa.select(User).where(User.email == "admin@example.org"))
        branch = db.session.scalar(sa.select(Branch).where(Branch.slug == "new-york"))
        data = services.AnnouncementData(subject="Bench: to every member",
                                         body="Hello **everyone**.\n\n" + "Some news. " * 80,
                                         scope=Scope.FEDERATION)
        announcement = services.create_announcement(branch, data, actor=admin)
        db.session.commit()
        started = time.perf_counter()
        services.schedule_announcement(announcement, actor=admin)
        db.session.commit()
        scheduled = time.perf_counter()
        batches, queued = 0, 0
        while True:
            count = services.run_batch(announcement.id, size=args.batch)
            db.session.commit()
            batches += 1
            queued += count
            if count < args.batch:
                break
        done = time.perf_counter()
        progress = services.progress(announcement)
        result = {"database": db.engine.dialect.name, "recipients": announcement.recipient_count,
                  "queued": queued, "batches": batches, "batch_size": args.batch,
                  "schedule_seconds": round(scheduled - started, 2),
                  "queue_seconds": round(done - scheduled, 2),
                  "total_seconds": round(done - started, 2),
                  "messages_per_second": round(queued / (done - scheduled), 1),
                  "progress_percent": progress.percent}
        message_ids = sa.select(Delivery.outbox_message_id).where(
            Delivery.announcement_id == announcement.id).scalar_subquery()
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
        db.session.execute(sa.delete(Delivery).where(Delivery.announcement_id == announcement.id))
        db.session.execute(sa.delete(Announcement).where(Announcement.id == announcement.id))
        db.session.commit()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
