"""From a casebook's text to a validated dataset: parse, extract, key terms, assemble.

The build and ``casebook_dataset`` (``ftz_reforms.import_casebook``) share these steps. The build then merges
the curated overlays of a bundled batch; an import keeps what the rules found, and says so: every figure of an
imported casebook is ``curated=False``, and its English fields and categories stay empty, because nobody
curated them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypedDict

from ftz_reforms._files import read_bytes
from ftz_reforms._progress import step
from ftz_reforms._version import DATA_VERSION, SCHEMA_VERSION
from ftz_reforms.casebook.parser import CasebookError, parse_casebook
from ftz_reforms.casebook.pdf import read_casebook_text
from ftz_reforms.errors import ArgumentError
from ftz_reforms.model.bounds import MAX_BATCH, MAX_PAGE, YEAR_AND_MONTH, control_character_problem
from ftz_reforms.model.records import Case, Dataset, Effect, Metric, Part, SourceDocument, Withdrawn
from ftz_reforms.model.vocab import Direction, Measure
from ftz_reforms.reference import batches_held, free_trade_zones, pilot_areas
from ftz_reforms.retrieval.engine import bundled_index
from ftz_reforms.retrieval.keywords import KeywordExtractor, read_stop_words
from ftz_reforms.text.effects import guess_measure, relative_change, relative_change_qualifier
from ftz_reforms.text.extract import scan

__all__ = [
    "CasebookDetails",
    "CasebookError",
    "CasebookFacts",
    "assemble_dataset",
    "bundled_domain_terms",
    "casebook_dataset",
    "make_effect",
    "uncurated_metrics",
    "with_history",
    "with_keywords",
    "with_uncurated_figures",
]


def uncurated_metrics(case: Case) -> tuple[Metric, ...]:
    """Every figure the rules find in the case's texts, in document order, as uncurated metrics."""
    return _uncurated(case).metrics


def with_uncurated_figures(case: Case) -> Case:
    """The case with the figures and effects the rules find in its texts, uncurated."""
    return _uncurated(case)


def _uncurated(case: Case) -> Case:
    metrics: list[Metric] = []
    effects: list[Effect] = []
    for part in case.parts():
        found = scan(part.text_zh, part.paragraph_starts_zh)
        first = len(metrics)
        for figure in found.figures:
            metrics.append(
                Metric(
                    id=f"{case.id}-m{len(metrics) + 1:02d}",
                    where=part.where,
                    section=part.ordinal,
                    curated=False,
                    **figure.model_dump(),
                )
            )
        for link in found.effects:
            ends = [metrics[first + i] if i is not None else None for i in (link.before, link.after, link.change)]
            linked = [metric for metric in ends if metric is not None]
            span = (min(metric.start for metric in linked), max(metric.end for metric in linked))
            effects.append(
                make_effect(
                    case.id,
                    len(effects) + 1,
                    part,
                    ends,
                    measure=guess_measure(part.text_zh, *span, linked[0].unit),
                    direction=link.direction,
                    baseline=link.baseline,
                    description_en=None,
                    curated=False,
                )
            )
    return case.model_copy(update={"metrics": tuple(metrics), "effects": tuple(effects)})


def make_effect(
    case_id: str,
    number: int,
    part: Part,
    ends: Sequence[Metric | None],
    *,
    measure: Measure,
    direction: Direction | None,
    baseline: str | None,
    description_en: str | None,
    curated: bool,
    relative_change_caveat: str | None = None,
    restates: str | None = None,
) -> Effect:
    """An effect of ``part`` linking ``ends`` (before, after, change; any may be None), its relative change
    computed as ``Effect.relative_change`` describes: the one place an effect record is made."""
    before, after, change = ends
    relative, consistent = relative_change(before, after, change, direction)
    precision = relative_change_qualifier(before, after, change, relative)
    return Effect(
        id=f"{case_id}-e{number:02d}",
        where=part.where,
        section=part.ordinal,
        measure=measure,
        description_en=description_en,
        before=before.id if before else None,
        after=after.id if after else None,
        change=change.id if change else None,
        direction=direction,
        baseline=baseline,
        relative_change=relative,
        relative_change_qualifier=precision,
        relative_change_caveat=relative_change_caveat,
        consistent=consistent,
        restates=restates,
        curated=curated,
    )


def with_keywords(cases: Iterable[Case], domain_terms: Sequence[str]) -> tuple[Case, ...]:
    """The cases with their keywords: the named measure first, then TF-IDF (``retrieval.keywords`` states the rule)."""
    extractor = KeywordExtractor(domain_terms, read_stop_words())
    cases = list(cases)
    keyed = []
    for done, case in enumerate(cases, start=1):
        keyed.append(case.model_copy(update={"keywords": extractor.keywords(case)}))
        step("choosing keywords", done, len(cases))
    return tuple(keyed)


def with_history(cases: Iterable[Case], version: str) -> tuple[Case, ...]:
    """The cases of a first release (an import), each case, metric and effect first seen and last changed in
    ``version``."""
    seen = {"first_seen": version, "last_changed": version}
    return tuple(
        case.model_copy(
            update={
                **seen,
                "metrics": tuple(metric.model_copy(update=seen) for metric in case.metrics),
                "effects": tuple(effect.model_copy(update=seen) for effect in case.effects),
            }
        )
        for case in cases
    )


def bundled_domain_terms() -> tuple[str, ...]:
    """The glossary's Chinese terms, as the bundled search index carries them for segmentation (the index the
    bundled data's searches read, read once a process)."""
    return tuple(bundled_index().domain_terms)


