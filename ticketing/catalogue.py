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
        "event.auto_closed": (
            "Pengaduan ditutup otomatis karena tidak ada tanggapan dalam {days} "
            "hari kerja setelah selesai ditindaklanjuti."
        ),
    },
}

# SMS and WhatsApp conversation (ticketing/services/conversation.py, notifications.py).
# SMS costs the citizen nothing to receive but us per 160 characters: keep them short.
CATALOGUE["id"].update(
    {
        "chat.ack": (
            "Terima kasih, pengaduan Anda kami terima dengan nomor {ticket_number}. "
            "Untuk melihat perkembangannya, balas: CEK {ticket_number}"
        ),
        "chat.help": (
            "Layanan Aduan Warga. Tulis keluhan Anda dalam satu pesan: apa masalahnya "
            "dan di mana. Lokasi atau foto boleh dikirim sesudahnya. Cek status: "
            "CEK <nomor pengaduan>."
        ),
        "chat.prompt": "Silakan tulis keluhan Anda: apa masalahnya dan di mana lokasinya.",
        "chat.cek_usage": "Untuk cek status, balas CEK diikuti nomor pengaduan, contoh: CEK ABCD-2345.",
        "chat.cek_choices": (
            "Pengaduan Anda yang masih berjalan: {numbers}. Untuk cek status, "
            "balas CEK diikuti nomor pengaduan."
        ),
        "chat.status": "Status pengaduan {ticket_number}: {status_label}.",
        "chat.status_opd": "Status pengaduan {ticket_number}: {status_label} ({opd_name}).",
        "chat.status_unknown": (
            "Pengaduan dengan nomor itu tidak ditemukan untuk nomor telepon ini. "
            "Periksa kembali nomor pengaduan Anda."
        ),
        "chat.location_attached": "Lokasi sudah ditambahkan ke pengaduan {ticket_number}.",
        "chat.media_attached": "Foto/berkas sudah ditambahkan ke pengaduan {ticket_number}.",
        "chat.followup_added": "Keterangan tambahan sudah dicatat pada pengaduan {ticket_number}.",
        "chat.location_first": (
            "Lokasi/foto diterima. Mohon kirim juga uraian keluhan Anda "
            "(apa masalahnya) agar dapat kami catat."
        ),
        "chat.rate_limited": (
            "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Pesan "
            "tetap kami simpan; silakan kirim lagi beberapa saat lagi."
        ),
        "chat.feedback_thanks": (
            "Terima kasih atas penilaian Anda ({rating}/5) untuk pengaduan {ticket_number}."
        ),
        "notify.routed": "Pengaduan {ticket_number} telah diteruskan ke {opd_name} untuk ditindaklanjuti.",
        "notify.in_progress": "Pengaduan {ticket_number} sedang ditindaklanjuti oleh {opd_name}.",
        "notify.resolved": (
            "Pengaduan {ticket_number} telah selesai ditindaklanjuti oleh {opd_name}. "
            "{note}Mohon nilai layanan kami: balas angka 1 (buruk) sampai 5 (sangat baik)."
        ),
        "notify.resolved_note": "Catatan: {note} ",
        "notify.closed": "Pengaduan {ticket_number} telah ditutup. Terima kasih telah melapor.",
    }
)

# The chat's questions: which category, where, ratings and CEK as lists (issue 20).
from ticketing.catalogue_chat import CHAT_QUESTION_TEXTS  # noqa: E402 (data appended like the blocks here)

CATALOGUE["id"].update(CHAT_QUESTION_TEXTS)

