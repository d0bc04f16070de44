"""Company settings operators change: the WeChat Pay sub-merchant (service-provider mode)."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.errors import Invalid, NotFound
from storage.uow import UnitOfWork

_SUB_MCHID = re.compile(r"^\d{8,16}$")


def set_wechat_pay_sub_mchid(uow: UnitOfWork, company_name: str, sub_mchid: str, actor: str,
                             now: datetime) -> str:
    """Set (or clear, with "") a company's sub_mchid; the previous value is returned.

    Refused when another company already has it: two companies' fees must never meet in
    one merchant account.
    """
    company = uow.payments.company_by_name(company_name.strip())
    if company is None:
        raise NotFound()
    sub_mchid = sub_mchid.strip()
    if sub_mchid and not _SUB_MCHID.match(sub_mchid):
        raise Invalid(reason="a sub_mchid is the 8-16 digit 特约商户号")
    other = next((c for c in uow.payments.companies()
                  if c.id != company.id and sub_mchid and c.wechat_pay_sub_mchid == sub_mchid), None)
    if other is not None:
        raise Invalid(reason=f"{other.name} already uses sub_mchid {sub_mchid}")
    before = company.wechat_pay_sub_mchid
    company.wechat_pay_sub_mchid = sub_mchid
    uow.audit.record(now, actor, "company_wechat_pay_sub_mchid", f"company:{company.id}",
                     {"before": before, "after": sub_mchid})
    return before
