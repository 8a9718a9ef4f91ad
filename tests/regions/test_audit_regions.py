"""The console's audit log is region-scoped like every other staff read (issue #16): a city's
admin reads its own city's sign-ins, admin changes and ticket actions (and the names of its own
staff in the filter), never another city's; a province's admin reads its cities' too. Each
admin page's "recent changes" panel likewise. Through the real console (sessions, CSRF), the
real API and both databases."""

from __future__ import annotations

import pytest

from tests.support.console import ConsoleClient
from tests.support.province import BLITAR, KEDIRI, PROVINCE

# Words that name one region's audit rows: its OPD codes, its accounts, its ticket.
KEDIRI_WORDS = ("KDRAUDIT", "kediri-op")
BLITAR_WORDS = ("BLTAUDIT", "blitar-op", "blitar-baru")


@pytest.fixture
def audited(app_ctx, live_server, http, province):
    """Admins of both cities and the province, each region's audit rows made through the
    console and the API; returns (console login, the Blitar ticket's number)."""
    from ticketing.services.accounts import create_user

    for username, role, region in (
        ("kediri-admin", "admin", KEDIRI),
        ("blitar-admin", "admin", BLITAR),
        ("jatim-admin", "admin", PROVINCE),
        ("kediri-op", "operator", KEDIRI),
        ("blitar-op", "operator", BLITAR),
    ):
        create_user(username=username, password="password123", role=role, region_code=region)

    def console(username: str) -> tuple[ConsoleClient, str]:
        client = ConsoleClient(live_server.base_url)
        assert client.login(username).status_code in (302, 303)
        return client, client.csrf("/console/admin/opds")

    for username, code in (("kediri-admin", "KDRAUDIT"), ("blitar-admin", "BLTAUDIT")):
        client, token = console(username)
        saved = client.post(
            "/console/admin/opds",
            data={"code": code, "name": f"Dinas {code}", "active": "1", "csrf_token": token},
        )
        assert saved.status_code in (302, 303), saved.text
    jatim, token = console("jatim-admin")
    made = jatim.post(
        "/console/admin/users",
        data={
            "username": "blitar-baru",
            "password": "password123",
            "role": "operator",
            "region": BLITAR,
            "csrf_token": token,
        },
    )
    assert made.status_code in (302, 303), made.text

    # A Blitar operator (signing in on the API) sends a Blitar complaint to its PUPR.
    filed = http.post(
        "/api/v1/complaints",
        json={"description": "Jalan berlubang besar di depan sekolah, motor jatuh", "region": BLITAR},
    )
    assert filed.status_code == 201, filed.text
    number = filed.json()["ticket_number"]
    login = http.post("/api/v1/auth/token", json={"username": "blitar-op", "password": "password123"})
    assert login.status_code == 200, login.text
    acted = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "dispose", "opd": "PUPR"},
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )
    assert acted.status_code == 200, acted.text
    for username in ("kediri-op",):
        assert (
            http.post(
                "/api/v1/auth/token", json={"username": username, "password": "password123"}
            ).status_code
            == 200
        )
    return console, number


def _audit(console, username: str) -> str:
    client, _ = console(username)
    page = client.get("/console/admin/audit")
    assert page.status_code == 200
    return page.text


def test_a_city_admin_reads_its_own_citys_audit_rows_only(audited):
    console, blitar_ticket = audited
    kediri = _audit(console, "kediri-admin")
    assert all(word in kediri for word in KEDIRI_WORDS)
    assert [word for word in (*BLITAR_WORDS, blitar_ticket) if word in kediri] == []

    blitar = _audit(console, "blitar-admin")
    assert all(word in blitar for word in (*BLITAR_WORDS, blitar_ticket))
    assert [word for word in KEDIRI_WORDS if word in blitar] == []
    # A filter by another city's user shows nothing of it either.
    client, _ = console("kediri-admin")
    filtered = client.get("/console/admin/audit?user=blitar-op").text
    assert blitar_ticket not in filtered and "BLTAUDIT" not in filtered


def test_the_province_admin_reads_its_cities_audit_rows(audited):
    console, blitar_ticket = audited
    jatim = _audit(console, "jatim-admin")
    assert all(word in jatim for word in (*KEDIRI_WORDS, *BLITAR_WORDS, blitar_ticket))


def test_the_admin_pages_recent_changes_are_the_admins_regions(audited):
    console, _ = audited
    kediri, _ = console("kediri-admin")
    opds = kediri.get("/console/admin/opds").text
    assert "KDRAUDIT" in opds and "BLTAUDIT" not in opds
    users = kediri.get("/console/admin/users").text
    assert "blitar-baru" not in users
    blitar, _ = console("blitar-admin")
    assert "blitar-baru" in blitar.get("/console/admin/users").text
