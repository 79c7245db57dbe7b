"""Registration, login, sessions, CSRF, logout, API tokens, session expiry."""

import time

from client import (Client, SESSION_COOKIE, TestList, check, expect_error, expect_json, expect_keys,
                    expect_ts, is_int, remember_secret, start_server)
from fixtures import new_password, unique

tests = TestList()

USER_KEYS = ["id", "display_name", "role", "stakeholder_type", "organisation", "country",
             "transparency_register_id", "created_at"]
STAKEHOLDER_TYPES = ["commission", "member_state", "european_parliament", "eu_agency",
                     "civil_society", "academia", "private_sector", "citizen"]
EMOJI = "\U0001F600"  # 4 bytes in UTF-8


def _no_secret_keys(obj, what):
    text = repr(obj).lower()
    check("password" not in text and "hash" not in text, f"{what} exposes a password field: {obj}")


# -- register ---------------------------------------------------------------------------------

@tests
def test_register_returns_user_with_email(ctx):
    email = unique("reg") + "@example.org"
    r = ctx.register(email=email, display_name="Regina Tester", stakeholder_type="academia",
                     organisation="KU Leuven", country="BE", transparency_register_id="123456789012-34")
    body = expect_json(r, 201)
    check(list(body.keys()) == ["user"], f"want exactly {{user}}: {r.describe()}")
    u = body["user"]
    expect_keys(u, USER_KEYS + ["email"], "registered user")
    check(is_int(u["id"]) and u["id"] > 0, f"user id {u['id']!r}")
    want = {"email": email, "display_name": "Regina Tester", "role": "member",
            "stakeholder_type": "academia", "organisation": "KU Leuven", "country": "BE",
            "transparency_register_id": "123456789012-34"}
    for k, v in want.items():
        check(u[k] == v, f"user.{k} = {u[k]!r}, want {v!r}")
    expect_ts(u["created_at"], "user.created_at")
    _no_secret_keys(u, "registered user")


@tests
def test_register_does_not_sign_in(ctx):
    c = ctx.client()
    r = ctx.register(c)
    expect_json(r, 201)
    check(c.session is None, f"register set a session cookie: {r.header_list}")
    expect_error(c.get("/api/v1/me"), 401, "unauthorized")


@tests
def test_register_optional_nulls_are_absent(ctx):
    r = ctx.register(organisation=None, country=None, transparency_register_id=None)
    u = expect_json(r, 201)["user"]
    for k in ("organisation", "country", "transparency_register_id"):
        check(u.get(k) is None, f"user.{k} = {u.get(k)!r} after sending null")
    r = ctx.register(drop=["organisation", "country"])
    u = expect_json(r, 201)["user"]
    check(u.get("organisation") is None and u.get("country") is None, f"absent optional fields: {u}")


@tests
def test_register_every_stakeholder_type(ctx):
    for st in STAKEHOLDER_TYPES:
        extra = {"country": "AT"} if st == "member_state" else {}
        u = expect_json(ctx.register(stakeholder_type=st, **extra), 201)["user"]
        check(u["stakeholder_type"] == st, f"stakeholder_type {u['stakeholder_type']!r}, want {st!r}")


@tests
def test_register_email_conflict_case_insensitive(ctx):
    local = unique("Dup")
    expect_json(ctx.register(email=f"{local}@Example.org"), 201)
    for variant in (f"{local}@Example.org", f"{local.upper()}@EXAMPLE.ORG", f"{local.lower()}@example.org"):
        r = ctx.register(email=variant)
        expect_error(r, 409, "conflict")
        check("user" not in r.json, f"a 409 should not carry a user: {r.describe()}")


@tests
def test_register_lowercase_country_normalised(ctx):
    r = ctx.register(country="fr")
    if r.status == 201:
        check(r.json["user"]["country"] == "FR", f"country 'fr' stored as {r.json['user']['country']!r}")
    else:
        expect_error(r, 400, "validation_failed", "country")


