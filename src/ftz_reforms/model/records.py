"""The data contract: typed, frozen records for the casebook (DESIGN.md §2).

Every model is immutable (``frozen=True``), rejects unknown fields (``extra="forbid"``) and describes
each field in a docstring written under it; ``field_descriptions`` reads them, and they flow into the
published JSON Schema. Sequences are tuples so a record can never be changed through a list it holds.

Every process that loads the dataset defines these classes, so they are written to be cheap to define:
no ``from __future__ import annotations`` (pydantic would evaluate each annotation from a string),
constraints in reusable ``Annotated`` types, and descriptions as docstrings rather than ``Field(...)``
calls, which pydantic copies and merges field by field. Together that is about a quarter of the time the
classes take to define.
"""

import ast
import bisect
import inspect
import itertools
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator

from ftz_reforms.errors import ArgumentError, ReferenceNotFoundError, WithdrawnError, short_value
from ftz_reforms.model.bounds import (
    CONTROL_CHARACTER_PATTERN,
    FIRST_ZONE_YEAR,
    LAST_YEAR,
    MAX_AREA_KM2,
    MAX_BATCH,
    MAX_CASE_NUMBER,
    MAX_FIGURE,
    MAX_LINE,
    MAX_ORDINAL,
    MAX_PAGE,
    MAX_TEXT,
    YEAR_AND_MONTH,
    control_character_problem,
)
from ftz_reforms.model.vocab import (
    BASELINES,
    AreaKind,
    Category,
    Direction,
    Measure,
    Qualifier,
    Role,
    Unit,
    Verification,
    Where,
)

__all__ = [
    "BatchInfo",
    "Case",
    "Dataset",
    "Effect",
    "FigureFields",
    "FreeTradeZone",
    "History",
    "Metric",
    "Part",
    "PilotArea",
    "Record",
    "Section",
    "SourceDocument",
    "SourceLocation",
    "Withdrawn",
    "field_descriptions",
    "natural_order",
    "paragraph_problem",
    "points_problem",
    "split_paragraphs",
]


def _no_control_character(text: str) -> str:
    problem = control_character_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


NonEmpty = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT),
    AfterValidator(_no_control_character),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "not": {"pattern": CONTROL_CHARACTER_PATTERN}}
    ),
]
"""Text: at least one character, no control character (``bounds.CONTROL_CHARACTERS``; the error names it
and its position), at most ``MAX_TEXT`` characters. Every free-text field is one; every other string has a
pattern or a vocabulary that admits no control character either."""
Positive = Annotated[int, Field(ge=1)]
"""A 1-based number with no bound of its own (an extracted figure's end in any text); the records' numbers
are the bounded types below."""
BatchNumber = Annotated[int, Field(ge=1, le=MAX_BATCH)]
CaseNumber = Annotated[int, Field(ge=1, le=MAX_CASE_NUMBER)]
"""A case's number, or a count of cases."""
Ordinal = Annotated[int, Field(ge=1, le=MAX_ORDINAL)]
"""A sub-section's ordinal, as its （一） marker writes it: 1 to 99."""
Line = Annotated[int, Field(ge=1, le=MAX_LINE)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
CaseId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}$")]
MetricId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}-m[0-9]{2,}$")]
EffectId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}-e[0-9]{2,}$")]
RecordId = Annotated[str, StringConstraints(pattern=r"^b[0-9]+-[0-9]{2,}(-[me][0-9]{2,})?$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
IsoSubdivision = Annotated[str, StringConstraints(pattern=r"^CN-[A-Z]{2}$")]
Area = Annotated[float, Field(gt=0, le=MAX_AREA_KM2, allow_inf_nan=False)]
"""A planned size in km²."""
Finite = Annotated[float, Field(ge=-MAX_FIGURE, le=MAX_FIGURE, allow_inf_nan=False)]
"""A figure's value or an effect's relative change: a finite number of at most ``MAX_FIGURE`` either way."""
Year = Annotated[int, Field(ge=1990, le=LAST_YEAR)]
ZoneYear = Annotated[int, Field(ge=FIRST_ZONE_YEAR, le=LAST_YEAR)]


def _month(text: str) -> str:
    if YEAR_AND_MONTH.fullmatch(text) is None:
        raise ValueError("not a year and month as YYYY-MM")
    return text


Month = Annotated[
    str, AfterValidator(_month), WithJsonSchema({"type": "string", "pattern": f"^{YEAR_AND_MONTH.pattern}$"})
]
"""A year and month (YYYY-MM, 2024-01); the error says so in words."""
Offset = Annotated[int, Field(ge=0, le=MAX_TEXT)]
"""A position in a text, in Unicode code points."""
End = Annotated[int, Field(ge=1, le=MAX_TEXT)]
"""Where a span of a text ends (exclusive)."""
ParagraphStarts = Annotated[tuple[Offset, ...], Field(min_length=1)]
"""Where the paragraphs of a text start: offsets into it, the first 0."""
SemVer = Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]
AsOf = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?(/[0-9]{4}(-(0[1-9]|1[0-2]))?)?$"
    ),
]
Baseline = Annotated[
    str, StringConstraints(pattern=r"^(?:[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?|" + "|".join(BASELINES) + ")$")
]
"""What a change is compared with: a year (2017) or month (2017-06), or one of BASELINES."""
Since = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?$")]


