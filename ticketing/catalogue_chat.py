"""Texts of the chat's questions (services/chat_questions.py, chat_markup.py), appended to the
catalogue by ticketing/catalogue.py. WhatsApp limits: a reply button's title ≤ 20 characters,
a list row's ≤ 24, the button that opens a list ≤ 20; SMS: keep them short."""

CHAT_QUESTION_TEXTS = {
    "chat.pick_category": "Laporan Anda {ticket_number} tentang:\n{choices}\nBalas {numbers}.",
    "chat.pick_other": "Lainnya",
    "chat.pick_button": "Pilih",
    "chat.pick_section": "Kategori",
    "chat.pick_other_ack": "Baik, pengaduan {ticket_number} akan dipilah oleh petugas kami.",
    "chat.pick_late": (
        "Terima kasih. Pengaduan {ticket_number} sudah diteruskan ke petugas, jadi pilihan ini "
        "tidak diperlukan lagi."
    ),
    "chat.ask_location": (
        "Di mana lokasi pengaduan {ticket_number}? Kirim lokasi Anda, atau balas dengan nama "
        "jalan dan kelurahan."
    ),
    "chat.send_location_button": "Kirim lokasi saya",
    "chat.rating_row.1": "1 - Buruk",
    "chat.rating_row.2": "2 - Kurang",
    "chat.rating_row.3": "3 - Cukup",
    "chat.rating_row.4": "4 - Baik",
    "chat.rating_row.5": "5 - Sangat baik",
    "chat.rating_button": "Beri nilai",
    "chat.rating_section": "Penilaian",
    "chat.proof_fixed": "Sudah beres",
    "chat.proof_not_fixed": "Belum beres",
    "chat.cek_button": "Lihat pengaduan",
    "chat.cek_section": "Pengaduan Anda",
    # Button-sized names of the demo city's categories (a category without one shows its name).
    "category.short.jalan-rusak": "Jalan rusak",
    "category.short.drainase": "Saluran air",
    "category.short.sampah": "Sampah",
    "category.short.pencemaran": "Pencemaran",
    "category.short.pohon": "Pohon dan taman",
    "category.short.pju": "Lampu jalan",
    "category.short.lalu-lintas": "Lalu lintas/parkir",
    "category.short.ketertiban": "Ketertiban/PKL",
    "category.short.kesehatan": "Kesehatan",
    "category.short.rumah-sakit": "Rumah sakit",
    "category.short.adminduk": "KTP/KK/akta",
    "category.short.sosial": "Bantuan sosial",
    "category.short.pendidikan": "Sekolah",
    "category.short.air-bersih": "Air PDAM",
    "category.short.bencana": "Bencana alam",
    "category.short.kebakaran": "Kebakaran",
    "category.short.perizinan": "Perizinan",
    "category.short.pajak": "Pajak daerah",
    "category.short.pasar": "Pasar",
    "category.short.ketenagakerjaan": "Ketenagakerjaan",
    "category.short.layanan-digital": "Wi-Fi, CCTV, web",
    "category.short.pungli": "Pungli/aparatur",
}
