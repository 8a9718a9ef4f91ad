"""Indonesian text normalisation for complaints as citizens type them on SMS, WhatsApp and the web.

The pipeline is: lower-case -> drop emoji/punctuation -> collapse letter runs ("bangettt") ->
split reduplication ("anak2") -> expand shorthand, slang and Javanese words (config/routing/slang.json)
-> stem with PySastrawi (optional). Everything is cached per token because Sastrawi is slow and the
vocabulary of complaints is small, so the warm path is a few dict look-ups per token.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config" / "routing"
SLANG_PATH = CONFIG_DIR / "slang.json"

# Anything that is not a letter or digit becomes a space; emoji and punctuation carry no routing signal
# (anger is already visible in the words) and would fragment the char n-grams.
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Three or more of the same letter are an emphasis ("bangettt", "tolonggg"); Indonesian spelling never
# triples a letter, so collapsing to one is safe. Doubled letters are left alone ("saat", "maaf").
_LETTER_RUN = re.compile(r"([a-z])\1{2,}")
# "anak2" / "hari2" is written reduplication: "anak-anak".
_REDUP = re.compile(r"\b([a-z]{2,})2\b")
# Units glued to numbers ("10rb", "3hari") hide the word from the slang table.
_NUM_WORD = re.compile(r"(\d)([a-z])|([a-z])(\d)")


class _Lexicon:
    """Slang tables, loaded once per process and swappable for tests."""

    def __init__(self, path: Path = SLANG_PATH) -> None:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        words: dict[str, str] = {}
        phrases: dict[str, str] = {}
        for section in ("shorthand", "javanese"):
            for key, value in data.get(section, {}).items():
                if key.startswith("_"):
                    continue
                (phrases if " " in key else words)[key] = value
        self.words = words
        self.phrases = phrases
        self.stems = {k: v for k, v in data.get("stems", {}).items() if not k.startswith("_")}
        self._phrase_re = (
            re.compile(
                r"\b(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b"
            )
            if phrases
            else None
        )

    def expand(self, text: str) -> str:
        if self._phrase_re is not None:
            text = self._phrase_re.sub(lambda m: self.phrases[m.group(1)], text)
        return " ".join(self.words.get(tok, tok) for tok in text.split())


_lexicon: _Lexicon | None = None
_lexicon_lock = threading.Lock()


def lexicon() -> _Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lexicon_lock:
            if _lexicon is None:
                _lexicon = _Lexicon()
    return _lexicon


def clean(text: str) -> str:
    """Lower-case ASCII words and digits only, with emphasis and reduplication undone."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    text = _REDUP.sub(r"\1 \1", text)
    text = _NON_WORD.sub(" ", text)
    text = _LETTER_RUN.sub(r"\1", text)
    text = _NUM_WORD.sub(
        lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) else f"{m.group(3)} {m.group(4)}", text
    )
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Cleaned text with shorthand, slang and Javanese expanded to standard Indonesian words (not stemmed)."""
    return lexicon().expand(clean(text))


_stemmer = None
_stemmer_lock = threading.Lock()
_roots: frozenset[str] = frozenset()


def _sastrawi():
    global _stemmer, _roots
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                factory = StemmerFactory()
                _roots = frozenset(factory.get_words())
                _stemmer = factory.create_stemmer()
    return _stemmer


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """Stem one token. Sastrawi prefers the shortest dictionary root, which turns "kerusakan" into
    "rusa" and "tumpukan" into "tumpu"; when the word really contains root+"k"+"an" and root+"k" is a
    dictionary word, that longer root is the right one."""
    override = lexicon().stems.get(word)
    if override is not None:
        return override
    if len(word) <= 3 or word.isdigit():
        return word
    stem = _sastrawi().stem(word)
    if stem and (stem + "kan") in word and (stem + "k") in _roots:
        return stem + "k"
    return stem or word


@lru_cache(maxsize=8192)
def stem_text(text: str) -> str:
    """Normalised and stemmed text: the representation the word n-gram features see."""
    return " ".join(stem_word(tok) for tok in normalize(text).split())


def reset_caches() -> None:
    """Forget cached results, e.g. after editing slang.json in a long-running process."""
    global _lexicon
    with _lexicon_lock:
        _lexicon = None
    normalize.cache_clear()
    stem_word.cache_clear()
    stem_text.cache_clear()
