"""Routing knows authority (issue #16): each region routes within its own categories, and a
city's complaint the province holds is proposed to the province's agency instead of a city OPD.
Pure router tests (no app, no database): the service side is tests/routing/test_region_routing.py."""

from __future__ import annotations

import pytest

from tests.router.test_routing import dev_rows
from ticketing.router import read_rows
from ticketing.router.authority import RegionRouter, load_authority, propose
from ticketing.router.categories import NONE_CATEGORY
from ticketing.router.model import SEEDS_PATH
from ticketing.router.normalize import CONFIG_DIR
from ticketing.router.regions import NOT_OURS, OWN_EXAMPLES_PATH, train_region_router

PROVINCE = "35"
PROVINCE_CATEGORIES = {
    "jalan-provinsi": "DPUBM",
    "sma-smk-slb": "DINDIK",
    "angkutan-antarkota": "DISHUB",
    "rumah-sakit-provinsi": "RSUD",
    "bencana-lintas-daerah": "BPBD",
}
# Kota Blitar in the demo: eight OPDs with Kediri's codes, their categories named as Kediri's.
BLITAR_CATEGORIES = {
    "jalan-rusak": "PUPR",
    "drainase": "PUPR",
    "sampah": "DLHKP",
    "pohon": "DLHKP",
    "pju": "DISHUB",
    "lalu-lintas": "DISHUB",
    "ketertiban": "SATPOLPP",
    "kesehatan": "DINKES",
    "sosial": "DINSOS",
    "adminduk": "DISPENDUKCAPIL",
    "pendidikan": "DISDIK",
}

# Written for these tests (no real person's words), one or more per rule.
PROVINCIAL = [
    ("jalan provinsi rusak", "DPUBM", "provincial-road"),
    (
        "Jl. Raya Kediri–Kertosono berlubang besar dekat jembatan, motor sering jatuh",
        "DPUBM",
        "provincial-road",
    ),
    ("jalan raya kediri tulungagung aspalnya ambles mohon diperbaiki", "DPUBM", "provincial-road"),
    ("SMAN 2 minta sumbangan gedung 3 juta untuk siswa baru", "DINDIK", "upper-secondary-school"),
    ("Atap kelas SMK negeri bocor, siswa belajar di lorong", "DINDIK", "upper-secondary-school"),
    ("Bus AKDP jurusan Kediri Surabaya ugal-ugalan, sopirnya ngebut", "DISHUB", "intercity-bus"),
    ("Kondektur bus antar kota minta ongkos melebihi tarif", "DISHUB", "intercity-bus"),
    ("Antre di RSUD dr. Soetomo sudah 10 jam belum dapat kamar", "RSUD", "provincial-hospital"),
    ("banjir bandang di tiga kabupaten, jembatan antar kabupaten putus", "BPBD", "regional-disaster"),
    ("hujan abu gunung Kelud sampai Kota Kediri dan Kabupaten Blitar", "BPBD", "regional-disaster"),
]

# City matters that name a provincial word: the rules must leave them to the city.
CITY_MATTERS = [
    "Jalan Dr. Soetomo depan gang 3 berlubang",  # a street named after the doctor
    "anak saya SD negeri ditolak, disuruh pindah ke SLB",  # a primary school's matter
    "bos saya menahan ijazah SMA saya",  # an employer's
    "perekaman KTP di SMA anak saya belum ada",  # civil registry's
    "bus antarkota berhenti di perempatan, bikin macet",  # city traffic
    "les privat SD SMP SMA, hubungi nomor kami",  # an ad
    "jalan nasional di depan pabrik berlubang",  # the national government's road
]


@pytest.mark.parametrize("text, opd, rule", PROVINCIAL)
def test_a_provincial_matter_is_proposed_to_the_provinces_agency(text, opd, rule):
    proposal = propose(text, (PROVINCE,))
    assert proposal is not None, text
    assert (proposal.region, proposal.opd, proposal.rule) == (PROVINCE, opd, rule)
    assert proposal.category in PROVINCE_CATEGORIES and PROVINCE_CATEGORIES[proposal.category] == opd


@pytest.mark.parametrize("text", CITY_MATTERS)
def test_a_city_matter_with_a_provincial_word_is_not(text):
    assert propose(text, (PROVINCE,)) is None


def test_only_the_regions_above_are_proposed():
    assert propose("jalan provinsi rusak", ()) is None  # a province's own ticket: no region above
    assert propose("jalan provinsi rusak", ("36",)) is None  # another province's rules do not apply


