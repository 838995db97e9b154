"""What each page of the site shows, read from a collection: plain values the templates lay out.

Nothing here writes HTML; ``site.build`` renders these with the templates. A case's text is walked once
(``Case.parts``), paragraph by paragraph, and each figure is cut out of its paragraph by its own offsets, so the
highlighted text is the record's text to the character.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ftz_reforms.model.vocab import (
    CATEGORY_DEFINITIONS,
    MEASURE_DEFINITIONS,
    Category,
    Measure,
    category_label,
    measure_label,
)
from ftz_reforms.text.english import figure_en, qualifier_en, signed_percent

if TYPE_CHECKING:
    from ftz_reforms.collection import Collection
    from ftz_reforms.model.records import (
        BatchInfo,
        Case,
        Effect,
        FreeTradeZone,
        Metric,
        Part,
        PilotArea,
        SourceDocument,
    )

__all__ = [
    "AreaPage",
    "CasePage",
    "Figure",
    "Site",
    "ZonePage",
    "area_slug",
    "site_of",
]

_PART_NAMES = {"intro": "Introduction", "practice": "Practices", "outcome": "Outcomes"}


def area_slug(area: PilotArea) -> str:
    """The folder of an area's page: its short English name in lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", area.short_name_en).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass(frozen=True)
class Figure:
    """A metric as a page shows it: where it is marked, what it reads as in English, its role."""

    id: str
    span: str
    reading: str
    """The normalized value in English words and digits (about CNY 50,000,000 per year)."""
    role: str
    unit: str
    qualifier: str
    direction: str | None
    description_en: str | None
    sentence: str
    place: str
    """Where it stands: Outcomes, section 2, paragraph 1."""
    marked: bool
    """Whether the text carries its mark (an overlapping figure's anchor is its row in the table instead)."""


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text, or a figure's span (``figure`` set)."""

    text: str
    figure: Figure | None = None


@dataclass(frozen=True)
class Paragraph:
    zh: tuple[Piece, ...]
    en: str | None


@dataclass(frozen=True)
class Block:
    """One part of a case on the page: its heading (a section's), its paragraphs in both languages."""

    where: str
    heading_zh: str | None
    heading_en: str | None
    ordinal: int | None
    paragraphs: tuple[Paragraph, ...]
    starts_part: str | None
    """The part's name when this block is its first: Practices (主要做法), Outcomes (实践效果)."""
    label_zh: str | None


@dataclass(frozen=True)
class EffectRow:
    id: str
    case_id: str
    case_title_zh: str
    case_title_en: str | None
    measure: str
    measure_label: str
    description_en: str | None
    before: Figure | None
    after: Figure | None
    change: Figure | None
    relative_change: str | None
    relative_value: float | None
    consistent: bool | None
    caveat: str | None
    baseline: str | None
    direction: str | None


@dataclass(frozen=True)
class CaseSummary:
    """A case as a listing row shows it."""

    id: str
    number: int
    batch: int
    title_zh: str
    title_en: str | None
    provinces: tuple[FreeTradeZone, ...]
    categories: tuple[str, ...]
    measures: tuple[str, ...]
    figures: int
    effects: int


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str
    csl_json: str


@dataclass(frozen=True)
class CasePage:
    summary: CaseSummary
    case: Case
    blocks: tuple[Block, ...]
    figures: tuple[Figure, ...]
    effects: tuple[EffectRow, ...]
    areas: tuple[tuple[PilotArea, str], ...]
    """Each pilot area the case names, with its page's folder."""
    citation: Citation | None
    document: SourceDocument | None
    has_english: bool
    previous: CaseSummary | None
    following: CaseSummary | None


@dataclass(frozen=True)
class ZonePage:
    zone: FreeTradeZone
    slug: str
    areas: tuple[tuple[PilotArea, str], ...]
    cases: tuple[CaseSummary, ...]


@dataclass(frozen=True)
class AreaPage:
    area: PilotArea
    slug: str
    zone: FreeTradeZone | None
    zone_slug: str | None
    cases: tuple[CaseSummary, ...]


