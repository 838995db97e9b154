"""Build a search index (``index_format.IndexFile``) of a dataset: the bundled one at build time, a loaded
one the first time it is searched (then cached, see ``collection``).

The index holds everything a query needs, so a search never loads the dataset or its models: the
catalogue (``fields.catalogue``), the casebook's vocabulary with jieba's frequencies
(``segmenter.Segmenter``), every case's sentences, and per term family ``term → "case score case score …"``
with BM25F scores computed here, so a query only adds up numbers. Building loads jieba's full dictionary.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from ftz_reforms._progress import step
from ftz_reforms.model.records import Case, Dataset
from ftz_reforms.retrieval.fields import catalogue, fields, sentences
from ftz_reforms.retrieval.index_format import INDEX_FILE, INDEX_FORMAT, IndexFile, TextData
from ftz_reforms.retrieval.jieba_setup import full_tokenizer
from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.retrieval.terms import bigrams, english_word_terms, english_words, unigrams
from ftz_reforms.text.chars import CJK_RUN, IDEOGRAPH_RANGES

__all__ = [
    "FIELD_WEIGHTS",
    "INDEX_FILE",
    "INDEX_FORMAT",
    "build_index",
    "casebook_dictionary",
    "english_expansions",
    "traditional_to_simplified",
]

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
    for field, language, text in fields(case):
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
    average = sum(lengths) / count if count else 1.0
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


# The basic plane's ranges, end exclusive: the mapping the bundled index holds was made over these.
_CJK_RANGES = tuple((first, last + 1) for first, last in IDEOGRAPH_RANGES if last < 0x10000)


def traditional_to_simplified(kept: set[str], known: dict[str, str] | None = None) -> dict[str, str]:
    """Traditional character → its simplified form, for every character whose form differs (後 → 后,
    發 and 髮 → 发), leaving out characters in ``kept`` (those the casebook's own text uses).

    The build converts with OpenCC (t2s, ``known`` None); an imported or loaded dataset starts from
    ``known``, the bundled index's mapping, so its index is the same on every machine, OpenCC or not.
    """
    if known is not None:
        mapping = dict(known)
    else:
        import opencc

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


def _postings(data: Dataset, segmenter: Segmenter) -> dict[str, dict[str, str]]:
    per_family: dict[str, list[defaultdict[str, float]]] = {"words": [], "bigrams": [], "unigrams": []}
    for done, case in enumerate(data.cases, start=1):
        for family, terms in _case_terms(case, segmenter).items():
            per_family[family].append(terms)
        step("indexing for search", done, len(data.cases))
    return {family: _bm25_postings(terms) for family, terms in per_family.items()}


def _texts(data: Dataset, language: str) -> list[str]:
    return [text for case in data.cases for _, text_language, text in fields(case) if text_language == language]


def text_part(
    data: Dataset,
    domain_terms: Iterable[str],
    traditional: dict[str, str] | None = None,
    expansions: dict[str, list[str]] | None = None,
) -> TextData:
    """What ranking and snippets need of ``data`` (see ``index_format.TextData``)."""
    domain_terms = tuple(domain_terms)
    chinese = _texts(data, "zh")
    frequencies, total = casebook_dictionary(chinese, domain_terms)
    return {
        "dictionary": {"total": total, "frequencies": frequencies},
        "domain_terms": sorted(set(domain_terms)),
        # A query in traditional characters is read in simplified ones, character by character; a
        # character the casebook itself uses is never rewritten.
        "traditional": traditional_to_simplified({char for text in chinese for char in text}, traditional),
        "english_expansions": expansions or {},
        "english_surfaces": english_surfaces(_texts(data, "en")),
        "sentences": [json.dumps(sentences(case), ensure_ascii=False) for case in data.cases],
        "postings": _postings(data, Segmenter(frequencies, total)),
    }


def build_index(
    data: Dataset,
    domain_terms: Iterable[str],
    traditional: dict[str, str] | None = None,
    expansions: dict[str, list[str]] | None = None,
    dataset_sha256: str | None = None,
) -> IndexFile:
    """The search index of ``data``, JSON-ready.

    ``traditional`` is the known traditional → simplified mapping an imported dataset starts from (the
    build, given none, converts with OpenCC); ``expansions`` the English equivalents a query is also read
    with (``english_expansions``); ``dataset_sha256`` that of the file ``data`` was read from, if any.
    """
    return {
        "format": INDEX_FORMAT,
        "data_version": data.data_version,
        "dataset_sha256": dataset_sha256,
        "catalogue": catalogue(data),
        "text": text_part(data, domain_terms, traditional, expansions),
    }
