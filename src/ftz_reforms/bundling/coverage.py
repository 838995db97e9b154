"""The README's coverage statement, written from the batches table so that it cannot drift from the data."""

from __future__ import annotations

from ftz_reforms.model.records import BatchInfo, Dataset
from ftz_reforms.model.vocab import Verification

__all__ = ["END", "START", "coverage", "with_coverage"]

START = "<!-- coverage: written by the build from the batches table (ftz-reforms batches) -->"
END = "<!-- /coverage -->"


def _batch(row: BatchInfo, held: int) -> str:
    when = (row.announced or "date not found") + (" [unverified]" if row.status is Verification.UNVERIFIED else "")
    count = f"{row.cases} cases" if row.cases is not None else "count not stated by a source"
    if row.bundled:
        count += f"; {held} cases bundled here"
    return f"batch {row.number} ({when}, {count})"


def coverage(data: Dataset) -> str:
    """One paragraph: which batches the series has, what the sources say of each, and which are bundled."""
    held = {row.number: sum(case.batch == row.number for case in data.cases) for row in data.batches}
    listed = "; ".join(_batch(row, held[row.number]) for row in data.batches)
    bundled = [str(row.number) for row in data.batches if row.bundled]
    return (
        f"**Coverage.** The series has {len(data.batches)} batches so far: {listed}. This package bundles "
        f"batch {', '.join(bundled)}; any other batch's casebook imports into a dataset of its own. Counts and "
        "dates are the sources' own (`ftz-reforms batches` lists them), never derived from the data."
    )


def with_coverage(readme: str, data: Dataset) -> str:
    """``readme`` with the text between its coverage markers replaced by :func:`coverage`."""
    before, found, rest = readme.partition(START)
    if not found or END not in rest:
        raise ValueError(f"README.md has no coverage section between {START} and {END}")
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{coverage(data)}\n{END}{after}"
