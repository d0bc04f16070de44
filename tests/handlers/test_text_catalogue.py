"""The text catalogue: every key used in the code exists, in every language, and every
template formats (issue 8). The catalogue is assembled once, by importing every texts module."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import handlers.texts as texts_pkg

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("zh", "en")
# t("key", …) / tg_text("key", …) / wt("key") with a literal key.
_USE = re.compile(r'(?<![\w.])(t|tg_text|wt)\(\s*"([a-z0-9_]+)"')


def catalogue() -> dict[str, dict[str, str]]:
    for module in pkgutil.iter_modules(texts_pkg.__path__):
        importlib.import_module(f"handlers.texts.{module.name}")
    return texts_pkg.TEXTS


def platform_catalogues() -> dict[str, dict[str, dict[str, str]]]:
    from bot.channels.telegram.texts import TEXTS as TELEGRAM

    return {"tg_text": TELEGRAM}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_has_every_language_with_the_same_placeholders() -> None:
    found = {"t": catalogue(), **platform_catalogues()}
    problems = []
    for name, table in found.items():
        for key, entry in table.items():
            missing = [lang for lang in LANGUAGES if not entry.get(lang)]
            if missing:
                problems.append(f"{name}:{key} lacks {missing}")
            else:  # each template formats with the names any language uses (en adds month_name…)
                names = fields(entry["zh"]) | fields(entry["en"])
                try:
                    for lang in LANGUAGES:
                        entry[lang].format(**dict.fromkeys(names, "x"))
                except (ValueError, IndexError, KeyError) as err:
                    problems.append(f"{name}:{key} does not format: {err!r}")
    assert problems == []


@pytest.mark.parametrize("folder", ["handlers", "bot"])
def test_every_key_used_in_the_code_exists(folder: str) -> None:
    tables = {"t": catalogue(), **platform_catalogues()}
    unknown = []
    for path in (ROOT / folder).rglob("*.py"):
        if path.parts[-2] == "texts" and path.name == "__init__.py":
            continue  # docstring examples
        for call, key in _USE.findall(path.read_text(encoding="utf-8")):
            table = tables.get(call)
            if table is not None and key not in table:
                unknown.append(f"{path.relative_to(ROOT)}: {call}({key!r})")
    assert unknown == []