# (name, overrides or None, fields to drop, expected field)
REGISTER_INVALID = [
    ("email_missing", {}, ["email"], "email"),
    ("email_not_string", {"email": 42}, [], "email"),
    ("email_empty", {"email": ""}, [], "email"),
    ("email_no_at", {"email": "not-an-email"}, [], "email"),
    ("email_two_at", {"email": "two@@example.org"}, [], "email"),
    ("email_space", {"email": "sp ace@example.org"}, [], "email"),
    ("email_no_domain", {"email": "nobody@"}, [], "email"),
    ("email_too_long", {"email": "a" * 64 + "@" + "d" * 190 + ".org"}, [], "email"),
    ("password_missing", {}, ["password"], "password"),
    ("password_not_string", {"password": 123456789012345}, [], "password"),
    ("password_11", {"password": "abcdefghijk"}, [], "password"),
    ("password_11_emoji", {"password": EMOJI * 11}, [], "password"),
    ("password_129", {"password": "p" * 129}, [], "password"),
    ("password_129_emoji", {"password": EMOJI * 129}, [], "password"),
    ("password_with_nul", {"password": "twelve chars\u0000 and more"}, [], "password"),
    ("display_name_missing", {}, ["display_name"], "display_name"),
    ("display_name_not_string", {"display_name": ["x"]}, [], "display_name"),
    ("display_name_empty", {"display_name": ""}, [], "display_name"),
    ("stakeholder_missing", {}, ["stakeholder_type"], "stakeholder_type"),
    ("stakeholder_unknown", {"stakeholder_type": "alien"}, [], "stakeholder_type"),
    ("stakeholder_case", {"stakeholder_type": "Commission"}, [], "stakeholder_type"),
    ("stakeholder_number", {"stakeholder_type": 1}, [], "stakeholder_type"),
    ("member_state_no_country", {"stakeholder_type": "member_state"}, ["country"], "country"),
    ("member_state_null_country", {"stakeholder_type": "member_state", "country": None}, [], "country"),
    ("member_state_US", {"stakeholder_type": "member_state", "country": "US"}, [], "country"),
    ("member_state_CH", {"stakeholder_type": "member_state", "country": "CH"}, [], "country"),
    ("country_XX", {"country": "XX"}, [], "country"),
    ("country_usa", {"country": "usa"}, [], "country"),
    ("country_one_letter", {"country": "U"}, [], "country"),
    ("country_number", {"country": 33}, [], "country"),
    ("organisation_number", {"organisation": 7}, [], "organisation"),
    ("unknown_key_role", {"role": "admin"}, [], "role"),
    ("unknown_key_is_admin", {"is_admin": True}, [], "is_admin"),
    ("unknown_key_id", {"id": 1}, [], "id"),
]
for _name, _over, _drop, _field in REGISTER_INVALID:
    def _t(ctx, over=_over, drop=_drop, field=_field):
        email = unique("inv") + "@example.org"
        over = dict(over)
        over.setdefault("email", email)
        r = ctx.register(drop=drop, **over)
        expect_error(r, 400, "validation_failed", field)
        if field != "email":  # the refused registration left no account behind
            expect_json(ctx.register(email=email), 201)
    tests.add(f"register_invalid[{_name}]", _t)


@tests
def test_password_length_counts_characters(ctx):
    for pw in (EMOJI * 12, "p" * 12, "q" * 128, EMOJI * 128, "with  inner  spaces"):
        acc = ctx.new_member(password=pw)
        remember_secret("password", pw)
        c = ctx.login(acc)
        check(c.session, f"login with a {len(pw)}-character password set no cookie")


@tests
def test_password_not_truncated(ctx):
    pw = "".join(chr(0x41 + i % 26) for i in range(128))
    acc = ctx.new_member(password=pw)
    remember_secret("password", pw)
    r = ctx.client().login(acc.email, pw[:127], expect=None)
    expect_error(r, 401, "invalid_credentials")
    r = ctx.client().login(acc.email, pw[:72], expect=None)
    expect_error(r, 401, "invalid_credentials")
    ctx.login(acc)


