"""`notice create` publishes a notice and queues its pushes; `notice restore` marks the service back."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.app import App
from handlers.broadcasts import Progress as ProgressCallback
from handlers.broadcasts import mark_restored, publish_notice
from handlers.errors import DomainError
from handlers.texts import t
from storage.models import NOTICE_KINDS

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `notice create`."""
    cmd = subparsers.add_parser("notice", help="broadcast notices (outages, events)")
    actions = cmd.add_subparsers(dest="notice_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="publish a notice and push it to the owners in scope")
    create.add_argument("--community", required=True, help="community name, e.g. 望京花园")
    create.add_argument("--building", help="only this building (3, 3号楼); default: all")
    create.add_argument("--kind", required=True, choices=NOTICE_KINDS)
    create.add_argument("--start", required=True, help="e.g. '2026-11-28 09:00' (local time)")
    create.add_argument("--end", help="e.g. '2026-11-28 17:00' (local time)")
    create.add_argument("--text", required=True, help="the notice itself")
    create.add_argument("--title", help="default: scope and kind, e.g. 望京花园 3号楼停水通知")
    create.set_defaults(func=create_notice)
    restore = actions.add_parser("restore", help="mark a notice's service restored; owners are told")
    restore.add_argument("notice_id", type=int, help="the id `notice create` printed")
    restore.add_argument("--at", help="when it came back (local time); default: now")
    restore.set_defaults(func=restore_notice)


def create_notice(args: argparse.Namespace, app: App) -> int:
    """Publish in one transaction (the notice and every push), with a progress bar."""
    tz = ZoneInfo(app.settings.timezone)
    try:
        start = parse_time(args.start, tz)
        end = parse_time(args.end, tz) if args.end else None
    except ValueError as err:
        print(t("broadcast_bad_time", value=str(err)), file=sys.stderr)
        return 1
    now = app.deps.clock()
    with _progress() as progress, app.deps.uow() as uow:
        try:
            published = publish_notice(
                uow, args.community, args.building, args.kind, args.title, args.text, start, end,
                now, progress, safety_always_on=app.settings.notices.safety_always_on, tz=tz,
            )
        except DomainError as err:
            print(t(err.text_key, **err.params), file=sys.stderr)
            return 1
        uow.commit()
    print(t("broadcast_published", id=published.notice_id, title=published.title,
            scope=published.scope, queued=published.queued, recipients=published.recipients))
    log.info("notice %d published: %d pushes queued", published.notice_id, published.queued)
    return 0


def restore_notice(args: argparse.Namespace, app: App) -> int:
    """Set the notice's restored time; the `notice_reminders` job pushes the news."""
    tz = ZoneInfo(app.settings.timezone)
    try:
        at = parse_time(args.at, tz) if args.at else app.deps.clock()
    except ValueError as err:
        print(t("broadcast_bad_time", value=str(err)), file=sys.stderr)
        return 1
    with app.deps.uow() as uow:
        try:
            notice = mark_restored(uow, args.notice_id, at)
        except DomainError as err:
            print(t(err.text_key, **err.params), file=sys.stderr)
            return 1
        title, restored_at = notice.title, notice.restored_at
        uow.commit()
    print(t("broadcast_restored", id=args.notice_id, title=title,
            at=restored_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if restored_at else "-"))
    return 0


def parse_time(value: str, tz: ZoneInfo) -> datetime:
    """ISO date-time (`2026-11-28 09:00`, `2026-11-28T09:00+08:00`); naive means local."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(value) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


@contextmanager
def _progress() -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr in a terminal; None otherwise."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(t("broadcast_progress"), total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report
