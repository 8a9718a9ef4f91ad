"""Cells of every CSV the service writes, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), and the
text in these files is what citizens typed. OWASP's rule: prefix such a cell with a single
quote, which spreadsheets show as text and do not evaluate. Numbers stay numbers: only strings
are touched, and a string that is nothing but a signed number (an E.164 phone number
`+6281…`, `-7.8`) is left as it is: it cannot call anything, and staff filter on it.
"""

from __future__ import annotations

import re

# The full-width forms are read as formulas by some spreadsheet locales too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_SIGNED_NUMBER = re.compile(r"[+-]?\d{1,20}(?:\.\d{1,20})?")


def neutralise_formula(value):
    """`value` as a CSV cell no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value
