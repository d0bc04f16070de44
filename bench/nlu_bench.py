"""NLU benchmark: held-out accuracy, macro-F1, entity F1, parse latency on one core, training.

    .venv/bin/python bench/nlu_bench.py [--file bench/data/nlu_heldout.jsonl] [--json]

Lines without their own "now" are resolved against 2026-11-27T10:00:00+08:00. Training runs
into a fresh temporary cache so its time is real; the model's size on disk is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.clock import parse_iso  # noqa: E402
from nlu.embedded import EmbeddedParser  # noqa: E402
from nlu.evaluate import evaluate, format_report, read_cases  # noqa: E402

DEFAULT_FILE = ROOT / "bench" / "data" / "nlu_heldout.jsonl"
DEFAULT_NOW = "2026-11-27T10:00:00+08:00"


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def main() -> int:
    """Run the benchmark and print the figures."""
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--file", default=str(DEFAULT_FILE))
    args.add_argument("--json", action="store_true")
    args.add_argument("--worst", type=int, default=10, help="confusions to list")
    opts = args.parse_args()
    pinned = pin_one_core()
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as cache:
        started, cpu_started = time.perf_counter(), time.process_time()
        parser = EmbeddedParser.from_data(cache_dir=cache, force_train=True)
        train_seconds = time.perf_counter() - started
        train_cpu = time.process_time() - cpu_started
        cache_bytes = sum(p.stat().st_size for p in Path(cache).glob("*.npz"))
        started = time.perf_counter()
        EmbeddedParser.from_data(cache_dir=cache)
        load_seconds = time.perf_counter() - started
    cases = read_cases(Path(opts.file))
    parser.parse("预热一下", parse_iso(DEFAULT_NOW))  # first call pays for lazy tables
    report = evaluate(parser, cases, parse_iso(DEFAULT_NOW), worst=opts.worst)
    extra = {"cpu": pinned, "train_seconds": round(train_seconds, 3),
             "train_cpu_seconds": round(train_cpu, 3),
             "cached_load_seconds": round(load_seconds, 3), "model_cache_bytes": cache_bytes}
    if opts.json:
        print(json.dumps({**report.as_dict(), **extra}, ensure_ascii=False, indent=2))
        return 0
    print(format_report(report))
    print(f"training         {train_seconds:.2f} s wall, {train_cpu:.2f} s CPU, incl. imports "
          f"(load from cache {load_seconds:.3f} s)")
    print(f"load average     {os.getloadavg()[0]:.2f} (other processes inflate wall times)")
    print(f"model cache      {cache_bytes / 1024:.0f} KiB")
    print(f"cpu              {pinned}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
