"""Ranked search over the cases in Chinese and English, and the filters listing shares with it.

Everything comes from a search index (``index_format.IndexFile``): the bundled one, built by the build, or
one a loaded dataset built and cached. A query is tokenized (``terms``), its terms' precomputed BM25F scores
are added up per case, and the best sentence of each hit is cut out as a snippet with the matches marked.
The dataset and its pydantic models are loaded only when a hit's ``case`` is asked for.

Scores add three families of terms: whole words count fully, Chinese character pairs a little and
single characters very little, so an exact term wins and a paraphrase still finds its case. Ties
break by batch and case number.

The filters (``CaseFilters``) are written once, here: a dataset's ``filter_cases``, ``filter_ids`` and
``search`` take them as typed keyword arguments, and ``Catalogue.keep`` applies them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict

from ftz_reforms._lazy import Lazy
from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms._version import DATA_VERSION
from ftz_reforms.errors import FilterError, QueryError, ReferenceNotFoundError
from ftz_reforms.model.vocab import Category, Unit, resolve
from ftz_reforms.retrieval.index_format import (
    INDEX_FILE,
    CaseEntry,
    CatalogueData,
    IndexFile,
    Sentence,
    checked_index,
)
from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.retrieval.terms import bigrams, english_word_terms, normalize_query, unigrams
from ftz_reforms.text.chars import CJK_RUN
from ftz_reforms.text.names import NameTable

if TYPE_CHECKING:
    from ftz_reforms.model.records import Case

__all__ = [
    "MAX_QUERY_LENGTH",
    "CaseFilters",
    "Catalogue",
    "FilterError",
    "Hit",
    "QueryError",
    "SearchIndex",
    "bundled_index",
    "checked_filters",
    "search_index",
]

MAX_QUERY_LENGTH = 200
"""Characters of a query that are read; the rest is ignored, so any query answers in bounded time."""
_FAMILY_WEIGHTS = {"words": 1.0, "bigrams": 0.3, "unigrams": 0.1}
_SNIPPET_WIDTH = {"zh": 90, "en": 220}
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]")
_FIELD_RANK = {"title": 0, "heading": 1, "summary": 2, "body": 3, "metric": 4, "categories": 5}


class CaseFilters(TypedDict, total=False):
    """The filters a case list or a search takes, every one optional; a case must pass all those given.

    ``province``: a zone's Chinese or English name, ISO code or short form (山东, Shandong, CN-SD);
    ``area``: a pilot area's Chinese or English name or alias (青岛片区, Qingdao Area); ``category``: a
    ``Category``; ``unit``: a ``Unit`` some metric of the case uses; ``text``: text the case contains, in
    Chinese (simplified or traditional) or English, ignoring case. ``None`` is the same as not given.
    """

    province: str | None
    area: str | None
    category: Category | str | None
    unit: Unit | str | None
    text: str | None


def checked_filters(filters: Mapping[str, object]) -> CaseFilters:
    """``filters`` when every name is one of ``CaseFilters``; a ``FilterError`` naming the accepted ones."""
    FilterError.check_names(filters, CaseFilters.__annotations__, "filter")
    checked: CaseFilters = dict(filters)  # type: ignore[assignment]  # the names checked; values by Catalogue.keep
    return checked


@dataclass(frozen=True)
class Hit:
    """One case found by a search: its score, the query terms it matched and a marked snippet."""

    number: int
    id: str
    title_zh: str
    title_en: str | None
    score: float
    matched_terms: tuple[str, ...]
    """What the case matched, as words: those the reader typed, or the text's own for an equivalent."""
    snippet: str
    """The best-matching sentence (shortened around its first match when long)."""
    highlights: tuple[tuple[int, int], ...] = field(default=())
    """(start, end) offsets of the matches in ``snippet``."""
    batch: int = 0
    """Batch of the case."""
    case_of: Callable[[str], Case] | None = field(default=None, repr=False, compare=False)
    """How the hit's dataset finds a case by id."""

    @property
    def case(self) -> Case:
        """The full case record, from the dataset that was searched (loaded on first use)."""
        if self.case_of is None:
            raise LookupError(f"hit {self.id} was made without its dataset: look it up there with get({self.id!r})")
        return self.case_of(self.id)

    def marked(self, open_mark: str = "«", close_mark: str = "»", escape: Callable[[str], str] = str) -> str:
        """The snippet with every match wrapped in the given marks; ``escape`` is applied to the snippet's text
        (a terminal's escaping of control characters), never to the marks (which may be a terminal's own)."""
        parts, cursor = [], 0
        for start, end in self.highlights:
            parts += [escape(self.snippet[cursor:start]), open_mark, escape(self.snippet[start:end]), close_mark]
            cursor = end
        parts.append(escape(self.snippet[cursor:]))
        return "".join(parts)


