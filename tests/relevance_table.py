"""Queries a reader would type, with the cases they expect: the relevance floor of ``search``.

Each row: (query, expected case numbers). The floor: at least one expected case is in the top 3, and
the first expected case listed is in the top 5. Written from reading the cases, before tuning.
"""

from __future__ import annotations

RELEVANCE = [
    # Chinese keywords
    ("退货", (1,)),
    ("海事", (12, 7, 8)),
    ("综合保税区", (3, 1)),
    ("电子口岸", (2,)),
    ("无感续证", (13,)),
    ("集装箱", (4,)),
    ("国际邮件", (5,)),
    ("完税价格", (6,)),
    ("船舶报告", (7,)),
    ("智能表单", (10,)),
    ("网络货运 发票", (11,)),
    ("京津冀", (14,)),
    ("长江航运", (15,)),
    ("排污许可", (16,)),
    ("土地超市", (18,)),
    ("离岸贸易", (19,)),
    ("开放创新", (20,)),
    ("商业保理", (21,)),
    ("秦创原", (22,)),
    ("海洋牧场", (23,)),
    ("信用", (9, 13)),
    # Chinese paraphrases: shared characters, different words
    ("台湾同胞职业资格认可", (17,)),
    ("退换货", (1,)),
    ("邮政快递跨境电商监管", (5,)),
    ("营业执照自动续期", (13,)),
    ("环评审批", (16,)),
    ("川渝海关银行", (2,)),
    # English
    ("credit supervision", (9, 13)),
    ("sea-rail", (4,)),
    ("returned goods", (1,)),
    ("maritime", (12, 7, 8)),
    ("land supermarket", (18,)),
    ("commercial factoring", (21,)),
    ("marine ranch", (23,)),
    ("Taiwan professional qualifications", (17,)),
    ("environmental impact assessment permit", (16,)),
    ("offshore trade foreign exchange", (19,)),
    ("smart form registration", (10,)),
    ("licence renewal", (13,)),
    ("invoices freight platform", (11,)),
    ("Yangtze River shipping", (15,)),
    ("international mail express", (5,)),
    # English in the words readers use (everyday equivalents kept in the glossary)
    ("business licence renewal", (13,)),
    ("bonded warehouse returns", (1,)),
    ("pollution permit", (16,)),
    ("tax office invoices", (11,)),
    ("Sichuan-Chongqing customs bank", (2,)),
    ("Taiwanese qualifications", (17,)),
    ("firms land supply", (18,)),
    # mixed language
    ("GOI 创新", (20,)),
    ("e-commerce 退货", (1,)),
    ("Qinchuangyuan 科技成果", (22,)),
]
