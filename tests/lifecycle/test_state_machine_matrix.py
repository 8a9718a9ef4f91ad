"""The role × action × status matrix, generated from the one state-machine table and checked
through real HTTP: every cell answers the table's next status, 403 or 409 (or 404 where an
officer's OPD does not hold the ticket)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.support.tickets import bearer
from ticketing.models import STATUSES
from ticketing.services.lifecycle import ACTIONS, KIND_ACTIONS, TRANSITIONS, roles_for

STAFF_ROLES = ("admin", "operator", "officer", "wall")
# The officer belongs to PUPR; tickets before disposal belong to no OPD.
NO_OPD_STATUSES = ("received", "triage")
PAYLOADS = {
    "dispose": {"opd": "DLHKP", "note": "Saluran tersumbat sampah: urusan DLHKP."},
    "return": {"note": "Bukan kewenangan kami, ini urusan DLHKP."},
    "resolve": {"note": "Sudah ditambal.", "public": True},
    "comment": {"note": "Tim survei berangkat besok."},
    "reject": {"reason": "spam"},
    # Issue #16: to the province above the demo city (its triage, no OPD named).
    "transfer": {"region": "35", "note": "Ruas jalan provinsi: kewenangan provinsi."},
    "forward_external": {"body": "PLN-UP3-KDR", "note": "Tiang listrik: kewenangan PLN."},
    "hold": {"note": "Menunggu jadwal pengaspalan."},
    "close_unresolved": {"reason": "planned_later"},
    "answer": {"note": "Usulan dicatat untuk musrenbang."},
    "extend": {"note": "Data masih dihimpun dari bidang."},
    "decide": {"decision": "granted", "note": "Salinan terlampir."},
}


def kind_for(action: str) -> str:
    """The kind of report a cell's ticket is: one the action applies to (KIND_ACTIONS)."""
    return KIND_ACTIONS.get(action, ("pengaduan",))[0]


def category_for(action: str) -> str:
    """A `resolve` cell's ticket is of a category without `needs_proof`: its photo rule has
    its own tests (tests/tickets/test_proof_of_fix_api.py); here the table is checked."""
    return "pencemaran" if action == "resolve" else "jalan-rusak"


def expected_outcome(role: str, status: str, action: str):
    """What the table says should happen: a status, or an HTTP error code."""
    if role == "wall":
        return 403  # screens never act
    if role == "officer" and status in NO_OPD_STATUSES:
        return 404  # not their OPD's ticket: it does not exist for them
    if role not in roles_for(action):
        return 403
    transition = TRANSITIONS.get((status, action))
    if transition is None:
        return 409
    return transition.to_status if role in transition.roles else 403


def test_every_role_action_and_status_answers_as_the_table_says(http, staff, make_ticket, province):
    cells = [(role, status, action) for role in STAFF_ROLES for status in STATUSES for action in ACTIONS]
    tickets = {
        cell: make_ticket(
            status=cell[1],
            opd=None if cell[1] in NO_OPD_STATUSES else "PUPR",
            category=category_for(cell[2]),
            kind=kind_for(cell[2]),
        )
        for cell in cells
    }
    sessions = threading.local()

    def act(cell_and_number):
        (role, status, action), number = cell_and_number
        if not hasattr(sessions, "session"):
            sessions.session = requests.Session()
        response = sessions.session.post(
            f"{http.base_url}/api/v1/tickets/{number}/actions",
            json={"action": action, **PAYLOADS.get(action, {})},
            headers=bearer(staff[role]),
            timeout=60,
        )
        return (role, status, action), response

    # Each cell has a ticket of its own, so the ~1,000 requests go four at a time: one after
    # another they made this the suite's longest test, waiting on the server's round trips.
    numbers = {cell: ticket.ticket_number for cell, ticket in tickets.items()}  # in the app context
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(act, numbers.items()))
    mismatches, outcomes = [], {}
    for (role, status, action), response in answers:
        want = expected_outcome(role, status, action)
        if isinstance(want, int):
            got = response.status_code
            if got == 409:
                assert response.json()["error"]["code"] == "invalid_transition"
        else:
            got = response.json()["status"] if response.status_code == 200 else response.status_code
        outcomes[got] = outcomes.get(got, 0) + 1
        if got != want:
            mismatches.append((role, status, action, want, got, response.text[:200]))
    assert mismatches == []
    # The matrix really exercises every kind of answer.
    assert {403, 404, 409} <= set(outcomes)
    assert {"assigned", "in_progress", "triage", "resolved", "closed", "rejected"} <= set(outcomes)
    assert len(cells) == len(STAFF_ROLES) * len(STATUSES) * len(ACTIONS)


def test_citizen_feedback_and_reopen_follow_the_table(http, make_ticket):
    for status in STATUSES:
        for action, path, body in (
            ("feedback", "feedback", {"rating": 4}),
            ("reopen", "reopen", {"note": "Masih berlubang."}),
        ):
            ticket = make_ticket(status=status, opd=None if status in NO_OPD_STATUSES else "PUPR")
            response = http.post(
                f"/api/v1/complaints/{ticket.ticket_number}/{path}",
                params={"token": ticket.tracking_token},
                json=body,
            )
            transition = TRANSITIONS.get((status, action))
            if transition is None or "citizen" not in transition.roles:
                assert response.status_code == 409, (status, action, response.text)
                assert response.json()["error"]["code"] == "invalid_transition"
            else:
                assert response.status_code == 200, (status, action, response.text)
                assert response.json()["status"] == transition.to_status


def test_wrong_token_or_bad_rating_is_a_clear_4xx(http, make_ticket):
    ticket = make_ticket(status="resolved")
    path = f"/api/v1/complaints/{ticket.ticket_number}/feedback"
    assert http.post(path, params={"token": "wrong"}, json={"rating": 4}).status_code == 404
    for body in ({"rating": 0}, {"rating": 6}, {"rating": "4"}, {"rating": 4.5}, {}):
        response = http.post(path, params={"token": ticket.tracking_token}, json=body)
        assert response.status_code == 422, body
    assert http.post(path, params={"token": ticket.tracking_token}, data="x").status_code == 415
    first = http.post(path, params={"token": ticket.tracking_token}, json={"rating": 5})
    assert first.status_code == 200
    again = http.post(path, params={"token": ticket.tracking_token}, json={"rating": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
