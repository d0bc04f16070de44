"""`sender run [--once]`: drain the outbox in this process (SIGTERM stops it cleanly);
`sender requeue --failed [--unknown] [--since TIME]`: give up on giving up."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections import Counter
from datetime import datetime

from bot.app import App
from bot.config import Settings
from bot.sender import build_sender, close_deliverers
from handlers.texts import broadcasts as _texts  # noqa: F401 - registers the texts used here
from handlers.texts import t
from storage.repositories import outbox_claims


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `sender run`."""
    cmd = subparsers.add_parser("sender", help="the outbox sender (pushes) as its own process")
    actions = cmd.add_subparsers(dest="sender_action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="claim and deliver pushes until SIGTERM")
    run.add_argument("--once", action="store_true",
                     help="deliver what is due now (and soon), then exit")
    run.add_argument("--concurrency", type=int, metavar="N",
                     help="deliveries under way at once (default: sender.concurrency)")
    run.set_defaults(func=_run, adjust=_adjust)
    requeue = actions.add_parser("requeue", help="send given-up pushes again (failed, unknown)")
    requeue.add_argument("--failed", action="store_true", help="pushes given up after max_attempts")
    requeue.add_argument("--unknown", action="store_true",
                         help="pushes whose delivery got no answer (they may have arrived: check first)")
    requeue.add_argument("--since", metavar="TIME", type=_moment,
                         help="only pushes created at or after TIME (ISO; local time without offset)")
    requeue.set_defaults(func=_requeue)


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not an ISO date/time: {text!r}") from err


def _requeue(args: argparse.Namespace, app: App) -> int:
    statuses = [s for s, on in (("failed", args.failed), ("unknown", args.unknown)) if on]
    if not statuses:
        print(t("sender_requeue_nothing"))
        return 2
    since = args.since
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=app.deps.settings.timezone)
    with app.deps.uow() as uow:
        count = outbox_claims.requeue(uow.session, statuses, app.deps.clock(), since)
        uow.commit()
    print(t("sender_requeued", count=count, statuses=", ".join(statuses)))
    return 0


def _adjust(args: argparse.Namespace, settings: Settings) -> Settings:
    if args.concurrency is None:
        return settings
    sender = settings.sender.model_copy(update={"concurrency": max(1, args.concurrency)})
    return settings.model_copy(update={"sender": sender})


def _run(args: argparse.Namespace, app: App) -> int:
    stats = asyncio.run(run_sender(app, once=args.once))
    print(summary(stats))
    return 0


async def run_sender(app: App, *, once: bool = False) -> Counter[str]:
    """Run one sender until SIGTERM/SIGINT (or, `once`, until nothing is due soon)."""
    sender = await build_sender(app)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, sender.request_stop)
    try:
        return await sender.run(once=once)
    finally:
        await close_deliverers(sender)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


def summary(stats: Counter[str]) -> str:
    """One line: how many pushes ended in each state."""
    return t("sender_summary", sent=stats["sent"], pending=stats["pending"] + stats["deferred"],
             failed=stats["failed"], blocked=stats["blocked"], skipped=stats["skipped"])
