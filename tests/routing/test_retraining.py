"""Retraining on the city's history: the OPD that finally resolved each ticket is the label."""

from __future__ import annotations

import json

import pytest

from tests.support.routing import routed_event

# Fallen trees are DLHKP's (`pohon`) in the demo table; in this city the operators keep sending
# them to BPBD, which resolves them.
FALLEN_TREES = [
    "Pohon besar tumbang menutup jalan di depan kantor kelurahan, kendaraan tidak bisa lewat",
    "ada pohon tumbang melintang di jalan Hayam Wuruk, tolong segera dievakuasi",
    "Pohon mahoni roboh menimpa kabel dan menutup separuh jalan di dekat pasar",
    "pohon tumbang habis hujan deras, jalan kampung kami tertutup total",
    "Min pohon beringin besar tumbang di pinggir jalan, ranting berserakan di aspal",
    "Pohon tua di tepi jalan Brawijaya tumbang dan menghalangi arus lalu lintas",
    "pohon tumbang nimpa pagar rumah warga dan menutup gang, mohon dibantu",
    "Sebuah pohon angsana tumbang di jalan dekat sekolah, anak-anak tidak bisa lewat",
    "pohon tumbang di jalan raya, batangnya besar sekali perlu gergaji mesin",
    "Tolong ada pohon tumbang menghalangi jalan menuju perumahan sejak tadi sore",
    "pohon ketapang di pinggir jalan roboh, jalan hanya bisa dilewati satu motor",
    "Pohon trembesi tumbang melintang di jalan, warga sudah pasang tanda bahaya",
]
NEW_COMPLAINT = "Ada pohon tumbang menutup jalan di dekat masjid, mobil tidak bisa lewat"


@pytest.fixture
def saved_model_path(app, tmp_path):
    """Point the app at a model file of this test only; the session's shared model is untouched."""
    from ticketing.services.routing import reset_router

    before = (app.config["ROUTING_MODEL_PATH"], app.config["ROUTING_MODEL_CHECK_SECONDS"])
    path = tmp_path / "router.joblib"
    yield path
    app.config["ROUTING_MODEL_PATH"], app.config["ROUTING_MODEL_CHECK_SECONDS"] = before
    reset_router()


def _operators_redispose_fallen_trees(make_user, routed):
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.lifecycle import apply_action

    make_user("operator1", "operator")
    make_user("bpbd1", "officer", "BPBD")
    operator = db.session.query(User).filter_by(username="operator1").one()
    bpbd = db.session.query(User).filter_by(username="bpbd1").one()
    first_choice = []
    for text in FALLEN_TREES:
        ticket = routed(text)
        first_choice.append(ticket.opd_code)
        apply_action(ticket, operator, "dispose", opd="BPBD", note="Pohon tumbang: tugas BPBD")
        apply_action(ticket, bpbd, "accept")
        apply_action(ticket, bpbd, "resolve", note="Pohon sudah dipotong dan jalan dibuka")
    assert first_choice.count("DLHKP") >= len(FALLEN_TREES) * 0.7  # the table's OPD, at first


def test_retraining_moves_a_category_the_operators_keep_redisposing(app, make_user, routed, saved_model_path):
    from ticketing.services.retraining import retrain_router
    from ticketing.services.routing import get_router

    assert get_router().route(NEW_COMPLAINT).opd == "DLHKP"  # the seed model follows the table
    _operators_redispose_fallen_trees(make_user, routed)

    router = retrain_router(str(saved_model_path))

    decision = router.route(NEW_COMPLAINT)
    assert (decision.opd, decision.needs_triage) == ("BPBD", False)
    # A dispose to BPBD files the ticket under BPBD's own category (lifecycle.dispose_category),
    # so the history teaches `bencana` for fallen trees; a history that kept `pohon` would move
    # the category itself (learn_overrides). Either way the OPD is the one that did the work.
    assert decision.category in ("pohon", "bencana")
    assert router.metrics["overrides"] in ({}, {"pohon": "BPBD"})
    assert router.metrics["history_size"] == len(FALLEN_TREES)
    assert router.metrics["training_size"] == router.metrics["seed_size"] + len(FALLEN_TREES)
    evaluation = router.metrics["evaluation"]
    assert evaluation["n"] > 0 and 0.8 <= evaluation["accuracy"] <= 1
    # Other categories keep their OPDs.
    assert router.route("lampu jalan mati sudah seminggu di gang 3").opd == "DISHUB"
    # Saved atomically with a card people can read.
    card = json.loads(saved_model_path.with_name("router.joblib.json").read_text())
    assert card["version"] == router.version and card["overrides"] == router.metrics["overrides"]
    assert not [p for p in saved_model_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_routing_picks_up_a_retrained_model_without_restart(app, make_user, routed, saved_model_path):
    from ticketing.services.retraining import retrain_router
    from ticketing.services.routing import get_router, reset_router

    old_version = get_router().version
    _operators_redispose_fallen_trees(make_user, routed)
    app.config["ROUTING_MODEL_PATH"] = str(saved_model_path)
    app.config["ROUTING_MODEL_CHECK_SECONDS"] = 0
    reset_router()
    first = retrain_router(holdout=0)
    assert first.metrics["evaluation"] == {"holdout_share": 0}
    ticket = routed(NEW_COMPLAINT)
    data = routed_event(ticket).data
    assert data["model_version"] == first.version != old_version
    assert (ticket.opd_code, data["unit"]) == ("BPBD", "BPBD")

    second = retrain_router(holdout=0)  # a later weekly run: a new version, same file
    assert second.version != first.version
    assert get_router().version == second.version


def test_retrain_command_and_weekly_schedule(app, saved_model_path, app_ctx):
    from ticketing.queueing import SCHEDULE_RETRAIN_JOB
    from workers.schedule import PERIODIC_JOBS

    weekly = [j for j in PERIODIC_JOBS if j.job_path == SCHEDULE_RETRAIN_JOB]
    assert len(weekly) == 1 and weekly[0].every_seconds == 7 * 24 * 3600
    app.config["ROUTING_MODEL_PATH"] = str(saved_model_path)
    result = app.test_cli_runner().invoke(args=["retrain-router", "--holdout", "0.2"])
    assert result.exit_code == 0, result.output
    first, second = result.output.strip().splitlines()
    assert first.startswith("router-") and "seeds=" in first and "history=0" in first
    assert second.startswith("held-out accuracy=")
    assert saved_model_path.exists()
