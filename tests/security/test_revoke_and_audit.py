"""Tokens are revocable (own tokens, or anyone's by an admin) — refused on the API and on the
Socket.IO namespaces afterwards — and user and role changes are audited, including those made
with `flask create-user`."""

from __future__ import annotations

import pytest
import socketio
from sqlalchemy import select


def user_id(app, username: str) -> int:
    from ticketing.extensions import db
    from ticketing.models import User

    with app.app_context():
        try:
            return db.session.scalar(select(User.id).where(User.username == username))
        finally:
            db.session.rollback()


def audit_entries(app, action: str) -> list[tuple]:
    from ticketing.extensions import db
    from ticketing.models import AuditEntry

    with app.app_context():
        try:
            return [
                (e.actor_label, e.target_id, e.changes)
                for e in db.session.scalars(
                    select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
                )
            ]
        finally:
            db.session.rollback()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def socket_refused(base_url: str, token: str, namespace: str = "/wall") -> bool:
    client = socketio.Client(reconnection=False)
    try:
        client.connect(
            base_url, namespaces=[namespace], auth={"token": token}, transports=["websocket"], wait_timeout=5
        )
    except socketio.exceptions.ConnectionError:
        return True
    client.disconnect()
    return False


def test_a_user_revokes_their_own_tokens(http, token_for, app):
    first = token_for("operator")
    second = http.post(
        "/api/v1/auth/token", json={"username": "operator-x", "password": "password123"}
    ).json()["access_token"]
    assert http.get("/api/v1/tickets", headers=bearer(first)).status_code == 200
    assert not socket_refused(http.base_url, first)

    response = http.post("/api/v1/auth/revoke", headers=bearer(first))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "revoked": True,
        "user_id": user_id(app, "operator-x"),
        "username": "operator-x",
    }
    for token in (first, second):  # every token of the user, not only the one used
        refused = http.get("/api/v1/tickets", headers=bearer(token))
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
        assert socket_refused(http.base_url, token)
    assert http.post("/api/v1/auth/revoke", headers=bearer(first)).status_code == 401
    assert audit_entries(app, "user.revoke_tokens") == [
        ("operator-x", "operator-x", {"tokens": ["valid", "revoked"]})
    ]


def test_an_admin_revokes_another_users_tokens_and_only_an_admin_may(http, token_for, app):
    wall = token_for("wall")
    officer = token_for("officer", "PUPR")
    admin = token_for("admin")
    assert not socket_refused(http.base_url, wall)

    denied = http.post(
        "/api/v1/auth/revoke", headers=bearer(officer), json={"user_id": user_id(app, "wall-x")}
    )
    assert denied.status_code == 403
    assert not socket_refused(http.base_url, wall)

    done = http.post("/api/v1/auth/revoke", headers=bearer(admin), json={"user_id": user_id(app, "wall-x")})
    assert done.status_code == 200 and done.json()["username"] == "wall-x"
    assert socket_refused(http.base_url, wall)
    assert http.get("/wall/summary", headers=bearer(wall)).status_code == 401
    assert http.get("/api/v1/tickets", headers=bearer(admin)).status_code == 200  # admin's own live
    assert audit_entries(app, "user.revoke_tokens") == [
        ("admin-x", "wall-x", {"tokens": ["valid", "revoked"]})
    ]


@pytest.mark.parametrize(
    "body, status", [({"user_id": 999999}, 404), ({"user_id": "1"}, 422), ({"user_id": 0}, 422), ([], 400)]
)
def test_revoke_rejects_bad_input(http, token_for, body, status):
    admin = token_for("admin")
    response = http.post("/api/v1/auth/revoke", headers=bearer(admin), json=body)
    assert response.status_code == status, response.text


def test_revoke_needs_a_token(http):
    response = http.post("/api/v1/auth/revoke")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_flask_create_user_is_audited_without_the_password(app, clean_state):
    runner = app.test_cli_runner()
    secret = "Very-Secret-Pass-771"
    result = runner.invoke(
        args=["create-user", "--username", "budi", "--password", secret, "--role", "officer", "--opd", "PUPR"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["create-user", "--username", "budi", "--password", secret, "--role", "operator"]
    )
    assert result.exit_code == 0, result.output
    (created,) = audit_entries(app, "user.create")
    (updated,) = audit_entries(app, "user.update")
    # The same entries as the console's user admin writes (one service for both).
    assert created == (
        "cli:create-user",
        "budi",
        {"role": [None, "officer"], "region": [None, "35.71"], "opd": [None, "PUPR"], "password": "(diubah)"},
    )
    assert updated == (
        "cli:create-user",
        "budi",
        {"role": ["officer", "operator"], "opd": ["PUPR", None], "password": "(diubah)"},
    )
    assert secret not in repr(created) + repr(updated)
    failed = runner.invoke(
        args=["create-user", "--username", "siti", "--password", "short", "--role", "admin"]
    )
    assert failed.exit_code != 0 and len(audit_entries(app, "user.create")) == 1
