"""Catalogue texts of hand-offs to bodies outside the city (issue #17, services/handoffs.py and
the /instansi pages), merged into `ticketing.catalogue.CATALOGUE` and read only through
`catalogue.text`.
"""

from __future__ import annotations

HANDOFF_TEXTS = {
    "status.external": "Ditangani instansi terkait",
    "external_kind.utility": "BUMN/BUMD layanan (listrik, air)",
    "external_kind.national_agency": "Instansi pusat",
    "external_kind.provincial_agency": "Instansi provinsi",
    "external_kind.police": "Kepolisian",
    "external_kind.private": "Swasta",
    "external_kind.other": "Lainnya",
    # History entries (public ones show on the citizen's tracking page).
    "event.external_forwarded": (
        "Pengaduan ini menjadi kewenangan {body_name} dan telah diteruskan ke instansi tersebut."
    ),
    "event.external_ack": "{body_name} telah menerima pengaduan ini.",
    "event.external_done": "{body_name} menyatakan pengaduan ini selesai ditangani.",
    "event.external_recalled": "Pengaduan ditarik kembali dari {body_name} oleh command center.",
    "event.external_reminder": "Pengingat dikirim ke {body_name}.",
    # What the citizen hears on their channel.
    "notify.external_forwarded": (
        "Pengaduan {ticket_number} menjadi kewenangan {body_name} dan telah kami teruskan ke sana. "
        "Kami akan mengabari Anda setiap ada perkembangan."
    ),
    "notify.external_ack": "Pengaduan {ticket_number} telah diterima oleh {body_name}.",
    "notify.external_update": "Kabar dari {body_name} untuk pengaduan {ticket_number}: {details}",
    "notify.external_done": (
        "Pengaduan {ticket_number} telah diselesaikan oleh {body_name}. {note}"
        "Balas angka 1-5 untuk menilai penanganannya."
    ),
    "notify.external_note": "Catatan: {note} ",
    "external.reference": "Nomor referensi {body_name}: {reference}.",
    "external.expected": "Perkiraan selesai: {date}.",
    # The e-mail to the body.
    "mail.subject": "[Aduan {city}] Pengaduan warga {ticket_number} untuk {body_name}",
    "mail.subject_reminder": "[Aduan {city}] Pengingat: pengaduan warga {ticket_number}",
    "mail.body": (
        "Yth. {body_name},\n\n"
        "Command center {city} meneruskan pengaduan warga berikut, yang menurut kami menjadi "
        "kewenangan instansi Bapak/Ibu.\n\n"
        "Nomor pengaduan: {ticket_number}\n"
        "Diterima: {created}\n"
        "Isi pengaduan:\n{description}\n\n"
        "Lokasi: {location}\n"
        "Peta: {map_link}\n"
        "Catatan petugas: {note}\n"
        "Foto dari pelapor: {photos}\n\n"
        "Mohon konfirmasi penerimaan, kirim perkembangan (nomor tiket/referensi instansi, "
        "perkiraan tanggal selesai) atau tandai selesai melalui tautan berikut. Tautan ini tidak "
        "memerlukan akun dan berlaku sampai {expires}:\n{link}\n\n"
        "Terima kasih atas kerja samanya.\n"
        "Command center {city}\n"
    ),
    "mail.body_reminder": (
        "Yth. {body_name},\n\n"
        "Pengaduan warga {ticket_number} yang kami teruskan pada {forwarded} {reason}\n"
        "Mohon kirim perkembangannya melalui tautan berikut (berlaku sampai {expires}):\n{link}\n\n"
        "Ringkasan pengaduan: {summary}\n\n"
        "Terima kasih.\nCommand center {city}\n"
    ),
    "mail.reason_no_ack": "belum dikonfirmasi penerimaannya.",
    "mail.reason_expected_passed": "telah melewati perkiraan tanggal selesai ({date}).",
    "mail.no_location": "tidak disebutkan",
    "mail.no_map": "-",
    "mail.no_note": "-",
    "mail.photos_attached": "{count} foto terlampir dan dapat dilihat juga melalui tautan di bawah",
    "mail.no_photos": "tidak ada",
    # The body's page (/instansi/<token>).
    "external.page.ack_done": "Terima kasih, penerimaan pengaduan telah dicatat.",
    "external.page.update_done": "Terima kasih, perkembangan telah dicatat dan diteruskan ke pelapor.",
    "external.page.done_done": "Terima kasih, pengaduan telah ditandai selesai.",
    "external.page.invalid": "Isian belum lengkap atau tidak sesuai. Mohon periksa kembali.",
    "external.page.not_now": "Tindakan ini tidak dapat dilakukan pada status pengaduan saat ini.",
    "external.page.expired_title": "Tautan sudah kedaluwarsa",
    "external.page.expired": (
        "Tautan ini sudah tidak berlaku. Mohon hubungi command center untuk meminta tautan baru."
    ),
    "external.page.closed_title": "Pengaduan tidak lagi ditangani instansi Anda",
    "external.page.closed": (
        "Pengaduan ini sudah ditarik kembali oleh command center atau diteruskan ke instansi lain."
    ),
    "external.page.forbidden_title": "Tautan tidak valid",
    "external.page.forbidden": (
        "Tautan ini tidak dikenali. Pastikan Anda membuka tautan lengkap dari surel yang kami kirim."
    ),
    # Errors of the staff API, the console and the CLI.
    "error.external_body_unknown": "Instansi luar tidak dikenal atau tidak aktif.",
    "error.external_body_field": "Pilih instansi luar yang terdaftar (lihat GET /api/v1/external-bodies).",
    "error.external_body_code": "Kode instansi: huruf besar, angka dan tanda hubung, paling banyak 32.",
    "error.external_body_region": "Wilayah {region} tidak dikenal.",
    "error.external_update_empty": "Isi setidaknya keterangan, nomor referensi atau perkiraan tanggal.",
    "error.external_expected_past": "Perkiraan tanggal selesai tidak boleh sebelum hari ini.",
    "action.forward_external": "Diteruskan ke instansi luar",
    "action.recall_external": "Ditarik kembali dari instansi luar",
    "action.external_ack": "Diterima instansi luar",
    "action.external_update": "Kabar dari instansi luar",
    "action.external_done": "Diselesaikan instansi luar",
    "action.external_reminder": "Pengingat ke instansi luar",
}
