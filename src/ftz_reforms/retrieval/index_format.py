"""The search index file's layout, one typed definition read by the engine and written by the indexer.

An index file has two parts:

- ``catalogue``: what listing and filtering need, per case (number, id, batch, titles, provinces, areas,
  categories, metric units) and the zones' and areas' names; small, so that ``list`` of a large dataset
  reads it without the text part;
- ``text``: what ranking and snippets need: the casebook's dictionary for the segmenter, the traditional
  → simplified mapping, the English equivalents and surfaces, every case's sentences, and per term family
  ``term → "case score case score …"`` with BM25F scores computed at build time.

``format`` is bumped whenever the writer writes something this reader reads differently; ``data_version``
and ``dataset_sha256`` say which data the index was made from, so a stale or foreign index is refused.
"""

from __future__ import annotations

from typing import Any, TypedDict

from ftz_reforms.errors import StaleIndexError

__all__ = [
    "INDEX_FILE",
    "INDEX_FORMAT",
    "CaseEntry",
    "CatalogueData",
    "Dictionary",
    "IndexFile",
    "NameEntry",
    "Sentence",
    "TextData",
    "checked_index",
]

INDEX_FILE = "search_index.json"
INDEX_FORMAT = 4
"""Version of the layout below."""

NameEntry = tuple[str, list[str], list[str]]
"""A zone or area: its key (the Chinese name a case's entry uses), its official names, its aliases."""
Sentence = tuple[str, str, str]
"""(field, language, text) of one sentence a snippet may show: field is title, heading, summary, body,
metric or categories."""


class CaseEntry(TypedDict):
    """What listing, filtering and a hit need of one case, without loading the case."""

    number: int
    id: str
    batch: int
    title_zh: str
    title_en: str | None
    provinces: list[list[str]]
    """[province_zh, province_en, iso_code] of each provider."""
    areas: list[list[str]]
    """[name_zh, short_name_en, name_en] of each pilot area named."""
    categories: list[str]
    units: list[str]
    """Every unit a metric of the case uses, sorted."""


class CatalogueData(TypedDict):
    zones: list[NameEntry]
    areas: list[NameEntry]
    cases: list[CaseEntry]


class Dictionary(TypedDict):
    total: int
    frequencies: dict[str, int]


class TextData(TypedDict):
    dictionary: Dictionary
    domain_terms: list[str]
    """The glossary's Chinese terms, which an imported casebook is segmented with too."""
    traditional: dict[str, str]
    """Traditional → simplified character, never a character the casebook itself uses."""
    english_expansions: dict[str, list[str]]
    english_surfaces: dict[str, str]
    sentences: list[str]
    """Per case, in catalogue order: its sentences (a list of ``Sentence``) as one JSON text, decoded only for
    the cases a search shows."""
    postings: dict[str, dict[str, str]]
    """Per family (words, bigrams, unigrams): term → "case score case score …"."""


class IndexFile(TypedDict):
    format: int
    data_version: str
    dataset_sha256: str | None
    """SHA-256 of the dataset file the index was made from (None for an index of data held in memory)."""
    catalogue: CatalogueData
    text: TextData


def checked_index(raw: Any, where: str, data_version: str, dataset_sha256: str | None = None) -> IndexFile:
    """``raw`` when it is an index this reader can use for that data; else a :class:`StaleIndexError`.

    ``dataset_sha256`` (when given) must match too: an index of other data is never used.
    """
    fields = ("format", "data_version", "dataset_sha256")
    found = tuple(raw.get(name) for name in fields) if isinstance(raw, dict) else (None, None, None)
    wanted = (INDEX_FORMAT, data_version, dataset_sha256 if dataset_sha256 is not None else found[2])
    if found != wanted or not isinstance(raw.get("catalogue"), dict) or not isinstance(raw.get("text"), dict):
        made_for = f"data {found[1]}" + (f" (sha256 {str(found[2])[:12]})" if found[2] else "")
        raise StaleIndexError(
            f"{where} is a search index of format {found[0]} for {made_for}, but this ftz-reforms reads "
            f"format {INDEX_FORMAT} for data {data_version}: rebuild it (python -m ftz_reforms.bundling, in a "
            "source checkout) or reinstall ftz-reforms"
        )
    index: IndexFile = raw  # checked above as far as the layout's version
    return index