def _describe_properties(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each property of a model's JSON Schema the docstring written under its field."""
    descriptions = field_descriptions(model)
    for name, property_schema in schema.get("properties", {}).items():
        property_schema["description"] = descriptions[name]


class Record(BaseModel):
    """Base of every record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, json_schema_extra=_describe_properties)


@cache
def field_descriptions(model: type[BaseModel]) -> dict[str, str]:
    """Each field of a record class and the docstring written under it (inherited fields included).

    Read from the module's source (only when asked for: the JSON Schema, the tests); a field without a
    docstring is an error, so the published schema can never lack a description.
    """
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, Record) and cls is not Record:
            found.update(_attribute_docstrings(cls))
    missing = [name for name in model.model_fields if name not in found]
    if missing:
        raise TypeError(f"{model.__name__}: no docstring under the field(s) {', '.join(missing)}")
    return {name: found[name] for name in model.model_fields}


def _attribute_docstrings(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError) as error:
        raise RuntimeError(
            f"the field descriptions of {cls.__name__} are read from its source, which is not available: {error}"
        ) from error
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for statement, following in zip(body.body, body.body[1:]):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


class FreeTradeZone(Record):
    """One of China's pilot free trade zones (自由贸易试验区), named after its province."""

    province_zh: NonEmpty
    """Province-level division in Chinese, e.g. 广东."""
    province_en: NonEmpty
    """Province-level division in English, e.g. Guangdong."""
    iso_code: IsoSubdivision
    """ISO 3166-2 code of the division, e.g. CN-GD."""
    name_zh: NonEmpty
    """Official Chinese name, e.g. 中国（广东）自由贸易试验区."""
    name_en: NonEmpty
    """Official English name in the government's pattern, e.g. China (Guangdong) Pilot Free Trade Zone."""
    established: ZoneYear
    """Year the State Council approved the zone's overall plan."""
    size_km2: Area | None = None
    """Total planned size in km² where a source states it; null otherwise (the note says why)."""
    note: NonEmpty | None = None
    """What the reference facts leave open or how they were put together."""
    sources: tuple[NonEmpty, ...] = ()
    """Where the reference facts come from (addresses of the pages that state them)."""


class PilotArea(Record):
    """A pilot area (片区) of a free trade zone, as the reference table of every zone's areas holds it."""

    name_zh: NonEmpty
    """Official Chinese name, e.g. 广州南沙新区片区."""
    name_en: NonEmpty
    """Full English name, e.g. Nansha Area of the China (Guangdong) Pilot Free Trade Zone."""
    short_name_en: NonEmpty
    """Short English name, e.g. Nansha Area."""
    province_zh: NonEmpty
    """Province of the zone the area belongs to, e.g. 广东."""
    kind: AreaKind
    """What kind of place the area is: a plan area, one of Shanghai's bonded areas of 2013, a special area…"""
    established: Year
    """Year the area was set up (the year of the plan that named it)."""
    size_km2: Area | None = None
    """Planned size in km² where a source states it; null otherwise, never a guess."""
    aliases_zh: tuple[NonEmpty, ...] = ()
    """Other Chinese names in use (short forms, former names), e.g. 南沙片区."""
    aliases_en: tuple[NonEmpty, ...] = ()
    """Other English names in use, e.g. South Sichuan Port Area."""
    part_of: NonEmpty | None = None
    """Chinese name of the area this one is grouped under (舟山片区 for the Zhoushan areas of 2017)."""
    status: Verification
    """How far the sources confirm the row's facts; the note says what is open."""
    note: NonEmpty | None = None
    """What the reference facts leave open, or a fact a reader should know (a merger, a successor)."""
    sources: tuple[NonEmpty, ...] = ()
    """Where the reference facts come from (addresses of the pages that state them)."""


class BatchInfo(Record):
    """One batch of the series of best practice cases: when it was announced, how many cases it holds, who
    issued it, and whether this dataset holds its cases. Every fact with its sources; none derived."""

    number: BatchNumber
    """The batch's number in the series (第N批)."""
    announced: Month | None = None
    """When the batch was announced (YYYY-MM); null when no source states it."""
    cases: CaseNumber | None = None
    """How many cases the batch holds, as a source states it; null when none does (never counted from data)."""
    issuer: NonEmpty | None = None
    """Who issued or announced the batch, in English as the sources name it; null when not stated."""
    issuer_zh: NonEmpty | None = None
    """Who issued or announced the batch, in Chinese; null when not stated."""
    bundled: bool = False
    """Whether this dataset holds the batch's cases."""
    status: Verification = Verification.UNVERIFIED
    """How far the sources confirm the row's facts; the note says what is open."""
    note: NonEmpty | None = None
    """What the sources leave open, or how they disagree."""
    sources: tuple[NonEmpty, ...] = ()
    """Where the facts come from (addresses of the pages that state them)."""


class SourceLocation(Record):
    """Where a case sits in the source text file and in the printed document."""

    line_start: Line
    """First line of the case in the source file (1-based)."""
    line_end: Line
    """Last line of the case in the source file (inclusive)."""
    page_start: Page
    """Printed page on which the case starts."""
    page_end: Page
    """Printed page on which the case ends."""


class Section(Record):
    """A numbered sub-section （一）… of a case's practices or outcomes, or an unnumbered block."""

    ordinal: Ordinal | None
    """1-based number of the sub-section (（一） is 1); null for an unnumbered block."""
    heading_zh: NonEmpty | None
    """The sub-section's heading without its （一） marker; null when there is none."""
    heading_en: NonEmpty | None = None
    """English translation of the heading."""
    text_zh: NonEmpty
    """The body, normalized source text."""
    text_en: NonEmpty | None = None
    """English translation of the body."""
    paragraph_starts_zh: ParagraphStarts = (0,)
    """Where each paragraph of the body starts: code-point offsets into text_zh, the first 0. The
    casebook's paragraphs, recovered from its layout (a paragraph's first line is indented, its last line
    ends early); as offsets, they leave text_zh and every metric's offsets into it unchanged."""
    paragraph_starts_en: tuple[Offset, ...] = ()
    """Where each paragraph of the English body starts: offsets into text_en, whose paragraphs are joined
    by one space. As many as paragraph_starts_zh; empty when there is no English. A record that gives
    neither (schema 2.0) is one paragraph in each language."""
    points: tuple[NonEmpty, ...] = ()
    """The enumerated points of the body, verbatim, when it has them: 一是…, 二是…, or the two halves of
    a 一方面…另一方面 pair, which enumerate two points just as 一是…二是 do."""

    @property
    def paragraphs_zh(self) -> tuple[str, ...]:
        """The body's paragraphs."""
        return split_paragraphs(self.text_zh, self.paragraph_starts_zh)

    @property
    def paragraphs_en(self) -> tuple[str, ...]:
        """The English body's paragraphs; empty when there is no English."""
        return split_paragraphs(self.text_en, self.paragraph_starts_en)

    @model_validator(mode="before")
    @classmethod
    def _english_is_one_paragraph_unless_told(cls, data: Any) -> Any:
        return _default_english_paragraph(data, "text_en", "paragraph_starts_en")

    @model_validator(mode="after")
    def _paragraphs_fit_the_text(self) -> "Section":
        problem = paragraph_problem(self.text_zh, self.paragraph_starts_zh, self.text_en, self.paragraph_starts_en)
        if problem is not None:
            raise ValueError(problem.format(field="paragraph_starts"))
        return self

    @model_validator(mode="after")
    def _points_are_quoted_from_the_text(self) -> "Section":
        problem = points_problem(self.text_zh, self.points)
        if problem is not None:
            raise ValueError(problem)
        return self


def points_problem(text: str, points: tuple[str, ...]) -> str | None:
    """What is wrong with a section's points, or None: each is quoted from ``text``, in order, each after the
    one before (where a reader finds them: ``show`` sets each off as a bullet of the text)."""
    cursor = 0
    for index, point in enumerate(points):
        found = text.find(point, cursor)
        if found < 0:
            where = "text_zh" if index == 0 or point not in text else f"text_zh after points[{index - 1}]"
            return (
                f"points[{index}] {_quoted(point)} does not occur in {where}: a point is quoted from its text, in order"
            )
        cursor = found + len(point)
    return None


def _quoted(text: str, longest: int = 30) -> str:
    return repr(text if len(text) <= longest else text[: longest - 1] + "…")


def _default_english_paragraph(data: Any, text_field: str, starts_field: str) -> Any:
    """Read a record without English paragraph starts (schema 2.0) as one English paragraph, like its Chinese."""
    if isinstance(data, dict) and starts_field not in data and data.get(text_field) is not None:
        return {**data, starts_field: (0,)}
    return data


def split_paragraphs(text: str | None, starts: tuple[int, ...]) -> tuple[str, ...]:
    """The paragraphs of ``text`` that start at ``starts``, without the space that joins one to the next."""
    if text is None:
        return ()
    ends = (*starts[1:], len(text))
    return tuple(text[start:end].rstrip(" ") for start, end in zip(starts, ends))


def paragraph_problem(
    text_zh: str, starts_zh: tuple[int, ...], text_en: str | None, starts_en: tuple[int, ...]
) -> str | None:
    """What is wrong with the paragraph starts of a text and its English, or None; ``{field}`` names the field."""
    for language, text, starts in (("zh", text_zh, starts_zh), ("en", text_en, starts_en)):
        problem = _starts_problem(language, text, starts)
        if problem is not None:
            return problem
    if text_en is not None and len(starts_en) != len(starts_zh):
        return (
            f"{{field}}_en has {len(starts_en)} {'start' if len(starts_en) == 1 else 'starts'} for the "
            f"{len(starts_zh)} paragraphs of {{field}}_zh: the English keeps the Chinese paragraphs"
        )
    return None


def _starts_problem(language: str, text: str | None, starts: tuple[int, ...]) -> str | None:
    """What is wrong with the paragraph starts of one language's text, or None (as ``paragraph_problem``)."""
    if text is None:
        return f"{{field}}_{language} must be empty when there is no text_{language}" if starts else None
    if not starts or starts[0] != 0:
        return f"{{field}}_{language} must start with 0, where the first paragraph starts; got {list(starts)}"
    if any(b <= a for a, b in itertools.pairwise(starts)) or starts[-1] >= len(text):
        return (
            f"{{field}}_{language} must increase and stay inside the text ({len(text)} characters); got {list(starts)}"
        )
    if language == "en" and not _joined_by_one_space(text, starts):
        return f"{{field}}_en {list(starts)}: an English paragraph starts just after the one space that joins it"
    return None


def _joined_by_one_space(text: str, starts: tuple[int, ...]) -> bool:
    """Whether each paragraph of ``text`` after the first starts just after one space (English paragraphs are
    joined by one)."""
    return all(text[start - 1] == " " and text[start] != " " for start in starts[1:])


class History(Record):
    """When a record first appeared and last changed: data versions, kept by the build from release to release
    (``bundling.releases``). Null in a file written before schema 2.5."""

    first_seen: SemVer | None = None
    """The data version in which the record first appeared with this id (an import: its own data version)."""
    last_changed: SemVer | None = None
    """The data version in which any of the record's fields last changed (first_seen when none has since)."""


class Withdrawn(Record):
    """A published id whose record was removed: the id is never used again, and a lookup of it says why."""

    id: RecordId
    """The withdrawn case, metric or effect id."""
    data_version: SemVer
    """The data version that withdrew it (the last that held it is the one before)."""
    reason: NonEmpty
    """Why it was withdrawn, as a sentence a reader can check against the text."""


class FigureFields(Record):
    """What a figure states: the fields a metric of the dataset shares with ``extract.Figure``."""

    span: NonEmpty
    """Exact text of the figure with its qualifier and unit, as in the normalized text."""
    sentence: NonEmpty
    """The normalized sentence that holds the span."""
    value: Finite
    """Normalized value (万/亿 applied; fractions as percent)."""
    value_max: Finite | None = None
    """Upper end of a range; null otherwise."""
    unit: Unit
    """Unit of the value."""
    classifier: NonEmpty | None = None
    """Measure word of a count (家, 项, 艘, 人次…); null otherwise."""
    per: tuple[NonEmpty, ...] = ()
    """Denominators of a rate: 元/天/车 gives ('day', 'vehicle')."""
    qualifier: Qualifier
    """How the text qualifies the figure."""
    role: Role
    """What the figure is within its sentence."""
    direction: Direction | None = None
    """up or down for a change; null for every other role."""
    as_of: AsOf | None = None
    """Time the text pins the figure to: 2022, 2023-03, 2023-06-12, or a period 2023-01/2023-06. By rule,
    a time expression earlier in the figure's own sentence and clause group (no ；between them) pins it; a
    figure pinned by anything else (a lead-in sentence that governs what follows) says so in its overlay,
    with the reason."""
    baseline: Baseline | None = None
    """What a change is compared with, as the text states it: a year (较2017年 → 2017), same_period_last_year
    (同比), previous_period (环比) or before_reform (比改革前, 相比传统模式); null for any other figure."""
    since: Since | None = None
    """Start of a cumulative figure: 自2020年4月…以来 → 2020-04, 2021年以来 → 2021; null otherwise."""


class Metric(FigureFields, History):
    """One quantified figure reported by a case, traceable to the sentence it came from."""

    id: MetricId
    """Permanent identifier, e.g. b5-01-m03: it names this figure in every release and is never reused; ids of
    figures added later take the next unused number of their case, so they need not follow document order."""
    where: Where
    """Part of the case the figure is in."""
    section: Ordinal | None
    """Ordinal of the section holding the figure; null for the intro or an unnumbered block."""
    description_en: NonEmpty | None = None
    """What is measured, as a short English phrase."""
    curated: bool
    """Whether a curator reviewed the figure (its description and the rules' decisions); false for a
    figure extracted from an imported casebook, as the rules found it."""
    start: Offset
    """Where the span starts in the text of the part the metric names (the case's summary_zh for the
    intro, else the text_zh of its section), in Unicode code points: text[start:end] == span, as a W3C
    Web Annotation TextPositionSelector."""
    end: End
    """Where the span ends in that text (exclusive)."""
    restates: MetricId | None = None
    """The id of an earlier metric of the same case that this figure repeats (the same value and unit),
    so that sums can skip repeats; null for a figure reported once."""


class Effect(History):
    """One statement that the reform changed a quantity, figure linked to figure (see ``ROLE_RULE`` and
    the effect rules of ``ftz_reforms.text.effects``)."""

    id: EffectId
    """Permanent identifier, e.g. b5-08-e01 (as for metrics: never reused, not necessarily in document order)."""
    where: Where
    """Part of the case the statement is in."""
    section: Ordinal | None
    """Ordinal of the section holding the statement; null for the intro or an unnumbered block."""
    measure: Measure
    """What quantity changed, from the measure vocabulary."""
    description_en: NonEmpty | None = None
    """What changed, as a short English phrase; null for an uncurated effect of an imported casebook."""
    before: MetricId | None = None
    """The metric stating the quantity before the change; null when the text states none."""
    after: MetricId | None = None
    """The metric stating the quantity the change reached; null when the text states none."""
    change: MetricId | None = None
    """The metric stating the size of the change (an amount, a percent or a multiple); null when none."""
    direction: Direction | None = None
    """up or down (a saving or reduction is down); null only for an uncurated effect whose text does not say."""
    baseline: Baseline | None = None
    """What the change is compared with (as on Metric)."""
    relative_change: Finite | None = None
    """Percent, signed (−75.0 for 20 → 5 minutes): computed from the two ends when both are stated in one unit
    or in units with an exact conversion (minute, hour, day; a working day is never converted), else the
    stated change when it is a percent or a multiple (是…的2.5倍 → +150.0), else null."""
    relative_change_qualifier: Qualifier | None = None
    """How exact relative_change is, in the qualifier vocabulary: exact from exact figures; a bound when a
    figure it comes from is one (2万余件 → 7万件: at most +250%, as 'more than 20,000' may be more); approx
    for an approximate figure; null when there is no relative change."""
    relative_change_caveat: NonEmpty | None = None
    """Why relative_change may not mean what it seems, when the text leaves it open (提升近30% of a rate of
    85%: percent or percentage points?); null when the text is clear."""
    consistent: bool | None = None
    """When both ends and a relative change are stated: whether they agree within the text's rounding (half a
    unit of the stated change's last digit, one-sided for 以上/超过 and 近/不到); else null."""
    restates: EffectId | None = None
    """The id of an earlier effect of the same case that this statement repeats (the same change, said again),
    so that counts and charts can skip repeats; null for an effect stated once."""
    curated: bool
    """Whether a curator reviewed the effect (its measure, description and links); false for an effect found
    in an imported casebook, as the rules found it."""

    @model_validator(mode="after")
    def _links_a_metric(self) -> "Effect":
        if self.before is None and self.after is None and self.change is None:
            raise ValueError("an effect links at least one metric: before, after or change")
        return self

    def metric_ids(self) -> tuple[str, ...]:
        """The ids of the metrics the effect links, before, after, change, as present."""
        return tuple(ref for ref in (self.before, self.after, self.change) if ref is not None)


RecordT = TypeVar("RecordT", Metric, Effect)

_DIGITS = re.compile(r"([0-9]+)")


def natural_order(record_id: str) -> tuple[Any, ...]:
    """A sort key that orders ids by their numbers (b5-2-m9 before b5-10-m10), for listings of ids."""
    return tuple(int(piece) if piece.isdigit() else piece for piece in _DIGITS.split(record_id))


def _id_ranges(ids: list[str]) -> str:
    """Ids of one case and kind, in order, as runs: b5-08-m01 to b5-08-m15, b5-08-m17 (ids are permanent, so a
    withdrawn one leaves a gap)."""
    runs: list[list[str]] = []
    for record_id in ids:
        if runs and natural_order(record_id)[-2] == natural_order(runs[-1][-1])[-2] + 1:
            runs[-1].append(record_id)
        else:
            runs.append([record_id])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)


