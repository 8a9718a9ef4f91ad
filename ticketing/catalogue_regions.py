"""Catalogue texts of intake picking the region (issue #16): channel accounts and the province-wide
number's question (services/channel_accounts.py, services/region_choice.py), merged into
`ticketing.catalogue.CATALOGUE` and read only through `catalogue.text`.
"""

from __future__ import annotations

REGION_INTAKE_TEXTS = {
    # A province-wide number could not tell the city or regency: asked once, numbered for SMS.
    "region.ask": (
        "Kota/Kabupaten mana? Pengaduan {ticket_number} sudah kami simpan; sebutkan lokasinya agar "
        "diteruskan ke pemerintah daerah yang tepat.\n{choices}\nBalas {numbers} atau nama "
        "kota/kabupatennya."
    ),
    "region.chosen": "Terima kasih. Pengaduan {ticket_number} diteruskan ke {region_name}.",
    "action.region_chosen": "Wilayah dipilih warga",
    "event.region_chosen": "Pengaduan diteruskan ke {region_name}.",
    # The console's channel accounts page (admins).
    "admin.channel_accounts": "Akun kanal",
    "admin.channel_accounts_intro": (
        "Nomor WhatsApp (ID nomor dari Meta), nomor Twilio, nomor gateway SMS dan bot Telegram "
        "beserta wilayahnya. Pesan yang masuk ke akun itu dicatat di wilayahnya; akun tingkat "
        "provinsi menanyakan kota/kabupaten bila lokasinya tidak jelas. Akun yang tidak terdaftar: "
        "wilayah bawaan."
    ),
    "admin.channel_account_provider": "Penyedia",
    "admin.channel_account_account": "ID akun",
    "admin.channel_account_region": "Wilayah",
    "admin.channel_account_add": "Tambah akun kanal",
    "admin.channel_account_remove": "Hapus",
    "admin.channel_account_saved": "Akun kanal disimpan.",
    "admin.channel_account_removed": "Akun kanal dihapus.",
    "admin.channel_account_none": "Belum ada akun kanal: semua pesan masuk ke wilayah bawaan.",
    "field.region_choice": "Kota/Kabupaten",
    "field.region_choice_auto": "Tentukan dari lokasi",
}
