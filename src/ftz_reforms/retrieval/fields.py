"""What of a case is searchable, listed and filtered on: one walk, read by the indexer and by a dataset
that has no index yet.

``fields`` yields every searchable text of a case with its field and language; ``sentences`` cuts them
into the sentences a snippet may show; ``catalogue`` gives, per case, what listing and the filters need
(``index_format.CaseEntry``) and the zones' and areas' names. No jieba here: making a catalogue is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftz_reforms.model.records import Case, Dataset, Part
from ftz_reforms.reference import area_names, zone_names
from ftz_reforms.retrieval.index_format import CaseEntry, CatalogueData, Sentence
from ftz_reforms.text.chars import SENTENCE_END

__all__ = ["case_entry", "catalogue", "fields", "sentences"]

_SENTENCE_END_ZH = re.compile(f"(?<=[{SENTENCE_END}；])")
_SENTENCE_END_EN = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9\"(])")


def fields(case: Case) -> Iterator[tuple[str, str, str]]:
    """(field, language, text) of everything searchable in a case."""
    yield "title", "zh", case.title_zh
    yield "title", "en", case.title_en or ""
    yield "keywords", "zh", " ".join(case.keywords)
    yield "categories", "en", " ".join(category.value.replace("_", " ") for category in case.categories)
    parts = case.parts()
    intro = next(parts)
    yield "summary", "zh", intro.text_zh
    yield "summary", "en", intro.text_en or ""
    yield from _name_fields(case)
    for part in parts:
        yield from _section_fields(part)
    for metric in case.metrics:
        yield "metric", "en", metric.description_en or ""


def _name_fields(case: Case) -> Iterator[tuple[str, str, str]]:
    """Where: the provinces of the case's zones and its pilot areas, in Chinese and English."""
    # Not the boilerplate of the zone names (自由贸易试验区 is in every case's providers).
    for zone in case.providers:
        yield "names", "zh", zone.province_zh
        yield "names", "en", zone.province_en
    for area in case.areas:
        yield "names", "zh", area.name_zh
        yield "names", "en", area.short_name_en


def _section_fields(part: Part) -> Iterator[tuple[str, str, str]]:
    """A section's heading and body, in Chinese and English."""
    section = part.section
    assert section is not None  # every part after the introduction is a section
    yield "heading", "zh", section.heading_zh or ""
    yield "heading", "en", section.heading_en or ""
    yield "body", "zh", part.text_zh
    yield "body", "en", part.text_en or ""


def sentences(case: Case) -> list[Sentence]:
    """(field, language, sentence) a snippet may show, in document order.

    Metric descriptions and the category line are there so that every matched term can be shown; they
    rank below the text itself when a snippet is chosen.
    """
    found: list[Sentence] = []
    for field, language, text in fields(case):
        if field in {"keywords", "names"} or not text:
            continue
        if field == "categories":
            found.append((field, language, f"categories: {', '.join(c.value for c in case.categories)}"))
            continue
        pattern = _SENTENCE_END_ZH if language == "zh" else _SENTENCE_END_EN
        found.extend((field, language, part.strip()) for part in pattern.split(text) if part.strip())
    return found


def case_entry(case: Case) -> CaseEntry:
    """What listing and filtering need of ``case``."""
    return {
        "number": case.number,
        "id": case.id,
        "batch": case.batch,
        "title_zh": case.title_zh,
        "title_en": case.title_en,
        "provinces": [[zone.province_zh, zone.province_en, zone.iso_code] for zone in case.providers],
        "areas": [[area.name_zh, area.short_name_en, area.name_en] for area in case.areas],
        "categories": [category.value for category in case.categories],
        "units": sorted({metric.unit.value for metric in case.metrics}),
    }


def catalogue(data: Dataset) -> CatalogueData:
    """Every case's entry, and the names the province and area filters accept."""
    return {
        "zones": [(zone.province_zh, *zone_names(zone)) for zone in data.free_trade_zones],
        "areas": [(area.name_zh, *area_names(area)) for area in data.pilot_areas],
        "cases": [case_entry(case) for case in data.cases],
    }
