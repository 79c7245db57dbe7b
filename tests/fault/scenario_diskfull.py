"""Disk full (research F3), on a size-limited tmpfs (8 MiB) holding the database.

A forum is made on the small file system, the server started, a filler file takes all but ~1.5 MB,
then writers post 20 KB bodies until the writes fail. While the disk is full: writes must get a
clean answer (507 insufficient_storage, or 503), never a 500 or a dropped connection, and fast;
reads must go on. Then the filler is removed and, without a restart, writing must resume. At the
end: every acknowledged post is stored, none of the refused ones is (no partial posts),
integrity_check and the FTS index check pass, SIGTERM exits 0. The mount is always removed.
"""

import os
import subprocess
import time

from common import (Readers, Result, Server, Writers, file_size, fmt_ms, integrity, now, pct, random_tag,
                    setup_forum, status_counts, stored_posts)

NAME = "diskfull"
_mounts = []
_servers = []


def cleanup():
    for s in _servers:
        s.ensure_stopped()
    _servers.clear()
    while _mounts:
        m = _mounts.pop()
        if subprocess.run(["umount", m], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", m], capture_output=True)


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def run(ctx):
    res = Result(NAME, "tests/fault/run.py --only diskfull   (as root: mount -t tmpfs -o size=8m)")
    if os.geteuid() != 0:
        res.skip("needs root to mount a size-limited tmpfs")
        return res
    mnt = ctx.path("diskfull-mnt")
    os.mkdir(mnt)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", mnt], capture_output=True,
                       text=True)
    if p.returncode != 0:
        res.skip(f"mount -t tmpfs failed: {p.stderr.strip()}")
        return res
    _mounts.append(mnt)
    try:
        return _run(ctx, res, mnt)
    finally:
        cleanup()


