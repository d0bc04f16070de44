"""Every user-facing sentence, in Chinese and English, one module per capability.

`t("key", locale, **params)` formats one; a missing English text falls back to Chinese.
"""

from __future__ import annotations

from handlers.texts import common

TEXTS: dict[str, dict[str, str]] = {}
for _module in (common,):
    for _key, _value in _module.TEXTS.items():
        if _key in TEXTS:
            raise RuntimeError(f"text key defined twice: {_key}")
        TEXTS[_key] = _value


def register(module_texts: dict[str, dict[str, str]]) -> None:
    """Add a capability's texts (called by handlers.texts modules at import)."""
    for key, value in module_texts.items():
        if key in TEXTS and TEXTS[key] != value:
            raise RuntimeError(f"text key defined twice: {key}")
        TEXTS[key] = value


def t(key: str, locale: str = "zh", **params: object) -> str:
    """The text `key` in `locale`, formatted with `params`."""
    entry = TEXTS[key]
    template = entry.get(locale) or entry["zh"]
    return template.format(**params) if params else template
