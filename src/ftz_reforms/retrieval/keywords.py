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
from ftz_reforms.text.chars import IDEOGRAPHS

__all__ = ["KEYWORD_COUNT", "STOP_WORDS_FILE", "KeywordExtractor", "case_text", "read_stop_words"]

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


class KeywordExtractor:
    """TF-IDF over jieba's segmentation with domain terms kept whole and a domain stop-list.

    The weighting is jieba.analyse's (term frequency times jieba's IDF, the median IDF for an unknown
    word), computed here so that ties break by the word and no file handle is left open.
    """

    def __init__(self, domain_terms: Iterable[str], stop_words: frozenset[str]) -> None:
        self._tokenizer = full_tokenizer(tuple(domain_terms))
        jieba_directory = Path(str(jieba_module().__file__)).parent
        self._idf, self._median_idf = _jieba_idf(jieba_directory / "analyse" / "idf.txt")
        self._stop_words = stop_words

    def keywords(self, case: Case, count: int = KEYWORD_COUNT) -> tuple[str, ...]:
        """The ``count`` highest-weighted terms of the case, best first."""
        frequency = Counter(
            word
            for word in self._tokenizer.cut(case_text(case))
            if word not in self._stop_words and _WORTH_KEEPING.match(word)
        )
        weight = {word: n * self._idf.get(word, self._median_idf) for word, n in frequency.items()}
        ranked = sorted(weight, key=lambda word: (-round(weight[word], 9), word))
        return tuple(ranked[:count])
