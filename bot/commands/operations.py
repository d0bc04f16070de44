"""`rota set|show|now`, `staff join|move|leave`, `plan add|list`: operations for operators.

Each runs the same use case the console calls, as the CLI operator (audit actor `cli`), in
one transaction; a refused request prints why and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.app import App
from handlers.errors import DomainError
from handlers.office import plans, rota, staff_lifecycle
from handlers.office.ops_access import OPERATOR, community_for
from handlers.texts import t
from handlers.util import mask_phones
from storage.uow import UnitOfWork

EXIT_REFUSED = 1
EXIT_USAGE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `rota`, `staff` and `plan`."""
    _register_rota(subparsers)
    _register_staff(subparsers)
    _register_plan(subparsers)


def _register_rota(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("rota", help="the duty rota: set shifts, show a day, who is on duty now")
    actions = cmd.add_subparsers(dest="rota_command", required=True, metavar="ACTION")
    put = actions.add_parser("set", help="put someone on duty (repeat daily with --days)")
    put.add_argument("--community", required=True)
    put.add_argument("--role", required=True, help="manager/repair/cleaning/security/finance/front_desk")
    put.add_argument("--staff", required=True, metavar="PHONE")
    put.add_argument("--kind", default="day", help="day / night / on_call")
    put.add_argument("--from", dest="start", required=True, metavar="ISO", help="e.g. 2026-12-01T08:00 (local)")
    put.add_argument("--to", dest="end", required=True, metavar="ISO")
    put.add_argument("--days", type=int, default=1, help="the same hours on this many days")
    put.set_defaults(func=_rota_set)
    show = actions.add_parser("show", help="the shifts of one day")
    show.add_argument("--community", required=True)
    show.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    show.set_defaults(func=_rota_show)
    now = actions.add_parser("now", help="who is on duty now (or --at)")
    now.add_argument("--community", required=True)
    now.add_argument("--role", default="manager")
    now.add_argument("--at", metavar="ISO")
    now.set_defaults(func=_rota_now)


def _register_staff(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("staff", help="staff joining, moving and leaving")
    actions = cmd.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    join = actions.add_parser("join", help="a new (or returning) staff member")
    join.add_argument("--community", required=True)
    join.add_argument("--name", required=True)
    join.add_argument("--phone", required=True)
    join.add_argument("--role", required=True)
    join.set_defaults(func=_staff_join)
    move = actions.add_parser("move", help="a new role or buildings")
    move.add_argument("phone")
    move.add_argument("--community", required=True)
    move.add_argument("--role")
    move.add_argument("--buildings", help="comma list, e.g. 3,12")
    move.set_defaults(func=_staff_move)
    leave = actions.add_parser("leave", help="leaves now: access revoked, work handed to the manager")
    leave.add_argument("phone")
    leave.set_defaults(func=_staff_leave)


def _register_plan(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("plan", help="service plans (cleaning, patrols, maintenance)")
    actions = cmd.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="a new plan; the service_tasks job makes its tasks")
    add.add_argument("--community", required=True)
    add.add_argument("--title", required=True)
    add.add_argument("--schedule", required=True, help="daily 08:00 / weekly mon 09:00 / monthly 1 / cron-like")
    add.add_argument("--role", default="")
    add.add_argument("--staff", action="append", default=[], metavar="PHONE")
    add.add_argument("--item", action="append", default=[], help="a checklist item (repeat)")
    add.add_argument("--building", action="append", default=[])
    add.add_argument("--photo", action="store_true", help="a photo is required to finish")
    add.add_argument("--window", type=int, default=240, help="minutes to finish after the start")
    add.set_defaults(func=_plan_add)
    tasks = actions.add_parser("tasks", help="the tasks of one day")
    tasks.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    tasks.set_defaults(func=_plan_tasks)


def _run(app: App, work: Callable[[UnitOfWork, datetime], list[str]]) -> int:
    """Run `work` in one transaction; print its lines, or the refusal."""
    now = app.deps.clock()
    with app.deps.uow() as uow:
        try:
            lines = work(uow, now)
        except DomainError as err:
            print(f"wuye: {mask_phones(t(err.text_key, **err.params))}", file=sys.stderr)
            return EXIT_REFUSED
        except ValueError as err:  # a date or time that is not ISO
            print(f"wuye: {err}", file=sys.stderr)
            return EXIT_USAGE
        uow.commit()
    for line in lines:
        print(mask_phones(line))
    return 0


def _tz(app: App) -> ZoneInfo:
    return ZoneInfo(app.settings.timezone)


def _moment(text: str, tz: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _rota_set(args: argparse.Namespace, app: App) -> int:
    tz = _tz(app)

    def work(uow: UnitOfWork, now: datetime) -> list[str]:
        request = rota.ShiftRequest(args.community, args.role, args.staff, args.kind,
                                    _moment(args.start, tz), _moment(args.end, tz), args.days)
        return [f"shift {s.id}: {s.role} {s.kind} {s.starts_at.astimezone(tz):%Y-%m-%d %H:%M} → "
                f"{s.ends_at.astimezone(tz):%Y-%m-%d %H:%M}"
                for s in rota.set_shifts(uow, OPERATOR, request, now)]
    return _run(app, work)


def _rota_show(args: argparse.Namespace, app: App) -> int:
    tz = _tz(app)

    def work(uow: UnitOfWork, now: datetime) -> list[str]:
        day = date.fromisoformat(args.date) if args.date else now.astimezone(tz).date()
        return [f"{line.role:<11} {line.kind:<8} {line.staff_name}  "
                f"{line.starts_at.astimezone(tz):%m-%d %H:%M} → {line.ends_at.astimezone(tz):%m-%d %H:%M}"
                for line in rota.rota_of_day(uow, OPERATOR, args.community, day, tz)] or ["(no shifts)"]
    return _run(app, work)


def _rota_now(args: argparse.Namespace, app: App) -> int:
    tz = _tz(app)

    def work(uow: UnitOfWork, now: datetime) -> list[str]:
        community = community_for(uow, OPERATOR, args.community)
        moment = _moment(args.at, tz) if args.at else now
        return [f"{s.name} {s.phone}" for s in rota.on_duty(uow, community, args.role, moment)] or ["(nobody)"]
    return _run(app, work)


def _staff_join(args: argparse.Namespace, app: App) -> int:
    return _run(app, lambda uow, now: [
        f"staff {m.id}: {m.name} {m.role}" for m in
        [staff_lifecycle.join_staff(uow, OPERATOR, args.community, args.name, args.phone, args.role, now)]])


def _staff_move(args: argparse.Namespace, app: App) -> int:
    return _run(app, lambda uow, now: [
        f"staff {m.id}: {m.name} {m.role} {m.buildings or '(all buildings)'}" for m in
        [staff_lifecycle.move_staff(uow, OPERATOR, args.community, args.phone, now,
                                    role=args.role, buildings=args.buildings)]])


def _staff_leave(args: argparse.Namespace, app: App) -> int:
    def work(uow: UnitOfWork, now: datetime) -> list[str]:
        r = staff_lifecycle.leave_staff(uow, OPERATOR, args.phone, now)
        return [f"{r.name} left: {r.chat_accounts} chat account(s) unbound, {r.console_accounts} console "
                f"account(s) closed, {r.shifts} shift(s) removed",
                f"tickets handed to the manager: {', '.join(r.tickets) or '-'}",
                f"tasks handed to the manager: {', '.join(f'T{i}' for i in r.tasks) or '-'}"]
    return _run(app, work)


def _plan_add(args: argparse.Namespace, app: App) -> int:
    request = plans.PlanRequest(args.community, args.title, args.schedule, tuple(args.item), args.role,
                                tuple(args.staff), args.photo, tuple(args.building), args.window)
    return _run(app, lambda uow, now: [f"plan {p.id}: {p.title} ({p.schedule})"
                                       for p in [plans.create_plan(uow, OPERATOR, request, now)]])


def _plan_tasks(args: argparse.Namespace, app: App) -> int:
    tz = _tz(app)

    def work(uow: UnitOfWork, now: datetime) -> list[str]:
        day = date.fromisoformat(args.date) if args.date else now.astimezone(tz).date()
        return [f"T{v.id} {v.starts_at.astimezone(tz):%H:%M} {v.community} {v.title} {v.status}"
                f"{' (late)' if v.late else ''} {v.assignee or '-'}"
                for v in plans.tasks_of_day(uow, OPERATOR, day)] or ["(no tasks)"]
    return _run(app, work)
