"""WeChat signatures, safe-mode AES and defensive XML: Tencent's published sample goes
through the project's own crypto path; wechatpy's client code makes and reads the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat import xml
from bot.channels.wechat.crypto import (
    DecryptError,
    MessageCrypto,
    SignatureError,
    sign,
    signature_ok,
    timestamp_fresh,
)

DATA = Path(__file__).parents[2] / "data" / "wechat"
SAMPLE = json.loads((DATA / "tencent_sample.json").read_text(encoding="utf-8"))


def sample_crypto(app_id: str = SAMPLE["app_id"]) -> MessageCrypto:
    return MessageCrypto(SAMPLE["token"], SAMPLE["encoding_aes_key"], app_id)


def test_tencent_sample_decrypts_and_verifies_through_our_path() -> None:
    envelope = xml.parse(SAMPLE["from_xml"])
    inner = sample_crypto().decrypt(
        xml.field(envelope, "Encrypt"), SAMPLE["msg_signature"], SAMPLE["timestamp"], SAMPLE["nonce"]
    )
    assert xml.parse(inner) == SAMPLE["decrypted"]


def test_tencent_sample_query_signature() -> None:
    parts = (SAMPLE["token"], SAMPLE["timestamp"], SAMPLE["nonce"])
    assert sign(*parts) == SAMPLE["signature"]
    assert signature_ok(parts, SAMPLE["signature"])
    assert signature_ok(parts, SAMPLE["signature"].upper())


@pytest.mark.parametrize(
    "change",
    ["msg_signature", "timestamp", "nonce", "encrypt"],
)
def test_tampered_sample_is_refused(change: str) -> None:
    args = {
        "encrypt": xml.field(xml.parse(SAMPLE["from_xml"]), "Encrypt"),
        "msg_signature": SAMPLE["msg_signature"],
        "timestamp": SAMPLE["timestamp"],
        "nonce": SAMPLE["nonce"],
    }
    args[change] = "1" + args[change][1:] if args[change][0] != "1" else "2" + args[change][1:]
    with pytest.raises(SignatureError):
        sample_crypto().decrypt(**args)


def test_sample_for_another_app_id_is_refused() -> None:
    encrypt = xml.field(xml.parse(SAMPLE["from_xml"]), "Encrypt")
    with pytest.raises(DecryptError):
        sample_crypto("wx0000000000000000").decrypt(
            encrypt, SAMPLE["msg_signature"], SAMPLE["timestamp"], SAMPLE["nonce"]
        )


@pytest.mark.parametrize("garbage", ["not base64!", "QUJD", "A" * 64])
def test_signed_garbage_does_not_decrypt(garbage: str) -> None:
    crypto = sample_crypto()
    signature = sign(SAMPLE["token"], "1", "2", garbage)
    with pytest.raises(DecryptError):
        crypto.decrypt(garbage, signature, "1", "2")


def test_missing_or_empty_signature_never_matches() -> None:
    assert not signature_ok(("spamtest", "1", "2"), "")
    assert not signature_ok(("spamtest", "", "2"), sign("spamtest", "", "2"))


def test_timestamp_window() -> None:
    assert timestamp_fresh("1000", 1000.0, 300)
    assert timestamp_fresh("700", 1000.0, 300)
    assert not timestamp_fresh("699", 1000.0, 300)
    assert not timestamp_fresh("1301", 1000.0, 300)
    for bad in ("", "-5", "12.5", "1e3", "9" * 40):
        assert not timestamp_fresh(bad, 1000.0, 300)


def test_our_encrypted_reply_is_read_by_wechatpy() -> None:
    reply = xml.text_reply("oyORnuP8q7ou2gfYjqLzSIWZf0rs", "gh_10f6c3c3ac5a", "您好 ]]> 物业", 1409735670)
    envelope = sample_crypto().encrypt_reply(reply, "nonce-1", "1409735670")
    fields = xml.parse(envelope)
    client = WeChatCrypto(SAMPLE["token"], SAMPLE["encoding_aes_key"], SAMPLE["app_id"])
    plain = client.decrypt_message(envelope, fields["MsgSignature"], "1409735670", "nonce-1")
    assert xml.parse(plain)["Content"] == "您好 ]]> 物业"


def test_wechatpy_encrypted_message_is_read_by_us() -> None:
    client = WeChatCrypto(SAMPLE["token"], SAMPLE["encoding_aes_key"], SAMPLE["app_id"])
    message = "<xml><FromUserName><![CDATA[o1]]></FromUserName><Content><![CDATA[报修]]></Content></xml>"
    envelope = xml.parse(client.encrypt_message(message, "n-2", "1700000000"))
    inner = sample_crypto().decrypt(envelope["Encrypt"], envelope["MsgSignature"], "1700000000", "n-2")
    assert xml.parse(inner)["Content"] == "报修"


def test_bad_encoding_aes_key_is_a_config_error() -> None:
    with pytest.raises(ValueError):
        MessageCrypto("t", "short", "wx1")


# --- defensive XML -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
def test_dtd_and_entities_are_refused_before_parsing(name: str) -> None:
    with pytest.raises(xml.XmlError, match="DTD"):
        xml.parse((DATA / name).read_bytes())


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>x</ToUserName>",  # truncated
        b"not xml at all",
        b"<notxml><A>1</A></notxml>",  # wrong root
        b"<xml>text only</xml>",
        b"<xml><A>&undefined;</A></xml>",  # an entity never declared
        "<xml><A>1</A></xml>".encode("utf-16"),  # NULs between letters
        b"<xml><A>\xff\xfe</A></xml>",  # not UTF-8
        b"<xml><a><b><c><d><e>deep</e></d></c></b></a></xml>",
        b"<!doctype xml><xml><A>1</A></xml>",  # lower case too
    ],
)
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(xml.XmlError):
        xml.parse(body)


def test_fields_and_nested_events_parse() -> None:
    body = (
        "<xml><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1</CreateTime>"
        "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType></ScanCodeInfo></xml>"
    )
    parsed = xml.parse(body.encode())
    assert xml.field(parsed, "FromUserName") == "o1"
    assert xml.field(parsed, "ScanCodeInfo") == ""  # not text
    assert xml.field(parsed, "Missing") == ""


def test_text_reply_cannot_be_broken_out_of() -> None:
    reply = xml.text_reply("o1", "gh_1", "a]]><MsgType>news</MsgType>", 5)
    parsed = xml.parse(reply)
    assert parsed["Content"] == "a]]><MsgType>news</MsgType>"
    assert parsed["MsgType"] == "text"
