"""Secrets and personal data never reach the logs: the production gunicorn config (access log
on) and a worker in `log` outbound mode are run, fed a complaint full of planted values, and
their captured output is searched for every one of them."""

from __future__ import annotations

import requests
from twilio.request_validator import RequestValidator

from tests.channels import fake_provider as fp
from tests.support.processes import VENV_BIN, ManagedProcess, RedisServer, Worker, free_port, wait_for

PHONE_WEB = "+6281299887766"
PHONE_SMS = "+6281377665544"
EMAIL = "planted.warga@example.id"
PASSWORD = "Planted-Pass-9911"
WRONG_PASSWORD = "Wrong-Planted-4242"
FAKE_BEARER = "planted-bearer-5f9a1c7d"


def test_logs_hold_no_personal_data_or_secrets(
    app, clean_state, make_user, process_env, run_dir, router_model
):
    from tests.support.chaos_checks import ticket_report

    redis_server = RedisServer(run_dir / "logs-redis.log")
    redis_server.start()
    port = free_port()
    env = dict(process_env, REDIS_URL=redis_server.url, OUTBOUND_MODE="log", HOST="127.0.0.1", PORT=str(port))
    web_log, worker_log = run_dir / "logs-web.log", run_dir / "logs-worker.log"
    web = ManagedProcess(
        [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "--graceful-timeout", "2", "wsgi:app"],
        env,
        web_log,
    )
    worker = Worker(env, worker_log)
    base = f"http://127.0.0.1:{port}"
    make_user("logcheck", "operator", password=PASSWORD)
    web.start()
    worker.start()
    try:
        wait_for(lambda: _up(base), timeout=30, message="gunicorn with config/gunicorn.py")
        created = requests.post(
            base + "/api/v1/complaints",
            timeout=10,
            json={
                "description": f"Jalan rusak parah, hubungi saya di {PHONE_WEB} atau {EMAIL}",
                "reporter": {"name": "Warga", "phone": PHONE_WEB, "email": EMAIL},
            },
        )
        assert created.status_code == 201, created.text
        number, tracking = created.json()["ticket_number"], created.json()["tracking_token"]
        assert requests.get(f"{base}/api/v1/complaints/{number}?token={tracking}", timeout=10).ok
        assert (
            requests.get(f"{base}/api/v1/complaints/{number}?token={tracking}x", timeout=10).status_code
            == 404
        )

        assert (
            requests.post(
                base + "/api/v1/auth/token",
                timeout=10,
                json={"username": "logcheck", "password": WRONG_PASSWORD},
            ).status_code
            == 401
        )
        login = requests.post(
            base + "/api/v1/auth/token", timeout=10, json={"username": "logcheck", "password": PASSWORD}
        )
        access = login.json()["access_token"]
        assert requests.get(
            base + "/api/v1/tickets", timeout=10, headers={"Authorization": f"Bearer {access}"}
        ).ok
        assert (
            requests.get(
                base + f"/api/v1/tickets?token={access}",
                timeout=10,
                headers={"Authorization": f"Bearer {FAKE_BEARER}"},
            ).status_code
            == 401
        )

        form = {
            "MessageSid": "SM" + "7" * 32,
            "AccountSid": fp.TWILIO_SID,
            "From": PHONE_SMS,
            "To": fp.TWILIO_FROM,
            "Body": f"Lampu jalan mati, email saya {EMAIL}",
            "NumMedia": "0",
        }
        url = base + "/webhooks/twilio/sms"
        signature = RequestValidator(fp.TWILIO_TOKEN).compute_signature(url, form)
        assert (
            requests.post(url, data=form, timeout=10, headers={"X-Twilio-Signature": signature}).status_code
            == 200
        )
        # The worker routes both and "sends" the SMS replies in log mode: all of it logged.
        wait_for(
            lambda: len((r := ticket_report(app))["routed"]) == 2 and r,
            timeout=60,
            message="both tickets routed",
        )
        wait_for(
            lambda: "(log mode)" in worker_log.read_text(),
            timeout=30,
            message="the worker to log an outbound SMS",
        )
    finally:
        worker.stop()
        web.stop()
        redis_server.stop()

    web_text, worker_text = web_log.read_text(), worker_log.read_text()
    assert "POST /api/v1/complaints HTTP/1.1" in web_text, web_text[-2000:]  # the access log ran
    assert f"GET /api/v1/complaints/{number} HTTP/1.1" in web_text
    planted = {
        "web phone": PHONE_WEB,
        "sms phone": PHONE_SMS,
        "email": EMAIL,
        "tracking token": tracking,
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "access token": access,
        "fake bearer": FAKE_BEARER,
    }
    for name, text in (("web", web_text), ("worker", worker_text)):
        for label, value in planted.items():
            assert value not in text, f"{label} found in the {name} log"
        for label in ("web phone", "sms phone"):  # nor the bare digits
            assert planted[label][3:] not in text, f"{label} digits in the {name} log"


def _up(base: str) -> bool:
    try:
        return requests.get(base + "/healthz", timeout=1).ok
    except requests.RequestException:
        return False
