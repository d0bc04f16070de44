"""Console accounts: setting a password from the CLI, and logging in."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from handlers.errors import Invalid, NotFound
from handlers.office import audit
from handlers.office.access import Actor, actor_for_account
from handlers.util import mask_phones
from storage.models import ConsoleAccount, Staff
from storage.uow import UnitOfWork

MIN_PASSWORD_CHARS = 8


class PasswordHasher(Protocol):
    """argon2 in production (bot/console/passwords.py); the use cases never see the library."""

    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool: ...
    def needs_rehash(self, hashed: str) -> bool: ...


def set_password(
    uow: UnitOfWork, hasher: PasswordHasher, phone: str, password: str, now: datetime,
    *, company: str | None = None, admin: bool = False,
) -> ConsoleAccount:
    """Create or update the console account of the staff member with `phone` (or set the
    password of the regulator account `regulator add` made)."""
    _check_password(phone, password)
    account = uow.console.account_by_phone(phone)
    if account is not None and account.kind == "regulator":
        return _set_regulator_password(uow, hasher, account, password, now)
    staff = _one_staff(uow, phone, company)
    before = _snapshot(account)
    if account is not None and account.staff_id != staff.id:
        raise Invalid("console_phone_taken", phone=mask_phones(phone))
    if account is None:
        account = uow.console.add_account(ConsoleAccount(
            phone=phone, password_hash="", kind="staff", role=staff.role, staff_id=staff.id,
            company_id=staff.company_id, created_at=now, password_set_at=now,
        ))
    account.password_hash = hasher.hash(password)
    account.password_set_at = now
    account.role = "admin" if admin else ("admin" if account.role == "admin" else staff.role)
    account.active = True
    uow.session.flush()
    audit.record(uow, "cli", "password_set", f"console_account:{account.id}", now,
                 before=before, after=_snapshot(account))
    return account


def _set_regulator_password(
    uow: UnitOfWork, hasher: PasswordHasher, account: ConsoleAccount, password: str, now: datetime,
) -> ConsoleAccount:
    before = _snapshot(account)
    account.password_hash, account.password_set_at, account.active = hasher.hash(password), now, True
    uow.session.flush()
    audit.record(uow, "cli", "password_set", f"console_account:{account.id}", now,
                 before=before, after=_snapshot(account))
    return account


def authenticate(
    uow: UnitOfWork, hasher: PasswordHasher, phone: str, password: str, now: datetime,
) -> Actor | None:
    """The actor for a right phone + password of an account that may log in; else None."""
    account = uow.console.account_by_phone(phone.strip())
    if account is None:
        hasher.verify(_DUMMY.get(hasher), password)  # same work either way: no phone probing
        return None
    if not hasher.verify(account.password_hash, password):
        return None
    actor = actor_for_account(uow, account)
    if actor is None:
        return None
    if hasher.needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.last_login_at = now
    return actor


class _Dummy:
    """One hash per hasher, made on first use, to verify against for unknown phones."""

    def __init__(self) -> None:
        self._hashes: dict[int, str] = {}

    def get(self, hasher: PasswordHasher) -> str:
        key = id(hasher)
        if key not in self._hashes:
            self._hashes[key] = hasher.hash("not-a-password-of-anyone")
        return self._hashes[key]


_DUMMY = _Dummy()


def _check_password(phone: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise Invalid("console_password_short", min=MIN_PASSWORD_CHARS)
    if password.strip() == phone.strip():
        raise Invalid("console_password_is_phone")


def _one_staff(uow: UnitOfWork, phone: str, company: str | None) -> Staff:
    found = uow.console.staff_by_phone(phone, company)
    if not found:
        raise NotFound("console_no_staff", phone=mask_phones(phone))
    if len(found) > 1:
        names = "、".join(s.company.name for s in found)
        raise Invalid("console_many_companies", phone=mask_phones(phone), companies=names)
    return found[0]


def _snapshot(account: ConsoleAccount | None) -> dict[str, object] | None:
    if account is None:
        return None
    return {"role": account.role, "active": account.active, "company_id": account.company_id,
            "password_set_at": account.password_set_at}
