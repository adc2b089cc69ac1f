"""How customer names sort: Chinese names in pinyin order, without ICU.

GB 18030 (like GB 2312 before it) lists the 3,755 common hanzi by pinyin, so a name's GB 18030
bytes sort it by pinyin; Latin names keep their byte order and come first. The listing does
this in SQL (`customer_name_key`, migration 0023); this is its pure twin.
"""

from __future__ import annotations


def name_sort_key(name: str) -> bytes:
    """The bytes a customer name sorts by (PostgreSQL: convert_to(name, 'GB18030'))."""
    return name.encode("gb18030")
