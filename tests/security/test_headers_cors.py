"""Security headers on every answer, CSP on HTML pages, and the CORS policy."""

from __future__ import annotations

import pytest

PAGES = ["/console/login", "/docs", "/open-data/", "/wall"]


def test_api_answers_carry_the_security_headers(client):
    for path in ("/healthz", "/api/v1/opds", "/api/v1/complaints/XXXX-XXXX?token=x"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["Referrer-Policy"], path
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'", (
            path
        )


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_have_a_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html", path
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert directive in csp, (path, csp)
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]  # no inline script
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_wall_keeps_its_own_stricter_policy(client):
    csp = client.get("/wall").headers["Content-Security-Policy"]
    assert "style-src 'self';" in csp or csp.endswith("style-src 'self'") or "style-src 'self'; " in csp
    assert "'unsafe-inline'" not in csp


def test_public_citizen_endpoints_allow_any_origin_without_credentials(client):
    origin = {"Origin": "https://warga.example"}
    preflight = client.options(
        "/api/v1/complaints",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    created = client.post(
        "/api/v1/complaints", headers=origin, json={"description": "Sampah menumpuk di Jl. Veteran tiga hari"}
    )
    assert created.status_code == 201
    assert created.headers["Access-Control-Allow-Origin"] == "*"
    assert "Location" in created.headers["Access-Control-Expose-Headers"]
    for path in ("/open311/v2/services.json", "/open-data/tickets.json"):
        assert client.get(path, headers=origin).headers["Access-Control-Allow-Origin"] == "*", path


def test_staff_api_and_webhooks_answer_no_foreign_origin_by_default(client):
    origin = {"Origin": "https://evil.example"}
    for method, path in (
        ("GET", "/api/v1/tickets"),
        ("OPTIONS", "/api/v1/tickets"),
        ("POST", "/api/v1/auth/token"),
        ("OPTIONS", "/api/v1/auth/revoke"),
        ("POST", "/webhooks/sms/gateway"),
        ("GET", "/console/login"),
    ):
        response = client.open(path, method=method, headers=origin)
        assert "Access-Control-Allow-Origin" not in response.headers, (method, path)


def test_configured_origins_are_echoed_for_the_staff_api(app, clean_state):
    from ticketing import create_app

    configured = create_app({"CORS_ALLOWED_ORIGINS": "https://ops.kediri.go.id, https://wall.kediri.go.id/"})
    client = configured.test_client()
    allowed = client.options(
        "/api/v1/tickets",
        headers={
            "Origin": "https://wall.kediri.go.id",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://wall.kediri.go.id"
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    assert "Origin" in allowed.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in allowed.headers  # bearer tokens, no cookies
    refused = client.get("/api/v1/tickets", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