class Part(NamedTuple):
    """One place a case's text sits: its introduction, or one section of its practices or outcomes.

    ``Case.parts()`` walks them in document order; everything that reads a case's texts (the curation
    of figures, keywords, the search index, the exports, the terminal rendering) walks the same way.
    """

    where: Where
    """intro, practice or outcome."""
    position: int
    """1-based position of the section within its part; 0 for the introduction."""
    section: "Section | None"
    """The section; None for the introduction."""
    text_zh: str
    """The introduction's summary, or the section's body."""
    text_en: str | None
    paragraph_starts_zh: tuple[int, ...]
    """Where the paragraphs of text_zh start."""
    paragraph_starts_en: tuple[int, ...]
    """Where the paragraphs of text_en start; empty when there is no English."""

    @property
    def paragraphs_zh(self) -> tuple[str, ...]:
        """The part's paragraphs."""
        return split_paragraphs(self.text_zh, self.paragraph_starts_zh)

    @property
    def paragraphs_en(self) -> tuple[str, ...]:
        """The part's English paragraphs; empty when there is no English."""
        return split_paragraphs(self.text_en, self.paragraph_starts_en)

    def paragraph_at(self, offset: int) -> int:
        """The 1-based number of the paragraph of text_zh that holds ``offset`` (a metric's start)."""
        return bisect.bisect_right(self.paragraph_starts_zh, offset)

    @property
    def ordinal(self) -> int | None:
        """The section's ordinal (what a metric's ``section`` names); None for the intro or an unnumbered block."""
        return None if self.section is None else self.section.ordinal

    @property
    def key(self) -> "tuple[Where, int | None]":
        """(where, ordinal): how a metric names the part it sits in."""
        return self.where, self.ordinal


