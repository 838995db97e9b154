"""The reference tables of the 22 pilot free trade zones and all their pilot areas: invariants over every
row, the lookups, and the sources every fact carries."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import pytest

import ftz_reforms
from ftz_reforms import area, areas, zone, zones
from ftz_reforms.casebook.reference import area_by_name, free_trade_zones, pilot_areas
from ftz_reforms.errors import ReferenceNotFoundError
from ftz_reforms.model.records import Dataset
from ftz_reforms.model.vocab import AreaKind, Verification
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


def test_the_dataset_carries_the_reference_tables_and_the_cases_their_rows(data: Dataset) -> None:
    assert data.free_trade_zones == free_trade_zones()
    assert data.pilot_areas == pilot_areas()
    names = area_by_name()
    for case in data.cases:
        assert set(case.providers) <= set(zones())
        for each in case.areas:
            assert names[each.name_zh] == each