# Incidents and proof of fix (issue #18: services/incidents.py, spikes.py, proof.py).
CATALOGUE["id"].update(
    {
        "incident.not_found": "Insiden tidak ditemukan.",
        "incident.area_invalid": (
            "Area tidak sah: isi {lat, lon, radius_m} (radius 10 sampai 50.000 meter) atau "
            "{polygon: [[lat, lon], ...]} dengan 3 sampai 200 titik."
        ),
        "incident.title_invalid": "Judul insiden wajib diisi (paling banyak 200 karakter).",
        "incident.categories_invalid": "Pilih paling sedikit satu kategori (paling banyak 20).",
        "incident.message_invalid": "Pesan pembaruan wajib diisi (paling banyak 1.000 karakter).",
        "incident.promote_needs_place": (
            "Tiket ini belum punya kategori dan lokasi (titik atau kelurahan), jadi belum bisa "
            "dijadikan insiden."
        ),
        "incident.not_proposed": "Usulan insiden ini sudah diputuskan sebelumnya.",
        "incident.not_active": "Insiden ini tidak sedang aktif.",
        "incident.idempotency_key_reused": (
            "Idempotency-Key ini sudah dipakai untuk pembaruan lain; pakai kunci baru untuk pembaruan baru."
        ),
        "incident.lead_unknown": "petugas terkait",
        "incident.proposed_title": "Lonjakan laporan {category} ({count} laporan)",
        "incident.joined_note": "Laporan digabungkan ke penanganan insiden: {title}.",
        "incident.left_note": "Laporan dipisahkan dari insiden {title} dan ditangani tersendiri.",
        "incident.closed_note": "Insiden {title} telah selesai ditangani; laporan ini ditutup.",
        "incident.ack": (
            "Terima kasih, laporan Anda kami terima dan digabungkan dengan penanganan kejadian "
            '"{title}" oleh {opd_name}. Kabar perkembangannya akan kami kirim ke nomor ini.'
        ),
        "incident.update": 'Kabar terbaru "{title}": {message}',
        "incident.closed": (
            'Penanganan kejadian "{title}" telah selesai. {note}Laporan Anda kami tutup. '
            "Terima kasih telah melapor."
        ),
        "incident.taken_out": (
            'Laporan Anda ternyata bukan bagian dari kejadian "{title}" dan kini ditangani '
            "tersendiri dengan nomor {ticket_number}. Cek status: CEK {ticket_number}"
        ),
        "incident.declared": "Insiden dinyatakan: {title}.",
        "incident.update_sent": "Kabar terbaru terkirim ke {count} warga.",
        "incident.update_replayed": "Kabar ini sudah terkirim ke {count} warga; tidak dikirim dua kali.",
        "incident.done_declare": "Usulan dinyatakan sebagai insiden.",
        "incident.done_dismiss": "Usulan insiden diabaikan.",
        "incident.done_close": "Insiden ditutup; laporannya ikut ditutup.",
        "incident.done_take_out": "Tiket {ticket_number} dipisahkan dari insiden.",
        "proof.required": (
            "Kategori ini wajib disertai foto bukti perbaikan yang diambil di lokasi pengaduan."
        ),
        "proof.photo_unknown": (
            "Foto bukti tidak ditemukan pada tiket ini atau sudah dipakai; unggah foto baru lebih dulu."
        ),
        "proof.too_far": (
            "Foto ditolak: diambil sekitar {distance} m dari lokasi pengaduan (batas {limit} m). "
            "Ambil foto di lokasi pengaduan."
        ),
        "proof.too_old": (
            "Foto ditolak: diambil {taken}, sebelum pengaduan masuk ({filed}). "
            "Ambil foto baru setelah perbaikan."
        ),
        "proof.resolved": (
            "Pengaduan {ticket_number} dinyatakan selesai oleh {opd_name}. {note}Foto bukti: "
            "{photo_url} Apakah masalahnya sudah beres? Balas SUDAH BERES, atau BELUM diikuti "
            "keterangan Anda."
        ),
        "proof.resolved_sms": (
            "Pengaduan {ticket_number} dinyatakan selesai oleh {opd_name}. {note}Sudah beres? "
            "Balas YA, atau TIDAK diikuti keterangan."
        ),
        "proof.photo_on_page": "(lihat di halaman lacak pengaduan Anda)",
        "proof.confirmed": "Terima kasih, pengaduan {ticket_number} kami tutup sebagai sudah beres.",
        "proof.reopened": (
            "Terima kasih, pengaduan {ticket_number} kami buka kembali dan teruskan lagi ke {opd_name} "
            "beserta keterangan Anda."
        ),
        "proof.not_fixed_note": "Warga menyatakan belum beres: {words}",
        "proof.not_fixed_plain": "Warga menyatakan belum beres.",
    }
)

# Rate limits and sign-in (ticketing/ratelimits.py, services/accounts.py): the same words on
# the API, Open311 and the console.
CATALOGUE["id"].update(
    {
        "error.rate_limited": (
            "Terlalu banyak permintaan dalam waktu singkat. Silakan coba lagi dalam {seconds} detik."
        ),
        "error.login_failed": "Nama pengguna atau kata sandi salah.",
        "error.login_locked": (
            "Terlalu banyak percobaan masuk yang gagal. Silakan coba lagi dalam {seconds} detik."
        ),
        "error.metrics_token": "Token metrik yang sah diperlukan.",
    }
)

# Ticket lifecycle in words (services/lifecycle.py): the reason a ticket was rejected, for its
# history and the citizen's tracking page; and the staff console's refusals of a ticket action.
CATALOGUE["id"].update(
    {
        "event.rejected_duplicate": (
            "Pengaduan ini sama dengan pengaduan {original} yang sedang "
            "ditangani; perkembangannya mengikuti pengaduan {original}."
        ),
        "event.rejected_spam": "Pengaduan ditolak karena bukan pengaduan yang dapat ditindaklanjuti.",
        "error.dispose_same_opd": (
            "Tiket sudah berada di {opd}. Pilih OPD lain untuk "
            "mengalihkannya; batas waktunya tidak dimulai ulang."
        ),
        "error.reassign_note_required": "Tulis alasan pengalihan tiket ke OPD lain.",
        "error.duplicate_of_missing": "Isi nomor tiket asli untuk menolak sebagai duplikat.",
        "error.duplicate_of_unknown": "Tidak ada tiket bernomor {number}. Periksa nomornya.",
        "error.duplicate_of_self": (
            "Tiket {number} adalah tiket ini sendiri (atau duplikatnya): isi nomor tiket asli yang lain."
        ),
    }
)

