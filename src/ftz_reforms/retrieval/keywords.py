"""Key terms of each case, computed at build time: the case's named measure first, then jieba's TF-IDF.

The rule, in order (``KeywordExtractor.keywords``):

1. **The named measure is always a keyword**: the quoted or coined term of the title and summary. Every
   term in “ ” quotes in the title (“票e真”, “土地超市”); a term quoted in the summary when the phrase after
   the quote names a measure (“即到即入”模式, “土地超市”平台, “同事同标”事项: ``MEASURE_WORDS``); and the
   coined terms of ``keyword_terms.txt`` that the title or summary holds (集中航次日报 inside the summary's
   “天津港内作业船舶集中航次日报”, 长江航运综合服务平台 in the title) or that the case quotes anywhere
   (“三证联办”), the short curated list of terms jieba cannot segment. A quoted phrase longer than
   ``NAME_LENGTH`` characters, or holding punctuation, is a description or a list of slogans, not a term.
   The named measure stands even when the domain stop-list holds it.
2. **The place**: the place each pilot area of the case is named after (``area_place``: 营口 of 营口片区,
   泸州 of 泸州川南临港片区), where the case's text holds it, even only inside the area's name.
3. The domain terms (the glossary's Chinese terms) that the title or summary names, the most frequent in
   the case first (外汇 in b5-19's summary), unless the stop-list holds them.
4. The rest by TF-IDF: the case's own text (title, summary, headings, bodies) segmented with jieba's full
   dictionary plus the glossary's terms and the coined terms, so domain terms such as 综合保税区 stay
   whole (a run of more than ``LONGEST_BLOCK`` characters without a punctuation mark or a space is cut
   into pieces of that length first, so that the time stays linear); a domain stop-list drops the words
   every case uses (改革, 创新, 企业…); a word only ever met inside one longer string (``is_fragment``) is
   none.

At every step **generic verbs and fragments are never keywords** (``keyword_generic.txt``: 完成, 开具,
覆盖, 压减, 云上…), whatever their weight or place; **the administrative words of ``keyword_title_only.txt``**
(审批, 监管, 全生命周期…) **are keywords only where the title holds them**; a term that repeats a keyword
already chosen (a substring of it, or its characters in order) gives way to it. Run at build time and when
a casebook is imported; a search reads the stored keywords.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import chain
from pathlib import Path
from types import MappingProxyType

from ftz_reforms.model.records import Case, PilotArea
from ftz_reforms.retrieval.jieba_setup import cached_from_jieba_file, full_tokenizer, jieba_module
from ftz_reforms.text.chars import IDEOGRAPHS, is_ideograph

__all__ = [
    "GENERIC_WORDS_FILE",
    "KEYWORD_COUNT",
    "LONGEST_BLOCK",
    "MEASURE_WORDS",
    "NAME_LENGTH",
    "STOP_WORDS_FILE",
    "TITLE_ONLY_FILE",
    "KeywordExtractor",
    "area_place",
    "bounded_blocks",
    "case_places",
    "case_text",
    "is_fragment",
    "quoted_names",
    "read_stop_words",
    "read_terms",
]

KEYWORD_COUNT = 10
STOP_WORDS_FILE = Path(__file__).resolve().parent / "keyword_stopwords.txt"
"""The domain stop-list, shipped with the package so that an imported casebook gets keywords too."""
GENERIC_WORDS_FILE = Path(__file__).resolve().parent / "keyword_generic.txt"
"""Generic verbs and fragments: never a keyword, not even a named measure's."""
TITLE_ONLY_FILE = Path(__file__).resolve().parent / "keyword_title_only.txt"
"""Administrative words (审批, 监管, 全生命周期…): a keyword only where the case's title holds them."""
_AREA_SUFFIX = "片区"
MEASURE_WORDS = ("模式", "平台", "举措", "计划", "机制", "事项", "制度", "试点")
"""Words that, after a term quoted in a summary, say the quote names the measure (“即到即入”模式)."""
NAME_LENGTH = 8
"""The longest quoted phrase taken as a term; a longer one is a description (天津港内作业船舶集中航次日报)."""
_WORTH_KEEPING = re.compile(f"^[{IDEOGRAPHS}]{{2,}}$|^[A-Za-z][A-Za-z0-9]+$")
# A name: two characters or more, ideographs with Latin letters or digits (票e真, 关银一KEY通), nothing else.
_NAME = re.compile(f"^(?=.*[{IDEOGRAPHS}])[{IDEOGRAPHS}A-Za-z0-9]{{2,}}$")
_QUOTED = re.compile("“([^“”]+)”")
# Where the phrase after a quote ends: a punctuation mark, a quotation mark or a line break.
_PHRASE_END = re.compile("[，。；：、！？（）()“”‘’\n]")