# -- login ------------------------------------------------------------------------------------

def _cookie_attrs(set_cookie):
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    return name, value, [p.lower() for p in parts[1:]]


@tests
def test_login_sets_cookie_and_csrf(ctx):
    acc = ctx.account("alice")
    c = ctx.client()
    r = c.login(acc.email, acc.password)
    body = expect_json(r, 200)
    expect_keys(body, ["user", "csrf_token"], "login answer")
    expect_keys(body["user"], USER_KEYS + ["email"], "login user")
    check(body["user"]["id"] == acc.id and body["user"]["email"] == acc.email,
          f"login user {body['user']} is not {acc.email}")
    _no_secret_keys(body["user"], "login user")
    check(isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 16,
          f"csrf_token {body['csrf_token']!r}")
    cookies = [sc for sc in r.headers_all("Set-Cookie") if sc.strip().startswith(SESSION_COOKIE + "=")]
    check(len(cookies) == 1, f"want one {SESSION_COOKIE} Set-Cookie, got {r.headers_all('Set-Cookie')}")
    name, value, attrs = _cookie_attrs(cookies[0])
    check(len(value) >= 43, f"session cookie value has {len(value)} characters (256 bits need 43+)")
    check(body["csrf_token"] != value, "the CSRF token equals the session cookie")
    check("httponly" in attrs, f"no HttpOnly: {cookies[0]}")
    check("samesite=lax" in attrs, f"no SameSite=Lax: {cookies[0]}")
    check("path=/" in attrs, f"no Path=/: {cookies[0]}")
    check("secure" not in attrs, f"Secure on plain http: {cookies[0]}")


@tests
def test_login_email_is_case_insensitive(ctx):
    acc = ctx.account("bob")
    c = ctx.client()
    body = expect_json(c.login(acc.email.upper(), acc.password), 200)
    check(body["user"]["id"] == acc.id, f"login by upper-case email gave {body['user']}")


@tests
def test_login_failures_are_indistinguishable(ctx):
    acc = ctx.account("alice")
    wrong = ctx.client().login(acc.email, acc.password + "x", expect=None)
    unknown = ctx.client().login(unique("ghost") + "@example.org", acc.password, expect=None)
    case_pw = ctx.client().login(acc.email, acc.password.upper(), expect=None)
    for r in (wrong, unknown, case_pw):
        expect_error(r, 401, "invalid_credentials")
        check(not any(sc.startswith(SESSION_COOKIE + "=") and sc.split(";")[0].split("=", 1)[1]
                      for sc in r.headers_all("Set-Cookie")), f"a failed login set a session: {r.header_list}")
    check(wrong.json == unknown.json, f"wrong password {wrong.json} vs unknown email {unknown.json}")
    check(wrong.body == unknown.body, "the two 401 bodies differ byte for byte")


LOGIN_INVALID = [
    ("password_missing", {"email": "a@example.org"}, "password"),
    ("email_missing", {"password": "long enough password"}, "email"),
    ("email_not_string", {"email": 5, "password": "long enough password"}, "email"),
    ("password_not_string", {"email": "a@example.org", "password": True}, "password"),
    ("unknown_key", {"email": "a@example.org", "password": "long enough password", "remember": 1}, "remember"),
]
for _name, _body, _field in LOGIN_INVALID:
    def _t(ctx, body=_body, field=_field):
        expect_error(ctx.client().post("/api/v1/auth/login", body), 400, "validation_failed", field)
    tests.add(f"login_invalid[{_name}]", _t)