# The citizen's web page (ticketing/citizen/): the answers to its plain forms, the field
# errors it shows, and the chat acknowledgement that carries the tracking link.
CATALOGUE["id"].update(
    {
        "chat.ack_link": (
            "Terima kasih, pengaduan Anda kami terima dengan nomor {ticket_number}. "
            "Pantau perkembangannya: {tracking_url}"
        ),
        "web.csrf": "Formulir sudah kedaluwarsa. Mohon periksa isian Anda lalu kirim sekali lagi.",
        "web.added": "Terima kasih, tambahan informasi Anda sudah kami terima.",
        "web.reopened": "Pengaduan dibuka kembali dan diteruskan lagi ke OPD yang menangani.",
        "web.invalid": "Mohon periksa kembali isian Anda.",
        "web.not_now": "Tindakan ini tidak dapat dilakukan pada status pengaduan saat ini.",
        "web.already_rated": "Penilaian untuk penyelesaian ini sudah Anda berikan sebelumnya.",
        "web.reopen_window_closed": "Batas waktu untuk membuka kembali pengaduan ini sudah lewat.",
        "web.photo_too_large": "Foto terlalu besar (maksimal {mb} MB per foto).",
        "web.photo_type": "Foto harus berupa berkas JPEG, PNG atau WebP.",
        "web.rate_limited": "Terlalu banyak pengiriman dalam waktu singkat. Silakan coba lagi nanti.",
        "web.field.description": "Mohon tuliskan apa yang terjadi.",
        "web.field.phone": "Nomor telepon tidak valid. Contoh: 081234567890.",
        "web.field.photo": "Foto harus JPEG, PNG atau WebP, maksimal {mb} MB, paling banyak {count}.",
        "web.field.category": "Kategori tidak dikenal. Pilih dari daftar.",
        "web.field.invalid": "Isian ini tidak valid.",
        "error.photo_missing": "Lampirkan foto pada kolom multipart `photo`.",
        "error.photo_multipart": "Kirim foto sebagai multipart/form-data dengan kolom `photo`.",
        "error.photo_empty": "Berkas foto kosong.",
        "error.photo_too_large": "Foto lebih besar dari {mb} MB.",
        "error.photo_type": "Foto harus berupa JPEG, PNG atau WebP.",
        "error.photo_count": "Paling banyak {count} foto.",
        "error.photo_limit": "Pengaduan ini sudah memiliki cukup foto (paling banyak {count}).",
        "error.photo_not_found": "Foto tidak ditemukan.",
        "error.note_empty": "Tuliskan keterangan yang ingin ditambahkan.",
    }
)

# What the complaint form's script says (ticketing/citizen/static/lapor.js reads them from the
# page, so the script holds no citizen text of its own).
CATALOGUE["id"].update(
    {
        "web.js.sending": "Mengirim pengaduan…",
        "web.js.sending_pending": "Mengirim pengaduan yang tertunda…",
        "web.js.sent": "Pengaduan tertunda sudah terkirim dengan nomor {ticket_number}.",
        "web.js.receipt": "Lihat tanda terima",
        "web.js.offline": (
            "Anda sedang offline. Pengaduan sudah disimpan di ponsel ini dan akan "
            "dikirim otomatis begitu sambungan internet kembali. Jangan hapus data "
            "peramban sebelum terkirim."
        ),
        "web.js.refused": "Pengaduan ditolak (kode {status}). Periksa isian Anda.",
        "web.js.auto_category": "Otomatis: {category}",
        "web.js.guess": "Perkiraan kategori: {category}. Ganti bila kurang tepat.",
        "web.js.guess_none": "Petugas akan menentukan kategorinya.",
        "web.js.point": "Lokasi ditandai: {lat}, {lon}. Ketuk peta untuk memindahkan.",
        "web.js.map_failed": "Peta tidak dapat dimuat. Isi alamat di bawah saja.",
        "web.js.locating": "Mencari lokasi Anda…",
        "web.js.no_geolocation": "Ponsel ini tidak memberi lokasi. Tandai di peta atau isi alamat.",
        "web.js.location_failed": "Lokasi tidak tersedia. Tandai di peta atau isi alamat.",
        "web.js.kelurahan": "Peta di Kelurahan {name}. Ketuk titik lokasinya.",
        "web.js.photo_count": "Hanya {count} foto pertama yang dikirim.",
        "web.js.preview": "Pratinjau foto {number}",
        "web.js.copied": "Tautan tersalin",
    }
)

