"""FAQ auto-answers and the text-overlap scoring shared by info (clauses, policies, fund lines).

Scoring needs no model: keywords an editor attached to an entry count most; otherwise the
overlap of Chinese character bigrams (and English words) between question and entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import handlers.texts.smalltalk  # noqa: F401 - registers the FAQ answer texts
from handlers.texts import t
from storage.models import FaqEntry
from storage.uow import UnitOfWork

THRESHOLD = 0.5
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")
# Words that appear in almost every question and say nothing about its topic; they are cut
# out before bigrams are taken, so no bigram straddles them ("规定的" gives no "定的").
STOP_WORDS_ZH = (
    "怎么", "什么", "请问", "一下", "我们", "你们", "我家", "是不是", "多少", "可以", "能不能",
    "哪里", "如何", "为什么", "怎么办", "怎么样", "有没有", "的话", "小区", "知道", "告诉",
    "的", "了", "吗", "呢", "啊", "吧", "呀", "么", "嘛", "我", "你", "是", "在",
)
STOP_WORDS_EN = frozenset({"the", "a", "an", "is", "are", "do", "does", "how", "what", "my", "i",
                           "to", "of", "for", "in", "on", "can", "we", "you", "it", "and", "or"})


def normalise(text: str) -> str:
    """Lower-case, without spaces and punctuation."""
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def tokens(text: str, ignore: Iterable[str] = ()) -> set[str]:
    """Character bigrams of the Chinese runs (stop words cut out) plus English words."""
    lowered = (text or "").lower()
    extra = [w.lower() for w in ignore]
    for word in sorted((*STOP_WORDS_ZH, *extra), key=len, reverse=True):
        lowered = lowered.replace(word, " ")
    out: set[str] = set()
    for run in _CJK_RUN.findall(lowered):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    words = set(_WORD.findall(lowered)) - STOP_WORDS_EN - set(extra)
    out.update(w for w in words if len(w) > 1)
    return out


def overlap(query: str, reference: str, ignore: Iterable[str] = ()) -> float:
    """Dice coefficient of the two texts' tokens, 0..1."""
    a, b = tokens(query, ignore), tokens(reference, ignore)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def shared(query: str, reference: str, ignore: Iterable[str] = ()) -> int:
    """How many tokens two texts share (ranks clauses and ledger lines)."""
    return len(tokens(query, ignore) & tokens(reference, ignore))


def keyword_hits(text: str, keywords: str) -> int:
    """How many of a comma-separated keyword list occur in the text."""
    plain = normalise(text)
    words = [normalise(k) for k in re.split(r"[,，、]", keywords or "")]
    return sum(1 for w in words if w and w in plain)


def score(text: str, question: str, keywords: str) -> float:
    """How well `text` asks `question`: keyword hits dominate, bigram overlap adds."""
    similarity = overlap(text, question)
    hits = keyword_hits(text, keywords)
    if not hits:
        return similarity
    return min(1.0, 0.55 + 0.15 * (hits - 1) + 0.5 * similarity)


def best_match(
    uow: UnitOfWork, community_id: int | None, text: str, threshold: float = THRESHOLD
) -> tuple[FaqEntry, float] | None:
    """The FAQ entry (community's own or general) that best answers `text`, if good enough."""
    best: tuple[FaqEntry, float] | None = None
    for entry in uow.content.faq_entries(community_id):
        value = score(text, entry.question, entry.keywords)
        # Prefer the community's own entry over a general one on a tie.
        if best is None or value > best[1] or (value == best[1] and entry.community_id):
            best = (entry, value)
    if best is None or best[1] < threshold:
        return None
    return best


def answer_text(entry: FaqEntry, locale: str) -> str:
    """The entry's answer with its source named."""
    source = entry.source or t("faq_default_source", locale)
    return t("faq_answer", locale, question=entry.question, answer=entry.answer, source=source)
