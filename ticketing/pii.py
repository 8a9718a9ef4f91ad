"""Personal data in citizen text: the patterns that find it and the masked summary.

Every pattern here runs over hostile text on public paths, so each one is linear in the text:
a match can only start where a run of its characters starts (a look-behind), quantifiers that
could trade characters with a neighbour are possessive, and repeats are bounded. The e-mail
pattern this replaced (`[\\w.+-]+@…` with no anchor) retried the whole rest of a long word at
every position: 50 descriptions of 4,000 "a" cost seconds on every public read.

This module sits at the ground floor (models, services and the log filter all use it).
"""

from __future__ import annotations

import re

SUMMARY_LENGTH = 140

# An e-mail address: starts only where a run of local-part characters starts; the run is taken
# whole (possessive, it cannot contain "@"), so a long word without "@" costs one pass.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# NIK (national identity number): exactly 16 digits, not part of a longer number.
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Indonesian mobile numbers: +62 / 62 / 0, then 8, then 6-12 more digits with optional
# single separators (a separator is never a digit, so the repeat cannot be split two ways).
PHONE = re.compile(r"(?<![\w])(?:\+?62|0)[\s.-]?8(?:[\s.-]?\d){6,12}(?!\d)")


def mask_personal_data(value: str) -> str:
    value = EMAIL.sub("[email]", value)
    value = NIK.sub("[NIK]", value)
    return PHONE.sub("[telepon]", value)


def summarize(description: str) -> str:
    """The masked one-line summary every public view shows (stored on the ticket)."""
    summary = " ".join(mask_personal_data(description or "").split())
    if len(summary) <= SUMMARY_LENGTH:
        return summary
    return summary[: SUMMARY_LENGTH - 1].rstrip() + "…"
