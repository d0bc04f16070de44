"""Refunds by finance staff through the real client against the fake WeChat Pay: full,
partial, retried, closed, abnormal, the refund notification, limits, and concurrency."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest

from handlers.errors import Forbidden, Invalid, NotFound
from handlers.jobs_payments import payment_sync
from handlers.office.refunds import request_refund, send_refund, staff_actor
from storage.models import AuditLog, Bill, OutboxMessage, Payment, Refund
from tests.bot.payments.conftest import PaySite


async def paid_order(site: PaySite, home: str = "3-2-501") -> Payment:
    """An order placed with WeChat (Native), paid and notified: settled."""
    payment = site.new_order(home=home)
    page = await site.client.get("/pay/" + site.provider.link(payment.reference).split("/pay/")[1])
    assert page.status == 200
    site.fake.pay(payment.reference)
    headers, body = site.fake.notification(site.fake.transaction(payment.reference))
    assert (await site.notify(headers, body)).status == 204
    return site.payment(payment.reference)


def refund(site: PaySite, reference: str, amount: str | None, reason: str = "多收了",
           role: str = "finance", bills: list[int] | None = None) -> Refund:
    """Finance asks for a refund (reserved, committed), then it is sent to WeChat."""
    deps = site.app.deps
    with deps.uow() as uow:
        actor = staff_actor(uow, site.world.staff_ids[role])
        made = request_refund(uow, site.provider, actor, reference,
                              Decimal(amount) if amount else None, reason, deps.clock(), bills)
        uow.commit()
        number = made.out_refund_no or ""
    with deps.uow() as uow:
        sent = send_refund(uow, site.provider, number, deps.clock(), deps.settings.timezone)
        uow.commit()
        return sent


async def test_full_refund_succeeds_by_notification_and_bills_return_to_unpaid(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    made = refund(paysite, payment.reference, None, "业主搬离，全额退费")
    assert made.status == "processing" and made.amount == payment.amount
    assert paysite.fake.refunds[made.out_refund_no].body["amount"] == {
        "refund": 58220, "total": 58220, "currency": "CNY"}
    paysite.fake.finish_refund(made.out_refund_no, "SUCCESS")
    headers, body = paysite.fake.notification(paysite.fake.refund_resource(made.out_refund_no),
                                              "REFUND.SUCCESS")
    assert (await paysite.notify(headers, body)).status == 204
    [done] = paysite.rows(Refund, Refund.id == made.id)
    assert done.status == "succeeded" and done.succeeded_at is not None
    ids = [int(x) for x in payment.bill_ids.split(",")]
    assert {b.status for b in paysite.rows(Bill, Bill.id.in_(ids))} == {"unpaid"}
    told = paysite.rows(OutboxMessage, OutboxMessage.dedupe_key.like("refund:%"))
    assert len(told) == 2 and "退款成功" in told[0].payload and "恢复为未缴" in told[0].payload
    # The same notification again: 204, nothing more.
    assert (await paysite.notify(headers, body)).status == 204
    assert len(paysite.rows(OutboxMessage, OutboxMessage.dedupe_key.like("refund:%"))) == 2
    actions = [a.action for a in paysite.rows(AuditLog)]
    assert "refund_requested" in actions and "refund_succeeded" in actions


async def test_partial_refunds_never_exceed_what_was_paid(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    first = refund(paysite, payment.reference, "45.20", "水费重复收取", bills=[])
    second = refund(paysite, payment.reference, "500.00", "物业费减免")
    assert first.status == second.status == "processing"
    with pytest.raises(Invalid):
        refund(paysite, payment.reference, "37.01", "再退一点")  # 582.20 − 545.20 = 37.00 left
    last = refund(paysite, payment.reference, "37.00", "余额")
    assert last.status == "processing"
    assert paysite.payment(payment.reference).refunded == Decimal("582.20")
    assert paysite.fake.orders[payment.reference].refunded_fen == 58220
    # Partial refunds without named bills leave the bills paid.
    paysite.fake.finish_refund(first.out_refund_no, "SUCCESS")
    paysite.clock.advance(minutes=1)
    payment_sync(paysite.app.deps, paysite.clock())
    [done] = paysite.rows(Refund, Refund.id == first.id)
    assert done.status == "succeeded"
    ids = [int(x) for x in payment.bill_ids.split(",")]
    assert {b.status for b in paysite.rows(Bill, Bill.id.in_(ids))} == {"paid"}


async def test_closed_refund_releases_the_amount_and_abnormal_is_kept_and_shown(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    closed = refund(paysite, payment.reference, "100.00", "误操作")
    paysite.fake.finish_refund(closed.out_refund_no, "CLOSED")
    headers, body = paysite.fake.notification(paysite.fake.refund_resource(closed.out_refund_no),
                                              "REFUND.CLOSED")
    assert (await paysite.notify(headers, body)).status == 204
    assert paysite.rows(Refund, Refund.id == closed.id)[0].status == "closed"
    assert paysite.payment(payment.reference).refunded == Decimal("0")
    abnormal = refund(paysite, payment.reference, "50.00", "退到已注销的银行卡")
    paysite.fake.finish_refund(abnormal.out_refund_no, "ABNORMAL")
    headers, body = paysite.fake.notification(paysite.fake.refund_resource(abnormal.out_refund_no),
                                              "REFUND.ABNORMAL")
    assert (await paysite.notify(headers, body)).status == 204
    assert paysite.rows(Refund, Refund.id == abnormal.id)[0].status == "abnormal"
    assert paysite.payment(payment.reference).refunded == Decimal("50.00")  # still reserved
    assert paysite.rows(AuditLog, AuditLog.action == "refund_abnormal")
    assert not paysite.rows(OutboxMessage, OutboxMessage.dedupe_key.like("refund:%"))


async def test_a_retry_reuses_the_refund_number(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    made = refund(paysite, payment.reference, "10.00", "多收")
    with paysite.app.deps.uow() as uow:  # as if the first answer had been lost
        row = uow.payments.refund(made.out_refund_no or "")
        row.status = "pending"  # type: ignore[union-attr]
        uow.commit()
    with paysite.app.deps.uow() as uow:
        sent = send_refund(uow, paysite.provider, made.out_refund_no or "", paysite.clock())
        uow.commit()
        assert sent.status == "processing"
    assert len(paysite.fake.refunds) == 1
    posted = [b for m, p, b in paysite.fake.requests if p == "/v3/refund/domestic/refunds"]
    assert [b["out_refund_no"] for b in posted] == [made.out_refund_no] * 2


async def test_only_finance_of_the_same_company_may_refund_and_with_a_reason(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    with pytest.raises(Forbidden):
        refund(paysite, payment.reference, "1.00", "x", role="manager")
    with pytest.raises(Invalid):
        refund(paysite, payment.reference, "1.00", "   ")
    with pytest.raises(Invalid):
        refund(paysite, payment.reference, "0.001", "三位小数")
    with pytest.raises(NotFound):
        refund(paysite, "WY000000000000FFFF", "1.00", "没有这单")
    assert not paysite.rows(Refund)


async def test_refunds_older_than_a_year_or_beyond_fifty_are_refused(paysite: PaySite) -> None:
    payment = await paid_order(paysite)
    with paysite.app.deps.uow() as uow:
        for n in range(50):
            uow.billing.add_refund(Refund(payment_id=payment.id, amount=Decimal("0.01"), reason="t",
                                          status="succeeded", created_at=paysite.clock(),
                                          out_refund_no=f"RFOLD{n:03d}"))
        uow.commit()
    with pytest.raises(Invalid) as err:
        refund(paysite, payment.reference, "1.00", "第51次")
    assert "50" in str(err.value.params)
    paysite.clock.advance(days=366)
    with pytest.raises(Invalid) as err:
        refund(paysite, payment.reference, "1.00", "一年以后")
    assert "year" in str(err.value.params)


def test_concurrent_refunds_on_postgresql_never_exceed_the_payment(
    make_paysite: Any, parser: object,
) -> None:
    import asyncio

    from tests.storage.backends import fresh_pg_schema

    with fresh_pg_schema() as url:
        async def build() -> PaySite:
            site = await make_paysite(database_url=url)
            await paid_order(site)
            await site.client.close()
            return site

        loop = asyncio.new_event_loop()
        try:
            site = loop.run_until_complete(build())
        finally:
            loop.close()
        [payment] = site.rows(Payment)
        deps = site.app.deps
        barrier = threading.Barrier(6)
        outcomes: list[str] = []

        def one() -> None:
            with deps.uow() as uow:
                actor = staff_actor(uow, site.world.staff_ids["finance"])
                barrier.wait()
                try:
                    request_refund(uow, site.provider, actor, payment.reference, Decimal("200.00"),
                                   "并发退款", deps.clock())
                    uow.commit()
                    outcomes.append("ok")
                except Invalid:
                    outcomes.append("refused")

        threads = [threading.Thread(target=one) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["ok", "ok", "refused", "refused", "refused", "refused"]
        assert site.payment(payment.reference).refunded == Decimal("400.00")
        assert len(site.rows(Refund)) == 2
        site.app.close()


async def test_bills_paid_twice_are_refunded_by_the_sync_job(paysite: PaySite) -> None:
    payment = paysite.new_order()
    page = await paysite.client.get("/pay/" + paysite.provider.link(payment.reference).split("/pay/")[1])
    assert page.status == 200
    with paysite.app.deps.uow() as uow:  # meanwhile the owner pays the water bill at the desk
        water = [b for b in uow.billing.unpaid_bills(payment.home_id) if b.item == "water"][0]
        water.status, water.paid_at = "paid", paysite.clock()
        uow.commit()
    paysite.fake.pay(payment.reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(payment.reference))
    assert (await paysite.notify(headers, body)).status == 204
    receipts = paysite.rows(OutboxMessage, OutboxMessage.kind == "payment")
    assert "45.20元对应的账单此前已缴清" in receipts[0].payload
    paysite.clock.advance(minutes=10)
    payment_sync(paysite.app.deps, paysite.clock())
    [auto] = paysite.rows(Refund)
    assert auto.status == "processing" and auto.actor == "system" and auto.amount == Decimal("45.20")
    sent = paysite.fake.refunds[auto.out_refund_no]
    assert sent.body["reason"] == "账单此前已缴清，重复支付部分原路退回"
    assert paysite.payment(payment.reference).refunded == Decimal("45.20")
    paysite.fake.finish_refund(auto.out_refund_no, "SUCCESS")
    payment_sync(paysite.app.deps, paysite.clock())
    assert paysite.rows(Refund)[0].status == "succeeded"
    water_now = paysite.rows(Bill, Bill.item == "water", Bill.home_id == payment.home_id)[0]
    assert water_now.status == "paid"  # paid at the desk: stays paid
