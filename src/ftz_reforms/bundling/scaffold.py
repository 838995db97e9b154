"""From a published casebook to a curation scaffold: what a curator fills to make the batch curated data.

``ftz-reforms import casebook.pdf --batch N --scaffold sources/batchN`` (in a source checkout) writes:

- ``casebook.txt``: the casebook's text (from its PDF, or the text file's own bytes), and ``source.json``
  with its sha256, the batch, the first printed page and what was given of title, publisher and date;
- ``english/bN-NN.toml``: one per case, every English slot empty (title, summary, each section's heading
  and body), the Chinese above each slot paragraph by paragraph, and no ``[[category]]`` yet;
- ``metrics/bN-NN.toml``: a draft entry for every figure and numeral the rules found, ``description_en``
  (or a ``not_metric``'s ``reason``) empty;
- ``review.md``: the figures the rules found, with their sentences, for the curator to check.

The build refuses a batch whose slots are not all filled, naming every one (``unfilled_slots``), so a
half-done scaffold never becomes data. Nothing already there is overwritten: the folder must be new or empty.
The files are written into a temporary folder beside it, which is renamed into place only once every file is
whole, so a failure or an interruption leaves nothing behind and a retry starts clean.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ftz_reforms._files import read_bytes
from ftz_reforms.assemble import CASEBOOK_LIMIT, uncurated_metrics
from ftz_reforms.bundling.curation import draft_entries
from ftz_reforms.bundling.overlays import CaseOverlay, read_toml
from ftz_reforms.casebook.parser import parse_casebook
from ftz_reforms.casebook.pdf import is_pdf, read_casebook_text
from ftz_reforms.errors import ArgumentError, FileAccessError
from ftz_reforms.model.records import Case
from ftz_reforms.model.vocab import Category
from ftz_reforms.text.normalize import physical_lines

__all__ = ["unfilled_slots", "write_scaffold"]


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _commented(label: str, paragraphs: tuple[str, ...]) -> list[str]:
    if len(paragraphs) == 1:
        return [f"# {label}: {paragraphs[0]}"]
    return [f"# {label}, paragraph {number}: {text}" for number, text in enumerate(paragraphs, start=1)]


def english_template(case: Case) -> str:
    """The English overlay of ``case`` with every slot empty and the Chinese above each."""
    intro = next(case.parts())
    lines = [
        f"# English text and categories of case {case.number} ({case.id}): fill every empty string, and add one",
        "# [[category]] table (name, reason) for each policy domain of the case. The Chinese in comments is the",
        "# source; give a section's English as many paragraphs as its Chinese, separated by a blank line.",
        "",
        f"# title: {case.title_zh}",
        'title_en = ""',
        "",
        *_commented("summary", intro.paragraphs_zh),
        'summary_en = """',
        '"""',
        "",
        f"# Categories: {', '.join(category.value for category in Category)}",
    ]
    for where, sections in (("practice", case.practices), ("outcome", case.outcomes)):
        for position, section in enumerate(sections, start=1):
            lines += ["", *_commented(f"{where} {position}", section.paragraphs_zh), f"[[{where}]]"]
            if section.heading_zh is not None:
                lines += [f"heading_zh = {_toml_string(section.heading_zh)}", 'heading_en = ""']
            lines += ['text_en = """', '"""']
    return "\n".join(lines) + "\n"


def review_sheet(cases: tuple[Case, ...]) -> str:
    """Every figure the rules found, case by case, with its sentence: what the curator checks first."""
    lines = ["# Figures to review", "", "Every figure the extraction rules found, uncurated; curate them in metrics/."]
    for case in cases:
        lines += ["", f"## {case.id} {case.title_zh}", ""]
        lines += ["| metric | span | value | unit | role | sentence |", "| --- | --- | --- | --- | --- | --- |"]
        for metric in case.metrics:
            lines.append(
                f"| {metric.id} | {metric.span} | {metric.value:g} | {metric.unit.value} | {metric.role.value} | "
                f"{metric.sentence} |"
            )
    return "\n".join(lines) + "\n"


