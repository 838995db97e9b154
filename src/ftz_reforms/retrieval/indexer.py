"""Build the bundled search index (``data/search_index.json``) from the dataset. Build-time only.

The index holds everything a query needs, so a search never loads the dataset or its models:

- ``dictionary``: the casebook's vocabulary with jieba's frequencies (``segmenter.Segmenter``);
- ``cases``: per case, what hits show (number, id, titles), what filters test (provinces, areas,
  categories, metric units, the text) and the sentences snippets are cut from;
- ``postings``: per term family, ``term → "case score case score …"`` with BM25F scores computed here,
  so a query only adds up numbers.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ftz_reforms.casebook.reference import zone_names
from ftz_reforms.model.records import Case, Dataset
from ftz_reforms.retrieval.engine import INDEX_FILE, INDEX_FORMAT
from ftz_reforms.retrieval.jieba_setup import full_tokenizer
from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.retrieval.terms import bigrams, english_word_terms, english_words, unigrams
from ftz_reforms.text.chars import CJK_RUN, SENTENCE_END

__all__ = ["FIELD_WEIGHTS", "INDEX_FILE", "INDEX_FORMAT", "build_index", "casebook_dictionary", "sentences"]

# How much one occurrence counts, by where it is: a title match outranks a passing mention.
FIELD_WEIGHTS = {
    "title": 5.0,
    "keywords": 3.0,
    "categories": 2.0,
    "heading": 2.0,
    "summary": 1.5,
    "names": 1.0,
    "body": 1.0,
    "metric": 0.5,
}
_K1 = 1.2
_B = 0.75
_SENTENCE_END_ZH = re.compile(f"(?<=[{SENTENCE_END}；])")
_SENTENCE_END_EN = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9\"(])")


def _fields(case: Case) -> Iterator[tuple[str, str, str]]:
    """(field, language, text) of everything searchable in a case."""
    yield "title", "zh", case.title_zh
    yield "title", "en", case.title_en or ""
    yield "keywords", "zh", " ".join(case.keywords)
    yield "categories", "en", " ".join(category.value.replace("_", " ") for category in case.categories)
    parts = case.parts()
    intro = next(parts)
    yield "summary", "zh", intro.text_zh
    yield "summary", "en", intro.text_en or ""
    # Where, not the boilerplate of the zone names (自由贸易试验区 is in every case's providers).
    for zone in case.providers:
        yield "names", "zh", zone.province_zh
        yield "names", "en", zone.province_en
    for area in case.areas:
        yield "names", "zh", area.name_zh
        yield "names", "en", area.short_name_en
    for part in parts:
        section = part.section
        assert section is not None  # every part after the introduction is a section
        yield "heading", "zh", section.heading_zh or ""
        yield "heading", "en", section.heading_en or ""
        yield "body", "zh", part.text_zh
        yield "body", "en", part.text_en or ""
    for metric in case.metrics:
        yield "metric", "en", metric.description_en or ""


def sentences(case: Case) -> list[tuple[str, str, str]]:
    """(field, language, sentence) a snippet may show, in document order.

    Metric descriptions and the category line are there so that every matched term can be shown; they
    rank below the text itself when a snippet is chosen.
    """
    found: list[tuple[str, str, str]] = []
    for field, language, text in _fields(case):
        if field in {"keywords", "names"} or not text:
            continue
        if field == "categories":
            found.append((field, language, f"categories: {', '.join(c.value for c in case.categories)}"))
            continue
        pattern = _SENTENCE_END_ZH if language == "zh" else _SENTENCE_END_EN
        found.extend((field, language, part.strip()) for part in pattern.split(text) if part.strip())
    return found


def casebook_dictionary(texts: Iterable[str], domain_terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """The words jieba's full dictionary (plus the domain terms) uses on ``texts``, with its frequencies.

    Every token of the search-mode segmentation, every single character and every two- or three-character
    piece of a token that the full dictionary knows: with these frequencies and the full dictionary's total,
    the segmentation of ``texts`` is the same as with the full dictionary.
    """
    tokenizer = full_tokenizer(tuple(domain_terms))
    vocabulary: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(text):
            vocabulary.update(run)
            for token in tokenizer.cut_for_search(run, HMM=False):
                vocabulary.add(token)
                vocabulary.update(token[i : i + n] for n in (2, 3) for i in range(len(token) - n + 1))
    frequencies = {word: tokenizer.FREQ[word] for word in sorted(vocabulary) if tokenizer.FREQ.get(word)}
    return frequencies, int(tokenizer.total)


def _case_terms(case: Case, segmenter: Segmenter) -> dict[str, defaultdict[str, float]]:
    """Weighted term frequencies of one case, by family: words, bigrams, unigrams."""
    families: dict[str, defaultdict[str, float]] = {
        "words": defaultdict(float),
        "bigrams": defaultdict(float),
        "unigrams": defaultdict(float),
    }
    for field, language, text in _fields(case):
        weight = FIELD_WEIGHTS[field]
        lowered = text.lower()
        words = segmenter.words(text) if language == "zh" else english_words(lowered)
        for word in words:
            families["words"][word] += weight
        if language == "zh":
            for gram in bigrams(text):
                families["bigrams"][gram] += weight
            for char in unigrams(text):
                families["unigrams"][char] += weight
    return families


def _bm25_postings(per_case: list[defaultdict[str, float]]) -> dict[str, str]:
    count = len(per_case)
    lengths = [sum(terms.values()) for terms in per_case]
    average = sum(lengths) / count
    document_frequency: Counter[str] = Counter()
    for terms in per_case:
        document_frequency.update(terms.keys())
    postings: dict[str, list[list[float]]] = defaultdict(list)
    for index, terms in enumerate(per_case):
        norm = _K1 * (1 - _B + _B * lengths[index] / average)
        for term, frequency in terms.items():
            df = document_frequency[term]
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            postings[term].append([index, round(idf * frequency * (_K1 + 1) / (frequency + norm), 4)])
    # One string per term ("case score case score …"): a query parses only its own terms' postings,
    # which keeps loading the index cheap for every search process.
    return {term: " ".join(f"{index} {score:g}" for index, score in postings[term]) for term in sorted(postings)}


_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def traditional_to_simplified(kept: set[str], known: dict[str, str] | None = None) -> dict[str, str]:
    """Traditional character → its simplified form, for every character whose form differs (後 → 后,
    發 and 髮 → 发), leaving out characters in ``kept`` (those the casebook's own text uses).

    The build converts with OpenCC (t2s); without OpenCC (importing a casebook on a machine that has
    none), ``known`` — the bundled index's mapping — serves instead.
    """
    try:
        import opencc
    except ImportError:
        if known is None:
            raise
        mapping = dict(known)
    else:
        converter = opencc.OpenCC("t2s")
        mapping = {}
        for first, last in _CJK_RANGES:
            for code in range(first, last):
                char = chr(code)
                simplified = converter.convert(char)
                if simplified != char and len(simplified) == 1:
                    mapping[char] = simplified
    return {char: simplified for char, simplified in sorted(mapping.items()) if char not in kept}


def english_expansions(groups: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """Each alternative phrase of a group (its terms joined by spaces) → the terms of the group's first
    phrase, the one the dataset's English writes: firm → enterpris, bonded warehouse → comprehens bond zone."""
    expansions: dict[str, set[str]] = defaultdict(set)
    for canonical, *alternatives in groups:
        target = list(english_words(canonical.lower()))
        for phrase in alternatives:
            terms = list(english_words(phrase.lower()))
            extra = [term for term in target if term not in terms]
            if terms and extra:
                expansions[" ".join(terms)].update(extra)
    return {key: sorted(terms) for key, terms in sorted(expansions.items())}


def english_surfaces(texts: Iterable[str]) -> dict[str, str]:
    """Each English term of ``texts`` → the word the texts most often write for it (supervis → supervision)."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        lowered = text.lower()
        for start, end, terms in english_word_terms(lowered):
            for term in terms:
                seen[term][lowered[start:end]] += 1
    return {term: min(words, key=lambda word: (-words[word], word)) for term, words in sorted(seen.items())}


def build_index(
    data: Dataset,
    domain_terms: Iterable[str],
    traditional: dict[str, str] | None = None,
    expansions: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The search index of ``data`` (a JSON-ready dict).

    ``traditional`` is a known traditional → simplified mapping, used when OpenCC is not installed;
    ``expansions`` the English equivalents a query is also read with (``english_expansions``).
    """
    domain_terms = tuple(domain_terms)
    chinese = [text for case in data.cases for _, language, text in _fields(case) if language == "zh"]
    frequencies, total = casebook_dictionary(chinese, domain_terms)
    segmenter = Segmenter(frequencies, total)
    per_family: dict[str, list[defaultdict[str, float]]] = {"words": [], "bigrams": [], "unigrams": []}
    for case in data.cases:
        for family, terms in _case_terms(case, segmenter).items():
            per_family[family].append(terms)
    return {
        "format": INDEX_FORMAT,
        "data_version": data.data_version,
        "dictionary": {"total": total, "frequencies": frequencies},
        # The glossary's Chinese terms, which an imported casebook is segmented with too.
        "domain_terms": sorted(set(domain_terms)),
        # A query in traditional characters is read in simplified ones, character by character; a
        # character the casebook itself uses is never rewritten.
        "traditional": traditional_to_simplified({char for text in chinese for char in text}, traditional),
        # Everyday English a query may use for the text's words, and the words the text writes.
        "english_expansions": expansions or {},
        "english_surfaces": english_surfaces(
            text for case in data.cases for _, language, text in _fields(case) if language == "en"
        ),
        "zones": [[zone.province_zh, *zone_names(zone)] for zone in data.free_trade_zones],
        "areas": [
            [area.name_zh, [area.name_zh, area.name_en, area.short_name_en], [*area.aliases_zh, *area.aliases_en]]
            for area in data.pilot_areas
        ],
        "cases": [
            {
                "number": case.number,
                "id": case.id,
                "title_zh": case.title_zh,
                "title_en": case.title_en,
                "provinces": [[zone.province_zh, zone.province_en, zone.iso_code] for zone in case.providers],
                "areas": [[area.name_zh, area.short_name_en, area.name_en] for area in case.areas],
                "categories": [category.value for category in case.categories],
                "units": sorted({metric.unit.value for metric in case.metrics}),
                "sentences": [list(sentence) for sentence in sentences(case)],
            }
            for case in data.cases
        ],
        "postings": {family: _bm25_postings(terms) for family, terms in per_family.items()},
    }
