"""From a published casebook to curated bilingual data: scaffold a casebook (its PDF), find the build
refusing the empty scaffold naming every slot, fill it from a fixture (the invented batch 90's curation),
build, and find the new batch beside batch 5, bilingual and searchable in English."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms.bundling import command as build
from ftz_reforms.bundling.scaffold import unfilled_slots, write_scaffold
from ftz_reforms.errors import ArgumentError
from tests.typeset import typeset

INVENTED = Path(__file__).parent / "casebooks" / "batch90"


@pytest.fixture
def checkout(repo: Path, tmp_path: Path) -> Path:
    """A source checkout's sources/ (batch 5 and the glossary), to scaffold batch 90 into."""
    shutil.copytree(repo / "sources", tmp_path / "sources")
    return tmp_path


@pytest.fixture
def scaffolded(checkout: Path) -> Path:
    pdf = typeset((INVENTED / "casebook.txt").read_text(encoding="utf-8"), checkout / "b90.pdf")
    directory = checkout / "sources" / "batch90"
    write_scaffold(pdf, batch=90, directory=directory, root=checkout, facts={"title_zh": "测试用案例集（虚构）"})
    return directory


def test_the_scaffold_holds_what_a_curator_needs(scaffolded: Path) -> None:
    names = sorted(str(path.relative_to(scaffolded)) for path in scaffolded.rglob("*") if path.is_file())
    assert names == [
        "casebook.txt",
        "english/b90-01.toml",
        "english/b90-02.toml",
        "metrics/b90-01.toml",
        "metrics/b90-02.toml",
        "review.md",
        "source.json",
    ]
    english = (scaffolded / "english" / "b90-01.toml").read_text(encoding="utf-8")
    assert "# title: 跨境数据流动便利化服务新模式" in english and 'title_en = ""' in english
    assert 'heading_zh = "建立数据目录。"' in english and "# practice 2: " in english
    assert "| b90-01-m01 | 5个工作日 | 5 | working_day |" in (scaffolded / "review.md").read_text(encoding="utf-8")
    source = json.loads((scaffolded / "source.json").read_text(encoding="utf-8"))
    assert (source["batch"], source["first_page"], source["title_zh"]) == (90, 12, "测试用案例集（虚构）")


def test_the_build_refuses_an_unfilled_scaffold_naming_every_slot(scaffolded: Path, checkout: Path) -> None:
    slots = unfilled_slots(scaffolded)
    assert "english/b90-01.toml: title_en" in slots and "english/b90-02.toml: [[category]] (none yet)" in slots
    assert "metrics/b90-01.toml: [[metric]] '5个工作日' description_en" in slots
    assert "metrics/b90-01.toml: [[effect]] before '5个工作日', after '1个工作日' measure" in slots
    with pytest.raises(build.BuildError, match=rf"^{len(slots)} slots of the curation are still empty") as raised:
        build.build_dataset(checkout)
    assert all(f"batch90/{slot}" in str(raised.value) for slot in slots)
    # Half done: b90-01's English filled, the rest still named.
    shutil.copy2(INVENTED / "english" / "b90-01.toml", scaffolded / "english" / "b90-01.toml")
    left = unfilled_slots(scaffolded)
    assert not any(slot.startswith("english/b90-01") for slot in left) and "english/b90-02.toml: title_en" in left


def test_a_filled_scaffold_builds_into_a_bilingual_batch_beside_batch_5(scaffolded: Path, checkout: Path) -> None:
    for folder in ("english", "metrics"):
        for path in (INVENTED / folder).glob("*.toml"):
            shutil.copy2(path, scaffolded / folder / path.name)
    source = json.loads((scaffolded / "source.json").read_text(encoding="utf-8"))
    fixture = json.loads((INVENTED / "source.json").read_text(encoding="utf-8"))
    source.update({key: fixture[key] for key in ("title_en", "publisher_zh", "publisher_en", "published", "licence")})
    (scaffolded / "source.json").write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    data = build.build_dataset(checkout)
    assert [document.batch for document in data.sources] == [5, 90]
    new = ftz_reforms.Collection.of(data)
    assert new.get("b90-01").title_en == "New Service Model for Facilitating Cross-Border Data Flows"
    assert new.search("cross-border data flows", lang="en")[0].id == "b90-01"
    assert [row.number for row in new.batches() if row.bundled] == [5, 90]


def test_a_scaffold_never_overwrites_and_goes_where_the_build_reads(checkout: Path, scaffolded: Path) -> None:
    with pytest.raises(ArgumentError, match="is not empty: a scaffold never overwrites"):
        write_scaffold(INVENTED / "casebook.txt", batch=90, directory=scaffolded, root=checkout)
    with pytest.raises(ArgumentError, match=r"goes in .*sources/batch91"):
        write_scaffold(INVENTED / "casebook.txt", batch=91, directory=checkout / "elsewhere", root=checkout)


def test_the_command_line_scaffolds_only_into_the_checkouts_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ftz_reforms.cli.app import main

    argv = ["import", str(INVENTED / "casebook.txt"), "--batch", "91", "--scaffold", str(tmp_path / "b91")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "sources/batch91 (the build reads it from there)" in err
    assert not (tmp_path / "b91").exists()
