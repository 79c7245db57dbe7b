"""Authorization, route by route: every route of the daemon's route table (`forumd routes`) is called
by each kind of caller, and must answer as its rule below says. A route added without a rule here
fails the test, so no route can ship without one."""

import copy
import http.client

from client import TestList, check, describe_cli, expect_json, fail, run_cli
from fixtures import unique

tests = TestList()

ROLES = ["anonymous", "member", "suspended", "mod_other", "moderator", "admin"]

OK = "ok"                         # authorized: any answer but 401, 403 and 5xx
UNAUTH = (401, "unauthorized")
FORBIDDEN = (403, "forbidden")
SUSPENDED = (403, "suspended")

PUBLIC = {role: OK for role in ROLES}
SIGNED_IN = dict(PUBLIC, anonymous=UNAUTH)
WRITER = dict(SIGNED_IN, suspended=SUSPENDED)
# moderators acting on the objective-1 fixtures: mod_other moderates objective 2 only
MOD_WRITE = dict(WRITER, member=FORBIDDEN, mod_other=FORBIDDEN)
MOD_READ = dict(SIGNED_IN, member=FORBIDDEN, suspended=FORBIDDEN)
# reads for moderators of the target's objective (exports of objective-1 targets)
MOD_OBJECTIVE_READ = dict(MOD_READ, mod_other=FORBIDDEN)
ALL_OBJECTIVES_WRITE = MOD_WRITE  # suspensions: moderators of every objective and admins
ADMIN_WRITE = dict(MOD_WRITE, moderator=FORBIDDEN)
AUTHOR_ONLY = dict(MOD_WRITE, moderator=FORBIDDEN, admin=FORBIDDEN)
AUTHOR_OR_MOD = MOD_WRITE

