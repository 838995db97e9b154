"""Reference tables: all 22 pilot free trade zones and every pilot area (片区) of them, with lookups.

The tables are curated JSON files beside this module, every row with the sources of its facts and how
far they confirm them (``status``, ``note``); a size no source states is left empty. Official names
follow the government's own patterns, so they are derived rather than stored twice:
中国（广东）自由贸易试验区, "China (Guangdong) Pilot Free Trade Zone", "Nansha Area of the China
(Guangdong) Pilot Free Trade Zone".

A name table (``zone_table_of``, ``area_table_of``) finds a row by its Chinese or English name, an alias or
(for a zone) an ISO code, ignoring case; an official name wins over an alias; a miss raises
``ReferenceNotFoundError`` naming the closest names. A dataset's ``zone()`` and ``area()`` read its own tables
through them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from ftz_reforms.model.records import BatchInfo, FreeTradeZone, PilotArea
from ftz_reforms.text.names import NameTable

__all__ = [
    "area_by_name",
    "area_names",
    "area_short_forms",
    "area_table",
    "area_table_of",
    "batches_held",
    "free_trade_zones",
    "pilot_areas",
    "series_batches",
    "zone_by_province",
    "zone_name_en",
    "zone_name_zh",
    "zone_names",
    "zone_table",
    "zone_table_of",
]

_HERE = Path(__file__).resolve().parent


def _read(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = orjson.loads((_HERE / name).read_bytes())
    return data


def zone_name_zh(province_zh: str) -> str:
    return f"中国（{province_zh}）自由贸易试验区"


def zone_name_en(province_en: str) -> str:
    return f"China ({province_en}) Pilot Free Trade Zone"


@cache
def free_trade_zones() -> tuple[FreeTradeZone, ...]:
    """All pilot free trade zones, in order of establishment."""
    # A row holds the facts; the official names follow from the province (zone_name_zh, zone_name_en).
    return tuple(
        FreeTradeZone(**row, name_zh=zone_name_zh(row["province_zh"]), name_en=zone_name_en(row["province_en"]))
        for row in _read("free_trade_zones.json")
    )


@cache
def series_batches() -> tuple[BatchInfo, ...]:
    """The batches of the series of best practice cases, as the reference table holds them (none bundled)."""
    return tuple(BatchInfo(**row) for row in _read("batches.json"))


def batches_held(held: Iterable[int]) -> tuple[BatchInfo, ...]:
    """The series' batches, each saying whether it is one of ``held``; a held batch the series table does not
    know (a user's own numbering) gets a row of its own, with no facts."""
    numbers = set(held)
    rows = {row.number: row.model_copy(update={"bundled": row.number in numbers}) for row in series_batches()}
    for number in numbers - set(rows):
        rows[number] = BatchInfo(
            number=number,
            bundled=True,
            note="Not a batch of the series' reference table: a casebook numbered by whoever imported it.",
        )
    return tuple(rows[number] for number in sorted(rows))


@cache
def zone_by_province() -> dict[str, FreeTradeZone]:
    """Zones keyed by their province's Chinese name (广东)."""
    return {zone.province_zh: zone for zone in free_trade_zones()}


@cache
def pilot_areas() -> tuple[PilotArea, ...]:
    """Every pilot area of every zone, zone by zone."""
    zones = zone_by_province()
    areas = []
    for row in _read("pilot_areas.json"):
        # A row names its zone by province; the full English name, where the row has none, follows the pattern.
        facts = {name: value for name, value in row.items() if name != "zone"}
        zone = zones[row["zone"]]
        full_name = row.get("name_en") or f"{row['short_name_en']} of the {zone.name_en}"
        areas.append(PilotArea(**{**facts, "name_en": full_name, "province_zh": zone.province_zh}))
    return tuple(areas)


@cache
def area_by_name() -> dict[str, PilotArea]:
    """Pilot areas keyed by their official Chinese name (广州南沙新区片区)."""
    return {area.name_zh: area for area in pilot_areas()}


def zone_names(zone: FreeTradeZone) -> tuple[list[str], list[str]]:
    """A zone's official names (Chinese, English, province, ISO code) and its short forms."""
    province, english = zone.province_zh, zone.province_en
    official = [zone.name_zh, zone.name_en, zone.province_zh, zone.province_en, zone.iso_code]
    aliases = [
        f"{province}自贸试验区",
        f"{province}自贸区",
        f"{province}自由贸易试验区",
        f"中国（{province}）自贸试验区",
        f"{english} Pilot Free Trade Zone",
        f"{english} Free Trade Zone",
        f"{english} FTZ",
        f"{english} Pilot FTZ",
        f"China ({english}) FTZ",
    ]
    return official, aliases


def zone_table_of(zones: Iterable[FreeTradeZone]) -> NameTable[FreeTradeZone]:
    """``zones`` by their Chinese and English names, province, ISO code and short forms."""
    return NameTable(
        "free trade zone",
        ((zone, *zone_names(zone)) for zone in zones),
        "ftz_reforms.zones() and `ftz-reforms zones` list them all",
    )


_AREA = "片区"


def area_short_forms(area: PilotArea) -> list[str]:
    """An area's Chinese names without 片区, as people say them (南沙 of 南沙片区, 张江高科技 of 张江高科技片区),
    where at least two characters are left."""
    forms = (name.removesuffix(_AREA) for name in (area.name_zh, *area.aliases_zh) if name.endswith(_AREA))
    return [form for form in forms if len(form) >= 2]


def area_names(area: PilotArea) -> tuple[list[str], list[str]]:
    """An area's official names (Chinese, English, short English) and its aliases and short forms
    (``area_short_forms``): every name a lookup or a filter takes."""
    official = [area.name_zh, area.name_en, area.short_name_en]
    return official, [*area.aliases_zh, *area.aliases_en, *area_short_forms(area)]


def area_table_of(areas: Iterable[PilotArea]) -> NameTable[PilotArea]:
    """``areas`` by every name they go by (``area_names``)."""
    return NameTable(
        "pilot area",
        ((area, *area_names(area)) for area in areas),
        "ftz_reforms.areas() and `ftz-reforms areas` list them all",
    )


@cache
def zone_table() -> NameTable[FreeTradeZone]:
    """Every zone of the reference table by every name it goes by."""
    return zone_table_of(free_trade_zones())


@cache
def area_table() -> NameTable[PilotArea]:
    """Every pilot area of the reference table by every name it goes by."""
    return area_table_of(pilot_areas())
