"""The data contract: typed, frozen records for the casebook (DESIGN.md §2).

Every model is immutable (``frozen=True``), rejects unknown fields (``extra="forbid"``) and describes
each field; the descriptions flow into the published JSON Schema. Sequences are tuples so a record can
never be changed through a list it holds.
"""

# No ``from __future__ import annotations`` here: pydantic would then evaluate every field's annotation
# from a string when each class is created, a cost paid by every process that loads the dataset.
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ftz_reforms.vocab import Category, Direction, Qualifier, Role, Unit, Where

__all__ = [
    "Case",
    "Dataset",
    "Figure",
    "FreeTradeZone",
    "Metric",
    "PilotArea",
    "Record",
    "Section",
    "SourceDocument",
    "SourceLocation",
]

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
CaseId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}$")]
MetricId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}-m[0-9]{2,}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
IsoSubdivision = Annotated[str, StringConstraints(pattern=r"^CN-[A-Z]{2}$")]
SemVer = Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]
AsOf = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2})?)?$")]


class Record(BaseModel):
    """Base of every record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class FreeTradeZone(Record):
    """One of China's pilot free trade zones (自由贸易试验区), named after its province."""

    province_zh: NonEmpty = Field(description="Province-level division in Chinese, e.g. 广东.")
    province_en: NonEmpty = Field(description="Province-level division in English, e.g. Guangdong.")
    iso_code: IsoSubdivision = Field(description="ISO 3166-2 code of the division, e.g. CN-GD.")
    name_zh: NonEmpty = Field(description="Official Chinese name, e.g. 中国（广东）自由贸易试验区.")
    name_en: NonEmpty = Field(
        description="Official English name in the government's pattern, e.g. China (Guangdong) Pilot Free Trade Zone."
    )
    established: int = Field(ge=2013, description="Year the State Council approved the zone's overall plan.")


class PilotArea(Record):
    """A pilot area (片区) of a free trade zone."""

    name_zh: NonEmpty = Field(description="Chinese name as written in the casebook, e.g. 广州南沙新区片区.")
    name_en: NonEmpty = Field(
        description="Full English name, e.g. Nansha Area of the China (Guangdong) Pilot Free Trade Zone."
    )
    short_name_en: NonEmpty = Field(description="Short English name, e.g. Nansha Area.")
    province_zh: NonEmpty = Field(description="Province of the zone the area belongs to, e.g. 广东.")


class SourceLocation(Record):
    """Where a case sits in the source text file and in the printed document."""

    line_start: int = Field(ge=1, description="First line of the case in the source file (1-based).")
    line_end: int = Field(ge=1, description="Last line of the case in the source file (inclusive).")
    page_start: int = Field(ge=1, description="Printed page on which the case starts.")
    page_end: int = Field(ge=1, description="Printed page on which the case ends.")


class Section(Record):
    """A numbered sub-section （一）… of a case's practices or outcomes, or an unnumbered block."""

    ordinal: int | None = Field(
        ge=1,
        description="1-based number of the sub-section (（一） is 1); null for an unnumbered block.",
    )
    heading_zh: NonEmpty | None = Field(
        description="The sub-section's heading without its （一） marker; null when there is none."
    )
    heading_en: NonEmpty | None = Field(default=None, description="English translation of the heading.")
    text_zh: NonEmpty = Field(description="The body, normalized source text.")
    text_en: NonEmpty | None = Field(default=None, description="English translation of the body.")
    points: tuple[NonEmpty, ...] = Field(
        default=(),
        description="The enumerated points (一是…, 二是…) of the body, verbatim, when it has them.",
    )


class _FigureFields(Record):
    """What a figure states, shared by a figure found in any text and a metric of the dataset."""

    span: NonEmpty = Field(
        description="Exact text of the figure with its qualifier and unit, as in the normalized text."
    )
    sentence: NonEmpty = Field(description="The normalized sentence that holds the span.")
    value: float = Field(description="Normalized value (万/亿 applied; fractions as percent).")
    value_max: float | None = Field(default=None, description="Upper end of a range; null otherwise.")
    unit: Unit = Field(description="Unit of the value.")
    classifier: NonEmpty | None = Field(
        default=None, description="Measure word of a count (家, 项, 艘, 人次…); null otherwise."
    )
    per: tuple[NonEmpty, ...] = Field(
        default=(), description="Denominators of a rate: 元/天/车 gives ('day', 'vehicle')."
    )
    qualifier: Qualifier = Field(description="How the text qualifies the figure.")
    role: Role = Field(description="What the figure is within its sentence.")
    direction: Direction | None = Field(default=None, description="up or down for a change; null for every other role.")
    as_of: AsOf | None = Field(
        default=None,
        description="Time the text pins the figure to: 2022, 2023-03, 2023-06-12, or a period 2023-01/2023-06.",
    )


class Figure(_FigureFields):
    """A quantified figure found by ``extract_metrics`` in any Chinese text."""

    start: int = Field(ge=0, description="Offset of the span in the text it was found in.")
    end: int = Field(ge=1, description="Offset just past the span.")


class Metric(_FigureFields):
    """One quantified figure reported by a case, traceable to the sentence it came from."""

    id: MetricId = Field(description="Stable identifier, e.g. b5-01-m03.")
    where: Where = Field(description="Part of the case the figure is in.")
    section: int | None = Field(
        ge=1, description="Ordinal of the section holding the figure; null for the intro or an unnumbered block."
    )
    description_en: NonEmpty | None = Field(default=None, description="What is measured, as a short English phrase.")


