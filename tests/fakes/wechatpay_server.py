"""A fake WeChat Pay API v3 on loopback, signing like the real one, for the real client.

Keys are generated when a test starts (never committed): the merchant's API key (the fake
checks every request's Authorization signature with its public half) and the platform's key,
published both as a platform public key (`PUB_KEY_ID_…`) and as a self-signed platform
certificate, so answers and notifications can be signed under either serial kind.

It keeps orders, refunds and trade bills in memory. A test makes the payer pay
(`pay(reference)`), then posts `notification(...)` to the app — or tampers with it first.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from bot.payments.wechatpay import crypto

MCH_ID = "1900000109"
APP_ID = "wxd678efh567hg6787"
API_V3_KEY = "0123456789abcdefABCDEF0123456789"  # 32 characters, made up for the tests
MERCHANT_SERIAL = "3775B6A45ACD588826D15E583A95F5DD"
PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092026120200000001"
TZ = ZoneInfo("Asia/Shanghai")


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA (test)")])
    now = datetime.now(UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .sign(key, hashes.SHA256()))


@dataclass
class Keys:
    """Merchant and platform keys for one test, written where the app's config points."""

    merchant: rsa.RSAPrivateKey = field(default_factory=_key)
    platform: rsa.RSAPrivateKey = field(default_factory=_key)
    certificate: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        self.certificate = _certificate(self.platform)

    @property
    def cert_serial(self) -> str:
        return format(self.certificate.serial_number, "X")

    def write(self, folder: Path) -> dict[str, Path]:
        """apiclient_key.pem, pub_key.pem and certs/<serial>.pem under `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        private = folder / "apiclient_key.pem"
        private.write_bytes(self.merchant.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        public = folder / "pub_key.pem"
        public.write_bytes(self.platform.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        certs = folder / "certs"
        certs.mkdir(exist_ok=True)
        (certs / f"{self.cert_serial}.pem").write_bytes(
            self.certificate.public_bytes(serialization.Encoding.PEM))
        return {"private": private, "public": public, "certs": certs}


@dataclass
class Order:
    reference: str
    body: dict[str, Any]
    trade_type: str
    state: str = "NOTPAY"
    transaction_id: str = ""
    success_time: str = ""
    refunded_fen: int = 0


@dataclass
class FakeRefund:
    body: dict[str, Any]
    refund_id: str
    status: str
    created: str
    success_time: str = ""


class FakeWechatPay:
    """The server; `serial_kind` picks how answers are signed: "key" or "cert"."""

    def __init__(self, keys: Keys, clock: Callable[[], datetime], *, sub_mch_mode: bool = False) -> None:
        self.keys, self.clock, self.sub_mch_mode = keys, clock, sub_mch_mode
        self.serial_kind = "key"
        self.orders: dict[str, Order] = {}
        self.refunds: dict[str, FakeRefund] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.refund_outcome = "PROCESSING"  # what a new refund answers first
        self.extra_bill_lines: list[list[str]] = []  # injected lines of the trade bill
        self.hide_from_bill: set[str] = set()  # references left out of the trade bill
        self.bill_files: dict[str, bytes] = {}
        self.corrupt_bill = False
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWechatPay:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- signing ------------------------------------------------------------------------

    def serial(self, kind: str | None = None) -> str:
        return PUBLIC_KEY_ID if (kind or self.serial_kind) == "key" else self.keys.cert_serial

    def sign(self, body: bytes, *, kind: str | None = None, timestamp: int | None = None,
             key: rsa.RSAPrivateKey | None = None) -> dict[str, str]:
        """Wechatpay-* headers over `body`, as the platform signs answers and notifications."""
        ts = str(timestamp if timestamp is not None else int(self.clock().timestamp()))
        nonce = secrets.token_hex(16)
        message = ts.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        raw = (key or self.keys.platform).sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce,
                "Wechatpay-Signature": base64.b64encode(raw).decode(),
                "Wechatpay-Serial": self.serial(kind),
                "Wechatpay-Signature-Type": crypto.SIGNATURE_TYPE}

    def verify_request(self, method: str, path: str, body: bytes, authorization: str) -> bool:
        """The merchant's signature on a request, checked like WeChat does."""
        if not authorization.startswith(crypto.SIGNATURE_TYPE + " "):
            return False
        fields = dict(part.split("=", 1) for part in authorization[len(crypto.SIGNATURE_TYPE) + 1:].split(","))
        fields = {k: v.strip('"') for k, v in fields.items()}
        if fields.get("mchid") != MCH_ID or fields.get("serial_no") != MERCHANT_SERIAL:
            return False
        message = f"{method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode() + body + b"\n"
        try:
            self.keys.merchant.public_key().verify(base64.b64decode(fields["signature"]), message,
                                                   padding.PKCS1v15(), hashes.SHA256())
        except Exception:  # noqa: BLE001 - any failure is a bad signature
            return False
        return True

    # -- the payer and the platform's notifications --------------------------------------

    def pay(self, reference: str) -> Order:
        """The payer pays the order (as if in WeChat); refused once it is closed or expired."""
        order = self.orders[reference]
        expire = datetime.fromisoformat(order.body["time_expire"])
        if order.state != "NOTPAY" or self.clock() >= expire:
            raise RuntimeError(f"order {reference} cannot be paid: {order.state}")
        order.state = "SUCCESS"
        order.transaction_id = "42000" + secrets.token_hex(12)
        order.success_time = self.clock().astimezone(TZ).isoformat(timespec="seconds")
        return order

    def transaction(self, reference: str) -> dict[str, Any]:
        """The transaction resource of an order, as WeChat sends and answers it."""
        order = self.orders[reference]
        b = order.body
        data: dict[str, Any] = {
            "out_trade_no": reference, "transaction_id": order.transaction_id,
            "trade_type": order.trade_type, "trade_state": order.state, "trade_state_desc": "",
            "bank_type": "OTHERS", "attach": "", "success_time": order.success_time,
            "amount": {"total": b["amount"]["total"], "payer_total": b["amount"]["total"],
                       "currency": "CNY", "payer_currency": "CNY"},
        }
        if self.sub_mch_mode:
            data.update(sp_appid=b["sp_appid"], sp_mchid=b["sp_mchid"], sub_mchid=b["sub_mchid"],
                        payer={"sp_openid": b.get("payer", {}).get("sp_openid", "")})
        else:
            data.update(appid=b["appid"], mchid=b["mchid"],
                        payer={"openid": b.get("payer", {}).get("openid", "")})
        if not order.success_time:
            data.pop("success_time")
        return data

    def notification(self, resource: dict[str, Any], event: str = "TRANSACTION.SUCCESS", *,
                     kind: str | None = None, timestamp: int | None = None,
                     key: rsa.RSAPrivateKey | None = None, api_v3_key: str = API_V3_KEY,
                     ) -> tuple[dict[str, str], bytes]:
        """A signed, encrypted notification: (headers, body)."""
        original = "transaction" if event.startswith("TRANSACTION") else "refund"
        envelope = {
            "id": "EV-" + secrets.token_hex(8), "create_time": self.clock().isoformat(timespec="seconds"),
            "resource_type": "encrypt-resource", "event_type": event, "summary": "支付成功",
            "resource": crypto.encrypt_resource(api_v3_key.encode(), resource, original, original),
        }
        body = json.dumps(envelope, ensure_ascii=False).encode()
        headers = self.sign(body, kind=kind, timestamp=timestamp, key=key)
        headers["Content-Type"] = "application/json"
        return headers, body

    def refund_resource(self, out_refund_no: str) -> dict[str, Any]:
        refund = self.refunds[out_refund_no]
        b = refund.body
        data: dict[str, Any] = {
            "out_trade_no": b["out_trade_no"], "transaction_id": self.orders[b["out_trade_no"]].transaction_id,
            "out_refund_no": out_refund_no, "refund_id": refund.refund_id,
            "refund_status": refund.status, "user_received_account": "支付用户零钱",
            "amount": {"total": b["amount"]["total"], "refund": b["amount"]["refund"],
                       "payer_total": b["amount"]["total"], "payer_refund": b["amount"]["refund"]},
        }
        if refund.success_time:
            data["success_time"] = refund.success_time
        data.update({"sp_mchid": MCH_ID, "sub_mchid": b.get("sub_mchid", "")} if self.sub_mch_mode
                    else {"mchid": MCH_ID})
        return data

    def finish_refund(self, out_refund_no: str, status: str = "SUCCESS") -> None:
        refund = self.refunds[out_refund_no]
        refund.status = status
        if status == "SUCCESS":
            refund.success_time = self.clock().astimezone(TZ).isoformat(timespec="seconds")

    # -- trade bill ---------------------------------------------------------------------

    def bill_text(self, day: date, sub_mchid: str = "") -> str:
        header = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
                  "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
                  "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注")
        rows = []
        for order in self.orders.values():
            if order.state not in ("SUCCESS", "REFUND") or order.reference in self.hide_from_bill:
                continue
            when = datetime.fromisoformat(order.success_time)
            if when.date() != day or order.body.get("sub_mchid", "") != sub_mchid:
                continue
            yuan = f"{Decimal(order.body['amount']['total']) / 100:.2f}"
            rows.append([when.strftime("%Y-%m-%d %H:%M:%S"), APP_ID, MCH_ID, sub_mchid or "0", "",
                         order.transaction_id, order.reference, "oUser", order.trade_type, "SUCCESS",
                         "OTHERS", "CNY", yuan, "0.00", "0", "0", "0.00", "0.00", "", "", "物业缴费", "",
                         "0.00", "0.60%", yuan, "0.00", ""])
        for number, refund in self.refunds.items():
            if refund.status != "SUCCESS" or datetime.fromisoformat(refund.success_time).date() != day:
                continue
            order = self.orders[refund.body["out_trade_no"]]
            if order.body.get("sub_mchid", "") != sub_mchid:
                continue
            yuan = f"{Decimal(refund.body['amount']['refund']) / 100:.2f}"
            rows.append([refund.success_time.replace("T", " ")[:19], APP_ID, MCH_ID, sub_mchid or "0", "",
                         order.transaction_id, order.reference, "oUser", order.trade_type, "REFUND",
                         "OTHERS", "CNY", "0.00", "0.00", refund.refund_id, number, yuan, "0.00",
                         "ORIGINAL", "SUCCESS", "物业缴费", "", "0.00", "0.60%", "0.00", yuan, ""])
        rows.extend(self.extra_bill_lines)
        lines = [header] + [",".join("`" + cell for cell in row) for row in rows]
        lines += ["总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
                  f"`{len(rows)},`0.00,`0.00,`0.00,`0.00,`0.00,`0.00"]
        return "\r\n".join(lines) + "\r\n"

    def bill_line(self, reference: str, amount: str, when: datetime, transaction_id: str = "",
                  sub_mchid: str = "") -> list[str]:
        """A payment line to inject (e.g. one with no local order)."""
        return [when.strftime("%Y-%m-%d %H:%M:%S"), APP_ID, MCH_ID, sub_mchid or "0", "",
                transaction_id or "42000" + secrets.token_hex(12), reference, "oUser", "NATIVE",
                "SUCCESS", "OTHERS", "CNY", amount, "0.00", "0", "0", "0.00", "0.00", "", "",
                "物业缴费", "", "0.00", "0.60%", amount, "0.00", ""]

    # -- API ----------------------------------------------------------------------------

    def api(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]
            ) -> tuple[int, dict[str, Any] | bytes]:
        """One API call → (status, JSON answer or raw bytes for the bill file)."""
        with self._lock:
            self.requests.append((method, path, body))
            return self._route(method, path, query, body)

    def _route(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]
               ) -> tuple[int, dict[str, Any] | bytes]:
        prefix = "/v3/pay/partner/transactions/" if self.sub_mch_mode else "/v3/pay/transactions/"
        if method == "POST" and path in (prefix + "jsapi", prefix + "native", prefix + "h5"):
            return self._prepay(path.rsplit("/", 1)[1].upper(), body)
        if path.startswith(prefix + "out-trade-no/"):
            rest = path[len(prefix + "out-trade-no/"):]
            if method == "POST" and rest.endswith("/close"):
                return self._close(rest[:-len("/close")])
            if method == "GET":
                if rest not in self.orders:
                    return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
                return 200, self.transaction(rest)
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            return self._refund(body)
        if method == "GET" and path.startswith("/v3/refund/domestic/refunds/"):
            number = path.rsplit("/", 1)[1]
            if number not in self.refunds:
                return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"}
            resource = self.refund_resource(number)
            resource["status"] = resource.pop("refund_status")
            return 200, resource
        if method == "GET" and path == "/v3/certificates":
            pem = self.keys.certificate.public_bytes(serialization.Encoding.PEM).decode()
            return 200, {"data": [{
                "serial_no": self.keys.cert_serial, "effective_time": "2026-01-01T00:00:00+08:00",
                "expire_time": "2031-01-01T00:00:00+08:00",
                "encrypt_certificate": crypto.encrypt_resource(API_V3_KEY.encode(), pem, "certificate",
                                                               "certificate"),
            }]}
        if method == "GET" and path == "/v3/bill/tradebill":
            text = self.bill_text(date.fromisoformat(query["bill_date"]), query.get("sub_mchid", ""))
            token = secrets.token_hex(8)
            raw = text.encode("utf-8")
            self.bill_files[token] = raw + (b"x" if self.corrupt_bill else b"")
            return 200, {"hash_type": "SHA1", "hash_value": hashlib.sha1(raw).hexdigest(),
                         "download_url": f"{self.base_url}/v3/billdownload/file?token={token}"}
        if method == "GET" and path == "/v3/billdownload/file":
            return 200, self.bill_files[query["token"]]
        return 404, {"code": "NOT_FOUND", "message": path}

    def _prepay(self, trade_type: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        reference = body["out_trade_no"]
        known = self.orders.get(reference)
        if known is not None:
            if known.body["amount"] != body["amount"]:
                return 400, {"code": "INVALID_REQUEST", "message": "同一笔订单的金额不能变"}
            if known.state != "NOTPAY":
                return 400, {"code": "ORDERPAID" if known.state == "SUCCESS" else "ORDER_CLOSED",
                             "message": known.state}
        else:
            self.orders[reference] = Order(reference, body, trade_type)
        if trade_type == "JSAPI":
            return 200, {"prepay_id": "wx" + secrets.token_hex(14)}
        if trade_type == "NATIVE":
            return 200, {"code_url": "weixin://wxpay/bizpayurl?pr=" + secrets.token_hex(4)}
        return 200, {"h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx"
                     + secrets.token_hex(8)}

    def _close(self, reference: str) -> tuple[int, dict[str, Any]]:
        order = self.orders.get(reference)
        if order is None:
            return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
        if order.state == "SUCCESS":
            return 400, {"code": "ORDERPAID", "message": "订单已支付"}
        order.state = "CLOSED"
        return 204, {}

    def _refund(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        number = body["out_refund_no"]
        order = self.orders.get(body["out_trade_no"])
        if order is None or order.state not in ("SUCCESS", "REFUND"):
            return 400, {"code": "INVALID_REQUEST", "message": "订单未支付"}
        if number in self.refunds:  # a retry of the same refund: the same answer
            known = self.refunds[number]
        else:
            refund_fen = int(body["amount"]["refund"])
            if order.refunded_fen + refund_fen > int(order.body["amount"]["total"]):
                return 400, {"code": "NOT_ENOUGH", "message": "退款金额超过订单可退金额"}
            order.refunded_fen += refund_fen
            order.state = "REFUND"
            known = FakeRefund(body, "50300" + secrets.token_hex(12), self.refund_outcome,
                               self.clock().isoformat(timespec="seconds"))
            if known.status == "SUCCESS":
                known.success_time = self.clock().astimezone(TZ).isoformat(timespec="seconds")
            self.refunds[number] = known
        answer = self.refund_resource(number)
        answer["status"] = answer.pop("refund_status")
        return 200, answer


def _handler(fake: FakeWechatPay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            if not fake.verify_request(method, self.path, raw, self.headers.get("Authorization", "")):
                return self._send(401, json.dumps({"code": "SIGN_ERROR", "message": "签名错误"}).encode(), sign=False)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            body = json.loads(raw) if raw else {}
            status, answer = fake.api(method, parts.path, query, body)
            if isinstance(answer, bytes):
                return self._send(status, answer, sign=False, content_type="text/plain")
            data = json.dumps(answer, ensure_ascii=False).encode() if status != 204 else b""
            self._send(status, data, sign=200 <= status < 300 and bool(data))

        def _send(self, status: int, data: bytes, *, sign: bool, content_type: str = "application/json") -> None:
            self.send_response(status)
            headers = fake.sign(data) if sign else {}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

    return Handler


def settings_for(fake: FakeWechatPay, paths: dict[str, Path], *, sub_mch_mode: bool = False,
                 **extra: Any) -> dict[str, Any]:
    """The `wechat_pay` section pointing at the fake, with both platform key kinds."""
    return {
        "mch_id": MCH_ID, "app_id": APP_ID, "api_v3_key": API_V3_KEY,
        "private_key_file": paths["private"], "cert_serial_no": MERCHANT_SERIAL,
        "platform_public_key_file": paths["public"], "platform_public_key_id": PUBLIC_KEY_ID,
        "platform_cert_dir": paths["certs"], "api_base": fake.base_url,
        "sub_mch_mode": sub_mch_mode, **extra,
    }


def now_ts() -> int:
    return int(time.time())
