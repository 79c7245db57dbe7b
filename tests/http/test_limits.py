"""Abuse limits, each switched on alone in a server of its own (the main server runs without them):
token buckets per address and account answering 429 with Retry-After, the sign-in back-off that
slows an attacker without locking the owner out, slower posting and fewer links for new accounts,
and the refusal of a body posted twice. Other client addresses are other loopback addresses
(127.0.0.2, ...), which Linux routes to the same server."""

import time

from client import Client, TestList, check, expect_error, expect_json, raw_request, start_server, wait_healthy
from fixtures import Context, unique

tests = TestList()
API = "/api/v1"


def limited(ctx, name, *args):
    """A Context around a server of its own started with these limit flags."""
    server = ctx.stack.enter_context(start_server(ctx.forumd, ctx.tmp_path(f"{name}.db"), ctx.web,
                                                  ctx.tmp_path(f"forumd-{name}.log"), list(args)))
    return Context(ctx.forumd, ctx.web, ctx.tmp, server)


def expect_limited(r, what):
    expect_error(r, 429, "rate_limited")
    wait = r.header("Retry-After")
    check(wait is not None and wait.isdigit() and int(wait) >= 1, f"{what}: Retry-After {wait!r}")
    return int(wait)


def attempt(lctx, email, password, source=None, cookies=None):
    c = Client(lctx.server, source=source)
    if cookies:
        c.cookies.update(cookies)
    return c, c.post(f"{API}/auth/login", {"email": email, "password": password})


@tests
def test_login_attempts_per_address(ctx):
    lctx = limited(ctx, "login-address", "--rate-login-address", "4/60")
    acc = lctx.new_member()
    for i in range(4):
        _, r = attempt(lctx, unique("nobody") + "@example.org", "wrong password here")
        expect_error(r, 401, "invalid_credentials")
    _, r = attempt(lctx, acc.email, acc.password)
    expect_limited(r, "fifth sign-in from one address")
    _, r = attempt(lctx, acc.email, acc.password, source="127.0.0.2")
    expect_json(r, 200)  # another address has its own bucket
    wait_healthy(lctx.server)


@tests
def test_login_backoff_grows_per_account_and_address(ctx):
    lctx = limited(ctx, "login-backoff")
    acc = lctx.new_member()
    for i in range(3):  # three failures are free
        _, r = attempt(lctx, acc.email, "not the password " + str(i))
        expect_error(r, 401, "invalid_credentials")
    _, r = attempt(lctx, acc.email, "fourth wrong password")
    expect_error(r, 401, "invalid_credentials")
    _, r = attempt(lctx, acc.email, acc.password)
    first = expect_limited(r, "after a fourth failure")
    check(first <= 2, f"the first back-off is about a second, not {first}")
    time.sleep(first + 0.2)
    _, r = attempt(lctx, acc.email, "fifth wrong password")
    expect_error(r, 401, "invalid_credentials")
    _, r = attempt(lctx, acc.email, acc.password)
    second = expect_limited(r, "after a fifth failure")
    check(second >= first, f"the back-off should grow: {first} then {second}")
    # The same account from another address is not slowed by this address's failures,
    # and the answer for an unknown email is the same as for a known one.
    _, r = attempt(lctx, acc.email, acc.password, source="127.0.0.3")
    expect_json(r, 200)
    ghost = unique("ghost") + "@example.org"
    for i in range(4):
        _, r = attempt(lctx, ghost, "wrong password " + str(i))
    _, r = attempt(lctx, ghost, "wrong password again")
    expect_limited(r, "an unknown email backs off like a known one")


@tests
def test_account_ceiling_spares_a_browser_that_signed_in_before(ctx):
    lctx = limited(ctx, "login-account", "--rate-login-account", "5/3600")
    acc = lctx.new_member()
    owner, r = attempt(lctx, acc.email, acc.password, source="127.0.0.10")
    expect_json(r, 200)
    device = {k: v for k, v in owner.cookies.items() if k == "forumd_device"}
    check(device, f"a successful sign-in sets a device cookie: {r.headers_all('Set-Cookie')}")
    for i in range(5):  # a distributed guesser: one try from each of five addresses
        _, r = attempt(lctx, acc.email, f"guess number {i} here", source=f"127.0.1.{i + 1}")
        expect_error(r, 401, "invalid_credentials")
    _, r = attempt(lctx, acc.email, acc.password, source="127.0.2.1")
    expect_limited(r, "the account's failure ceiling, from a new browser")
    _, r = attempt(lctx, acc.email, acc.password, source="127.0.2.2", cookies=device)
    expect_json(r, 200)  # the owner's browser still gets in
    forged = {"forumd_device": "0" * 64}
    _, r = attempt(lctx, acc.email, acc.password, source="127.0.2.3", cookies=forged)
    expect_limited(r, "a forged device cookie")


