"""Invariants of the reference tables of pilot free trade zones and pilot areas."""

from __future__ import annotations

from ftz_reforms.casebook.reference import area_by_name, free_trade_zones, pilot_areas
from ftz_reforms.model.records import Dataset


def test_all_22_pilot_free_trade_zones_with_unique_codes_and_names() -> None:
    zones = free_trade_zones()
    assert len(zones) == 22
    for field in ("province_zh", "province_en", "iso_code", "name_zh", "name_en"):
        values = [getattr(zone, field) for zone in zones]
        assert len(set(values)) == len(values), field
    assert [zone.established for zone in zones] == sorted(zone.established for zone in zones)


def test_official_name_patterns() -> None:
    for zone in free_trade_zones():
        assert zone.name_zh == f"中国（{zone.province_zh}）自由贸易试验区"
        assert zone.name_en == f"China ({zone.province_en}) Pilot Free Trade Zone"


def test_confusable_iso_codes() -> None:
    codes = {zone.province_en: zone.iso_code for zone in free_trade_zones()}
    assert codes["Hunan"] == "CN-HN"
    assert codes["Hainan"] == "CN-HI"
    assert codes["Shaanxi"] == "CN-SN"
    assert codes["Henan"] == "CN-HA"
    assert codes["Hebei"] == "CN-HE"


def test_every_area_belongs_to_a_zone_and_follows_the_naming_pattern() -> None:
    zones = {zone.province_zh: zone for zone in free_trade_zones()}
    names = [area.name_zh for area in pilot_areas()]
    assert len(set(names)) == len(names)
    for area in pilot_areas():
        assert area.name_zh.endswith("片区")
        assert area.short_name_en.endswith("Area")
        assert area.name_en == f"{area.short_name_en} of the {zones[area.province_zh].name_en}"


def test_every_provider_and_area_of_the_casebook_resolves(data: Dataset) -> None:
    zones = set(free_trade_zones())
    areas = area_by_name()
    for case in data.cases:
        assert set(case.providers) <= zones
        for area in case.areas:
            assert areas[area.name_zh] == area
    assert data.free_trade_zones == free_trade_zones()
    used = {area.name_zh for case in data.cases for area in case.areas}
    assert used == set(areas), "every curated area is named by some case"
