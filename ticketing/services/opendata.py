"""Tickets as rows: the anonymised open-data export and the staff CSV.

Both read in keyset pages (by id) rather than one cursor, so a million-row export streams in
constant memory on SQLite and PostgreSQL alike and never holds a transaction open for minutes.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, select

from ticketing.csv_safety import neutralise_formula
from ticketing.extensions import db
from ticketing.formatting import city_isoformat
from ticketing.models import Ticket, TicketEvent, User
from ticketing.pii import mask_personal_data
from ticketing.services.events import isoformat
from ticketing.services.regions import category_names, opd_names

PAGE_SIZE = 500
NOTE_SEPARATOR = " | "

# The data dictionary of the open-data export: (column, type, meaning in Bahasa Indonesia).
OPEN_DATA_FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "record_id",
        "teks",
        "Pengenal baris, tetap untuk pengaduan yang sama. Sengaja bukan nomor "
        "pengaduan, agar baris ini tidak dapat dikaitkan dengan Open311 atau "
        "percakapan pelapor.",
    ),
    ("channel", "teks", "Kanal masuk: web, sms, whatsapp, open311, telegram, phone, counter."),
    ("kind", "teks", "Jenis laporan: pengaduan, aspirasi, atau informasi (permintaan informasi publik)."),
    ("category_code", "teks", "Kode kategori pengaduan (kosong bila belum ditentukan)."),
    ("category_name", "teks", "Nama kategori pengaduan."),
    ("opd_code", "teks", "Kode OPD yang menangani (kosong bila masih diverifikasi)."),
    ("opd_name", "teks", "Nama OPD yang menangani."),
    (
        "status",
        "teks",
        "Status: received, triage, assigned, in_progress, on_hold, objection, resolved, closed, "
        "closed_unresolved, rejected.",
    ),
    ("created_at", "waktu ISO 8601 (UTC)", "Waktu pengaduan diterima."),
    ("assigned_at", "waktu ISO 8601 (UTC)", "Waktu diteruskan ke OPD."),
    ("accepted_at", "waktu ISO 8601 (UTC)", "Waktu OPD mulai menindaklanjuti."),
    ("resolved_at", "waktu ISO 8601 (UTC)", "Waktu OPD menyatakan selesai."),
    ("closed_at", "waktu ISO 8601 (UTC)", "Waktu pengaduan ditutup."),
    ("sla_due_at", "waktu ISO 8601 (UTC)", "Batas waktu penyelesaian sesuai standar layanan."),
    ("overdue", "boolean", "Melewati batas waktu penyelesaian."),
    ("lat", "angka (3 desimal)", "Lintang lokasi, dibulatkan ±100 m untuk privasi."),
    ("lon", "angka (3 desimal)", "Bujur lokasi, dibulatkan ±100 m untuk privasi."),
    ("rating", "bilangan 1-5", "Penilaian pelapor atas penyelesaian."),
    ("public_notes", "teks", "Catatan publik petugas; data pribadi disamarkan."),
)
OPEN_DATA_COLUMNS = tuple(name for name, _, _ in OPEN_DATA_FIELDS)

STAFF_COLUMNS = (
    "ticket_number",
    "status",
    "channel",
    "kind",
    "category_code",
    "opd_code",
    "created_at",
    "updated_at",
    "routed_at",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "closed_at",
    "sla_due_at",
    "overdue",
    "flagged_for_supervisor",
    "return_count",
    "reopen_count",
    "anonymous",
    "confidential",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "lat",
    "lon",
    "address",
    "routing_confidence",
    "rejection_reason",
    "rating",
    "description",
)


def _pages(query: Select) -> Iterator[list[Ticket]]:
    last_id = 0
    while True:
        page = list(db.session.scalars(query.where(Ticket.id > last_id).order_by(Ticket.id).limit(PAGE_SIZE)))
        if not page:
            db.session.rollback()
            return
        last_id = page[-1].id
        yield page
        db.session.rollback()  # one short read transaction per page


def _staff_public_notes(ticket_ids: list[int]) -> dict[int, list[str]]:
    """Public notes written by staff: what the OPD told citizens. Citizens' own texts stay out."""
    rows = db.session.execute(
        select(TicketEvent.ticket_id, TicketEvent.note)
        .where(
            TicketEvent.ticket_id.in_(ticket_ids),
            TicketEvent.public.is_(True),
            TicketEvent.note.is_not(None),
            TicketEvent.actor_user_id.is_not(None),
        )
        .order_by(TicketEvent.id)
    )
    notes: dict[int, list[str]] = {}
    for ticket_id, note in rows:
        notes.setdefault(ticket_id, []).append(" ".join(mask_personal_data(note).split()))
    return notes


