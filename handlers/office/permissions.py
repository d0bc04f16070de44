"""Who may do what in the console: one table, mirrored in README.md ("Console").

Roles are the staff importer's vocabulary (`handlers.imports.vocab.ROLE_NAMES`) plus the
company administrator and the regulator. A permission names a capability, not a page: a
use case calls `access.require(actor, "…")` before it reads or changes anything.
To add one: a line in PERMISSIONS and the same row in the README table (a test compares).
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "admin": "公司管理员",
    "manager": "经理",
    "front_desk": "前台",
    "finance": "财务",
    "repair": "维修",
    "cleaning": "保洁",
    "security": "保安",
    "regulator": "监管人员",
}
STAFF_ROLES = frozenset(ROLES) - {"admin", "regulator"}

_DESK = frozenset({"admin", "manager", "front_desk"})

# permission → (what it allows, in the README's words; the roles that have it)
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "conversations.read": ("see the live conversations inbox and its history", _DESK),
    "conversations.reply": ("answer, take, and close a conversation", _DESK),
    "conversations.assign": ("assign or transfer a conversation to a colleague", _DESK),
    "owners.phone": ("see owners' full phone numbers (others see 138****5678)",
                     frozenset({"admin", "manager", "front_desk", "finance"})),
    "staff.read": ("see the company's staff list", frozenset({"admin", "manager", "front_desk"})),
    "audit.read": ("read the company's audit log", frozenset({"admin", "manager"})),
    "letters.print": ("print binding letters (issues fresh invite codes)", _DESK),
    "payments.read": ("see online payments, refunds and the daily reconciliation report",
                      frozenset({"admin", "manager", "finance"})),
    "payments.refund": ("refund an online (WeChat Pay) payment in full or in part",
                        frozenset({"finance"})),
    # Operations and open books (issue 11)
    "plans.write": ("create service plans", frozenset({"admin", "manager"})),
    "tasks.read": ("see the day's service tasks and completion rates",
                   frozenset({"admin", "manager", "front_desk", "repair", "cleaning", "security"})),
    "tasks.write": ("check off service tasks (items, photos, done)",
                    frozenset({"admin", "manager", "repair", "cleaning", "security"})),
    "rota.read": ("see the duty rota", frozenset({"admin", "manager", "front_desk"})),
    "rota.write": ("set the duty rota", frozenset({"admin", "manager"})),
    "staff.lifecycle": ("staff joining, moving and leaving", frozenset({"admin", "manager"})),
    "books.read": ("see the books and the monthly finance report", frozenset({"admin", "manager", "finance"})),
    "books.write": ("record expenses, publish the month, record fund approvals",
                    frozenset({"admin", "manager", "finance"})),
    "supervision.read": ("see the district's (street's) quality figures, lists, grades and supervised cases",
                         frozenset({"regulator"})),
    "supervision.act": ("issue, accept and return rectification notices", frozenset({"regulator"})),
}


def roles_with(permission: str) -> frozenset[str]:
    """The roles holding `permission`; an unknown permission is a programming error."""
    return PERMISSIONS[permission][1]
