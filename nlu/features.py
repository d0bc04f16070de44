"""Classifier features: character n-grams of the normalised text, Latin words, pinyin, words."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.entities import code_spans
from nlu.normalize import MAX_CHARS, canonical, for_features, latin_words
from nlu.pinyin import spaced

# Bump when feature extraction changes: it salts the cache key so old models are retrained.
FEATURE_VERSION = "f4"
NGRAM_RANGE = (1, 3)
# Greek letters never occur in owners' text and survive normalisation as letters.
_PLACEHOLDERS = {"unit": "υ", "phone": "φ", "ticket_id": "τ"}


@dataclass(frozen=True)
class FeatureConfig:
    """Which feature families a model uses (stored with the model; compared in bench/)."""

    pinyin: bool = True  # Latin pinyin split into syllables; pinyin copies in training
    words: bool = False  # jieba word unigrams (measured: no gain, see nlu/README.md)

    def key(self) -> str:
        """Short stable name, part of the cache key."""
        return f"p{int(self.pinyin)}w{int(self.words)}"

    @classmethod
    def from_key(cls, key: str) -> FeatureConfig:
        """Inverse of `key` (models saved before configs existed had neither)."""
        return cls(pinyin="p1" in key, words="w1" in key)


DEFAULT_CONFIG = FeatureConfig()


def mask_codes(text: str) -> str:
    """Replace units, phones and ticket codes by one placeholder letter each.

    Without this, the many n-grams of 3号楼2单元501 outvote the words around them and any
    sentence naming a home looks like bind_account.
    """
    canon = canonical(text[:MAX_CHARS])
    parts, pos = [], 0
    for span in code_spans(canon):
        parts += [canon[pos:span.start], f" {_PLACEHOLDERS[span.entity]} "]
        pos = span.end
    parts.append(canon[pos:])
    return "".join(parts)


def featurize(text: str, config: FeatureConfig = DEFAULT_CONFIG) -> list[str]:
    """Distinct feature strings of a text, in first-seen order (deterministic)."""
    norm = for_features(mask_codes(text))
    if config.pinyin:
        norm = spaced(norm)
    if not norm:
        return []
    padded = f"^{norm}$"  # edge markers let 吗$ or ^您好 carry their own weight
    seen: dict[str, None] = {}
    lo, hi = NGRAM_RANGE
    for n in range(lo, hi + 1):
        for i in range(len(padded) - n + 1):
            gram = padded[i:i + n]
            if gram.strip() and gram not in ("^", "$"):
                seen[gram] = None
    words = latin_words(norm)
    for w in words:
        seen["w:" + w] = None
    for a, b in zip(words, words[1:], strict=False):
        seen[f"w:{a}_{b}"] = None
    if config.words:
        for w in _jieba_words(norm):
            seen["j:" + w] = None
    return list(seen)


def _jieba_words(norm: str) -> list[str]:
    """Chinese words of two or more characters (jieba, loaded on first use)."""
    import jieba

    jieba.setLogLevel(60)
    return [w for w in jieba.lcut(norm, HMM=False) if len(w) > 1 and not w.isascii()]
