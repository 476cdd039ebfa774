"""CSV files people open in a spreadsheet."""

from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets
# (tab and carriage return too: some programs drop them and read what follows).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text and never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