# route -> (expected per role, path with {placeholders}, body or None, fresh session?)
RULES = {
    "GET /healthz": (PUBLIC, "/healthz", None),
    "POST /api/v1/auth/register": (PUBLIC, "/api/v1/auth/register", "register"),
    "POST /api/v1/auth/login": (PUBLIC, "/api/v1/auth/login", "login"),
    "POST /api/v1/auth/logout": (SIGNED_IN, "/api/v1/auth/logout", "fresh-session"),
    "GET /api/v1/me": (SIGNED_IN, "/api/v1/me", None),
    "POST /api/v1/me/tokens": (WRITER, "/api/v1/me/tokens", {"name": "authz"}),
    "DELETE /api/v1/me/tokens/{id}": (SIGNED_IN, "/api/v1/me/tokens/999999", None),
    "GET /api/v1/objectives": (PUBLIC, "/api/v1/objectives", None),
    "GET /api/v1/objectives/{id}": (PUBLIC, "/api/v1/objectives/{objective}", None),
    "GET /api/v1/objectives/{id}/threads": (PUBLIC, "/api/v1/objectives/{objective}/threads", None),
    "POST /api/v1/objectives/{id}/threads": (WRITER, "/api/v1/objectives/{objective}/threads",
                                             {"title": "Authorization walk", "body": "A thread."}),
    "GET /api/v1/threads/{id}": (PUBLIC, "/api/v1/threads/{thread}", None),
    "POST /api/v1/threads/{id}/posts": (WRITER, "/api/v1/threads/{thread}/posts", {"body": "A reply."}),
    "PATCH /api/v1/posts/{id}": (AUTHOR_OR_MOD, "/api/v1/posts/{post}", {"body": "Edited in the walk."}),
    "DELETE /api/v1/posts/{id}": (AUTHOR_ONLY, "/api/v1/posts/{post}", None),
    "GET /api/v1/posts/{id}/revisions": (PUBLIC, "/api/v1/posts/{post}/revisions", None),
    "POST /api/v1/posts/{id}/flags": (WRITER, "/api/v1/posts/{post}/flags", {"reason": "off_topic"}),
    "POST /api/v1/posts/{id}/hide": (MOD_WRITE, "/api/v1/posts/{spare_post}/hide", {"reason": "walk"}),
    "POST /api/v1/posts/{id}/unhide": (MOD_WRITE, "/api/v1/posts/{spare_post}/unhide", {}),
    "PATCH /api/v1/threads/{id}": (MOD_WRITE, "/api/v1/threads/{thread}", {"pinned": False}),
    "GET /api/v1/mod/flags": (MOD_READ, "/api/v1/mod/flags", None),
    "POST /api/v1/mod/flags/{id}/resolve": (MOD_WRITE, "/api/v1/mod/flags/{flag}/resolve", {"action": "dismiss"}),
    "GET /api/v1/mod/log": (MOD_READ, "/api/v1/mod/log", None),
    "POST /api/v1/users/{id}/suspend": (ALL_OBJECTIVES_WRITE, "/api/v1/users/{victim}/suspend",
                                        {"until": "2099-01-01T00:00:00Z", "reason": "walk"}),
    "POST /api/v1/users/{id}/unsuspend": (ALL_OBJECTIVES_WRITE, "/api/v1/users/{victim}/unsuspend", {}),
    "PUT /api/v1/users/{id}/role": (ADMIN_WRITE, "/api/v1/users/{victim}/role", {"role": "member"}),
    "GET /api/v1/search": (PUBLIC, "/api/v1/search?q=walk", None),
    "GET /api/v1/objectives/{id}/export": (MOD_OBJECTIVE_READ, "/api/v1/objectives/{objective}/export", None),
    "GET /api/v1/threads/{id}/export": (MOD_OBJECTIVE_READ, "/api/v1/threads/{thread}/export?format=json", None),
    "GET /api/v1/stats": (PUBLIC, "/api/v1/stats?objective={objective}", None),
    "GET /feeds/objectives/{id}.atom": (PUBLIC, "/feeds/objectives/{objective}.atom", None),
    "GET /feeds/key-actions/{id}.atom": (PUBLIC, "/feeds/key-actions/1.atom", None),
    "GET /feeds/threads/{id}.atom": (PUBLIC, "/feeds/threads/{thread}.atom", None),
    "PUT /api/v1/objectives/{id}/follow": (WRITER, "/api/v1/objectives/{objective}/follow", None),
    "DELETE /api/v1/objectives/{id}/follow": (WRITER, "/api/v1/objectives/{objective}/follow", None),
    "PUT /api/v1/key-actions/{id}/follow": (WRITER, "/api/v1/key-actions/{key_action}/follow", None),
    "DELETE /api/v1/key-actions/{id}/follow": (WRITER, "/api/v1/key-actions/{key_action}/follow", None),
    "PUT /api/v1/threads/{id}/follow": (WRITER, "/api/v1/threads/{thread}/follow", None),
    "DELETE /api/v1/threads/{id}/follow": (WRITER, "/api/v1/threads/{thread}/follow", None),
    "GET /api/v1/me/follows": (SIGNED_IN, "/api/v1/me/follows", None),
    "GET /api/v1/notifications": (SIGNED_IN, "/api/v1/notifications", None),
    "POST /api/v1/notifications/read": (SIGNED_IN, "/api/v1/notifications/read", {}),
    "GET /api/v1/events": (PUBLIC, "/api/v1/events?thread={thread}", "stream"),
    "GET /api/v1/me/export": (SIGNED_IN, "/api/v1/me/export", None),
    # without a password: authorized callers get 400, nobody is erased by the walk
    "DELETE /api/v1/me": (SIGNED_IN, "/api/v1/me", None),
    "PATCH /api/v1/me": (WRITER, "/api/v1/me", {}),
    "GET /api/v1/me/tokens": (SIGNED_IN, "/api/v1/me/tokens", None),
    "POST /api/v1/preview": (WRITER, "/api/v1/preview", {"body": "*walk*"}),
    "GET /api/v1/me/sessions": (SIGNED_IN, "/api/v1/me/sessions", None),
    "DELETE /api/v1/me/sessions/{id}": (SIGNED_IN, "/api/v1/me/sessions/999999", None),
    # without a body: authorized callers get 400, no password changes in the walk
    "POST /api/v1/me/password": (SIGNED_IN, "/api/v1/me/password", None),
}


def route_table(ctx):
    p = run_cli(ctx.forumd, ["routes"])
    check(p.returncode == 0, f"forumd routes: {describe_cli(p)}")
    routes = []
    for line in p.stdout.splitlines():
        parts = line.split()
        check(len(parts) == 3, f"forumd routes: odd line {line!r}")
        routes.append(f"{parts[0]} {parts[1]}")
    check(len(routes) >= 20, f"forumd routes printed {len(routes)} routes")
    return routes


