"""`company set NAME --wechat-pay-sub-mchid ID`: a company's own WeChat Pay sub-merchant."""

from __future__ import annotations

import argparse
import sys

from bot.app import App
from handlers.errors import DomainError
from handlers.office.companies import set_wechat_pay_sub_mchid
from handlers.texts import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `company set`."""
    cmd = subparsers.add_parser("company", help="company settings (WeChat Pay sub-merchant)")
    actions = cmd.add_subparsers(dest="company_action", required=True, metavar="ACTION")
    setter = actions.add_parser("set", help="change a company's settings")
    setter.add_argument("name", help="the company's name as imported, e.g. 京华物业服务有限公司")
    setter.add_argument("--wechat-pay-sub-mchid", required=True, metavar="ID",
                        help="its 特约商户号 under the service provider ('' clears it)")
    setter.set_defaults(func=_set)


def _set(args: argparse.Namespace, app: App) -> int:
    with app.deps.uow() as uow:
        try:
            before = set_wechat_pay_sub_mchid(uow, args.name, args.wechat_pay_sub_mchid,
                                              "cli", app.deps.clock())
        except DomainError as err:
            print("wuye: " + t(err.text_key, **err.params), file=sys.stderr)
            return 1
        uow.commit()
    print(f"{args.name}: wechat_pay_sub_mchid {before or '(none)'} → {args.wechat_pay_sub_mchid or '(none)'}")
    return 0
