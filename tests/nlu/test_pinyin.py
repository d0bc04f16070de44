"""Pinyin typed instead of characters: syllable segmentation and transliteration."""

from __future__ import annotations

import pytest

from nlu.pinyin import segment, spaced, transliterate

SEGMENTS = [
    ("wuyefei", ("wu", "ye", "fei")),
    ("duoshao", ("duo", "shao")),
    ("weishengjian", ("wei", "sheng", "jian")),
    ("xian", ("xian",)),  # the fewest syllables win
    ("zhuanrengong", ("zhuan", "ren", "gong")),
    ("hello", None),
    ("water", None),
    ("i", None),
]


@pytest.mark.parametrize(("word", "expected"), SEGMENTS, ids=[s[0] for s in SEGMENTS])
def test_segment(word: str, expected: tuple[str, ...] | None) -> None:
    assert segment(word) == expected


def test_spaced_leaves_english_and_chinese_alone() -> None:
    assert spaced("wuyefei hai qian duoshao water bill 物业费") == (
        "wu ye fei hai qian duo shao water bill 物业费")


def test_transliterate_reads_polyphones_in_context() -> None:
    assert transliterate("物业费还欠多少") == "wu ye fei hai qian duo shao"
