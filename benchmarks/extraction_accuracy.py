"""Accuracy of extract_metrics on the hand-written sentence table (tests/extraction_table.py).

Run from the repository root: ``python benchmarks/extraction_accuracy.py``. A figure counts as found
when a figure with the same value is extracted from its sentence; unit and qualifier are scored on the
figures found.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.extraction_table import TABLE

from ftz_reforms.text.extract import extract_metrics


def main() -> None:
    expected_total = extracted_total = value_hits = unit_hits = qualifier_hits = 0
    for sentence, expected in TABLE:
        figures = list(extract_metrics(sentence))
        expected_total += len(expected)
        extracted_total += len(figures)
        unmatched = list(figures)
        for wanted in expected:
            match = next((f for f in unmatched if abs(f.value - wanted.value) < 1e-6 * max(1, wanted.value)), None)
            if match is None:
                continue
            unmatched.remove(match)
            value_hits += 1
            unit_hits += match.unit is wanted.unit
            qualifier_hits += match.qualifier is wanted.qualifier
    print(f"sentences: {len(TABLE)} ({sum(1 for _, e in TABLE if not e)} must yield nothing)")
    print(f"expected figures: {expected_total}, extracted: {extracted_total}")
    print(f"value recall:    {value_hits / expected_total:.3f}")
    print(f"value precision: {value_hits / extracted_total:.3f}")
    print(f"unit accuracy (on values found):      {unit_hits / value_hits:.3f}")
    print(f"qualifier accuracy (on values found): {qualifier_hits / value_hits:.3f}")


if __name__ == "__main__":
    main()
