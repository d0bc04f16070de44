"""`credit filing|certificate|record|disclosure|show`: a company's credit file (信用档案).

Filings, certificates, awards and disclosures are entered here (or later in the console);
cases and rectifications write their records by themselves. `show` prints the file as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from bot.app import App
from handlers.errors import DomainError
from handlers.supervision import credit
from handlers.supervision.scope import RegulatorScope
from handlers.texts import t
from storage.models.supervision import DISCLOSURE_KINDS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `credit` and its actions."""
    cmd = subparsers.add_parser("credit", help="companies' credit files (filings, certificates, records, disclosures)")
    actions = cmd.add_subparsers(dest="credit_command", required=True, metavar="ACTION")
    filing = actions.add_parser("filing", help="file a project (company, community, project manager)")
    _company(filing)
    filing.add_argument("--community", required=True)
    filing.add_argument("--manager", required=True, help="项目负责人")
    filing.add_argument("--phone", default="")
    filing.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    cert = actions.add_parser("certificate", help="a staff certificate that expires")
    _company(cert)
    cert.add_argument("--holder", required=True)
    cert.add_argument("--kind", required=True, help="e.g. 消防设施操作员, 电梯安全管理员")
    cert.add_argument("--number", default="")
    cert.add_argument("--expires", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    rec = actions.add_parser("record", help="a good or bad record (an award, …)")
    _company(rec)
    rec.add_argument("--kind", required=True, choices=credit.RECORD_KINDS)
    rec.add_argument("--category", default="award", choices=credit.RECORD_CATEGORIES)
    rec.add_argument("--text", required=True)
    rec.add_argument("--date", type=date.fromisoformat)
    disc = actions.add_parser("disclosure", help="a community's public disclosure (公示)")
    disc.add_argument("--community", required=True)
    disc.add_argument("--kind", required=True, choices=DISCLOSURE_KINDS)
    disc.add_argument("--date", required=True, type=date.fromisoformat, help="published on")
    disc.add_argument("--until", type=date.fromisoformat, help="valid until (default: open-ended)")
    disc.add_argument("--title", default="")
    show = actions.add_parser("show", help="print a company's credit file as JSON")
    _company(show)
    show.add_argument("--district", default="", help="only within this district's scope")
    show.add_argument("--street", default="")
    cmd.set_defaults(func=run)


def _company(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--company", required=True, help="name or id")


def run(args: argparse.Namespace, app: App) -> int:
    """One action in one transaction; domain errors as one line, exit status 2."""
    now = app.deps.clock()
    today = now.astimezone(app.deps.settings.timezone).date()
    with app.deps.uow() as uow:
        try:
            out = _act(uow, args, today)
        except DomainError as err:
            print("wuye: " + t(err.text_key, "zh", **err.params), file=sys.stderr)
            return 2
        uow.audit.record(now, actor="cli", action=f"credit_{args.credit_command}",
                         target=str(getattr(args, "company", "") or getattr(args, "community", "")))
        uow.commit()
    print(out)
    return 0


def _act(uow: object, args: argparse.Namespace, today: date) -> str:
    action = args.credit_command
    if action == "disclosure":
        row = credit.add_disclosure(uow, args.community, args.kind, args.date, args.until, args.title)  # type: ignore[arg-type]
        return f"disclosure {row.id}: {args.community} {args.kind} {args.date.isoformat()}"
    scope = RegulatorScope(args.district, args.street) if getattr(args, "district", "") else None
    company = credit.company_in_scope(uow, scope, args.company)  # type: ignore[arg-type]
    if action == "filing":
        row = credit.file_project(uow, company, args.community, args.manager, args.phone, args.date or today)  # type: ignore[arg-type]
        return f"filing {row.id}: {company.name} / {args.community}, 项目负责人 {row.manager_name}"
    if action == "certificate":
        cert = credit.add_certificate(uow, company, args.holder, args.kind, args.number, args.expires)  # type: ignore[arg-type]
        return f"certificate {cert.id}: {cert.holder_name} {cert.kind} until {cert.expires_on.isoformat()}"
    if action == "record":
        rec = credit.record(uow, company.id, args.kind, args.category, args.text, args.date or today, by="cli")  # type: ignore[arg-type]
        return f"record {rec.id if rec else '-'}: {company.name} {args.kind}"
    return json.dumps(credit.credit_file(uow, scope, company.id, today), ensure_ascii=False, indent=2)  # type: ignore[arg-type]