class Case(Record):
    """One best-practice case of the casebook."""

    id: CaseId = Field(description="Stable, citable identifier: b<batch>-<number>, e.g. b5-01.")
    number: int = Field(ge=1, description="1-based position of the case in the casebook.")
    batch: int = Field(ge=1, description="Batch of best-practice cases the case belongs to.")
    title_zh: NonEmpty = Field(description="Title, normalized source text.")
    title_en: NonEmpty | None = Field(default=None, description="English translation of the title.")
    providers: tuple[FreeTradeZone, ...] = Field(
        min_length=1, description="The free trade zone(s) credited with the case, in source order."
    )
    areas: tuple[PilotArea, ...] = Field(
        default=(), description="Pilot areas (片区) named in the introduction, in order of first mention."
    )
    summary_zh: NonEmpty = Field(description="The introductory paragraph, normalized source text.")
    summary_en: NonEmpty | None = Field(default=None, description="English translation of the summary.")
    practices_label_zh: NonEmpty = Field(
        description="The label of the practices part as printed: 主要做法 or 主要举措."
    )
    practices: tuple[Section, ...] = Field(
        min_length=1, description="What was done (一、主要做法), section by section."
    )
    outcomes_label_zh: NonEmpty = Field(description="The label of the outcomes part as printed: 实践效果 or 主要成效.")
    outcomes: tuple[Section, ...] = Field(
        min_length=1, description="What it achieved (二、实践效果), section by section."
    )
    metrics: tuple[Metric, ...] = Field(default=(), description="Quantified figures, in document order.")
    categories: tuple[Category, ...] = Field(
        default=(), description="Policy domains from the controlled category vocabulary, most central first."
    )
    keywords: tuple[NonEmpty, ...] = Field(default=(), description="Key terms of the case, computed at build time.")
    source: SourceLocation = Field(description="Where the case sits in the source.")

    @model_validator(mode="after")
    def _metrics_trace_to_the_text(self) -> "Case":
        if not self.metrics:
            return self
        # Each part's texts joined once; normalized text has no line breaks, so no sentence spans two.
        texts: dict[tuple[Where, int | None], str] = {(Where.INTRO, None): self.summary_zh}
        for where, sections in ((Where.PRACTICE, self.practices), (Where.OUTCOME, self.outcomes)):
            for section in sections:
                key = (where, section.ordinal)
                texts[key] = f"{texts[key]}\n{section.text_zh}" if key in texts else section.text_zh
        prefix = f"{self.id}-m"
        for index, metric in enumerate(self.metrics):
            if not metric.id.startswith(prefix):
                problem = f"a metric id starts with its case id {prefix}"
            elif metric.span not in metric.sentence:
                problem = f"span {metric.span!r} is not in its sentence"
            elif metric.sentence not in texts.get((metric.where, _ordinal_of(metric)), ""):
                problem = f"its sentence is not in the {metric.where.value} text it names"
            else:
                continue
            raise ValueError(f"metrics[{index}] ({metric.id}): {problem}")
        return self

    def citation(self, document: "SourceDocument | None" = None) -> str:
        """How to cite this case: publisher, year, source document, case number and id, title, pages.

        ``document`` defaults to the bundled dataset's source document.
        """
        if document is None:
            from ftz_reforms.store import dataset  # the store imports this module

            document = dataset().source
        year = f" ({document.published[:4]})" if document.published else ""
        title = f"{self.title_en} ({self.title_zh})" if self.title_en else self.title_zh
        pages = (
            f"p. {self.source.page_start}"
            if self.source.page_start == self.source.page_end
            else f"pp. {self.source.page_start}-{self.source.page_end}"
        )
        return (
            f"{document.publisher_en}{year}. {document.title_en} ({document.title_zh}), "
            f"case {self.number} [{self.id}]: {title}, {pages}."
        )


def _ordinal_of(metric: Metric) -> int | None:
    """The section a metric names; the introduction has none, whatever the metric says."""
    return None if metric.where is Where.INTRO else metric.section


class SourceDocument(Record):
    """The document the dataset is built from."""

    title_zh: NonEmpty = Field(description="Title of the document in Chinese.")
    title_en: NonEmpty = Field(description="Title of the document in English.")
    publisher_zh: NonEmpty = Field(description="Issuing body in Chinese.")
    publisher_en: NonEmpty = Field(description="Issuing body in English.")
    batch: int = Field(ge=1, description="Batch number of the best-practice cases.")
    published: NonEmpty | None = Field(description="When the batch was announced (YYYY-MM).")
    facts_basis: NonEmpty = Field(
        description="Where the title, publisher, batch and date come from (press reports, not the text)."
    )
    file: NonEmpty = Field(description="Path of the verbatim source copy within the repository.")
    sha256: Sha256 = Field(description="SHA-256 of the verbatim source file.")
    page_start: int = Field(ge=1, description="First printed page covered by the source text.")
    page_end: int = Field(ge=1, description="Last printed page covered by the source text.")
    licence: NonEmpty = Field(description="Copyright status and attribution note.")


class Dataset(Record):
    """The whole dataset: the casebook's cases with their source and versions."""

    schema_version: SemVer = Field(description="Version of the data contract (this schema).")
    data_version: SemVer = Field(description="Version of the data.")
    source: SourceDocument = Field(description="The document the cases come from.")
    free_trade_zones: tuple[FreeTradeZone, ...] = Field(
        description="Reference table of all pilot free trade zones, in order of establishment."
    )
    cases: tuple[Case, ...] = Field(description="The cases, in document order.")
