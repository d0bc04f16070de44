"""Entity extraction table: values, offsets into the original text, relative periods."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu.clock import BEIJING
from nlu.entities import extract_entities

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)
JAN = datetime(2026, 1, 15, 9, 0, tzinfo=BEIJING)

# (text, reference time, [(entity, value, surface in the original text)])
CASES: list[tuple[str, datetime, list[tuple[str, str, str]]]] = [
    ("绑定3号楼2单元501", NOW, [("unit", "3-2-501", "3号楼2单元501")]),
    ("3栋2单元501室漏水", NOW, [("unit", "3-2-501", "3栋2单元501室")]),
    ("我家3-2-501", NOW, [("unit", "3-2-501", "3-2-501")]),
    ("3#2-501卫生间漏水", NOW, [("unit", "3-2-501", "3#2-501")]),
    ("十号楼二单元五零二", NOW, [("unit", "10-2-502", "十号楼二单元五零二")]),
    ("三号楼二单元五百零一", NOW, [("unit", "3-2-501", "三号楼二单元五百零一")]),
    ("12栋1102", NOW, [("unit", "12-1102", "12栋1102")]),
    ("12号楼1102室欠费吗", NOW, [("unit", "12-1102", "12号楼1102室")]),
    ("5号楼3门201下水堵了", NOW, [("unit", "5-3-201", "5号楼3门201")]),
    ("3號樓2單元501", NOW, [("unit", "3-2-501", "3號樓2單元501")]),
    ("３号楼２单元５０１", NOW, [("unit", "3-2-501", "３号楼２单元５０１")]),
    ("我家在3楼", NOW, []),
    ("绑定 3号楼2-801", NOW, [("unit", "3-2-801", "3号楼2-801")]),
    ("building 4, unit 1, room 702", NOW, [("unit", "4-1-702", "building 4, unit 1, room 702")]),
    ("bldg 12 room 1102", NOW, [("unit", "12-1102", "bldg 12 room 1102")]),
    ("手机13812345678", NOW, [("phone", "13812345678", "13812345678")]),
    ("电话138 1234 5678", NOW, [("phone", "13812345678", "138 1234 5678")]),
    ("尾号5678", NOW, [("phone", "5678", "5678")]),
    ("手机后四位是8899", NOW, [("phone", "8899", "8899")]),
    ("物业费还欠多少", NOW, [("bill_item", "property_fee", "物业费")]),
    ("管理费", NOW, [("bill_item", "property_fee", "管理费")]),
    ("停车管理费", NOW, [("bill_item", "parking", "停车管理费")]),
    ("车位费", NOW, [("bill_item", "parking", "车位费")]),
    ("煤气费和燃气费", NOW, [("bill_item", "gas", "煤气费"), ("bill_item", "gas", "燃气费")]),
    ("取暖费", NOW, [("bill_item", "heating", "取暖费")]),
    ("供暖费", NOW, [("bill_item", "heating", "供暖费")]),
    ("水费", NOW, [("bill_item", "water", "水费")]),
    ("水电费", NOW, [("bill_item", "water", "水"), ("bill_item", "electricity", "电费")]),
    ("水电燃气费", NOW, [("bill_item", "water", "水"), ("bill_item", "electricity", "电"),
                        ("bill_item", "gas", "燃气费")]),
    ("物业、停车费", NOW, [("bill_item", "property_fee", "物业"), ("bill_item", "parking", "停车费")]),
    ("停水停电", NOW, []),
    ("物业废", NOW, [("bill_item", "property_fee", "物业废")]),
    ("pay the water bill", NOW, [("bill_item", "water", "water bill")]),
    ("property fees", NOW, [("bill_item", "property_fee", "property fees")]),
    ("overcharged for parking", NOW, [("bill_item", "parking", "parking")]),
    ("the parking lot is flooded", NOW, []),
    ("我要续费车位", NOW, [("bill_item", "parking", "车位")]),
    ("暖器费", NOW, [("bill_item", "heating", "暖器费")]),
    ("上个月水费多少", NOW, [("period", "2026-10", "上个月"), ("bill_item", "water", "水费")]),
    ("上个月", JAN, [("period", "2025-12", "上个月")]),
    ("上上个月", JAN, [("period", "2025-11", "上上个月")]),
    ("下个月", NOW, [("period", "2026-12", "下个月")]),
    ("这个月", NOW, [("period", "2026-11", "这个月")]),
    ("本月", NOW, [("period", "2026-11", "本月")]),
    ("一月份", NOW, [("period", "2026-01", "一月份")]),
    ("10月份", NOW, [("period", "2026-10", "10月份")]),
    ("三月份的电费", NOW, [("period", "2026-03", "三月份"),
                          ("bill_item", "electricity", "电费")]),
    ("十二月", NOW, [("period", "2026-12", "十二月")]),
    ("去年", NOW, [("period", "2025", "去年")]),
    ("今年", NOW, [("period", "2026", "今年")]),
    ("前年", NOW, [("period", "2024", "前年")]),
    ("去年", JAN, [("period", "2025", "去年")]),
    ("2025年", NOW, [("period", "2025", "2025年")]),
    ("2025年3月", NOW, [("period", "2025-03", "2025年3月")]),
    ("去年12月", NOW, [("period", "2025-12", "去年12月")]),
    ("25年的物业费", NOW, [("period", "2025", "25年"),
                         ("bill_item", "property_fee", "物业费")]),
    ("last month", NOW, [("period", "2026-10", "last month")]),
    ("this month", JAN, [("period", "2026-01", "this month")]),
    ("产权还剩25年", NOW, []),
    ("一个月一次", NOW, []),
    ("垃圾在楼下一个月了", NOW, []),
    ("马上月底了", NOW, []),
    ("单号A1023", NOW, [("ticket_id", "A1023", "A1023")]),
    ("R20261127001进度", NOW, [("ticket_id", "R20261127001", "R20261127001")]),
    ("给师傅五星", NOW, [("rating", "5", "五星")]),
    ("打3分", NOW, [("rating", "3", "3分")]),
    ("5分", NOW, [("rating", "5", "5分")]),
    ("一星", NOW, [("rating", "1", "一星")]),
    ("5 stars", NOW, [("rating", "5", "5 stars")]),
    ("给个好评", NOW, []),
    ("等了五分钟", NOW, []),
    ("三星手机", NOW, []),
    # A month right after the 下 of 查下 / 一下 is a month (it used to be dropped).
    ("查下九月份电费", NOW, [("period", "2026-09", "九月份"),
                            ("bill_item", "electricity", "电费")]),
    ("查一下9月份电费", NOW, [("period", "2026-09", "9月份"),
                              ("bill_item", "electricity", "电费")]),
    ("看下10月的水费", NOW, [("period", "2026-10", "10月"), ("bill_item", "water", "水费")]),
    ("查下一个月", NOW, [("period", "2026-12", "下一个月")]),
    # A stated scale is not a rating.
    ("满分5分我给4分", NOW, [("rating", "4", "4分")]),
    ("5分满分给3分", NOW, [("rating", "3", "3分")]),
    ("满分五星 给四星", NOW, [("rating", "4", "四星")]),
    ("给满分", NOW, [("rating", "5", "满分")]),
    ("4 out of 5 stars", NOW, [("rating", "4", "4 out of 5")]),
    # All-digit ticket numbers: our dated numbers without the letter, or after a ticket word.
    ("工单20261127001进度", NOW, [("ticket_id", "20261127001", "20261127001")]),
    ("20261127001", NOW, [("ticket_id", "20261127001", "20261127001")]),
    ("单号12345怎么样了", NOW, [("ticket_id", "12345", "12345")]),
    ("工单号是 778", NOW, [("ticket_id", "778", "778")]),
    ("ticket number 0032 status", NOW, [("ticket_id", "0032", "0032")]),
    ("room number 501", NOW, []),
    ("12#1102", NOW, [("unit", "12-1102", "12#1102")]),
    ("我是3号楼2单元501的 上个月物业费 手机13812345678", NOW, [
        ("unit", "3-2-501", "3号楼2单元501"), ("period", "2026-10", "上个月"),
        ("bill_item", "property_fee", "物业费"), ("phone", "13812345678", "13812345678")]),
]


@pytest.mark.parametrize(("text", "ref", "expected"), CASES, ids=[c[0] for c in CASES])
def test_entities(text: str, ref: datetime, expected: list[tuple[str, str, str]]) -> None:
    found = extract_entities(text, ref)
    assert [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in found] == expected
    assert all(e["extractor"] == "wuye_rules" for e in found)


def test_naive_and_foreign_reference_times() -> None:
    from nlu.clock import reference_time

    # 2026-11-30 20:00 UTC is already December in Beijing.
    utc = datetime.fromisoformat("2026-11-30T20:00:00+00:00")
    assert extract_entities("这个月", reference_time(utc))[0]["value"] == "2026-12"
    assert extract_entities("这个月", reference_time(datetime(2026, 3, 1)))[0]["value"] == "2026-03"