class Case(History):
    """One best-practice case of the casebook."""

    id: CaseId
    """Permanent, citable identifier: b<batch>-<number>, e.g. b5-01."""
    number: CaseNumber
    """1-based position of the case in the casebook."""
    batch: BatchNumber
    """Batch of best-practice cases the case belongs to."""
    title_zh: NonEmpty
    """Title, normalized source text."""
    title_en: NonEmpty | None = None
    """English translation of the title."""
    providers: Annotated[tuple[FreeTradeZone, ...], Field(min_length=1)]
    """The free trade zone(s) credited with the case, in source order."""
    areas: tuple[PilotArea, ...] = ()
    """Pilot areas (片区) of the providing zones that the case names, the introduction first, then its sections
    (by official name or alias: 张江, 世博), in order of first mention."""
    summary_zh: NonEmpty
    """The introductory paragraph, normalized source text."""
    summary_en: NonEmpty | None = None
    """English translation of the summary."""
    summary_paragraph_starts_zh: ParagraphStarts = (0,)
    """Where each paragraph of the introduction starts: offsets into summary_zh, the first 0 (as for a
    section's paragraph_starts_zh)."""
    summary_paragraph_starts_en: tuple[Offset, ...] = ()
    """Where each paragraph of summary_en starts; as many as in Chinese, empty when there is no English."""
    practices_label_zh: NonEmpty
    """The label of the practices part as printed: 主要做法 or 主要举措."""
    practices: Annotated[tuple[Section, ...], Field(min_length=1)]
    """What was done (一、主要做法), section by section."""
    outcomes_label_zh: NonEmpty
    """The label of the outcomes part as printed: 实践效果 or 主要成效."""
    outcomes: Annotated[tuple[Section, ...], Field(min_length=1)]
    """What it achieved (二、实践效果), section by section."""
    metrics: tuple[Metric, ...] = ()
    """Quantified figures, in document order."""
    effects: tuple[Effect, ...] = ()
    """What the reform changed, figure linked to figure, in document order."""
    withdrawn: tuple[Withdrawn, ...] = ()
    """The case's metric and effect ids that earlier releases published and this one withdrew, with why."""
    categories: tuple[Category, ...] = ()
    """Policy domains from the controlled category vocabulary, most central first."""
    keywords: tuple[NonEmpty, ...] = ()
    """Key terms of the case, computed at build time."""
    source: SourceLocation
    """Where the case sits in the source."""

    def parts(self) -> Iterator[Part]:
        """The introduction, then every practice and every outcome section, in document order."""
        yield Part(
            Where.INTRO,
            0,
            None,
            self.summary_zh,
            self.summary_en,
            self.summary_paragraph_starts_zh,
            self.summary_paragraph_starts_en,
        )
        for where, sections in ((Where.PRACTICE, self.practices), (Where.OUTCOME, self.outcomes)):
            for position, section in enumerate(sections, start=1):
                yield Part(
                    where,
                    position,
                    section,
                    section.text_zh,
                    section.text_en,
                    section.paragraph_starts_zh,
                    section.paragraph_starts_en,
                )

    @model_validator(mode="before")
    @classmethod
    def _english_summary_is_one_paragraph_unless_told(cls, data: Any) -> Any:
        return _default_english_paragraph(data, "summary_en", "summary_paragraph_starts_en")

    @model_validator(mode="after")
    def _summary_paragraphs_fit_the_text(self) -> "Case":
        problem = paragraph_problem(
            self.summary_zh, self.summary_paragraph_starts_zh, self.summary_en, self.summary_paragraph_starts_en
        )
        if problem is not None:
            raise ValueError(problem.format(field="summary_paragraph_starts"))
        return self

    @model_validator(mode="after")
    def _metrics_trace_to_the_text(self) -> "Case":
        if not self.metrics:
            return self
        # Each part's texts joined once; normalized text has no line breaks, so no sentence spans two.
        # A metric's offsets are in the text of its part; (where, ordinal) names one part (a part of the
        # case has at most one unnumbered block, before its first numbered section).
        texts = {part.key: part.text_zh for part in self.parts()}
        earlier: dict[str, Metric] = {}
        counts = Counter(metric.id for metric in self.metrics)
        problems: list[str] = []
        for index, metric in enumerate(self.metrics):
            text = texts.get((metric.where, _ordinal_of(metric)), "")
            problem = _metric_problem(self.id, metric, text, counts, earlier)
            if problem is None:
                earlier[metric.id] = metric  # only a metric that traces can be restated
            else:
                problems.append(f"metrics[{index}] ({metric.id}): {problem}")
        if problems:  # every metric that does not trace, not only the first
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _effects_link_the_case_metrics(self) -> "Case":
        if not self.effects:
            return self
        metrics = {metric.id: metric for metric in self.metrics}
        counts = Counter(effect.id for effect in self.effects)
        earlier: set[str] = set()
        problems: list[str] = []
        for index, effect in enumerate(self.effects):
            problem = _effect_in_case_problem(self.id, effect, metrics, counts, earlier)
            if problem is not None:
                problems.append(f"effects[{index}] ({effect.id}): {problem}")
            earlier.add(effect.id)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _withdrawn_ids_stay_unused(self) -> "Case":
        held = {metric.id for metric in self.metrics} | {effect.id for effect in self.effects}
        problems = []
        for index, withdrawn in enumerate(self.withdrawn):
            if not withdrawn.id.startswith(f"{self.id}-"):
                problems.append(f"withdrawn[{index}] ({withdrawn.id}): a case lists only its own metric and effect ids")
            elif withdrawn.id in held:
                problems.append(f"withdrawn[{index}] ({withdrawn.id}): a withdrawn id names no record of the case")
        if len({withdrawn.id for withdrawn in self.withdrawn}) != len(self.withdrawn):
            problems.append("withdrawn: each id is withdrawn once")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def withdrawal(self, record_id: str) -> "Withdrawn | None":
        """The withdrawal of ``record_id`` (a metric or effect id of this case), or None when it was not withdrawn."""
        return next((withdrawn for withdrawn in self.withdrawn if withdrawn.id == record_id), None)

    def metric(self, metric_id: str) -> Metric:
        """The metric of this case with id ``metric_id`` (an effect's before, after or change); a
        :class:`WithdrawnError` for an id a release withdrew, a :class:`ReferenceNotFoundError` for any other
        miss (both ``LookupError``)."""
        return self._record(metric_id, self.metrics, "metric")

    def effect(self, effect_id: str) -> Effect:
        """The effect of this case with id ``effect_id``; misses as for :meth:`metric`."""
        return self._record(effect_id, self.effects, "effect")

    def _record(self, record_id: str, records: "tuple[RecordT, ...]", what: str) -> "RecordT":
        for record in records:
            if record.id == record_id:
                return record
        withdrawn = self.withdrawal(record_id)
        if withdrawn is not None:
            raise WithdrawnError(withdrawn.id, withdrawn.data_version, withdrawn.reason)
        ids = sorted((record.id for record in records), key=natural_order)
        listing = f"its {what}s are {_id_ranges(ids)}" if ids else f"it has no {what}s"
        raise ReferenceNotFoundError(f"{what} of case {self.id}", short_value(record_id), [], listing=listing)

    def citation(self, document: "SourceDocument | None" = None) -> str:
        """How to cite this case as published in ``document``: publisher, year, document, case number and id,
        title, pages.

        A case does not carry its document: cite it through its dataset (``ftz_reforms.cite(case)``, or
        ``collection.cite(case)`` for a loaded one), which finds its batch's document, or pass the document.
        Without one this raises :class:`ArgumentError` (a ``ValueError``) saying so.
        """
        document = self._citing(document)
        title = f"{self.title_en} ({self.title_zh})" if self.title_en else self.title_zh
        pages = (
            f"p. {self.source.page_start}"
            if self.source.page_start == self.source.page_end
            else f"pp. {self.source.page_start}-{self.source.page_end}"
        )
        return f"{_citation_lead(document)}{_work(document)}, case {self.number} [{self.id}]: {title}, {pages}."

    def _citing(self, document: "SourceDocument | None") -> "SourceDocument":
        """``document``, when it is the one this case is cited from; an :class:`ArgumentError` otherwise."""
        if document is None:
            raise ArgumentError(
                f"case {self.id} does not carry its source document: cite it through its dataset "
                "(ftz_reforms.cite(case), or dataset.cite(case) for a loaded one), or pass the document, "
                "as in case.citation(dataset.data.source_of(case.batch))"
            )
        if document.batch != self.batch:
            raise ArgumentError(
                f"case {self.id} is of batch {self.batch}, not of the batch {document.batch} document given"
            )
        return document