@tests
def test_new_login_new_cookie_both_live(ctx):
    acc = ctx.account("alice")
    a, b = ctx.login(acc), ctx.login(acc)
    check(a.session != b.session, "two logins gave the same session cookie")
    check(a.csrf != b.csrf, "two sessions share one csrf_token")
    for c in (a, b):
        body = expect_json(c.me(), 200)
        check(body["user"]["id"] == acc.id, f"/me is {body['user']}")


@tests
def test_session_fixation_refused(ctx):
    acc = ctx.account("bob")
    planted = "Fx" + "A1b2C3d4" * 5 + "q"  # 43 characters of base64url, like a real token
    c = ctx.client()
    c.cookies[SESSION_COOKIE] = planted
    expect_error(c.get("/api/v1/me"), 401, "unauthorized")
    r = c.login(acc.email, acc.password)
    expect_json(r, 200)
    check(c.session and c.session != planted, f"login kept the planted cookie value: {r.header_list}")
    attacker = ctx.client()
    attacker.cookies[SESSION_COOKIE] = planted
    expect_error(attacker.get("/api/v1/me"), 401, "unauthorized")
    expect_json(c.me(), 200)


# -- /me --------------------------------------------------------------------------------------

@tests
def test_me_returns_user_and_same_csrf(ctx):
    acc = ctx.account("carol")
    c = ctx.client()
    login = expect_json(c.login(acc.email, acc.password), 200)
    body = expect_json(c.get("/api/v1/me"), 200)
    expect_keys(body, ["user", "csrf_token"], "/me")
    check(body["csrf_token"] == login["csrf_token"], f"/me csrf {body['csrf_token']!r} != login's")
    check(body["user"] == login["user"], f"/me user {body['user']} != login user {login['user']}")
    check(body["user"]["email"] == acc.email and body["user"]["stakeholder_type"] == "member_state"
          and body["user"]["country"] == "FR", f"/me user {body['user']}")


ME_UNAUTH = [
    ("no_cookie", None),
    ("garbage_cookie", "garbage"),
    ("empty_cookie", ""),
    ("long_cookie", "A" * 4000),
]
for _name, _val in ME_UNAUTH:
    def _t(ctx, val=_val):
        c = ctx.client()
        if val is not None:
            c.cookies[SESSION_COOKIE] = val
        expect_error(c.get("/api/v1/me"), 401, "unauthorized")
    tests.add(f"me_unauthorized[{_name}]", _t)


@tests
def test_session_cookie_among_other_cookies(ctx):
    alice = ctx.signed_in("alice")
    c = ctx.client()
    r = c.get("/api/v1/me", cookies=False,
              headers={"Cookie": f"theme=dark; {SESSION_COOKIE}={alice.session}; lang=fr"})
    body = expect_json(r, 200)
    check(body["user"]["id"] == ctx.account("alice").id, f"/me with several cookies: {body['user']}")


# -- CSRF and logout --------------------------------------------------------------------------