def read_stop_words(path: Path = STOP_WORDS_FILE) -> frozenset[str]:
    """A stop-list file (the domain stop-list, or ``GENERIC_WORDS_FILE``): one word per line, ``#`` comments
    and blank lines ignored."""
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


def quoted_names(title: str, summary: str) -> tuple[str, ...]:
    """The terms the casebook quotes as the name of the case's measure, in order: every “…” of the title,
    then each “…” of the summary that the phrase after it (up to the next punctuation mark) names a
    measure (“即到即入”模式; “土地超市”平台; not “刷脸”即开票 or “有土地无项目”问题)."""
    names = [match.group(1) for match in _QUOTED.finditer(title)]
    for match in _QUOTED.finditer(summary):
        after = _PHRASE_END.split(summary[match.end() :], maxsplit=1)[0]
        if any(word in after for word in MEASURE_WORDS):
            names.append(match.group(1))
    return tuple(dict.fromkeys(names))


def area_place(area: PilotArea) -> str:
    """The place a pilot area is named after: the shortest of its names less 片区 (营口 of 营口片区, 南沙 of
    广州南沙新区片区 alias 南沙片区); or, where one of its names is another with a place before it, that
    place (泸州 of 泸州川南临港片区 and 川南临港片区, 滨海新区 of 滨海新区中心商务片区 and 中心商务片区)."""
    names = [name.removesuffix(_AREA_SUFFIX) for name in (area.name_zh, *area.aliases_zh)]
    names = [name for name in names if name] or [area.name_zh]
    before = [
        longer[: -len(shorter)]
        for longer in names
        for shorter in names
        if len(longer) > len(shorter) and longer.endswith(shorter)
    ]
    return min(before or names, key=len)


def case_places(case: Case) -> tuple[str, ...]:
    """The places of the case's pilot areas (``area_place``) that its text holds, in the areas' order."""
    text = case_text(case)
    return tuple(place for place in dict.fromkeys(map(area_place, case.areas)) if place in text)


_IDF_CACHE = "idf.marshal"
"""The cache entry of jieba's IDF table and its median (``jieba_setup.cached_from_jieba_file``)."""


