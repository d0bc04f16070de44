"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from storage.models.base import AwareDateTime, Base, Money
from storage.models.billing import (
    BILL_ITEMS,
    Bill,
    MaintenanceFundEntry,
    Payment,
    Refund,
    ServiceContract,
)
from storage.models.console import (  # noqa: F401 - the console (issue 9)
    CONVERSATION_STATUSES,
    MESSAGE_SENDERS,
    CannedReply,
    ConsoleAccount,
    Conversation,
    ConversationMessage,
)
from storage.models.content import NOTICE_KINDS, SAFETY_NOTICE_KINDS, FaqEntry, Notice, Policy
from storage.models.operations import DutyShift, Expense, FundApproval, ServicePlan, ServiceTask  # noqa: F401
from storage.models.ops import AuditLog, KeyValueEntry, OutboxMessage
from storage.models.org import (
    Building,
    Community,
    Company,
    Home,
    RectificationNotice,
    Regulator,
    Staff,
)
from storage.models.payments import RECONCILIATION_KINDS, ReconciliationItem  # noqa: F401
from storage.models.people import ChannelIdentity, HomeMember, InviteCode, Owner
from storage.models.safety import BindingRequest, SpooledReport, TicketReporter
from storage.models.supervision import (  # noqa: F401
    Consultation,
    ConsultationAnswer,
    CreditRecord,
    Disclosure,
    ProjectFiling,
    RectificationPhoto,
    ReturnVisit,
    StaffCertificate,
    SupervisedCase,
)
from storage.models.tickets import (
    OPEN_STATUSES,
    TICKET_KINDS,
    TICKET_STATUSES,
    Attachment,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from storage.models.turns import HandledTurn  # noqa: F401 - registers the table

__all__ = [
    "BILL_ITEMS", "NOTICE_KINDS", "OPEN_STATUSES", "SAFETY_NOTICE_KINDS", "TICKET_KINDS",
    "TICKET_STATUSES", "Attachment", "AuditLog", "AwareDateTime", "Base", "Bill", "Building",
    "ChannelIdentity", "Community", "Company", "FaqEntry", "Home", "HomeMember", "InviteCode",
    "KeyValueEntry", "MaintenanceFundEntry", "Money", "Notice", "OutboxMessage", "Owner",
    "Payment", "Policy", "RectificationNotice", "Refund", "Regulator", "ServiceContract",
    "Staff", "Ticket", "TicketCounter", "TicketEvent",
    "BindingRequest", "SpooledReport", "TicketReporter",
]
