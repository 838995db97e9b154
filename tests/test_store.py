"""Loading the bundled dataset and looking cases up."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms import store


def test_cases_in_document_order() -> None:
    cases = ftz_reforms.cases()
    assert [case.number for case in cases] == list(range(1, len(cases) + 1))
    assert isinstance(cases, tuple)


@pytest.mark.parametrize("ref", [17, "17", " 17 ", "b5-17", "B5-17"])
def test_get_accepts_numbers_strings_and_ids(ref: int | str) -> None:
    case = ftz_reforms.get(ref)
    assert case.number == 17
    assert case.id == "b5-17"


@pytest.mark.parametrize("ref", [0, 24, -1, "0", "24", "b5-24", "b5-7", "17.0", "", "十七", True, 3.0])
def test_a_miss_names_the_valid_references(ref: object) -> None:
    with pytest.raises(ftz_reforms.CaseNotFoundError) as raised:
        ftz_reforms.get(ref)  # type: ignore[arg-type]
    assert isinstance(raised.value, LookupError)
    message = str(raised.value)
    assert "1 to 23" in message and "b5-01" in message and "b5-23" in message


def test_the_dataset_is_loaded_once_even_from_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "_dataset", None)
    seen: list[int] = []

    def load() -> None:
        seen.append(id(store.dataset()))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch, collecting: bool) -> None:
    monkeypatch.setattr(store, "_dataset", None)
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        assert len(store.cases()) == 23
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_a_failed_load_raises_restores_the_collector_and_keeps_no_dataset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / store.DATA_FILE).write_text('{"schema_version": "1.1.0"}', encoding="utf-8")
    monkeypatch.setattr(store, "DATA_DIRECTORY", tmp_path)
    monkeypatch.setattr(store, "_dataset", None)
    assert gc.isenabled()
    with pytest.raises(ValueError, match="Dataset: the field 'data_version' is missing"):
        store.dataset()
    assert gc.isenabled()
    assert store._dataset is None


def test_versions_and_source_metadata() -> None:
    data = ftz_reforms.dataset()
    assert data.data_version == ftz_reforms.version == ftz_reforms.DATA_VERSION
    assert data.schema_version == ftz_reforms.SCHEMA_VERSION
    assert data.source.batch == 5
    assert data.source.page_start <= data.cases[0].source.page_start
    assert data.source.page_end == data.cases[-1].source.page_end


def test_import_is_lazy() -> None:
    code = (
        "import sys, ftz_reforms\n"
        "heavy = [m for m in ('jieba', 'pydantic', 'ftz_reforms.build.command', 'ftz_reforms.casebook.parser',"
        " 'ftz_reforms.model.schema', 'ftz_reforms.store') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "ftz_reforms.cases()\n"
        "assert ftz_reforms.store._dataset is not None\n"
        "assert 'jieba' not in sys.modules\n"
        "assert callable(ftz_reforms.parse_casebook)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = ftz_reforms.no_such_thing  # type: ignore[attr-defined]


def test_the_bundled_load_makes_exactly_the_records_validation_makes(data: ftz_reforms.Dataset) -> None:
    from ftz_reforms._paths import DATA_DIRECTORY
    from ftz_reforms.model.records import Dataset
    from ftz_reforms.store import DATA_FILE

    validated = Dataset.model_validate_json((DATA_DIRECTORY / DATA_FILE).read_bytes())
    assert data == validated
    for ours, theirs in zip(data.cases, validated.cases):
        assert ours.model_dump() == theirs.model_dump()
        assert type(ours.metrics) is tuple and type(ours.metrics[0].unit) is type(theirs.metrics[0].unit)


def test_loading_the_bundled_data_builds_no_validator_and_cites_its_source() -> None:
    code = (
        "import ftz_reforms\n"
        "from ftz_reforms.model.records import Dataset\n"
        "case = ftz_reforms.get(17)\n"
        "assert type(Dataset.__pydantic_validator__).__name__ == 'MockValSer', 'a validator was built'\n"
        "assert 'Fifth Batch' in case.citation()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