_END_ROLES = {"before": (Role.BEFORE, Role.AFTER), "after": (Role.AFTER, Role.BEFORE), "change": (Role.CHANGE,)}
"""The roles an effect's links may carry: an end is before or after (a chain's middle is the after of one
effect and the before of the next), a change is a change."""


def _work(document: "SourceDocument") -> str:
    """How a citation names the casebook: its English and Chinese titles, the one it has, or its file."""
    names = [name for name in (document.title_en, document.title_zh) if name]
    if len(names) == 2:
        return f"{names[0]} ({names[1]})"
    if names:
        return names[0]
    # an imported casebook whose title nobody gave: name it by its file and digest
    return f"casebook {document.file} (sha256 {document.sha256[:12]}), batch {document.batch}"


def _citation_lead(document: "SourceDocument") -> str:
    """What a citation starts with: the publisher and year, what of them is known (``Publisher (2023). ``)."""
    year = f" ({document.published[:4]})" if document.published else ""
    publisher = document.publisher_en or document.publisher_zh
    if publisher:
        return f"{publisher}{year}. "
    return f"{year.strip()}. " if year else ""


def _metric_problem(
    case_id: str, metric: Metric, text: str, counts: Counter[str], earlier: dict[str, Metric]
) -> str | None:
    """What is wrong with a metric of the case ``case_id`` whose part's text is ``text``, or None; ``counts``
    counts the case's metric ids, ``earlier`` holds the metrics before it that trace."""
    prefix = f"{case_id}-m"
    if not metric.id.startswith(prefix):
        return f"a metric id starts with its case id {prefix}"
    if counts[metric.id] > 1:
        return f"an id names one metric, and {counts[metric.id]} metrics have this one"
    if metric.span not in metric.sentence:
        return f"span {metric.span!r} is not in its sentence"
    if text[metric.start : metric.end] != metric.span or not _within_its_sentence(text, metric):
        return _tracing_problem(text, metric)
    if metric.restates is not None and not _repeats(earlier.get(metric.restates), metric):
        return f"restates {metric.restates}, which is no earlier metric of the case with its value and unit"
    return None


