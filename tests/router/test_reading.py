"""Reading a complaint before routing it: courtesies off, the ask found (ticketing/router/reading.py)."""

from __future__ import annotations

import pytest

from ticketing.router.normalize import normalize
from ticketing.router.reading import features_text, read

STORY = (
    "Saya mau tanya kenapa nama ibu saya tidak masuk data DTKS padahal sudah diurus ke kelurahan "
    "bawa KK dan NIK"
)


@pytest.mark.parametrize(
    "opening",
    [
        "Assalamualaikum, selamat malam admin, mohon maaf mengganggu waktunya.",
        "Assalamualaikum wr wb. Selamat malam bapak ibu admin, mohon maaf mengganggu.",
        "Slmt mlm min, maaf ganggu.",
        "Permisi pak, nyuwun sewu,",
        "Halo kak. Izin bertanya.",
    ],
)
@pytest.mark.parametrize("closing", ["Terima kasih, wassalam", "Matur nuwun sanget pak 🙏", "Trims", ""])
def test_greetings_and_closings_are_stripped(opening, closing):
    reading = read(f"{opening} {STORY}. {closing}")
    assert reading.body == normalize(STORY)
    assert not reading.courtesy_only


def test_the_ask_is_read_twice():
    text = (
        "Selamat pagi admin. Kemarin ada petugas PLN dan BPBD lewat. Tetapi lampu jalan di gang kami "
        "mati sudah seminggu. Tolong lampu jalannya diganti ya. Terima kasih"
    )
    reading = read(text)
    assert len(reading.asks) == 1 and reading.asks[0].startswith("tolong lampu jalannya diganti")
    assert features_text(text).endswith(reading.asks[0])
    assert "selamat" not in reading.body and "terima kasih" not in reading.body


@pytest.mark.parametrize(
    "text", ["halo min", "Selamat pagi 🙏", "Assalamualaikum wr wb", "Permisi admin, selamat siang"]
)
def test_courtesy_alone_is_recognised(text):
    assert read(text).courtesy_only


@pytest.mark.parametrize(
    "text",
    [
        "terima kasih min, lampunya sudah nyala lagi 👍",  # a thank-you: the thanks is what says so
        "lampu sudah nyala, terima kasih",  # too short a body to lose its thanks
    ],
)
def test_thanks_that_are_the_message_stay(text):
    assert "terima kasih" in read(text).body


def test_the_story_itself_is_not_taken_for_an_address():
    assert read("Ibu hamil ditolak di puskesmas karena KIS tidak aktif").body.startswith("ibu hamil")
    assert read("Malam hari lampu jalan mati semua").body.startswith("malam hari")


def test_long_runs_of_courtesies_are_peeled_within_bounds():
    # Bounded: at most MAX_STRIPS courtesies come off each end, whatever the length of the run.
    reading = read(
        "assalamualaikum " * 3000
        + "jalan rusak parah di gang 5 mohon diperbaiki segera "
        + "terima kasih " * 3000
    )
    assert not reading.courtesy_only and "jalan rusak parah" in reading.body
    assert read("maaf. " * 5000).courtesy_only  # sentence by sentence, each one a courtesy
