"""WeCom callback crypto: WeCom's published sample verifies and decrypts through the
project's own path (crypto and webhook); wechatpy's enterprise crypto makes and reads the rest."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.channels.wechat import xml
from bot.channels.wecom.crypto import DecryptError, SignatureError, WecomCrypto
from bot.config import WecomSettings
from handlers.deps import Deps
from tests.chat import FakeClock
from tests.fakes.wecom_server import SEND, FakeWecomServer, serve_webhook, sign, wecom_settings

DATA = Path(__file__).parents[2] / "data" / "wecom"
SAMPLE = json.loads((DATA / "published_sample.json").read_text(encoding="utf-8"))
URL, MSG = SAMPLE["verify_url"], SAMPLE["message"]


def sample_crypto(corp_id: str = SAMPLE["corp_id"]) -> WecomCrypto:
    return WecomCrypto(SAMPLE["token"], SAMPLE["encoding_aes_key"], corp_id)


def sample_encrypt() -> str:
    return xml.field(xml.parse(MSG["body"]), "Encrypt")


def test_published_url_check_decrypts_through_our_path() -> None:
    plain = sample_crypto().verify_url(
        URL["msg_signature"], URL["timestamp"], URL["nonce"], URL["echostr"]
    )
    assert plain == URL["plaintext"]


def test_published_message_decrypts_through_our_path() -> None:
    inner = sample_crypto().decrypt(
        sample_encrypt(), MSG["msg_signature"], MSG["timestamp"], MSG["nonce"]
    )
    assert xml.parse(inner) == MSG["decrypted"]


@pytest.mark.parametrize("change", ["msg_signature", "timestamp", "nonce", "encrypt"])
def test_tampered_sample_is_refused(change: str) -> None:
    args = {
        "encrypt": sample_encrypt(), "msg_signature": MSG["msg_signature"],
        "timestamp": MSG["timestamp"], "nonce": MSG["nonce"],
    }
    args[change] = ("2" if args[change][0] == "1" else "1") + args[change][1:]
    with pytest.raises(SignatureError):
        sample_crypto().decrypt(**args)


def test_sample_for_another_corp_is_refused() -> None:
    with pytest.raises(DecryptError):
        sample_crypto("ww0000000000000000").decrypt(
            sample_encrypt(), MSG["msg_signature"], MSG["timestamp"], MSG["nonce"]
        )


@pytest.mark.parametrize("garbage", ["not base64!", "QUJD", "A" * 64])
def test_signed_garbage_does_not_decrypt(garbage: str) -> None:
    with pytest.raises(DecryptError):
        sample_crypto().decrypt(garbage, sign(SAMPLE["token"], "1", "2", garbage), "1", "2")


def test_wechatpy_enterprise_messages_round_trip_both_ways() -> None:
    client = WeChatCrypto(SAMPLE["token"], SAMPLE["encoding_aes_key"], SAMPLE["corp_id"])
    message = "<xml><FromUserName><![CDATA[zhangsan]]></FromUserName><Content><![CDATA[接单]]></Content></xml>"
    envelope = xml.parse(client.encrypt_message(message, "n-1", "1700000000"))
    ours = sample_crypto()
    inner = ours.decrypt(str(envelope["Encrypt"]), str(envelope["MsgSignature"]), "1700000000", "n-1")
    assert xml.parse(inner)["Content"] == "接单"
    sealed = ours.encrypt("<xml><Content><![CDATA[好的]]></Content></xml>", "n-2", "1700000001")
    fields = xml.parse(sealed)
    plain = client.decrypt_message(sealed, fields["MsgSignature"], "1700000001", "n-2")
    assert xml.parse(plain)["Content"] == "好的"


def test_bad_encoding_aes_key_is_a_config_error() -> None:
    with pytest.raises(ValueError):
        WecomCrypto("t", "short", "ww1")


# --- the published sample through the webhook ------------------------------------------


def _at(timestamp: str) -> FakeClock:
    return FakeClock(datetime.fromtimestamp(int(timestamp), ZoneInfo("Asia/Shanghai")))


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecomServer]:
    async with FakeWecomServer(corp_id=SAMPLE["corp_id"]) as server:
        yield server


def sample_settings(base_url: str) -> WecomSettings:
    return wecom_settings(
        base_url, corp_id=SAMPLE["corp_id"], token=SAMPLE["token"],
        encoding_aes_key=SAMPLE["encoding_aes_key"], agent_id=218,
    )


async def test_published_url_check_through_the_webhook(
    wc: FakeWecomServer, deps: Deps, world: object
) -> None:
    deps = _with_clock(deps, _at(URL["timestamp"]))
    async with serve_webhook(deps, sample_settings(wc.base_url)) as served:
        client = served.wecom.client
        query = {k: URL[k] for k in ("msg_signature", "timestamp", "nonce", "echostr")}
        resp = await client.get("/webhook/wecom", params=query)
        assert (resp.status, await resp.text()) == (200, URL["plaintext"])
        # The request exactly as the doc shows it (URL-encoded), and with a raw `+` in it.
        doc = ("/webhook/wecom?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
               "&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2F"
               "qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D")
        for path in (doc, doc.replace("%2B", "+")):
            resp = await client.get(path)
            assert (resp.status, await resp.text()) == (200, URL["plaintext"])
        forged = query | {"msg_signature": "0" * 40}
        assert (await client.get("/webhook/wecom", params=forged)).status == 403
    later = _with_clock(deps, _at(str(int(URL["timestamp"]) + 3600)))
    async with serve_webhook(later, sample_settings(wc.base_url)) as served:
        resp = await served.wecom.client.get("/webhook/wecom", params=query)
        assert resp.status == 403  # a replayed URL check an hour later


async def test_published_message_through_the_webhook_is_answered_by_the_api(
    wc: FakeWecomServer, deps: Deps, world: object
) -> None:
    deps = _with_clock(deps, _at(MSG["timestamp"]))
    async with serve_webhook(deps, sample_settings(wc.base_url)) as served:
        query = {k: MSG[k] for k in ("msg_signature", "timestamp", "nonce")}
        assert await served.wecom.raw(MSG["body"], **query) == (200, "")
        await served.webhook.flights.drain()
    [reply] = wc.sent()
    assert reply["touser"] == "mycreate" and reply["agentid"] == 218
    assert wc.count(SEND) == 1


def _with_clock(deps: Deps, clock: FakeClock) -> Deps:
    return replace(deps, clock=clock)