def _effect_in_case_problem(
    case_id: str, effect: Effect, metrics: dict[str, Metric], counts: Counter[str], earlier: set[str]
) -> str | None:
    """What is wrong with an effect of the case ``case_id``, or None: its id and links, then what it shares with
    the other effects (``counts`` counts their ids, ``earlier`` holds those before it)."""
    problem = _effect_problem(case_id, effect, metrics)
    if problem is not None:
        return problem
    if counts[effect.id] > 1:
        return f"an id names one effect, and {counts[effect.id]} effects have this one"
    if effect.restates is not None and effect.restates not in earlier:
        return f"restates {effect.restates}, which is no earlier effect of the case"
    return None


def _effect_problem(case_id: str, effect: Effect, metrics: dict[str, Metric]) -> str | None:
    if not effect.id.startswith(f"{case_id}-e"):
        return f"an effect id starts with its case id {case_id}-e"
    for name, roles in _END_ROLES.items():
        ref = getattr(effect, name)
        if ref is None:
            continue
        metric = metrics.get(ref)
        if metric is None:
            return f"{name} {ref} is no metric of the case"
        if metric.role not in roles:
            return f"{name} {ref} has role {metric.role.value}, not {' or '.join(r.value for r in roles)}"
        if (metric.where, _ordinal_of(metric)) != (
            effect.where,
            None if effect.where is Where.INTRO else effect.section,
        ):
            return f"{name} {ref} is in another part of the case than the effect"
    return None


