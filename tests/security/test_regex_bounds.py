"""Issue 13 item 3: every pattern that reads citizen text runs in linear time, and the public
views read the masked summary stored with the ticket instead of masking on every request.

One timed assertion, the one the issue asks for (masking a 4,000-character adversarial text in
under 5 ms), measured as the best of several runs so a busy machine does not fail it; the old
e-mail pattern takes tens of milliseconds on the same texts (asserted too, so the inputs stay
adversarial). The other patterns get inputs that were super-linear for them and a budget their
old forms missed by orders of magnitude.
"""

from __future__ import annotations

import re
import time

import pytest

from ticketing import pii
from ticketing.router import rules as routing_rules
from ticketing.security import redact
from ticketing.services import conversation

OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LENGTH = 4000
ADVERSARIAL = {
    "one long word": "a" * LENGTH,
    "a long word then @": "a" * (LENGTH - 1) + "@",
    "a long domain without a dot": "a@" + "b" * (LENGTH - 2),
    "digits (also e-mail characters)": "1" * LENGTH,
    "dotted run": "a." * (LENGTH // 2),
}


def _best_of(function, value, runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function(value)
        best = min(best, time.perf_counter() - started)
    return best


def _linear_or_within(function, text: str, budget: float, runs: int = 7) -> bool:
    """Within `budget` on `text`, or, when a busy machine made it slower, four times the text
    costs under eight times as much (linear: ~4; the quadratic forms this guards against: 16 and
    more). A super-linear pattern fails both; a preempted run fails only the first."""
    small = _best_of(function, text, runs)
    if small < budget:
        return True
    return _best_of(function, text * 4, runs) < 8 * small


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_masking_4000_adversarial_characters_takes_under_5_ms(name):
    text = ADVERSARIAL[name]
    assert len(text) == LENGTH
    assert _best_of(pii.mask_personal_data, text) < 0.005
    if name != "dotted run":  # the old pattern's worst cases, kept honest
        assert _best_of(lambda value: OLD_EMAIL.sub("[email]", value), text, runs=1) > 0.005


def test_masking_still_masks_what_it_did():
    text = (
        "Hubungi budi.santoso+rt05@mail.kediri.go.id atau 0812-3456-7890, NIK 3571010101900001; "
        "a@b tanpa titik, @domain.id tanpa nama"
    )
    masked = pii.mask_personal_data(text)
    assert masked == ("Hubungi [email] atau [telepon], NIK [NIK]; a@b tanpa titik, @domain.id tanpa nama")
    for sample in ("x a+b-c@d-e.f.g. end", "weird a@b.c@d.e", " foo..bar@x.y", "a@b.a@b.c"):
        assert pii.EMAIL.sub("[email]", sample) == OLD_EMAIL.sub("[email]", sample)
    assert pii.summarize("a" * LENGTH).endswith("…") and len(pii.summarize("a" * LENGTH)) == 140


def test_log_redaction_uses_the_linear_pattern():
    assert redact("mail warga.kediri@example.id") == "mail [email]"
    assert _best_of(redact, "a" * LENGTH) < 0.05  # was ~0.1 s per log line


def test_rating_reply_is_not_cubic():
    # "5", a few thousand spaces and a letter took 20 s with three adjacent `\s*`.
    for text in (
        "5" + " " * LENGTH + "x",
        "nilai" + " " * LENGTH + "5 x",
        "5" + " " * 2000 + "/" + " " * 2000 + "x",
    ):
        assert _best_of(conversation._RATING.match, text, runs=1) < 0.05
        assert conversation._RATING.match(text) is None
    for reply in ("5", "nilai 5", "Nilai  4 / 5 !", "3/5", "  2 . "):
        assert conversation._RATING.match(reply)
    assert conversation._CEK.match("cek " + " " * LENGTH + "ABCD-1234").group(1).strip() == "ABCD-1234"


def test_routing_rules_with_gaps_are_searched_in_one_pass():
    gap_patterns = [
        p for rule in routing_rules.load_rules() for p in rule.all + rule.any + rule.none if ".*" in p.pattern
    ]
    assert gap_patterns, "rules.json has no `A.*B` patterns any more: drop this test"
    for pattern in gap_patterns:
        first_word = re.sub(r"[^a-z ]", "", pattern.pattern.split(".*")[0]).split()[0]
        text = ((first_word + " ") * LENGTH)[:LENGTH]
        # One regex over "A A A …" costs ~80 ms per pattern; the pieces cost well under a ms.
        assert _best_of(lambda value, p=pattern: routing_rules._found(p, value), text) < 0.02
        assert routing_rules._found(pattern, text) == bool(pattern.search(text))


@pytest.mark.parametrize(
    "text",
    [
        "slot gacor depo 10rb",
        "ada slot tapi tanpa kata itu",
        "jackpot dulu baru slot",
        "lurah kami susah ditemui",
        "lurah",
        "pasar besar jual beli",
        "cincin di jari bengkak",
    ],
)
def test_split_search_agrees_with_one_regex(text):
    for rule in routing_rules.load_rules():
        for pattern in rule.all + rule.any + rule.none:
            assert routing_rules._found(pattern, text) == bool(pattern.search(text)), pattern.pattern


def test_public_views_read_the_stored_summary(http, token_for, app_ctx):
    """Wall snapshot, events feed, staff list and Open311 GET show the summary written with the
    ticket: overwritten in the database, every view shows the stored one, none re-masks."""
    from sqlalchemy import text

    from ticketing.extensions import db
    from ticketing.services.stats import wall_snapshot

    filed = http.post(
        "/api/v1/complaints",
        json={
            "description": "Lampu jalan mati, hubungi saya di warga@example.id atau 081234567890",
            "reporter": {"name": "Warga"},
        },
    )
    assert filed.status_code == 201, filed.text
    number = filed.json()["ticket_number"]
    stored = db.session.execute(
        text("SELECT summary FROM tickets WHERE ticket_number = :n"), {"n": number}
    ).scalar_one()
    assert stored == "Lampu jalan mati, hubungi saya di [email] atau [telepon]"

    db.session.execute(
        text("UPDATE tickets SET summary = 'RINGKASAN TERSIMPAN' WHERE ticket_number = :n"), {"n": number}
    )
    db.session.commit()
    token = token_for("operator")
    headers = {"Authorization": f"Bearer {token}"}
    listed = http.get("/api/v1/tickets", headers=headers).json()
    items = listed["items"]
    assert [t["summary"] for t in items if t["ticket_number"] == number] == ["RINGKASAN TERSIMPAN"]
    events = http.get("/api/v1/events?since=0", headers=headers).json()
    events = events["items"]
    assert {e["ticket"]["summary"] for e in events if e["ticket"]["ticket_number"] == number} == {
        "RINGKASAN TERSIMPAN"
    }
    db.session.expire_all()
    snapshot = wall_snapshot()
    assert [t["summary"] for t in snapshot["tickets"] if t["ticket_number"] == number] == [
        "RINGKASAN TERSIMPAN"
    ]
    open311 = http.get("/open311/v2/requests.json")
    assert open311.status_code == 200, open311.text
    described = [r["description"] for r in open311.json() if r["service_request_id"] == number]
    assert described == ["RINGKASAN TERSIMPAN"]


@pytest.mark.parametrize(
    "text",
    [
        "ab" * 2000 + "x",  # one long word: reduplication and letter-run patterns
        "a2 " * 1333,  # reduplication everywhere
        "1a" * 2000,  # units glued to numbers everywhere
        "kelurahan " * 400,  # an area prefix with no name after it, again and again
        "di " * 1333,  # the bare place-name patterns' lead word
    ],
)
def test_router_normalisation_and_place_names_stay_linear(text):
    from ticketing.router.areas import AreaIndex
    from ticketing.router.normalize import clean, reset_caches

    index = AreaIndex()
    reset_caches()  # normalize() caches by text: measure the work, not the cache
    assert _linear_or_within(clean, text, 0.05)
    reset_caches()
    assert _linear_or_within(index.in_text, text, 0.2, runs=1)
