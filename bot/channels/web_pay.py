"""The demo checkout page: `GET /pay/{reference}` shows an order, `POST …/confirm` settles it.

The link comes from handlers.payments.DemoPaymentProvider. A reference is `WY` + the local
time to the second + 4 hex digits, so it can be guessed: outside demo mode the page wants
the owner's web chat token (`?user=U&token=T` as made by `python -m bot web-token`; a
browser that opened the web chat has them stored and pay.js reloads the page with them) of
an account bound to a member of the order's home. Confirming works only while no real
provider is configured. With WeChat Pay on, the chat's link carries the order's signature
(`?s=`), and the page shows WeChat Pay's checkout for the browser (bot.payments.wechatpay.page).
Every value shown is HTML-escaped: home labels come from imports.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import parse_qs

from aiohttp import web

from bot.app import App
from bot.channels import web as web_channel
from bot.channels import web_pay_page as page
from bot.channels.body import read_capped
from bot.channels.serial import KeyedLocks
from bot.payments.wechatpay import page as wxpage
from bot.payments.wechatpay.provider import WechatPayProvider
from handlers.checkout import (
    DEMO_PROVIDER,
    PaymentView,
    describe_payment,
    may_view,
    settle_demo_payment,
)
from handlers.errors import Invalid, NotFound

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
_REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


@dataclass(frozen=True)
class Viewer:
    """Who opened the page: the web chat user and token (both empty in demo mode)."""

    user: str = ""
    token: str = ""
    demo: bool = False  # a demo-mode request from loopback: trusted like the web chat


class PayPage:
    """The two routes, with the web chat's token rules."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.auth = web_channel.WebAuth(app)
        self.limit = app.settings.web.max_body_bytes
        self.template = page.load_template(STATIC_DIR / "pay.html")
        self.settling = KeyedLocks()  # one confirm per order at a time in this process
        # WeChat Pay's order links are signed with the web secret (bot.payments.wechatpay.setup).
        self.link_secret = web_channel.load_secret(app.settings.web) if self.wechat_pay else None

    @property
    def wechat_pay(self) -> WechatPayProvider | None:
        """The WeChat Pay provider when it is configured."""
        payments = self.app.deps.payments
        return payments if isinstance(payments, WechatPayProvider) else None

    @property
    def demo_provider(self) -> bool:
        """True while no real payment provider is configured."""
        return self.app.deps.payments is None

    async def show(self, request: web.Request) -> web.Response:
        """`GET /pay/{reference}[?user=U&token=T]`: the order, and a confirm button if due."""
        reference = request.match_info["reference"]
        viewer = Viewer(
            request.query.get("user", ""), request.query.get("token", ""),
            web_channel.demo_request(self.app, request),
        )
        if not _REFERENCE.match(reference):
            return self._render(404, "missing")
        # The link the chat sent carries the order's signature (WeChat Pay): it opens that order.
        linked = self.link_secret is not None and wxpage.signed(
            self.link_secret, reference, request.query.get("s", ""))
        if not linked and not self._authentic(viewer):
            return self._render(401, "auth")
        view = await asyncio.to_thread(self._load, reference, viewer, linked)
        if view is None:
            return self._render(404, "missing")
        checkout = ""
        provider = self.wechat_pay
        if provider is not None and view.provider == provider.name and view.status == "pending":
            checkout = await wxpage.block(self.app, provider, request, reference,
                                          page.money(view.total, page.LOCALE))
        return self._order(view, viewer, just_paid=False, checkout=checkout)

    async def confirm(self, request: web.Request) -> web.Response:
        """`POST /pay/{reference}/confirm` (form: amount, user, token): settle, show the receipt."""
        reference = request.match_info["reference"]
        if not _REFERENCE.match(reference):
            return self._render(404, "missing")
        body = await read_capped(request, self.limit)
        if body is None:
            return self._render(413, "too_large")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        viewer = Viewer(
            form.get("user", ""), form.get("token", ""), web_channel.demo_request(self.app, request)
        )
        if not self._authentic(viewer):
            return self._render(401, "auth")
        if not self.demo_provider:
            return self._render(403, "closed")
        amount_text = form.get("amount", "")
        if amount_text and not _AMOUNT.match(amount_text):
            return self._render(400, "invalid")
        if await asyncio.to_thread(self._load, reference, viewer) is None:
            return self._render(404, "missing")
        try:
            async with self.settling.hold(reference):
                view = await asyncio.to_thread(self._settle, reference, _decimal(amount_text))
        except NotFound:
            return self._render(404, "missing")
        except Invalid as err:
            log.warning("demo payment %s not settled: %s", reference, err.params.get("reason"))
            return self._render(409, "invalid")
        return self._order(view, viewer, just_paid=True)

    def _authentic(self, viewer: Viewer) -> bool:
        if viewer.demo:
            return True  # demo mode: like the web chat, a request truly from loopback is trusted
        return web_channel.valid_user_id(viewer.user) and bool(viewer.token) and (
            web_channel.verify_token(self.auth.secret(), viewer.token, viewer.user, self.app.deps.clock())
        )

    def _load(self, reference: str, viewer: Viewer, linked: bool = False) -> PaymentView | None:
        """The order, or None when missing or (outside demo mode) not the viewer's home's."""
        with self.app.deps.uow() as uow:
            view = describe_payment(uow, reference)
            if view is None:
                return None
            if linked:
                return view
            if not viewer.demo and not may_view(uow, view.home_id, "web", viewer.user):
                return None  # somebody else's order looks exactly like a missing one
            return view

    def _settle(self, reference: str, amount: Decimal | None) -> PaymentView:
        # Its own unit of work, and the order is loaded there first (locked): see
        # handlers.checkout.settle_demo_payment.
        with self.app.deps.uow() as uow:
            view = settle_demo_payment(
                uow, reference, self.app.deps.clock(), self.app.deps.settings.timezone, amount
            )
            uow.commit()
        log.info("demo payment %s settled from the checkout page", reference)
        return view

    def _order(self, view: PaymentView, viewer: Viewer, *, just_paid: bool,
               checkout: str = "") -> web.Response:
        can_confirm = view.status == "pending" and self.demo_provider and view.provider == DEMO_PROVIDER
        content = page.order(
            view, self.app.deps.settings.timezone, just_paid=just_paid,
            confirm=page.ConfirmForm(viewer.user, viewer.token) if can_confirm else None,
            checkout=checkout,
        )
        title = page.PAGE["receipt" if just_paid else "order"]
        return self._respond(200, title, "paid" if view.paid else view.status, content)

    def _render(self, status: int, key: str) -> web.Response:
        title = page.PAGE[f"{key}_title"]
        return self._respond(status, title, key, page.notice(title, page.PAGE[key]))

    def _respond(self, status: int, title: str, state: str, content: str) -> web.Response:
        html = page.render(self.template, title=title, state=state, content=content)
        # Orders are personal: never cached, never indexed.
        return web.Response(status=status, text=html, content_type="text/html", headers={
            "Cache-Control": "no-store", "X-Robots-Tag": "noindex",
        })


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:  # the pattern above makes this impossible; be safe anyway
        return None


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: mount the checkout page."""
    pay = PayPage(app)
    web_app.router.add_get("/pay/{reference}", pay.show)
    web_app.router.add_post("/pay/{reference}/confirm", pay.confirm)