@tests
def test_registration_per_address(ctx):
    lctx = limited(ctx, "register", "--rate-register-address", "2/3600")
    for i in range(2):
        expect_json(lctx.register(), 201)
    r = lctx.register()
    expect_limited(r, "third registration from one address")
    expect_json(lctx.register(client=Client(lctx.server, source="127.0.0.4")), 201)


@tests
def test_posting_rate_and_staff_exemption(ctx):
    lctx = limited(ctx, "posting", "--rate-post-account", "3/60")
    me = lctx.login(lctx.new_member())
    obj = lctx.objective("cyberspace")["id"]
    t, _ = lctx.create_thread(me, obj)
    lctx.reply(me, t["id"])
    lctx.reply(me, t["id"])
    r = me.post(f"{API}/threads/{t['id']}/posts", {"body": unique("One too many ")})
    expect_limited(r, "fourth post in a minute")
    mod = lctx.signed_in("mod")
    for i in range(5):
        lctx.reply(mod, t["id"], body=unique("Commission answer "))
    check(len(lctx.thread_view(me, t["id"])["posts"]) == 8, "posts refused by the limit were stored")


@tests
def test_new_accounts_post_slower_and_with_fewer_links(ctx):
    lctx = limited(ctx, "new-accounts", "--new-account-period", "86400", "--new-account-links", "2",
                   "--rate-post-new-account", "2/300")
    me = lctx.login(lctx.new_member())
    obj = lctx.objective("cyberspace")["id"]
    links = " ".join(f"[source {i}](https://example.org/{i})" for i in range(3))
    r = me.post(f"{API}/objectives/{obj}/threads", {"title": unique("Links "), "body": links})
    expect_error(r, 422, "validation_failed", "body")
    t, _ = lctx.create_thread(me, obj, body="[one](https://example.org/1) and [two](https://example.org/2)")
    lctx.reply(me, t["id"])
    r = me.post(f"{API}/threads/{t['id']}/posts", {"body": unique("Third ")})
    expect_limited(r, "a new account's third post in five minutes")
    mod = lctx.signed_in("mod")  # staff accounts are new too, and exempt
    lctx.reply(mod, t["id"], body=links)


@tests
def test_the_same_body_twice_is_refused(ctx):
    lctx = limited(ctx, "duplicates", "--duplicate-window", "300")
    me = lctx.login(lctx.new_member())
    other = lctx.login(lctx.new_member())
    mod = lctx.signed_in("mod")
    obj = lctx.objective("cyberspace")["id"]
    t, _ = lctx.create_thread(me, obj)
    body = unique("Exactly this text ")
    lctx.reply(me, t["id"], body=body)
    expect_error(me.post(f"{API}/threads/{t['id']}/posts", {"body": body}), 409, "conflict", "body")
    lctx.reply(other, t["id"], body=body)  # someone else may say the same
    lctx.reply(me, t["id"], body=body + " (and more)")
    # A post the writer refused does not count: after the thread is unlocked, it goes through.
    expect_json(mod.request("PATCH", f"{API}/threads/{t['id']}", {"locked": True}), 200)
    late = unique("Written while locked ")
    expect_error(me.post(f"{API}/threads/{t['id']}/posts", {"body": late}), 409, "thread_locked")
    expect_json(mod.request("PATCH", f"{API}/threads/{t['id']}", {"locked": False}), 200)
    lctx.reply(me, t["id"], body=late)


@tests
def test_flags_searches_and_streams_are_limited(ctx):
    lctx = limited(ctx, "misc", "--rate-flag-account", "2/3600", "--rate-search-address", "3/60",
                   "--rate-stream-address", "2/60")
    me = lctx.login(lctx.new_member())
    author = lctx.login(lctx.new_member())
    obj = lctx.objective("cyberspace")["id"]
    t, first = lctx.create_thread(author, obj)
    posts = [first] + [lctx.reply(author, t["id"]) for _ in range(2)]
    for p in posts[:2]:
        expect_json(me.post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 201)
    expect_limited(me.post(f"{API}/posts/{posts[2]['id']}/flags", {"reason": "spam"}), "third flag in an hour")
    reader = Client(lctx.server)
    for _ in range(3):
        expect_json(reader.get(f"{API}/search?q=opening"), 200)
    expect_limited(reader.get(f"{API}/search?q=opening"), "fourth search in a minute")
    for i in range(2):
        got = raw_request(lctx.server.host, lctx.server.port,
                          f"GET /api/v1/events?thread={t['id']} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), timeout=0.5)
        check(got.status == 200, f"stream {i + 1}: {got.data[:200]!r}")
    got = raw_request(lctx.server.host, lctx.server.port,
                      f"GET /api/v1/events?thread={t['id']} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), timeout=0.5)
    check(got.status == 429 and got.headers.get("retry-after"), f"third stream in a minute: {got.data[:300]!r}")
    wait_healthy(lctx.server)
