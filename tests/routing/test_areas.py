"""Area units: kelurahan and kecamatan by point and by name, their offices as routable units."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from tests.support.routing import BANDAR_LOR, OUTSIDE_CITY, SEMAMPIR, routed_event
from ticketing.router.areas import AREAS_PATH, AreaIndex


@pytest.fixture(scope="module")
def index() -> AreaIndex:
    return AreaIndex()


def test_geojson_has_the_demo_city_units_marked_approximate():
    data = json.loads(AREAS_PATH.read_text(encoding="utf-8"))
    assert data["approximate"] is True and "BIG/Dukcapil" in data["note"]
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds.count("kecamatan") == 3 and kinds.count("kelurahan") == 46
    kecamatan = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in data["features"]
        if f["properties"]["kind"] == "kecamatan"
    }
    assert set(kecamatan) == {"mojoroto", "kota", "pesantren"}
    for feature in data["features"]:
        props = feature["properties"]
        assert props["approximate"] is True
        if props["kind"] == "kelurahan":
            # Every kelurahan lies inside its own kecamatan (the kecamatan is their union).
            cell = shape(feature["geometry"])
            assert cell.is_valid and cell.area > 0
            assert kecamatan[props["kecamatan_code"]].buffer(1e-6).covers(cell), props["name"]


@pytest.mark.parametrize(
    "point, kelurahan, kecamatan",
    [
        (BANDAR_LOR, "bandar-lor", "mojoroto"),
        (SEMAMPIR, "semampir", "kota"),
        ((-7.8275, 112.0200), "burengan", "pesantren"),
        ((-7.8230, 111.9600), "sukorame", "mojoroto"),
    ],
)
def test_area_by_point(index, point, kelurahan, kecamatan):
    match = index.at_point(*point)
    assert (match.kelurahan_code, match.kecamatan_code, match.source) == (kelurahan, kecamatan, "point")
    assert match.kelurahan.opd_code == "KEL-" + kelurahan.upper()


def test_point_outside_the_city_has_no_area(index):
    assert index.at_point(*OUTSIDE_CITY) is None
    # ... and then a place name in the text is used instead.
    match = index.locate(*OUTSIDE_CITY, "sampah menumpuk di kelurahan Semampir")
    assert (match.kelurahan_code, match.source) == ("semampir", "text")


@pytest.mark.parametrize(
    "text, kelurahan, kecamatan",
    [
        ("Jalan rusak di kel. Bandar Lor dekat masjid", "bandar-lor", "mojoroto"),
        ("KELURAHAN BANDAR LOR lampu mati", "bandar-lor", "mojoroto"),
        ("sampah numpuk di Kec. Mojoroto", None, "mojoroto"),
        ("got mampet di Mojoroto", None, "mojoroto"),
        ("warga kec kota mengeluhkan parkir liar", None, "kota"),
        ("banjir di ds. Sukorame", "sukorame", "mojoroto"),
        ("di sekitar Setono Gedong ada pohon tumbang", "setono-gedong", "kota"),
        ("pdam mati di kel pojok sejak pagi", "pojok", "mojoroto"),
        # Longest name wins: "Bandar Kidul" over "Bandar".
        ("sampah di kelurahan bandar kidul dan bandar lor", "bandar-kidul", "mojoroto"),
    ],
)
def test_area_by_name(index, text, kelurahan, kecamatan):
    match = index.in_text(text)
    assert (match.kelurahan_code, match.kecamatan_code, match.source) == (kelurahan, kecamatan, "text")


@pytest.mark.parametrize(
    "text",
    [
        "lampu di pojok jalan mati",  # "pojok" (corner) is also a kelurahan: needs its prefix
        "macet parah di kota kediri",  # "kota" is a kecamatan only with "kec."
        "bawang merah mahal sekali di pasar",  # "bawang" likewise
        "halo min",
    ],
)
def test_common_words_are_not_places(index, text):
    assert index.in_text(text) is None


def test_routing_stores_the_area_on_the_ticket_and_in_the_event(routed):
    ticket = routed("Lampu penerangan jalan mati sudah seminggu, gelap sekali", *BANDAR_LOR)
    assert (ticket.kelurahan_code, ticket.kecamatan_code) == ("bandar-lor", "mojoroto")
    data = routed_event(ticket).data
    assert data["kelurahan"] == "bandar-lor" and data["kecamatan"] == "mojoroto"
    assert data["area_source"] == "point"
    by_name = routed("Lampu PJU mati di Kel. Semampir, mohon diperbaiki")
    assert (by_name.kelurahan_code, by_name.kecamatan_code) == ("semampir", "kota")
    assert routed_event(by_name).data["area_source"] == "text"


def test_the_decision_records_version_unit_confidence_and_runner_up(routed):
    ticket = routed("Lampu penerangan jalan mati sudah seminggu, gelap sekali", *BANDAR_LOR)
    data = routed_event(ticket).data
    assert data["model_version"].startswith("router-")
    assert data["unit"] == ticket.opd_code == "DISHUB" and data["unit_kind"] == "agency"
    assert 0 < data["confidence"] <= 1
    assert data["runner_up"] == data["candidates"][1]
    assert data["runner_up"]["confidence"] <= data["confidence"]


def test_seed_area_units_is_idempotent_and_offices_are_opds(app_ctx, area_units):
    from ticketing.extensions import db
    from ticketing.models import Category, Opd
    from ticketing.services.seeding import seed_area_units

    assert area_units == {"units": 49, "categories": 2}
    assert seed_area_units() == {"units": 0, "categories": 0}
    office = db.session.get(Opd, ("35.71", "KEL-BANDAR-LOR"))
    assert (office.kind, office.name, office.active) == ("kelurahan", "Kelurahan Bandar Lor", True)
    assert db.session.get(Opd, ("35.71", "KEC-MOJOROTO")).kind == "kecamatan"
    assert db.session.get(Opd, ("35.71", "PUPR")).kind == "agency"
    assert db.session.get(Category, ("35.71", "layanan-kelurahan")).default_opd_code is None


def test_an_office_matter_goes_to_the_kelurahan_of_the_place(routed, area_units):
    ticket = routed(
        "Kantor kelurahan jam 10 pagi sudah tutup, mau minta surat pengantar tidak ada petugas sama sekali",
        *BANDAR_LOR,
    )
    assert (ticket.status, ticket.opd_code, ticket.category_code) == (
        "assigned",
        "KEL-BANDAR-LOR",
        "layanan-kelurahan",
    )
    data = routed_event(ticket).data
    assert (data["unit"], data["unit_kind"], data["rule"]) == (
        "KEL-BANDAR-LOR",
        "kelurahan",
        "kelurahan-office",
    )
    # The suggestion names the office, so an operator's one-key dispose works too.
    assert data["candidates"][0]["opd"] == "KEL-BANDAR-LOR" and data["opd"] == "@kelurahan"
    kecamatan = routed("Pelayanan di kantor kecamatan Pesantren lambat sekali, antri dari pagi")
    assert (kecamatan.status, kecamatan.opd_code) == ("assigned", "KEC-PESANTREN")


def test_an_office_matter_without_a_known_place_goes_to_triage(routed, area_units):
    ticket = routed("Pak lurah susah ditemui, sudah seminggu tidak ngantor")
    assert (ticket.status, ticket.opd_code) == ("triage", None)
    assert routed_event(ticket).data["unit_wanted"] == "kelurahan"


def test_agency_matters_that_mention_a_kelurahan_stay_with_the_agency(routed, area_units):
    # README label rule 6: money asked by kelurahan staff is INSPEKTORAT's, not the kelurahan's.
    ticket = routed("Ngurus surat keterangan domisili di kantor kelurahan dimintai uang 50 ribu", *BANDAR_LOR)
    assert ticket.opd_code != "KEL-BANDAR-LOR"
    assert ticket.kelurahan_code == "bandar-lor"


def test_seed_demo_command_creates_the_offices_idempotently(app, app_ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])  # the demo city's agencies exist already
    assert first.exit_code == 0, first.output
    assert "0 new OPDs, 2 new categories, 49 new kecamatan/kelurahan offices" in first.output
    again = runner.invoke(args=["seed-demo"])
    assert "0 new OPDs, 0 new categories, 0 new kecamatan/kelurahan offices" in again.output
