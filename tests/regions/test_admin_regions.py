"""Admins administer their own regions (issue #16): a city's admin lists and changes only its
city's accounts and API keys; a province's admin may place an account in one of its cities."""

from __future__ import annotations

import pytest

from tests.support.console import ConsoleClient


@pytest.fixture
def admins(app_ctx, live_server):
    from ticketing.services.accounts import create_user
    from ticketing.services.api_keys import create_api_key
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    for username, region in (("kediri-admin", "35.71"), ("blitar-admin", "35.72"), ("jatim-admin", "35")):
        create_user(username=username, password="password123", role="admin", region_code=region)
    create_user(username="blitar-op", password="password123", role="operator", region_code="35.72")
    blitar_key = create_api_key("Aplikasi Blitar", region_code="35.72").api_key
    kediri_key = create_api_key("Aplikasi Kediri").api_key

    def console(username: str) -> tuple[ConsoleClient, str]:
        client = ConsoleClient(live_server.base_url)
        assert client.login(username).status_code in (302, 303)
        return client, client.csrf("/console/admin/users")

    return console, {"blitar": blitar_key.id, "kediri": kediri_key.id}


def test_a_city_admin_sees_and_changes_its_own_city_only(admins, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import ApiKey, User

    console, keys = admins
    kediri, token = console("kediri-admin")
    users = kediri.get("/console/admin/users").text
    assert "kediri-admin" in users and "blitar-op" not in users and "blitar-admin" not in users
    listed = kediri.get("/console/admin/api-keys").text
    assert "Aplikasi Kediri" in listed and "Aplikasi Blitar" not in listed

    revoke = kediri.post(f"/console/admin/api-keys/{keys['blitar']}/revoke", data={"csrf_token": token})
    assert revoke.status_code == 404
    blitar_op = db.session.scalar(db.select(User).where(User.username == "blitar-op"))
    edit = kediri.post(
        f"/console/admin/users/{blitar_op.id}",
        data={"role": "admin", "active": "1", "csrf_token": token},
    )
    assert edit.status_code in (303, 404)
    made = kediri.post(
        "/console/admin/users",
        data={
            "username": "sneaky",
            "password": "password123",
            "role": "operator",
            "region": "35.72",
            "csrf_token": token,
        },
    )
    assert made.status_code in (303, 422)
    db.session.expire_all()
    assert db.session.get(ApiKey, keys["blitar"]).revoked_at is None
    assert db.session.get(User, blitar_op.id).role == "operator"
    assert db.session.scalar(db.select(User).where(User.username == "sneaky")) is None


def test_a_province_admin_places_an_officer_in_one_of_its_cities(admins, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import User

    console, _ = admins
    jatim, token = console("jatim-admin")
    page = jatim.get("/console/admin/users").text
    assert "blitar-op" in page and "kediri-admin" in page  # its cities' accounts too
    made = jatim.post(
        "/console/admin/users",
        data={
            "username": "blitar-pupr2",
            "password": "password123",
            "role": "officer",
            "region": "35.72",
            "opd": "PUPR",
            "csrf_token": token,
        },
    )
    assert made.status_code == 303
    db.session.expire_all()
    user = db.session.scalar(db.select(User).where(User.username == "blitar-pupr2"))
    assert (user.region_code, user.opd_code) == ("35.72", "PUPR")
