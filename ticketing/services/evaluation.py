"""The Smart City evaluation pack for one semester (`/reports/evaluation?semester=2026-2`).

Per OPD: complaints received, the median time to the OPD's first response (accepting the
ticket) and to resolution, SLA compliance, the reopen rate, the citizens' ratings, aspirations
and information requests answered, and the OPD's SKM index with its weakest elements (the
figures of `GET /api/v1/skm/results`, from services/skm.py). City totals for the semester, the
one before and the same semester a year before, and the OPDs that moved most.

Figures use the definitions of `GET /api/v1/stats` (services/stats.py): hours from assignment
to acceptance and to resolution, medians; SLA met when resolved by the deadline and never
breached. "Answered" aspirations and information requests are those resolved or closed.
"""

from __future__ import annotations

from statistics import median

from sqlalchemy import select

from ticketing.extensions import db
from ticketing.formatting import city_zone
from ticketing.models import Opd, Ticket, User
from ticketing.services import skm
from ticketing.services.report_summary import movers
from ticketing.services.skm_index import Semester

ANSWERED = ("resolved", "closed")
HAS_KIND = hasattr(Ticket, "kind")  # ticket kinds (issue #20) may not be in this deployment yet


def staff_user_for_session(user_id, token_version, roles) -> User | None:
    """The console session's user, when still active, unchanged and in `roles`."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or user.token_version != token_version or user.role not in roles:
        return None
    return user


def _hours(later, earlier) -> float | None:
    return None if later is None or earlier is None else (later - earlier).total_seconds() / 3600


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(median(values), 2) if values else None


def _figures(rows) -> dict:
    complaints = [r for r in rows if not HAS_KIND or r.kind == "pengaduan"]
    judged = [r for r in complaints if r.resolved_at and r.sla_due_at]
    met = sum(1 for r in judged if r.resolved_at <= r.sla_due_at and r.sla_breached_at is None)
    resolved = [r for r in complaints if r.resolved_at is not None or r.reopen_count]
    ratings = [r.feedback_rating for r in complaints if r.feedback_rating is not None]

    def answered(kind: str) -> int:
        return sum(1 for r in rows if HAS_KIND and r.kind == kind and r.status in ANSWERED)

    return {
        "complaints": len(complaints),
        "median_hours_to_accept": _median(_hours(r.accepted_at, r.assigned_at) for r in complaints),
        "median_hours_to_resolve": _median(_hours(r.resolved_at, r.assigned_at) for r in complaints),
        "sla_compliance": round(met / len(judged), 4) if judged else None,
        "sla_resolved": len(judged),
        "reopen_rate": round(sum(1 for r in resolved if r.reopen_count) / len(resolved), 4)
        if resolved
        else None,
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "ratings": len(ratings),
        "aspirations_answered": answered("aspirasi"),
        "information_answered": answered("informasi"),
    }


def _tickets(semester: Semester, region_codes: list[str] | None) -> list:
    start, end = semester.bounds(city_zone())
    columns = [
        Ticket.opd_code,
        Ticket.status,
        Ticket.assigned_at,
        Ticket.accepted_at,
        Ticket.resolved_at,
        Ticket.sla_due_at,
        Ticket.sla_breached_at,
        Ticket.reopen_count,
        Ticket.feedback_rating,
    ]
    if HAS_KIND:
        columns.append(Ticket.kind)
    query = select(*columns).where(Ticket.created_at >= start, Ticket.created_at < end)
    if region_codes is not None:
        query = query.where(Ticket.region_code.in_(region_codes))
    return db.session.execute(query).all()


def _semester_figures(semester: Semester, region_codes: list[str] | None) -> tuple[dict, dict, dict]:
    """(city figures, per-OPD figures, the SKM results) of one semester."""
    rows = _tickets(semester, region_codes)
    by_opd: dict[str, list] = {}
    for row in rows:
        by_opd.setdefault(row.opd_code or "-", []).append(row)
    results = skm.semester_results(semester, region_codes)
    city = _figures(rows)
    city["ikm"], city["grade"] = results["city"]["ikm"], results["city"]["grade"]
    city["skm_respondents"] = results["city"]["respondents"]
    return city, {code: _figures(items) for code, items in by_opd.items()}, results


def evaluation_pack(semester: Semester, region_codes: list[str] | None = None) -> dict:
    city, per_opd, results = _semester_figures(semester, region_codes)
    previous_city, previous_opd, previous_results = _semester_figures(semester.previous(), region_codes)
    year_city, _, _ = _semester_figures(semester.year_before(), region_codes)
    skm_by_opd = {row["opd"]: row for row in results["opds"]}
    previous_skm = {row["opd"]: row for row in previous_results["opds"]}
    query = select(Opd).order_by(Opd.code)
    if region_codes is not None:
        query = query.where(Opd.region_code.in_(region_codes))
    opds = []
    for opd in db.session.scalars(query):
        figures = per_opd.get(opd.code)
        survey = skm_by_opd.get(opd.code)
        if opd.kind != "agency" and figures is None and survey is None:
            continue  # an area office with nothing this semester
        row = {"code": opd.code, "name": opd.name, **(figures or _figures([]))}
        row["ikm"] = survey["ikm"] if survey else None
        row["grade"] = survey["grade"] if survey else None
        row["skm_respondents"] = survey["respondents"] if survey else 0
        row["weakest"] = survey["weakest"] if survey else []
        before = previous_opd.get(opd.code) or {}
        row["previous_sla_compliance"] = before.get("sla_compliance")
        row["previous_ikm"] = (previous_skm.get(opd.code) or {}).get("ikm")
        opds.append(row)
    db.session.rollback()
    return {
        "semester": semester.code,
        "label": semester.label,
        "period": semester.period_label,
        "previous_label": semester.previous().label,
        "year_before_label": semester.year_before().label,
        "kinds_recorded": HAS_KIND,
        "city": city,
        "previous": previous_city,
        "year_before": year_city,
        "opds": opds,
        "services": results["services"],
        "city_elements": results["city"]["elements"],
        "flagged": results["flagged"],
        "movers": movers(opds),
    }


CSV_COLUMNS = (
    ("code", "kode_opd"),
    ("name", "opd"),
    ("complaints", "pengaduan_masuk"),
    ("median_hours_to_accept", "median_jam_respons_pertama"),
    ("median_hours_to_resolve", "median_jam_selesai"),
    ("sla_compliance", "kepatuhan_sla"),
    ("reopen_rate", "tingkat_dibuka_kembali"),
    ("average_rating", "rata_rata_penilaian"),
    ("ratings", "jumlah_penilaian"),
    ("aspirations_answered", "aspirasi_dijawab"),
    ("information_answered", "informasi_dijawab"),
    ("skm_respondents", "responden_skm"),
    ("ikm", "ikm"),
    ("grade", "mutu_pelayanan"),
)


CSV_HEADER = [label for _, label in CSV_COLUMNS] + ["unsur_terlemah"]


def csv_rows(pack: dict):
    """One row per OPD and the city's total, keyed by CSV_HEADER (opendata.csv_stream writes
    them, neutralising anything that would read as a formula)."""
    for row in [*pack["opds"], {"code": "KOTA", "name": "Total kota", **pack["city"], "weakest": []}]:
        values = {label: row.get(key) for key, label in CSV_COLUMNS}
        values["unsur_terlemah"] = "; ".join(f"{w['element']}={w['mean']}" for w in row.get("weakest", []))
        yield values
