"""Every effect statement of the 23 cases, as two readers found them by reading the casebook's text.

Derived from the source text, not from the dataset: each row names the figures an effect links, as printed
(before, after, change; "" where the text states none), its direction and the baseline the text names. The
readers left three statements doubtful; the reading settled them as the contract's examples do (原需…现可…
is an effect with its before alone; 节约成本N元 is a change alone):

- b5-03 outcome 3: 改革前…专设2名现场操作员…滞留卡口将产生用车费用600—800元/天/车。改革后，可节约场站人力资源，
  显著减少企业运输成本 — one effect, with its before alone (the staff); the vehicle cost is the charge per truck
  and day held at the gate, which the text gives no after or change: the reform makes holds rarer (an audit).
- b5-07: 产生经济效益约120万元 — the money the added operations bring each month, a change alone (up).
- An audit added two: 总计扣减内河运费5900万元 (b5-06, the cut in the dutiable value that is the reform's own
  mechanism, a change down, beside the tax it saves) and 集装箱吞吐量连续多年快速增长、已突破500万标箱 (b5-04, one
  end with a verb of change and no size, as 提升至全国第五); and the baseline of b5-08's 实现数据共享后 pairs
  (before_reform).
- Not effects: 最高可帮助企业抵扣运费利润25%的税额 (b5-11, a ceiling, a share of profit), and the zeros of slogans
  (零材料, 只跑一次), which are no figures.
"""

from __future__ import annotations

from typing import NamedTuple


class Read(NamedTuple):
    before: str
    after: str
    change: str
    direction: str
    baseline: str


READING: dict[str, list[Read]] = {
    "b5-01": [
        Read("", "", "约5000万元", "down", ""),
    ],
    "b5-02": [
        Read("", "", "2/3以上", "down", ""),
    ],
    "b5-03": [
        Read("", "", "1天", "down", "before_reform"),
        Read("", "", "约400万元", "down", ""),
        Read("2名", "", "", "down", "before_reform"),
    ],
    "b5-04": [
        Read("", "13.13小时", "95.09%", "down", "2017"),
        Read("", "0.29小时", "99.33%", "down", "2017"),
        Read("", "全国第五", "", "up", ""),
        Read("", "8820列", "44%", "up", ""),
        Read("", "6000标箱", "约300%", "up", "same_period_last_year"),
        Read("", "突破500万标箱", "", "up", ""),
        Read("", "第44位", "23位", "up", "2018"),
        Read("", "第9位", "9位", "up", "2018"),
    ],
    "b5-05": [
        Read("2万余件", "7万件", "", "up", "before_reform"),
        Read("", "", "22人", "down", ""),
        Read("", "", "25%以上", "down", ""),
        Read("", "", "11.38%", "down", "same_period_last_year"),
        Read("", "", "34.01%", "up", "same_period_last_year"),
    ],
    "b5-06": [
        Read("", "", "950元", "down", ""),
        Read("", "", "约380元", "down", ""),
        Read("", "", "5900万元", "down", ""),
        Read("", "", "734.5万元", "down", ""),
    ],
    "b5-07": [
        Read("6000余艘次", "约1800次", "70%", "down", "before_reform"),
        Read("", "", "240艘次", "up", ""),
        Read("", "", "1000多万元", "down", ""),
        Read("", "", "约120万元", "up", ""),
    ],
    "b5-08": [
        Read("", "", "30天以上", "down", ""),
        Read("97个工作日", "26个工作日", "", "down", ""),
        Read("26个工作日", "7个工作日", "", "down", ""),
        Read("", "", "5个工作日", "down", "before_reform"),
        Read("", "", "1500万元以上", "down", ""),
        Read("", "7个工作日", "", "down", ""),
        Read("31个", "3个", "90.3%", "down", "before_reform"),
        Read("13项", "2项", "84.6%", "down", "before_reform"),
    ],
    "b5-09": [],
    "b5-10": [
        Read("10多项", "", "", "down", "before_reform"),
        Read("20分钟", "5分钟", "75%以上", "down", ""),
        Read("20到30分钟", "", "", "down", "before_reform"),
    ],
    "b5-11": [
        Read("", "", "20%", "up", ""),
    ],
    "b5-12": [
        Read("", "", "28项", "down", ""),
        Read("", "85%", "近30%", "up", ""),
        Read("", "", "50%以上", "down", ""),
        Read("", "", "60%以上", "down", ""),
        Read("", "", "近60%", "down", ""),
        Read("", "", "近50%", "down", ""),
        Read("", "", "1/4", "down", ""),
        Read("", "", "75%", "down", ""),
        Read("", "", "近2万小时", "down", ""),
    ],
    "b5-13": [],
    "b5-14": [
        Read("", "", "2.5亿元", "down", ""),
    ],
    "b5-15": [
        Read("", "", "78.5%", "down", "before_reform"),
        Read("", "", "45%", "down", "before_reform"),
        Read("", "", "9次", "down", "before_reform"),
    ],
    "b5-16": [
        Read("60个工作日", "", "一半以上", "down", ""),
        Read("", "", "40%", "down", ""),
        Read("", "", "2个月", "down", ""),
    ],
    "b5-17": [],
    "b5-18": [],
    "b5-19": [
        Read("", "", "50%以上", "up", ""),
        Read("最长2个工作日", "不到10分钟", "", "down", "before_reform"),
    ],
    "b5-20": [],
    "b5-21": [
        Read("", "4%左右", "", "down", ""),
    ],
    "b5-22": [
        Read("", "", "75%以上", "up", ""),
        Read("", "305家", "2.5倍", "up", "2021"),
        Read("", "2137家", "2.4倍", "up", "2021"),
        Read("", "490家", "2.2倍", "up", "2021"),
        Read("", "135亿元", "1.3倍", "up", "2021"),
        Read("", "3000亿元", "超过30%", "up", ""),
        Read("", "1.6万家", "40%", "up", "same_period_last_year"),
        Read("", "1.22万家", "翻了一番", "up", ""),
    ],
    "b5-23": [
        Read("", "", "30.7%", "up", "same_period_last_year"),
    ],
}
