"""Catalogue texts of report kinds, information requests (PPID) and the hold and close states
(issue #17), merged into `ticketing.catalogue.CATALOGUE` and read only through `catalogue.text`.
"""

from __future__ import annotations

# UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik, Pasal 17: the information a public
# body may withhold, letter by letter (the grounds of a refusal or a partial grant).
EXEMPTIONS = {
    "a": ("informasi yang apabila dibuka dapat menghambat proses penegakan hukum"),
    "b": (
        "informasi yang apabila dibuka dapat mengganggu kepentingan perlindungan hak atas kekayaan "
        "intelektual dan perlindungan dari persaingan usaha tidak sehat"
    ),
    "c": "informasi yang apabila dibuka dapat membahayakan pertahanan dan keamanan negara",
    "d": "informasi yang apabila dibuka dapat mengungkapkan kekayaan alam Indonesia",
    "e": "informasi yang apabila dibuka dapat merugikan ketahanan ekonomi nasional",
    "f": "informasi yang apabila dibuka dapat merugikan kepentingan hubungan luar negeri",
    "g": (
        "informasi yang apabila dibuka dapat mengungkapkan isi akta otentik yang bersifat pribadi "
        "dan kemauan terakhir ataupun wasiat seseorang"
    ),
    "h": "informasi yang apabila dibuka dapat mengungkap rahasia pribadi",
    "i": (
        "memorandum atau surat-surat antar badan publik atau intra badan publik yang menurut "
        "sifatnya dirahasiakan, kecuali atas putusan Komisi Informasi atau pengadilan"
    ),
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}

KINDS_TEXTS = {
    "action.hold": "Ditunda",
    "action.resume": "Dilanjutkan",
    "action.close_unresolved": "Ditutup tanpa penyelesaian",
    "action.answer": "Aspirasi ditanggapi",
    "action.extend": "Waktu jawaban diperpanjang",
    "action.decide": "Diputus PPID",
    "action.object": "Keberatan diajukan",
    "kind.pengaduan": "Pengaduan",
    "kind.aspirasi": "Aspirasi",
    "kind.informasi": "Permintaan informasi",
    "status.on_hold": "Ditunda sementara",
    "status.objection": "Keberatan diproses",
    "status.closed_unresolved": "Ditutup tanpa penyelesaian",
    "close_reason.duplicate": "laporan yang sama sudah ada",
    "close_reason.not_actionable": "tidak dapat ditindaklanjuti",
    "close_reason.out_of_authority": "di luar kewenangan Pemerintah Kota",
    "close_reason.planned_later": "sudah dijadwalkan pada anggaran berikutnya",
    "close_reason.other": "alasan lain",
    "decision.granted": "dikabulkan seluruhnya",
    "decision.partial": "dikabulkan sebagian",
    "decision.refused": "ditolak",
    "exemption.ground": "Pasal 17 huruf {letter} UU 14/2008: {text}",
    # Errors of the new actions (staff API and console).
    "error.kind_unknown": "Jenis laporan tidak dikenal.",
    "error.kind_action": "Aksi {action} tidak berlaku untuk {kind}.",
    "error.close_reason": "Alasan penutupan tidak dikenal.",
    "error.decision_unknown": "Keputusan harus granted, partial, atau refused.",
    "error.exemption_needed": (
        "Penolakan atau pengabulan sebagian wajib menyebut dasar pengecualian Pasal 17."
    ),
    "error.exemption_unknown": "Dasar pengecualian harus salah satu huruf a sampai j Pasal 17 UU 14/2008.",
    "error.already_extended": "Jangka waktu permintaan informasi hanya dapat diperpanjang satu kali.",
    "error.hold_until_past": "Tanggal akhir penundaan harus setelah saat ini.",
    "error.objection_once": "Keberatan atas permintaan informasi ini sudah pernah diajukan.",
    "error.objection_window": (
        "Keberatan hanya dapat diajukan dalam 30 hari kerja sejak jawaban diterima atau sejak "
        "batas waktu jawaban terlewati."
    ),
    "error.objection_reason": "Tuliskan alasan keberatan Anda.",
    "error.document_type": "Dokumen harus berupa PDF, JPEG, atau PNG.",
    "error.document_missing": "Lampirkan dokumen pada isian `document`.",
    "error.document_unknown": "Dokumen tidak ditemukan pada tiket ini.",
    # History notes (staff and the citizen's tracking page).
    "event.held": "Ditunda: {note}",
    "event.resumed": "Dilanjutkan kembali; batas waktu bergeser {hours} jam kerja.",
    "event.resumed_on_schedule": (
        "Dilanjutkan otomatis karena masa penundaan berakhir; batas waktu bergeser {hours} jam kerja."
    ),
    "event.closed_unresolved": "Ditutup tanpa penyelesaian ({reason}).",
    "event.objection": "Warga mengajukan keberatan: {reason}",
    # What the citizen hears on their channel.
    "notify.aspirasi_routed": "Aspirasi {ticket_number} telah diteruskan ke {opd_name}.",
    "notify.aspirasi_in_progress": "Aspirasi {ticket_number} telah diterima dan dicatat oleh {opd_name}.",
    "notify.aspirasi_resolved": "Tanggapan {opd_name} atas aspirasi {ticket_number}: {note}",
    "notify.informasi_routed": (
        "Permintaan informasi {ticket_number} diteruskan ke PPID {opd_name}. Jawaban paling lambat {due}."
    ),
    "notify.informasi_extended": (
        "Permintaan informasi {ticket_number}: PPID memperpanjang waktu jawaban 7 hari kerja, "
        "paling lambat {due}. Alasannya: {note}"
    ),
    "notify.informasi_decided": (
        "Permintaan informasi {ticket_number} {decision}. {ground}{note} Bila keberatan, ajukan "
        "paling lambat {objection_until} lewat halaman lacak."
    ),
    "notify.informasi_document": "Dokumen jawaban dapat diunduh di halaman lacak. ",
    "notify.informasi_objection": (
        "Keberatan Anda atas permintaan informasi {ticket_number} diterima dan diteruskan ke "
        "atasan PPID. Tanggapan paling lambat {due}."
    ),
    "notify.informasi_objection_decided": (
        "Atasan PPID menanggapi keberatan Anda atas {ticket_number}: informasi {decision}. {ground}{note}"
    ),
    "notify.on_hold": "Laporan {ticket_number} ditunda sementara: {note}{until}",
    "notify.on_hold_until": " (hingga {until})",
    "notify.resumed": "Laporan {ticket_number} dilanjutkan kembali. Batas waktu baru: {due}.",
    "notify.closed_unresolved": "Laporan {ticket_number} ditutup tanpa penyelesaian: {reason}. {note}",
    # The annual PPID report (services/ppid_report.py).
    "ppid.report_title": "Laporan Tahunan Layanan Informasi Publik {year}",
    "ppid.requests": "Permintaan informasi",
    "ppid.granted": "Dikabulkan seluruhnya",
    "ppid.partial": "Dikabulkan sebagian",
    "ppid.refused": "Ditolak",
    "ppid.pending": "Belum diputus",
    "ppid.median_days": "Median waktu jawaban (hari kerja)",
    "ppid.extended": "Diperpanjang",
    "ppid.objections": "Keberatan",
    "ppid.objections_decided": "Keberatan ditanggapi",
    "ppid.exemptions": "Dasar pengecualian yang dipakai",
    "ppid.exemption_row": "Pasal 17 huruf {letter}",
    "ppid.by_opd": "Per PPID pembantu",
    "ppid.none": "Belum ada permintaan informasi pada tahun ini.",
}
KINDS_TEXTS.update(
    {f"exemption.{letter}": text for letter, text in EXEMPTIONS.items()},
)