# API errors: the JSON `code` stays English snake_case for programs, the `message` and the
# per-field texts are for people (ticketing/errors.py, http.py, intake/).
CATALOGUE["id"].update(
    {
        "error.invalid_fields": "Beberapa isian tidak sah. Periksa kembali isian yang ditandai.",
        "error.unstorable": "Beberapa isian tidak dapat disimpan (misalnya karakter NUL).",
        "error.not_found": "Halaman atau data yang dicari tidak ditemukan.",
        "error.method_not_allowed": "Metode permintaan ini tidak diizinkan di alamat ini.",
        "error.payload_too_large": "Isi permintaan terlalu besar.",
        "error.bad_request": "Permintaan tidak dapat diproses.",
        "error.internal": "Terjadi kesalahan di sisi kami. Silakan coba lagi.",
        "error.database_unavailable": "Basis data sedang tidak tersedia; silakan coba lagi sebentar lagi.",
        "error.service_unavailable": (
            "Layanan pendukung sedang tidak tersedia; silakan coba lagi sebentar lagi."
        ),
        "error.json_required": "Kirim data JSON dengan Content-Type: application/json.",
        "error.json_malformed": "Isi permintaan bukan JSON yang sah.",
        "error.json_not_object": "Isi permintaan harus berupa objek JSON.",
        "error.unauthorized": "Diperlukan token akses yang sah.",
        "error.forbidden": "Peran Anda tidak boleh melakukan ini.",
        "error.ticket_not_found_for_token": "Tidak ada pengaduan dengan nomor dan token itu.",
        "error.idempotency_key": "Header Idempotency-Key tidak sah.",
        "error.idempotency_key_format": "16 sampai 200 karakter ASCII yang terlihat, misalnya UUID acak.",
        "error.unknown_category": "Kategori tidak dikenal.",
        "error.unknown_category_field": "Kode kategori tidak dikenal.",
        "error.describe_problem": "Tuliskan masalahnya.",
        "error.lat_lon_together": "Isi lintang (lat) dan bujur (lon) bersama-sama.",
        "error.point_or_address": "Isi lintang dan bujur, atau alamat.",
        # Field checks (marshmallow's own English texts, translated in errors.py).
        "field.required": "Wajib diisi.",
        "field.null": "Tidak boleh kosong.",
        "field.string": "Harus berupa teks.",
        "field.integer": "Harus berupa bilangan bulat.",
        "field.number": "Harus berupa angka.",
        "field.boolean": "Harus berupa ya atau tidak (true/false).",
        "field.email": "Alamat email tidak sah.",
        "field.datetime": "Tanggal atau waktu tidak sah.",
        "field.unknown": "Isian ini tidak dikenal.",
        "field.type": "Jenis isian tidak sah.",
        "field.list": "Harus berupa daftar.",
        "field.mapping": "Harus berupa objek.",
        "field.length_between": "Panjangnya harus {min} sampai {max} karakter.",
        "field.length_min": "Paling sedikit {min} karakter.",
        "field.length_max": "Paling banyak {max} karakter.",
        "field.range": "Harus antara {min} dan {max}.",
        "field.range_min": "Paling kecil {min}.",
        "field.range_max": "Paling besar {max}.",
        "field.one_of": "Harus salah satu dari: {choices}.",
    }
)

# Query values no record can have (odd dates, cursors the API never issued): 400, not 500.
CATALOGUE["id"].update(
    {
        "error.malformed": "Permintaan tidak dapat dibaca. Periksa isian yang ditandai.",
        "field.date_range": "Tanggal harus antara {earliest} dan {latest}.",
        "field.month_range": "Tahun harus antara {earliest} dan {latest}.",
        "field.cursor": "Gunakan kursor halaman berikutnya persis seperti yang diberikan API.",
        "field.event_cursor": "Harus nomor event dari umpan ini (0 atau lebih).",
        "error.wall_search": "Layar dinding tidak dapat mencari di teks pengaduan.",
    }
)

# Who did it, in a ticket's history (TicketEvent.actor_label holds a username or these tags).
CATALOGUE["id"].update(
    {
        "actor.citizen": "Warga",
        "actor.citizen_channel": "Warga (lewat {channel})",
        "actor.system": "Sistem",
        "actor.router": "Sistem (perutean otomatis)",
        "actor.open311": "Aplikasi mitra {name}",
        "actor.cli": "Admin server",
    }
)