def _tracing_problem(text: str, metric: Metric) -> str:
    """What is wrong with a metric whose span or sentence is not where it says (the slow checks, for errors only)."""
    if metric.sentence not in text:
        return f"its sentence is not in the {metric.where.value} text it names"
    if text[metric.start : metric.end] != metric.span:
        found = text[metric.start : metric.end]
        return f"start {metric.start} and end {metric.end} select {found!r}, not its span {metric.span!r}"
    return f"the span at {metric.start}-{metric.end} is not inside an occurrence of its sentence"


def _within_its_sentence(text: str, metric: Metric) -> bool:
    # Only an occurrence that holds the span counts, so only the stretch around the span is searched:
    # a check per metric that does not grow with the text.
    length = len(metric.sentence)
    first = max(0, metric.end - length)
    return text.find(metric.sentence, first, max(first, metric.start) + length) >= 0


def _repeats(earlier: Metric | None, metric: Metric) -> bool:
    return earlier is not None and (earlier.value, earlier.value_max, earlier.unit) == (
        metric.value,
        metric.value_max,
        metric.unit,
    )


def _ordinal_of(metric: Metric) -> int | None:
    """The section a metric names; the introduction has none, whatever the metric says."""
    return None if metric.where is Where.INTRO else metric.section


class SourceDocument(Record):
    """A casebook the dataset is built from: one batch of best-practice cases."""

    title_zh: NonEmpty | None
    """Title of the document in Chinese; null when whoever imported it did not give one."""
    title_en: NonEmpty | None
    """Title of the document in English; null when not known."""
    publisher_zh: NonEmpty | None
    """Issuing body in Chinese; null when not known."""
    publisher_en: NonEmpty | None
    """Issuing body in English; null when not known."""
    batch: BatchNumber
    """Batch number of the best-practice cases."""
    published: Month | None
    """When the batch was announced (YYYY-MM)."""
    facts_basis: NonEmpty
    """Where the title, publisher, batch and date come from (press reports, not the text)."""
    file: NonEmpty
    """Path of the verbatim source copy (within the repository for a bundled batch)."""
    sha256: Sha256
    """SHA-256 of the verbatim source file."""
    page_start: Page
    """First printed page covered by the source text."""
    page_end: Page
    """Last printed page covered by the source text."""
    licence: NonEmpty | None
    """Copyright status and attribution note; null when not known."""