@tests
def test_logout_needs_csrf(ctx):
    acc = ctx.account("alice")
    c = ctx.login(acc)
    other = ctx.login(acc)
    expect_error(c.post("/api/v1/auth/logout", csrf=False), 403, "csrf_failed")
    expect_error(c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "wrong"}), 403, "csrf_failed")
    expect_error(c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": ""}), 403, "csrf_failed")
    expect_error(c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": other.csrf}), 403, "csrf_failed")
    expect_error(c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": c.session}), 403, "csrf_failed")
    expect_json(c.me(), 200)  # all of those left the session alive


@tests
def test_logout_kills_session_server_side(ctx):
    acc = ctx.account("alice")
    c = ctx.login(acc)
    other = ctx.login(acc)
    old = c.session
    r = c.post("/api/v1/auth/logout")
    expect_status_204(r)
    replay = ctx.client()
    replay.cookies[SESSION_COOKIE] = old
    expect_error(replay.get("/api/v1/me"), 401, "unauthorized")
    expect_error(replay.post("/api/v1/auth/logout", headers={"X-CSRF-Token": c.csrf}), 401, "unauthorized")
    body = expect_json(other.me(), 200)  # only that one session ended
    check(body["user"]["id"] == acc.id, f"other session /me: {body}")


def expect_status_204(r):
    check(r.status == 204, f"want 204: {r.describe()}")
    check(r.body == b"", f"204 with a body: {r.body[:100]!r}")


@tests
def test_logout_expires_the_cookie(ctx):
    c = ctx.login(ctx.account("bob"))
    r = c.post("/api/v1/auth/logout")
    expect_status_204(r)
    cookies = [sc for sc in r.headers_all("Set-Cookie") if sc.strip().startswith(SESSION_COOKIE + "=")]
    check(cookies, f"logout does not clear {SESSION_COOKIE}: {r.header_list}")
    name, value, attrs = _cookie_attrs(cookies[0])
    check(value == "" or "max-age=0" in attrs or any(a.startswith("expires=") for a in attrs),
          f"logout cookie does not expire: {cookies[0]}")
    check("path=/" in attrs, f"logout cookie without Path=/ does not replace the session cookie: {cookies[0]}")


@tests
def test_parallel_registrations_of_one_email(ctx):
    from concurrent.futures import ThreadPoolExecutor
    email = unique("race") + "@example.org"
    with ThreadPoolExecutor(8) as ex:
        results = list(ex.map(lambda i: ctx.register(email=email if i % 2 else email.upper()), range(8)))
    statuses = sorted(r.status for r in results)
    check(statuses == [201] + [409] * 7, f"8 parallel registrations of one email gave {statuses}")
    for r in results:
        if r.status == 409:
            expect_error(r, 409, "conflict")


@tests
def test_logout_without_session_401(ctx):
    expect_error(ctx.client().post("/api/v1/auth/logout"), 401, "unauthorized")


@tests
def test_csrf_required_on_writes(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("terrorism-radicalisation", fresh=True)
    path = f"/api/v1/objectives/{obj['id']}/threads"
    expect_error(alice.post(path, {"title": "no csrf", "body": "b"}, csrf=False), 403, "csrf_failed")
    expect_error(alice.post(path, {"title": "bad csrf", "body": "b"}, headers={"X-CSRF-Token": "x" * 43}),
                 403, "csrf_failed")
    bob = ctx.signed_in("bob")
    expect_error(alice.post(path, {"title": "bob's csrf", "body": "b"}, headers={"X-CSRF-Token": bob.csrf}),
                 403, "csrf_failed")
    expect_error(alice.post("/api/v1/me/tokens", {"name": "no csrf"}, csrf=False), 403, "csrf_failed")
    after = ctx.objective("terrorism-radicalisation", fresh=True)
    check(after["thread_count"] == obj["thread_count"],
          f"a refused write still created a thread ({obj['thread_count']} -> {after['thread_count']})")
    ctx.create_thread(alice, obj["id"])  # with the token it works


# -- API tokens -------------------------------------------------------------------------------

def _new_token(client, name=None):
    r = client.post("/api/v1/me/tokens", {"name": name or unique("token ")})
    body = expect_json(r, 201)
    expect_keys(body, ["id", "name", "token"], "new token")
    check(is_int(body["id"]) and body["id"] > 0, f"token id {body['id']!r}")
    check(isinstance(body["token"], str) and len(body["token"]) >= 43, f"token {body['token']!r}")
    remember_secret("api_token", body["token"])
    return body


@tests
def test_token_create_and_use_without_csrf(ctx):
    acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    tok = _new_token(alice, "my script")
    check(tok["name"] == "my script", f"token name {tok['name']!r}")
    api = Client(ctx.server, bearer=tok["token"])
    body = expect_json(api.get("/api/v1/me"), 200)
    check(body["user"]["id"] == acc.id, f"bearer /me is {body['user']}")
    obj = ctx.objective("cyberspace")["id"]
    t, p = ctx.create_thread(api, obj, title="Posted with a bearer token")
    check(t["author"]["id"] == acc.id, f"bearer thread author {t['author']}")
    reply = ctx.reply(api, t["id"], "bearer reply")
    check(reply["author"]["id"] == acc.id, f"bearer reply author {reply['author']}")
    tok2 = _new_token(alice)
    check(tok2["token"] != tok["token"] and tok2["id"] != tok["id"], "two tokens are the same")


@tests
def test_bearer_scheme_is_case_insensitive(ctx):
    """RFC 9110 11.1: the authentication scheme is case-insensitive."""
    tok = _new_token(ctx.signed_in("alice"))
    for scheme in ("bearer", "BEARER"):
        r = ctx.client().get("/api/v1/me", headers={"Authorization": f"{scheme} {tok['token']}"})
        check(expect_json(r, 200)["user"]["id"] == ctx.account("alice").id, f"{scheme}: {r.describe()}")


BAD_BEARERS = [
    ("nonsense", "Bearer nonsense"),
    ("well_formed_unknown", "Bearer " + "Tk" + "Zz9Yy8Xx" * 5 + "w"),
    ("empty", "Bearer "),
    ("basic", "Basic YWxpY2U6cGFzc3dvcmQ="),
]
for _name, _hdr in BAD_BEARERS:
    def _t(ctx, hdr=_hdr):
        r = ctx.client().get("/api/v1/me", headers={"Authorization": hdr})
        expect_error(r, 401, "unauthorized")
        obj = ctx.objective("cyberspace")["id"]
        r = ctx.client().post(f"/api/v1/objectives/{obj}/threads", {"title": "t", "body": "b"},
                              headers={"Authorization": hdr})
        expect_error(r, 401, "unauthorized")
    tests.add(f"bad_bearer_401[{_name}]", _t)


@tests
def test_token_and_session_are_not_interchangeable(ctx):
    alice = ctx.login(ctx.account("alice"))
    tok = _new_token(alice)
    c = ctx.client()
    c.cookies[SESSION_COOKIE] = tok["token"]
    expect_error(c.get("/api/v1/me"), 401, "unauthorized")
    expect_error(Client(ctx.server, bearer=alice.session).get("/api/v1/me"), 401, "unauthorized")
    expect_error(Client(ctx.server, bearer=alice.csrf).get("/api/v1/me"), 401, "unauthorized")


@tests
def test_token_delete(ctx):
    alice = ctx.signed_in("alice")
    tok = _new_token(alice)
    keep = _new_token(alice)
    api = Client(ctx.server, bearer=tok["token"])
    expect_json(api.get("/api/v1/me"), 200)
    r = alice.delete(f"/api/v1/me/tokens/{tok['id']}")
    expect_status_204(r)
    expect_error(api.get("/api/v1/me"), 401, "unauthorized")
    expect_error(alice.delete(f"/api/v1/me/tokens/{tok['id']}"), 404, "not_found")
    expect_json(Client(ctx.server, bearer=keep["token"]).get("/api/v1/me"), 200)


@tests
def test_token_delete_needs_csrf(ctx):
    alice = ctx.signed_in("alice")
    tok = _new_token(alice)
    expect_error(alice.delete(f"/api/v1/me/tokens/{tok['id']}", csrf=False), 403, "csrf_failed")
    expect_json(Client(ctx.server, bearer=tok["token"]).get("/api/v1/me"), 200)


@tests
def test_token_of_another_user_cannot_be_deleted(ctx):
    alice = ctx.signed_in("alice")
    bob = ctx.signed_in("bob")
    tok = _new_token(alice)
    expect_error(bob.delete(f"/api/v1/me/tokens/{tok['id']}"), 404, "not_found")
    bob_api = Client(ctx.server, bearer=_new_token(bob)["token"])
    expect_error(bob_api.delete(f"/api/v1/me/tokens/{tok['id']}"), 404, "not_found")
    body = expect_json(Client(ctx.server, bearer=tok["token"]).get("/api/v1/me"), 200)
    check(body["user"]["id"] == ctx.account("alice").id, "alice's token no longer works after bob's tries")


@tests
def test_token_create_requires_auth_and_name(ctx):
    expect_error(ctx.client().post("/api/v1/me/tokens", {"name": "x"}), 401, "unauthorized")
    alice = ctx.signed_in("alice")
    expect_error(alice.post("/api/v1/me/tokens", {}), 400, "validation_failed", "name")
    expect_error(alice.post("/api/v1/me/tokens", {"name": ""}), 400, "validation_failed", "name")
    expect_error(alice.post("/api/v1/me/tokens", {"name": 5}), 400, "validation_failed", "name")
    expect_error(alice.post("/api/v1/me/tokens", {"name": "n", "scope": "all"}), 400, "validation_failed",
                 "scope")


@tests
def test_cookie_secure_when_configured_for_https(ctx):
    """With a public https:// URL (--public-url) the session cookie gets Secure."""
    db = ctx.tmp_path("https.db")
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-https.log"),
                      ["--public-url", "https://forum.example.eu"]) as srv:
        email, pw = unique("https") + "@example.org", new_password()
        c = Client(srv)
        expect_json(c.post("/api/v1/auth/register", {"email": email, "password": pw,
                                                     "display_name": "Secure", "stakeholder_type": "citizen"}), 201)
        r = c.login(email, pw)
        cookies = [sc for sc in r.headers_all("Set-Cookie") if sc.strip().startswith(SESSION_COOKIE + "=")]
        check(cookies, f"no session cookie: {r.header_list}")
        _, _, attrs = _cookie_attrs(cookies[0])
        for a in ("secure", "httponly", "samesite=lax", "path=/"):
            check(a in attrs, f"cookie without {a} behind https: {cookies[0]}")
        check(srv.stop() == 0, "https-configured server did not exit 0 on SIGTERM")


# -- expiry (a server of its own) -------------------------------------------------------------

@tests
def test_session_idle_and_max_expiry(ctx):
    db = ctx.tmp_path("expiry.db")
    log = ctx.tmp_path("forumd-expiry.log")
    with start_server(ctx.forumd, db, ctx.web, log, ["--session-idle", "2", "--session-max", "4"]) as srv:
        email, pw = unique("exp") + "@example.org", new_password()
        c = Client(srv)
        expect_json(c.post("/api/v1/auth/register", {"email": email, "password": pw,
                                                     "display_name": "Expiring", "stakeholder_type": "citizen"}), 201)
        # idle: no request for 3 s ends the session
        expect_json(c.login(email, pw), 200)
        expect_json(c.me(), 200)
        old = c.session
        time.sleep(3.2)
        expect_error(c.get("/api/v1/me"), 401, "unauthorized")
        # activity keeps it alive past the idle limit, but not past the absolute maximum
        c2 = Client(srv)
        expect_json(c2.login(email, pw), 200)
        check(c2.session != old, "a new login reused the expired session value")
        live = c2.session
        t0 = time.monotonic()
        first_401 = None
        while time.monotonic() - t0 < 7.5:
            time.sleep(0.5)
            r = c2.get("/api/v1/me", cookies=False, headers={"Cookie": f"{SESSION_COOKIE}={live}"})
            el = time.monotonic() - t0
            if r.status == 200:
                check(first_401 is None, f"session came back to life at {el:.1f}s")
                continue
            expect_error(r, 401, "unauthorized")
            if first_401 is None:
                first_401 = el
        check(first_401 is not None, "a session kept busy stayed alive 7.5 s with --session-max 4")
        check(first_401 >= 2.5, f"busy session ended after {first_401:.1f}s (idle 2, max 4)")
        status = srv.stop()
        check(status == 0, f"expiry server exit status {status} after SIGTERM")
