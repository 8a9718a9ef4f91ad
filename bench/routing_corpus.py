"""A synthetic but realistic-looking labelled complaint corpus, for the router's learning curve.

    PYTHONPATH=. .venv/bin/python -m bench.routing_corpus --rows 3000 --seed 1 --out /tmp/corpus.csv

It composes complaints the way real ones read (issue 14): a greeting and an apology for
disturbing, a story with a place, a duration and a consequence, sometimes another agency's words
in the background, the ask ("mohon…", "tolong…", "kenapa…"), thanks and a salam; in web, SMS
(shorthand, dropped vowels) or WhatsApp style, with Javanese mixed in and typos. Every text is
made up from the fragments below: none is a real person's complaint. Being generated, it is
easier than real text (the fragments repeat); use it for the *shape* of a learning curve, not
for absolute accuracy. Columns: id,channel,text,opd,category (category empty on a share of rows,
as in a legacy export that only knows the OPD).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys

# category -> (OPD, subjects, problems, asks). A subject and a problem make the story's core.
TOPICS: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "jalan-rusak": (
        "PUPR",
        [
            "jalan di depan gang kami",
            "aspal jalan kampung",
            "jembatan kecil dekat sawah",
            "trotoar dekat sekolah",
            "jalan lingkungan RW kami",
            "jalan tembus ke perumahan",
        ],
        [
            "berlubang besar dan dalam",
            "ambles dan retak-retak",
            "rusak parah batunya lepas semua",
            "bekas galian pipa tidak ditutup rapi",
            "papannya lapuk dan patah",
            "bergelombang dan licin",
        ],
        ["mohon segera diaspal ulang", "tolong lubangnya ditambal", "mohon jembatannya diperbaiki"],
    ),
    "drainase": (
        "PUPR",
        [
            "selokan di sepanjang jalan",
            "gorong-gorong depan mushola",
            "saluran air perumahan",
            "got depan rumah warga",
        ],
        [
            "mampet penuh lumpur sehingga tiap hujan jalan tergenang",
            "tidak ada tutupnya dan dalam",
            "terlalu kecil sehingga air meluap masuk rumah",
            "ambrol dan airnya tidak bisa mengalir",
        ],
        [
            "mohon salurannya dikeruk dan dinormalisasi",
            "tolong dibuatkan drainase yang layak",
            "mohon dipasang tutup saluran",
        ],
    ),
    "sampah": (
        "DLHKP",
        [
            "TPS dekat pasar",
            "tumpukan sampah di pinggir kali",
            "bak sampah di ujung gang",
            "lahan kosong samping perumahan",
        ],
        [
            "tidak diangkut sudah seminggu dan baunya menyengat",
            "jadi tempat buang sampah liar",
            "penuh belatung dan lalat",
            "sampahnya meluber sampai ke jalan",
        ],
        ["mohon segera diangkut truk sampah", "tolong jadwal pengangkutan ditambah"],
    ),
    "pencemaran": (
        "DLHKP",
        [
            "pabrik tahu di belakang kampung",
            "peternakan ayam dekat permukiman",
            "tetangga yang bakar sampah plastik",
            "usaha cuci motor sebelah rumah",
        ],
        [
            "membuang limbah ke sungai sampai airnya hitam",
            "baunya busuk sampai ke rumah warga",
            "asapnya masuk rumah tiap sore",
            "membuang oli ke selokan",
        ],
        ["mohon ditindak pembuangan limbahnya", "tolong diperiksa dan ditegur"],
    ),
    "pohon": (
        "DLHKP",
        ["pohon besar di pinggir jalan", "dahan pohon angsana depan sekolah", "taman kota dekat alun-alun"],
        [
            "condong dan dahannya kena kabel",
            "tumbang menutup separuh jalan",
            "rumputnya tinggi dan lampunya pecah",
        ],
        ["mohon dipangkas sebelum tumbang", "tolong pohonnya dievakuasi", "mohon tamannya dirawat"],
    ),
    "pju": (
        "DISHUB",
        ["lampu penerangan jalan di gang kami", "lampu PJU depan masjid", "lampu jalan menuju makam"],
        ["mati sudah dua minggu dan gelap gulita", "nyala mati nyala mati", "tiangnya miring mau roboh"],
        ["mohon lampunya segera diganti", "tolong PJU-nya diperbaiki"],
    ),
    "lalu-lintas": (
        "DISHUB",
        [
            "lampu lalu lintas di perempatan",
            "juru parkir depan minimarket",
            "rambu di pertigaan terminal",
            "polisi tidur di gang kami",
        ],
        [
            "mati sejak kemarin dan kendaraan saling serobot",
            "menarik tarif parkir lima ribu tanpa karcis",
            "roboh tertabrak truk",
            "terlalu tinggi sampai motor nyangkut",
        ],
        ["mohon segera diperbaiki dishub", "tolong jukirnya ditertibkan", "mohon diatur ulang"],
    ),
    "ketertiban": (
        "SATPOLPP",
        [
            "tetangga yang karaoke",
            "pedagang kaki lima di trotoar",
            "pemuda balap liar dekat stadion",
            "bangunan warung di atas trotoar",
        ],
        [
            "sampai jam dua pagi dengan suara keras",
            "memakan trotoar sampai pejalan kaki turun ke jalan",
            "menggeber knalpot brong setiap malam minggu",
            "menutup jalan dan saluran",
        ],
        ["mohon satpol pp menertibkan", "tolong dibubarkan dan ditindak"],
    ),
    "kesehatan": (
        "DINKES",
        ["puskesmas dekat rumah", "posyandu di RW kami", "kartu KIS PBI ibu saya", "lingkungan RT kami"],
        [
            "dokternya sering datang terlambat dan antrean lama",
            "obat dan vaksinnya kosong berbulan-bulan",
            "ditolak di puskesmas katanya tidak aktif",
            "sudah ada beberapa anak kena DBD",
        ],
        [
            "mohon pelayanan puskesmas dievaluasi",
            "tolong segera difogging",
            "mohon dibantu supaya bisa berobat",
        ],
    ),
    "rumah-sakit": (
        "RSUD",
        [
            "pelayanan IGD RSUD Gambiran",
            "pendaftaran online rumah sakit",
            "rawat inap bapak saya di RSUD",
            "tagihan rumah sakit kami",
        ],
        [
            "menunggu lebih dari satu jam tanpa diperiksa",
            "aplikasinya error terus",
            "dokter spesialis tidak pernah visite",
            "lebih besar dari tindakan yang diberikan",
        ],
        ["mohon rumah sakit mengevaluasi pelayanannya", "tolong diperbaiki sistemnya"],
    ),
    "adminduk": (
        "DISPENDUKCAPIL",
        ["KTP el saya", "kartu keluarga baru kami", "akta kelahiran anak saya", "antrean online dukcapil"],
        [
            "belum jadi sudah enam bulan katanya blangko habis",
            "belum terbit padahal sudah sebulan diajukan",
            "ada salah penulisan nama",
            "selalu penuh dalam hitungan menit",
        ],
        ["mohon dibantu dipercepat", "tolong dicek prosesnya di dispendukcapil"],
    ),
    "sosial": (
        "DINSOS",
        [
            "nama ibu saya di data DTKS",
            "bantuan PKH keluarga kami",
            "kartu KKS BPNT kami",
            "status kami di data kemiskinan",
            "seorang ODGJ di dekat stasiun",
        ],
        [
            "hilang padahal KK dan NIK tidak berubah",
            "tidak cair sudah dua tahap",
            "saldonya kosong padahal jadwal pencairan",
            "dicoret padahal kami buruh serabutan",
            "tidur di emperan dan sering marah-marah",
        ],
        [
            "mohon diusulkan lagi masuk DTKS",
            "tolong dinas sosial mengecek datanya",
            "mohon dijangkau dan dirawat",
        ],
    ),
    "pendidikan": (
        "DISDIK",
        [
            "SMP negeri anak saya",
            "SD negeri di kampung kami",
            "dana PIP anak saya",
            "pendaftaran PPDB jalur afirmasi",
        ],
        [
            "menagih uang gedung padahal kami tidak mampu",
            "atap kelasnya bocor dan plafon jebol",
            "tidak cair padahal kami punya KIP",
            "yang diterima malah orang mampu",
        ],
        ["mohon dinas pendidikan menindaklanjuti", "tolong sekolahnya ditegur"],
    ),
    "air-bersih": (
        "PDAM",
        [
            "air PDAM di rumah kami",
            "pipa PDAM depan rumah",
            "tagihan PDAM bulan ini",
            "meteran air PDAM saya",
        ],
        [
            "tidak mengalir sudah tiga hari",
            "bocor dan airnya muncrat ke jalan",
            "naik lima kali lipat tanpa sebab",
            "keruh coklat dan bau lumpur",
        ],
        ["mohon segera diperbaiki atau dikirim tangki", "tolong tagihannya dicek ulang"],
    ),
    "bencana": (
        "BPBD",
        [
            "tanggul sungai di belakang kampung",
            "tebing di belakang rumah warga",
            "angin puting beliung tadi sore",
            "air sungai Brantas",
        ],
        [
            "jebol dan air masuk rumah sepinggang",
            "longsor dan tanahnya retak-retak",
            "menerbangkan atap puluhan rumah",
            "meluap merendam permukiman bantaran",
        ],
        ["mohon segera dikirim bantuan evakuasi", "tolong BPBD segera datang"],
    ),
    "kebakaran": (
        "DAMKAR",
        ["rumah di gang sebelah", "gudang kayu dekat rel", "dapur rumah saya", "plafon rumah kami"],
        [
            "terbakar dan apinya sudah besar",
            "kebakaran asap hitam membumbung",
            "kemasukan ular kobra",
            "ada sarang tawon vespa besar",
        ],
        ["tolong segera kirim pemadam", "mohon bantuan evakuasi damkar"],
    ),
    "perizinan": (
        "DPMPTSP",
        [
            "pengajuan PBG rumah toko saya",
            "NIB usaha saya di OSS",
            "izin usaha klinik kami",
            "izin reklame toko saya",
        ],
        [
            "masih verifikasi terus sudah tiga bulan",
            "gagal verifikasi terus",
            "belum terbit padahal berkas lengkap",
            "ditolak tanpa alasan jelas",
        ],
        ["mohon perizinannya dipercepat", "tolong diberi kejelasan prosesnya"],
    ),
    "pajak": (
        "BAPENDA",
        [
            "tagihan PBB rumah saya",
            "SPPT PBB kami",
            "validasi BPHTB jual beli tanah kami",
            "pajak restoran warung kecil saya",
        ],
        [
            "naik tiga kali lipat tanpa perubahan",
            "masih tercatat nunggak padahal sudah bayar lewat bank",
            "belum keluar sudah dua minggu",
            "ditagih sepuluh persen padahal omzet kecil",
        ],
        ["mohon dicek dan diperbaiki datanya", "bagaimana cara mengajukan keberatan"],
    ),
    "pasar": (
        "DISPERDAGIN",
        [
            "atap los sayur di Pasar Setonobetek",
            "toilet di dalam Pasar Bandar",
            "harga gas elpiji tiga kilo",
            "timbangan pedagang daging di pasar",
            "pembagian kios pasar",
        ],
        [
            "bocor dan dagangan basah semua",
            "rusak dan airnya tidak mengalir",
            "naik sampai 28 ribu dan langka",
            "tidak pas sekilo cuma delapan ons",
            "tidak transparan pedagang lama tidak dapat",
        ],
        [
            "mohon dinas perdagangan menindaklanjuti",
            "tolong ditera ulang timbangannya",
            "mohon operasi pasar",
        ],
    ),
    "ketenagakerjaan": (
        "DISNAKER",
        [
            "gaji saya di pabrik konveksi",
            "pesangon saya setelah di-PHK",
            "BPJS ketenagakerjaan kami",
            "pelatihan kerja di BLK",
        ],
        [
            "belum dibayar dua bulan",
            "tidak diberikan padahal sudah kerja lima tahun",
            "tidak dibayarkan perusahaan padahal gaji dipotong",
            "belum ada panggilan tiga bulan",
        ],
        ["mohon disnaker memediasi", "tolong perusahaannya ditindak"],
    ),
    "layanan-digital": (
        "DISKOMINFO",
        ["website pemkot", "wifi gratis di taman kota", "CCTV kota di perempatan", "aplikasi pengaduan kota"],
        [
            "tidak bisa dibuka sejak kemarin",
            "mati terus tidak bisa konek",
            "mati padahal rekamannya dibutuhkan",
            "keluar sendiri saat upload foto",
        ],
        ["mohon diperbaiki kominfo", "tolong dicek sistemnya"],
    ),
    "pungli": (
        "INSPEKTORAT",
        [
            "oknum pegawai kelurahan",
            "oknum pendamping PKH",
            "petugas loket pelayanan",
            "oknum ASN di kantor dinas",
        ],
        [
            "meminta uang 200 ribu supaya surat cepat jadi",
            "memotong 50 ribu tiap pencairan",
            "meminta uang tambahan tanpa kuitansi",
            "tidak pernah masuk tapi absensinya lengkap",
        ],
        ["mohon oknumnya diperiksa dan ditindak", "tolong diusut inspektorat"],
    ),
}


def _by_category(table: str) -> dict[str, list[str]]:
    """`category: name; name; …` a line, as a dict of lists."""
    return {
        category.strip(): [name.strip() for name in names.split(";")]
        for category, names in (line.split(":", 1) for line in table.strip().splitlines())
    }


# The city's own words: local programme, place and service names the seeds never saw, so only the
# city's history can teach them (what makes a learning curve rise on real data, too).
LOCAL = _by_category(
    """