# Admin console and account rules (services/administration.py, services/accounts.py).
CATALOGUE["id"].update(
    {
        "admin.username_invalid": (
            "Nama pengguna tidak boleh berisi spasi: pakai huruf, angka, "
            "titik, garis bawah atau tanda hubung, misalnya budi.santoso."
        ),
        "admin.username_rule": (
            "1 sampai 64 karakter: huruf, angka, titik (.), garis bawah (_) "
            "atau tanda hubung (-), tanpa spasi."
        ),
        "admin.username_taken": "Nama pengguna {username} sudah dipakai.",
        "admin.in_use": "Sudah dipakai.",
        "admin.not_yourself": "Anda tidak dapat menurunkan peran atau menonaktifkan akun Anda sendiri.",
        "admin.ask_another_admin": "Minta admin lain melakukannya.",
        "admin.code_invalid": "Kode hanya berisi huruf, angka, tanda hubung (-) dan garis bawah (_).",
        "admin.opd_name_required": "OPD perlu nama.",
        "admin.opd_code_taken": "Kode OPD itu sudah ada.",
        "admin.category_name_required": "Kategori perlu nama.",
        "admin.category_code_taken": "Kode kategori itu sudah ada.",
        "admin.sla_hours_invalid": "Batas waktu SLA harus bilangan bulat jam.",
        "admin.opd_unknown": "Kode OPD tidak dikenal.",
        "admin.role_unknown": "Peran tidak dikenal.",
        "admin.officer_needs_opd": "Petugas harus terdaftar pada satu OPD.",
        "admin.password_short": "Kata sandi terlalu pendek.",
    }
)

# The audit log in words (console/admin/audit.html): what was done, and to which field.
CATALOGUE["id"].update(
    {
        "audit.auth.login": "masuk ke Aduan",
        "audit.user.create": "membuat akun",
        "audit.user.update": "mengubah akun",
        "audit.user.revoke_tokens": "mengakhiri semua sesi akun",
        "audit.opd.create": "menambah OPD",
        "audit.opd.update": "mengubah OPD",
        "audit.category.create": "menambah kategori",
        "audit.category.update": "mengubah kategori",
        "audit.api_key.create": "membuat kunci API",
        "audit.api_key.revoke": "mencabut kunci API",
        "audit.ticket": "tiket {ticket_number}: {action}",
        "audit.kind.akun": "Akun pengguna",
        "audit.kind.masuk": "Masuk (login)",
        "audit.kind.opd": "OPD",
        "audit.kind.kategori": "Kategori dan SLA",
        "audit.kind.kunci": "Kunci API",
        "audit.kind.tiket": "Tindakan pada tiket",
        "audit.field.role": "peran",
        "audit.field.opd": "OPD",
        "audit.field.password": "kata sandi",
        "audit.field.active": "aktif",
        "audit.field.name": "nama",
        "audit.field.sla_hours": "jam SLA",
        "audit.field.sla_24x7": "SLA 24 jam",
        "audit.field.kind": "jenis",
        "audit.field.parent": "induk",
        "audit.field.default_opd": "OPD tujuan",
        "audit.field.token_version": "versi sesi",
    }
)

# SLA entered in days (console/admin/categories.html, services/administration.py).
CATALOGUE["id"].update(
    {
        "sla.unit.hari_kerja": "hari kerja (Senin–Jumat, jam kantor, tanpa hari libur)",
        "sla.unit.hari": "hari, 24 jam sehari (setiap jam dihitung)",
        "sla.unit.jam": "jam, 24 jam sehari (setiap jam dihitung)",
        "sla.summary.hari_kerja": "{amount} hari kerja",
        "sla.summary.hari": "{amount} hari (24 jam)",
        "sla.summary.jam": "{amount} jam (24 jam)",
        "sla.preview": "Aduan yang masuk {start} jatuh tempo {due}.",
        "admin.sla_amount_invalid": "Isi batas waktu SLA sebagai angka lebih dari nol.",
        "admin.category_saved": "Kategori {code} tersimpan: {summary}. {preview}",
    }
)

