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

# SMS and WhatsApp conversation (ticketing/services/conversation.py, notifications.py).
# SMS costs the citizen nothing to receive but us per 160 characters: keep them short.
CATALOGUE["id"].update({
    "chat.ack": ("Terima kasih, pengaduan Anda kami terima dengan nomor {ticket_number}. "
                 "Untuk melihat perkembangannya, balas: CEK {ticket_number}"),
    "chat.help": ("Layanan Aduan Warga. Tulis keluhan Anda dalam satu pesan: apa masalahnya "
                  "dan di mana. Lokasi atau foto boleh dikirim sesudahnya. Cek status: "
                  "CEK <nomor pengaduan>."),
    "chat.prompt": "Silakan tulis keluhan Anda: apa masalahnya dan di mana lokasinya.",
    "chat.cek_usage": "Untuk cek status, balas CEK diikuti nomor pengaduan, contoh: CEK ABCD-2345.",
    "chat.status": "Status pengaduan {ticket_number}: {status_label}.",
    "chat.status_opd": "Status pengaduan {ticket_number}: {status_label} ({opd_name}).",
    "chat.status_unknown": ("Pengaduan dengan nomor itu tidak ditemukan untuk nomor telepon ini. "
                            "Periksa kembali nomor pengaduan Anda."),
    "chat.location_attached": "Lokasi sudah ditambahkan ke pengaduan {ticket_number}.",
    "chat.media_attached": "Foto/berkas sudah ditambahkan ke pengaduan {ticket_number}.",
    "chat.followup_added": "Keterangan tambahan sudah dicatat pada pengaduan {ticket_number}.",
    "chat.location_first": ("Lokasi/foto diterima. Mohon kirim juga uraian keluhan Anda "
                            "(apa masalahnya) agar dapat kami catat."),
    "chat.rate_limited": ("Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Pesan "
                          "tetap kami simpan; silakan kirim lagi beberapa saat lagi."),
    "chat.feedback_thanks": "Terima kasih atas penilaian Anda ({rating}/5) untuk pengaduan {ticket_number}.",
    "notify.routed": "Pengaduan {ticket_number} telah diteruskan ke {opd_name} untuk ditindaklanjuti.",
    "notify.in_progress": "Pengaduan {ticket_number} sedang ditindaklanjuti oleh {opd_name}.",
    "notify.resolved": ("Pengaduan {ticket_number} telah selesai ditindaklanjuti oleh {opd_name}. "
                        "{note}Mohon nilai layanan kami: balas angka 1 (buruk) sampai 5 (sangat baik)."),
    "notify.resolved_note": "Catatan: {note} ",
    "notify.closed": "Pengaduan {ticket_number} telah ditutup. Terima kasih telah melapor.",
})

DEFAULT_LANGUAGE = "id"


def text(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    template = CATALOGUE.get(language, {}).get(key) or CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template
