"""The command line: --version, --help, usage errors, migrate, user create, backup, start-up
failures (port taken, unreadable or newer database)."""

import os
import re
import sqlite3
import subprocess
import threading
import time

from client import (Client, TestList, check, describe_cli, expect_json, fail, remember_secret, run_cli,
                    start_server, wait_healthy)
from fixtures import new_password, unique

tests = TestList()


def _db_rows(db, sql, args=()):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _user_version(db):
    return _db_rows(db, "PRAGMA user_version")[0][0]


@tests
def test_version(ctx):
    p = run_cli(ctx.forumd, ["--version"])
    check(p.returncode == 0, f"--version: {describe_cli(p)}")
    check(re.search(r"\d+\.\d+\.\d+", p.stdout), f"--version prints no version on stdout: {describe_cli(p)}")


@tests
def test_help(ctx):
    p = run_cli(ctx.forumd, ["--help"])
    check(p.returncode == 0, f"--help: {describe_cli(p)}")
    out = p.stdout
    for word in ("migrate", "backup", "user", "--listen", "--db"):
        check(word in out, f"--help on stdout does not mention {word!r}: {describe_cli(p)}")


USAGE_ERRORS = [
    ("unknown_flag", ["--no-such-flag"]),
    ("unknown_flag_serve", ["serve", "--bogus", "1"]),
    ("unknown_subcommand", ["frobnicate"]),
    ("flag_without_value", ["--listen"]),
    ("user_create_no_email", ["user", "create", "--db", "@DB@", "--display-name", "X", "--role", "member",
                              "--stakeholder-type", "citizen"]),
    ("user_unknown_action", ["user", "explode", "--db", "@DB@"]),
    ("backup_without_to", ["backup", "--db", "@DB@"]),
]
for _name, _args in USAGE_ERRORS:
    def _t(ctx, args=_args):
        db = ctx.tmp_path(unique("usage") + ".db")
        args = [a.replace("@DB@", db) for a in args]
        p = subprocess.run([ctx.forumd, *args], capture_output=True, text=True, timeout=10,
                           cwd=ctx.tmp, stdin=subprocess.DEVNULL)
        check(p.returncode == 2, f"forumd {' '.join(args)}: {describe_cli(p)}, want exit 2")
        check(p.stderr.strip(), f"forumd {' '.join(args)}: nothing on stderr")
    tests.add(f"usage_error_exit_2[{_name}]", _t)


@tests
def test_migrate_creates_usable_db_idempotently(ctx):
    db = ctx.tmp_path("migrated.db")
    p = run_cli(ctx.forumd, ["migrate", "--db", db])
    check(p.returncode == 0, f"migrate: {describe_cli(p)}")
    check(os.path.isfile(db), "migrate made no database file")
    v1 = _user_version(db)
    check(v1 >= 1, f"PRAGMA user_version is {v1} after migrate")
    counts = _db_rows(db, "SELECT (SELECT count(*) FROM objectives), (SELECT count(*) FROM key_actions)")[0]
    check(counts == (5, 17), f"objectives/key actions after migrate: {counts}")
    p = run_cli(ctx.forumd, ["migrate", "--db", db])
    check(p.returncode == 0, f"second migrate: {describe_cli(p)}")
    check(_user_version(db) == v1, f"user_version {v1} -> {_user_version(db)} on a second migrate")
    counts2 = _db_rows(db, "SELECT (SELECT count(*) FROM objectives), (SELECT count(*) FROM key_actions)")[0]
    check(counts2 == (5, 17), f"a second migrate changed the seed: {counts2}")
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-migrated.log")) as srv:
        body = expect_json(Client(srv).get("/api/v1/objectives"), 200)
        check(len(body["objectives"]) == 5, "server on the migrated db lists no objectives")
        for o in body["objectives"]:
            check((o["thread_count"], o["post_count"], o["last_post_at"]) == (0, 0, None),
                  f"fresh objective {o['slug']}: counts {o['thread_count']}/{o['post_count']}, "
                  f"last_post_at {o['last_post_at']!r}")
            lst = expect_json(Client(srv).get(f"/api/v1/objectives/{o['id']}/threads"), 200)
            check(lst == {"threads": [], "next_cursor": None}, f"fresh thread list {lst}")
        check(srv.stop() == 0, "server on the migrated db did not exit 0 on SIGTERM")


def _user_create(ctx, db, email, password, role="member", stakeholder="citizen", extra=()):
    args = ["user", "create", "--db", db, "--email", email, "--display-name", unique("Cli "), "--role", role,
            "--stakeholder-type", stakeholder, *extra]
    if isinstance(password, str):
        remember_secret("password", password)
    return run_cli(ctx.forumd, args, stdin=None if password is None else password + "\n")


