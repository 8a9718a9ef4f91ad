"""Log lines you can follow: a request's lines carry its request id (the client's sane
`X-Request-ID`, else a new one, answered in the response); a job's lines its job id, the id it
was given and the ticket number once known; `LOG_FORMAT=json` writes one JSON object a line."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest

from ticketing import logcontext

LOGGER = "aduan.test.logcontext"


@pytest.fixture
def captured():
    """A logger of its own with `logcontext.install` applied to its handler, as create_app
    applies it to the root's and gunicorn's: returns a function giving what was written."""

    def make(log_format: str = "text"):
        stream = io.StringIO()
        logger = logging.getLogger(LOGGER)
        logger.handlers[:] = [logging.StreamHandler(stream)]
        logger.propagate, logger.level = False, logging.INFO
        logcontext.install(log_format, logger_names=(LOGGER,))
        return logger, stream

    yield make
    logging.getLogger(LOGGER).handlers[:] = []


def test_request_lines_carry_the_request_id_and_the_answer_names_it(app, captured):
    logger, stream = captured()
    with app.test_request_context("/healthz", headers={"X-Request-ID": "req-7f3a9c21"}):
        app.preprocess_request()
        logger.warning("inside the request")
        response = app.process_response(app.response_class("ok"))
        app.do_teardown_request()
    logger.warning("after the request")
    first, second = stream.getvalue().splitlines()
    assert "request_id=req-7f3a9c21" in first and first.endswith(": inside the request")
    assert "request_id" not in second
    assert response.headers["X-Request-ID"] == "req-7f3a9c21"


@pytest.mark.parametrize("given", [None, "short", "two words here", "id] FORGED=line", "x" * 65])
def test_an_absent_or_odd_request_id_is_replaced_by_a_fresh_one(app, given):
    headers = {"X-Request-ID": given} if given is not None else {}
    answers = {app.test_client().get("/healthz", headers=headers).headers["X-Request-ID"] for _ in range(2)}
    assert len(answers) == 2  # a new one each time, never the odd value
    assert all(len(answer) == 32 and int(answer, 16) >= 0 for answer in answers)


def test_job_lines_carry_job_id_given_id_and_ticket_number(app, captured, monkeypatch):
    from workers import jobs

    logger, stream = captured()
    monkeypatch.setattr(jobs, "get_current_job", lambda: SimpleNamespace(id="route-ticket-7"))

    @jobs.job
    def sample_job(ticket_id: int) -> None:
        logger.warning("loading")
        logcontext.bind(ticket="ABCD-2345")  # what services/routing.py does once it has the row
        logger.warning("routed")

    sample_job(7)
    logger.warning("between jobs")
    loading, routed, between = stream.getvalue().splitlines()
    assert " job_id=route-ticket-7 ticket_id=7: loading" in loading
    assert " job_id=route-ticket-7 ticket_id=7 ticket=ABCD-2345: routed" in routed
    assert "job_id" not in between and "ticket" not in between


def test_json_lines_when_asked(captured):
    logger, stream = captured("json")
    with logcontext.log_fields(job_id="send-outbox-3", outbox_id=3):
        try:
            raise ValueError("provider said no")
        except ValueError:
            logger.exception("send failed")
    entry = json.loads(stream.getvalue().strip().splitlines()[0])
    assert entry["message"] == "send failed" and entry["level"] == "ERROR"
    assert entry["job_id"] == "send-outbox-3" and entry["outbox_id"] == "3"
    assert "ValueError: provider said no" in entry["exception"]
    assert entry["logger"] == LOGGER and entry["time"].endswith("+00:00")


def test_log_format_setting(monkeypatch):
    from config.settings import load_settings

    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert load_settings()["LOG_FORMAT"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "anything else")
    assert load_settings()["LOG_FORMAT"] == "text"
