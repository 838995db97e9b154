"""Key terms of each case, computed at build time with jieba's TF-IDF.

The case's own text (title, summary, headings, bodies) is segmented with jieba's full dictionary plus the
glossary's terms, so domain terms such as 综合保税区 stay whole; a domain stop-list drops the words every
case uses (改革, 创新, 企业…). Run at build time and when a casebook is imported; a search reads the stored keywords.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ftz_reforms.model.records import Case
from ftz_reforms.retrieval.jieba_setup import full_tokenizer, jieba_module
from ftz_reforms.text.chars import IDEOGRAPHS, is_ideograph

__all__ = [
    "KEYWORD_COUNT",
    "STOP_WORDS_FILE",
    "KeywordExtractor",
    "case_text",
    "is_fragment",
    "read_stop_words",
    "read_terms",
]

KEYWORD_COUNT = 10
STOP_WORDS_FILE = Path(__file__).resolve().parent / "keyword_stopwords.txt"
"""The domain stop-list, shipped with the package so that an imported casebook gets keywords too."""
_WORTH_KEEPING = re.compile(f"^[{IDEOGRAPHS}]{{2,}}$|^[A-Za-z][A-Za-z0-9]+$")


def read_stop_words(path: Path = STOP_WORDS_FILE) -> frozenset[str]:
    """The stop-list file: one word per line, ``#`` comments and blank lines ignored."""
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(word for word in words if word)


def case_text(case: Case) -> str:
    """Everything a reader reads of the case in Chinese, in document order."""
    texts = [case.title_zh]
    for part in case.parts():
        if part.section is not None and part.section.heading_zh:
            texts.append(part.section.heading_zh)
        texts.append(part.text_zh)
    return "\n".join(texts)


def _jieba_idf(path: Path) -> tuple[dict[str, float], float]:
    """jieba's IDF table (``word idf`` per line) and its median, the weight of an unknown word."""
    idf: dict[str, float] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    return idf, sorted(idf.values())[len(idf) // 2]


WHOLE_TERMS_FILE = Path(__file__).resolve().parent / "keyword_terms.txt"
"""Terms of the casebooks kept whole for keywords beyond the glossary's (邮快跨, 内河段, 深远海…)."""


def read_terms(path: Path = WHOLE_TERMS_FILE) -> tuple[str, ...]:
    """A word list file: one word per line, ``#`` comments and blank lines ignored."""
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(word for word in words if word)


def is_fragment(word: str, text: str) -> bool:
    """Whether ``word`` is only ever part of one longer string of ``text``.

    True when it occurs at least twice and every occurrence has the same Chinese character on its left,
    or the same on its right (河段 always in 内河段, 深远 always in 深远海). A word met once says nothing
    about what it belongs to.
    """
    starts = [match.start() for match in re.finditer(re.escape(word), text)]
    if len(starts) < 2:
        return False
    lefts = {text[at - 1] if at else "" for at in starts}
    rights = {text[at + len(word)] if at + len(word) < len(text) else "" for at in starts}
    return any(len(side) == 1 and is_ideograph_char(next(iter(side))) for side in (lefts, rights))


def is_ideograph_char(char: str) -> bool:
    return len(char) == 1 and is_ideograph(char)


def _overlapping(word: str, other: str) -> bool:
    """Whether one of two keywords repeats the other: a substring (电商, 跨境电商), or its characters in
    order inside it (开票, 开发票)."""
    shorter, longer = sorted((word, other), key=len)
    if shorter in longer:
        return True
    position = 0
    for char in shorter:
        position = longer.find(char, position) + 1
        if position == 0:
            return False
    return True


class KeywordExtractor:
    """TF-IDF over jieba's segmentation, domain terms kept whole, fragments made whole, repeats merged.

    The weighting is jieba.analyse's (term frequency times jieba's IDF, the median IDF for an unknown
    word), computed here so that ties break by the word and no file handle is left open. The glossary's
    terms and the casebook terms of ``keyword_terms.txt`` stay whole; a word only ever met inside one
    longer string (``is_fragment``) is no keyword; a keyword that repeats a better-weighted one (a
    substring of it, or its characters in order) gives way to it; the domain stop-list drops the words
    every case uses and the verbs and adjectives no reader would pick.
    """

    def __init__(self, domain_terms: Iterable[str], stop_words: frozenset[str]) -> None:
        self._domain_terms = frozenset(domain_terms) | frozenset(read_terms())
        self._tokenizer = full_tokenizer(tuple(sorted(self._domain_terms)))
        jieba_directory = Path(str(jieba_module().__file__)).parent
        self._idf, self._median_idf = _jieba_idf(jieba_directory / "analyse" / "idf.txt")
        self._stop_words = stop_words

    def keywords(self, case: Case, count: int = KEYWORD_COUNT) -> tuple[str, ...]:
        """The ``count`` highest-weighted terms of the case, best first."""
        text = case_text(case)
        frequency = Counter(
            word for word in self._tokenizer.cut(text) if word not in self._stop_words and _WORTH_KEEPING.match(word)
        )
        weight = {word: n * self._idf.get(word, self._median_idf) for word, n in frequency.items()}
        chosen: list[str] = []
        # A fragment is no keyword whatever its weight, so the test (a scan of the text) runs only for the
        # words that would otherwise be chosen: a few dozen, however long the text.
        for word in sorted(weight, key=lambda word: (-round(weight[word], 9), word)):
            if word not in self._domain_terms and is_fragment(word, text):
                continue
            if not any(_overlapping(word, kept) for kept in chosen):
                chosen.append(word)
            if len(chosen) == count:
                break
        return tuple(chosen)
