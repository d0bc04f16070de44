"""`python -m nlu parse | evaluate | export-rasa | train | annotate`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from nlu import build_parser
from nlu.clock import parse_iso, reference_time
from nlu.evaluate import evaluate, format_report, read_cases


def _add_backend_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=("embedded", "rasa"), default="embedded")
    p.add_argument("--rasa-url", default="", help="e.g. http://localhost:5005")
    p.add_argument("--cache-dir", default=None, help="model cache (default .cache/nlu)")
    p.add_argument("--data-dir", default=None, help="training YAML (default nlu/data)")
    p.add_argument("--timeout", type=float, default=3.0)


def _parser_from(args: argparse.Namespace) -> object:
    return build_parser(args.backend, rasa_url=args.rasa_url, cache_dir=args.cache_dir,
                        timeout=args.timeout, data_dir=args.data_dir)


def _cmd_parse(args: argparse.Namespace) -> int:
    parser = _parser_from(args)
    now = parse_iso(args.now) if args.now else reference_time(None)
    if args.text is not None:
        print(json.dumps(parser.parse(args.text, now), ensure_ascii=False))  # type: ignore[attr-defined]
        return 0
    # One JSON line per input line, in order; an empty line is parsed too, never skipped.
    for line in sys.stdin:
        text = line[:-1] if line.endswith("\n") else line
        text = text[:-1] if text.endswith("\r") else text
        result = parser.parse(text, now)  # type: ignore[attr-defined]
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    parser = _parser_from(args)
    now = parse_iso(args.now) if args.now else reference_time(None)
    report = evaluate(parser, read_cases(Path(args.file)), now, worst=args.worst)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from nlu.rasa_export import export_rasa
    from nlu.training_data import DEFAULT_DATA_DIR

    data_dir = Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR
    for path in export_rasa(Path(args.dir), data_dir):
        print(path)
    print("note: values of unit/phone/bill_item/period/ticket_id/rating are normalised by "
          "our rule extractor (backend 'rasa' merges it in); Rasa alone gives raw spans.")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from nlu.embedded import EmbeddedParser

    started = time.perf_counter()
    parser = EmbeddedParser.from_data(args.data_dir, args.cache_dir, force_train=True)
    meta = parser.model.meta
    print(f"trained on {meta.get('examples')} examples, {len(parser.model.labels)} intents, "
          f"{len(parser.model.vocab)} features in {time.perf_counter() - started:.2f}s "
          f"(fit {meta.get('train_seconds')}s)")
    return 0


def _cmd_annotate(args: argparse.Namespace) -> int:
    from nlu.annotate import annotate_dir
    from nlu.training_data import DEFAULT_DATA_DIR

    data_dir = Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR
    report = annotate_dir(data_dir, write=not args.check)
    print(report.summary())
    if report.conflicts:
        return 1
    return 1 if args.check and report.files_changed else 0


def build_arg_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser."""
    root = argparse.ArgumentParser(prog="python -m nlu", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse TEXT, or stdin line by line")
    p.add_argument("text", nargs="?")
    p.add_argument("--now", help="reference time, ISO 8601 (default: now, Asia/Shanghai)")
    _add_backend_args(p)
    p.set_defaults(func=_cmd_parse)
    e = sub.add_parser("evaluate", help="score a JSONL file")
    e.add_argument("file")
    e.add_argument("--now", help="reference time for lines without 'now'")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.add_argument("--worst", type=int, default=10, help="how many confusions to list")
    _add_backend_args(e)
    e.set_defaults(func=_cmd_evaluate)
    x = sub.add_parser("export-rasa", help="write a Rasa 3 project to DIR")
    x.add_argument("dir")
    x.add_argument("--data-dir", default=None)
    x.set_defaults(func=_cmd_export)
    t = sub.add_parser("train", help="retrain the embedded model now")
    t.add_argument("--cache-dir", default=None)
    t.add_argument("--data-dir", default=None)
    t.set_defaults(func=_cmd_train)
    a = sub.add_parser("annotate", help="annotate every entity mention in the training YAML")
    a.add_argument("data_dir", nargs="?", default=None)
    a.add_argument("--check", action="store_true", help="change nothing; fail if out of date")
    a.set_defaults(func=_cmd_annotate)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_arg_parser().parse_args(argv)
    # Whatever the locale, texts are UTF-8; only "\n" ends a line (a stray "\r" is text).
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace", newline="\n")
    return int(args.func(args))
