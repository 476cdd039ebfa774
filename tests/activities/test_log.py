"""A branch's activity log: its filters and what a list of it loads."""

from __future__ import annotations

from datetime import date


def test_the_year_filter_keeps_that_years_activities(world, client, make_activity):
    for year in (2023, 2024, 2025):
        day = date(year, 5, 1)
        make_activity(world.branch, published=True, title=f"Matsuri {year}", starts_on=day,
                      ends_on=day)
    page = client.get(f"/branches/{world.branch.slug}/activities?year=2024")
    assert page.status_code == 200  # PostgreSQL refused a date compared with a string (a 500)
    text = page.get_data(as_text=True)
    assert "Matsuri 2024" in text
    assert "Matsuri 2023" not in text
    assert "Matsuri 2025" not in text


def test_a_log_page_loads_what_it_lists_in_a_constant_number_of_queries(
        world, client, login_as, make_activity, count_queries):
    login_as(world.users["officer"])
    make_activity(world.branch, published=True, title="Taiko night")
    with count_queries() as few:
        client.get(f"/branches/{world.branch.slug}/activities")
    for n in range(30):
        make_activity(world.branch, published=bool(n % 2), title=f"Taiko night {n}",
                      status="verified" if n % 3 else "submitted")
    with count_queries() as many:
        page = client.get(f"/branches/{world.branch.slug}/activities")
    assert page.status_code == 200
    assert "Taiko night 29" in page.get_data(as_text=True)
    assert len(many) == len(few)