@tests
def test_user_create_while_server_runs(ctx):
    email, pw = unique("cliadmin") + "@example.eu", "\U0001F511" * 12
    p = _user_create(ctx, ctx.server.db, email, pw, role="admin", stakeholder="commission",
                     extra=["--organisation", "DG HOME", "--country", "BE"])
    check(p.returncode == 0, f"user create: {describe_cli(p)}")
    check(pw not in p.stdout + p.stderr, "user create echoed the password")
    c = Client(ctx.server)
    body = expect_json(c.login(email, pw), 200)
    u = body["user"]
    want = {"email": email, "role": "admin", "stakeholder_type": "commission", "organisation": "DG HOME",
            "country": "BE"}
    check({k: u.get(k) for k in want} == want, f"CLI-made user as the API sees it: {u}")
    mod = ctx.account("mod")
    check(mod.user and mod.user.get("role") == "moderator", f"CLI moderator: {mod.user}")


USER_CREATE_BAD = [
    ("password_11", "abcdefghijk", {}),
    ("password_129", "p" * 129, {}),
    ("password_empty", "", {}),
    ("no_stdin", None, {}),
    ("bad_role", "long enough password 1", {"role": "superuser"}),
    ("bad_stakeholder", "long enough password 2", {"stakeholder": "alien"}),
    ("member_state_without_country", "long enough password 3", {"stakeholder": "member_state"}),
    ("bad_country", "long enough password 4", {"extra": ("--country", "XX")}),
]
for _name, _pw, _kw in USER_CREATE_BAD:
    def _t(ctx, pw=_pw, kw=_kw):
        email = unique("clibad") + "@example.org"
        p = _user_create(ctx, ctx.server.db, email, pw, **kw)
        check(p.returncode != 0, f"user create accepted it: {describe_cli(p)}")
        check(p.stderr.strip(), f"user create failed silently: {describe_cli(p)}")
        rows = _db_rows(ctx.server.db, "SELECT count(*) FROM users WHERE email = ?", (email,))
        check(rows[0][0] == 0, "a refused user create still wrote the user")
    tests.add(f"user_create_refused[{_name}]", _t)


@tests
def test_user_create_duplicate_email(ctx):
    email = unique("clidup") + "@example.org"
    p = _user_create(ctx, ctx.server.db, email, new_password())
    check(p.returncode == 0, f"first user create: {describe_cli(p)}")
    p = _user_create(ctx, ctx.server.db, email.upper(), new_password())
    check(p.returncode == 1, f"duplicate (case-insensitive) email: {describe_cli(p)}, want exit 1")
    rows = _db_rows(ctx.server.db, "SELECT count(*) FROM users WHERE email = ? COLLATE NOCASE", (email,))
    check(rows[0][0] == 1, f"{rows[0][0]} users with that email")


@tests
def test_backup_while_running(ctx):
    alice = ctx.signed_in("alice")
    acc = ctx.new_member()
    marker = unique("BACKUP-MARKER-")
    t, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], body=marker)
    stop = threading.Event()
    errors = []

    def writer():  # keep writing while the backup runs
        while not stop.is_set():
            try:
                ctx.reply(alice, t["id"], unique("during backup "))
            except Exception as e:  # noqa: BLE001
                errors.append(str(e))
                return

    th = threading.Thread(target=writer, daemon=True)
    th.start()
    dest = ctx.tmp_path("backup.db")
    try:
        time.sleep(0.2)
        r = run_cli(ctx.forumd, ["backup", "--db", ctx.server.db, "--to", dest], timeout=60)
    finally:
        stop.set()
        th.join(10)
    check(r.returncode == 0, f"backup: {describe_cli(r)}")
    check(not errors, f"writes failed during the backup: {errors[:1]}")
    check(os.path.isfile(dest), "backup wrote no file")
    check(_db_rows(dest, "PRAGMA integrity_check") == [("ok",)], "backup fails integrity_check")
    check(_db_rows(dest, "SELECT count(*) FROM users WHERE email = ?", (acc.email,))[0][0] == 1,
          "the backup lacks a user registered before it")
    check(_db_rows(dest, "SELECT count(*) FROM posts WHERE body = ?", (marker,))[0][0] == 1,
          "the backup lacks a post written before it")
    check(_db_rows(dest, "SELECT count(*) FROM objectives")[0][0] == 5, "the backup lacks the objectives")
    check(_user_version(dest) == _user_version(ctx.server.db), "the backup has another schema version")
    wait_healthy(ctx.server, "after a backup")
    # the copy is a working forum
    with start_server(ctx.forumd, dest, ctx.web, ctx.tmp_path("forumd-restored.log")) as srv:
        v = expect_json(Client(srv).get(f"/api/v1/threads/{t['id']}"), 200)
        check(v["posts"][0]["body"] == marker, "the restored forum lost the thread")
        expect_json(Client(srv).login(acc.email, acc.password), 200)
        check(srv.stop() == 0, "restored server did not exit 0")