# Failed outbound messages in words (console/outbox.html, services/outbox_review.py).
CATALOGUE["id"].update(
    {
        "outbox.kind.ack": "Tanda terima pengaduan",
        "outbox.kind.routed": "Kabar diteruskan ke OPD",
        "outbox.kind.in_progress": "Kabar sedang ditindaklanjuti",
        "outbox.kind.resolved": "Kabar selesai ditindaklanjuti",
        "outbox.kind.closed": "Kabar pengaduan ditutup",
        "outbox.kind.reply": "Balasan percakapan",
        "outbox.error.unreachable": "Server penyedia SMS/WhatsApp tidak bisa dihubungi.",
        "outbox.error.provider_down": "Penyedia SMS/WhatsApp sedang gangguan atau membatasi kiriman.",
        "outbox.error.refused": (
            "Penyedia menolak pesan ini (nomor tidak aktif, atau templat WhatsApp belum disetujui)."
        ),
        "outbox.error.unclear": "Penyedia menjawab tetapi tidak jelas apakah pesan terkirim.",
        "outbox.error.no_sender": "Saluran pengiriman ini belum diatur di server.",
        "outbox.error.other": "Pesan tidak terkirim setelah semua percobaan.",
        "outbox.retried": "Pesan ke {recipient} dikirim ulang.",
        "outbox.marked_handled": "Pesan ke {recipient} ditandai sudah ditangani.",
        # Phone and walk-in intake (console/intake.py): an operator files for a caller.
        "console.intake.filed": "Laporan {ticket_number} tercatat dan sedang dirutekan.",
        "console.intake.channel_invalid": "Pilih telepon atau loket.",
        "console.intake.guess": "Usulan sistem: {category}. Tekan Alt+U untuk memakainya.",
        "console.intake.guess_none": "Sistem belum bisa mengusulkan kategori.",
        "console.intake.point": "Titik dipilih: {lat}, {lon}.",
        "console.intake.map_failed": "Peta tidak dapat dimuat; isi alamat saja.",
        # Voice notes (services/voice.py): no transcription, an operator listens and summarises.
        "voice.description": "[Pesan suara dari warga; menunggu ringkasan petugas]",
        "voice.not_waiting": "Tiket ini bukan pesan suara yang menunggu ringkasan.",
        "voice.summary_short": "Tuliskan ringkasan isi pesan suara (minimal 10 karakter).",
        "voice.summary_saved": "Ringkasan tersimpan; tiket {ticket_number} sedang dirutekan.",
        "chat.voice_ack": (
            "Terima kasih, pesan suara Anda kami terima dengan nomor {ticket_number}. "
            "Petugas kami akan mendengarkannya dan meneruskannya ke dinas terkait."
        ),
        "audit.outbox.retry": "mengirim ulang pesan gagal",
        "audit.outbox.handled": "menandai pesan gagal sudah ditangani",
    }
)

# Refusals of ticket actions and lookups (services/lifecycle.py, queries.py, administration.py).
CATALOGUE["id"].update(
    {
        "error.idempotency_key_reused": "Idempotency-Key ini sudah dipakai untuk pengaduan lain.",
        "error.idempotency_key_new": "Pakai kunci baru untuk pengaduan baru.",
        "error.action_unknown": "Tindakan tidak dikenal.",
        "error.action_forbidden": "Peran Anda tidak boleh melakukan tindakan ini ({action}).",
        "error.action_invalid_now": "Tindakan {action} tidak bisa dilakukan pada tiket berstatus {status}.",
        "error.note_required": "Tindakan ini perlu catatan.",
        "error.dispose_needs_opd": "Pilih OPD tujuan yang aktif.",
        "error.dispose_needs_opd_field": "Kode OPD tidak dikenal atau tidak aktif.",
        "error.reject_reason": "Sebutkan alasan penolakan tiket.",
        "error.ticket_not_found": "Tiket tidak ditemukan.",
        "error.reopen_window_passed": "Batas waktu untuk membuka kembali pengaduan ini sudah lewat.",
        "error.rating_range": "Penilaian berupa bilangan bulat 1 sampai 5.",
        "error.already_rated": "Penyelesaian ini sudah Anda nilai.",
        "error.month_format": "Tulis bulan sebagai TTTT-BB.",
        "error.month_format_field": "Format TTTT-BB, misalnya 2025-01.",
        "error.user_not_found": "Pengguna tidak ditemukan.",
        "error.api_key_not_found": "Kunci API tidak ditemukan.",
        "error.revoke_others": "Hanya admin yang boleh mengakhiri sesi pengguna lain.",
        "error.status_unknown": "Status tidak dikenal: {statuses}.",
        "error.api_key_name": "Kunci API perlu nama.",
        "error.api_key_scope": "Cakupan kunci API tidak dikenal.",
        "error.outbox_not_failed": "Pesan ini sudah tidak berstatus gagal.",
        "error.range_reversed": "Tanggal akhir lebih awal daripada tanggal mulai.",
        "error.feedback_elsewhere": "Penilaian dikirim lewat formulir penilaian pengaduan.",
        "error.wall_token": "Diperlukan token akun layar (wall), operator atau admin.",
        "error.officer_token": "Diperlukan token akun petugas OPD.",
    }
)

# A ticket's history in words (the console's ticket page and the audit log).
HISTORY_ACTIONS = (
    "create",
    "route",
    "dispose",
    "accept",
    "return",
    "resolve",
    "close",
    "reopen",
    "reject",
    "comment",
    "feedback",
    "sla_reminder",
    "sla_escalated",
    "citizen_message",
    "citizen_photo",
    "voice_summary",
)
CATALOGUE["id"].update(
    {
        "action.create": "Dibuat",
        "action.route": "Dirutekan",
        "action.dispose": "Diteruskan ke OPD",
        "action.accept": "Diterima OPD",
        "action.return": "Dikembalikan ke triase",
        "action.resolve": "Diselesaikan",
        "action.close": "Ditutup",
        "action.reopen": "Dibuka kembali",
        "action.reject": "Ditolak",
        "action.comment": "Catatan",
        "action.feedback": "Penilaian warga",
        "action.sla_reminder": "Pengingat SLA",
        "action.sla_escalated": "Eskalasi SLA",
        "action.citizen_message": "Tambahan dari warga",
        "action.voice_summary": "Ringkasan pesan suara oleh petugas",
        "action.citizen_photo": "Foto dari warga",
    }
)

