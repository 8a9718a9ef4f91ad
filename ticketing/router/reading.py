"""Reading a complaint the way an operator does before deciding where it goes.

Real complaints open with courtesies ("Assalamualaikum, selamat malam admin, mohon maaf
mengganggu waktunya…"), tell a story that names several agencies' words, make the actual ask
("mohon…", "tolong…", "kenapa…") and close with thanks and a salam. The model should see the
story and, twice, the ask; never the courtesies, which say nothing about the agency and, being
the whole of a greeting, would otherwise pull long polite complaints towards "not a complaint".

Everything here works on normalised text (normalize.py: lower-case, slang expanded), sentence by
sentence, with anchored and bounded patterns (no unbounded backtracking on long texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ticketing.router.normalize import normalize

# Sentence ends as citizens type them; commas are kept inside a sentence on purpose: the ask is
# often the tail of a long comma-spliced sentence, and it is the sentence that carries the subject.
_SENTENCE_END = re.compile(r"[.!?;\n\r]+|\s-\s")
# Forms of address: stripped after a greeting or a thanks ("selamat malam admin", "terima kasih
# bapak"), never alone at the start, where "ibu hamil…" or "petugas PDAM…" is the story itself.
_ADDRESS = (
    r"(?:bapak|ibu|pak|bu|admin|kak|kakak|mas|mbak|mba|gan|lur|dulur|sedulur|sobat|semua|sekalian|"
    r"tim|petugas|pemkot|pemerintah kota|wali kota|walikota|command center|call center)"
)
_GREETINGS = (
    r"assalamu ?alaikum(?: (?:warahmatullahi|warohmatullahi|wr)(?: (?:wabarakatuh|wabarokatuh|wb))?)?",
    r"as+alamualaikum",
    r"salam sejahtera(?: bagi kita semua)?",
    r"salam sehat",
    r"salam",
    r"om swastiastu",
    r"shalom",
    r"selamat (?:pagi|siang|sore|malam|petang)",
    r"halo+",
    r"hal+o",
    r"hai",
    r"hi",
    r"permisi",
    r"punten",
    r"nuwun sewu",
    r"mohon seribu",  # slang.json reads "nyuwun sewu" word by word
    r"kula ?nuwun",
    r"sugeng (?:enjing|siang|sonten|dalu)",
    r"(?:mohon )?maaf(?: (?:sebelumnya|mengganggu|ganggu))?(?: waktunya)?(?: sebelumnya)?",
    r"(?:pagi|siang|sore|malam)(?= (?:bapak|ibu|pak|bu|admin|kak|mas|mbak|min|semua)\b)",
    r"(?:mohon )?izin (?:bertanya|melapor|lapor|menyampaikan|mengadu|curhat)",
    r"ijin (?:bertanya|lapor|melapor)",
    r"yang terhormat",
    r"yth",
    r"dengan hormat",
    r"kepada(?: yang terhormat)?",
    r"(?:mau |ingin |saya )?(?:lapor|melapor|mengadu)",
)
_OPENERS = (r"(?:" + "|".join(_GREETINGS) + r")(?: " + _ADDRESS + r"){0,3}", r"admin")
_LEAD = re.compile(r"^(?:" + "|".join(_OPENERS) + r")\b[\s,]*")
_THANKS = r"(?:terima kasih|terimakasih|matur nuwun|suwun|nuwun)"
_CLOSERS = (
    _THANKS
    + r"(?: (?:banyak|sanget|sangat|sekali|sebelumnya|atas|untuk|perhatian|perhatiannya|bantuan|bantuannya|"
    r"respon|responnya|tanggapan|tanggapannya|kerjasama|kerjasamanya|kerja|samanya|waktunya|"
    r"tindak|lanjutnya|informasinya|semuanya|" + _ADDRESS + r")){0,6}",
    r"was+alamu ?alaikum(?: (?:warahmatullahi|warohmatullahi|wr)(?: (?:wabarakatuh|wabarokatuh|wb))?)?",
    r"was+alam",
    r"wr wb",
    r"salam(?: (?:hormat|sehat|kami|saya))?",
    r"hormat (?:saya|kami)",
    r"semoga (?:sehat selalu|sukses selalu|cepat ditanggapi|segera ditanggapi|bermanfaat)",
    r"(?:bapak|ibu|pak|bu|admin|kak|mas|mbak|min|nggih|ya)",
)
_TAIL = re.compile(r"[\s,]*\b(?:" + "|".join(_CLOSERS) + r")$")
# The ask: the sentence the citizen wants acted on. Questions count ("kenapa belum diangkut?").
_REQUEST = re.compile(
    r"\b(?:mohon|tolong|minta|meminta|harap|berharap|harapannya|kami harap|kenapa|mengapa|"
    r"kapan|bagaimana|apakah|bisakah|bisa tidak|segera|nyuwun|please)\b"
)
MAX_STRIPS = 12  # bounded: a text is never peeled more than this many courtesies at either end
TAIL_WINDOW = 240
# A closing "terima kasih" is only stripped from a text with a body this long: a short
# "lampunya sudah nyala, terima kasih" is a thank-you, and the thanks is what says so.
MIN_BODY_WORDS = 6


@dataclass(frozen=True)
class Reading:
    body: str  # normalised text without the courtesies (the whole text if it was only courtesy)
    asks: tuple[str, ...]  # normalised sentences that make a request or ask why
    courtesy_only: bool  # nothing but greetings, thanks and salam

    @property
    def words(self) -> int:
        return len(self.body.split())

    def features_text(self) -> str:
        """What the model reads: the body, then the asks again so they outweigh background mentions."""
        return " ".join((self.body, *self.asks)) if self.asks else self.body


def strip_openers(sentence: str) -> str:
    for _ in range(MAX_STRIPS):
        stripped = _LEAD.sub("", sentence, count=1)
        if stripped == sentence:
            break
        sentence = stripped
    return sentence


def strip_closers(sentence: str) -> str:
    # Closers sit at the end: only the last TAIL_WINDOW characters (cut at a space) are searched,
    # so a hostile 5,000-character run of "terima kasih" costs what a real closing does.
    cut = sentence.rfind(" ", 0, max(0, len(sentence) - TAIL_WINDOW)) + 1
    head, tail = sentence[:cut], sentence[cut:]
    for _ in range(MAX_STRIPS):
        stripped = _TAIL.sub("", tail, count=1)
        if stripped == tail:
            break
        tail = stripped
    return (head + tail).strip()


@lru_cache(maxsize=8192)
def read(text: str) -> Reading:
    """The complaint without its courtesies, and its asks."""
    sentences = [s for s in (normalize(part) for part in _SENTENCE_END.split(text or "")) if s]
    # Openers are peeled from the leading sentences ("Selamat malam admin." is a sentence of its own)…
    while sentences:
        first = strip_openers(sentences[0])
        if first:
            sentences[0] = first
            break
        sentences.pop(0)
    # …and closers from the trailing ones, while what is left still tells a story.
    while sentences:
        total = sum(len(s.split()) for s in sentences)
        last = strip_closers(sentences[-1])
        removed = len(sentences[-1].split()) - len(last.split())
        if removed == 0 or total - removed < MIN_BODY_WORDS:
            break
        if last:
            sentences[-1] = last
            break
        sentences.pop()
    if not sentences:
        return Reading(body=normalize(text or ""), asks=(), courtesy_only=True)
    asks = tuple(s for s in sentences if _REQUEST.search(s)) if len(sentences) > 1 else ()
    return Reading(body=" ".join(sentences), asks=asks, courtesy_only=False)


def features_text(text: str) -> str:
    return read(text).features_text()
