"""How text becomes search terms, the same way for the casebook (at build time) and for a query.

Three families of terms:

- **words**: Chinese words from jieba's search-mode segmentation (two characters or more), and English
  words lower-cased and lightly stemmed (``supervised``, ``supervision`` → ``supervis``); a hyphenated
  word also counts whole (``sea-rail`` → ``sea-rail``, ``sea``, ``rail``);
- **bigrams** and **unigrams** of Chinese characters, so a paraphrase that shares characters but not
  words (台湾同胞 for 台胞) still finds its case.

Chinese words come from ``segmenter.Segmenter`` over the casebook's dictionary, which the index carries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ftz_reforms.text.chars import CJK_RUN

__all__ = [
    "bigrams",
    "english_word_terms",
    "english_words",
    "normalize_query",
    "stem",
    "unigrams",
]

_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
    ]
)


def normalize_query(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


_INFLECTIONS = (("ies", "i"), ("sses", "ss"), ("ings", ""), ("ions", ""), ("s", ""))
"""Plural and -ings endings and what replaces them, the first that fits taken."""
_NOT_PLURAL = ("ss", "us", "is")
"""Endings of words whose final s is no plural (class, status, analysis)."""
_DERIVATIONS = ("ing", "ion", "ed", "ly")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light English stemmer: enough to meet plural, tense and -ion forms of one root.

    ``enterprises``/``enterprise`` → ``enterpris``; ``policies``/``policy`` → ``polici``;
    ``supervised``/``supervision``/``supervise`` → ``supervis``; ``returns``/``returned`` → ``return``.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    # Cached: the steps below run once per distinct word.
    return _without_final_vowel(_without_derivation(_without_inflection(word)))


def _without_inflection(word: str) -> str:
    """``word`` less its plural or -ings ending, when at least three letters remain."""
    if word.endswith(_NOT_PLURAL):
        return word
    for suffix, replacement in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


def _without_derivation(word: str) -> str:
    """``word`` less its -ing, -ion, -ed or -ly ending, when at least four letters remain."""
    for suffix in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _without_final_vowel(word: str) -> str:
    """A final y read as i (policy, policies → polici), then a final e dropped (supervise → supervis), in
    words of five letters or more."""
    if word.endswith("y") and len(word) > 4:
        word = word[:-1] + "i"
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def english_word_terms(text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Each English word of ``text`` (already lower-cased): its start, its end and the terms it yields.

    The index and the highlighting of snippets both read words through this, so a term is marked
    exactly where it was counted.
    """
    for match in _LATIN_WORD.finditer(text):
        word = match.group(0).replace("'", "")
        parts = word.split("-")
        terms = [word] if len(parts) > 1 else []
        # The "e" of e-commerce says nothing alone.
        terms += [stem(part) for part in parts if len(part) > 1 and part not in ENGLISH_STOP_WORDS]
        yield match.start(), match.end(), tuple(terms)


def english_words(text: str) -> Iterator[str]:
    """Stemmed English words of ``text`` (already lower-cased), without stop words, in order."""
    for _, _, terms in english_word_terms(text):
        yield from terms


def bigrams(text: str) -> Iterator[str]:
    """Adjacent pairs of Chinese characters, within each run of Chinese characters."""
    for run in CJK_RUN.findall(text):
        for start in range(len(run) - 1):
            yield run[start : start + 2]


def unigrams(text: str) -> Iterator[str]:
    """Every Chinese character of ``text``."""
    for run in CJK_RUN.findall(text):
        yield from run