# Regions (issue #16, services/regions.py).
CATALOGUE["id"].update(
    {
        "admin.region_unknown": "Kode wilayah tidak dikenal.",
        "error.unknown_region": "Wilayah tidak dikenal.",
        "error.unknown_region_field": "Kode wilayah tidak dikenal (lihat GET /api/v1/regions).",
        "field.region": "Wilayah",
    }
)

# Hand-offs to bodies outside the city (issue #17, services/handoffs.py).
from ticketing.catalogue_handoffs import HANDOFF_TEXTS  # noqa: E402 (data appended like the blocks above)

CATALOGUE["id"].update(HANDOFF_TEXTS)
HISTORY_ACTIONS += ("forward_external", "recall_external", "external_ack", "external_update", "external_done")
HISTORY_ACTIONS += ("external_reminder",)

# Transfers between regions and authority proposals (issue #16, services/transfers.py).
from ticketing.catalogue_transfers import TRANSFER_TEXTS  # noqa: E402 (data appended like the blocks above)

CATALOGUE["id"].update(TRANSFER_TEXTS)
HISTORY_ACTIONS += ("transfer",)

# Intake picks the region: channel accounts, the province-wide number's question (issue #16).
from ticketing.catalogue_regions import REGION_INTAKE_TEXTS  # noqa: E402 (data appended like the blocks above)

CATALOGUE["id"].update(REGION_INTAKE_TEXTS)
HISTORY_ACTIONS += ("region_chosen",)

# Kinds, information requests and the hold/close states (issue #17).
from ticketing.catalogue_kinds import KINDS_TEXTS  # noqa: E402 (data appended like the blocks above)

CATALOGUE["id"].update(KINDS_TEXTS)

DEFAULT_LANGUAGE = "id"


