"""A corrupt or foreign file at the database path (research F5).

For each variant a file (and sometimes a -wal beside it) is put at the database path, then
`forumd serve` and `forumd migrate` are run on it. Expected: refused, exit status 1, a clear line on
stderr, and every file byte-identical afterwards (sha256). Variants:

  empty file .................. accepted by design: an empty file is an empty SQLite database (what
                                `touch`, `install -m 600 /dev/null` or mktemp leave), forumd makes a
                                new forum in it; refused when a non-empty -wal lies beside it
  truncated, header overwritten, random garbage, a text file, a directory
  another application's SQLite database: rollback journal, WAL mode, with an application_id
  a forumd database without its schema_migrations table, one of a newer schema
  a stale -wal beside a forumd database: from another application's database, from another forumd
                                database (the restored-backup-with-the-old-log mistake)
  chmod 000 ................... root ignores permissions: run as nobody (setpriv), else skipped
  one page overwritten ........ informational: not detected at start (PRAGMA quick_check would
                                take 127 s on 1,000,000 posts); the server must not crash on it
"""

import os
import shutil
import sqlite3
import subprocess
import time

from common import (Http, Result, Server, StartError, Writers, random_tag, setup_forum,
                    sha256_file)

NAME = "corrupt"


def snapshot(path):
    out = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path + suffix
        if os.path.isfile(p):
            out[suffix or "db"] = sha256_file(p)
        elif os.path.isdir(p):
            out[suffix or "db"] = "dir"
    return out


def try_start(ctx, db, as_nobody=False, timeout=15):
    """Runs forumd serve on db; returns (started, exit status, stderr text)."""
    argv = [ctx.forumd, "serve", "--listen", "127.0.0.1:0", "--db", db, "--web", ctx.web, "--quiet"]
    if as_nobody:
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        out, err = p.communicate(timeout=2.5)
    except subprocess.TimeoutExpired:
        # still running: it started; stop it
        p.terminate()
        out, err = p.communicate(timeout=timeout)
        return True, p.returncode, err.decode(errors="replace")
    started = out.startswith(b"listening on")
    return started, p.returncode, err.decode(errors="replace")


def migrate(ctx, db):
    p = subprocess.run([ctx.forumd, "migrate", "--db", db], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stderr


def make_forumd_db(ctx, name, posts=60, kill=False):
    """A forumd database with posts; closed cleanly (no -wal left) unless kill (a hot -wal)."""
    db = ctx.path(name)
    token, threads = setup_forum(ctx, db, name + "-setup", threads=3)
    srv = Server(ctx, db, name=name + "-fill").start()
    w = Writers(srv.port, token, threads, 4, random_tag("c"), body_chars=800).start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum(1 for q in w.snapshot() if q.status == 201) < posts:
        time.sleep(0.05)
    if kill:
        srv.kill9()
        w.stop()
    else:
        w.stop()
        srv.term()
    return db, threads


def foreign_db(path, wal=False, app_id=0, keep_open=False, rows=300):
    c = sqlite3.connect(path, isolation_level=None)
    if wal:
        c.execute("PRAGMA journal_mode=WAL")
    if app_id:
        c.execute(f"PRAGMA application_id={app_id}")
    c.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, customer TEXT, total INTEGER)")
    c.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)")
    c.execute("BEGIN")
    for i in range(rows):
        c.execute("INSERT INTO invoices(customer, total) VALUES(?, ?)", (f"customer {i}" * 5, i * 100))
    c.execute("COMMIT")
    if keep_open:
        return c
    c.close()
    return None


def _parents(d):
    """d and every folder above it."""
    out = []
    d = os.path.abspath(d)
    while True:
        out.append(d)
        up = os.path.dirname(d)
        if up == d:
            return out
        d = up


