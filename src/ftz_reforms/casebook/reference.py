"""Reference tables: the pilot free trade zones and the pilot areas (片区) the casebooks name.

The tables are curated JSON files beside this module. Official names follow the government's own
patterns, so they are derived from the province rather than stored twice: 中国（广东）自由贸易试验区,
"China (Guangdong) Pilot Free Trade Zone", "Nansha Area of the China (Guangdong) Pilot Free Trade Zone".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import orjson

from ftz_reforms.model.records import FreeTradeZone, PilotArea

__all__ = ["area_by_name", "free_trade_zones", "pilot_areas", "zone_by_province"]

_HERE = Path(__file__).resolve().parent


def _read(name: str) -> list[dict[str, object]]:
    data: list[dict[str, object]] = orjson.loads((_HERE / name).read_bytes())
    return data


def zone_name_zh(province_zh: str) -> str:
    return f"中国（{province_zh}）自由贸易试验区"


def zone_name_en(province_en: str) -> str:
    return f"China ({province_en}) Pilot Free Trade Zone"


@cache
def free_trade_zones() -> tuple[FreeTradeZone, ...]:
    """All pilot free trade zones, in order of establishment."""
    return tuple(
        FreeTradeZone(
            province_zh=str(row["province_zh"]),
            province_en=str(row["province_en"]),
            iso_code=str(row["iso_code"]),
            name_zh=zone_name_zh(str(row["province_zh"])),
            name_en=zone_name_en(str(row["province_en"])),
            established=int(str(row["established"])),
        )
        for row in _read("free_trade_zones.json")
    )


@cache
def zone_by_province() -> dict[str, FreeTradeZone]:
    """Zones keyed by their province's Chinese name (广东)."""
    return {zone.province_zh: zone for zone in free_trade_zones()}


@cache
def pilot_areas() -> tuple[PilotArea, ...]:
    """The pilot areas named in the casebooks."""
    zones = zone_by_province()
    areas = []
    for row in _read("pilot_areas.json"):
        province = str(row["province_zh"])
        short = str(row["short_name_en"])
        areas.append(
            PilotArea(
                name_zh=str(row["name_zh"]),
                name_en=f"{short} of the {zones[province].name_en}",
                short_name_en=short,
                province_zh=province,
            )
        )
    return tuple(areas)


@cache
def area_by_name() -> dict[str, PilotArea]:
    """Pilot areas keyed by their Chinese name (广州南沙新区片区)."""
    return {area.name_zh: area for area in pilot_areas()}