_CaseTest = Callable[[CaseEntry], bool]
"""Whether a case, by its catalogue entry, passes one filter."""


class Catalogue:
    """Every case's entry (``index_format.CaseEntry``) and the names the filters accept; applies the filters."""

    def __init__(self, raw: CatalogueData) -> None:
        self.cases: list[CaseEntry] = raw["cases"]
        self._zone_entries = raw["zones"]
        self._area_entries = raw["areas"]
        self._zones: NameTable[str] | None = None
        self._areas: NameTable[str] | None = None

    @property
    def zones(self) -> NameTable[str]:
        """The zones by every name they go by; built on the first province filter."""
        if self._zones is None:  # two threads racing here build two equal tables: harmless
            self._zones = NameTable("province", self._zone_entries)
        return self._zones

    @property
    def areas(self) -> NameTable[str]:
        """The pilot areas by every name they go by; built on the first area filter."""
        if self._areas is None:
            self._areas = NameTable("area", self._area_entries)
        return self._areas

    def keep(self, filters: CaseFilters, text_filter: Callable[[str], list[bool]] | None = None) -> list[bool]:
        """For each case, whether it passes every filter given; ``text_filter`` applies the text filter."""
        given = _given(filters)
        tests = self._tests(given)
        keep = [all(test(case) for test in tests) for case in self.cases]
        if "text" in given:
            keep = [k and found for k, found in zip(keep, _text_matches(given["text"], text_filter))]
        return keep

    def _tests(self, given: dict[str, str]) -> list[_CaseTest]:
        """A test of a case's entry for each name filter given, in a fixed order: the first unknown name
        the filters give is the one reported, whatever the order they come in."""
        makers: tuple[tuple[str, Callable[[str], _CaseTest]], ...] = (
            ("province", self._in_province),
            ("area", self._in_area),
            ("category", _in_category),
            ("unit", _using_unit),
        )
        return [make(given[name]) for name, make in makers if name in given]

    def _in_province(self, name: str) -> _CaseTest:
        wanted = _named(self.zones, name)
        return lambda case: any(province[0] == wanted for province in case["provinces"])

    def _in_area(self, name: str) -> _CaseTest:
        wanted = _named(self.areas, name)
        return lambda case: any(area[0] == wanted for area in case["areas"])


def _given(filters: CaseFilters) -> dict[str, str]:
    """The filters given a value (``None`` is not given), each value checked to be a string."""
    given: dict[str, str] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if not isinstance(value, str):  # Category and Unit are strings too
            wanted = "some text" if name == "text" else "a name"
            raise FilterError(f"{name} must be {wanted} (a string), not a value of type {type(value).__name__}")
        given[name] = value
    return given


def _in_category(name: str) -> _CaseTest:
    wanted = resolve(Category, name, "category").value
    return lambda case: wanted in case["categories"]


def _using_unit(name: str) -> _CaseTest:
    wanted = resolve(Unit, name, "unit").value
    return lambda case: wanted in case["units"]


def _text_matches(text: str, text_filter: Callable[[str], list[bool]] | None) -> list[bool]:
    """For each case, whether it holds ``text``, as ``text_filter`` finds."""
    if not text.strip():
        raise FilterError("the text filter is empty: give some text the cases must contain")
    if text_filter is None:
        raise FilterError("the text filter needs the dataset's search index")
    return text_filter(text)