@lru_cache(maxsize=1)
def _jieba_idf(path: Path) -> tuple[Mapping[str, float], float]:
    """jieba's IDF table (``word idf`` per line) and its median, the weight of an unknown word: read once a process
    (a file of jieba's own, 270,000 lines, parsed once and then read from the cache), read-only to its callers."""

    def parse() -> tuple[dict[str, float], float]:
        idf: dict[str, float] = {}
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                word, _, value = line.strip().partition(" ")
                if value:
                    idf[word] = float(value)
        return idf, sorted(idf.values())[len(idf) // 2]

    idf, median = cached_from_jieba_file(path, _IDF_CACHE, parse)
    return MappingProxyType(idf), median


LONGEST_BLOCK = 100
"""The longest run of text jieba segments in one piece. jieba cuts a text into blocks at every character its
``re_han_default`` leaves out (punctuation, spaces, line breaks) and segments each block alone; its HMM,
which reads the characters its dictionary leaves single, takes time quadratic in a block's length (its
Viterbi copies the path so far at every character). A longer block is cut every ``LONGEST_BLOCK`` characters
first (``bounded_blocks``); the bundled casebook's longest block has 42 characters, so its keywords are those
of the whole text."""


def bounded_blocks(text: str, longest: int = LONGEST_BLOCK) -> str:
    """``text`` with every block jieba would segment in one piece longer than ``longest`` characters broken
    by a line break every ``longest`` characters. A line break is where jieba ends a block anyway, so every
    other block is segmented as before, and segmenting the whole takes time linear in its length."""

    def broken(block: re.Match[str]) -> str:
        run = block.group()
        if len(run) <= longest:
            return run
        return "\n".join(run[start : start + longest] for start in range(0, len(run), longest))

    blocks: re.Pattern[str] = jieba_module().re_han_default
    return blocks.sub(broken, text)


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
    """The named measure, the places, the domain terms of the title and summary, then TF-IDF over jieba's
    segmentation.

    The weighting is jieba.analyse's (term frequency times jieba's IDF, the median IDF for an unknown
    word), computed here so that ties break by the word and no file handle is left open. The glossary's
    terms and the coined terms of ``keyword_terms.txt`` stay whole; a word only ever met inside one
    longer string (``is_fragment``) is no keyword; a keyword that repeats one chosen before it (a
    substring of it, or its characters in order) gives way to it; the domain stop-list drops the words
    every case uses, the generic list (``keyword_generic.txt``) the verbs and fragments no reader would
    pick, always, and the title-only list (``keyword_title_only.txt``) the administrative words a title
    does not hold. The module's docstring states the rule.
    """

    def __init__(
        self,
        domain_terms: Iterable[str],
        stop_words: frozenset[str],
        generic_words: frozenset[str] | None = None,
        title_only_words: frozenset[str] | None = None,
    ) -> None:
        self._glossary_terms = tuple(dict.fromkeys(domain_terms))
        self._coined_terms = read_terms()
        self._domain_terms = frozenset(self._glossary_terms) | frozenset(self._coined_terms)
        self._tokenizer = full_tokenizer(tuple(sorted(self._domain_terms)))
        jieba_directory = Path(str(jieba_module().__file__)).parent
        self._idf, self._median_idf = _jieba_idf(jieba_directory / "analyse" / "idf.txt")
        self._stop_words = stop_words
        self._generic_words = read_stop_words(GENERIC_WORDS_FILE) if generic_words is None else generic_words
        self._title_only_words = read_stop_words(TITLE_ONLY_FILE) if title_only_words is None else title_only_words

    def named_measure(self, case: Case) -> tuple[str, ...]:
        """The quoted or coined terms that name the case's measure: its quoted names (``quoted_names``) short
        enough to be a term, then the coined terms of ``keyword_terms.txt`` in the title or summary or quoted
        anywhere in the case (“三证联办”), in the order of the text."""
        head = f"{case.title_zh}\n{case.summary_zh}"
        text = case_text(case)
        names = quoted_names(case.title_zh, case.summary_zh)
        quoted = [name for name in names if len(name) <= NAME_LENGTH and _NAME.match(name)]
        quoted_anywhere = set(_QUOTED.findall(text))
        coined = sorted(
            (term for term in self._coined_terms if term in head or term in quoted_anywhere), key=text.index
        )
        return tuple(dict.fromkeys([*quoted, *coined]))

    def keywords(self, case: Case, count: int = KEYWORD_COUNT) -> tuple[str, ...]:
        """The case's ``count`` keywords: its named measure, the places of its pilot areas, the domain terms of
        its title and summary, then the highest-weighted terms of its text."""
        text = case_text(case)
        weight = self._weights(text)
        candidates = chain(
            self.named_measure(case),
            case_places(case),
            self._head_terms(case, text, weight),
            self._ranked(weight, text),
        )
        return _first_distinct(candidates, self._barred(case), count)

    def _weights(self, text: str) -> dict[str, float]:
        """The TF-IDF weight of each word of ``text`` worth keeping and not on the domain stop-list."""
        words = self._tokenizer.cut(bounded_blocks(text))
        frequency = Counter(word for word in words if word not in self._stop_words and _WORTH_KEEPING.match(word))
        return {word: n * self._idf.get(word, self._median_idf) for word, n in frequency.items()}

    def _head_terms(self, case: Case, text: str, weight: dict[str, float]) -> list[str]:
        """The domain terms the title or summary names, not on the stop-list: the most frequent in the case
        first (外汇 twice, once inside 国家外汇管理局, comes before it)."""
        head = f"{case.title_zh}\n{case.summary_zh}"
        terms = [
            term
            for term in self._glossary_terms
            if term in head and term not in self._stop_words and _NAME.match(term) is not None
        ]
        terms.sort(key=lambda term: (-text.count(term), -round(weight.get(term, 0.0), 9), term))
        return terms

    def _ranked(self, weight: dict[str, float], text: str) -> Iterator[str]:
        """The weighted words, the heaviest first, less the fragments (``is_fragment``) of ``text``."""
        # A fragment is no keyword whatever its weight, so the test (a scan of the text) runs only for the
        # words that would otherwise be chosen: a few dozen, however long the text.
        return (
            word
            for word in sorted(weight, key=lambda word: (-round(weight[word], 9), word))
            if word in self._domain_terms or not is_fragment(word, text)
        )

    def _barred(self, case: Case) -> frozenset[str]:
        """The words that are no keyword of ``case``: the generic ones, and the administrative words of the
        title-only list unless its title holds them."""
        return self._generic_words | {word for word in self._title_only_words if word not in case.title_zh}


def _first_distinct(candidates: Iterable[str], barred: frozenset[str], count: int) -> tuple[str, ...]:
    """The first ``count`` of ``candidates`` that are not barred and repeat no keyword chosen before them."""
    chosen: list[str] = []
    for word in candidates:
        if len(chosen) == count:
            break
        if word not in barred and not any(_overlapping(word, kept) for kept in chosen):
            chosen.append(word)
    return tuple(chosen)
