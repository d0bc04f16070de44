"""Console login, sessions, CSRF, throttle and their audit lines, over real HTTP."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App
from bot.console.passwords import Argon2Hasher
from handlers.office.accounts import set_password
from storage.models import AuditLog, ConsoleAccount, KeyValueEntry, Staff
from tests.bot.console.conftest import PASSWORD, Office, login


async def test_login_sets_an_httponly_samesite_cookie_and_me_answers(
    client: TestClient, office: Office
) -> None:
    response = await client.post(
        "/console/api/login", json={"phone": office.phones["a:front_desk"], "password": PASSWORD}
    )
    assert response.status == 200
    body = await response.json()
    assert body["csrf_token"] and body["me"]["role"] == "front_desk"
    assert body["me"]["company_id"] == office.company_a
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    me = await client.get("/console/api/me")
    assert me.status == 200
    assert "conversations.reply" in (await me.json())["permissions"]


async def test_wrong_password_and_unknown_phone_are_the_same_401(
    client: TestClient, office: Office
) -> None:
    wrong = await client.post(
        "/console/api/login", json={"phone": office.phones["a:manager"], "password": "nope-nope"}
    )
    unknown = await client.post(
        "/console/api/login", json={"phone": "13911112222", "password": PASSWORD}
    )
    assert wrong.status == unknown.status == 401
    assert (await wrong.json()) == (await unknown.json())
    assert (await wrong.json())["error"] == "unauthorized"
    assert (await client.get("/console/api/me")).status == 401


async def test_bad_bodies_are_400_with_the_error_shape(client: TestClient, office: Office) -> None:
    for body in ({"phone": 1, "password": "x"}, {"phone": "1"}, [], {"phone": "1", "password": "x", "more": 1}):
        response = await client.post("/console/api/login", json=body)
        assert response.status == 400
        assert set(await response.json()) == {"error", "message"}
    plain = await client.post("/console/api/login", data="phone=1&password=2",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert plain.status == 400  # a cross-site form cannot log anyone in


async def test_changes_need_the_csrf_header(client: TestClient, office: Office) -> None:
    csrf = await login(client, office.phones["a:manager"])
    missing = await client.post("/console/api/logout")
    assert missing.status == 403 and (await missing.json())["error"] == "csrf"
    wrong = await client.post("/console/api/logout", headers={"X-CSRF-Token": csrf + "x"})
    assert wrong.status == 403
    assert (await client.get("/console/api/me")).status == 200  # still logged in
    ok = await client.post("/console/api/logout", headers={"X-CSRF-Token": csrf})
    assert ok.status == 200
    assert (await client.get("/console/api/me")).status == 401


async def test_throttle_per_phone_then_a_good_login_resets_it(
    client: TestClient, office: Office, console_app: App
) -> None:
    phone = office.phones["a:front_desk"]
    statuses = []
    for _ in range(6):
        response = await client.post("/console/api/login", json={"phone": phone, "password": "wrong-pw"})
        statuses.append(response.status)
    assert statuses == [401] * 5 + [429]
    blocked = await client.post("/console/api/login", json={"phone": phone, "password": PASSWORD})
    assert blocked.status == 429  # even the right password, until the window passes
    assert int(blocked.headers["Retry-After"]) == 15 * 60
    other = await client.post(
        "/console/api/login", json={"phone": office.phones["a:manager"], "password": PASSWORD}
    )
    assert other.status == 200  # another phone from the same address is not blocked
    with console_app.deps.uow() as uow:
        actions = [row.action for row in uow.audit.recent(limit=20)]
    assert "console.login_throttled" in actions and "console.login_failed" in actions


async def test_good_login_frees_the_phones_failures(client: TestClient, office: Office) -> None:
    phone = office.phones["a:manager"]
    for _ in range(4):
        await client.post("/console/api/login", json={"phone": phone, "password": "wrong-pw"})
    await login(client, phone)
    for _ in range(4):
        response = await client.post("/console/api/login", json={"phone": phone, "password": "wrong-pw"})
        assert response.status == 401


async def test_throttle_per_address(tmp_path, parser, clock) -> None:  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import TestServer

    from bot.app import build_app, upgrade_db
    from bot.http import build_web_app
    from tests.bot.console.conftest import console_settings, seed_office

    settings = console_settings(tmp_path, login_attempts_per_address=3,
                                client_ip_header="X-Real-IP")
    upgrade_db(settings)
    app = build_app(settings, parser=parser, clock=clock)
    office = seed_office(app)
    client = TestClient(TestServer(build_web_app(app, plugins=("bot.console",)), host="127.0.0.1"))
    await client.start_server()
    try:
        here = {"X-Real-IP": "203.0.113.9"}
        got = []
        for key in ("a:manager", "a:finance", "a:repair", "a:cleaning"):
            response = await client.post("/console/api/login", headers=here,
                                         json={"phone": office.phones[key], "password": "wrong-pw"})
            got.append(response.status)
        assert got == [401, 401, 401, 429]
        elsewhere = await client.post("/console/api/login", headers={"X-Real-IP": "198.51.100.7"},
                                      json={"phone": office.phones["a:manager"], "password": PASSWORD})
        assert elsewhere.status == 200
    finally:
        await client.close()
        app.close()


async def test_a_password_change_ends_older_sessions(
    client: TestClient, office: Office, console_app: App
) -> None:
    phone = office.phones["a:front_desk"]
    await login(client, phone)
    console_app.deps.clock.advance(minutes=1)  # type: ignore[attr-defined]
    with console_app.deps.uow() as uow:
        set_password(uow, Argon2Hasher(), phone, "another pass 7", console_app.deps.clock())
        uow.commit()
    assert (await client.get("/console/api/me")).status == 401


async def test_inactive_staff_cannot_log_in(
    client: TestClient, office: Office, console_app: App
) -> None:
    phone = office.phones["a:cleaning"]
    await login(client, phone)
    with console_app.deps.uow() as uow:
        uow.session.scalars(select(Staff).where(Staff.phone == phone)).one().active = False
        uow.commit()
    assert (await client.get("/console/api/me")).status == 401
    response = await client.post("/console/api/login", json={"phone": phone, "password": PASSWORD})
    assert response.status == 401


async def test_store_keeps_only_a_hash_of_the_cookie_and_audit_has_the_logins(
    client: TestClient, office: Office, console_app: App
) -> None:
    await login(client, office.phones["a:manager"])
    token = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))["wuye_console"].value
    with console_app.session_factory() as session:
        keys = [k for k in session.scalars(select(KeyValueEntry.key)) if "console:session:" in k]
        values = " ".join(session.scalars(select(KeyValueEntry.value)))
        assert keys and token not in " ".join(keys) and token not in values
        hashes = list(session.scalars(select(ConsoleAccount.password_hash)))
        assert all(h.startswith("$argon2id$") for h in hashes)
        rows = list(session.scalars(select(AuditLog).where(AuditLog.action == "console.login")))
    assert rows and "13700000002" not in rows[-1].target


async def test_login_page_and_home_redirect(client: TestClient, office: Office) -> None:
    home = await client.get("/console/", allow_redirects=False)
    assert home.status == 303 and home.headers["Location"].startswith("/console/login")
    page = await client.get("/console/login?next=//evil.example/")
    html = await page.text()
    assert page.status == 200 and 'data-next="/console/"' in html
    assert "https://" not in html and "http://" not in html.replace('http-equiv', '')  # no CDN
    await login(client, office.phones["a:manager"])
    home = await client.get("/console/")
    assert home.status == 200 and "经理" in await home.text()