class SearchIndex:
    """A loaded search index: the catalogue, the postings, the sentences and the segmenter over the
    casebook's dictionary."""

    def __init__(self, raw: IndexFile) -> None:
        self.file = raw
        """The index as read: what the site's search (the same ranking, in the browser) is given."""
        self.catalogue = Catalogue(raw["catalogue"])
        text = raw["text"]
        self._postings = text["postings"]
        self.dictionary = text["dictionary"]
        """The casebook's vocabulary with jieba's frequencies."""
        self.traditional: dict[str, str] = text["traditional"]
        """The traditional → simplified character mapping."""
        self.domain_terms = text["domain_terms"]
        self.expansions = text["english_expansions"]
        self.surfaces = text["english_surfaces"]
        self._encoded_sentences = text["sentences"]
        self._decoded_sentences: dict[int, list[Sentence]] = {}
        self._simplified: dict[int, str] | None = None
        self._segmenter: Segmenter | None = None
        self._texts: list[str] | None = None
        self._lowered: dict[int, list[str]] = {}
        self._sentences: dict[tuple[int, str], _Sentences] = {}

    @property
    def cases(self) -> list[CaseEntry]:
        """Every case's catalogue entry, in the dataset's order."""
        return self.catalogue.cases

    def case_sentences(self, position: int) -> list[Sentence]:
        """The sentences (field, language, text) of the case at ``position``, decoded on first use: a search
        reads only its hits', so a large index loads in a fraction of the time and memory."""
        found = self._decoded_sentences.get(position)
        if found is None:
            found = self._decoded_sentences[position] = json.loads(self._encoded_sentences[position])
        return found

    def simplified(self, text: str) -> str:
        """``text`` with its traditional characters in their simplified forms (網絡 → 网络)."""
        if self._simplified is None:  # two threads racing here build two equal tables: harmless
            self._simplified = str.maketrans(self.traditional)
        return text.translate(self._simplified)

    def keep(self, filters: CaseFilters) -> list[bool]:
        """For each case, whether it passes every filter given, the text filter included."""
        return self.catalogue.keep(filters, self._holding)

    def _holding(self, text: str) -> list[bool]:
        needle = self.simplified(normalize_query(text).strip())
        return [needle in body for body in self.texts]

    @property
    def segmenter(self) -> Segmenter:
        """jieba over the casebook's dictionary, set up on the first Chinese query (English never imports jieba)."""
        if self._segmenter is None:  # two threads racing here build two equal segmenters: harmless
            self._segmenter = Segmenter(self.dictionary["frequencies"], self.dictionary["total"])
        return self._segmenter

    def postings(self, family: str, term: str) -> list[tuple[int, float]]:
        """(case position, score) of every case holding ``term``."""
        encoded = self._postings[family].get(term)
        if not encoded:
            return []
        numbers = encoded.split(" ")
        return [(int(numbers[i]), float(numbers[i + 1])) for i in range(0, len(numbers), 2)]

    @property
    def texts(self) -> list[str]:
        """Each case's whole text in lower case, for the text filter (built on first use)."""
        if self._texts is None:
            self._texts = [" ".join(self.lowered_sentences(position)) for position in range(len(self.cases))]
        return self._texts

    def lowered_sentences(self, position: int) -> list[str]:
        """The case's sentences in lower case, computed once per case on first use."""
        found = self._lowered.get(position)
        if found is None:
            found = self._lowered[position] = [sentence[2].lower() for sentence in self.case_sentences(position)]
        return found

    def sentences(self, position: int, language: str) -> _Sentences:
        """The case's sentences in one language, ready for substring probes (built once per case and language)."""
        key = (position, language)
        found = self._sentences.get(key)
        if found is None:
            lowered = self.lowered_sentences(position)
            found = self._sentences[key] = _Sentences(
                [
                    (_FIELD_RANK[field_name], order, text, lowered[order])
                    for order, (field_name, sentence_language, text) in enumerate(self.case_sentences(position))
                    if sentence_language == language
                ],
                language,
            )
        return found


