"""One CSV writer for every export: every cell, the header's too, is shown as text."""

import csv
import io

import pytest

from jetaa.core.spreadsheets import csv_response, csv_text, safe_cell


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                                   "  =1+2"])
def test_cells_that_a_spreadsheet_would_run_are_quoted(value):
    assert safe_cell(value).startswith("'")


@pytest.mark.parametrize("value", ["Alex", "a=b", "", None, 12])
def test_plain_cells_are_left_alone(value):
    assert safe_cell(value) == ("" if value is None else str(value))


def test_csv_text_guards_the_header_and_every_row():
    rows = list(csv.reader(io.StringIO(csv_text(["=h"], [["=1+2.x@example.com"], []]))))
    assert rows == [["'=h"], ["'=1+2.x@example.com"], []]


def test_csv_response_names_a_safe_file(app):
    with app.test_request_context():
        response = csv_response('report "東京"\r\n', ["a"], [])
    assert response.headers["Content-Disposition"] == 'attachment; filename="report-------.csv"'