def run(ctx):
    res = Result(NAME, "tests/fault/run.py --only corrupt")
    base, threads = make_forumd_db(ctx, "corrupt-base.db")
    if os.path.exists(base + "-wal"):
        res.note(f"a cleanly stopped forumd left {os.path.getsize(base + '-wal')} bytes of -wal")
    other, _ = make_forumd_db(ctx, "corrupt-other.db", posts=200, kill=True)  # a hot -wal of another forum
    page = 4096
    size = os.path.getsize(base)
    variants = []

    def variant(name, expect, make, note=""):
        variants.append((name, expect, make, note))

    def copy_base(p):
        shutil.copyfile(base, p)

    variant("empty file", "start", lambda p: open(p, "wb").close(),
            "an empty file is an empty SQLite database: a new forum is created in it")

    def empty_with_wal(p):
        open(p, "wb").close()
        shutil.copyfile(other + "-wal", p + "-wal")
    variant("empty file + -wal of a forum", "refuse", empty_with_wal)

    def missing_with_wal(p):
        shutil.copyfile(other + "-wal", p + "-wal")
    variant("no file, only a -wal", "refuse", missing_with_wal)

    def truncated(p):
        copy_base(p)
        os.truncate(p, (size // 2) // page * page)
    variant("truncated to half", "refuse", truncated)

    def truncated_odd(p):
        copy_base(p)
        os.truncate(p, 1000)
    variant("truncated to 1000 bytes", "refuse", truncated_odd)

    def header(p):
        copy_base(p)
        with open(p, "r+b") as f:
            f.write(b"\0" * 16)
    variant("header (bytes 0-15) zeroed", "refuse", header)

    def header100(p):
        copy_base(p)
        with open(p, "r+b") as f:
            f.write(os.urandom(100))
    variant("header (bytes 0-99) random", "refuse", header100)

    variant("random garbage (64 KiB)", "refuse", lambda p: open(p, "wb").write(os.urandom(65536)))
    variant("a text file", "refuse",
            lambda p: open(p, "w").write("# forum settings\nlisten = 127.0.0.1:8080\n" * 50))

    def directory(p):
        os.mkdir(p)
    variant("a directory", "refuse", directory)
    variant("another app's SQLite db", "refuse", lambda p: foreign_db(p))
    variant("another app's SQLite db, WAL mode", "refuse", lambda p: foreign_db(p, wal=True))
    variant("another app's db with application_id", "refuse", lambda p: foreign_db(p, app_id=0x12345678))

    def foreign_hot_wal_db(p):
        c = foreign_db(p, wal=True, keep_open=True)
        # copy the pair while the log is hot, as a crash of that application would leave them
        shutil.copyfile(p, p + ".x")
        shutil.copyfile(p + "-wal", p + ".x-wal")
        c.close()
        os.replace(p + ".x", p)
        os.replace(p + ".x-wal", p + "-wal")
        for s in ("-shm",):
            if os.path.exists(p + s):
                os.unlink(p + s)
    variant("another app's db with a hot -wal", "refuse", foreign_hot_wal_db)

    def no_migrations(p):
        copy_base(p)
        c = sqlite3.connect(p, isolation_level=None)
        c.execute("DROP TABLE schema_migrations")
        c.close()
    variant("forumd db without schema_migrations", "refuse", no_migrations)

    def newer(p):
        copy_base(p)
        c = sqlite3.connect(p, isolation_level=None)
        c.execute("PRAGMA user_version = 9999")
        c.close()
    variant("forumd db of a newer schema", "refuse", newer)

    def stale_foreign_wal(p):
        copy_base(p)
        scratch = p + ".foreign"
        c = foreign_db(scratch, wal=True, keep_open=True)
        shutil.copyfile(scratch + "-wal", p + "-wal")
        c.close()
        for s in ("", "-wal", "-shm"):
            if os.path.exists(scratch + s):
                os.unlink(scratch + s)
    variant("stale -wal of another app's db", "refuse", stale_foreign_wal)

    def stale_forum_wal(p):
        copy_base(p)
        shutil.copyfile(other + "-wal", p + "-wal")
    variant("stale -wal of another forum", "refuse-or-warn", stale_forum_wal,
            "the restored-backup-with-the-old-log mistake: SQLite cannot tell whose log a -wal is "
            "(howtocorrupt.html, mispaired journals); a forumd log replays onto another forumd file "
            "and PRAGMA quick_check still says ok, so only procedure prevents it (restore with forumd "
            "stopped and the old -wal/-shm removed)")

    rows = []
    refused_ok = 0
    for name, expect, make, note in variants:
        p = ctx.path("variant.db")
        make(p)
        before = snapshot(p)
        started, rc, err = try_start(ctx, p)
        after = snapshot(p)
        mig_rc, mig_err = (None, "")
        if not started:
            mig_rc, mig_err = migrate(ctx, p)
        after2 = snapshot(p)
        msg = " ".join(l for l in err.strip().splitlines() if "event=" not in l)[:300]
        if started:
            msg = ""
        changed = [k for k in before if before[k] != after2.get(k)]
        created = [k for k in after2 if k not in before]
        if expect == "refuse":
            ok = (not started and rc == 1 and mig_rc == 1 and not changed and msg.startswith("forumd:"))
            if ok:
                refused_ok += 1
            else:
                res.fail(f"{name}: started={started} exit={rc} migrate exit={mig_rc} changed={changed} "
                         f"message={msg or err.strip()[-200:]!r}")
        elif expect == "refuse-or-warn":
            ok = not started and rc == 1 and not changed
            if ok:
                refused_ok += 1
            else:
                res.warn(f"{name}: not detected: started={started} exit={rc}, files changed: {changed}")
        else:
            ok = started and rc == 0
            if not ok:
                res.fail(f"{name}: want a start, got exit {rc}: {msg!r}")
        outcome = ("started (new forum)" if expect == "start" else "STARTED") if started else f"refused, exit {rc}"
        same = "unchanged" if not changed else "CHANGED " + ",".join(changed)
        if expect == "start" and started:
            same, created = "initialised", []
        rows.append((name, outcome, same,
                     ("created " + ",".join(created)) if created else "", msg))
        if note:
            res.note(f"{name}: {note}")

    # chmod 000: root reads anything; as nobody the open must fail cleanly. A control run as nobody
    # on the same file with its permissions open must start, or the refusal proves nothing.
    d = ctx.path("chmod-dir")
    os.mkdir(d)
    p = os.path.join(d, "forum.db")
    copy_base(p)
    reachable = all(os.stat(a).st_mode & 0o001 for a in _parents(d))
    if os.geteuid() == 0 and shutil.which("setpriv") and reachable:
        os.chmod(d, 0o777)
        os.chmod(p, 0o666)
        c_started, c_rc, c_err = try_start(ctx, p, as_nobody=True)
        os.chmod(p, 0)
        before = snapshot(p)
        started, rc, err = try_start(ctx, p, as_nobody=True)
        after = snapshot(p)
        msg = " ".join(l for l in err.strip().splitlines() if "event=" not in l)[:240]
        ok = c_started and not started and rc == 1 and before == after
        res.expect(ok, f"chmod 000 as nobody: control run started={c_started} ({c_err.strip()[-160:]!r}); "
                       f"chmod 000: started={started} exit={rc} message={msg!r}")
        refused_ok += ok
        rows.append(("chmod 000 (run as nobody)", "started" if started else f"refused, exit {rc}",
                     "unchanged" if before == after else "CHANGED", "",
                     f"{msg} (as nobody with mode 666 it started: {c_started})"))
        os.chmod(p, 0o644)
    else:
        why = ("root ignores file permissions and setpriv is missing" if reachable else
               f"a folder above {d} is not open to other users")
        rows.append(("chmod 000", "skipped", "", "", why))

    # one page overwritten inside the posts: informational (runtime detection)
    p = ctx.path("page.db")
    copy_base(p)
    npages = os.path.getsize(p) // page
    with open(p, "r+b") as f:
        f.seek((npages // 2) * page)
        f.write(os.urandom(page))
    srv = Server(ctx, p, name="page-overwritten")
    try:
        srv.start()
        c = Http(srv.port)
        sts = {}
        for tid in threads + [1, 2]:
            for path in (f"/api/v1/threads/{tid}?limit=100", "/api/v1/search?q=consultation",
                         "/api/v1/objectives", "/healthz"):
                try:
                    st, _, _ = c.request("GET", path)
                except OSError as e:
                    st = type(e).__name__
                sts[st] = sts.get(st, 0) + 1
        alive = srv.alive()
        rc = srv.term()
        corrupt_lines = len(srv.log_lines(r"corrupt|malformed"))
        res.expect(alive and rc == 0, f"one page overwritten: the server crashed or did not stop cleanly (exit {rc})")
        rows.append(("one page overwritten (info)", "started: not detected at start",
                     "", "", f"reads answered {dict(sorted((str(k), v) for k, v in sts.items()))}, "
                             f"{corrupt_lines} 'malformed' log lines, exit {rc}"))
    except StartError as e:
        rows.append(("one page overwritten (info)", f"refused, exit {e.rc}", "", "", e.stderr[-200:]))

    res.fig("variants refused cleanly", f"{refused_ok} of {sum(1 for v in variants if v[1] != 'start') + 1}")
    for name, outcome, same, created, msg in rows:
        res.fig(name, f"{outcome}; {same}{'; ' + created if created else ''}" + (f" -- {msg}" if msg else ""))
    res.summary = (f"{refused_ok} of {sum(1 for v in variants if v[1] != 'start') + 1} variants refused, files "
                   f"untouched; empty file initialised"
                   + (f"; not detected: {', '.join(w.split(':')[0] for w in res.warnings)}" if res.warnings else ""))
    return res
