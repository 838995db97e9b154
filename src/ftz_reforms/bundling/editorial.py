"""Curated editorial overlays: the English text and the categories of each case.

``sources/batch<N>/english/b<N>-<NN>.toml`` holds, for one case, ``title_en``, ``summary_en``, one
``[[category]]`` table per policy domain (``name`` from the vocabulary, ``reason`` saying why), and one
``[[practice]]`` / ``[[outcome]]`` table per section, in order, with ``heading_en`` and ``text_en``. A
section with a heading repeats it as ``heading_zh``, so an overlay can never silently drift onto a
different section when the parsed text changes.

English values may be wrapped over several lines for readable diffs: lines are joined with single
spaces. In ``summary_en`` and ``text_en`` a blank line separates paragraphs, which must be as many as
the Chinese text has (``paragraph_starts_zh``); the joined text keeps them as offsets, as the Chinese
does. Build-time only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from ftz_reforms.bundling.overlays import OverlayError, read_case_files
from ftz_reforms.model.records import Case, Section
from ftz_reforms.model.vocab import Category

__all__ = ["CategoryEntry", "EditorialOverlay", "SectionEntry", "apply_editorial", "load_editorial"]


def _joined_lines(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraphs(value: object) -> tuple[str, ...]:
    if not isinstance(value, str):
        raise ValueError(f"expected a string of paragraphs separated by blank lines, got {type(value).__name__}")
    return tuple(_joined_lines(block) for block in _BLANK_LINE.split(value.strip()) if block.strip())


English = Annotated[str, AfterValidator(_joined_lines), StringConstraints(min_length=1)]
EnglishParagraphs = Annotated[tuple[str, ...], BeforeValidator(_paragraphs), Field(min_length=1)]
"""A TOML string of paragraphs separated by blank lines, read as the tuple of its paragraphs."""
Text = Annotated[str, StringConstraints(min_length=1)]


def _joined(paragraphs: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    """One text of ``paragraphs`` joined by single spaces, and where each paragraph starts in it."""
    starts = []
    reached = 0
    for paragraph in paragraphs:
        starts.append(reached)
        reached += len(paragraph) + 1
    return " ".join(paragraphs), tuple(starts)


def _english_paragraphs(
    paragraphs: tuple[str, ...], chinese_starts: tuple[int, ...], where: str
) -> tuple[str, tuple[int, ...]]:
    if len(paragraphs) != len(chinese_starts):
        raise OverlayError(
            f"{where} has {len(paragraphs)} English {'paragraph' if len(paragraphs) == 1 else 'paragraphs'} "
            f"for the {len(chinese_starts)} of the Chinese; separate paragraphs with a blank line"
        )
    return _joined(paragraphs)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CategoryEntry(_Strict):
    """One policy domain of the case and why it applies."""

    name: Category
    reason: English


class SectionEntry(_Strict):
    """The English of one section; ``heading_zh`` repeats the source heading as a guard."""

    heading_zh: Text | None = None
    heading_en: English | None = None
    text_en: EnglishParagraphs

    @model_validator(mode="after")
    def _heading_pairs(self) -> SectionEntry:
        if (self.heading_zh is None) != (self.heading_en is None):
            raise ValueError("heading_zh and heading_en go together: give both or neither")
        return self


class EditorialOverlay(_Strict):
    """Everything editorial curated for one case."""

    title_en: English
    summary_en: EnglishParagraphs
    category: tuple[CategoryEntry, ...] = Field(min_length=1)
    practice: tuple[SectionEntry, ...] = ()
    outcome: tuple[SectionEntry, ...] = ()

    @model_validator(mode="after")
    def _categories_once(self) -> EditorialOverlay:
        names = [entry.name for entry in self.category]
        if len(set(names)) != len(names):
            raise ValueError("a category is listed more than once")
        return self


def load_editorial(directory: Path, batch: int) -> dict[int, EditorialOverlay]:
    """Editorial overlays by case number, read from ``directory`` (``b5-01.toml`` …)."""
    return read_case_files(directory, batch, EditorialOverlay, "editorial overlay")


def _sections(
    sections: tuple[Section, ...], entries: tuple[SectionEntry, ...], part: str, path: str
) -> tuple[Section, ...]:
    if len(entries) != len(sections):
        raise OverlayError(f"{path}: {len(entries)} [[{part}]] tables for the case's {len(sections)} {part} sections")
    merged = []
    for position, (section, entry) in enumerate(zip(sections, entries), start=1):
        if entry.heading_zh != section.heading_zh:
            raise OverlayError(
                f"{path}: [[{part}]] #{position} has heading_zh {entry.heading_zh!r}, "
                f"but the section's heading is {section.heading_zh!r}"
            )
        text_en, starts_en = _english_paragraphs(
            entry.text_en, section.paragraph_starts_zh, f"{path}: [[{part}]] #{position}"
        )
        merged.append(
            section.model_copy(
                update={"heading_en": entry.heading_en, "text_en": text_en, "paragraph_starts_en": starts_en}
            )
        )
    return tuple(merged)


def apply_editorial(case: Case, overlay: EditorialOverlay, path: str) -> Case:
    """The case with its English text and categories from ``overlay``."""
    summary_en, summary_starts_en = _english_paragraphs(
        overlay.summary_en, case.summary_paragraph_starts_zh, f"{path}: summary_en"
    )
    return case.model_copy(
        update={
            "title_en": overlay.title_en,
            "summary_en": summary_en,
            "summary_paragraph_starts_en": summary_starts_en,
            "categories": tuple(entry.name for entry in overlay.category),
            "practices": _sections(case.practices, overlay.practice, "practice", path),
            "outcomes": _sections(case.outcomes, overlay.outcome, "outcome", path),
        }
    )
