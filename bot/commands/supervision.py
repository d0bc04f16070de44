"""`supervision lists|grades|policy|consult|results`: the regulator's work from the shell
(the console has figures, cases and rectifications; these print JSON or one line)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from bot.app import App
from handlers.errors import DomainError
from handlers.supervision import consultations, grades, policies
from handlers.supervision.scope import RegulatorScope
from handlers.texts import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `supervision` and its actions."""
    cmd = subparsers.add_parser("supervision", help="red/black list, grades, policies, consultations")
    actions = cmd.add_subparsers(dest="supervision_command", required=True, metavar="ACTION")
    lists = actions.add_parser("lists", help="a month's red/black list (JSON)")
    lists.add_argument("--month", required=True)
    grade = actions.add_parser("grades", help="the half-year's grades A–D with breakdowns (JSON)")
    grade.add_argument("--half", required=True, help="YYYY-H1 or YYYY-H2")
    policy = actions.add_parser("policy", help="publish a policy with its plain-language explanation")
    policy.add_argument("--title", required=True)
    policy.add_argument("--summary", required=True, help="the explanation (政策解读)")
    policy.add_argument("--issuer", default="")
    policy.add_argument("--url", default="")
    policy.add_argument("--topic", default="", help="fee/fund/service/parking")
    policy.add_argument("--keywords", default="")
    consult = actions.add_parser("consult", help="open a consultation (question and choices)")
    consult.add_argument("--question", required=True)
    consult.add_argument("--choice", action="append", required=True, help="repeat for each choice")
    consult.add_argument("--closes", required=True, help="YYYY-MM-DDTHH:MM (local time)")
    results = actions.add_parser("results", help="a consultation's results (JSON)")
    results.add_argument("id", type=int)
    for sub in (lists, grade, policy, consult, results):
        sub.add_argument("--district", required=True)
        sub.add_argument("--street", default="")
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace, app: App) -> int:
    """One action in one transaction; domain errors as one line (exit 2)."""
    deps = app.deps
    scope = RegulatorScope(args.district.strip(), args.street.strip())
    with deps.uow() as uow:
        try:
            out = _act(uow, args, scope, deps.clock(), deps.settings)
        except DomainError as err:
            print("wuye: " + t(err.text_key, "zh", **err.params), file=sys.stderr)
            return 2
        uow.commit()
    print(out)
    return 0


def _act(uow: object, args: argparse.Namespace, scope: RegulatorScope, now: datetime, settings: object) -> str:
    sup, tz = settings.supervision, settings.timezone  # type: ignore[attr-defined]
    action = args.supervision_command
    if action == "lists":
        return _json(grades.red_black(uow, scope, args.month, now, sup, tz))  # type: ignore[arg-type]
    if action == "grades":
        return _json(grades.half_year_grades(uow, scope, args.half, now, sup, tz))  # type: ignore[arg-type]
    if action == "results":
        return _json(consultations.results(uow, scope, args.id, now))  # type: ignore[arg-type]
    if action == "policy":
        done = policies.publish(uow, scope, title=args.title, summary=args.summary, now=now, tz=tz,  # type: ignore[arg-type]
                                issuer=args.issuer, url=args.url, topic=args.topic, keywords=args.keywords)
        return f"policy {done.policy.id}: pushed to {done.managers} manager and {done.owners} owner accounts"
    closes = datetime.fromisoformat(args.closes)
    closes = closes if closes.tzinfo else closes.replace(tzinfo=tz)
    found, pushed = consultations.open_consultation(uow, scope, args.question, args.choice, closes, now)  # type: ignore[arg-type]
    return f"consultation Q{found.id}: pushed to {pushed} accounts"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
