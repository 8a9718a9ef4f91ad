"""The isolation matrix (issue #16): region × role × endpoint, generated from the app's own URL
map, so a new endpoint is covered the day it is added (an endpoint this file does not classify
fails the test). Two cities with an OPD of the same code (PUPR) and the province; in each region
an admin, an operator, an officer and a wall account; one ticket per region whose description
carries a marker word. Every staff read (API with a Bearer token, console pages with a logged-in
session, reports) must name no ticket of a region the account may not see, and every
ticket-scoped endpoint must refuse another region's ticket. The sockets have their own test in
test_isolation.py (they need event traffic, not requests)."""

from __future__ import annotations

import pytest

from tests.support.console import ConsoleClient
from tests.support.tickets import bearer

PROVINCE, KEDIRI, BLITAR = "35", "35.71", "35.72"
MARKERS = {KEDIRI: "KDRMARKA", BLITAR: "BLTMARKB", PROVINCE: "PRVMARKC"}
OFFICER_OPD = {KEDIRI: "PUPR", BLITAR: "PUPR", PROVINCE: "DPUBM"}

# Staff reads: (path with its query) — the body must name no ticket the account may not see.
STAFF_READS = {
    "tickets.list_work": "/api/v1/tickets?limit=100",
    "tickets.list_events": "/api/v1/events?since=0",
    "reports.tickets_csv": "/api/v1/tickets.csv",
    "tickets.stats": "/api/v1/stats",
    "incidents.list_incidents": "/api/v1/incidents",
    "wall.summary": "/wall/summary",
    "reports.monthly": "/reports/monthly?format=csv",
    "reports.evaluation": "/reports/evaluation?semester=2026-2&format=csv",
    "console.home": "/console/",
    "console.queue": "/console/queue",
    "console.triage": "/console/triage",
    "console.search": "/console/search?q=jalan",
    "console.outbox": "/console/outbox",
    "console.incidents_page": "/console/incidents",
    "console.ppid_report_page": "/console/ppid-report?year=2026",
    "console.admin_audit": "/console/admin/audit",
}
# Ticket-scoped endpoints: another region's ticket is refused (403/404) and not shown.
TICKET_SCOPED = {
    "tickets.show_ticket": ("GET", "/api/v1/tickets/{n}"),
    "tickets.act_on_ticket": ("POST", "/api/v1/tickets/{n}/actions"),
    "tickets.add_ticket_document": ("POST", "/api/v1/tickets/{n}/documents"),
    "tickets.add_proof_photo": ("POST", "/api/v1/tickets/{n}/photos"),
    "console.ticket_page": ("GET", "/console/tickets/{n}"),
    "console.ticket_action": ("POST", "/console/tickets/{n}/actions"),
    "console.ticket_media": ("GET", "/console/tickets/{n}/media/photo/1"),
    "console.transfer_ticket": ("POST", "/console/tickets/{n}/transfer"),
    "console.voice_summary": ("POST", "/console/tickets/{n}/voice-summary"),
    "incidents.take_out": ("POST", "/api/v1/incidents/1/tickets/{n}/remove"),
    "console.incident_take_out": ("POST", "/console/incidents/1/tickets/{n}/remove"),
}
# Not staff reads of tickets, each with the reason it needs no row here.
NOT_TICKET_READS = {
    "auth.revoke_access_tokens": "auth",
    "auth.issue_access_token": "auth",
    "console.login": "auth",
    "console.logout": "auth",
    "tickets.list_categories": "public reference data (a region's categories)",
    "tickets.list_opds": "public reference data",
    "tickets.list_regions": "public reference data",
    "external.list_bodies": "reference data (outside bodies)",
    "skm.services": "public reference data",
    "skm.results": "public by regulation (IKM per unit)",
    "skm.results_page": "public by regulation",
    "skm.answer": "citizen write",
    "skm.form": "citizen page",
    "skm.submit_form": "citizen write",
    "skm.poster": "public poster",
    "skm.thanks": "citizen page",
    "intake.file_complaint": "citizen write",
    "intake.category_guess": "citizen helper, no ticket",
    "intake.track_complaint": "the citizen's tracking token",
    "intake.give_feedback": "the citizen's tracking token",
    "intake.object_to_answer": "the citizen's tracking token",
    "intake.add_photo": "the citizen's tracking token",
    "intake.reopen_complaint": "the citizen's tracking token",
    "citizen.track": "the citizen's tracking token",
    "citizen.reopen": "the citizen's tracking token",
    "citizen.photo": "the citizen's tracking token",
    "citizen.rate": "the citizen's tracking token",
    "citizen.add_information": "the citizen's tracking token",
    "citizen.object_to_answer": "the citizen's tracking token",
    "citizen.receipt": "the citizen's own receipt (token in the session)",
    "citizen.proof_photo": "a signed link",
    "citizen.complaint_form": "citizen page",
    "citizen.file_from_form": "citizen write",
    "citizen.service_worker": "static",
    "citizen.manifest": "static",
    "citizen.places": "public place list",
    "citizen.static": "static",
    "external.page": "a signed link for one outside body and one ticket",
    "external.act": "a signed link for one outside body and one ticket",
    "external.photo": "a signed link for one outside body and one ticket",
    "opendata.dictionary": "open data (public by design, masked)",
    "opendata.tickets_csv": "open data (public by design, masked)",
    "opendata.tickets_json": "open data (public by design, masked)",
    "open311.discovery": "public",
    "open311.services": "public reference data",
    "open311.service_definition": "public reference data",
    "open311.list_requests": "public view; full detail by key (test_open311_keys_read_their_regions)",
    "open311.show_request": "public view; full detail by key (test_open311_keys_read_their_regions)",
    "open311.create_request": "a key posts in its own regions (tests/open311/test_jurisdictions.py)",
    "apidocs.docs": "documentation",
    "apidocs.docs_init": "documentation",
    "apidocs.openapi": "documentation",
    "ops.healthz": "health",
    "ops.readyz": "health",
    "metrics.metrics": "aggregate counters behind METRICS_TOKEN",
    "static": "static",
    "console.static": "static",
    "wall.static": "static",
    "skm.static": "static",
    "wall.wall_page": "the page shell; its data comes by socket and /wall/summary",
    "channels.sms_gateway": "provider webhook",
    "channels.sms_gateway_outbox": "provider webhook",
    "channels.telegram_webhook": "provider webhook",
    "channels.twilio_sms": "provider webhook",
    "channels.twilio_status": "provider webhook",
    "channels.twilio_whatsapp": "provider webhook",
    "channels.whatsapp_verify": "provider webhook",
    "channels.whatsapp_webhook": "provider webhook",
    "console.intake": "a form (files in the account's region)",
    "console.intake_file": "staff write in the account's region",
    "incidents.create_incident": "staff write in the account's region",
    "incidents.show_incident": "incident-scoped (tests/incidents)",
    "incidents.close_incident": "incident-scoped (tests/incidents)",
    "incidents.declare_proposal": "incident-scoped (tests/incidents)",
    "incidents.dismiss_proposal": "incident-scoped (tests/incidents)",
    "incidents.post_update": "incident-scoped (tests/incidents)",
    "console.incidents_declare": "staff write in the account's region",
    "console.incident_page": "incident-scoped (tests/incidents)",
    "console.incident_step": "incident-scoped (tests/incidents)",
    "console.outbox_step": "outbox rows by id (tests/console)",
    "console.admin_api_keys": "admin, region-scoped (test_admin_regions.py)",
    "console.admin_api_key_create": "admin, region-scoped (test_admin_regions.py)",
    "console.admin_api_key_revoke": "admin, region-scoped (test_admin_regions.py)",
    "console.admin_categories": "reference data admin",
    "console.admin_category_save": "reference data admin",
    "console.admin_external_bodies": "reference data admin",
    "console.admin_external_body_save": "reference data admin",
    "console.admin_opds": "reference data admin",
    "console.admin_opd_save": "reference data admin",
    "console.admin_skm_services": "reference data admin",
    "console.admin_skm_service_save": "reference data admin",
    "console.admin_sla_preview": "a calendar preview, no ticket",
    "console.admin_channel_accounts": "reference data admin (which number is which region's)",
    "console.admin_channel_account_save": "reference data admin",
    "console.admin_channel_account_remove": "reference data admin",
    "console.admin_users": "admin, region-scoped (test_admin_regions.py)",
    "console.admin_user_create": "admin, region-scoped (test_admin_regions.py)",
    "console.admin_user_update": "admin, region-scoped (test_admin_regions.py)",
}


