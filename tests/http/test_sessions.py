"""Sessions: a new secret at every sign-in (a planted one is never adopted), the list of one's
sessions with revoke, a password change that ends every session but the browser making it, idle
and absolute time-outs, and the second CSRF line: writes a browser marks as coming from another
site (Sec-Fetch-Site, Origin) are refused even with a valid token."""

import time

from client import SESSION_COOKIE, Client, TestList, check, expect_error, expect_json, start_server
from fixtures import Context, new_password

tests = TestList()
API = "/api/v1"


@tests
def test_sign_in_never_adopts_a_planted_session(ctx):
    acc = ctx.new_member()
    c = ctx.client()
    planted = "A" * 43
    c.cookies[SESSION_COOKIE] = planted
    expect_json(c.post(f"{API}/auth/login", {"email": acc.email, "password": acc.password}), 200)
    check(c.session and c.session != planted, "the planted session id was kept")
    fixed = ctx.client()
    fixed.cookies[SESSION_COOKIE] = planted
    check(fixed.get(f"{API}/me").status == 401, "the planted id signs someone in")
    again = ctx.login(acc)
    check(again.session != c.session, "two sign-ins shared a session id")


@tests
def test_sessions_listed_and_revoked(ctx):
    acc = ctx.new_member()
    a, b, c = ctx.login(acc), ctx.login(acc), ctx.login(acc)
    r = a.get(f"{API}/me/sessions")
    sessions = expect_json(r, 200)["sessions"]
    check(len(sessions) == 3 and sum(s["current"] for s in sessions) == 1, f"sessions {sessions}")
    check(all(set(s) == {"id", "created_at", "last_seen_at", "current"} for s in sessions), f"fields {sessions}")
    for client in (a, b, c):
        check(client.session not in r.text, "a session secret is in the list")
    mine = next(s["id"] for s in sessions if s["current"])
    b_id = next(s["id"] for s in expect_json(b.get(f"{API}/me/sessions"), 200)["sessions"] if s["current"])
    check(a.delete(f"{API}/me/sessions/{b_id}").status == 204, "revoke another session")
    check(b.get(f"{API}/me").status == 401, "a revoked session still works")
    check(c.get(f"{API}/me").status == 200, "revoking one session ended another")
    stranger = ctx.login(ctx.new_member())
    expect_error(stranger.delete(f"{API}/me/sessions/{mine}"), 404, "not_found")
    check(a.get(f"{API}/me").status == 200, "someone else revoked my session")
    r = a.delete(f"{API}/me/sessions/{mine}")
    check(r.status == 204 and not a.session, f"revoking the current session signs out: {r.describe()}")
    check(a.get(f"{API}/me").status == 401, "the current session survived its revocation")


@tests
def test_password_change_ends_every_other_session(ctx):
    acc = ctx.new_member()
    me, laptop, phone = ctx.login(acc), ctx.login(acc), ctx.login(acc)
    token = expect_json(me.post(f"{API}/me/tokens", {"name": "script"}), 201)["token"]
    new = new_password()
    expect_error(me.post(f"{API}/me/password", {"current_password": "not it at all", "new_password": new}),
                 401, "invalid_credentials", "current_password")
    check(laptop.get(f"{API}/me").status == 200, "a refused change ended sessions")
    expect_error(me.post(f"{API}/me/password", {"current_password": acc.password, "new_password": "short"}),
                 400, "validation_failed", "new_password")
    old_session = me.session
    r = me.post(f"{API}/me/password", {"current_password": acc.password, "new_password": new})
    body = expect_json(r, 200)
    check(body["user"]["id"] == acc.user["id"] and body["csrf_token"], f"answer {body}")
    me.csrf = body["csrf_token"]
    check(me.session and me.session != old_session, "the browser that changed it needs a new session")
    check(expect_json(me.get(f"{API}/me"), 200)["user"]["id"] == acc.user["id"], "this browser was signed out")
    for other in (laptop, phone):
        check(other.get(f"{API}/me").status == 401, "another session survived the password change")
    stale = ctx.client()
    stale.cookies[SESSION_COOKIE] = old_session
    check(stale.get(f"{API}/me").status == 401, "the old session of this browser survived")
    expect_error(ctx.client().post(f"{API}/auth/login", {"email": acc.email, "password": acc.password}),
                 401, "invalid_credentials")
    ctx.client().login(acc.email, new)
    check(Client(ctx.server, bearer=token).get(f"{API}/me").status == 200,
          "API tokens are revoked one by one, not by a password change")
    expect_json(me.post(f"{API}/me/tokens", {"name": "after"}), 201)  # the new CSRF token works


@tests
def test_idle_and_absolute_timeouts(ctx):
    server = ctx.stack.enter_context(start_server(ctx.forumd, ctx.tmp_path("timeouts.db"), ctx.web,
                                                  ctx.tmp_path("forumd-timeouts.log"),
                                                  ["--session-idle", "2", "--session-max", "4"]))
    tctx = Context(ctx.forumd, ctx.web, ctx.tmp, server)
    acc = tctx.new_member()
    idle = tctx.login(acc)
    busy = tctx.login(acc)
    for _ in range(3):
        time.sleep(1.1)
        check(busy.get(f"{API}/me").status == 200, "a session in use ended before its absolute limit")
    check(idle.get(f"{API}/me").status == 401, "a session idle for 3 s outlived a 2 s idle limit")
    time.sleep(2.6)  # sessions count whole seconds: 5 s or more have passed since the sign-in now
    check(busy.get(f"{API}/me").status == 401, "a session in use outlived its 4 s absolute limit")


@tests
def test_writes_from_another_site_are_refused(ctx):
    me = ctx.login(ctx.new_member())
    body = {"name": "cross-site"}
    expect_error(me.post(f"{API}/me/tokens", body, headers={"Sec-Fetch-Site": "cross-site"}), 403, "csrf_failed")
    expect_error(me.post(f"{API}/me/tokens", body, headers={"Sec-Fetch-Site": "same-site"}), 403, "csrf_failed")
    expect_error(me.post(f"{API}/me/tokens", body, headers={"Origin": "https://evil.example"}), 403, "csrf_failed")
    expect_error(me.post(f"{API}/me/tokens", body, headers={"Origin": "null"}), 403, "csrf_failed")
    own = f"http://{ctx.server.host}:{ctx.server.port}"
    expect_json(me.post(f"{API}/me/tokens", body, headers={"Origin": own, "Sec-Fetch-Site": "same-origin"}), 201)
    expect_json(me.post(f"{API}/me/tokens", body), 201)  # scripts send neither header
    acc = ctx.new_member()
    expect_error(ctx.client().post(f"{API}/auth/login", {"email": acc.email, "password": acc.password},
                                   headers={"Sec-Fetch-Site": "cross-site"}), 403, "csrf_failed")
    check(me.get(f"{API}/me", headers={"Sec-Fetch-Site": "cross-site"}).status == 200, "reads are not writes")
