"""The router on complaints as citizens really write them (issue 14) and as the city's history
teaches (history outweighs seeds), and the emergency confidence floor (issue 22, bug 3)."""

from __future__ import annotations

import numpy as np
import pytest

from ticketing.router import Router, load_category_opds
from ticketing.router.categories import emergency_categories, is_emergency
from ticketing.router.weighting import seed_weight
from ticketing.services.retraining import HistoryRow, train_on_history

VAGUE = "Ada yang aneh di dekat rumah saya, tolong dicek"
# Long, polite, meandering complaints: none may be taken for "not a complaint".
LONG_POLITE = [
    (
        "Assalamualaikum wr wb, selamat malam bapak ibu admin, mohon maaf mengganggu waktu istirahatnya. "
        "Saya warga RT 02 mau menyampaikan bahwa sejak lebaran kemarin saluran di depan rumah kami tidak "
        "pernah dibersihkan, jadi setiap hujan airnya naik ke teras dan masuk ke dapur. Tetangga juga sama. "
        "Mohon kiranya bisa dibantu. Terima kasih banyak atas perhatiannya, wassalamualaikum",
        "PUPR",
    ),
    (
        "Selamat siang admin, sebelumnya mohon maaf kalau saya salah tempat bertanya. Begini, ibu saya "
        "sudah sepuh dan tinggal sendirian, dulu dapat bantuan sembako tiap bulan tapi sudah setahun ini "
        "tidak dapat lagi, kata pak RT datanya hilang. Kami bingung harus ke mana. Mohon petunjuk dan "
        "bantuannya ya admin, matur nuwun sanget",
        "DINSOS",
    ),
    (
        "Permisi pak, nyuwun sewu. Kulo badhe matur, lampu ing dalan cedhak griya kulo sampun mboten "
        "murub kinten-kinten kalih minggu, menawi dalu peteng sanget lan kathah lare-lare ingkang wangsul "
        "ngaji. Mohon dipun dandosi nggih pak. Matur nuwun",
        "DISHUB",
    ),
    (
        "Halo min, maaf ganggu malam2. Jadi gini ceritanya, tadi sore saya lewat pasar terus lihat "
        "pedagang ikan buang air bekas cucian ke lorong dalam pasar, baunya parah banget, lantainya licin, "
        "tadi ada ibu2 kepleset. Pengelola pasarnya juga cuek aja. Tolong dong diperhatikan kebersihan "
        "pasarnya. Makasih min",
        "DISPERDAGIN",
    ),
]


@pytest.fixture(scope="module")
def categories():
    return load_category_opds()


class _FixedModel:
    """A stand-in classifier that answers fixed probabilities, to test the decision rules alone."""

    def __init__(self, proba: dict[str, float]):
        self.classes = sorted(proba)
        self._proba = np.array([proba[c] for c in self.classes])

    def proba_one(self, text):
        return self._proba


def _router(categories, proba: dict[str, float], emergency=frozenset({"kebakaran", "bencana"})) -> Router:
    return Router(
        model=_FixedModel(proba),
        categories=categories,
        rules=(),
        version="fixed",
        threshold=0.35,
        none_guard=0.3,
        emergency=frozenset(emergency),
    )


@pytest.mark.parametrize("text, opd", LONG_POLITE)
def test_long_polite_narratives_are_complaints(seed_router, text, opd):
    decision = seed_router.route(text)
    assert decision.is_complaint, decision
    assert decision.candidates[0][1] == opd or decision.needs_triage, decision


def test_a_long_story_the_model_doubts_is_a_complaint_for_triage(categories):
    story = (
        "Selamat malam admin, mohon maaf mengganggu. Saya mau cerita panjang sedikit soal keadaan "
        "di lingkungan kami yang sudah lama sekali dibiarkan begitu saja tanpa ada yang peduli. "
        "Tolong dibantu"
    )
    decision = _router(categories, {"lainnya": 0.6, "sampah": 0.3, "pju": 0.1}).route(story)
    assert decision.is_complaint and decision.needs_triage and decision.category == "sampah"
    sure = _router(categories, {"lainnya": 0.9, "sampah": 0.05, "pju": 0.05}).route(story)
    assert not sure.is_complaint  # unless the model is sure it is not a complaint