@pytest.mark.parametrize(
    "path",
    [SEEDS_PATH, CONFIG_DIR / "realistic_eval.csv"],
    ids=["seed_examples", "realistic_eval"],
)
def test_no_rule_fires_on_the_citys_own_labelled_complaints(path):
    """Every row of these sets is a Kediri OPD's: a proposal on any would be a wrong one."""
    fired = [(r["id"], propose(r["text"], (PROVINCE,))) for r in read_rows(path)]
    assert [(rid, p) for rid, p in fired if p is not None] == []
    assert len(fired) > 80


def test_no_rule_fires_on_the_shared_dev_set():
    rows = dev_rows()
    assert [r["id"] for r in rows if propose(r["text"], (PROVINCE,)) is not None] == []


def test_every_hand_written_province_example_names_a_province_category():
    rows = read_rows(OWN_EXAMPLES_PATH)
    assert len(rows) >= 30
    assert {r["category"] for r in rows} == set(PROVINCE_CATEGORIES)
    assert all(PROVINCE_CATEGORIES[r["category"]] == r["opd"] for r in rows)
    assert {rule.region for rule in load_authority()} == {PROVINCE}


@pytest.fixture(scope="module")
def kediri(seed_router):
    return RegionRouter(seed_router, "35.71", (PROVINCE,))


def test_a_city_sends_a_provincial_matter_to_its_triage_with_the_proposal(kediri):
    decision = kediri.route("jalan provinsi rusak, lubangnya dalam sekali")
    assert decision.needs_triage and decision.opd is None and decision.is_complaint
    assert decision.proposal.as_data() == {
        "region": PROVINCE,
        "opd": "DPUBM",
        "category": "jalan-provinsi",
        "rule": "provincial-road",
    }
    # Without the province above it, the same city routes the pothole to its own PUPR.
    assert kediri.router.route("jalan provinsi rusak, lubangnya dalam sekali").opd == "PUPR"


def test_an_emergency_rule_of_the_city_keeps_its_decision(kediri):
    decision = kediri.route("KEBAKARAN di samping SMAN 2, api sudah membesar")
    assert decision.opd == "DAMKAR" and decision.rule == "active-fire" and decision.proposal is None


def test_the_city_router_is_unchanged_where_no_rule_fires(kediri):
    texts = [r["text"] for r in read_rows(CONFIG_DIR / "realistic_eval.csv")]
    assert kediri.route_many(texts) == kediri.router.route_many(texts)


@pytest.fixture(scope="module")
def province():
    model = train_region_router(
        PROVINCE, PROVINCE_CATEGORIES, holds_authority=True, emergency={"bencana-lintas-daerah"}
    )
    return RegionRouter(model, PROVINCE)


def test_the_province_routes_its_own_matters_to_its_agencies(province):
    for text, opd, rule in PROVINCIAL:
        decision = province.route(text)
        assert (decision.opd, decision.rule, decision.needs_triage) == (opd, rule, False), text
    # A provincial matter no rule names: the model learnt the province's examples.
    decision = province.route("jembatan provinsi penghubung dua desa pagarnya patah, mohon dicek")
    assert decision.category in PROVINCE_CATEGORIES


@pytest.mark.parametrize(
    "text",
    ["lampu jalan mati di gang 3 sudah seminggu", "sampah menumpuk di TPS pasar", "air PDAM mati tiga hari"],
)
def test_the_province_sends_a_citys_matter_to_no_agency_of_its_own(province, text):
    decision = province.route(text)
    assert decision.opd is None
    assert decision.category in (NOT_OURS, NONE_CATEGORY, None) or decision.needs_triage


@pytest.fixture(scope="module")
def blitar():
    return train_region_router("35.72", BLITAR_CATEGORIES, holds_authority=False)


def test_a_peer_city_routes_to_its_own_opds_and_triages_what_it_has_no_agency_for(blitar):
    assert blitar.route("sampah menumpuk di TPS dekat pasar, bau sekali").opd == "DLHKP"
    assert blitar.route("lampu jalan mati di jl merdeka sudah seminggu").opd == "DISHUB"
    for text in ("air PDAM mati tiga hari", "KEBAKARAN rumah di gang 3, api sudah besar"):
        decision = blitar.route(text)
        assert decision.opd is None, text  # Blitar has no PDAM and no DAMKAR in Aduan
    assert set(blitar.categories) == set(BLITAR_CATEGORIES) | {NONE_CATEGORY, NOT_OURS}


def test_a_region_router_answers_like_the_model_it_wraps(province):
    assert province.categories is province.router.categories
    assert province.version == province.router.version and province.threshold == province.router.threshold