@pytest.fixture
def world(app_ctx, make_ticket, live_server):
    """The province, a ticket per region and four accounts per region, logged in both ways."""
    from ticketing.services.accounts import create_user
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    tickets = {
        KEDIRI: make_ticket(description=f"Jalan Dhoho berlubang {MARKERS[KEDIRI]}"),
        BLITAR: make_ticket(description=f"Jalan Merdeka berlubang {MARKERS[BLITAR]}", region_code=BLITAR),
        PROVINCE: make_ticket(
            opd="DPUBM",
            category="jalan-provinsi",
            description=f"Jalan provinsi retak {MARKERS[PROVINCE]}",
            region_code=PROVINCE,
        ),
    }
    accounts = []
    for region in (PROVINCE, KEDIRI, BLITAR):
        for role in ("admin", "operator", "officer", "wall"):
            username = f"m-{region.replace('.', '')}-{role}"
            opd = OFFICER_OPD[region] if role == "officer" else None
            create_user(
                username=username, password="password123", role=role, opd_code=opd, region_code=region
            )
            accounts.append((username, region, role))
    return tickets, accounts


def _sees(region: str, role: str) -> set[str]:
    """The regions whose ticket (one per region, each of its officer's OPD) an account may see."""
    if region == PROVINCE:
        return {PROVINCE} if role == "officer" else {PROVINCE, KEDIRI, BLITAR}
    return {region}


