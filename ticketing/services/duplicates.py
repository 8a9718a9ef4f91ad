"""Possible duplicates: the same problem reported twice, shown to the operator, never merged.

A new complaint is linked to an OPEN ticket of the same category, created in the last 7 days,
within 150 m, whose text is similar. SQL narrows by category, status, time and a lat/lon box;
the exact distance and the text similarity are computed here on the few rows left.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, PossibleDuplicate, Ticket
from ticketing.models.base import utcnow
from ticketing.models.tickets import EXTERNAL_STATUSES
from ticketing.router.normalize import stem_text

EARTH_RADIUS_M = 6_371_000.0
# Jaccard of content stems. Two reports of one problem share the problem and the landmark
# ("lubang", "jalan", "depan", "sd", "bandar") and scored 0.31-0.88 on the pairs in
# tests/routing/test_duplicates.py; two different problems of one category nearby scored 0-0.20.
# The threshold sits between: a missed link costs an operator little, a wrong one a look.
SIMILARITY_THRESHOLD = 0.25
MAX_CANDIDATES = 200
# Words every complaint uses: they say nothing about which problem it is.
STOPWORDS = frozenset(
    """
ada adalah agar akan aku apa atau bagaimana banyak bapak belum bisa buat dan dari dengan di dia
ibu ini itu jadi juga kalau kami kita ke kepada ke karena lagi lebih mas masih min mohon mbak
mereka nya oleh pada para pak sama saat saja sangat saya sebagai sejak sekali semua sudah supaya
tapi telah tersebut tidak tolong untuk warga yang ya sekitar tadi kok lho nggih segera dong deh
""".split()
)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def content_tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in stem_text(text or "").split() if len(t) > 1 and t not in STOPWORDS)


def text_similarity(a: str, b: str) -> float:
    ta, tb = content_tokens(a), content_tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def find_possible_duplicates(
    ticket: Ticket, *, radius_m: float | None = None, window_days: int | None = None
) -> list[tuple[Ticket, float, float]]:
    """(original, distance in metres, similarity) for each open, nearby, similar earlier ticket."""
    if ticket.lat is None or ticket.lon is None or not ticket.category_code:
        return []
    config = current_app.config
    radius_m = radius_m if radius_m is not None else config.get("DUPLICATE_RADIUS_METERS", 150)
    window_days = window_days if window_days is not None else config.get("DUPLICATE_WINDOW_DAYS", 7)
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(ticket.lat)), 0.01))
    since = (ticket.created_at or utcnow()) - timedelta(days=window_days)
    rows = db.session.scalars(
        select(Ticket)
        .where(
            Ticket.region_code == ticket.region_code,
            Ticket.category_code == ticket.category_code,
            # A report of a pole PLN already has is a duplicate too (issue #17).
            Ticket.status.in_(OPEN_STATUSES + EXTERNAL_STATUSES),
            Ticket.id != ticket.id,
            Ticket.created_at >= since,
            Ticket.lat.between(ticket.lat - dlat, ticket.lat + dlat),
            Ticket.lon.between(ticket.lon - dlon, ticket.lon + dlon),
        )
        .order_by(Ticket.id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    found = []
    for other in rows:
        distance = haversine_m(ticket.lat, ticket.lon, other.lat, other.lon)
        if distance > radius_m:
            continue
        similarity = text_similarity(ticket.description, other.description)
        if similarity >= SIMILARITY_THRESHOLD:
            found.append((other, distance, similarity))
    found.sort(key=lambda item: (-item[2], item[1]))
    return found


def link_possible_duplicates(ticket: Ticket) -> list[dict]:
    """Record the links in the caller's transaction; returns them for the routing event
    (`duplicates`, the key the operators' triage page reads)."""
    existing = set(
        db.session.scalars(
            select(PossibleDuplicate.original_id).where(PossibleDuplicate.ticket_id == ticket.id)
        )
    )
    links = []
    for original, distance, similarity in find_possible_duplicates(ticket):
        if original.id not in existing:
            db.session.add(
                PossibleDuplicate(
                    ticket_id=ticket.id,
                    original_id=original.id,
                    distance_m=round(distance, 1),
                    similarity=round(similarity, 3),
                )
            )
        links.append(
            {
                "ticket_number": original.ticket_number,
                "distance_m": round(distance, 1),
                "similarity": round(similarity, 3),
            }
        )
    return links


def possible_duplicate_numbers(ticket: Ticket) -> list[str]:
    """Ticket numbers this ticket may duplicate, for the ticket detail API and the console."""
    return list(
        db.session.scalars(
            select(Ticket.ticket_number)
            .join(PossibleDuplicate, PossibleDuplicate.original_id == Ticket.id)
            .where(PossibleDuplicate.ticket_id == ticket.id)
            .order_by(PossibleDuplicate.similarity.desc(), Ticket.id)
        )
    )