jalan-rusak:     jalan usaha tani Kali Ombo; jembatan Semampir Lama; jalan paving program Kampung Mapan
drainase:        saluran program Jogo Kali; sudetan Kali Kresek; got proyek Kampung Resik
sampah:          bank sampah Resik Kampung; gerobak Kang Pikul; depo Sekartaji
pencemaran:      pengolahan kulit Banaran; pabrik gula Mrican; usaha sablon Tosaren
pohon:           taman Tirtoyoso; hutan kota Joyoboyo; pohon peneduh Jalur Hijau Dhoho
pju:             lampu Sinar Kampung tenaga surya; lampu hias Jembatan Lama; penerangan Jalur Lingkar
lalu-lintas:     bus Trans Kediri; halte Trans Kediri; kantong parkir Doho Plaza
ketertiban:      lapak malam Sekartaji; kafe remang-remang Kaliombo; pengamen Jembatan Lama
kesehatan:       program Si Sehat RW; Puskesmas Keliling Sehat Bareng; kartu Jamkesda Kota kami
rumah-sakit:     poli eksekutif Gambiran; ruang Dahlia Gambiran; layanan Gambiran Antar Obat
adminduk:        layanan Dukcapil Jemput Bola; program Akta Lahir Gratis Bayi; mesin Anjungan Dukcapil Mandiri
sosial:          bantuan Rantang Kasih lansia; kartu Kediri Sejahtera kami; program Lumbung Kampung
pendidikan:      beasiswa Kediri Cerdas anak saya; seragam gratis Sekolah Rampak; program Sekolah Sore
air-bersih:      sambungan Tirta Dhaha Murah; hidran umum Tirta Dhaha; program Sambung Rumah Gratis
bencana:         pos pantau Kali Brantas; tanggul Jongbiru; lereng Klotok
kebakaran:       pos damkar Mojoroto; hidran kebakaran Pasar Bandar; rumah kos Jalan Semeru
perizinan:       layanan Izin Kilat MPP; aplikasi Sicantik; izin keramaian Sicantik
pajak:           e-PBB Kediri; pajak Sarang Walet; stiker lunas PBB Kampung
pasar:           los Pasar Ngronggo Lama; lapak Pasar Minggu Joyoboyo; Toko Tani Sejahtera
ketenagakerjaan: program Kediri Kerja; bursa kerja Gelar Karya; pelatihan BLK Bangkit
layanan-digital: aplikasi Kediri Dalam Genggaman; Wi-Fi Kampung Digital; portal Satu Data Kediri
pungli:          oknum tim Saber; oknum panitia lelang proyek; oknum petugas Sicantik
"""
)
LOCAL_SHARE = 0.4
GENERIC_ASKS = ["mohon segera ditindaklanjuti", "tolong dibantu", "mohon perhatiannya", "mohon solusinya"]
NONE_TEXTS = [
    "terima kasih banyak petugas sudah cepat menangani laporan saya kemarin, semoga sukses selalu",
    "mau tanya jam buka mal pelayanan publik hari sabtu sampai jam berapa ya",
    "ini benar nomor command center kota? saya mau simpan nomornya",
    "laporan saya kemarin sudah selesai ditangani, sekarang sudah beres, matur nuwun sanget",
    "promo paket sembako murah gratis ongkir sekota, pesan sekarang sebelum kehabisan",
    "maaf salah kirim pesan, mohon diabaikan",
    "tes tes apakah pesan ini masuk",
    "mohon info nomor darurat ambulans dan pemadam kebakaran di kota ini",
    "besok ada pengajian akbar di masjid agung, semua warga diundang, silakan sebarkan",
    "aplikasinya bagus dan mudah dipakai, semoga laporan warga cepat ditanggapi",
]
GREETINGS = [
    "Assalamualaikum",
    "Assalamualaikum wr wb",
    "Selamat pagi",
    "Selamat siang",
    "Selamat malam",
    "Permisi",
    "Halo",
    "Nyuwun sewu",
    "Sugeng enjing",
    "Punten",
]
ADDRESS = ["admin", "min", "bapak ibu", "pak", "bu", "bapak ibu admin", ""]
APOLOGIES = ["mohon maaf mengganggu", "maaf mengganggu waktunya", "mohon maaf sebelumnya", "nyuwun sewu", ""]
DURATIONS = [
    "sudah seminggu",
    "sejak kemarin",
    "sudah berbulan-bulan",
    "sudah tiga hari",
    "dari tahun lalu",
    "",
]
CONSEQUENCES = [
    "warga jadi resah",
    "anak-anak jadi takut",
    "kemarin ada yang celaka",
    "kami sangat dirugikan",
    "sudah lapor ke RT tapi belum ada tindak lanjut",
    "kasihan lansia di sini",
    "",
]
PLACES = [
    "di Kelurahan Bandar Lor",
    "di Mojoroto",
    "dekat Jalan Dhoho",
    "di RW 03 Kelurahan Ngronggo",
    "di Pesantren",
    "dekat alun-alun",
    "di Kelurahan Semampir",
    "di gang 5 Campurejo",
    "",
]
CLOSINGS = [
    "Terima kasih",
    "Terima kasih atas perhatiannya",
    "Matur nuwun",
    "Wassalamualaikum",
    "Suwun",
    "Terima kasih, wassalam",
    "",
]
JAVANESE = {
    "tidak": "mboten",
    "sudah": "sampun",
    "ada": "wonten",
    "saya": "kulo",
    "mohon": "nyuwun",
    "sangat": "sanget",
}
SMS = {
    "yang": "yg",
    "tidak": "tdk",
    "sudah": "sdh",
    "belum": "blm",
    "tolong": "tlg",
    "mohon": "mhn",
    "jalan": "jln",
    "dengan": "dgn",
    "rumah": "rmh",
    "sekolah": "sklh",
    "terima kasih": "trims",
    "kenapa": "knp",
}
# Background mentions: other agencies' words that do not decide where the complaint goes.
BACKGROUND = [
    "padahal KK dan KTP kami sudah lengkap",
    "lampunya juga redup tapi yang penting ini dulu",
    "sudah ke kelurahan tapi disuruh ke dinas",
    "kemarin sempat hujan deras",
    "tadi BPBD sempat lewat",
    "saya sudah punya NIB untuk warung saya",
    "RT sudah tahu",
]
OPD_ONLY_SHARE = 0.3
PROBLEMS_ANY = [
    "tidak jalan sebagaimana mestinya",
    "bermasalah sudah lama",
    "tidak ada kejelasan",
    "dikeluhkan banyak warga",
    "rusak dan tidak diurus",
    "pelayanannya mengecewakan",
]


def _typos(text: str, rng: random.Random, rate: float) -> str:
    chars = list(text)
    for i in range(len(chars) - 1):
        if chars[i].isalpha() and rng.random() < rate:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def _swap(text: str, table: dict[str, str], rng: random.Random, share: float) -> str:
    for word, other in table.items():
        if word in text and rng.random() < share:
            text = text.replace(word, other)
    return text


def complaint(category: str, rng: random.Random) -> tuple[str, str]:
    _, subjects, problems, asks = TOPICS[category]
    channel = rng.choice(["web", "sms", "whatsapp", "whatsapp"])
    pick = rng.randrange(len(subjects))
    # Mostly the problem written for that subject; sometimes another, as muddled stories are.
    problem = problems[pick] if pick < len(problems) and rng.random() < 0.8 else rng.choice(problems)
    subject = rng.choice(LOCAL[category]) if rng.random() < LOCAL_SHARE else subjects[pick]
    if subject != subjects[pick]:
        problem = rng.choice(PROBLEMS_ANY)  # a local name says little more than "it is broken"
    core = f"{subject} {rng.choice(PLACES)} {problem} {rng.choice(DURATIONS)}".strip()
    parts = []
    if channel != "sms" or rng.random() < 0.4:
        opening = f"{rng.choice(GREETINGS)} {rng.choice(ADDRESS)}".strip()
        apology = rng.choice(APOLOGIES)
        parts.append(f"{opening}, {apology}" if apology else opening)
    if rng.random() < 0.5:
        parts.append("saya mau melaporkan")
    parts.append(core[0].upper() + core[1:])
    if rng.random() < 0.4:
        parts.append(rng.choice(BACKGROUND))
    if rng.random() < 0.6:
        parts.append(rng.choice(CONSEQUENCES))
    ask = rng.choice(asks) if rng.random() < 0.7 else rng.choice(GENERIC_ASKS)
    parts.append(rng.choice([ask, f"kenapa belum ada tindakan, {ask}", f"{ask} ya"]))
    if channel != "sms":
        parts.append(rng.choice(CLOSINGS))
    text = ". ".join(p for p in parts if p and p.strip(", "))
    if channel == "sms":
        text = _swap(text.lower(), SMS, rng, 0.8)
    if rng.random() < 0.25:
        text = _swap(text, JAVANESE, rng, 0.6)
    if channel == "whatsapp" and rng.random() < 0.3:
        text += rng.choice([" 🙏", " 😡", " 🙏🙏"])
    return channel, _typos(text, rng, 0.01 if channel == "web" else 0.02)


def generate(rows: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    categories = list(TOPICS)
    for i in range(rows):
        if rng.random() < 0.07:
            channel = rng.choice(["web", "sms", "whatsapp"])
            text = f"{rng.choice(GREETINGS)} {rng.choice(ADDRESS)}, {rng.choice(NONE_TEXTS)}"
            out.append(
                {
                    "id": f"g{seed}-{i:05d}",
                    "channel": channel,
                    "text": text,
                    "opd": "NONE",
                    "category": "lainnya",
                }
            )
            continue
        category = rng.choice(categories)
        channel, text = complaint(category, rng)
        labelled = rng.random() >= OPD_ONLY_SHARE
        out.append(
            {
                "id": f"g{seed}-{i:05d}",
                "channel": channel,
                "text": text,
                "opd": TOPICS[category][0],
                "category": category if labelled else "",
            }
        )
    return out


def write(rows: list[dict], handle) -> None:
    writer = csv.DictWriter(
        handle, fieldnames=["id", "channel", "text", "opd", "category"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    rows = generate(args.rows, args.seed)
    if args.out == "-":
        write(rows, sys.stdout)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as handle:
            write(rows, handle)


if __name__ == "__main__":
    main()
