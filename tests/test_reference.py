"""The reference tables of the 22 pilot free trade zones and all their pilot areas: invariants over every
row, the lookups, and the sources every fact carries."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms import area, areas, zone, zones
from ftz_reforms.errors import ReferenceNotFoundError
from ftz_reforms.model.records import Dataset
from ftz_reforms.model.vocab import AreaKind, Verification
from ftz_reforms.reference import area_by_name, free_trade_zones, pilot_areas
from ftz_reforms.text.names import name_key

# The plan areas whose sizes make up a zone's total: umbrella and administrative groupings repeat them.
_COUNTED = {AreaKind.PLAN_AREA, AreaKind.CUSTOMS_SPECIAL_SUPERVISION_AREA, AreaKind.SPECIAL_AREA, AreaKind.WHOLE_ISLAND}


def test_all_22_pilot_free_trade_zones_with_unique_codes_and_names() -> None:
    assert len(zones()) == 22
    for field in ("province_zh", "province_en", "iso_code", "name_zh", "name_en"):
        values = [getattr(each, field) for each in zones()]
        assert len(set(values)) == len(values), field
    assert [each.established for each in zones()] == sorted(each.established for each in zones())


def test_official_name_patterns() -> None:
    for each in zones():
        assert each.name_zh == f"中国（{each.province_zh}）自由贸易试验区"
        assert each.name_en == f"China ({each.province_en}) Pilot Free Trade Zone"


def test_confusable_iso_codes() -> None:
    codes = {each.province_en: each.iso_code for each in zones()}
    assert (codes["Hunan"], codes["Hainan"]) == ("CN-HN", "CN-HI")
    assert (codes["Shaanxi"], codes["Henan"], codes["Hebei"]) == ("CN-SN", "CN-HA", "CN-HE")


def test_every_zone_has_areas_and_every_area_a_zone() -> None:
    provinces = {each.province_zh for each in zones()}
    by_zone = defaultdict(list)
    for each in pilot_areas():
        assert each.province_zh in provinces, each.name_zh
        by_zone[each.province_zh].append(each)
    assert set(by_zone) == provinces, "every zone has at least one area (Hainan: the whole island)"
    assert len(pilot_areas()) >= 70


def test_names_and_aliases_are_unique_across_the_table() -> None:
    seen: dict[str, str] = {}
    for each in pilot_areas():
        for name in (each.name_zh, each.name_en, each.short_name_en, *each.aliases_zh, *each.aliases_en):
            key = name_key(name)
            assert seen.setdefault(key, each.name_zh) == each.name_zh, f"{name!r} names {seen[key]} and {each.name_zh}"


def test_every_row_carries_its_sources_and_an_honest_status() -> None:
    for row in (*zones(), *pilot_areas()):
        assert row.sources, row.name_zh
        assert all(re.match(r"https?://\S+$", source) for source in row.sources), row.name_zh
    for each in pilot_areas():
        if each.status is not Verification.VERIFIED:
            assert each.note, f"{each.name_zh}: a row not fully verified says what is open"
    assert {each.status for each in pilot_areas()} == set(Verification)


def test_areas_follow_the_naming_pattern_and_point_to_real_groupings() -> None:
    zones_by_province = {each.province_zh: each for each in zones()}
    names = area_by_name()
    for each in pilot_areas():
        if each.kind is not AreaKind.WHOLE_ISLAND:
            assert each.name_en == f"{each.short_name_en} of the {zones_by_province[each.province_zh].name_en}"
        if each.part_of is not None:
            parent = names[each.part_of]
            assert parent.province_zh == each.province_zh
            assert parent.kind in {AreaKind.UMBRELLA_AREA, AreaKind.ADMINISTRATIVE_AREA, AreaKind.PLAN_AREA}


def test_sizes_add_up_to_the_zone_total_where_every_part_is_known() -> None:
    checked = 0
    for each in zones():
        parts = [a for a in areas(zone=each.iso_code) if a.kind in _COUNTED]
        if each.size_km2 is None or any(a.size_km2 is None for a in parts):
            continue
        assert math.isclose(sum(a.size_km2 or 0 for a in parts), each.size_km2, abs_tol=0.005), each.province_en
        checked += 1
    assert checked >= 15, "most zones' totals are checked"


@pytest.mark.parametrize(
    ("ref", "province"),
    [("广东", "广东"), ("Guangdong", "广东"), ("cn-gd", "广东"), ("中国（广东）自由贸易试验区", "广东"),
     ("广东自贸区", "广东"), ("guangdong ftz", "广东"), ("China (Hainan) Pilot Free Trade Zone", "海南")],
)  # fmt: skip
def test_zone_lookup_takes_every_name(ref: str, province: str) -> None:
    assert zone(ref).province_zh == province


@pytest.mark.parametrize(
    ("ref", "name"),
    [("广州南沙新区片区", "广州南沙新区片区"), ("南沙片区", "广州南沙新区片区"), ("nansha area", "广州南沙新区片区"),
     ("South Sichuan Port Area", "川南临港片区"), ("Kashi Area", "喀什片区"), ("Khorgos Area", "霍尔果斯片区"),
     ("杨凌片区", "杨凌示范区片区"), ("天津港东疆片区", "天津港片区"), ("Lin-gang Special Area", "临港新片区")],
)  # fmt: skip
def test_area_lookup_takes_names_and_aliases(ref: str, name: str) -> None:
    assert area(ref).name_zh == name


def test_an_official_name_wins_over_an_alias() -> None:
    assert area("中心片区").name_zh == "中心片区" and area("中心商务片区").name_zh == "滨海新区中心商务片区"


def test_a_miss_names_the_closest_matches() -> None:
    with pytest.raises(ReferenceNotFoundError, match=r"no pilot area '南沙新片区'; closest: .*南沙") as raised:
        area("南沙新片区")
    assert isinstance(raised.value, LookupError)
    with pytest.raises(LookupError, match="closest: Guangdong"):
        zone("Guangdon")


def test_areas_of_one_zone() -> None:
    assert [each.name_zh for each in areas(zone="Xinjiang")] == ["乌鲁木齐片区", "喀什片区", "霍尔果斯片区"]
    assert [each.kind for each in areas(zone="海南")] == [AreaKind.WHOLE_ISLAND]
    assert ftz_reforms.areas(zone="CN-ZJ") == areas(zone="浙江")


def test_hainan_is_the_island_not_the_province() -> None:
    # The whole-island row once gave 35,400 km² as verified: the province's land area, the South China Sea
    # islands included. The island is about 33,900 km², a figure reference pages state and no plan does, and
    # the column holds planned sizes: so it stays empty, and the note says both.
    island = area("海南岛全岛")
    assert island.size_km2 is None and island.status is Verification.PARTLY_VERIFIED
    assert island.note is not None and "33,900" in island.note
    assert island.note is not None and "35,400" in island.note and "province" in island.note
    assert zone("海南").size_km2 is None


def test_the_dataset_carries_the_reference_tables_and_the_cases_their_rows(data: Dataset) -> None:
    assert data.free_trade_zones == free_trade_zones()
    assert data.pilot_areas == pilot_areas()
    names = area_by_name()
    for case in data.cases:
        assert set(case.providers) <= set(zones())
        for each in case.areas:
            assert names[each.name_zh] == each


# --- the batches of the series ----------------------------------------------------------------------------

# What the researched sources state (shared/reference/batches.md, checked again): (announced, cases).
_STATED = {3: ("2019-07", 31), 4: ("2021-07", 18), 5: ("2024-01", 23), 6: ("2025-09", 29)}


def test_the_series_table_states_what_the_sources_state_and_nothing_more() -> None:
    rows = {row.number: row for row in ftz_reforms.batches()}
    assert list(rows) == [1, 2, 3, 4, 5, 6]
    for number, (announced, cases) in _STATED.items():
        assert (rows[number].announced, rows[number].cases) == (announced, cases)
        assert rows[number].status is Verification.VERIFIED and rows[number].sources
    assert (rows[2].announced, rows[2].cases) == (None, None), "no source states them: left empty"
    assert rows[1].status is Verification.UNVERIFIED
    assert all(row.sources or row.status is Verification.UNVERIFIED for row in rows.values())
    assert all(source.startswith(("http://", "https://")) for row in rows.values() for source in row.sources)


def test_each_dataset_says_which_batches_it_holds() -> None:
    assert [row.number for row in ftz_reforms.batches() if row.bundled] == [5]
    text = (Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt").read_text(encoding="utf-8")
    imported = ftz_reforms.import_casebook(text, batch=6).data
    assert [row.number for row in imported.batches if row.bundled] == [6]
    invented = ftz_reforms.import_casebook(text, batch=90).data
    assert [row.number for row in invented.batches] == [1, 2, 3, 4, 5, 6, 90]
    assert invented.batches[-1].bundled and invented.batches[-1].cases is None


def test_a_dataset_whose_batches_table_disagrees_with_its_cases_is_refused(data: Dataset) -> None:
    rows = [row.model_dump() for row in data.batches]
    rows[4]["bundled"] = False
    with pytest.raises(ValueError, match=r"bundled are batches \[\], but the dataset holds batches \[5\]"):
        Dataset.model_validate({**data.model_dump(), "batches": rows})


def test_the_readmes_coverage_statement_is_the_tables(repo: Path) -> None:
    from ftz_reforms.bundling.coverage import coverage

    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert coverage(ftz_reforms.dataset().data) in readme
    assert "batch 3 (2019-07, 31 cases)" in readme and "23 cases bundled here" in readme


def test_a_zone_or_area_lookup_never_loads_the_casebooks_parser() -> None:
    """The reference tables are a room of their own: finding 广东 or 南沙 reads two JSON files, not the parser,
    the text tools of the import or jieba."""
    code = (
        "import sys, ftz_reforms\n"
        "assert ftz_reforms.zone('CN-GD').province_en == 'Guangdong'\n"
        "assert ftz_reforms.area('南沙').short_name_en == 'Nansha Area'\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ftz_reforms.casebook', 'jieba', 'ftz_reforms.retrieval'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n", done.stdout