@dataclass(frozen=True)
class Site:
    """Everything the site shows, page by page."""

    title_en: str
    title_zh: str
    data_version: str
    schema_version: str
    package_version: str
    bundled: bool
    """Whether this is the library's own data (else a dataset file: an import, a release)."""
    has_english: bool
    cases: tuple[CaseSummary, ...]
    case_pages: tuple[CasePage, ...]
    zones: tuple[ZonePage, ...]
    areas: tuple[AreaPage, ...]
    effects_by_measure: tuple[tuple[str, str, str, tuple[EffectRow, ...]], ...]
    """(measure, its label, its definition, its effects) for every measure some effect has, in vocabulary order."""
    batches: tuple[BatchInfo, ...]
    documents: tuple[SourceDocument, ...]
    provinces: tuple[FreeTradeZone, ...]
    """The zones some case is credited to, in the order of the zones' table."""
    categories: tuple[tuple[str, str, str], ...]
    """(category, label, definition) of every category some case carries."""
    measures: tuple[tuple[str, str], ...]
    """(measure, label) of every measure some effect has."""
    counts: dict[str, int] = field(default_factory=dict)


def site_of(collection: Collection, *, bundled: bool) -> Site:
    """The site of ``collection``: every page's content, read from its records."""
    from ftz_reforms._version import __version__

    data = collection.data
    cases = collection.cases()
    slugs = _area_slugs(collection.areas())
    summaries = tuple(_summary(case) for case in cases)
    documents = {document.batch: document for document in data.sources}
    case_pages = tuple(
        _case_page(case, summaries, position, slugs, documents.get(case.batch)) for position, case in enumerate(cases)
    )
    effect_rows = [row for page in case_pages for row in page.effects]
    measures = [measure for measure in Measure if any(row.measure == measure.value for row in effect_rows)]
    title_en, title_zh = _titles(data.sources[0])
    return Site(
        title_en=title_en,
        title_zh=title_zh,
        data_version=data.data_version,
        schema_version=data.schema_version,
        package_version=__version__,
        bundled=bundled,
        has_english=any(case.title_en for case in cases),
        cases=summaries,
        case_pages=case_pages,
        zones=tuple(_zone_page(zone, collection, summaries, slugs) for zone in collection.zones()),
        areas=tuple(_area_page(area, collection, summaries, slugs) for area in collection.areas()),
        effects_by_measure=_effects_by_measure(effect_rows, measures),
        batches=collection.batches(),
        documents=data.sources,
        provinces=_provinces(collection),
        categories=_categories(cases),
        measures=tuple((measure.value, measure_label(measure)) for measure in measures),
        counts=_counts(collection, effect_rows),
    )


def _titles(first: SourceDocument) -> tuple[str, str]:
    """The site's title in English and Chinese: its first casebook's, else one that names the batch."""
    return (
        first.title_en or f"Best practice cases of the pilot free trade zones, batch {first.batch}",
        first.title_zh or f"自由贸易试验区第{first.batch}批最佳实践案例",
    )


def _effects_by_measure(
    effect_rows: list[EffectRow], measures: list[Measure]
) -> tuple[tuple[str, str, str, tuple[EffectRow, ...]], ...]:
    return tuple(
        (
            measure.value,
            measure_label(measure),
            MEASURE_DEFINITIONS[measure],
            tuple(row for row in effect_rows if row.measure == measure.value),
        )
        for measure in measures
    )


def _provinces(collection: Collection) -> tuple[FreeTradeZone, ...]:
    """The zones some case is credited to, in the order of the zones' table."""
    credited = {zone.iso_code for case in collection.cases() for zone in case.providers}
    return tuple(zone for zone in collection.zones() if zone.iso_code in credited)


def _categories(cases: tuple[Case, ...]) -> tuple[tuple[str, str, str], ...]:
    """(category, label, definition) of every category some case carries, in vocabulary order."""
    carried = {category for case in cases for category in case.categories}
    return tuple(
        (category.value, category_label(category), CATEGORY_DEFINITIONS[category])
        for category in Category
        if category in carried
    )


def _counts(collection: Collection, effect_rows: list[EffectRow]) -> dict[str, int]:
    metrics = [metric for case in collection.cases() for metric in case.metrics]
    return {
        "cases": len(collection.cases()),
        "figures": len(metrics),
        "effects": len(effect_rows),
        "curated_figures": sum(metric.curated for metric in metrics),
        "curated_effects": sum(effect.curated for case in collection.cases() for effect in case.effects),
        "zones": len(collection.zones()),
        "areas": len(collection.areas()),
    }


