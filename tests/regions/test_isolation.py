"""Staff of one city never see another city's tickets; a province's staff see their cities'
(issue #16). Two cities with an OPD of the same code (PUPR) and the province, through the real
API and real Socket.IO clients: list, detail, action, events feed, CSV, stats and sockets."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.tickets import bearer

KEDIRI, BLITAR, PROVINCE = "35.71", "35.72", "35"


@pytest.fixture
def province(app_ctx, make_ticket):
    """The demo province seeded, one PUPR ticket in each city and one province ticket."""
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    return {
        KEDIRI: make_ticket(description="Jalan Dhoho berlubang"),
        BLITAR: make_ticket(description="Jalan Merdeka Blitar berlubang", region_code=BLITAR),
        PROVINCE: make_ticket(
            opd="DPUBM", category="jalan-provinsi", description="Jalan provinsi retak", region_code=PROVINCE
        ),
    }


@pytest.fixture
def accounts(region_token):
    """Tokens of two cities' operators and PUPR officers, and the province's operator and officer."""
    people = {
        "kediri_operator": ("operator", None, KEDIRI),
        "kediri_pupr": ("officer", "PUPR", KEDIRI),
        "blitar_operator": ("operator", None, BLITAR),
        "blitar_pupr": ("officer", "PUPR", BLITAR),
        "province_operator": ("operator", None, PROVINCE),
        "province_dpubm": ("officer", "DPUBM", PROVINCE),
    }
    return {
        username: region_token(role, region, opd, username=username)
        for username, (role, opd, region) in people.items()
    }


# Who sees which region's ticket (the province operator: its own and both cities').
SEES = {
    "kediri_operator": {KEDIRI},
    "kediri_pupr": {KEDIRI},
    "blitar_operator": {BLITAR},
    "blitar_pupr": {BLITAR},
    "province_operator": {PROVINCE, KEDIRI, BLITAR},
    "province_dpubm": {PROVINCE},
}


def test_list_detail_action_events_csv_and_stats_stay_in_the_region(http, province, accounts):
    numbers = {region: ticket.ticket_number for region, ticket in province.items()}
    for username, regions in SEES.items():
        headers = bearer(accounts[username])
        listed = http.get("/api/v1/tickets", headers=headers).json()["items"]
        assert {(item["ticket_number"], item["region"]) for item in listed} == {
            (numbers[region], region) for region in regions
        }, username
        for region, number in numbers.items():
            detail = http.get(f"/api/v1/tickets/{number}", headers=headers)
            assert detail.status_code == (200 if region in regions else 404), (username, region)
            if region in regions:
                assert detail.json()["region"] == region
            comment = http.post(
                f"/api/v1/tickets/{number}/actions",
                json={"action": "comment", "note": f"catatan {username}"},
                headers=headers,
            )
            assert comment.status_code in ((200,) if region in regions else (404,)), (
                username,
                region,
                comment.text,
            )
        events = http.get("/api/v1/events", params={"since": 0}, headers=headers).json()["items"]
        assert {item["ticket"]["region"] for item in events} == regions, username
        rows = list(csv.DictReader(io.StringIO(http.get("/api/v1/tickets.csv", headers=headers).text)))
        assert {row["ticket_number"] for row in rows} == {numbers[r] for r in regions}, username
        stats = http.get("/api/v1/stats", headers=headers).json()
        assert stats["overall"]["tickets"] == len(regions), username


def test_sockets_hear_their_regions_only(http, province, accounts, socket_recorder):
    walls = {name: socket_recorder("/wall", accounts[name]) for name in SEES if name.endswith("operator")}
    officers = {name: socket_recorder("/opd", accounts[name]) for name in ("kediri_pupr", "blitar_pupr")}
    for recorder in [*walls.values(), *officers.values()]:
        recorder.wait_for(lambda r: r.of("snapshot"), message="snapshot on connect")
    snapshot = walls["kediri_operator"].of("snapshot")[0]
    assert {t["region"] for t in snapshot["tickets"]} == {KEDIRI}
    assert {t["region"] for t in walls["province_operator"].of("snapshot")[0]["tickets"]} == {
        KEDIRI,
        BLITAR,
        PROVINCE,
    }

    def comment(region: str, who: str, note: str) -> None:
        number = province[region].ticket_number
        response = http.post(
            f"/api/v1/tickets/{number}/actions",
            json={"action": "comment", "note": note},
            headers=bearer(accounts[who]),
        )
        assert response.status_code == 200, response.text

    comment(BLITAR, "blitar_operator", "blitar satu")
    comment(KEDIRI, "kediri_operator", "kediri satu")
    comment(PROVINCE, "province_operator", "provinsi satu")
    # The province hears all three; then a last Kediri event: once a socket has it, any event
    # published before it would have reached that socket already (one Redis channel, in order).
    walls["province_operator"].wait_for(lambda r: len(r.of("ticket.updated")) == 3, message="three updates")
    comment(KEDIRI, "kediri_operator", "kediri dua")
    comment(BLITAR, "blitar_operator", "blitar dua")
    for name in ("kediri_operator", "province_operator"):
        walls[name].wait_for(lambda r: len(r.tickets(province[KEDIRI].ticket_number)) == 2, message=name)
    for name in ("blitar_operator", "province_operator"):
        walls[name].wait_for(lambda r: len(r.tickets(province[BLITAR].ticket_number)) == 2, message=name)
    officers["kediri_pupr"].wait_for(lambda r: len(r.tickets(province[KEDIRI].ticket_number)) == 2)
    officers["blitar_pupr"].wait_for(lambda r: len(r.tickets(province[BLITAR].ticket_number)) == 2)

    def regions_heard(recorder) -> set[str]:
        return {data["ticket"]["region"] for data in recorder.of("ticket.updated")}

    assert regions_heard(walls["kediri_operator"]) == {KEDIRI}
    assert regions_heard(walls["blitar_operator"]) == {BLITAR}
    assert regions_heard(walls["province_operator"]) == {KEDIRI, BLITAR, PROVINCE}
    assert regions_heard(officers["kediri_pupr"]) == {KEDIRI}
    assert regions_heard(officers["blitar_pupr"]) == {BLITAR}