# UU 14/2008 Pasal 35 ayat (1): the grounds on which a requester may object, letter by letter.
OBJECTION_GROUNDS = {
    "a": "permintaan informasi ditolak dengan alasan pengecualian (Pasal 17)",
    "b": "informasi berkala tidak disediakan (Pasal 9)",
    "c": "permintaan informasi tidak ditanggapi",
    "d": "permintaan informasi ditanggapi tidak sebagaimana yang diminta",
    "e": "permintaan informasi tidak dipenuhi",
    "f": "biaya yang dikenakan tidak wajar",
    "g": "informasi disampaikan melebihi jangka waktu yang diatur",
}
KINDS_TEXTS.update(
    {f"objection_ground.{letter}": text for letter, text in OBJECTION_GROUNDS.items()},
)
KINDS_TEXTS.update(
    {
        "ppid.objection_grounds": "Alasan keberatan (Pasal 35 ayat 1)",
        "ppid.objection_ground_row": "Pasal 35 ayat 1 huruf {letter}",
        "ppid.objection_ground_unnamed": "Tidak disebutkan",
        "web.objection.ground_label": "Alasan keberatan menurut UU 14/2008 (Pasal 35 ayat 1)",
        "error.objection_ground": "Pilih alasan keberatan huruf a sampai g (Pasal 35 ayat 1 UU 14/2008).",
    }
)

# The requester's objection on the tracking page (/lacak/<n>?token=, citizen/tracking.py).
KINDS_TEXTS.update(
    {
        "error.objection_not_informasi": "Keberatan hanya dapat diajukan atas permintaan informasi publik.",
        "web.objection_filed": (
            "Keberatan Anda sudah kami terima dan diteruskan ke atasan PPID. Tanggapan paling lambat {due}."
        ),
        "web.objection.heading": "Jawaban dan keberatan",
        "web.objection.ppid_decision": "Keputusan PPID",
        "web.objection.ground": "Dasar pengecualian",
        "web.objection.not_decided": "Belum diputus",
        "web.objection.invite": (
            "Tidak puas dengan jawaban PPID, atau permintaan Anda tidak dijawab sampai batas "
            "waktunya? Anda dapat mengajukan keberatan kepada atasan PPID paling lambat {until}."
        ),
        "web.objection.reason_label": "Alasan keberatan",
        "web.objection.reason_hint": "Sebutkan bagian jawaban yang Anda keberatan dan alasannya.",
        "web.objection.submit": "Ajukan keberatan",
        "web.objection.filed_at": "Keberatan diajukan",
        "web.objection.reason": "Alasan keberatan",
        "web.objection.due": "Tanggapan atasan PPID paling lambat",
        "web.objection.pending": "Keberatan Anda sedang diperiksa oleh atasan PPID.",
        "web.objection.decision": "Tanggapan atasan PPID",
        "web.objection.decided_at": "Ditanggapi",
        "web.objection.next": (
            "Bila masih tidak puas, Anda dapat mengajukan sengketa informasi ke Komisi Informasi "
            "dalam 14 hari kerja sejak menerima tanggapan atasan PPID."
        ),
    }
)
