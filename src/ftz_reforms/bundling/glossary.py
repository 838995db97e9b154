"""The dataset's one English terminology (``sources/glossary.toml``), and the check that enforces it.

A term applies to an English text whose Chinese counterpart holds the term (or one of its short forms):
the English must then hold the term's rendering or one of its listed forms. Renderings a term lists as
``avoid`` may appear in no English text at all. Matching ignores case. Build- and test-time only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ftz_reforms.bundling.overlays import read_toml

__all__ = ["GLOSSARY_FILE", "Glossary", "Term", "TermProblem", "load_glossary", "problems"]

GLOSSARY_FILE = Path("sources/glossary.toml")


class Term(BaseModel):
    """One Chinese term and its single English rendering."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str = Field(min_length=1)
    also_zh: tuple[str, ...] = ()
    en: str = Field(min_length=1)
    forms: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    note: str | None = None

    @property
    def chinese_forms(self) -> tuple[str, ...]:
        return (self.zh, *self.also_zh)

    @property
    def english_forms(self) -> tuple[str, ...]:
        return (self.en, *self.forms)


class Everyday(BaseModel):
    """Everyday words a reader types for what the dataset's English says otherwise (firm → enterprise)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: tuple[str, ...] = Field(min_length=1)
    means: str = Field(min_length=1)


class Glossary(BaseModel):
    """The glossary file: style notes, terms and the everyday words a search also reads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    style: dict[str, str] = {}
    term: tuple[Term, ...] = Field(min_length=1)
    everyday: tuple[Everyday, ...] = ()

    @property
    def english_equivalents(self) -> list[tuple[str, ...]]:
        """Groups of English phrases a search treats as one: each term's rendering and its forms, and
        each everyday entry's words with what they mean."""
        groups = [term.english_forms for term in self.term if term.forms]
        groups += [(entry.means, *entry.words) for entry in self.everyday]
        return groups

    @property
    def chinese_terms(self) -> tuple[str, ...]:
        """Every Chinese form of every term: the domain words segmentation must keep whole."""
        return tuple(form for term in self.term for form in term.chinese_forms)


@dataclass(frozen=True)
class TermProblem:
    """An English text that breaks the glossary."""

    term: Term
    found: str | None
    """The avoided rendering found, or None when the required rendering is missing."""

    def __str__(self) -> str:
        if self.found is None:
            return f"{self.term.zh} must be rendered {self.term.en!r}"
        return f"{self.found!r} is avoided: {self.term.zh} is rendered {self.term.en!r}"


def load_glossary(root: Path) -> Glossary:
    """The glossary of the checkout at ``root``."""
    return read_toml(root / GLOSSARY_FILE, Glossary, "glossary")


def problems(glossary: Glossary, english: str, chinese: str | None) -> Iterator[TermProblem]:
    """How ``english`` (the translation of ``chinese``, when it has one) breaks the glossary."""
    lowered = english.lower()
    for term in glossary.term:
        applies = chinese is not None and any(form in chinese for form in term.chinese_forms)
        if applies and not any(form.lower() in lowered for form in term.english_forms):
            yield TermProblem(term, None)
        for avoided in term.avoid:
            if avoided.lower() in lowered:
                yield TermProblem(term, avoided)
