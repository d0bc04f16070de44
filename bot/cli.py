"""The command line: parse arguments, load settings, build the App once, run one command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.app import build_app
from bot.commands import COMMAND_MODULES
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand of COMMAND_MODULES registered."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="物业管家 — the owner assistant")
    _add_config_option(parser, default=None)
    parser.add_argument("--version", action="version", version=f"wuye {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _config_everywhere(parser)
    return parser


def _add_config_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--config", type=Path, default=default, metavar="PATH",
        help="YAML configuration (default ./config.yaml; WUYE_* variables override it)",
    )


def _config_everywhere(parser: argparse.ArgumentParser) -> None:
    """`--config` works before or after any (nested) subcommand: `bot db upgrade --config X`.

    The copies default to SUPPRESS so that they never erase a value given further left.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                if "--config" not in sub._option_string_actions:
                    _add_config_option(sub, default=argparse.SUPPRESS)
                _config_everywhere(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status: 0 ok, 2 usage or configuration error."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        adjust = getattr(args, "adjust", None)
        if adjust is not None:
            settings = adjust(args, settings)
    except ConfigError as err:
        print(f"wuye: {err}", file=sys.stderr)
        return EXIT_CONFIG
    undo_logging = configure_logging(settings.log.level)
    try:
        return run(args, settings)
    finally:
        undo_logging()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the App, run the command, always release the App."""
    app = build_app(settings)
    try:
        return int(args.func(args, app) or 0)
    except KeyboardInterrupt:
        return 130
    finally:
        app.close()
