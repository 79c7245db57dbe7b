"""kill -9 during a burst of concurrent writes, repeated (research F1).

Each round (odd ones with synchronous=FULL, even ones NORMAL): start forumd on the same database
(timed: that start includes the recovery of the write-ahead log the previous kill left), run 32
writers posting unique bodies, kill -9 the server after a random 0.3-1.5 s (quick) or 0.5-4 s
(full) of writing, then read the database as the kill
left it (read-only, before any restart): PRAGMA integrity_check and foreign_key_check, every
acknowledged post (201 received) must be there with its exact body, and requests that got no
answer are "in doubt": stored or not, either is allowed, but a stored one must be complete (body,
rendering, search index entry). At the end, FTS5's own integrity-check on the final database.
"""

import os
import random
import time

from common import (Result, Server, Writers, file_size, fmt_ms, fts_count, integrity, pct, random_tag,
                    setup_forum, stored_posts, thread_counts_consistent)

NAME = "kill9"
WRITERS = 32
EPOCH = 10
SETTLE = 0.5


def final_checks(ctx, res, db, recoveries):
    """One more start (the last kill's log is recovered) and a clean stop, then every check."""
    srv = Server(ctx, db, name="kill9-final").start()
    recoveries.append(srv.startup_s)
    rc = srv.term()
    res.expect(rc == 0, f"final server exit {rc}: {srv.log_tail()}")
    bad_counts = thread_counts_consistent(db)
    res.expect(not bad_counts, f"threads whose post_count disagrees with their posts: {bad_counts[:5]}")
    ic, fk, fts = integrity(db, fts=True)
    res.expect(ic == "ok" and not fk and fts == "ok", f"final checks: integrity {ic!r}, fk {fk[:3]}, fts {fts!r}")
    return ic, fts