def callers(ctx):
    """The account of each role (None for anonymous); the suspended one is suspended by an admin and
    mod_other is a moderator of objective 2 only."""
    admin = ctx.signed_in("admin")
    suspended = ctx.new_member()
    expect_json(admin.post(f"/api/v1/users/{suspended.id}/suspend",
                           {"until": "2099-01-01T00:00:00Z", "reason": "authorization walk"}), 200)
    other = ctx.new_staff("moderator")
    expect_json(admin.request("PUT", f"/api/v1/users/{other.id}/role",
                              {"role": "moderator", "moderates": [ctx.objectives()[1]["id"]]}), 200)
    return {"anonymous": None, "member": ctx.new_member(), "suspended": suspended, "mod_other": other,
            "moderator": ctx.account("mod"), "admin": ctx.account("admin")}


def fixtures(ctx):
    """Targets in objective 1, written by an author who is none of the callers."""
    author = ctx.login(ctx.new_member())
    flagger = ctx.login(ctx.new_member())
    objective = ctx.objectives()[0]["id"]
    thread, post = ctx.create_thread(author, objective, title=unique("Authz "))
    spare = ctx.reply(author, thread["id"], body="A post to hide and unhide.")
    flag = expect_json(flagger.post(f"/api/v1/posts/{spare['id']}/flags", {"reason": "spam"}), 201)["flag"]
    victim = ctx.new_member()
    return {"objective": objective, "thread": thread["id"], "post": post["id"], "spare_post": spare["id"],
            "flag": flag["id"], "victim": victim.id, "key_action": ctx.objectives()[0]["key_actions"][0]["id"]}


def call(ctx, client, method, path, body, account_for_login):
    if body == "register":
        body = {"email": unique("authz") + "@example.org", "password": "a-long-password-123",
                "display_name": "Walker", "stakeholder_type": "citizen"}
    elif body == "login":
        body = {"email": account_for_login.email, "password": account_for_login.password}
    elif body == "fresh-session":
        body = None
    elif body == "stream":
        return stream_status(client, path)
    kw = {} if body is None else {"body": body}
    return client.request(method, path, **kw)


class Status:
    """The status line of an answer whose body never ends (an event stream)."""

    def __init__(self, status):
        self.status = status
        self.text = ""
        self.json = None


def stream_status(client, path):
    conn = http.client.HTTPConnection(client.host, client.port, timeout=5)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())} if client.cookies else {}
        conn.request("GET", path, headers=headers)
        return Status(conn.getresponse().status)
    finally:
        conn.close()


@tests
def test_every_route_has_a_rule(ctx):
    routes = route_table(ctx)
    missing = [r for r in routes if r not in RULES]
    stale = [r for r in RULES if r not in routes]
    check(not missing, f"routes without an authorization rule in test_authz.py: {missing}")
    check(not stale, f"rules for routes that no longer exist: {stale}")


@tests
def test_every_route_with_every_role(ctx):
    routes = route_table(ctx)
    accounts = callers(ctx)
    clients = {role: ctx.login(acc) if acc else ctx.client() for role, acc in accounts.items()}
    ids = fixtures(ctx)
    login_acc = ctx.new_member()
    problems = []
    for route in routes:
        if route not in RULES:
            continue
        expected, path, body = RULES[route]
        method = route.split()[0]
        path = path.format(**ids)
        for role in ROLES:
            client = clients[role]
            if body == "fresh-session" and accounts[role]:
                client = ctx.login(accounts[role])  # logging out must not end the shared session
            elif body == "login":
                client = copy.copy(client)  # signing in again must not replace the shared session
                client.cookies = dict(client.cookies)
            r = call(ctx, client, method, path, body, login_acc)
            want = expected[role]
            if want == OK:
                if r.status in (401, 403) or r.status >= 500:
                    problems.append(f"{role:9} {method} {path}: want authorized, got {r.status} {r.text[:120]}")
                continue
            status, code = want
            try:
                got_code = r.json["error"]["code"]
            except (TypeError, KeyError, ValueError):
                got_code = None
            if r.status != status or got_code != code:
                problems.append(f"{role:9} {method} {path}: want {status} {code}, got {r.status} {r.text[:120]}")
    if problems:
        fail("authorization matrix:\n  " + "\n  ".join(problems))
