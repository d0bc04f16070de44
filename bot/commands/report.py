"""`report KIND …`: spreadsheets for the office. Each kind is a module in REPORT_MODULES
exposing `register_report(kinds)` (append yours: `report finance`, `report quality`, …)."""

from __future__ import annotations

import argparse
import importlib

REPORT_MODULES: tuple[str, ...] = (
    "bot.commands.report_payments",
    "bot.commands.report_quality",
    "bot.commands.report_finance",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `report` and every kind of REPORT_MODULES."""
    cmd = subparsers.add_parser("report", help="reports as spreadsheets (payments, …)")
    kinds = cmd.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    for name in REPORT_MODULES:
        importlib.import_module(name).register_report(kinds)
