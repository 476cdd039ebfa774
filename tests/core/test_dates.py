"""THE date and time styles (jetaa/core/dates.py), and no template formatting another way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale

from jetaa.core import dates

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
JETAA = Path(__file__).resolve().parents[2] / "jetaa"
MOMENT = datetime(2026, 3, 3, 14, 5, tzinfo=UTC)  # a Tuesday; 09:05 in New York


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", {"day": "Tue 3 Mar 2026", "short_date": "3 Mar 2026", "month": "March 2026",
            "day_time": "Tue 3 Mar 2026, 14:05", "zoned": "Tue 3 Mar 2026, 09:05",
            "short_date_time": "3 Mar 2026 14:05", "range": "3 Mar 2026 – 5 Mar 2026",
            "weekday": "Tue", "month_short": "Mar", "late": "Wed 4 Mar 2026, 08:30"}),
    ("ja", {"day": "2026年3月3日(火)", "short_date": "2026/03/03", "month": "2026年3月",
            "day_time": "2026年3月3日(火) 14:05", "zoned": "2026年3月3日(火) 09:05",
            "short_date_time": "2026/03/03 14:05", "range": "2026/03/03 – 2026/03/05",
            "weekday": "火", "month_short": "3月", "late": "2026年3月4日(水) 08:30"}),
])
def test_each_style_in_both_languages(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert dates.day(date(2026, 3, 3)) == expected["day"]
        assert dates.day(MOMENT) == expected["day"]
        assert dates.short_date(date(2026, 3, 3)) == expected["short_date"]
        assert dates.month(date(2026, 3, 17)) == expected["month"]
        assert dates.day_time(MOMENT) == expected["day_time"]
        assert dates.day_time(MOMENT, "America/New_York") == expected["zoned"]
        # The day is the day where it happens: 23:30 in New York is the next day in Tokyo.
        late = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
        assert dates.day_time(late, "Asia/Tokyo") == expected["late"]
        assert dates.short_date_time(MOMENT) == expected["short_date_time"]
        assert dates.day_range(date(2026, 3, 3), date(2026, 3, 5)) == expected["range"]
        assert dates.day_range(date(2026, 3, 3), date(2026, 3, 3)) == expected["day"]
        assert dates.weekday(date(2026, 3, 3)) == expected["weekday"]
        assert dates.month_short(date(2026, 3, 3)) == expected["month_short"]
        assert dates.day(None) == dates.day_time(None) == dates.short_date(None) == ""


@pytest.mark.parametrize(("locale", "hours", "just_now", "months"), [
    ("en", "2 hours ago", "just now", "3 months ago"),
    ("ja", "2 時間前", "たった今", "3 か月前"),
])
def test_ago_reads_relative_and_keeps_the_moment(app, locale, hours, just_now, months):
    with app.test_request_context(), force_locale(locale):
        html = str(dates.ago(MOMENT, now=MOMENT + timedelta(hours=2)))
        assert f">{hours}</time>" in html
        assert 'datetime="2026-03-03T14:05:00+00:00"' in html
        assert f'title="{dates.day_time(MOMENT)} UTC"' in html
        assert dates.ago_text(MOMENT, now=MOMENT + timedelta(seconds=10)) == just_now
        assert dates.ago_text(MOMENT, now=MOMENT + timedelta(days=92)) == months
        # A naive value is a stored UTC instant.
        assert dates.ago_text(MOMENT.replace(tzinfo=None), now=MOMENT + timedelta(hours=2)) == hours


def test_the_filters_are_the_styles(app):
    for name, function in dates.FILTERS.items():
        assert app.jinja_env.filters[name] is function
    assert "local_time" not in app.jinja_env.filters
    assert "local_date" not in app.jinja_env.filters


# Templates format dates only through the styles -----------------------------------

_FORBIDDEN = re.compile(r"strftime|\|\s*(?:dateformat|datetimeformat|timeformat|local_time|"
                        r"local_date)\b|format_(?:date|datetime|time|skeleton)\s*\(")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
# An attribute value the expression sits in (datetime="", value="", href="...?x=...").
_IN_ATTRIBUTE = re.compile(r'[\w:-]+="[^"<>]*$')


def _offences(text: str) -> list[str]:
    found = [m.group(0) for m in _FORBIDDEN.finditer(text)]
    for match in _EXPRESSION.finditer(text):
        if "isoformat" in match.group(1) and not _IN_ATTRIBUTE.search(text[:match.start()]):
            found.append(match.group(0).strip())  # ISO shown as text, not in an attribute
    return found


def test_the_scan_finds_each_other_way():
    for bad in ('{{ e.created_at.strftime("%Y-%m-%d") }}', "{{ day|dateformat('EEE') }}",
                "{{ x|local_time(zone) }}", "<td>{{ a.starts_on.isoformat() }}</td>",
                "{{ format_date(x) }}"):
        assert _offences(bad), bad
    for good in ('<time datetime="{{ a.starts_on.isoformat() }}">{{ a.starts_on|day }}</time>',
                 '<input value="{{ period.start.isoformat() }}">', "{{ e.created_at|ago }}",
                 '<a href="?start={{ day.isoformat() }}&amp;end={{ day.isoformat() }}">x</a>'):
        assert not _offences(good), good


def test_no_template_formats_a_date_another_way():
    offences = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt", ".ics", ".xml") and path.is_file():
            found = _offences(path.read_text(encoding="utf-8"))
            if found:
                offences[str(path.relative_to(TEMPLATES))] = found
    assert offences == {}


def test_python_formats_dates_for_readers_only_through_the_styles():
    """Babel's date functions are called in jetaa/core/dates.py only (time-zone names in
    timezones.py); strftime stays for machine forms: URLs, stamps, CSV, mail headers."""
    allowed_strftime = {"events/links.py", "events/views.py", "activities/impact_views.py"}
    offences = []
    for path in sorted(JETAA.rglob("*.py")):
        rel = str(path.relative_to(JETAA))
        text = path.read_text(encoding="utf-8")
        if rel != "core/dates.py" and re.search(
                r"babel\.dates import (?!get_timezone)|babel_dates\.format_|"
                r"flask_babel import .*format_(?:date|datetime|time)", text):
            offences.append(rel)
        if "strftime" in text and rel not in allowed_strftime:
            offences.append(f"{rel}: strftime")
    assert offences == []
