"""NLU benchmark: held-out accuracy, macro-F1, entity F1, parse latency on one core, training.

    .venv/bin/python bench/nlu_bench.py [--file F.jsonl …] [--compare] [--json]

Evaluates every set in bench/data that exists (or the --file ones), each printed on its own:
  nlu_heldout.jsonl         the first blind set (952 lines; training was later widened from
                            its confusion lines, so its figure is somewhat optimistic)
  nlu_heldout_v2.jsonl      the second blind set, written after issue 7's changes by another
                            engineer; never read line by line or tuned on
  nlu_dev_clusters.jsonl    the NLU engineer's own paraphrases of issue 7's miss clusters
                            (a development set: it was looked at, so it is not blind)
  nlu_dev_broad.jsonl       the same engineer's fresh paraphrases over every intent (123
                            lines; development set, looked at, not blind)
Lines without their own "now" are resolved against 2026-11-27T10:00:00+08:00. Training runs
into a fresh temporary cache so its time is real; the model's size on disk is reported.
--compare trains the feature variants side by side (before pinyin, current, + jieba words).
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
from nlu.features import DEFAULT_CONFIG, FeatureConfig  # noqa: E402

DATA = ROOT / "bench" / "data"
SETS = ("nlu_heldout.jsonl", "nlu_heldout_v2.jsonl", "nlu_dev_clusters.jsonl",
        "nlu_dev_broad.jsonl")
DEFAULT_NOW = "2026-11-27T10:00:00+08:00"
VARIANTS = {
    "before (char n-grams, no pinyin)": FeatureConfig(pinyin=False, words=False),
    "current (+ pinyin syllables)": DEFAULT_CONFIG,
    "+ jieba words": FeatureConfig(pinyin=True, words=True),
}


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def train(config: FeatureConfig) -> tuple[EmbeddedParser, dict[str, float]]:
    """A freshly trained parser and its training/loading figures."""
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as cache:
        started, cpu_started = time.perf_counter(), time.process_time()
        parser = EmbeddedParser.from_data(cache_dir=cache, force_train=True, config=config)
        figures = {"train_seconds": time.perf_counter() - started,
                   "train_cpu_seconds": time.process_time() - cpu_started}
        figures["model_cache_bytes"] = sum(p.stat().st_size for p in Path(cache).glob("*.npz"))
        started = time.perf_counter()
        EmbeddedParser.from_data(cache_dir=cache, config=config)
        figures["cached_load_seconds"] = time.perf_counter() - started
    parser.parse("预热一下", parse_iso(DEFAULT_NOW))  # first call pays for lazy tables
    return parser, figures


def compare(files: list[Path]) -> None:
    """One line per feature variant: accuracy per set, CPU median per parse, training time."""
    sets = {f.name: read_cases(f) for f in files}
    print("variant".ljust(34) + "".join(name[:-6].rjust(24) for name in sets)
          + "  CPU ms  train s")
    for name, config in VARIANTS.items():
        parser, figures = train(config)
        cells, cpu = [], []
        for cases in sets.values():
            report = evaluate(parser, cases, parse_iso(DEFAULT_NOW))
            cells.append(f"{report.intent_accuracy:.2%} / {report.entity_f1:.3f}".rjust(24))
            cpu.append(report.cpu_median_ms)
        print(name.ljust(34) + "".join(cells)
              + f"  {max(cpu):6.3f}  {figures['train_cpu_seconds']:7.1f}", flush=True)
    print("(cells: intent accuracy / entity F1; CPU ms: the worst set's median per parse)")


def main() -> int:
    """Run the benchmark and print the figures."""
    args = argparse.ArgumentParser(description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("--file", action="append", help="evaluation file (repeatable)")
    args.add_argument("--json", action="store_true")
    args.add_argument("--compare", action="store_true", help="train and compare feature variants")
    args.add_argument("--worst", type=int, default=10, help="confusions to list")
    opts = args.parse_args()
    files = [Path(f) for f in opts.file] if opts.file else [
        DATA / name for name in SETS if (DATA / name).exists()]
    pinned = pin_one_core()
    if opts.compare:
        compare(files)
        print(f"cpu              {pinned}")
        return 0
    parser, figures = train(DEFAULT_CONFIG)
    results = {}
    for path in files:
        report = evaluate(parser, read_cases(path), parse_iso(DEFAULT_NOW), worst=opts.worst)
        results[path.name] = report.as_dict()
        if not opts.json:
            print(f"== {path.name}")
            print(format_report(report))
    extra = {"cpu": pinned, **{k: round(v, 3) for k, v in figures.items()}}
    if opts.json:
        print(json.dumps({"sets": results, **extra}, ensure_ascii=False, indent=2))
        return 0
    print("== model")
    print(f"training         {figures['train_seconds']:.2f} s wall, "
          f"{figures['train_cpu_seconds']:.2f} s CPU, incl. imports "
          f"(load from cache {figures['cached_load_seconds']:.3f} s)")
    print(f"load average     {os.getloadavg()[0]:.2f} (other processes inflate wall times)")
    print(f"model cache      {figures['model_cache_bytes'] / 1024:.0f} KiB")
    print(f"cpu              {pinned}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
