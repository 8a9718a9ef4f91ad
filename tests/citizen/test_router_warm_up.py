"""A web process loads the router behind the complaint form, not with the first guess: the citizen
is still typing while it loads (a second of scikit-learn imports and unpickling, many on a busy
box), so the hint answers from the first words. Processes that never show the form never pay it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.private_server import Client, private_web_server
from tests.support.processes import wait_for

LOADED = re.compile(r"router \S+ loaded in \d+\.\ds")


def test_the_complaint_form_loads_the_router_before_the_first_guess(app, process_env, run_dir, router_model):
    with private_web_server(process_env, run_dir, "warm-up") as server:
        log = Path(server.log_path)
        client = Client(server.base_url)
        assert client.get("/api/v1/categories").status_code == 200
        assert not LOADED.search(log.read_text())  # a started process has not loaded it

        assert client.get("/lapor").status_code == 200
        wait_for(lambda: LOADED.search(log.read_text()), timeout=60, message="the router loading")
        guess = client.post(
            "/api/v1/complaints/category-guess", json={"description": "Jalan berlubang besar di Jl. Dhoho"}
        )
        assert guess.status_code == 200 and guess.json()["category"] == "jalan-rusak", guess.text
        assert len(LOADED.findall(log.read_text())) == 1  # the guess used the one loaded
