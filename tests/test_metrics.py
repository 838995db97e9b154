"""Metrics in the bundled dataset: invariants, the accounting of every numeral, the overlays, queries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms.bundling import command as build
from ftz_reforms.bundling.overlays import OverlayError, load_overlays
from ftz_reforms.model.records import Case, Dataset
from ftz_reforms.model.vocab import Qualifier, Role, Unit, Where
from ftz_reforms.text.extract import numeral_tokens, scan
from ftz_reforms.text.numerals import parse_quantity


def _text_of(case: Case, where: Where, section: int | None) -> str:
    for part in case.parts():
        if part.key == (where, section):
            return part.text_zh
    raise AssertionError(f"{case.id}: no {where.value} section {section}")


def test_every_case_with_figures_has_metrics(data: Dataset) -> None:
    assert sum(len(case.metrics) for case in data.cases) > 200
    for case in data.cases:
        if any(scan(part.text_zh).figures for part in case.parts()):
            assert case.metrics, case.id


def test_span_in_sentence_in_section_text(data: Dataset) -> None:
    for case in data.cases:
        for metric in case.metrics:
            assert metric.span in metric.sentence, metric.id
            assert metric.sentence in _text_of(case, metric.where, metric.section), metric.id


def test_values_reparse_from_their_spans(data: Dataset) -> None:
    for case in data.cases:
        for metric in case.metrics:
            quantity = parse_quantity(metric.span)
            assert quantity.value == pytest.approx(metric.value), metric.id
            assert quantity.value_max == (None if metric.value_max is None else pytest.approx(metric.value_max))


def test_ranges_and_directions(data: Dataset) -> None:
    for case in data.cases:
        for metric in case.metrics:
            is_range = metric.qualifier is Qualifier.RANGE
            assert is_range == (metric.value_max is not None), metric.id
            if metric.value_max is not None:
                assert metric.value_max > metric.value
            assert (metric.direction is not None) == (metric.role is Role.CHANGE), metric.id
            assert (metric.classifier is not None) == (metric.unit is Unit.COUNT), metric.id


def test_ids_are_unique_sequential_and_in_document_order(data: Dataset) -> None:
    ids = [metric.id for case in data.cases for metric in case.metrics]
    assert len(ids) == len(set(ids))
    for case in data.cases:
        assert [m.id for m in case.metrics] == [f"{case.id}-m{i:02d}" for i in range(1, len(case.metrics) + 1)]
        order = [part.key for part in case.parts()]
        positions = []
        for metric in case.metrics:
            text = _text_of(case, metric.where, metric.section)
            positions.append((order.index((metric.where, metric.section)), text.index(metric.sentence)))
        assert positions == sorted(positions), case.id


def test_every_metric_is_described_in_english(data: Dataset) -> None:
    for case in data.cases:
        for metric in case.metrics:
            assert metric.description_en, metric.id
            assert metric.description_en.isascii(), metric.id


def test_every_numeral_in_the_casebook_is_accounted_for(data: Dataset, repo: Path) -> None:
    overlays = load_overlays(repo / "sources" / "batch5" / "metrics", 5)
    counted = 0
    for case in data.cases:
        not_metric_spans = (
            {entry.span for entry in overlays[case.number].not_metric} if case.number in overlays else set()
        )
        metric_spans = {metric.span for metric in case.metrics}
        for part in case.parts():
            text = part.text_zh
            result = scan(text)
            explained = [(f.start, f.end) for f in result.figures if f.span in metric_spans | not_metric_spans]
            explained += [(e.start, e.end) for e in result.exclusions]
            explained += [(a, b) for a, b, token in result.unexplained if token in not_metric_spans]
            for start, end, token in numeral_tokens(text):
                counted += 1
                assert any(a <= start and end <= b for a, b in explained), (case.id, part.key, token)
    assert counted > 500


def test_a_chinese_numeral_left_unexplained_fails_the_curation(data: Dataset, repo: Path) -> None:
    from ftz_reforms.bundling.curation import CurationReport, curate_figures

    case = data.cases[6]
    overlay = load_overlays(repo / "sources" / "batch5" / "metrics", 5)[case.number]
    metrics, effects = curate_figures(case, overlay, "b5-07.toml", CurationReport())
    history = {"first_seen", "last_changed"}
    assert [m.model_dump(exclude=history) for m in metrics] == [m.model_dump(exclude=history) for m in case.metrics]
    assert [e.model_dump(exclude=history) for e in effects] == [e.model_dump(exclude=history) for e in case.effects]
    first = case.practices[0]
    changed = case.model_copy(
        update={
            "practices": (first.model_copy(update={"text_zh": first.text_zh + "力求十全十美。"}), *case.practices[1:])
        }
    )
    with pytest.raises(OverlayError, match=r"numeral '十' \(occurrence 1\) is explained by no rule"):
        curate_figures(changed, overlay, "b5-07.toml", CurationReport())


def test_no_exclusion_rule_is_a_catch_all(data: Dataset) -> None:
    from collections import Counter

    from ftz_reforms.text.extract import EXCLUSION_RULES

    rules: Counter[str] = Counter()
    for case in data.cases:
        for part in case.parts():
            rules.update(exclusion.rule for exclusion in scan(part.text_zh).exclusions)
    assert set(rules) <= set(EXCLUSION_RULES)
    assert "numeral_word" not in EXCLUSION_RULES
    # Every rule is specific: none explains most of the excluded numerals.
    assert max(rules.values()) < sum(rules.values()) / 2, rules


def _copy_sources(repo: Path, tmp_path: Path) -> Path:
    shutil.copytree(repo / "sources", tmp_path / "sources")
    return tmp_path


def test_an_uncurated_figure_fails_the_build(repo: Path, tmp_path: Path) -> None:
    root = _copy_sources(repo, tmp_path)
    overlay = root / "sources" / "batch5" / "metrics" / "b5-01.toml"
    overlay.write_text("", encoding="utf-8")
    with pytest.raises(OverlayError, match=r"b5-01\.toml.*'约5000万元'.*has no \[\[metric\]\] entry"):
        build.build_dataset(root)


def test_a_stale_overlay_entry_fails_the_build(repo: Path, tmp_path: Path) -> None:
    root = _copy_sources(repo, tmp_path)
    overlay = root / "sources" / "batch5" / "metrics" / "b5-01.toml"
    with overlay.open("a", encoding="utf-8") as file:
        file.write('\n[[not_metric]]\nspan = "42万元"\nreason = "no such figure"\n')
    with pytest.raises(OverlayError, match=r"'42万元' \(occurrence 1\) matches no figure"):
        build.build_dataset(root)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('[[metric]]\nspan = "x"\ndescription_en = "d"\nas_of = "2020"\n', "needs a one-line 'reason'"),
        # Roles follow from the effects: no entry sets one.
        ('[[metric]]\nspan = "x"\ndescription_en = "d"\nrole = "change"\nreason = "r"\n', "role: Extra inputs"),
        ('[[effect]]\nchange = "x"\nmeasure = "cost"\ndescription_en = "d"\ndirection = "up"\n', "needs a one-line"),
        ('[[effect]]\nmeasure = "cost"\ndescription_en = "d"\n', "at least one figure"),
        ('[[effect]]\nchange = "x"\nmeasure = "speed"\ndescription_en = "d"\n', "measure: Input should be"),
        ('[[not_effect]]\nchange = "x"\n', "reason"),
        ('[[metric]]\nspan = "x"\ndescription_en = "d"\ncolour = "red"\n', "Extra inputs"),
        ('[[metric]]\nspan = "x"\n', "description_en"),
        ("[[metric]\n", "not valid TOML"),
        ('[[not_metric]]\nspan = "x"\nreason = "r"\n[[not_metric]]\nspan = "x"\nreason = "r"\n', "more than one"),
    ],
)
def test_malformed_overlays_name_the_file(tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / "b5-01.toml").write_text(entry, encoding="utf-8")
    with pytest.raises(OverlayError, match=message) as raised:
        load_overlays(tmp_path, 5)
    assert "b5-01.toml" in str(raised.value)


def test_metrics_query_filters(data: Dataset) -> None:
    everything = ftz_reforms.metrics()
    assert len(everything) == sum(len(case.metrics) for case in data.cases)
    savings = ftz_reforms.metrics(unit="CNY", role="change", direction="down")
    assert savings
    assert all(f.metric.unit is Unit.CNY and f.metric.direction.value == "down" for f in savings if f.metric.direction)
    assert {f.case.number for f in ftz_reforms.metrics(case="b5-04")} == {4}
    big = ftz_reforms.metrics(unit=Unit.CNY, min_value=1e9)
    assert big
    assert all(f.metric.value >= 1e9 for f in big)
    small = ftz_reforms.metrics(unit="percent", max_value=10)
    assert all((f.metric.value_max or f.metric.value) <= 10 for f in small)
    assert {f.metric.where for f in ftz_reforms.metrics(where="intro")} == {Where.INTRO}


@pytest.mark.parametrize(
    ("name", "value"), [("unit", "furlong"), ("role", "big"), ("direction", "left"), ("where", "x")]
)
def test_unknown_filter_values_name_the_accepted_ones(name: str, value: str) -> None:
    with pytest.raises(ftz_reforms.FilterError, match="accepted values") as raised:
        ftz_reforms.metrics(**{name: value})  # type: ignore[arg-type]
    assert value in str(raised.value)


def test_drafts_cover_exactly_the_uncurated_findings(data: Dataset, repo: Path, tmp_path: Path) -> None:
    from ftz_reforms.bundling.curation import draft_entries
    from ftz_reforms.bundling.overlays import CaseOverlay
    from tests.helpers import tomllib

    overlays = load_overlays(repo / "sources" / "batch5" / "metrics", 5)
    case = data.cases[19]
    assert draft_entries(case, overlays[case.number]) == ""
    drafted = tomllib.loads(draft_entries(case, CaseOverlay()))
    assert [(e["span"], e.get("occurrence", 1)) for e in drafted["metric"]] == [
        (m.span, sum(1 for n in case.metrics[: i + 1] if n.span == m.span)) for i, m in enumerate(case.metrics)
    ]
    root = _copy_sources(repo, tmp_path)
    (root / "sources" / "batch5" / "metrics" / "b5-20.toml").unlink()
    assert build.main(["--draft-overlays", "--root", str(root)]) == 0
    redrafted = tomllib.loads((root / "sources" / "batch5" / "metrics" / "b5-20.toml").read_text(encoding="utf-8"))
    assert len(redrafted["metric"]) == len(case.metrics)