class _Sentences:
    """Sentences of one case and language: (field rank, order, text, lower-case text) each.

    The sentences are also joined into one string, so finding those that hold a term is a few
    ``str.find`` calls rather than a test of every sentence. For English, that string keeps only
    letters and digits, each sentence led by a space, and a term is looked for after a space: at the
    start of a word, so that "form" finds "forms" but not "platform".
    """

    _SEPARATOR = "\x00"  # in no term: terms are words, stems and CJK characters

    def __init__(self, entries: list[tuple[int, int, str, str]], language: str) -> None:
        self.entries = entries
        self._word_starts = language == "en"
        probed = [self._probe_form(entry[3]) for entry in entries]
        self._starts: list[int] = []
        offset = 0
        for text in probed:
            self._starts.append(offset)
            offset += len(text) + len(self._SEPARATOR)
        self._joined = self._SEPARATOR.join(probed)

    def _probe_form(self, lowered: str) -> str:
        return " " + _NOT_LETTER_OR_DIGIT.sub(" ", lowered) if self._word_starts else lowered

    def holding(self, term: str) -> Iterator[int]:
        """Indices of the entries that contain ``term`` (in English: a word that starts with it)."""
        probe = self._probe_form(term)
        if not probe.strip():
            return
        found = self._joined.find(probe)
        while found != -1:
            entry = bisect_right(self._starts, found) - 1
            yield entry
            following = entry + 1
            if following == len(self._starts):
                return
            found = self._joined.find(probe, self._starts[following])


def _read_bundled_index() -> SearchIndex:
    path = DATA_DIRECTORY / INDEX_FILE
    # The standard library's parser, not orjson: a cold search parses this file once, and importing orjson
    # costs more than its faster parse saves.
    return SearchIndex(checked_index(json.loads(path.read_bytes()), str(path), DATA_VERSION))


_bundled = Lazy(_read_bundled_index)


def bundled_index() -> SearchIndex:
    """The search index of the bundled dataset, read on first use (once, whatever the threads)."""
    return _bundled.get()


@dataclass
class _Query:
    words: list[str]
    bigrams: list[str]
    unigrams: list[str]
    chinese: bool
    expanded: set[str]
    """Word terms the query holds only through an everyday equivalent (firm → enterpris)."""
    typed: dict[str, str]
    """Each English term of the query → the word the reader typed for it (supervis → supervision)."""


_EXPANSION_WEIGHT = 0.7
"""How much a term counts when the query reached it through an equivalent rather than typed it."""


def _parse(query: str, index: SearchIndex) -> _Query:
    text = index.simplified(normalize_query(query)[:MAX_QUERY_LENGTH])
    chinese_words = list(index.segmenter.words(text)) if CJK_RUN.search(text) else []
    english = CJK_RUN.sub(" ", text)
    typed: dict[str, str] = {}
    sequence: list[str] = []
    for start, end, terms in english_word_terms(english):
        for term in terms:
            typed.setdefault(term, english[start:end])
            sequence.append(term)
    expanded: list[str] = []
    for size in (3, 2, 1):
        for at in range(len(sequence) - size + 1):
            expanded += index.expansions.get(" ".join(sequence[at : at + size]), [])
    literal = list(dict.fromkeys([*chinese_words, *sequence]))
    # Keep the order of first appearance: matched terms are reported in the query's order.
    words = list(dict.fromkeys([*literal, *expanded]))
    return _Query(
        words=words,
        bigrams=list(dict.fromkeys(bigrams(text))),
        unigrams=list(dict.fromkeys(unigrams(text))),
        chinese=bool(CJK_RUN.search(text)),
        expanded=set(words) - set(literal),
        typed=typed,
    )


def _named(table: NameTable[str], value: str) -> str:
    """The canonical name of the zone or area ``value`` names; a :class:`FilterError` naming the closest otherwise."""
    try:
        return table.find(value)
    except ReferenceNotFoundError as error:
        if error.closest:
            raise FilterError(f"unknown {table.what} {value!r}; closest: {', '.join(error.closest)}") from None
        raise FilterError.unknown(table.what, value, table.keys()) from None