class Dataset(Record):
    """The whole dataset: the casebook's cases with their source and versions."""

    schema_version: SemVer
    """Version of the data contract (this schema)."""
    data_version: SemVer
    """Version of the data."""
    sources: Annotated[tuple[SourceDocument, ...], Field(min_length=1)]
    """The casebooks the cases come from, one per batch, in batch order."""
    free_trade_zones: tuple[FreeTradeZone, ...]
    """Reference table of all pilot free trade zones, in order of establishment."""
    pilot_areas: tuple[PilotArea, ...] = ()
    """Reference table of the pilot areas of every zone, zone by zone."""
    batches: tuple[BatchInfo, ...] = ()
    """Reference table of the batches of the series, in order, each saying whether this dataset holds it."""
    cases: tuple[Case, ...]
    """The cases, batch by batch, each batch in document order."""
    withdrawn: tuple[Withdrawn, ...] = ()
    """Case ids that earlier releases published and this one withdrew, with why (a case's withdrawn metrics
    and effects are listed on the case)."""

    @model_validator(mode="after")
    def _one_source_per_batch(self) -> "Dataset":
        problem = next(self._batch_problems(), None)  # the first: each check assumes the ones before hold
        if problem is not None:
            raise ValueError(problem)
        return self

    def _batch_problems(self) -> Iterator[str]:
        """What is wrong with the batches of the sources, the cases and the batch table, in that order."""
        batches = [document.batch for document in self.sources]
        if batches != sorted(set(batches)):
            yield f"sources: one document per batch, in batch order (found batches {batches})"
        missing = sorted({case.batch for case in self.cases} - set(batches))
        if missing:
            yield f"cases: no source document for batch {', '.join(map(str, missing))}"
        yield from _batch_table_problems(self.batches, batches)

    @model_validator(mode="after")
    def _withdrawn_cases_stay_unused(self) -> "Dataset":
        held = {case.id for case in self.cases}
        for index, withdrawn in enumerate(self.withdrawn):
            if "-m" in withdrawn.id or "-e" in withdrawn.id:
                raise ValueError(f"withdrawn[{index}] ({withdrawn.id}): a metric or effect is withdrawn on its case")
            if withdrawn.id in held:
                raise ValueError(f"withdrawn[{index}] ({withdrawn.id}): a withdrawn id names no case of the dataset")
        return self

    def withdrawal(self, record_id: str) -> Withdrawn | None:
        """The withdrawal of any id (a case's, or a metric's or effect's of a case held), or None."""
        for withdrawn in self.withdrawn:
            if withdrawn.id == record_id:
                return withdrawn
        case_id = record_id.rsplit("-", 1)[0] if record_id.count("-") == 2 else None
        for case in self.cases:
            if case.id == case_id:
                return case.withdrawal(record_id)
        return None

    @property
    def source(self) -> SourceDocument:
        """The source document of a dataset of one batch (``source_of(batch)`` for any dataset)."""
        if len(self.sources) != 1:
            batches = ", ".join(str(document.batch) for document in self.sources)
            raise AttributeError(f"the dataset holds batches {batches}: use source_of(batch) or sources")
        return self.sources[0]

    def source_of(self, batch: int) -> SourceDocument:
        """The source document of ``batch``; a :class:`ReferenceNotFoundError` (a ``LookupError``) naming the
        batches held otherwise."""
        for document in self.sources:
            if document.batch == batch:
                return document
        held = ", ".join(str(document.batch) for document in self.sources)
        raise ReferenceNotFoundError("batch", batch, [], listing=f"the dataset holds batches {held}")


def _batch_table_problems(rows: tuple[BatchInfo, ...], held: list[int]) -> Iterator[str]:
    """What is wrong with the batch table ``rows`` of a dataset that holds the batches ``held``: one row per
    batch, in order, and bundled exactly where the dataset holds the batch (no table says nothing)."""
    numbers = [row.number for row in rows]
    if numbers != sorted(set(numbers)):
        yield f"batches: one row per batch, in batch order (found {numbers})"
    bundled = sorted(row.number for row in rows if row.bundled)
    if rows and bundled != held:
        yield f"batches: bundled are batches {bundled}, but the dataset holds batches {held}"
