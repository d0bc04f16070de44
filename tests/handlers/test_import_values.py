"""Numbers in import cells that once crashed the import (issue 8): a refusal with the row instead."""

from __future__ import annotations

import pytest

from handlers.imports import values
from handlers.imports.values import CellError


@pytest.mark.parametrize("raw", ["1e30", 1e30, "-1E+30", "9" * 40, 1e300])
def test_huge_amounts_are_refused_as_out_of_range(raw: object) -> None:
    with pytest.raises(CellError) as refused:
        values.amount(raw)
    assert refused.value.key == "import_out_of_range"


@pytest.mark.parametrize("raw", ["1e30", 1e30])
def test_huge_areas_are_refused(raw: object) -> None:
    with pytest.raises(CellError):
        values.area(raw)
