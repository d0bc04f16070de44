"""WeChat Pay benchmark: notifications handled per second, and the sync job over open orders.

    .venv/bin/python bench/wechatpay_bench.py [--orders 300] [--concurrency 8]

Against the fake WeChat Pay (tests/fakes/wechatpay_server.py, keys generated on the spot) on
loopback, SQLite in a temporary directory. Phases: place N orders (Native prepay through the
real client: sign, call, verify the answer); N notifications posted to `/pay/notify/wechat`
(verify RSA, decrypt AES-GCM, lock, settle, queue receipts), `concurrency` at a time; then
`payment_sync` asking WeChat about N paid orders whose notification was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.app import build_app, upgrade_db  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.http import build_web_app  # noqa: E402
from handlers.jobs_payments import payment_sync  # noqa: E402
from handlers.owners.pay_orders import checkout, ensure_order  # noqa: E402
from storage.models import Bill, Building, Home  # noqa: E402
from tests.chat import FakeClock  # noqa: E402
from tests.factories import build_world  # noqa: E402
from tests.fakes.wechatpay_server import FakeWechatPay, Keys, settings_for  # noqa: E402

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def place(app, provider, clock, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` homes with one bill each, an order each, placed with WeChat (Native)."""
    references = []
    with app.deps.uow() as uow:
        world = build_world(uow)
        building = uow.session.get(Building, uow.org.home(world.home_ids["3-2-501"]).building_id)
        homes = [Home(building=building, unit="9", room=str(1000 + n), area_m2=Decimal("80"))
                 for n in range(count)]
        uow.session.add_all(homes)
        uow.session.flush()
        uow.session.add_all([Bill(home_id=h.id, item="property_fee", period="2026-11",
                                  amount=Decimal("240.00"), due_date=date(2026, 11, 30)) for h in homes])
        uow.commit()
        ids = [h.id for h in homes]
    for n, home_id in enumerate(ids):
        with app.deps.uow() as uow:
            home = uow.org.home(home_id)
            payment = ensure_order(uow, provider, home, uow.billing.unpaid_bills(home_id), clock(),
                                   f"WYBENCH{n:08d}")
            uow.commit()
            checkout(uow, provider, payment.reference, clock(), "NATIVE")
            uow.commit()
            references.append(payment.reference)
    return references


async def notify_all(client: TestClient, fake: FakeWechatPay, references: list[str], concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def one(reference: str) -> None:
        headers, body = fake.notification(fake.transaction(reference))
        async with gate:
            response = await client.post("/pay/notify/wechat", data=body, headers=headers)
            assert response.status == 204, await response.text()

    start = time.perf_counter()
    await asyncio.gather(*(one(r) for r in references))
    return time.perf_counter() - start


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    clock = FakeClock(NOW)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keys = Keys()
        fake = FakeWechatPay(keys, clock).start()
        settings = Settings(database={"url": f"sqlite:///{folder / 'bench.sqlite3'}"},
                            web={"secret_file": folder / "secret"},
                            wechat_pay=settings_for(fake, keys.write(folder / "keys")))
        upgrade_db(settings)
        app = build_app(settings, clock=clock)
        provider = app.deps.payments
        start = time.perf_counter()
        references = place(app, provider, clock, args.orders * 2)
        placed = time.perf_counter() - start
        print(f"placed {len(references)} orders with WeChat: {placed:.1f} s "
              f"({len(references) / placed:.0f}/s, sign + call + verify + store)")
        notified = references[: args.orders]  # the rest: notifications lost, for payment_sync
        for reference in references:
            fake.pay(reference)
        client = TestClient(TestServer(build_web_app(app, plugins=("bot.payments.wechatpay.notify",)),
                                       host="127.0.0.1"))
        await client.start_server()
        took = await notify_all(client, fake, notified, args.concurrency)
        print(f"notifications: {len(notified)} in {took:.1f} s = {len(notified) / took:.0f}/s "
              f"(concurrency {args.concurrency}; verify, decrypt, settle, receipts)")
        again = await notify_all(client, fake, notified, args.concurrency)
        print(f"redeliveries: {len(notified)} in {again:.1f} s = {len(notified) / again:.0f}/s (nothing changes)")
        await client.close()
        start = time.perf_counter()
        report = payment_sync(app.deps, clock())
        took = time.perf_counter() - start
        print(f"payment_sync: {report.changed} missed payments recovered of {report.considered} open "
              f"orders in {took:.1f} s = {report.considered / took:.0f} orders/s")
        app.close()
        fake.stop()


if __name__ == "__main__":
    asyncio.run(main())
