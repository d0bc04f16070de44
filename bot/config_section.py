"""The base of every config section (kept apart so channel sections can live in their own module)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A config section: unknown keys are typos, so they are refused."""

    model_config = ConfigDict(extra="forbid")