def test_greetings_alone_never_reach_an_opd(seed_router):
    for text in ("Assalamualaikum wr wb, selamat pagi admin", "Permisi pak, selamat siang 🙏"):
        decision = seed_router.route(text)
        assert (decision.is_complaint, decision.opd, decision.rule) == (False, None, "courtesy-only")


def test_emergency_categories_come_from_the_sla_table():
    assert emergency_categories() == frozenset({"kebakaran", "bencana"})  # 2 h and 6 h SLAs
    assert is_emergency(24, True) and is_emergency(6) and not is_emergency(24) and not is_emergency(None)


def test_vague_text_is_not_sent_to_an_emergency_service(seed_router):
    decision = seed_router.route(VAGUE)
    assert decision.opd is None and decision.needs_triage, decision  # was DAMKAR at 45 %, 2-hour SLA


def test_an_emergency_category_needs_more_confidence_than_others(categories):
    # The same 50 % is enough for a pothole, not for a fire engine.
    assert _router(categories, {"jalan-rusak": 0.5, "pju": 0.3, "lainnya": 0.2}).route(VAGUE).opd == "PUPR"
    fire = _router(categories, {"kebakaran": 0.5, "pju": 0.3, "lainnya": 0.2}).route(VAGUE)
    assert (fire.category, fire.opd, fire.needs_triage) == ("kebakaran", None, True)
    sure = _router(categories, {"kebakaran": 0.8, "pju": 0.1, "lainnya": 0.1}).route(VAGUE)
    assert sure.opd == "DAMKAR" and not sure.needs_triage
    # A rule (an active fire) is not held back by the floor.
    assert seed_router_rule_fires(categories)


def seed_router_rule_fires(categories) -> bool:
    from ticketing.router.rules import load_rules

    router = _router(categories, {"kebakaran": 0.2, "pju": 0.4, "lainnya": 0.4})
    router.rules = load_rules()
    decision = router.route("KEBAKARAN rumah di gang 3, api sudah besar")
    return decision.opd == "DAMKAR" and decision.rule == "active-fire"


FALLEN = [
    "pohon tumbang menutup jalan di {}",
    "ada pohon roboh melintang di {}, tolong dievakuasi",
    "min pohon besar tumbang di {} habis hujan, jalan tertutup",
]
PLACES = [
    "jl dhoho",
    "gang 3 bandar lor",
    "depan sd ngronggo",
    "jl brawijaya",
    "dekat pasar setonobetek",
    "jl hayam wuruk",
    "perumahan sukorame",
    "depan masjid agung",
    "jl kawi",
    "dekat stasiun",
]


def test_history_outweighs_the_seeds_as_it_grows(categories, seed_router):
    assert seed_weight(800, 100) == 1.0 and seed_weight(800, 8000) < seed_weight(800, 1600) < 1.0
    text = "Pohon besar tumbang menutup jalan di depan kantor kelurahan, kendaraan tidak bisa lewat"
    rows = [HistoryRow(t.format(p), None, "BPBD") for t in FALLEN for p in PLACES]  # OPD only, no category
    assert seed_router.route(text).opd == "DLHKP"  # the seeds follow the demo table
    many, _, examples = train_on_history(rows)
    assert len(examples) == len(rows)  # OPD-only rows teach fully
    decision = many.route(text)
    assert decision.opd == "BPBD" and not decision.needs_triage, decision
    assert many.route("lampu jalan mati sudah seminggu di gang 3").opd == "DISHUB"


def test_a_rule_steps_aside_when_the_history_contradicts_it(categories):
    # In this city snakes in houses are BPBD's; the seeds' rule says DAMKAR.
    snakes = [
        template.format(kind=kind, place=place)
        for template in (
            "ada ular {kind} masuk rumah warga di {place}, tolong dievakuasi",
            "min ular {kind} masuk kamar di {place}, anak-anak takut",
            "tolong ular {kind} besar ngumpet di dapur rumah di {place}",
        )
        for kind in ("kobra", "sanca", "hijau")
        for place in PLACES[:5]
    ]
    router, _, _ = train_on_history([HistoryRow(t, None, "BPBD") for t in snakes])
    assert "animal-rescue" in router.metrics["rules_contradicted"]
    decision = router.route("ular kobra masuk ke kamar anak saya di jl kawi, mohon dibantu")
    assert decision.opd == "BPBD" and decision.rule is None, decision
    assert router.route("KEBAKARAN rumah di gang 3, api sudah besar").rule == "active-fire"