def assemble_dataset(
    sources: Sequence[SourceDocument],
    cases: Sequence[Case],
    data_version: str,
    withdrawn: Sequence[Withdrawn] = (),
) -> Dataset:
    """The whole dataset, validated as one: reference tables, sources, cases and withdrawn case ids."""
    # model_copy skips validation: validating the assembled whole is what proves every step sound.
    return Dataset.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "data_version": data_version,
            "sources": [document.model_dump() for document in sources],
            "free_trade_zones": [zone.model_dump() for zone in free_trade_zones()],
            "pilot_areas": [area.model_dump() for area in pilot_areas()],
            "batches": [row.model_dump() for row in batches_held(document.batch for document in sources)],
            "cases": [case.model_dump() for case in cases],
            "withdrawn": [item.model_dump() for item in withdrawn],
        }
    )


CASEBOOK_LIMIT = 64 << 20
"""The largest casebook file read, in bytes: a casebook's text is about 0.2 MB, its PDF a few MB."""

_LARGEST = {"batch": MAX_BATCH, "first_page": MAX_PAGE}
"""The largest batch and page number accepted: the data contract's bounds (``model.bounds``)."""


def _check_arguments(batch: object, first_page: object, published: object, texts: dict[str, object]) -> None:
    """An :class:`ArgumentError` naming the first argument ``casebook_dataset`` cannot use."""
    _check_whole_number("batch", batch)
    if first_page is not None:
        _check_whole_number("first_page", first_page)
    if published is not None and (not isinstance(published, str) or not YEAR_AND_MONTH.fullmatch(published)):
        raise ArgumentError(f"published must be a year and month as YYYY-MM (2024-01), not {published!r}")
    for name, value in texts.items():
        if value is not None:
            _check_text(name, value)


def _check_whole_number(name: str, value: object) -> None:
    """An :class:`ArgumentError` unless ``value`` is a whole number from 1 to the largest ``name`` may be."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= _LARGEST[name]:
        raise ArgumentError(f"{name} must be a whole number from 1 to {_LARGEST[name]:,}, not {value!r}")


def _check_text(name: str, value: object) -> None:
    """An :class:`ArgumentError` unless ``value`` is some text a dataset can hold."""
    if not isinstance(value, str) or not value.strip():
        raise ArgumentError(f"{name} must be some text, not {value!r}: leave it out when it is not known")
    problem = control_character_problem(value)
    if problem is not None:
        raise ArgumentError(f"{name} holds a {problem}, which no text of a dataset holds: {value!r}")


class CasebookFacts(TypedDict, total=False):
    """What a casebook's text does not say of itself, which its source record holds when given."""

    title_zh: str | None
    title_en: str | None
    publisher_zh: str | None
    publisher_en: str | None
    published: str | None


class CasebookDetails(CasebookFacts, total=False):
    """What ``casebook_dataset`` (and ``ftz_reforms.import_casebook``) take besides the casebook and its batch:
    its facts, the name of its file, the printed page of its first line and the data version to stamp."""

    file: str
    first_page: int | None
    data_version: str


def casebook_dataset(
    casebook: str | Path,
    *,
    batch: int,
    file: str = "casebook.txt",
    title_zh: str | None = None,
    title_en: str | None = None,
    publisher_zh: str | None = None,
    publisher_en: str | None = None,
    published: str | None = None,
    first_page: int | None = None,
    data_version: str = DATA_VERSION,
) -> Dataset:
    """A dataset of a casebook, as ``ftz-reforms import`` writes it: ``casebook`` is its text (a ``str``, in any
    extractor's layout) or the ``Path`` of a file, its PDF as published (needs the ``pdf`` extra) or its text.

    Cases, sections, points, providers, areas, the figures ``extract_metrics`` finds (uncurated), keywords
    and ids ``b<batch>-NN``; the source's sha256 is that of ``text`` encoded as UTF-8. What is not given
    (title, publisher, date) stays empty. A text that is not a casebook raises :class:`CasebookError`
    naming the first line that breaks the layout.
    """
    _check_arguments(
        batch=batch,
        first_page=first_page,
        published=published,
        texts={
            "file": file,
            "title_zh": title_zh,
            "title_en": title_en,
            "publisher_zh": publisher_zh,
            "publisher_en": publisher_en,
        },
    )
    if isinstance(casebook, Path):
        raw = read_bytes(casebook, "casebook", limit=CASEBOOK_LIMIT)
        text = read_casebook_text(casebook, raw)
        if file == "casebook.txt":
            file = casebook.name
    elif isinstance(casebook, str):
        text, raw = casebook, casebook.encode("utf-8")
    else:
        raise ArgumentError(f"a casebook is its text (str) or a file's Path, not {type(casebook).__name__}")
    cases = parse_casebook(text, batch=batch, first_page=first_page)
    found = []
    for done, case in enumerate(cases, start=1):
        found.append(with_uncurated_figures(case))
        step("finding figures and effects", done, len(cases))
    cases = with_history(with_keywords(found, bundled_domain_terms()), data_version)
    facts = (("title", title_zh or title_en), ("publisher", publisher_zh or publisher_en), ("date", published))
    given = [name for name, value in facts if value]
    told = f"the {', '.join(given)} as given by whoever imported it" if given else "no title, publisher or date given"
    source = SourceDocument(
        title_zh=title_zh,
        title_en=title_en,
        publisher_zh=publisher_zh,
        publisher_en=publisher_en,
        batch=batch,
        published=published,
        facts_basis=(
            f"Imported from {file} with ftz-reforms; {told}. "
            "Figures and effects are as the extraction rules found them, uncurated; no English or categories."
        ),
        file=file,
        sha256=hashlib.sha256(raw).hexdigest(),
        page_start=cases[0].source.page_start,
        page_end=cases[-1].source.page_end,
        licence=None,
    )
    return assemble_dataset([source], cases, data_version)
