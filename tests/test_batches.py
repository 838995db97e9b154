"""Every batch: the build takes every batch folder under sources/, and any casebook in the layout imports
into a dataset that validates, loads and answers the same queries, from Python and the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.bundling import command as build
from ftz_reforms.cli.app import main
from ftz_reforms.collection import Collection, load
from ftz_reforms.errors import CasebookError, CaseNotFoundError, DatasetFileError, FileAccessError
from ftz_reforms.model.records import Dataset
from ftz_reforms.model.vocab import AreaKind
from ftz_reforms.reference import free_trade_zones as reference_zones
from ftz_reforms.reference import pilot_areas as reference_areas
from ftz_reforms.validate import validate_bytes
from tests.helpers import casebook

INVENTED = Path(__file__).parent / "casebooks" / "batch90"


@pytest.fixture(scope="module")
def two_batches(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The build of the repository's sources plus the invented batch 90."""
    root = tmp_path_factory.mktemp("two-batches")
    shutil.copytree(repo / "sources", root / "sources")
    shutil.copytree(INVENTED, root / "sources" / "batch90")
    return build.build_dataset(root)


def test_the_build_takes_every_batch_folder(two_batches: Dataset, data: Dataset) -> None:
    assert [document.batch for document in two_batches.sources] == [5, 90]
    assert [case.id for case in two_batches.cases] == [case.id for case in data.cases] + ["b90-01", "b90-02"]
    batch90 = two_batches.source_of(90)
    assert batch90.title_en == "Invented Casebook for the Tests" and (batch90.page_start, batch90.page_end) == (12, 14)


def test_a_second_batch_leaves_the_shipped_cases_as_they_are(two_batches: Dataset, data: Dataset) -> None:
    assert two_batches.cases[: len(data.cases)] == data.cases
    assert two_batches.source_of(5) == data.source


def test_each_batch_cites_its_own_casebook(two_batches: Dataset) -> None:
    loaded = Collection.of(two_batches)
    assert "Invented Casebook for the Tests (测试用案例集（虚构）), case 2 [b90-02]" in loaded.cite("b90-02")
    assert "Fifth Batch of Best Practice Cases" in loaded.cite("b5-17")


def test_with_two_batches_a_bare_number_is_refused_and_says_why(two_batches: Dataset) -> None:
    loaded = Collection.of(two_batches)
    assert loaded.get("b5-17").title_zh == "台胞职业资格一体化服务模式"
    with pytest.raises(CaseNotFoundError, match=r"holds batches 5, 90, so a bare number names no single case"):
        loaded.get(17)
    with pytest.raises(CaseNotFoundError, match="from 'b90-01' to 'b90-02'"):
        loaded.get("b90-03")


def test_a_dataset_of_two_batches_searches_both(two_batches: Dataset) -> None:
    loaded = Collection.of(two_batches)
    assert loaded.search("边境贸易结算")[0].id == "b90-02"
    assert loaded.search("退货")[0].id == "b5-01"
    assert loaded.search("边境贸易结算")[0].case is loaded.get("b90-02")
    assert loaded.filter_ids(province="Xinjiang") == ("b90-01", "b90-02")
    assert [case.id for case in loaded.filter_cases(text="边境贸易结算")] == ["b90-02"]


# --- import ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported() -> Dataset:
    text = (INVENTED / "casebook.txt").read_text(encoding="utf-8")
    return ftz_reforms.import_casebook(text, batch=90, file="casebook.txt", title_zh="测试用案例集（虚构）").data


def test_an_imported_casebook_has_every_layout_variant_right(imported: Dataset) -> None:
    first, second = imported.cases
    assert first.title_zh == "跨境数据流动便利化服务新模式", "a title wrapped over two lines"
    assert [zone.province_zh for zone in first.providers] == ["江苏", "新疆"], "a provider line wrapped mid-name"
    assert [area.name_zh for area in first.areas] == ["苏州片区", "霍尔果斯片区"]
    assert [area.name_zh for area in second.areas] == ["喀什片区"]
    assert first.practices[0].ordinal is None and first.practices[0].text_zh == "两地建立协同机制，统一服务标准。"
    assert first.practices[1].points == ("一是梳理数据清单；", "二是明确分类标准。")
    assert first.practices[2].heading_zh == "优化审批流程。", "a half-width (二）"
    assert first.practices[2].text_zh.endswith("节约成本3.5亿元。"), "a line starting with a decimal is body text"
    assert (second.practices_label_zh, second.outcomes_label_zh) == ("主要举措", "主要成效")
    assert [section.ordinal for section in second.practices] == [None], "a part without sub-sections"
    assert (first.source.page_start, first.source.page_end, second.source.page_start) == (12, 13, 14)