@dataclass
class _Matches:
    """What a query matched in every case, family by family, each list in the query's order."""

    scores: list[float]
    words: list[list[str]]
    pairs: list[list[str]]
    characters: list[list[str]]
    found: list[bool]
    """Whether the case is a hit at all (see ``_scores``)."""


def _scores(index: SearchIndex, query: _Query) -> _Matches:
    """Per case: the score, the terms matched in each family, and whether the case is a hit.

    A word or a character pair makes a hit. Single characters alone make a hit only for a
    one-character query, or when the case holds two characters of a longer query (three or more): one
    shared character is not a match.
    """
    count = len(index.cases)
    scores = [0.0] * count
    # Words, pairs, then characters: a float sum depends on its order, and rankings are held byte for byte.
    words = _add_family(index, "words", query.words, query.expanded, scores)
    pairs = _add_family(index, "bigrams", query.bigrams, query.expanded, scores)
    characters = _add_family(index, "unigrams", query.unigrams, query.expanded, scores)
    needed = _characters_needed(len(query.unigrams))
    found = [
        bool(words[position] or pairs[position]) or (needed > 0 and len(characters[position]) >= needed)
        for position in range(count)
    ]
    return _Matches(scores, words, pairs, characters, found)


def _add_family(
    index: SearchIndex, family: str, terms: list[str], expanded: set[str], scores: list[float]
) -> list[list[str]]:
    """Add the scores of one family's ``terms`` to ``scores``; per case, the terms it matched, in order."""
    weight = _FAMILY_WEIGHTS[family]
    matched: list[list[str]] = [[] for _ in scores]
    for term in terms:
        term_weight = weight * (_EXPANSION_WEIGHT if term in expanded else 1.0)
        for position, score in index.postings(family, term):
            scores[position] += term_weight * score
            matched[position].append(term)
    return matched


def _characters_needed(distinct: int) -> int:
    """How many characters of a query of ``distinct`` characters a case must hold for characters alone to
    make it a hit; 0 for never (a two-character query: its pair is the test)."""
    if distinct == 1:
        return 1
    return 2 if distinct >= 3 else 0


