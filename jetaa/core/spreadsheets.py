"""CSV files people open in a spreadsheet: one writer for every export, every cell guarded."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Response

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets
# (tab and carriage return too: some programs drop them and read what follows).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text and never run as a formula."""
    text = "" if value is None else str(value)
    # Leading spaces are skipped by some programs before they look for a formula.
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV text of a header and rows, every cell (the header's too) through safe_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def csv_response(filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV download; the file name keeps only ASCII letters, digits, dashes and underscores."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in filename)
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{safe}.csv"'})
