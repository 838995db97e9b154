"""Hand-written sentences (not taken from the casebook) with the figures each must yield.

Each row: the sentence, then the expected figures as (span, value, unit, qualifier), plus an optional
role/direction check. Sentences that must yield nothing have an empty list. Shared by the tests and by
``benchmarks/extraction_accuracy.py``.
"""

from __future__ import annotations

from typing import NamedTuple

from ftz_reforms.model.vocab import Direction, Qualifier, Role, Unit

A, N, X, L, M, U, R = (
    Qualifier.APPROX,
    Qualifier.NEARLY,
    Qualifier.EXACT,
    Qualifier.AT_LEAST,
    Qualifier.MORE_THAN,
    Qualifier.AT_MOST,
    Qualifier.RANGE,
)


class Expected(NamedTuple):
    span: str
    value: float
    unit: Unit
    qualifier: Qualifier
    role: Role | None = None
    direction: Direction | None = None


TABLE: list[tuple[str, list[Expected]]] = [
    # money, magnitudes and qualifiers
    ("该市去年吸引外资约3.5亿美元。", [Expected("约3.5亿美元", 3.5e8, Unit.USD, A)]),
    ("项目总投资二十三亿元，分两期建设。", [Expected("二十三亿元", 2.3e9, Unit.CNY, X)]),
    ("园区实现产值1,250.5万元。", [Expected("1,250.5万元", 12_505_000, Unit.CNY, X)]),
    ("企业平均每单节省费用120元左右。", [Expected("120元左右", 120, Unit.CNY, A, Role.CHANGE, Direction.DOWN)]),
    ("全年进出口总额突破8000亿元。", [Expected("突破8000亿元", 8e11, Unit.CNY, M)]),
    ("首批授信额度超过50亿元。", [Expected("超过50亿元", 5e9, Unit.CNY, M)]),
    ("单笔补贴最高200万元。", [Expected("最高200万元", 2e6, Unit.CNY, U)]),
    ("该基金规模不少于10亿元。", [Expected("不少于10亿元", 1e9, Unit.CNY, L)]),
    ("累计发放贷款3万亿元以上。", [Expected("3万亿元以上", 3e12, Unit.CNY, L)]),
    ("物流费用约为每箱600—900元。", [Expected("600—900元", 600, Unit.CNY, R)]),
    ("每吨货物可节约运费15元。", [Expected("15元", 15, Unit.CNY, X, Role.CHANGE, Direction.DOWN)]),
    (
        "企业融资成本降低了1.2个百分点。",
        [Expected("1.2个百分点", 1.2, Unit.PERCENTAGE_POINT, X, Role.CHANGE, Direction.DOWN)],
    ),
    # percentages, fractions, tenths, times
    ("审批时限压缩百分之四十。", [Expected("百分之四十", 40, Unit.PERCENT, X, Role.CHANGE, Direction.DOWN)]),
    ("通关时间缩短了四分之三。", [Expected("四分之三", 75, Unit.PERCENT, X, Role.CHANGE, Direction.DOWN)]),
    ("线上办理率达到九成。", [Expected("九成", 90, Unit.PERCENT, X)]),
    ("外贸企业中近六成享受了该政策。", [Expected("近六成", 60, Unit.PERCENT, N)]),
    ("申请材料减少一半以上。", [Expected("一半以上", 50, Unit.PERCENT, L, Role.CHANGE, Direction.DOWN)]),
    ("五年来园区企业数量翻两番。", [Expected("翻两番", 4, Unit.TIMES, X)]),
    ("出口额是上年的1.8倍。", [Expected("1.8倍", 1.8, Unit.TIMES, X)]),
    ("物流效率提高了30%—40%。", [Expected("30%—40%", 30, Unit.PERCENT, R, Role.CHANGE, Direction.UP)]),
    ("同比增长12.5%，增速居全省前列。", [Expected("12.5%", 12.5, Unit.PERCENT, X, Role.CHANGE, Direction.UP)]),
    ("综合成本下降约15%。", [Expected("约15%", 15, Unit.PERCENT, A, Role.CHANGE, Direction.DOWN)]),
    ("满意度保持在98%以上。", [Expected("98%以上", 98, Unit.PERCENT, L)]),
    ("不良率控制在2%以内。", [Expected("2%以内", 2, Unit.PERCENT, U)]),
    # time
    (
        "办理时间由5个工作日缩短至1个工作日。",
        [
            Expected("5个工作日", 5, Unit.WORKING_DAY, X, Role.BEFORE),
            Expected("1个工作日", 1, Unit.WORKING_DAY, X, Role.AFTER),
        ],
    ),
    ("从申报到放行只需20分钟。", [Expected("20分钟", 20, Unit.MINUTE, X)]),
    # A verb of change that reaches a level (压缩至, 跃升至) makes it where the change arrived: an after.
    ("平均通关时间压缩至3.5小时。", [Expected("3.5小时", 3.5, Unit.HOUR, X, Role.AFTER)]),
    ("整个流程不超过3天。", [Expected("不超过3天", 3, Unit.DAY, U)]),
    ("企业可在15日内完成变更。", [Expected("15日内", 15, Unit.DAY, U)]),
    ("试点周期为两个月。", [Expected("两个月", 2, Unit.MONTH, X)]),
    ("该项许可有效期为5年。", [Expected("5年", 5, Unit.YEAR, X)]),
    (
        "审核时间由最长10天变为不到2天。",
        [
            Expected("最长10天", 10, Unit.DAY, U, Role.BEFORE),
            Expected("不到2天", 2, Unit.DAY, Qualifier.LESS_THAN, Role.AFTER),
        ],
    ),
    # physical units
    ("港口年吞吐量达到120万标箱。", [Expected("120万标箱", 1.2e6, Unit.TEU, X)]),
    ("新建冷库容量3万吨。", [Expected("3万吨", 30_000, Unit.TONNE, X)]),
    ("可停靠10万总吨级以上邮轮。", []),
    ("该船总吨为3000总吨。", [Expected("3000总吨", 3000, Unit.GROSS_TONNAGE, X)]),
    # 新增 counts what was added (a level of its period), as 新增…企业305家…是2021年的2.5倍 shows.
    ("新增仓储面积2.6万平方米。", [Expected("2.6万平方米", 26_000, Unit.SQUARE_METRE, X, Role.LEVEL)]),
    ("日均供水能力达50000立方米。", [Expected("50000立方米", 50_000, Unit.CUBIC_METRE, X)]),
    # counts and measure words
    ("共有128家企业入驻。", [Expected("128家", 128, Unit.COUNT, X)]),
    ("累计服务旅客超过300万人次。", [Expected("超过300万人次", 3e6, Unit.COUNT, M)]),
    ("已开通国际航线46条。", [Expected("46条", 46, Unit.COUNT, X)]),
    ("全年办理业务逾万件。", [Expected("逾万件", 10_000, Unit.COUNT, M)]),
    ("新引进人才1200余名。", [Expected("1200余名", 1200, Unit.COUNT, M)]),
    ("平台上线了一千二百项服务。", [Expected("一千二百项", 1200, Unit.COUNT, X)]),
    ("首批遴选了30至50家企业。", [Expected("30至50家", 30, Unit.COUNT, R)]),
    ("当年处理纠纷近200起。", [Expected("近200起", 200, Unit.COUNT, N)]),
    ("辖区内有外资企业2000多家。", [Expected("2000多家", 2000, Unit.COUNT, M)]),
    ("该省排名跃升至全国第三。", [Expected("全国第三", 3, Unit.RANK, X, Role.AFTER)]),
    # A scope word (全国, 全球) belongs to a rank's span, as in 全国第五.
    ("集装箱吞吐量位列全球第12位。", [Expected("全球第12位", 12, Unit.RANK, X, Role.RANK)]),
    # rates
    ("每小时可处理包裹5000件。", [Expected("5000件", 5000, Unit.COUNT, X)]),
    ("设备租金为300元/天。", [Expected("300元/天", 300, Unit.CNY, X)]),
    # several figures in one sentence
    (
        "2022年，全区新设企业3.2万家，同比增长18%。",
        [
            Expected("3.2万家", 32_000, Unit.COUNT, X),
            Expected("18%", 18, Unit.PERCENT, X, Role.CHANGE, Direction.UP),
        ],
    ),
    (
        "截至2023年9月底，累计签约项目85个，总金额约420亿元。",
        [
            Expected("85个", 85, Unit.COUNT, X),
            Expected("约420亿元", 4.2e10, Unit.CNY, A),
        ],
    ),
    # sentences that must yield nothing
    ("2021年3月，该市出台了实施方案。", []),
    ("根据《管理办法》第十二条规定执行。", []),
    ("一是优化流程；二是强化监管。", []),
    ("推行“一网通办”和“一件事一次办”改革。", []),
    ("建立“三线一单”生态环境分区管控体系。", []),
    ("该企业入选世界500强。", []),
    ("提供7×24小时不间断服务。", []),
    ("“海丰88”轮顺利靠泊。", []),
    ("海丰88轮于昨日靠泊。", []),
    ("实行统一受理、一站式服务。", []),
    ("近三年，各方协同推进改革。", []),
    ("形成了可复制可推广的经验。", []),
    ("由第三方机构开展评估。", []),
]
