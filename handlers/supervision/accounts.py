"""Regulator accounts: who supervises which district (and street office)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.errors import Invalid
from handlers.util import mask_phones
from storage.models import ConsoleAccount, Regulator
from storage.uow import UnitOfWork

_PHONE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class RegulatorAdded:
    """What `add_regulator` did, for the CLI's one line."""

    regulator: Regulator
    created: bool
    communities: int  # communities in its scope today


def add_regulator(
    uow: UnitOfWork, *, name: str, district: str, street: str, phone: str, department: str,
    now: datetime,
) -> RegulatorAdded:
    """Create the account, or update the one with this phone (a re-run changes, never duplicates)."""
    name, district, street, phone = name.strip(), district.strip(), street.strip(), phone.strip()
    if not name:
        raise Invalid("cli_regulator_bad", reason="--name")
    if not district:
        raise Invalid("cli_regulator_bad", reason="--district")
    if not _PHONE.match(phone):
        raise Invalid("cli_regulator_bad", reason=f"--phone {mask_phones(phone)}")
    found = uow.supervision.regulator_by_phone(phone)
    created = found is None
    if found is None:
        found = Regulator(phone=phone)
        uow.session.add(found)
    found.name, found.district, found.street = name, district, street
    found.department = department.strip() or _default_department(district, street)
    uow.flush()
    uow.audit.record(now, actor="cli", action="regulator_added" if created else "regulator_updated",
                     target=f"regulator:{found.id}", detail={"district": district, "street": street,
                                                              "phone": phone})
    _console_account(uow, found, now)
    places = uow.supervision.communities(district, street)
    return RegulatorAdded(found, created, len(places))


def _console_account(uow: UnitOfWork, regulator: Regulator, now: datetime) -> None:
    """The regulator's console account (kind regulator, its scope), without a password until
    `console password PHONE` sets one; a phone already used by a staff account is refused."""
    account = uow.console.account_by_phone(regulator.phone)
    if account is not None and account.kind != "regulator":
        raise Invalid("cli_regulator_bad", reason=f"--phone {mask_phones(regulator.phone)}: a staff console account")
    if account is None:
        account = uow.console.add_account(ConsoleAccount(
            phone=regulator.phone, password_hash="", kind="regulator", role="regulator",
            created_at=now, password_set_at=now,
        ))
    account.regulator_id, account.district, account.street = regulator.id, regulator.district, regulator.street
    account.active = True
    uow.flush()


def _default_department(district: str, street: str) -> str:
    return f"{district}{street}办事处" if street else f"{district}住房和城乡建设委员会"