def text(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    template = CATALOGUE.get(language, {}).get(key) or CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


CHANNEL_NAMES = {
    "web": "web",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "open311": "Open311",
    "telegram": "Telegram",
    "phone": "telepon",
    "counter": "loket",
}


def actor(label: str | None) -> str:
    """A history actor in words: "citizen:sms" → "Warga (lewat SMS)"; usernames as they are."""
    kind, _, detail = (label or "system").partition(":")
    if kind == "citizen":
        return (
            text("actor.citizen_channel", channel=CHANNEL_NAMES.get(detail, detail))
            if detail
            else text("actor.citizen")
        )
    if kind in ("system", "router") and not detail:
        return text(f"actor.{kind}")
    if kind == "open311" and detail:
        return text("actor.open311", name=detail)
    if kind == "cli" and detail:
        return text("actor.cli")
    return label


# The history's names of issue #17's actions (texts in catalogue_kinds.py).
HISTORY_ACTIONS += ("hold", "resume", "close_unresolved", "answer", "extend", "decide", "object")


# Citizen satisfaction surveys (SKM, Permenpan RB 14/2017; services/skm.py, skm_chat.py and the
# /skm pages). The nine elements and their four answers as the regulation's questionnaire
# words them.
CATALOGUE["id"].update(
    {
        "skm.element.u1": "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
        "skm.element.u2": "Kemudahan sistem, mekanisme dan prosedur pelayanan",
        "skm.element.u3": "Kecepatan waktu penyelesaian pelayanan",
        "skm.element.u4": "Kewajaran biaya/tarif pelayanan",
        "skm.element.u5": "Kesesuaian produk pelayanan dengan standar pelayanan",
        "skm.element.u6": "Kompetensi/kemampuan petugas dalam pelayanan",
        "skm.element.u7": "Perilaku petugas: kesopanan dan keramahan",
        "skm.element.u8": "Penanganan pengaduan, saran dan masukan",
        "skm.element.u9": "Kualitas sarana dan prasarana",
        "skm.short.u1": "Persyaratan",
        "skm.short.u2": "Prosedur",
        "skm.short.u3": "Waktu penyelesaian",
        "skm.short.u4": "Biaya/tarif",
        "skm.short.u5": "Produk layanan",
        "skm.short.u6": "Kompetensi petugas",
        "skm.short.u7": "Perilaku petugas",
        "skm.short.u8": "Penanganan pengaduan",
        "skm.short.u9": "Sarana prasarana",
        "skm.scale.u1": "Tidak sesuai|Kurang sesuai|Sesuai|Sangat sesuai",
        "skm.scale.u2": "Tidak mudah|Kurang mudah|Mudah|Sangat mudah",
        "skm.scale.u3": "Tidak cepat|Kurang cepat|Cepat|Sangat cepat",
        "skm.scale.u4": "Sangat mahal|Cukup mahal|Murah|Gratis",
        "skm.scale.u5": "Tidak sesuai|Kurang sesuai|Sesuai|Sangat sesuai",
        "skm.scale.u6": "Tidak kompeten|Kurang kompeten|Kompeten|Sangat kompeten",
        "skm.scale.u7": "Tidak sopan dan ramah|Kurang sopan dan ramah|Sopan dan ramah|Sangat sopan dan ramah",
        "skm.scale.u8": "Tidak ada|Ada tetapi tidak berfungsi|Berfungsi kurang maksimal|Dikelola dengan baik",
        "skm.scale.u9": "Buruk|Cukup|Baik|Sangat baik",
        "skm.sex.L": "Laki-laki",
        "skm.sex.P": "Perempuan",
        "skm.education.sd": "SD ke bawah",
        "skm.education.smp": "SMP",
        "skm.education.sma": "SMA/SMK",
        "skm.education.diploma": "D1/D2/D3/D4",
        "skm.education.s1": "S1",
        "skm.education.s2": "S2 ke atas",
        "skm.occupation.pns": "PNS",
        "skm.occupation.tni": "TNI",
        "skm.occupation.polri": "POLRI",
        "skm.occupation.swasta": "Pegawai swasta",
        "skm.occupation.wirausaha": "Wirausaha",
        "skm.occupation.lainnya": "Lainnya",
        "skm.grade.A": "Sangat Baik",
        "skm.grade.B": "Baik",
        "skm.grade.C": "Kurang Baik",
        "skm.grade.D": "Tidak Baik",
        "skm.mode.counter": "Loket",
        "skm.mode.online": "Daring",
        "skm.already_answered": (
            "Anda sudah mengisi survei untuk layanan ini pada semester ini. Terima kasih, "
            "satu jawaban per orang per semester sudah kami catat."
        ),
        "skm.answer_required": "Pilih salah satu jawaban (1 sampai 4).",
        "skm.semester_format": (
            "Tulis semester sebagai TAHUN-1 (Januari–Juni) atau TAHUN-2 (Juli–Desember), contoh 2026-2."
        ),
        "skm.unknown_service": "Layanan tidak ditemukan.",
        "skm.admin.code_invalid": "Kode layanan: huruf, angka, tanda hubung; paling banyak 32 karakter.",
        "skm.admin.opd_unknown": "OPD tidak dikenal di wilayah ini.",
        "skm.admin.all_skipped": "Paling sedikit satu unsur harus berlaku untuk layanan ini.",
        "skm.thanks": (
            "Terima kasih! Jawaban Anda untuk survei kepuasan layanan {service_name} sudah kami terima."
        ),
        "skm.flagged_note": "ditandai (banyak jawaban dari satu alamat dalam waktu singkat), tidak dihitung",
        "skm.complaint_link": "Nilai pelayanan penanganan pengaduan ini (Survei Kepuasan Masyarakat)",
        "skm.chat.start": (
            "Survei Kepuasan Masyarakat: {service_name}. Ada {count} pertanyaan, jawab dengan "
            "angka 1–4. Ketik BATAL untuk berhenti."
        ),
        "skm.chat.question": "{number}/{count}. {question}? Balas: {choices}",
        "skm.chat.answer_again": "Mohon balas dengan angka 1, 2, 3 atau 4 (atau BATAL).",
        "skm.chat.respondent": (
            "Terakhir, data responden: jenis kelamin (L/P), umur, pendidikan ({educations}), "
            "pekerjaan ({occupations}). Contoh: P 34 SMA SWASTA"
        ),
        "skm.chat.respondent_again": (
            "Belum terbaca. Tulis jenis kelamin, umur, pendidikan dan pekerjaan, contoh: L 45 S1 PNS"
        ),
        "skm.chat.unknown_service": "Kode layanan {code} tidak ditemukan. Periksa kode pada poster survei.",
        "skm.chat.cancelled": "Survei dibatalkan. Terima kasih.",
        "skm.chat.unavailable": "Mohon maaf, survei sedang tidak dapat dilayani. Silakan coba lagi nanti.",
        "skm.chat.invite": "Bantu kami menilai penanganan pengaduan (9 pertanyaan singkat): balas SKM {code}",
    }
)

# The province's comparison of its cities (issue #16: stats, monthly report, province wall).
from ticketing.catalogue_province import PROVINCE_TEXTS  # noqa: E402 (data appended like the blocks above)

CATALOGUE["id"].update(PROVINCE_TEXTS)