def run(ctx):
    rounds = ctx.rounds or (5 if ctx.quick else 30)
    res = Result(NAME, f"tests/fault/run.py --only kill9 --rounds {rounds}")
    # a new forum every EPOCH rounds: integrity_check reads the database and its log every round,
    # and both grow (the log is never checkpointed to its end while 32 writers keep appending:
    # README, known limits)
    db = token = threads = None
    tot = dict(acked=0, lost=0, in_doubt=0, no_answer=0, refused=0, incomplete=0)
    recoveries, wal_sizes, ic_fail = [], [], 0  # recoveries: starts after a kill
    lo, hi = (0.3, 1.5) if ctx.quick else (0.5, 4.0)
    per_sync = {}
    sizes = []
    for rnd in range(1, rounds + 1):
        if (rnd - 1) % EPOCH == 0:
            if db:
                final_checks(ctx, res, db, recoveries)
                sizes.append(file_size(db) or 0)
                for suffix in ("", "-wal", "-shm"):  # a log can reach 1 GB: free the space
                    if os.path.exists(db + suffix):
                        os.unlink(db + suffix)
            db = ctx.path("kill9.db")
            token, threads = setup_forum(ctx, db, "kill9-setup", threads=4)
        # odd rounds synchronous=FULL (the default), even ones NORMAL: a process crash loses
        # nothing acknowledged under either (only a power cut tells them apart)
        sync = "normal" if ctx.has_synchronous and rnd % 2 == 0 else "full"
        srv = Server(ctx, db, ["--synchronous", sync] if ctx.has_synchronous else [], name=f"kill9-r{rnd}-{sync}")
        srv.start()
        if (rnd - 1) % EPOCH != 0:
            recoveries.append(srv.startup_s)
        # a moment without writers, in which the background checkpoint can copy the recovered log
        # into the database; without it the log only grows from round to round
        time.sleep(SETTLE)
        tag = random_tag("k")
        w = Writers(srv.port, token, threads, WRITERS, tag, body_chars=random.randint(200, 1500),
                    on_error="stop", timeout=30).start()
        w.first_ack.wait(10)
        time.sleep(random.uniform(lo, hi))
        wal_sizes.append(file_size(db + "-wal") or 0)
        srv.kill9()
        w.stop()
        reqs = w.snapshot()
        # The database as the kill left it: no server, read-only.
        stored = stored_posts(db, tag)
        ic, fk, _ = integrity(db)
        if ic != "ok" or fk:
            ic_fail += 1
            res.fail(f"round {rnd}: integrity_check {ic!r}, foreign_key_check {fk[:5]}")
        acked = [q for q in reqs if q.status == 201]
        refused = [q for q in reqs if q.status is not None and q.status != 201]
        unanswered = [q for q in reqs if q.status is None]
        lost = [q for q in acked if q.token not in stored or stored[q.token][0] != q.post_id]
        in_doubt = [q for q in unanswered if q.token in stored]
        incomplete = []
        for q in acked + in_doubt:
            s = stored.get(q.token)
            if not s:
                continue
            _, body, html, _ = s
            text = w.body(q.who, q.seq)[1]
            if body != text or not html:
                incomplete.append(q.token)
        # every stored post of this round is in the search index, exactly once
        indexed = sum(fts_count(db, tok) for tok in list(stored)[:50])
        if indexed != min(len(stored), 50):
            res.fail(f"round {rnd}: {min(len(stored), 50)} stored posts sampled, {indexed} in the search index")
        ps = per_sync.setdefault(sync, [0, 0, 0, 0])
        ps[0] += 1
        ps[1] += len(acked)
        ps[2] += len(lost)
        ps[3] += len(in_doubt)
        tot["acked"] += len(acked)
        tot["lost"] += len(lost)
        tot["in_doubt"] += len(in_doubt)
        tot["no_answer"] += len(unanswered)
        tot["refused"] += len(refused)
        tot["incomplete"] += len(incomplete)
        if lost:
            res.fail(f"round {rnd}: {len(lost)} acknowledged posts lost, e.g. {[(q.token, q.post_id) for q in lost[:3]]}")
        if incomplete:
            res.fail(f"round {rnd}: incomplete stored posts {incomplete[:3]}")
        if refused:
            res.warn(f"round {rnd}: {len(refused)} writes refused before the kill: "
                     f"{sorted(set((q.status, q.error) for q in refused))[:4]}")
        ctx.log(f"round {rnd} ({sync}): acked {len(acked)} in-doubt {len(in_doubt)} of {len(unanswered)} unanswered, "
                f"wal {wal_sizes[-1]} B, restart {srv.startup_s * 1000:.0f} ms, integrity {ic}")
    ic, fts = final_checks(ctx, res, db, recoveries)
    sizes.append(file_size(db) or 0)
    res.fig("rounds", rounds)
    res.fig("writers", WRITERS)
    res.fig("acknowledged posts", tot["acked"])
    res.fig("lost (must be 0)", tot["lost"])
    res.fig("in doubt (stored, no answer)", tot["in_doubt"])
    res.fig("unanswered, not stored", tot["no_answer"] - tot["in_doubt"])
    res.fig("refused (non-201)", tot["refused"])
    for sync, (n, a, l, d) in sorted(per_sync.items()):
        res.fig(f"synchronous={sync.upper()}: rounds / acknowledged / lost / in doubt", f"{n} / {a} / {l} / {d}")
    res.fig("integrity failures", ic_fail)
    res.fig("final integrity / FTS check", f"{ic} / {fts}")
    res.fig("WAL at kill, max", f"{max(wal_sizes) / 1e6:.1f} MB")
    res.fig("restart after a kill (recovery) p50 / max",
            f"{fmt_ms(pct(recoveries, 50))} / {fmt_ms(max(recoveries) if recoveries else None)}")
    res.fig("database size at the end", f"{max(sizes) / 1e6:.1f} MB"
            + (f" (a new forum every {EPOCH} rounds)" if rounds > EPOCH else ""))
    res.summary = (f"{rounds} rounds, {tot['acked']} acknowledged, lost {tot['lost']}, in doubt {tot['in_doubt']}, "
                   f"integrity failures {ic_fail}")
    return res