def _sessions(http, username: str):
    token = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
    assert token.status_code == 200, token.text
    console = ConsoleClient(http.base_url)
    console.login(username)
    return bearer(token.json()["access_token"]), console


def _get(path: str, headers: dict, console: ConsoleClient):
    if path.startswith("/console"):
        return console.get(path, allow_redirects=False)
    return console.session.get(console.base_url + path, headers=headers, timeout=20)


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    classified = set(STAFF_READS) | set(TICKET_SCOPED) | set(NOT_TICKET_READS)
    assert endpoints - classified == set(), "classify the new endpoints in this file"
    assert classified - endpoints == set(), "endpoints this file names that the app no longer has"


def test_no_staff_read_names_another_regions_ticket(http, world):
    tickets, accounts = world
    numbers = {region: ticket.ticket_number for region, ticket in tickets.items()}
    shown_somewhere = {endpoint: False for endpoint in STAFF_READS}
    leaks = []
    for username, region, role in accounts:
        headers, console = _sessions(http, username)
        visible = _sees(region, role)
        for endpoint, path in STAFF_READS.items():
            response = _get(path, headers, console)
            assert response.status_code < 500, (username, path, response.status_code)
            body = response.text
            for other in set(numbers) - visible:
                if numbers[other] in body or MARKERS[other] in body:
                    leaks.append((username, endpoint, other))
            if any(numbers[r] in body or MARKERS[r] in body for r in visible):
                shown_somewhere[endpoint] = True
    assert leaks == []
    # The check can fail: the reads that list tickets do show the account's own ones.
    listing = (
        "tickets.list_work",
        "tickets.list_events",
        "reports.tickets_csv",
        "console.queue",
        "console.search",
    )
    assert all(shown_somewhere[endpoint] for endpoint in listing), shown_somewhere


def test_stats_count_only_the_accounts_regions(http, world):
    _, accounts = world
    for username, region, role in accounts:
        if role == "wall":
            continue
        headers, _ = _sessions(http, username)
        stats = http.get("/api/v1/stats", headers=headers)
        assert stats.status_code == 200, (username, stats.text)
        assert stats.json()["overall"]["tickets"] == len(_sees(region, role)), username


def test_every_ticket_scoped_endpoint_refuses_another_regions_ticket(http, world):
    tickets, accounts = world
    leaks = []
    for username, region, role in accounts:
        headers, console = _sessions(http, username)
        csrf = console.csrf("/console/") if role != "wall" else ""
        for other, ticket in tickets.items():
            if other in _sees(region, role):
                continue
            for endpoint, (method, template) in TICKET_SCOPED.items():
                path = template.format(n=ticket.ticket_number)
                if path.startswith("/console"):
                    if method == "GET":
                        response = console.get(path, allow_redirects=False)
                    else:
                        response = console.post(
                            path, data={"csrf_token": csrf, "action": "comment", "note": "x"}
                        )
                elif method == "GET":
                    response = http.get(path, headers=headers)
                else:
                    response = http.post(path, json={"action": "comment", "note": "x"}, headers=headers)
                refused = response.status_code in (302, 303, 401, 403, 404)
                if not refused or MARKERS[other] in response.text:
                    leaks.append((username, endpoint, other, response.status_code))
    assert leaks == []


def test_open311_keys_read_their_regions(http, world):
    """A `full_detail` key of Kediri reads Kediri's tickets with their address; Blitar's stay in
    the public view (no address), and asking for one in full is not answered."""
    from ticketing.extensions import db
    from ticketing.services.api_keys import create_api_key

    tickets, _ = world
    for region, ticket in tickets.items():
        ticket.address = f"Jalan Rumah {MARKERS[region]} 7"
    db.session.commit()
    key = create_api_key("Kediri", scope="full_detail", region_code=KEDIRI).key
    own = http.get(f"/open311/v2/requests/{tickets[KEDIRI].ticket_number}.json", params={"api_key": key})
    assert own.status_code == 200 and own.json()[0]["address"] == f"Jalan Rumah {MARKERS[KEDIRI]} 7"
    foreign = http.get(f"/open311/v2/requests/{tickets[BLITAR].ticket_number}.json", params={"api_key": key})
    assert foreign.status_code == 404 and MARKERS[BLITAR] not in foreign.text
    listed = http.get("/open311/v2/requests.json", params={"api_key": key}).json()
    assert {row["service_request_id"] for row in listed} == {tickets[KEDIRI].ticket_number}
    public = http.get("/open311/v2/requests.json").json()
    assert tickets[BLITAR].ticket_number in {row["service_request_id"] for row in public}
    assert all(row["address"] is None for row in public)
