"""Search terms of a text, the same on SQLite and PostgreSQL.

Chinese is written without spaces, so the index cannot rely on a database's
word splitting. Every text is cut into *terms* here, in Python, and the
databases only store and match them (board/search_index.py,
board/selectors/search.py):

- a run of CJK characters (Han, kana, hangul) gives its overlapping
  character bigrams and its last character alone: 财政补贴 → 财政 政补 补贴
  贴. A query's bigrams are then found inside any longer phrase, and a
  one-character query matches as a prefix, since every character starts a
  bigram or ends its run;
- a run of Latin letters and digits gives its words, English ones stemmed
  (parking, parked → park), without a few stop words;
- anything else separates terms.

Terms hold only ``a-z``, ``0-9`` and CJK characters, so they are safe inside
a PostgreSQL tsquery and an FTS5 query.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Han (with extensions and compatibility ideographs), kana, hangul syllables.
CJK_CHARACTERS = (
    "\u3041-\u3096\u30a1-\u30fa\u30fc"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7a3"
    "\U00020000-\U0003134f"
)
RUN = re.compile(f"([{CJK_CHARACTERS}]+)|([a-z0-9]+)")
CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
SAFE_TERM = re.compile(f"^[a-z0-9{CJK_CHARACTERS}]+$")
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has",
    "have", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to",
    "was", "were", "will", "with",
})  # fmt: skip
# A query of more terms is cut: the first ones say enough, and each term
# costs an index lookup.
MAX_QUERY_TERMS = 32
# Words longer than this are not words (hashes, pasted junk).
MAX_WORD_LENGTH = 40

_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class QueryTerm:
    """One term of a query; ``is_prefix`` matches every term it starts."""

    text: str
    is_prefix: bool = False


def normalize(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lowercase,
    accents dropped from Latin letters (café → cafe)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    if text.isascii():
        return text
    return "".join(_fold(character) for character in text)


@lru_cache(maxsize=4096)
def _fold(character: str) -> str:
    if character.isascii() or CJK_RUN.match(character):
        return character
    decomposed = unicodedata.normalize("NFKD", character)
    letters = "".join(c for c in decomposed if c.isascii())
    # A letter without an ASCII base (ß, ø) stays and separates words.
    return letters or character


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _runs(text: str):
    """(is_cjk, run) pairs of the normalised text, in order."""
    for match in RUN.finditer(normalize(text)):
        cjk, latin = match.groups()
        if cjk:
            yield True, cjk
        elif len(latin) <= MAX_WORD_LENGTH and latin not in STOP_WORDS:
            yield False, latin


def index_terms(text: str) -> list[str]:
    """The terms a stored text is indexed under, in order, repeats kept."""
    terms = []
    for is_cjk, run in _runs(text):
        if is_cjk:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            terms.append(run[-1])
        else:
            terms.append(stem(run))
    return terms


def query_terms(text: str) -> list[QueryTerm]:
    """The terms a query must all match: a CJK run's bigrams (a single
    character as a prefix), English stems; without repeats, at most
    ``MAX_QUERY_TERMS``."""
    found = {}
    for is_cjk, run in _runs(text):
        if is_cjk and len(run) == 1:
            term = QueryTerm(run, is_prefix=True)
        elif is_cjk:
            for i in range(len(run) - 1):
                found.setdefault(run[i : i + 2], QueryTerm(run[i : i + 2]))
            continue
        else:
            term = QueryTerm(stem(run))
        found.setdefault(term.text, term)
    return list(found.values())[:MAX_QUERY_TERMS]


def highlight_words(text: str) -> list[str]:
    """What to mark in a snippet for this query: its CJK runs as typed and
    its English words' stems (marked with what follows them: park →
    parking), longest first so that a longer match wins."""
    words = set()
    for is_cjk, run in _runs(text):
        words.add(run if is_cjk else stem(run))
    return sorted(words, key=lambda word: (-len(word), word))[:MAX_QUERY_TERMS]


def is_safe_term(term: str) -> bool:
    return bool(SAFE_TERM.match(term))
