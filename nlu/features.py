"""Classifier features: character n-grams of the normalised text plus Latin words."""

from __future__ import annotations

from nlu.normalize import for_features, latin_words

# Bump when feature extraction changes: it salts the cache key so old models are retrained.
FEATURE_VERSION = "f1"
NGRAM_RANGE = (1, 3)


def featurize(text: str) -> list[str]:
    """Distinct feature strings of a text, in first-seen order (deterministic)."""
    norm = for_features(text)
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
    return list(seen)