@tests
def test_backup_to_unwritable_path_fails(ctx):
    p = run_cli(ctx.forumd, ["backup", "--db", ctx.server.db, "--to", ctx.tmp_path("no/such/dir/b.db")])
    check(p.returncode == 1, f"backup to a missing folder: {describe_cli(p)}, want exit 1")
    check(p.stderr.strip(), "no reason on stderr")


def _serve(ctx, db, extra=(), timeout=10):
    args = ["--db", db, "--web", ctx.web, *extra]
    if "--listen" not in extra:
        args = ["--listen", "127.0.0.1:0", *args]
    try:
        return subprocess.run([ctx.forumd, *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        fail(f"forumd {' '.join(args)} kept running for {timeout}s instead of exiting with an error "
             f"(stdout {e.stdout!r})")


@tests
def test_port_taken_exits_1(ctx):
    db = ctx.tmp_path("second.db")
    p = _serve(ctx, db, ["--listen", f"127.0.0.1:{ctx.server.port}"])
    check(p.returncode == 1, f"second server on a taken port: {describe_cli(p)}, want exit 1")
    check(p.stderr.strip(), "no reason on stderr")
    check("listening on" not in p.stdout, f"it claimed to listen: {p.stdout!r}")
    wait_healthy(ctx.server, "after another server tried its port")


@tests
def test_newer_schema_refused(ctx):
    db = ctx.tmp_path("future.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY)")
    con.execute("PRAGMA user_version = 9999")
    con.commit()
    con.close()
    p = _serve(ctx, db)
    check(p.returncode == 1, f"serve on a user_version 9999 db: {describe_cli(p)}, want exit 1")
    check(re.search(r"schema|version", p.stderr, re.I), f"stderr does not say why: {p.stderr!r}")
    p = run_cli(ctx.forumd, ["migrate", "--db", db])
    check(p.returncode == 1, f"migrate on a user_version 9999 db: {describe_cli(p)}, want exit 1")
    check(_user_version(db) == 9999, "the newer database was modified")
    check(_db_rows(db, "SELECT count(*) FROM sqlite_master WHERE name = 'users'")[0][0] == 0,
          "forumd wrote its tables into a newer database")


@tests
def test_unreadable_db_exits_1(ctx):
    d = ctx.tmp_path("a-directory.db")
    os.makedirs(d, exist_ok=True)
    p = _serve(ctx, d)
    check(p.returncode == 1, f"serve with --db a directory: {describe_cli(p)}, want exit 1")
    check(p.stderr.strip(), "no reason on stderr")
    junk = ctx.tmp_path("junk.db")
    with open(junk, "wb") as f:
        f.write(b"this is not a database, just some text " * 200)
    p = _serve(ctx, junk)
    check(p.returncode == 1, f"serve with --db a non-database file: {describe_cli(p)}, want exit 1")
    check(p.stderr.strip(), "no reason on stderr")
    with open(junk, "rb") as f:
        check(f.read().startswith(b"this is not a database"), "forumd overwrote a non-database file")


@tests
def test_sigterm_finishes_requests_in_flight(ctx):
    """Requests already sent when SIGTERM arrives still get their answers; then exit 0."""
    import socket
    db = ctx.tmp_path("inflight.db")
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-inflight.log")) as srv:
        wait_healthy(srv, "at start")
        socks = []
        for i in range(12):
            pw = new_password()
            body = ('{"email": "inflight%d@example.org", "password": "%s", "display_name": "In flight %d", '
                    '"stakeholder_type": "citizen"}' % (i, pw, i)).encode()
            req = (b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
            s = socket.create_connection((srv.host, srv.port), timeout=10)
            s.sendall(req)
            socks.append(s)
        time.sleep(0.05)
        srv.proc.send_signal(__import__("signal").SIGTERM)
        answers = []
        for s in socks:
            data = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError as e:
                data += f" <{type(e).__name__}>".encode()
            s.close()
            answers.append(data[:12])
        try:
            status = srv.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fail("the server did not exit within 10 s of SIGTERM")
        ok = [a for a in answers if a.startswith(b"HTTP/1.1 201")]
        check(len(ok) == len(answers), f"answers to requests in flight at SIGTERM: {answers}")
        check(status == 0, f"exit status {status} after SIGTERM with requests in flight")
    rows = _db_rows(db, "SELECT count(*) FROM users WHERE email LIKE 'inflight%'")
    check(rows[0][0] == 12, f"{rows[0][0]} of the 12 in-flight registrations are in the database")