def write_scaffold(
    casebook: Path, *, batch: int, directory: Path, root: Path, facts: dict[str, str | None] | None = None
) -> list[Path]:
    """Write the scaffold of the casebook file ``casebook`` as ``directory`` (``root/sources/batchN``)."""
    expected = root / "sources" / f"batch{batch}"
    if directory.resolve() != expected.resolve():
        raise ArgumentError(f"the scaffold of batch {batch} goes in {expected} (the build reads it from there)")
    _refuse_existing(directory)
    raw = read_bytes(casebook, "casebook", limit=CASEBOOK_LIMIT)
    text = read_casebook_text(casebook, raw)
    kept = text.encode("utf-8") if is_pdf(raw) else raw
    cases = parse_casebook(text, batch=batch)
    cases = tuple(case.model_copy(update={"metrics": uncurated_metrics(case)}) for case in cases)
    given = {key: value for key, value in (facts or {}).items() if value}
    source: dict[str, Any] = {
        "file": f"sources/batch{batch}/casebook.txt",
        "sha256": hashlib.sha256(kept).hexdigest(),
        "batch": batch,
        "first_page": physical_lines(text)[0].page,
        "title_zh": given.get("title_zh"),
        "title_en": given.get("title_en"),
        "publisher_zh": given.get("publisher_zh"),
        "publisher_en": given.get("publisher_en"),
        "published": given.get("published"),
        "facts_basis": (
            f"Scaffolded from {casebook.name} by ftz-reforms; title, publisher and date as given then. Check "
            "them, and say here where each comes from."
        ),
        "licence": None,
    }
    written = {
        directory / "casebook.txt": kept,
        directory / "source.json": (json.dumps(source, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        directory / "review.md": review_sheet(cases).encode("utf-8"),
    }
    for case in cases:
        written[directory / "english" / f"{case.id}.toml"] = english_template(case).encode("utf-8")
        header = f"# Metrics of case {case.number}: {case.title_zh}. Fill every empty description_en or reason.\n\n"
        written[directory / "metrics" / f"{case.id}.toml"] = (header + draft_entries(case, CaseOverlay())).encode()
    _write_folder(directory, {path.relative_to(directory): content for path, content in written.items()})
    return list(written)


def _refuse_existing(directory: Path) -> None:
    """Refuse, in one line, a scaffold folder that is anything but absent or an empty folder."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise ArgumentError(f"{directory} is a file, not a folder: a scaffold never overwrites what is there")
    if directory.is_dir() and any(directory.iterdir()):
        raise ArgumentError(f"{directory} is not empty: a scaffold never overwrites what is there")


def _write_folder(directory: Path, files: dict[Path, bytes]) -> None:
    """Write ``files`` (relative paths) as the folder ``directory``: whole, or nothing at all."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".partial", dir=directory.parent))
    except OSError as error:
        raise FileAccessError(f"cannot write {directory}: {error.strerror or error}") from None
    try:
        for relative, content in files.items():
            (scratch / relative).parent.mkdir(parents=True, exist_ok=True)
            (scratch / relative).write_bytes(content)
        os.chmod(scratch, 0o777 & ~_umask())
        _refuse_existing(directory)  # again: something may have appeared there meanwhile
        os.replace(scratch, directory)  # onto an empty folder, or a new name
    except OSError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise FileAccessError(f"cannot write {directory}: {error.strerror or error}") from None
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


_ENGLISH_SLOTS = ("title_en", "summary_en")


class _AnyTables(BaseModel):
    """A TOML file read as it is, to find its empty slots before the strict overlay models read it."""

    model_config = ConfigDict(extra="allow")


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, _AnyTables, "overlay").model_dump()


def _empty(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def _english_slots(path: Path) -> list[str]:
    overlay = _read(path)
    missing = [f"{path.name}: {slot}" for slot in _ENGLISH_SLOTS if _empty(overlay.get(slot))]
    if not overlay.get("category"):
        missing.append(f"{path.name}: [[category]] (none yet)")
    for part in ("practice", "outcome"):
        for position, entry in enumerate(overlay.get(part, []), start=1):
            if "heading_zh" in entry and _empty(entry.get("heading_en")):
                missing.append(f"{path.name}: [[{part}]] #{position} heading_en")
            if _empty(entry.get("text_en")):
                missing.append(f"{path.name}: [[{part}]] #{position} text_en")
    return missing


def _metric_slots(path: Path) -> list[str]:
    overlay = _read(path)
    return [f"{path.name}: {missing}" for missing in (*_figure_slots(overlay), *_effect_slots(overlay))]


def _figure_slots(overlay: dict[str, Any]) -> list[str]:
    """The empty description of each [[metric]] and reason of each [[not_metric]], named by span."""
    return [
        f"[[{table}]] {entry.get('span')!r} {slot}"
        for table, slot in (("metric", "description_en"), ("not_metric", "reason"))
        for entry in overlay.get(table, [])
        if slot in entry and _empty(entry[slot])
    ]


def _effect_slots(overlay: dict[str, Any]) -> list[str]:
    """The empty measure and description of each [[effect]], named by the figures it links."""
    missing = []
    for entry in overlay.get("effect", []):
        named = ", ".join(f"{end} {entry[end]!r}" for end in ("before", "after", "change") if end in entry)
        missing += [
            f"[[effect]] {named} {slot}"
            for slot in ("measure", "description_en")
            if slot in entry and _empty(entry[slot])
        ]
    return missing


def unfilled_slots(batch_directory: Path) -> list[str]:
    """Every slot of the batch's overlays that is still empty, file by file (none for a curated batch)."""
    missing: list[str] = []
    for path in sorted((batch_directory / "english").glob("*.toml")):
        missing += [f"english/{line}" for line in _english_slots(path)]
    for path in sorted((batch_directory / "metrics").glob("*.toml")):
        missing += [f"metrics/{line}" for line in _metric_slots(path)]
    return missing
