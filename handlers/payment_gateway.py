"""The port a real payment provider implements for orders, refunds and bills (WeChat Pay v3).

Use cases (checkout, notifications, refunds, the sync and reconciliation jobs) talk to this
Protocol only; bot/payments/wechatpay is the implementation and tests/fakes drives it.
Amounts cross this port in integer fen; local models keep Decimal yuan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

TRADE_TYPES = ("JSAPI", "NATIVE", "H5")


class GatewayError(Exception):
    """The provider refused a call or could not be reached; `code` is its error code."""

    def __init__(self, code: str, message: str = "", status: int = 0) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code, self.message, self.status = code, message, status

    @property
    def retryable(self) -> bool:
        """Network trouble and the provider's 5xx: the same request may be sent again."""
        return self.status == 0 or self.status >= 500 or self.code in ("SYSTEM_ERROR", "FREQUENCY_LIMITED")


@dataclass(frozen=True)
class OrderRequest:
    """One order to place with the provider (`out_trade_no` = our reference)."""

    reference: str
    amount_fen: int
    description: str
    expires_at: datetime
    merchant: str  # the mch_id (direct) or the company's sub_mchid (service-provider mode)
    trade_type: str  # JSAPI / NATIVE / H5
    openid: str = ""  # JSAPI: the payer in our Official Account
    client_ip: str = ""  # H5: the payer's address


@dataclass(frozen=True)
class TradeState:
    """The provider's view of one order, from a verified notification or query answer."""

    reference: str
    state: str  # SUCCESS / NOTPAY / CLOSED / REFUND / USERPAYING / PAYERROR / REVOKED
    transaction_id: str = ""
    total_fen: int | None = None
    currency: str = ""
    mch_id: str = ""  # direct: mchid; service-provider mode: sp_mchid
    sub_mchid: str = ""
    app_id: str = ""  # direct: appid; service-provider mode: sp_appid
    success_time: datetime | None = None


@dataclass(frozen=True)
class RefundState:
    """The provider's view of one refund."""

    out_refund_no: str
    status: str  # PROCESSING / SUCCESS / CLOSED / ABNORMAL
    refund_id: str = ""
    reference: str = ""  # out_trade_no
    refund_fen: int | None = None
    mch_id: str = ""
    sub_mchid: str = ""
    success_time: datetime | None = None


@dataclass(frozen=True)
class BillLine:
    """One line of the provider's daily trade bill (amounts in yuan, as the bill has them)."""

    kind: str  # payment / refund
    reference: str  # out_trade_no
    transaction_id: str
    amount: Decimal  # payment: the order amount; refund: the refunded amount
    state: str  # SUCCESS / REFUND / REVOKED (payments); SUCCESS / PROCESSING… (refunds)
    merchant: str = ""  # the sub-merchant column in service-provider mode, else the merchant
    out_refund_no: str = ""
    refund_id: str = ""
    time: str = ""


@dataclass(frozen=True)
class Checkout:
    """What the pay page needs to start a payment of one trade type."""

    trade_type: str
    data: dict[str, Any] = field(default_factory=dict)  # JSAPI params / code_url / h5_url


class PaymentGateway(Protocol):
    """A real provider: the checkout link plus the provider's order and refund API."""

    name: str
    mch_id: str
    app_id: str
    sub_mch_mode: bool
    company: str  # direct mode: the company whose merchant this is ("" = the only one)
    order_minutes: int

    def create_checkout(self, reference: str, amount: Decimal, description: str) -> str: ...

    def prepay(self, order: OrderRequest) -> Checkout: ...

    def query_order(self, reference: str, merchant: str) -> TradeState | None: ...

    def close_order(self, reference: str, merchant: str) -> None: ...

    def refund(self, reference: str, out_refund_no: str, refund_fen: int, total_fen: int,
               reason: str, merchant: str) -> RefundState: ...

    def query_refund(self, out_refund_no: str, merchant: str) -> RefundState | None: ...

    def trade_bill(self, day: date, merchant: str) -> list[BillLine]: ...


def fen(amount: Decimal) -> int:
    """Yuan (two decimals) → integer fen."""
    return int((amount * 100).to_integral_value())


def yuan(amount_fen: int) -> Decimal:
    """Integer fen → Decimal yuan with two decimals."""
    return (Decimal(amount_fen) / 100).quantize(Decimal("0.01"))


def gateway_of(payments: object | None) -> PaymentGateway | None:
    """The configured provider when it is a real gateway (has an order API), else None."""
    return payments if payments is not None and hasattr(payments, "query_order") else None  # type: ignore[return-value]
