"""`forumd backup` under write load (research F11).

A forum is filled to ~60 MB (full mode: ~300 MB), then 8 writers post 25/s each (200/s) while
`forumd backup --db X --to Y` runs. Expected: the backup passes integrity_check, foreign_key_check
and the FTS index check, is a consistent snapshot (thread post counts match their posts), holds
every post acknowledged before the backup started, and a forumd started on it serves it; writers
are not stalled (reported: write latency before and during the backup, the longest gap between
two acknowledgements during it, and the backup's duration).
"""

import os
import shutil
import sqlite3
import subprocess
import time

from common import (Http, Result, Server, Writers, file_size, fmt_ms, integrity, now, pct, random_tag,
                    setup_forum, status_counts, stored_posts, thread_counts_consistent)

NAME = "backup"


def run(ctx):
    res = Result(NAME, "tests/fault/run.py --only backup")
    db = ctx.path("backup.db")
    out = ctx.path("backup-copy.db")
    token, threads = setup_forum(ctx, db, "backup-setup", threads=8)
    srv = Server(ctx, db, name="backup").start()
    # a post of 6,000 characters takes ~15 KB with its rendering and index entries
    target_posts = (60e6 if ctx.quick else 300e6) / 15e3
    fill = Writers(srv.port, token, threads, 8, random_tag("f"), body_chars=6000, on_error="retry").start()
    t0 = now()
    while now() - t0 < (15 if ctx.quick else 90):
        if sum(1 for q in fill.snapshot() if q.status == 201) >= target_posts:
            break
        time.sleep(0.2)
    fill.stop()
    time.sleep(0.5)
    tag = random_tag("b")
    w = Writers(srv.port, token, threads, 8, tag, body_chars=600, on_error="retry", rate=25).start()
    time.sleep(2.0)
    t_b0 = now()
    p = subprocess.run([ctx.forumd, "backup", "--db", db, "--to", out], capture_output=True, text=True, timeout=300)
    t_b1 = now()
    time.sleep(1.5)
    w.stop()
    reqs = w.snapshot()
    res.fig("database size (file + -wal)", f"{(file_size(db) or 0) / 1e6:.1f} MB + {(file_size(db + '-wal') or 0) / 1e6:.1f} MB")
    res.fig("backup duration", fmt_ms(t_b1 - t_b0))
    res.expect(p.returncode == 0, f"forumd backup: exit {p.returncode}: {p.stderr.strip()}")
    if p.returncode != 0:
        srv.term()
        return res
    res.fig("backup size", f"{(file_size(out) or 0) / 1e6:.1f} MB")
    leftovers = [f for f in os.listdir(os.path.dirname(out)) if ".tmp-" in f]
    res.expect(not leftovers, f"temporary files left: {leftovers}")

    before = [q for q in reqs if q.t0 < t_b0 - 0.05 and q.t1 is not None and q.t1 < t_b0]
    during = [q for q in reqs if q.t0 >= t_b0 and q.t0 < t_b1]
    spanning = [q for q in reqs if q.t1 is not None and q.t0 < t_b1 and q.t1 > t_b0]
    lb = [q.latency for q in before if q.latency is not None]
    ld = [q.latency for q in spanning if q.latency is not None]
    res.fig("writes before: p50 / p99 / max", f"{fmt_ms(pct(lb, 50))} / {fmt_ms(pct(lb, 99))} / {fmt_ms(max(lb) if lb else None)}")
    res.fig("writes during the backup: p50 / p99 / max",
            f"{fmt_ms(pct(ld, 50))} / {fmt_ms(pct(ld, 99))} / {fmt_ms(max(ld) if ld else None)} ({len(spanning)} writes)")
    acks = sorted(q.t1 for q in reqs if q.status == 201 and t_b0 <= q.t1 <= t_b1)
    gaps = [b - a for a, b in zip([t_b0] + acks, acks + [t_b1])]
    res.fig("longest gap between acknowledgements during the backup", fmt_ms(max(gaps) if gaps else None))
    res.fig("write answers", status_counts(reqs))
    res.expect(all(q.status == 201 for q in reqs), f"writes not all 201: {status_counts(reqs)}")
    if ld and max(ld) > 0.05:
        res.warn(f"a write took {fmt_ms(max(ld))} during the backup (target: no stall over 50 ms)")

    # the copy
    ic, fk, fts = integrity(out, fts=True)
    res.fig("backup integrity / FTS", f"{ic} / {fts}")
    res.expect(ic == "ok" and not fk and fts == "ok", f"backup: integrity {ic!r} fk {fk[:3]} fts {fts!r}")
    c = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    jm = c.execute("PRAGMA journal_mode").fetchone()[0]
    c.close()
    res.fig("backup journal mode", jm)
    bad = thread_counts_consistent(out)
    res.expect(not bad, f"backup: threads whose post_count disagrees with their posts {bad[:5]}")
    stored = stored_posts(out, tag)
    acked_before = [q for q in reqs if q.status == 201 and q.t1 < t_b0]
    missing = [q for q in acked_before if q.token not in stored]
    after = [q for q in reqs if q.status == 201 and q.t0 > t_b1]
    in_after = [q for q in after if q.token in stored]
    res.fig("posts acknowledged before the backup started, in it", f"{len(acked_before) - len(missing)} of {len(acked_before)}")
    res.fig("posts written during the backup, in it", f"{sum(1 for q in reqs if q.status == 201 and t_b0 <= q.t0 <= t_b1 and q.token in stored)}"
            f" of {sum(1 for q in reqs if q.status == 201 and t_b0 <= q.t0 <= t_b1)}")
    res.expect(not missing, f"{len(missing)} posts acknowledged before the backup are not in it")
    res.expect(not in_after, f"{len(in_after)} posts sent after the backup ended are in it")
    rc = srv.term()
    res.expect(rc == 0, f"server exit {rc}")

    # restore: a forumd on (a copy of) the backup serves it
    restored = ctx.path("restored.db")
    shutil.copyfile(out, restored)
    srv2 = Server(ctx, restored, name="restored").start()
    c = Http(srv2.port)
    st, body = c.json("GET", f"/api/v1/threads/{threads[0]}?limit=1")
    c.close()
    rc2 = srv2.term()
    ok = st == 200 and rc2 == 0
    res.fig("restore (forumd on the copy)", f"GET thread {st}, start {fmt_ms(srv2.startup_s)}, exit {rc2}")
    res.expect(ok, f"restore: GET {st}, exit {rc2}: {srv2.log_tail(3)}")
    res.summary = (f"{(file_size(db) or 0) / 1e6:.0f} MB in {fmt_ms(t_b1 - t_b0)}, {len(acked_before) - len(missing)}/"
                   f"{len(acked_before)} earlier posts in it, integrity {ic}, write max {fmt_ms(max(ld) if ld else None)}")
    return res
