"""The one-page summary both reports open with (the monthly OPD report and the evaluation pack):
the period against the one before and the same period a year before, and the OPDs that
improved and slipped most.

"Moved" is read from SLA compliance (the share of complaints resolved by their deadline), the
figure a head of office is held to; an OPD with no judged complaint in either period does not
take part rather than count as 0 %. Ties go to the larger OPD's change being listed first.
"""

from __future__ import annotations

MOVERS = 3
MONTHLY_HEADLINE = (
    "tickets",
    "median_hours_to_accept",
    "median_hours_to_resolve",
    "sla_compliance",
    "average_rating",
)


def change(current, previous) -> float | None:
    if current is None or previous is None:
        return None
    return round(current - previous, 4)


def movers(
    opds: list[dict], key: str = "sla_compliance", previous_key: str = "previous_sla_compliance"
) -> dict:
    """{"improved": [...], "slipped": [...]}: up to three OPDs each, with both values and the
    change (in the figure's own unit: a share 0–1 for SLA compliance)."""
    moved = []
    for row in opds:
        delta = change(row.get(key), row.get(previous_key))
        if delta is None:
            continue
        moved.append(
            {
                "code": row["code"],
                "name": row["name"],
                "current": row.get(key),
                "previous": row.get(previous_key),
                "change": delta,
                "size": row.get("complaints", row.get("tickets", 0)) or 0,
            }
        )
    improved = sorted((m for m in moved if m["change"] > 0), key=lambda m: (-m["change"], -m["size"]))
    slipped = sorted((m for m in moved if m["change"] < 0), key=lambda m: (m["change"], -m["size"]))
    return {"improved": improved[:MOVERS], "slipped": slipped[:MOVERS]}


def headline(current: dict, previous: dict, year_before: dict, keys: tuple[str, ...]) -> list[dict]:
    """Each figure now, the period before, a year before, and both changes."""
    return [
        {
            "key": key,
            "current": current.get(key),
            "previous": previous.get(key),
            "year_before": year_before.get(key),
            "vs_previous": change(current.get(key), previous.get(key)),
            "vs_year_before": change(current.get(key), year_before.get(key)),
        }
        for key in keys
    ]


def monthly_report_with_summary(month, region: str | None = None) -> dict:
    """The monthly report (services/reports.py) with its summary: the month against the month
    before and the same month a year before, and the OPDs that moved most."""
    from ticketing.services.reports import Month, monthly_report

    report = monthly_report(month, region)
    before = Month(month.year - 1, 12) if month.month == 1 else Month(month.year, month.month - 1)
    year_before = Month(month.year - 1, month.month)
    previous, last_year = monthly_report(before, region), monthly_report(year_before, region)
    earlier = {row["code"]: row for row in previous["opds"]}
    for row in report["opds"]:
        row["previous_sla_compliance"] = (earlier.get(row["code"]) or {}).get("sla_compliance")
    report["summary"] = {
        "previous_label": previous["label"],
        "year_before_label": last_year["label"],
        "headline": headline(report, previous, last_year, MONTHLY_HEADLINE),
        "movers": movers(report["opds"]),
    }
    return report