def _area_slugs(areas: tuple[PilotArea, ...]) -> dict[str, str]:
    """Each area's page folder by its Chinese name; two areas of one folder are told apart by a number."""
    slugs: dict[str, str] = {}
    taken: Counter[str] = Counter()
    for area in areas:
        slug = area_slug(area) or "area"
        taken[slug] += 1
        slugs[area.name_zh] = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
    return slugs


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        number=case.number,
        batch=case.batch,
        title_zh=case.title_zh,
        title_en=case.title_en,
        provinces=case.providers,
        categories=tuple(category.value for category in case.categories),
        measures=tuple(dict.fromkeys(effect.measure.value for effect in case.effects)),
        figures=len(case.metrics),
        effects=len(case.effects),
    )


def _case_page(
    case: Case,
    summaries: tuple[CaseSummary, ...],
    position: int,
    slugs: dict[str, str],
    document: SourceDocument | None,
) -> CasePage:
    figures_by_part: dict[tuple[str, int | None], list[Metric]] = {}
    for metric in case.metrics:
        figures_by_part.setdefault((metric.where.value, metric.section), []).append(metric)
    blocks: list[Block] = []
    figures: list[Figure] = []
    seen_parts: set[str] = set()
    for part in case.parts():
        block, part_figures = _block(case, part, figures_by_part.get((part.where.value, part.ordinal), []))
        if part.where.value not in seen_parts:
            seen_parts.add(part.where.value)
            block = replace(block, starts_part=_PART_NAMES[part.where.value], label_zh=_label_zh(case, part))
        blocks.append(block)
        figures += part_figures
    by_id = {figure.id: figure for figure in figures}
    document_order = {metric.id: position for position, metric in enumerate(case.metrics)}
    return CasePage(
        summary=summaries[position],
        case=case,
        blocks=tuple(blocks),
        figures=tuple(sorted(figures, key=lambda figure: document_order[figure.id])),
        effects=tuple(_effect_row(case, effect, by_id) for effect in case.effects),
        areas=tuple((area, slugs[area.name_zh]) for area in case.areas if area.name_zh in slugs),
        citation=_citation(case, document) if document is not None else None,
        document=document,
        has_english=case.title_en is not None,
        previous=summaries[position - 1] if position > 0 else None,
        following=summaries[position + 1] if position + 1 < len(summaries) else None,
    )


def _label_zh(case: Case, part: Part) -> str | None:
    if part.where.value == "practice":
        return case.practices_label_zh
    if part.where.value == "outcome":
        return case.outcomes_label_zh
    return None


def _block(case: Case, part: Part, metrics: list[Metric]) -> tuple[Block, list[Figure]]:
    """A part's paragraphs with its figures cut out of them, and those figures in the order they stand."""
    english = part.paragraphs_en
    paragraphs: list[Paragraph] = []
    figures: list[Figure] = []
    ordered = sorted(metrics, key=lambda metric: (metric.start, metric.end))
    starts = part.paragraph_starts_zh
    for number, text in enumerate(part.paragraphs_zh, start=1):
        start = starts[number - 1]
        inside = [metric for metric in ordered if start <= metric.start and metric.end <= start + len(text)]
        pieces, cursor = [], 0
        for metric in inside:
            marked = metric.start - start >= cursor
            figure = _figure(metric, part, number, marked=marked)
            figures.append(figure)
            if not marked:
                continue
            pieces.append(Piece(text[cursor : metric.start - start]))
            pieces.append(Piece(text[metric.start - start : metric.end - start], figure))
            cursor = metric.end - start
        pieces.append(Piece(text[cursor:]))
        paragraphs.append(
            Paragraph(tuple(piece for piece in pieces if piece.text), english[number - 1] if english else None)
        )
    # A figure no paragraph holds whole (offsets that straddle two) still has its row in the table.
    placed = {figure.id for figure in figures}
    figures += [
        _figure(metric, part, part.paragraph_at(metric.start), marked=False)
        for metric in ordered
        if metric.id not in placed
    ]
    section = part.section
    return (
        Block(
            where=part.where.value,
            heading_zh=section.heading_zh if section else None,
            heading_en=section.heading_en if section else None,
            ordinal=section.ordinal if section else None,
            paragraphs=tuple(paragraphs),
            starts_part=None,
            label_zh=None,
        ),
        figures,
    )


