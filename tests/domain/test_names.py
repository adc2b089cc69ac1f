"""Customer names sort by pinyin through their GB 18030 bytes."""

from __future__ import annotations

from domain.names import name_sort_key


def test_common_hanzi_sort_by_pinyin_after_latin_names():
    names = ["张三贸易", "重庆钢铁", "阿里巴巴", "北京建材", "Zeta Ltd", "alpha GmbH", "上海测试"]
    # a(li) < bei(jing) < shang(hai) < zhang < zhong: GB 2312 files 重 under zhong
    assert sorted(names, key=name_sort_key) == [
        "Zeta Ltd",
        "alpha GmbH",
        "阿里巴巴",
        "北京建材",
        "上海测试",
        "张三贸易",
        "重庆钢铁",
    ]
