"""The dashboards' monthly figures (jetaa/activities/rollups.py) stay equal to the sums
of the activities through every write: logging, review, edits, publishing, co-hosts,
partners, moves to another month, deletions; and the figures read from them are those
summed from the activities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from jetaa.activities import figures, rollups, services
from jetaa.activities.figures import Scope
from jetaa.activities.models import Activity, ActivityPartner, month_figures, month_partners
from jetaa.activities.periods import Period

FY2024 = Period.fiscal_year(2024)


def _data(day: date, **fields: object) -> services.ActivityData:
    values = {"title": "Taiko in the park", "category": "festivals", "starts_on": day,
              "ends_on": day, "city": "Boston", "country": "us", "people_reached": 300,
              "volunteers": 6, "volunteer_hours": Decimal("30.5"), "currency": "usd",
              "money_raised": Decimal("1250.50"), "money_spent": Decimal("200"),
              "partners": ["Boston Taiko Club"]}
    values.update(fields)
    return services.ActivityData(**values)


def _stored(db) -> tuple[set, set]:  # noqa: ANN001
    return (set(db.execute(sa.select(month_figures)).all()),
            set(db.execute(sa.select(month_partners)).all()))


def _summed(db) -> tuple[set, set]:  # noqa: ANN001
    """What the tables should hold: the same rows summed from the activities now."""
    figure_rows = db.execute(rollups._figure_rows(rollups._hosts())).all()
    partner_rows = db.execute(rollups._partner_rows(rollups._hosts())).all()
    return ({tuple(r) for r in figure_rows}, {tuple(r) for r in partner_rows})


def _dashboards(scopes: list[Scope], period: Period) -> list:
    return [(figures.totals(s, period), figures.by_category(s, period), figures.by_month(s, period),
             figures.top_partners(s, period), figures.volunteer_value(s, period),
             figures.by_branch(s, period), figures.by_country(s, period)) for s in scopes]


def assert_in_step(db, world, period: Period = FY2024) -> None:  # noqa: ANN001
    db.commit()
    assert _stored(db) == _summed(db)
    scopes = [Scope.federation(), Scope.branch(world.branch), Scope.branch(world.other_branch)]
    read = _dashboards(scopes, period)
    direct = rollups.usable
    try:
        rollups.usable = lambda *_args: None  # the same figures summed from the activities
        summed = _dashboards(scopes, period)
    finally:
        rollups.usable = direct
    assert read == summed  # dataclasses: money by currency compared as dicts, in any order


def test_the_figures_follow_an_activity_from_draft_to_deletion(world, db):
    admin, officer = world.users["admin"], world.users["officer"]
    june, july = date(2024, 6, 12), date(2024, 7, 3)
    activity = services.create_activity(
        world.branch, _data(june, cohost_ids=[world.other_branch.id],
                            partners=["Boston Taiko Club", "boston taiko club", "Library"]),
        actor=admin)
    assert_in_step(db, world)
    assert _stored(db) == (set(), set())  # a draft counts nowhere
    services.submit_activity(activity, actor=admin)
    services.verify_activity(activity, actor=officer)
    assert_in_step(db, world)
    stored_figures, stored_partners = _stored(db)
    # Once for its host, once for its co-host; the partners without case, counted once.
    assert {(r.branch_id, r.host_id, r.activities) for r in stored_figures} == {
        (world.branch.id, world.branch.id, 1), (world.other_branch.id, world.branch.id, 1)}
    assert {(r.branch_id, r.name_key, r.activities) for r in stored_partners} >= {
        (world.branch.id, "boston taiko club", 1)}
    assert figures.totals(Scope.federation(), FY2024).activities == 1

    services.set_published(activity, True, actor=officer)
    assert_in_step(db, world)
    # An edit moves it to July and drops the co-host: it goes back to review and stops counting.
    services.update_activity(activity, _data(july, people_reached=10), actor=admin)
    assert_in_step(db, world)
    assert _stored(db) == (set(), set())
    services.verify_activity(activity, actor=officer)
    assert_in_step(db, world)
    assert {r.month for r in _stored(db)[0]} == {date(2024, 7, 1)}
    assert figures.totals(Scope.branch(world.other_branch), FY2024).activities == 0

    db.delete(activity)  # as a branch's deletion would take it
    assert_in_step(db, world)
    assert _stored(db) == (set(), set())


def test_review_decisions_and_drafts_change_only_what_counts(world, db):
    member, officer = world.users["member"], world.users["officer"]
    kept = services.create_activity(world.branch, _data(date(2024, 5, 2)), actor=member)
    sent_back = services.create_activity(world.branch, _data(date(2024, 5, 20), currency="jpy",
                                                             money_raised=Decimal(5000)),
                                         actor=member)
    rejected = services.create_activity(world.branch, _data(date(2024, 9, 9)), actor=member)
    draft = services.create_activity(world.branch, _data(date(2024, 9, 10)), actor=member)
    for activity in (kept, sent_back, rejected):
        services.submit_activity(activity, actor=member)
    services.verify_activity(kept, actor=officer)
    services.request_changes(sent_back, "Which school?", actor=officer)
    services.reject_activity(rejected, actor=officer)
    assert_in_step(db, world)
    services.submit_activity(sent_back, actor=member)
    services.verify_activity(sent_back, actor=officer)
    assert_in_step(db, world)
    assert figures.totals(Scope.branch(world.branch), FY2024).raised == {"USD": 125050, "JPY": 5000}
    services.delete_draft(draft, actor=member)
    assert_in_step(db, world)


def test_partners_and_co_hosts_changed_outside_the_services_are_seen(world, db, make_activity):
    activity = make_activity(world.branch, starts_on=date(2024, 11, 30), ends_on=date(2024, 11, 30))
    assert_in_step(db, world)
    activity.partners.append(ActivityPartner(name="City of Sendai"))
    activity.cohosts.append(world.other_branch)
    assert_in_step(db, world)
    db.add(ActivityPartner(activity_id=activity.id, name="Sendai Sister Cities"))
    assert_in_step(db, world)
    activity.starts_on = activity.ends_on = date(2024, 12, 1)
    assert_in_step(db, world)
    assert {r.month for r in _stored(db)[1]} == {date(2024, 12, 1)}


@pytest.mark.parametrize(("start", "end", "kind"), [
    (date(2024, 4, 1), date(2025, 3, 31), "federation"),
    (date(2024, 4, 2), date(2025, 3, 31), None),  # from the middle of a month
    (date(2024, 4, 1), date(2025, 3, 30), None),
    (date(2024, 2, 1), date(2024, 2, 29), "federation"),
])
def test_only_whole_months_are_read_from_the_tables(start, end, kind):
    assert rollups.usable(None, start, end) == kind
    assert rollups.usable((7,), start, end) == (kind and "branch")
    assert rollups.usable(sa.select(sa.literal(7)), start, end) is None  # a grouping, a mission


def test_periods_within_a_month_are_summed_from_the_activities(world, db, make_activity):
    make_activity(world.branch, starts_on=date(2024, 6, 3), ends_on=date(2024, 6, 3))
    make_activity(world.branch, starts_on=date(2024, 6, 20), ends_on=date(2024, 6, 20))
    early_june = Period(date(2024, 6, 1), date(2024, 6, 10))
    assert figures.totals(Scope.federation(), early_june).activities == 1
    assert figures.totals(Scope.federation(), Period(date(2024, 6, 1), date(2024, 6, 30))
                          ).activities == 2


def test_rebuild_recomputes_rows_written_past_the_orm(world, db, make_activity, app):
    make_activity(world.branch, starts_on=date(2024, 8, 8), ends_on=date(2024, 8, 8),
                  partners=[ActivityPartner(name="Japan Society")])
    db.execute(sa.update(Activity).values(people_reached=999)
               .execution_options(synchronize_session=False))
    db.execute(month_figures.delete())
    rollups.rebuild(db.connection())
    assert_in_step(db, world)
    result = app.test_cli_runner().invoke(args=["rebuild-activity-figures"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    assert _stored(db) == _summed(db)
    assert figures.totals(Scope.federation(), FY2024).people == 999
