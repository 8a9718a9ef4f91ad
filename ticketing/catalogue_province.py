"""Catalogue texts of the province's comparison of its cities (issue #16: walls and reports),
merged into `ticketing.catalogue.CATALOGUE` and read only through `catalogue.text`."""

from __future__ import annotations

PROVINCE_TEXTS = {
    "error.region_forbidden": "Akun Anda tidak boleh melihat wilayah {region}.",
    "error.region_forbidden_field": "Pilih wilayah akun Anda atau wilayah di bawahnya.",
    "report.csv_cities": "kota",
    "report.csv_opds": "opd",
}
