"""The demo province for tests (issue #16, shared/demo-province.md): Jawa Timur (35) with its
agencies, Kota Kediri (35.71, the demo city every test already has) and Kota Blitar (35.72).
Arrangement only: rows straight into the database."""

from __future__ import annotations

import pytest

PROVINCE, KEDIRI, BLITAR = "35", "35.71", "35.72"

PROVINCE_OPDS = {
    "DPUBM": "Dinas PU Bina Marga Provinsi Jawa Timur",
    "DINDIK": "Dinas Pendidikan Provinsi Jawa Timur",
    "DISHUB": "Dinas Perhubungan Provinsi Jawa Timur",
    "BPBD": "BPBD Provinsi Jawa Timur",
    "RSUD": "RSUD dr. Soetomo",
}
# code: (name, OPD, SLA hours, round the clock)
PROVINCE_CATEGORIES = {
    "jalan-provinsi": ("Jalan dan jembatan provinsi", "DPUBM", 168, False),
    "sma-smk-slb": ("SMA, SMK dan SLB", "DINDIK", 120, False),
    "angkutan-antarkota": ("Angkutan antarkota dalam provinsi", "DISHUB", 72, False),
    "bencana-lintas-daerah": ("Bencana lintas kabupaten/kota", "BPBD", 6, True),
    "rumah-sakit-provinsi": ("Rumah sakit provinsi", "RSUD", 48, False),
}
BLITAR_OPDS = {
    "PUPR": "Dinas PUPR Kota Blitar",
    "DLHKP": "Dinas Lingkungan Hidup Kota Blitar",
    "DISHUB": "Dinas Perhubungan Kota Blitar",
    "SATPOLPP": "Satpol PP Kota Blitar",
    "DINKES": "Dinas Kesehatan Kota Blitar",
    "DINSOS": "Dinas Sosial Kota Blitar",
    "DISPENDUKCAPIL": "Dispendukcapil Kota Blitar",
    "DISDIK": "Dinas Pendidikan Kota Blitar",
}
BLITAR_CATEGORIES = {
    "jalan-rusak": ("Jalan rusak", "PUPR", 168, False),
    "drainase": ("Drainase", "PUPR", 120, False),
    "sampah": ("Sampah", "DLHKP", 48, False),
    "pju": ("Penerangan jalan", "DISHUB", 72, False),
    "lalu-lintas": ("Lalu lintas", "DISHUB", 72, False),
    "ketertiban": ("Ketertiban umum", "SATPOLPP", 72, False),
    "kesehatan": ("Kesehatan", "DINKES", 72, False),
    "sosial": ("Bantuan sosial", "DINSOS", 120, False),
    "adminduk": ("Administrasi kependudukan", "DISPENDUKCAPIL", 120, False),
    "pendidikan": ("Pendidikan", "DISDIK", 120, False),
    "lainnya": ("Lainnya", None, 72, False),
}


def seed_province() -> None:
    """Regions 35 and 35.72 with their agencies and categories beside the seeded demo city."""
    from ticketing.extensions import db
    from ticketing.models import Category, Opd
    from ticketing.services.regions import ensure_region

    ensure_region(PROVINCE, name="Provinsi Jawa Timur", population=41_000_000)
    ensure_region(KEDIRI, name="Kota Kediri", parent_code=PROVINCE, population=290_000)
    ensure_region(BLITAR, name="Kota Blitar", parent_code=PROVINCE, population=150_000)
    for region, opds, categories in (
        (PROVINCE, PROVINCE_OPDS, PROVINCE_CATEGORIES),
        (BLITAR, BLITAR_OPDS, BLITAR_CATEGORIES),
    ):
        for code, name in opds.items():
            if db.session.get(Opd, (region, code)) is None:
                db.session.add(Opd(region_code=region, code=code, name=name, kind="agency", active=True))
        db.session.flush()
        for code, (name, opd, hours, round_the_clock) in categories.items():
            if db.session.get(Category, (region, code)) is None:
                db.session.add(
                    Category(
                        region_code=region,
                        code=code,
                        name=name,
                        default_opd_code=opd,
                        sla_hours=hours,
                        sla_24x7=round_the_clock,
                        active=True,
                    )
                )
    db.session.commit()


@pytest.fixture
def province(app_ctx):
    """The demo province, seeded for this test."""
    seed_province()
    return PROVINCE


@pytest.fixture
def region_token(http, app_ctx):
    """region_token(role, region, opd=None, username=None): a staff token of an account in
    `region` (token_for makes them in the default region)."""
    from ticketing.services.accounts import create_user

    def issue(role: str, region: str, opd: str | None = None, username: str | None = None) -> str:
        username = username or f"{role}-{region}-{opd or 'x'}".lower().replace(".", "-")
        create_user(username=username, password="password123", role=role, opd_code=opd, region_code=region)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    return issue
