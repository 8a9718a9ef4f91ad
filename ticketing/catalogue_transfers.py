"""Catalogue texts of transfers between regions and authority proposals (issue #16,
services/transfers.py), merged into `ticketing.catalogue.CATALOGUE` and read only through
`catalogue.text`.
"""

from __future__ import annotations

TRANSFER_TEXTS = {
    # The citizen's one message when their complaint moves to the body that holds the authority.
    "notify.transferred": (
        "Pengaduan {ticket_number} dialihkan ke {opd_name}, yang berwenang menanganinya. "
        "Nomor pengaduan Anda tetap sama."
    ),
    "notify.transferred_body": "{opd_name} ({region_name})",
    # The public history line (the tracking page), without the operator's own note.
    "event.transferred": "Pengaduan dialihkan ke {body}.",
    "event.transfer_returned": "Pengaduan dikembalikan ke {body}.",
    "action.transfer": "Dialihkan ke wilayah lain",
    "transfer.triage_of": "command center {region_name}",
    "error.transfer_region_missing": "Pilih wilayah tujuan pengalihan.",
    "error.transfer_same_region": "Tiket ini sudah berada di {region_name}.",
    "error.transfer_unrelated_region": (
        "Tiket hanya dapat dialihkan ke provinsi, ke kota/kabupaten di bawahnya, atau ke "
        "kota/kabupaten tetangga dalam provinsi yang sama."
    ),
    "error.transfer_opd_unknown": "OPD {opd} tidak ada atau tidak aktif di {region_name}.",
    "error.transfer_region_empty": (
        "{region_name} belum punya OPD aktif di Aduan: tiket tidak dapat dialihkan ke sana."
    ),
    "error.transferred_away": (
        "Tiket ini sudah dialihkan ke {region_name} dan hanya dapat dilihat oleh wilayah Anda. "
        "Tindakan dilakukan oleh wilayah penerima."
    ),
    "console.transfer_title": "Alihkan ke wilayah lain",
    "console.transfer_region": "Wilayah tujuan",
    "console.transfer_opd": "OPD tujuan (kosongkan untuk diverifikasi command center penerima)",
    "console.transfer_note": "Alasan pengalihan ke wilayah lain",
    "console.transfer_submit": "Alihkan",
    "console.transfer_done": "Tiket {n} dialihkan ke {body}.",
    "console.transfer_back_hint": (
        "Untuk mengembalikan ke {region_name}, pilih wilayah itu dan tulis alasannya."
    ),
    "console.transferred_away": "Sudah dialihkan ke {region_name}: hanya dapat dilihat.",
    "console.transfer_proposal": "Usulan: kewenangan {region_name}, {opd_name} (aturan {rule}).",
    "console.transfers": "Riwayat pengalihan",
    "console.transfer_row": "{at}: {from_region} → {to_region} ({opd}) oleh {actor}: {note}",
    "console.transfer_returned": "dikembalikan {at}: {note}",
}