def _figure(metric: Metric, part: Part, paragraph: int, *, marked: bool) -> Figure:
    where = _PART_NAMES[part.where.value]
    place = where if part.ordinal is None else f"{where}, section {part.ordinal}"
    return Figure(
        id=metric.id,
        span=metric.span,
        reading=figure_en(metric) + ("".join(f" per {per}" for per in metric.per)),
        role=metric.role.value,
        unit=metric.unit.value,
        qualifier=qualifier_en(metric.qualifier).strip() or "exact",
        direction=metric.direction.value if metric.direction else None,
        description_en=metric.description_en,
        sentence=metric.sentence,
        place=f"{place}, paragraph {paragraph}",
        marked=marked,
    )


def _effect_row(case: Case, effect: Effect, figures: dict[str, Figure]) -> EffectRow:
    def end(metric_id: str | None) -> Figure | None:
        return figures.get(metric_id) if metric_id else None

    return EffectRow(
        id=effect.id,
        case_id=case.id,
        case_title_zh=case.title_zh,
        case_title_en=case.title_en,
        measure=effect.measure.value,
        measure_label=measure_label(effect.measure),
        description_en=effect.description_en,
        before=end(effect.before),
        after=end(effect.after),
        change=end(effect.change),
        relative_change=signed_percent(effect.relative_change) if effect.relative_change is not None else None,
        relative_value=effect.relative_change,
        consistent=effect.consistent,
        caveat=effect.relative_change_caveat,
        baseline=effect.baseline,
        direction=effect.direction.value if effect.direction else None,
    )


def _citation(case: Case, document: SourceDocument) -> Citation:
    """The case cited three ways: the library's sentence, BibTeX and CSL-JSON, from the same facts."""
    pages = f"{case.source.page_start}-{case.source.page_end}"
    title = f"{case.title_en} ({case.title_zh})" if case.title_en else case.title_zh
    publisher = document.publisher_en or document.publisher_zh or ""
    container = document.title_en or document.title_zh or f"Batch {case.batch}"
    year = document.published[:4] if document.published else None
    bibtex_fields = [
        ("title", title),
        ("booktitle", container),
        ("publisher", publisher),
        ("year", year),
        ("pages", pages.replace("-", "--")),
        ("note", f"Case {case.number} [{case.id}]"),
    ]
    bibtex = (
        f"@incollection{{ftz-reforms-{case.id},\n"
        + ",\n".join(f"  {name} = {{{_bibtex_escaped(value)}}}" for name, value in bibtex_fields if value)
        + "\n}"
    )
    csl: dict[str, object] = {
        "id": f"ftz-reforms-{case.id}",
        "type": "chapter",
        "title": title,
        "container-title": container,
        "publisher": publisher,
        "page": pages,
        "number": str(case.number),
        "note": f"Case {case.number} [{case.id}]",
    }
    if year:
        csl["issued"] = {"date-parts": [[int(part) for part in (document.published or "").split("-")]]}
    return Citation(case.citation(document), bibtex, json.dumps([csl], ensure_ascii=False, indent=2))


def _bibtex_escaped(text: str) -> str:
    return re.sub(r"([{}&%$#_\\])", r"\\\1", text)


def _zone_page(
    zone: FreeTradeZone, collection: Collection, summaries: tuple[CaseSummary, ...], slugs: dict[str, str]
) -> ZonePage:
    areas = collection.areas(zone=zone.iso_code)
    return ZonePage(
        zone=zone,
        slug=zone.iso_code.lower(),
        areas=tuple((area, slugs[area.name_zh]) for area in areas),
        cases=tuple(case for case in summaries if any(p.iso_code == zone.iso_code for p in case.provinces)),
    )


def _area_page(
    area: PilotArea, collection: Collection, summaries: tuple[CaseSummary, ...], slugs: dict[str, str]
) -> AreaPage:
    zone = next((zone for zone in collection.zones() if zone.province_zh == area.province_zh), None)
    named = {case.id for case in collection.cases() if any(found.name_zh == area.name_zh for found in case.areas)}
    return AreaPage(
        area=area,
        slug=slugs[area.name_zh],
        zone=zone,
        zone_slug=zone.iso_code.lower() if zone else None,
        cases=tuple(case for case in summaries if case.id in named),
    )
