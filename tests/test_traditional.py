"""A query in traditional characters finds what the same query in simplified characters finds."""

from __future__ import annotations

import pytest

import ftz_reforms
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval.engine import bundled_index

# (traditional, simplified): readers in Taiwan, Hong Kong and Macao type the first.
PAIRS = [
    ("網絡貨運發票", "网络货运发票"),
    ("臺灣同胞職業資格", "台湾同胞职业资格"),
    ("台灣同胞職業資格", "台湾同胞职业资格"),
    ("綜合保稅區", "综合保税区"),
    ("跨境電商出口退貨", "跨境电商出口退货"),
    ("事後監管", "事后监管"),  # 後 and 后 are one simplified character
    ("開發票", "开发票"),  # 發 …
    ("理髮", "理发"),  # … and 髮 both become 发
    ("海鐵聯運", "海铁联运"),
    ("無感續證", "无感续证"),
]


@pytest.mark.parametrize(("traditional", "simplified"), PAIRS)
def test_a_traditional_query_finds_what_its_simplified_twin_finds(traditional: str, simplified: str) -> None:
    assert bundled_index().simplified(traditional) == simplified
    twin = ftz_reforms.search(simplified)
    assert twin or simplified == "理发"
    assert ftz_reforms.search(traditional) == twin


def test_a_mixed_query_and_the_text_filter_read_traditional_too() -> None:
    assert ftz_reforms.search("網絡貨運发票 invoices") == ftz_reforms.search("网络货运发票 invoices")
    assert ftz_reforms.filter_ids(text="網絡貨運") == ftz_reforms.filter_ids(text="网络货运") == ("b5-11",)


def test_no_character_of_the_casebook_is_ever_rewritten(data: Dataset) -> None:
    mapping = bundled_index().traditional
    assert len(mapping) > 3000
    used = {char for case in data.cases for part in case.parts() for char in part.text_zh + case.title_zh}
    assert not used & set(mapping)
    assert all(len(simplified) == 1 for simplified in mapping.values())