def _run(ctx, res, mnt):
    db = os.path.join(mnt, "forum.db")
    token, threads = setup_forum(ctx, db, "diskfull-setup", threads=2)
    srv = Server(ctx, db, name="diskfull")
    _servers.append(srv)
    srv.start()
    filler = os.path.join(mnt, "filler")
    keep = 1_500_000
    with open(filler, "wb") as f:
        n = max(0, free_bytes(mnt) - keep)
        chunk = b"\0" * (1 << 20)
        while n > 0:
            f.write(chunk[: min(n, len(chunk))])
            n -= min(n, len(chunk))
    res.fig("file system", f"tmpfs 8 MiB; {free_bytes(mnt) / 1e6:.1f} MB left after the filler")

    tag = random_tag("d")
    paths = [("thread", f"/api/v1/threads/{threads[0]}"), ("objectives", "/api/v1/objectives"),
             ("me", "/api/v1/me"), ("search", "/api/v1/search?q=consultation"), ("healthz", "/healthz"),
             ("thread2", f"/api/v1/threads/{threads[1]}?limit=5")]
    rd = Readers(srv.port, token, paths, 2, rate=100).start()
    t_start = now()
    # 4 writers x 20 posts/s x 10 KB (~30 KB stored with rendering and index): the 1.5 MB left fill in
    # about a second, and the 6.5 MB freed later are not filled again before the end
    w = Writers(srv.port, token, threads, 4, tag, body_chars=10000, on_error="retry", pause=0.05,
                timeout=30, rate=20).start()
    # until the disk is full: 10 refused writes in a row (at most 30 s)
    t_full = None
    while now() - t_start < 30:
        reqs = w.snapshot()
        done = [q for q in reqs if q.t1 is not None or q.error]
        if len(done) >= 10 and all(q.status not in (201,) for q in done[-10:]):
            t_full = min((q.t0 for q in reqs if q.status is not None and q.status != 201), default=now())
            break
        time.sleep(0.05)
    if t_full is None:
        res.fail(f"the writes never failed in 30 s: {status_counts(w.snapshot())}")
    time.sleep(3 if ctx.quick else 10)  # the full condition, with reads and writes going on
    t_free = now()
    os.unlink(filler)
    t_resumed = None
    while now() - t_free < 20:
        ok = [q for q in w.snapshot() if q.status == 201 and q.t0 >= t_free]
        if ok:
            t_resumed = min(q.t1 for q in ok)
            break
        time.sleep(0.02)
    time.sleep(1.0)
    w.stop()
    rd.stop()
    reqs = w.snapshot()
    reads = rd.snapshot()
    alive = srv.alive()

    full_w = [q for q in reqs if t_full and t_full <= q.t0 < t_free]
    failed = [q for q in reqs if q.status is not None and q.status != 201]
    no_answer = [q for q in reqs if q.status is None]
    s500 = [q for q in reqs if q.status is not None and q.status >= 500 and q.status not in (503, 507)]
    res.fig("writes before full", sum(1 for q in reqs if q.status == 201 and (t_full is None or q.t0 < t_full)))
    res.fig("writes while full: answers", status_counts(full_w))
    fl = [q.latency for q in failed if q.latency is not None]
    res.fig("refused write latency p50 / p99 / max", f"{fmt_ms(pct(fl, 50))} / {fmt_ms(pct(fl, 99))} / "
            f"{fmt_ms(max(fl) if fl else None)}")
    res.fig("error codes", sorted(set((q.status, q.error) for q in failed)))
    res.expect(not s500, f"{len(s500)} writes got a 5xx other than 503/507: {status_counts(s500)}; "
               f"log: {srv.log_lines('error')[-3:]}")
    res.expect(not no_answer, f"{len(no_answer)} writes got no answer: {status_counts(no_answer)}")
    res.expect(all(q.status in (503, 507) for q in failed), f"refused writes: {status_counts(failed)}")
    if fl:
        res.expect(pct(fl, 99) < 1.0, f"refused writes took p99 {fmt_ms(pct(fl, 99))} (want < 1 s)")
    full_r = [q for q in reads if t_full and t_full <= q.t0 < t_free]
    ok_r = [q for q in full_r if q.status == 200]
    lat = [q.latency for q in full_r if q.latency is not None]
    res.fig("reads while full: ok", f"{len(ok_r)} of {len(full_r)} ({100.0 * len(ok_r) / max(1, len(full_r)):.1f}%)")
    res.fig("reads while full p50 / p99", f"{fmt_ms(pct(lat, 50))} / {fmt_ms(pct(lat, 99))}")
    res.expect(full_r and len(ok_r) == len(full_r),
               f"reads while full: {status_counts(full_r)} "
               f"({ {k: status_counts([q for q in full_r if q.kind == k]) for k, _ in paths} })")
    res.expect(t_resumed is not None, "writes did not resume within 20 s of freeing space")
    res.fig("writes resumed after freeing space", fmt_ms(None if t_resumed is None else t_resumed - t_free))
    res.fig("writes after freeing", status_counts([q for q in reqs if q.t0 >= t_free]))
    res.expect(alive, "the server died")

    stored = stored_posts(db, tag)
    acked = [q for q in reqs if q.status == 201]
    lost = [q for q in acked if q.token not in stored]
    partial = [q for q in failed if q.token in stored]
    res.fig("acknowledged / lost / refused-but-stored", f"{len(acked)} / {len(lost)} / {len(partial)}")
    res.expect(not lost, f"{len(lost)} acknowledged posts are missing")
    res.expect(not partial, f"{len(partial)} refused posts were stored anyway")
    full_lines = srv.log_lines(r"db\.full|SQLITE_FULL|database or disk is full")
    other_err = [l for l in srv.log_lines(r" error ") if "db.full" not in l]
    res.fig("log lines: db.full / other errors", f"{len(full_lines)} / {len(other_err)} "
            f"(for {len(failed)} refused writes)")
    if other_err:
        res.note("other error lines: " + " | ".join(sorted(set(l.split(" ", 2)[-1][:140] for l in other_err))[:4]))
    rc = srv.term()
    res.expect(rc == 0, f"SIGTERM after the episode: exit {rc}; {srv.log_tail(3)}")
    ic, fk, fts = integrity(db, fts=True)
    res.fig("integrity / FTS after", f"{ic} / {fts}")
    res.expect(ic == "ok" and not fk and fts == "ok", f"integrity {ic!r} fk {fk[:3]} fts {fts!r}")
    res.fig("database / -wal size", f"{(file_size(db) or 0) / 1e6:.1f} MB / {(file_size(db + '-wal') or 0) / 1e6:.1f} MB")
    res.summary = (f"writes while full {status_counts(full_w)}, reads ok {len(ok_r)}/{len(full_r)}, "
                   f"resumed {fmt_ms(None if t_resumed is None else t_resumed - t_free)} after freeing, lost {len(lost)}")
    return res
