"""The database locked by another process for 10 s (research F4).

A separate python3 process opens the database and holds BEGIN IMMEDIATE (full mode: then also
BEGIN EXCLUSIVE, which in WAL mode locks the same way) for 10 s, while 32 writers post 3/s each
and 4 readers read (a thread page, the objectives, GET /me with a token, i.e. a database
read on the event loop, a search on a query worker, /healthz) as fast as they are answered.
Expected: writes wait (busy_timeout, 5 s) and then get 503 unavailable with Retry-After, or
succeed once the lock is gone; never a 500 or a dropped connection; reads keep their latency
(the event loop is not blocked); writing recovers at once when the lock is released; every
acknowledged post is stored.
"""

import subprocess
import sys
import time

from common import (Readers, Result, Server, Writers, fmt_ms, integrity, now, pct, random_tag, setup_forum,
                    status_counts, stored_posts)

NAME = "locked"
HOLD = 10.0

LOCKER = r"""
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN " + sys.argv[2])
print("locked", flush=True)
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
print("released", flush=True)
"""


def one(ctx, res, mode, db, token, threads, label):
    srv = Server(ctx, db, name=f"locked-{mode.lower()}").start()
    tag = random_tag("l")
    paths = [("thread", f"/api/v1/threads/{threads[0]}"), ("objectives", "/api/v1/objectives"),
             ("me", "/api/v1/me"), ("search", "/api/v1/search?q=consultation"), ("healthz", "/healthz"),
             ("thread-page", f"/api/v1/threads/{threads[1]}?limit=50")]
    rd = Readers(srv.port, token, paths, 4).start()
    w = Writers(srv.port, token, threads, 32, tag, body_chars=400, on_error="retry", rate=3, timeout=60).start()
    time.sleep(2.0)
    t_base = now()
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, db, mode, str(HOLD)], stdout=subprocess.PIPE,
                              text=True)
    line = locker.stdout.readline().strip()
    t_lock = now()
    if line != "locked":
        res.fail(f"{label}: the locking process said {line!r}")
    line = locker.stdout.readline().strip()
    t_release = now()
    locker.wait()
    # after the release: until every writer has had an answer to a request sent after it, then 2 s
    deadline = t_release + 30
    while now() < deadline:
        after = [q for q in w.snapshot() if q.t0 >= t_release and q.status == 201]
        if len(set(q.who for q in after)) == w.n:
            break
        time.sleep(0.05)
    time.sleep(2.0)
    w.stop()
    rd.stop()
    reqs, reads = w.snapshot(), rd.snapshot()

    base_r = [q for q in reads if q.t0 < t_lock and q.t0 >= t_base - 2.0]
    lock_r = [q for q in reads if t_lock <= q.t0 < t_release]
    lock_w = [q for q in reqs if t_lock <= q.t0 < t_release]
    bad_r = [q for q in lock_r if q.status != 200]
    lat_b = [q.latency for q in base_r if q.latency is not None]
    lat_l = [q.latency for q in lock_r if q.latency is not None]
    wl = [q.latency for q in lock_w if q.latency is not None]
    s503 = [q for q in reqs if q.status == 503]
    no_ra = [q for q in s503 if not q.retry_after]
    other = [q for q in reqs if q.status not in (201, 503)]
    first_ok = min((q.t1 for q in reqs if q.status == 201 and q.t1 >= t_release), default=None)
    stored = stored_posts(db, tag)
    acked = [q for q in reqs if q.status == 201]
    lost = [q for q in acked if q.token not in stored]
    refused_stored = [q for q in s503 if q.token in stored]

    p = f"{label}: "
    res.fig(p + "writes during the lock", status_counts(lock_w))
    res.fig(p + "503 with Retry-After", f"{len(s503) - len(no_ra)} of {len(s503)}")
    res.fig(p + "write latency during the lock p50 / max", f"{fmt_ms(pct(wl, 50))} / {fmt_ms(max(wl) if wl else None)}")
    res.fig(p + "reads before: p50 / p99", f"{fmt_ms(pct(lat_b, 50))} / {fmt_ms(pct(lat_b, 99))} ({len(base_r)})")
    res.fig(p + "reads during the lock: ok, p50 / p99 / max",
            f"{len(lock_r) - len(bad_r)} of {len(lock_r)}, {fmt_ms(pct(lat_l, 50))} / {fmt_ms(pct(lat_l, 99))} / "
            f"{fmt_ms(max(lat_l) if lat_l else None)}")
    per_kind = {}
    for k, _ in paths:
        lk = [q.latency for q in lock_r if q.kind == k and q.latency is not None]
        per_kind[k] = fmt_ms(pct(lk, 99))
    res.fig(p + "read p99 during the lock by kind", per_kind)
    res.fig(p + "first write answered 201 after the release", fmt_ms(None if first_ok is None else first_ok - t_release))
    res.fig(p + "acknowledged / lost / 503-but-stored", f"{len(acked)} / {len(lost)} / {len(refused_stored)}")
    res.expect(not bad_r, p + f"reads failed during the lock: {status_counts(bad_r)}")
    res.expect(not other, p + f"writes answered other than 201/503: {status_counts(other)}")
    res.expect(not no_ra, p + f"{len(no_ra)} 503 answers without Retry-After")
    res.expect(s503 or not lock_w, p + "no write waited long enough to get a 503 (was the lock held?)")
    res.expect(first_ok is not None and first_ok - t_release < 1.0,
               p + f"writing did not recover within 1 s of the release")
    res.expect(not lost, p + f"{len(lost)} acknowledged posts lost")
    res.expect(not refused_stored, p + f"{len(refused_stored)} posts answered 503 were stored")
    if lat_l and pct(lat_l, 99) > 0.1:
        res.warn(p + f"read p99 during the lock {fmt_ms(pct(lat_l, 99))} (target <= 100 ms)")
    errs = srv.log_lines(r" error ")
    kinds = sorted(set(l.split(" ", 3)[-1][:100] for l in errs))
    res.fig(p + "error log lines", f"{len(errs)}" + (f": {' | '.join(kinds[:3])}" if kinds else ""))
    rc = srv.term()
    res.expect(rc == 0, p + f"SIGTERM: exit {rc}")
    res.summary = ((res.summary + "; ") if res.summary else "") + (
        f"{label}: writes {status_counts(lock_w)}, reads ok {len(lock_r) - len(bad_r)}/{len(lock_r)} p99 "
        f"{fmt_ms(pct(lat_l, 99))}, recovered {fmt_ms(None if first_ok is None else first_ok - t_release)}")


def run(ctx):
    res = Result(NAME, "tests/fault/run.py --only locked")
    db = ctx.path("locked.db")
    token, threads = setup_forum(ctx, db, "locked-setup", threads=2)
    modes = ["IMMEDIATE"] if ctx.quick else ["IMMEDIATE", "EXCLUSIVE"]
    for m in modes:
        one(ctx, res, m, db, token, threads, f"BEGIN {m}")
    ic, fk, _ = integrity(db)
    res.expect(ic == "ok" and not fk, f"integrity {ic!r} fk {fk[:3]}")
    res.fig("integrity after", ic)
    return res