def test_an_imported_casebook_is_uncurated_and_says_so(imported: Dataset) -> None:
    metrics = [metric for case in imported.cases for metric in case.metrics]
    assert [metric.span for metric in metrics[:4]] == ["5个工作日", "1个工作日", "50%", "3.5亿元"]
    assert all(not metric.curated and metric.description_en is None for metric in metrics)
    assert all(
        case.title_en is None and case.categories == () and 3 <= len(case.keywords) <= 10 for case in imported.cases
    )
    source = imported.source
    assert source.title_zh == "测试用案例集（虚构）" and source.publisher_zh is None and source.licence is None
    assert "uncurated" in source.facts_basis and "title as given by whoever imported it" in source.facts_basis
    assert source.sha256 == build.hashlib.sha256((INVENTED / "casebook.txt").read_bytes()).hexdigest()


def test_an_imported_dataset_validates_against_the_committed_schema(imported: Dataset, repo: Path) -> None:
    schema = json.loads((repo / "schemas" / "dataset.schema.json").read_text(encoding="utf-8"))
    document = imported.model_dump(mode="json")
    jsonschema.Draft202012Validator(schema).validate(document)
    assert validate_bytes(json.dumps(document, ensure_ascii=False).encode()) == []


def test_load_answers_the_same_queries_as_the_library(imported: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "b90.json"
    path.write_text(imported.model_dump_json(), encoding="utf-8")
    loaded = load(path)
    assert loaded.cases() == imported.cases
    assert loaded.get(2) is loaded.get("b90-02")
    assert [found.metric.span for found in loaded.metrics(case=2, unit="小时")] == ["2小时"]
    assert [case.id for case in loaded.filter_cases(area="Kashi Area")] == ["b90-02"]
    hit = loaded.search("结算")[0]
    assert (hit.id, hit.case.id) == ("b90-02", "b90-02")
    assert [row["case_id"] for row in loaded.to_records("cases")] == ["b90-01", "b90-02"]
    assert loaded.to_records("areas") == ftz_reforms.to_records("areas")


def test_load_names_what_is_wrong_with_a_file(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_bytes((Path(__file__).parent / "validation" / "valid" / "case.json").read_bytes())
    with pytest.raises(DatasetFileError, match=r"case\.json: not a valid ftz-reforms dataset: \$\.schema_version"):
        load(tmp_path / "case.json")
    with pytest.raises(FileAccessError, match="cannot read"):
        load(tmp_path / "missing.json")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_and_query_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "b90.json"
    code, _, err = _cli(capsys, "import", str(INVENTED / "casebook.txt"), "--batch", "90", "-o", str(target))
    assert code == 0 and "imported 2 cases and 9 uncurated figures of batch 90" in err
    assert _cli(capsys, "validate", str(target))[0] == 0
    code, out, _ = _cli(capsys, "--data", str(target), "show", "2")
    assert code == 0 and "边境贸易结算新模式" in out and "喀什片区 (Kashgar Area)" in out
    code, out, _ = _cli(capsys, "--data", str(target), "search", "结算", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("1,b90-02,")
    code, out, _ = _cli(capsys, "--data", str(target), "metrics", "--case", "b90-01", "--format", "json")
    assert code == 0 and [row["curated"] for row in json.loads(out)] == [False] * 6
    code, out, _ = _cli(capsys, "--data", str(target), "list", "--province", "江苏")
    assert code == 0 and "b90-01" in out and "b90-02" not in out


def test_every_fact_the_import_command_takes_reaches_the_source_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typing import get_type_hints

    from ftz_reforms.assemble import CasebookFacts

    given = {
        "title_zh": "测试用案例集（虚构）",
        "title_en": "Invented Casebook",
        "publisher_zh": "测试办公室",
        "publisher_en": "The Test Office",
        "published": "2024-01",
    }
    assert set(given) == set(get_type_hints(CasebookFacts)), "every fact a casebook's source can be given"
    target = tmp_path / "b90.json"
    options = [part for name, value in given.items() for part in (f"--{name.replace('_', '-')}", value)]
    code, _, err = _cli(capsys, "import", str(INVENTED / "casebook.txt"), "--batch", "90", *options, "-o", str(target))
    assert code == 0, err
    source = load(target).data.sources[0]
    assert {name: getattr(source, name) for name in given} == given


def test_importing_what_is_not_a_casebook_names_the_first_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("会议纪要\n\n 1.标题\n\n正文没有提供者\n\n", encoding="utf-8")
    code, out, err = _cli(capsys, "import", str(tmp_path / "notes.txt"), "--batch", "7")
    assert (code, out) == (
        2,
        "",
    ) and err == "ftz-reforms: line 1: text before the first case; expected a case line such as ' 1.标题'\n"
    with pytest.raises(CasebookError, match="line 1: no case found"):
        ftz_reforms.import_casebook("随便写的一段话。", batch=7)
    code, _, err = _cli(capsys, "import", str(tmp_path / "missing.txt"), "--batch", "7")
    assert code == 2 and "cannot read" in err


def test_an_unknown_area_names_its_line_and_the_closest_known_areas() -> None:
    text = casebook(
        " 1.测试案例",
        "中国（江苏）自由贸易试验区提供",
        "为推进改革，江苏自贸试验区",
        "苏州工业片区开展试点。",
        "一、主要做法",
        "开展试点。",
        "二、实践效果",
        "效果良好。",
    )
    with pytest.raises(CasebookError, match=r"^line 7: unknown pilot area 苏州工业片区; closest known areas: 苏州片区"):
        ftz_reforms.import_casebook(text, batch=7)


# --- any casebook in the layout: generated ---------------------------------------------------------

_PLAN_AREAS = [area for area in reference_areas() if area.kind is AreaKind.PLAN_AREA]
_WORDS = ["跨境", "服务", "监管", "平台", "企业", "港口", "审批", "通关", "数据", "协同", "机制", "标准"]


@st.composite
def _casebooks(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    """A casebook in the layout, and what each of its cases holds."""
    lines: list[str] = []
    cases: list[dict[str, object]] = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        title = "".join(draw(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=5))) + "新模式"
        cut = draw(st.integers(0, len(title) - 1))
        lines += [f" {number}.{title}"] if cut == 0 else [f" {number}.{title[:cut]}", title[cut:]]
        area = draw(st.sampled_from(_PLAN_AREAS))
        zone = next(zone for zone in reference_zones() if zone.province_zh == area.province_zh)
        provider = f"{zone.name_zh}提供"
        wrap = draw(st.integers(0, len(provider) - 3))
        lines += [provider] if wrap == 0 else [provider[:wrap], provider[wrap:]]
        lines.append(f"{area.province_zh}自贸试验区{area.name_zh}推出{title}。")
        sections = draw(st.integers(0, 3))
        lines.append("一、" + draw(st.sampled_from(["主要做法", "主要举措"])))
        if sections == 0:
            lines.append("建立工作机制。")
        for ordinal in range(1, sections + 1):
            marker = "一二三"[ordinal - 1]
            opening = draw(st.sampled_from(["（", "("]))
            lines.append(f"{opening}{marker}）{draw(st.sampled_from(_WORDS))}提质增效。一是优化流程；二是压缩时限。")
        lines += ["二、" + draw(st.sampled_from(["实践效果", "主要成效"])), "企业获得感明显增强。"]
        cases.append({"title": title, "province": zone.province_zh, "area": area.name_zh, "sections": sections})
    return casebook(*lines), cases


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_casebooks())
def test_any_casebook_in_the_layout_parses_as_written(generated: tuple[str, list[dict[str, object]]]) -> None:
    text, expected = generated
    cases = ftz_reforms.parse_casebook(text, batch=42)
    assert [case.id for case in cases] == [f"b42-{n:02d}" for n in range(1, len(expected) + 1)]
    for case, wanted in zip(cases, expected):
        assert case.title_zh == wanted["title"]
        assert [zone.province_zh for zone in case.providers] == [wanted["province"]]
        assert [area.name_zh for area in case.areas] == [wanted["area"]]
        assert len(case.practices) == max(1, int(str(wanted["sections"])))
        assert all(len(section.points) == 2 for section in case.practices if section.ordinal is not None)


def test_the_cli_import_runs_as_a_fresh_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ftz_reforms", "import", str(INVENTED / "casebook.txt"), "--batch", "90"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [case["id"] for case in document["cases"]] == ["b90-01", "b90-02"]
    assert result.stderr.startswith("imported 2 cases")