@lru_cache(maxsize=8192)
def _english_words_of(lowered: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """The English words of a sentence once: the same sentences recur across queries."""
    return tuple(english_word_terms(lowered))


def _highlights(lowered: str, terms: Sequence[str], language: str) -> list[tuple[int, int]]:
    """Spans of a sentence (given in lower case) that match ``terms``, in order, none overlapping.

    In Chinese every occurrence of every term is marked and overlapping marks merge, so the pairs 跨关
    and 关区 mark 跨关区 whatever order they come in; marks that only touch stay apart («国际»«邮件»).
    """
    if language == "en":
        wanted = set(terms)
        return [(start, end) for start, end, forms in _english_words_of(lowered) if wanted.intersection(forms)]
    occurrences: list[tuple[int, int]] = []
    for term in set(terms):
        if not term:
            continue
        start = lowered.find(term)
        while start != -1:
            occurrences.append((start, start + len(term)))
            start = lowered.find(term, start + 1)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(occurrences):
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _snippet(index: SearchIndex, position: int, matched: Sequence[str], lang: str) -> tuple[str, list[tuple[int, int]]]:
    sentences = index.sentences(position, lang)
    terms = list(matched)
    found = _best_match(sentences, _candidates(sentences, _probes(terms, lang)), terms, lang)
    if found is None:
        return _title(index.cases[position], lang), []
    text, spans = found
    return _shortened(text, spans, _SNIPPET_WIDTH[lang])


def _probes(terms: Sequence[str], lang: str) -> set[str]:
    """What to look for in the sentences, by cheap substring tests: the terms, but an English stem ending in
    i less its i (a stem is nearly always a prefix of its words; a stem ending in i stands for y)."""
    if lang != "en":
        return set(terms)
    return {term[:-1] if term.endswith("i") else term for term in terms}


def _candidates(sentences: _Sentences, probes: set[str]) -> list[int]:
    """The entries holding some probe: most probes held first, then the better field, then the earlier."""
    covered: dict[int, int] = {}
    for probe in probes:
        for entry in sentences.holding(probe):
            covered[entry] = covered.get(entry, 0) + 1
    return sorted(
        covered, key=lambda entry: (-covered[entry], sentences.entries[entry][0], sentences.entries[entry][1])
    )


def _best_match(
    sentences: _Sentences, candidates: list[int], terms: Sequence[str], lang: str
) -> tuple[str, list[tuple[int, int]]] | None:
    """The first candidate sentence with a real match, and its marks; None when none has one."""
    # A probe can still mislead ("form" starts "formal", whose term is "formal").
    for entry in candidates:
        _, _, text, lowered = sentences.entries[entry]
        spans = _highlights(lowered, terms, lang)
        if spans:
            return text, spans
    return None


def _title(case: CaseEntry, lang: str) -> str:
    """The case's title in ``lang``, the Chinese one where it has no English one."""
    if lang == "zh":
        return case["title_zh"]
    return case["title_en"] or case["title_zh"]


def _shortened(text: str, spans: list[tuple[int, int]], width: int) -> tuple[str, list[tuple[int, int]]]:
    """``text`` cut to ``width`` characters around its first mark when longer, with the marks shown in it."""
    if len(text) <= width:
        return text, spans
    start = max(0, min(spans[0][0] - width // 4, len(text) - width))
    end = start + width
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shown = [(s - start + len(prefix), e - start + len(prefix)) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, shown


def _shown(terms: Sequence[str], query: _Query, index: SearchIndex) -> tuple[str, ...]:
    """Matched terms as a reader reads them: the word typed, else the word the text writes; never a stem."""
    shown = (query.typed.get(term) or index.surfaces.get(term) or term for term in terms)
    return tuple(dict.fromkeys(shown))


def _checked_options(query: object, limit: object, lang: object) -> None:
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the query is empty: give words to search for, in Chinese or English")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise QueryError(f"limit must be a whole number of at least 1, not {limit!r}")
    if lang not in (None, "zh", "en"):
        raise QueryError(f"lang must be 'zh' or 'en', not {lang!r}")


def _hit(
    index: SearchIndex,
    position: int,
    matches: _Matches,
    query: _Query,
    lang: str | None,
    case_of: Callable[[str], Case],
) -> Hit:
    case = index.cases[position]
    # No word matched: the case was found through character pairs (or characters); report those.
    terms = matches.words[position] or matches.pairs[position] or matches.characters[position]
    # The snippet is in the language of what matched (the query's, when both did).
    chinese = [bool(CJK_RUN.search(term)) for term in terms]
    snippet_lang = lang or ("zh" if all(chinese) else "en" if not any(chinese) else "zh" if query.chinese else "en")
    snippet, spans = _snippet(index, position, terms, snippet_lang)
    return Hit(
        number=case["number"],
        id=case["id"],
        title_zh=case["title_zh"],
        title_en=case["title_en"],
        score=round(matches.scores[position], 4),
        matched_terms=_shown(terms, query, index),
        snippet=snippet,
        highlights=tuple(spans),
        batch=case["batch"],
        case_of=case_of,
    )


def search_index(
    index: SearchIndex,
    query: str,
    *,
    case_of: Callable[[str], Case],
    limit: int = 10,
    lang: str | None = None,
    filters: CaseFilters | None = None,
) -> list[Hit]:
    """The cases of ``index`` that best match ``query``, best first, at most ``limit``; ``case_of`` finds a
    hit's case by id in the index's dataset. See ``Collection.search``."""
    _checked_options(query, limit, lang)
    keep = index.keep(filters or {})
    parsed = _parse(query, index)
    matches = _scores(index, parsed)
    scores = matches.scores
    entries = index.cases
    ranked = sorted(
        (position for position, score in enumerate(scores) if score > 0 and matches.found[position] and keep[position]),
        key=lambda position: (-round(scores[position], 4), entries[position]["batch"], entries[position]["number"]),
    )
    return [_hit(index, position, matches, parsed, lang, case_of) for position in ranked[:limit]]
