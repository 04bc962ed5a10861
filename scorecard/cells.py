"""What the project writes into a CSV or spreadsheet cell: texts that no spreadsheet runs as a formula.

Every CSV row (serialize.py) and every workbook cell (exports/excel.py, template.py) passes through `inert`.
"""

from __future__ import annotations

import re

# OWASP's CSV-injection rule: a cell beginning with one of these is read as a formula by Excel or LibreOffice
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
_BLANKS = " \n\u3000\xa0"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def inert(value):
    """`value` as a cell may hold it: a text beginning with =, +, -, @ (after any blanks), a tab or a carriage
    return gets a leading apostrophe, so that it is shown, never run; a plain number written as text (-2.00)
    and anything that is not text (numbers, dates, None) are returned as they are."""
    if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value):
        return value
    if value.startswith(CONTROL_STARTS) or value.lstrip(_BLANKS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sheet_title(text: str) -> str:
    """A worksheet's name from a text of the config: without the characters Excel refuses there, at most 31."""
    return _SHEET_TITLE_FORBIDDEN.sub("_", text)[:31].strip("'") or "_"
