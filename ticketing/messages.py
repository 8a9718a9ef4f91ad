"""The message catalogue: every citizen-facing text, Bahasa Indonesia first.

Texts are `str.format` templates; `text(key, **values)` fills them in.
"""
from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "id": {
        "status.received": "Diterima",
        "status.triage": "Diverifikasi petugas",
        "status.assigned": "Diteruskan ke OPD",
        "status.in_progress": "Sedang ditindaklanjuti",
        "status.resolved": "Selesai ditindaklanjuti",
        "status.closed": "Ditutup",
        "status.rejected": "Ditolak",
        "event.created": "Pengaduan diterima.",
        "event.routed": "Pengaduan diteruskan ke {opd_name}.",
        "event.triage": "Pengaduan sedang diverifikasi oleh petugas command center.",
        "event.feedback": "Terima kasih, penilaian Anda ({rating}/5) telah kami terima.",
        "event.auto_closed": "Pengaduan ditutup otomatis karena tidak ada tanggapan dalam {days} hari kerja setelah selesai ditindaklanjuti.",
    },
}

DEFAULT_LANGUAGE = "id"


def text(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    template = CATALOGUE.get(language, {}).get(key) or CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template
