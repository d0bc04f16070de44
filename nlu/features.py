"""Classifier features: character n-grams of the normalised text plus Latin words."""

from __future__ import annotations

from nlu.entities import code_spans
from nlu.normalize import MAX_CHARS, canonical, for_features, latin_words

# Bump when feature extraction changes: it salts the cache key so old models are retrained.
FEATURE_VERSION = "f3"
NGRAM_RANGE = (1, 3)
# Greek letters never occur in owners' text and survive normalisation as letters.
_PLACEHOLDERS = {"unit": "υ", "phone": "φ", "ticket_id": "τ"}


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


def featurize(text: str) -> list[str]:
    """Distinct feature strings of a text, in first-seen order (deterministic)."""
    norm = for_features(mask_codes(text))
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