def _window(query: Select, start: datetime | None, end: datetime | None) -> Select:
    if start is not None:
        query = query.where(Ticket.created_at >= start)
    if end is not None:
        query = query.where(Ticket.created_at < end)
    return query


def open_data_record_id(ticket_number: str) -> str:
    """A stable row id that is not the ticket number: the ticket number is on Open311, in the
    citizen's SMS and on the tracking page, and open data must not be joined to any of them.
    A keyed hash (SECRET_KEY), so it cannot be computed from a known ticket number."""
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(key, b"open-data:" + ticket_number.encode(), hashlib.sha256).hexdigest()[:20]


def open_data_rows(start: datetime | None = None, end: datetime | None = None) -> Iterator[dict]:
    """Every non-confidential ticket, anonymised: no identity, no free text but public notes."""
    names_opd, names_category = opd_names(), category_names()
    query = _window(select(Ticket).where(Ticket.confidential.is_(False)), start, end)
    for page in _pages(query):
        notes = _staff_public_notes([t.id for t in page])
        for t in page:
            yield {
                "record_id": open_data_record_id(t.ticket_number),
                "channel": t.channel,
                "kind": t.kind,
                "category_code": t.category_code,
                "category_name": names_category.get((t.region_code, t.category_code)),
                "opd_code": t.opd_code,
                "opd_name": names_opd.get((t.region_code, t.opd_code)),
                "status": t.status,
                "created_at": isoformat(t.created_at),
                "assigned_at": isoformat(t.assigned_at),
                "accepted_at": isoformat(t.accepted_at),
                "resolved_at": isoformat(t.resolved_at),
                "closed_at": isoformat(t.closed_at),
                "sla_due_at": isoformat(t.sla_due_at),
                "overdue": t.overdue,
                "lat": round(t.lat, 3) if t.lat is not None else None,
                "lon": round(t.lon, 3) if t.lon is not None else None,
                "rating": t.feedback_rating,
                "public_notes": NOTE_SEPARATOR.join(notes.get(t.id, [])) or None,
            }


def staff_rows(
    user: User,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
    opd: str | None = None,
    category: str | None = None,
    channel: str | None = None,
) -> Iterator[dict]:
    """Full rows for the command centre. Officers get their OPD's only (`scoped_tickets`), and
    nobody gets the identity of an anonymous or confidential reporter in a file that travels."""
    from ticketing.services.queries import scoped_tickets

    query = _window(scoped_tickets(user), start, end)
    for column, value in (
        (Ticket.status, status),
        (Ticket.opd_code, opd),
        (Ticket.category_code, category),
        (Ticket.channel, channel),
    ):
        if value:
            query = query.where(column == value)
    # Built now, while the request's user is attached; the rows stream after the view returns.
    return _staff_row_stream(query)


def _staff_row_stream(query) -> Iterator[dict]:
    # Staff open this file in a spreadsheet: times on the city's clock (ISO 8601, +07:00).
    for page in _pages(query):
        for t in page:
            hidden = t.anonymous or t.confidential
            yield {
                "ticket_number": t.ticket_number,
                "status": t.status,
                "channel": t.channel,
                "kind": t.kind,
                "category_code": t.category_code,
                "opd_code": t.opd_code,
                "created_at": city_isoformat(t.created_at),
                "updated_at": city_isoformat(t.updated_at),
                "routed_at": city_isoformat(t.routed_at),
                "assigned_at": city_isoformat(t.assigned_at),
                "accepted_at": city_isoformat(t.accepted_at),
                "resolved_at": city_isoformat(t.resolved_at),
                "closed_at": city_isoformat(t.closed_at),
                "sla_due_at": city_isoformat(t.sla_due_at),
                "overdue": t.overdue,
                "flagged_for_supervisor": t.flagged_for_supervisor,
                "return_count": t.return_count,
                "reopen_count": t.reopen_count,
                "anonymous": t.anonymous,
                "confidential": t.confidential,
                "reporter_name": None if hidden else t.reporter_name,
                "reporter_phone": None if hidden else t.reporter_phone,
                "reporter_email": None if hidden else t.reporter_email,
                "lat": t.lat,
                "lon": t.lon,
                "address": t.address,
                "routing_confidence": t.routing_confidence,
                "rejection_reason": t.rejection_reason,
                "rating": t.feedback_rating,
                "description": t.description,
            }


def csv_stream(columns, rows):
    """CSV text in chunks of ~200 rows: the response starts at once and memory stays flat.
    Every CSV the service writes goes through here, so no cell is ever a live formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for count, row in enumerate(rows, 1):
        writer.writerow(
            {
                k: ("true" if v is True else "false" if v is False else neutralise_formula(v))
                for k, v in row.items()
            }
        )
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
