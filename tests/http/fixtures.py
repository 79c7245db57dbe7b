"""The shared test context: the main server, accounts made on demand, and small API shortcuts.

Accounts are created lazily the first time a test asks for them, so a failure to create one (for
example `forumd user create` not working yet) fails the tests that need it, with the reason,
instead of the whole run.
"""

import contextlib
import itertools
import os
import secrets
import sys
import time

from client import (Client, check, expect_json, fail, remember_secret, run_cli,
                    describe_cli)

_seq = itertools.count(1)


def unique(prefix):
    return f"{prefix}{next(_seq)}{secrets.token_hex(3)}"


def new_password():
    pw = "pw-" + secrets.token_hex(8) + "-Zq"  # 21 characters
    remember_secret("password", pw)
    return pw


class Account:
    def __init__(self, email, password, user, role="member", fields=None):
        self.email = email
        self.password = password
        self.user = user            # the user object as the API returned it (may be None for CLI users)
        self.role = role
        self.fields = fields or {}  # what was given at creation

    @property
    def id(self):
        return self.user["id"] if self.user else None


# The standing cast. Names and organisations are distinctive so that tests can search JSON text.
CAST = {
    "alice": dict(stakeholder_type="civil_society", organisation="Org-Alice-Xq7", country="BE",
                  display_name="Alice Realname-Xq7"),
    "bob": dict(stakeholder_type="academia", organisation="Uni-Bob-Kz3", country="DE",
                display_name="Bob Realname-Kz3"),
    "carol": dict(stakeholder_type="member_state", organisation="Ministry-Carol-Pw5", country="FR",
                  display_name="Carol Realname-Pw5"),
}
STAFF = {
    "mod": dict(role="moderator", stakeholder_type="commission", organisation="DG HOME",
                display_name="Moderator Mo"),
    "admin": dict(role="admin", stakeholder_type="commission", organisation="DG HOME",
                  display_name="Admin Ad"),
}


class Context:
    def __init__(self, forumd, web, tmp, server):
        self.forumd = forumd
        self.web = web
        self.tmp = tmp
        self.server = server
        self._accounts = {}
        self._clients = {}
        self._objectives = None
        self.stack = contextlib.ExitStack()  # servers started by tests that outlive one test

    # -- accounts -------------------------------------------------------------------------

    def client(self, **kw):
        return Client(self.server, **kw)

    def register(self, client=None, **fields):
        """POST /auth/register with sensible defaults overridden by fields; returns the Response.
        Pass a field as None to send JSON null, or use drop=[...] to leave keys out."""
        drop = fields.pop("drop", ())
        body = {
            "email": unique("user") + "@example.org",
            "password": new_password(),
            "display_name": unique("User "),
            "stakeholder_type": "citizen",
        }
        body.update(fields)
        for k in drop:
            body.pop(k, None)
        if isinstance(body.get("password"), str):
            remember_secret("password", body["password"])
        return (client or self.client()).post("/api/v1/auth/register", body)

    def new_member(self, **fields):
        """Registers a new member through the API; returns an Account."""
        fields.setdefault("email", unique("m") + "@example.org")
        fields.setdefault("password", new_password())
        r = self._with_retry(lambda: self.register(**dict(fields)))
        body = expect_json(r, 201)
        check(isinstance(body.get("user"), dict), f"register gave no user: {r.describe()}")
        return Account(fields["email"], fields["password"], body["user"], "member", fields)

    def new_staff(self, role, stakeholder_type="commission", display_name=None, organisation=None):
        """Creates a moderator or admin with `forumd user create` against the running server's db."""
        email = unique(role) + "@example.eu"
        pw = new_password()
        args = ["user", "create", "--db", self.server.db, "--email", email,
                "--display-name", display_name or unique(role.title() + " "), "--role", role,
                "--stakeholder-type", stakeholder_type]
        if organisation:
            args += ["--organisation", organisation]
        p = run_cli(self.forumd, args, stdin=pw + "\n")
        if p.returncode != 0:
            fail(f"forumd {' '.join(args)}: {describe_cli(p)}")
        acc = Account(email, pw, None, role)
        c = self.login(acc)
        acc.user = c.user
        return acc

    def account(self, name):
        """A standing account by name (alice, bob, carol: members; mod, admin: staff)."""
        if name not in self._accounts:
            if name in CAST:
                self._accounts[name] = self.new_member(**CAST[name])
            elif name in STAFF:
                f = STAFF[name]
                self._accounts[name] = self.new_staff(f["role"], f["stakeholder_type"],
                                                      f["display_name"], f["organisation"])
            else:
                raise KeyError(name)
        return self._accounts[name]

    def login(self, account):
        """A new Client with a fresh session for account."""
        c = self.client()
        r = self._with_retry(lambda: c.login(account.email, account.password))
        expect_json(r, 200)
        return c

    def signed_in(self, name):
        """A shared signed-in Client for a standing account (do not log it out)."""
        if name not in self._clients:
            self._clients[name] = self.login(self.account(name))
        return self._clients[name]

    def _with_retry(self, send):
        """Sends; on 429 waits for Retry-After (at most 3 times) so a login throttle does not
        turn into unrelated failures."""
        for _ in range(3):
            r = send()
            if r.status != 429:
                return r
            wait = min(int(r.header("Retry-After") or "5"), 65)
            print(f"# note: {r.method} {r.path} got 429, waiting {wait}s", file=sys.stderr)
            time.sleep(wait + 0.5)
        return send()

    # -- objectives, threads, posts ---------------------------------------------------------

    def objectives(self, fresh=False):
        if fresh or self._objectives is None:
            r = self.client().get("/api/v1/objectives")
            body = expect_json(r, 200)
            self._objectives = body["objectives"]
        return self._objectives

    def objective(self, slug, fresh=False):
        for o in self.objectives(fresh):
            if o["slug"] == slug:
                return o
        fail(f"no objective {slug!r}")

    def key_action(self, slug):
        for o in self.objectives():
            for ka in o["key_actions"]:
                if ka["slug"] == slug:
                    return o, ka
        fail(f"no key action {slug!r}")

    def create_thread(self, client, objective_id, title=None, body=None, **extra):
        """POSTs a thread; fails unless 201. Returns (thread, post)."""
        payload = {"title": title or unique("Thread "), "body": body or unique("Opening post ")}
        payload.update(extra)
        r = client.post(f"/api/v1/objectives/{objective_id}/threads", payload)
        b = expect_json(r, 201)
        check(isinstance(b.get("thread"), dict) and isinstance(b.get("post"), dict),
              f"want {{thread, post}}: {r.describe()}")
        return b["thread"], b["post"]

    def reply(self, client, thread_id, body=None, **extra):
        payload = {"body": body or unique("Reply ")}
        payload.update(extra)
        r = client.post(f"/api/v1/threads/{thread_id}/posts", payload)
        b = expect_json(r, 201)
        check(isinstance(b.get("post"), dict), f"want {{post}}: {r.describe()}")
        return b["post"]

    def thread_view(self, client, thread_id, query=""):
        r = client.get(f"/api/v1/threads/{thread_id}{query}")
        return expect_json(r, 200)

    def tmp_path(self, name):
        return os.path.join(self.tmp, name)
