"""SIGTERM under load (research F6).

16 writers and 8 readers on keep-alive connections, 8 writers opening a new connection per
request, and 4 slow uploads (headers sent, then the body in pieces over 2 s, so that the signal
arrives in the middle of each body), then SIGTERM. Load goes on until the server has exited.
Expected: exit status 0; every request the server took is answered (a POST stored without an
answer would be a lost acknowledgement); no 500; new connections refused once the listener is
closed; the -wal is checkpointed away; every acknowledged post stored, integrity ok.
A slow upload whose headers arrived before the signal is reported: it is cut (no answer) if the
server stops once the requests it has fully read are done.
"""

import json
import socket
import threading
import time

from common import (Readers, Result, Server, Writers, file_size, fmt_ms, integrity, now, random_tag,
                    setup_forum, status_counts, stored_posts)

NAME = "sigterm"


class SlowUpload(threading.Thread):
    def __init__(self, port, token, thread_id, tag, i, start_at, duration):
        super().__init__(daemon=True)
        self.port, self.token, self.thread_id = port, token, thread_id
        self.text = f"Fault test post fp{tag}w{900 + i}s1: a slow upload. " + "Slowly sent text. " * 200
        self.token_word = f"fp{tag}w{900 + i}s1"
        self.start_at, self.duration = start_at, duration
        self.status = None
        self.error = None
        self.t_headers = self.t_done = self.t_answer = None

    def run(self):
        body = json.dumps({"body": self.text}).encode()
        head = (f"POST /api/v1/threads/{self.thread_id}/posts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        try:
            delay = self.start_at - now()
            if delay > 0:
                time.sleep(delay)
            s = socket.create_connection(("127.0.0.1", self.port), timeout=20)
            s.sendall(head)
            self.t_headers = now()
            pieces = 10
            step = len(body) // pieces + 1
            for k in range(0, len(body), step):
                s.sendall(body[k:k + step])
                time.sleep(self.duration / pieces)
            self.t_done = now()
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            self.t_answer = now()
            if data.startswith(b"HTTP/1.1 "):
                self.status = int(data[9:12])
            else:
                self.error = "closed without an answer"
            s.close()
        except OSError as e:
            self.error = type(e).__name__


def run(ctx):
    res = Result(NAME, "tests/fault/run.py --only sigterm")
    db = ctx.path("sigterm.db")
    token, threads = setup_forum(ctx, db, "sigterm-setup", threads=4)
    srv = Server(ctx, db, name="sigterm").start()
    tag = random_tag("s")
    w_keep = Writers(srv.port, token, threads, 16, tag, body_chars=600, on_error="retry", pause=0.02,
                     timeout=20).start()
    w_new = Writers(srv.port, token, threads, 8, tag + "n", body_chars=600, on_error="retry", pause=0.02,
                    timeout=20, fresh_connection=True).start()
    rd = Readers(srv.port, token, [("thread", f"/api/v1/threads/{threads[0]}"), ("me", "/api/v1/me"),
                                   ("objectives", "/api/v1/objectives")], 8).start()
    t_sig_plan = now() + 2.0
    slow = [SlowUpload(srv.port, token, threads[0], tag, i, t_sig_plan - 1.0, 2.0) for i in range(4)]
    for s in slow:
        s.start()
    time.sleep(max(0.0, t_sig_plan - now()))
    t_sig = now()
    srv.proc.send_signal(15)
    try:
        rc = srv.proc.wait(30)
    except Exception:
        rc = None
        srv.ensure_stopped()
    t_exit = now()
    srv.rc = rc
    time.sleep(0.3)
    for x in (w_keep, w_new):
        x.stop(25)
    rd.stop()
    for s in slow:
        s.join(25)
    writes = w_keep.snapshot() + w_new.snapshot()
    reads = rd.snapshot()
    res.fig("exit status", rc)
    res.fig("drain time (signal to exit)", fmt_ms(t_exit - t_sig))
    res.expect(rc == 0, f"exit status {rc}; {srv.log_tail(4)}")

    before = [q for q in writes + reads if q.t0 < t_sig]
    answered_before = [q for q in before if q.status is not None]
    unanswered_before = [q for q in before if q.status is None]
    during = [q for q in writes + reads if t_sig <= q.t0 < t_exit]
    res.fig("requests sent before the signal", f"{len(before)} ({len(answered_before)} answered)")
    res.fig("requests sent before the signal, no answer", status_counts(unanswered_before))
    res.fig("requests sent during the drain", status_counts(during))
    lat = [q.t1 - t_sig for q in writes + reads if q.t1 is not None and q.t0 < t_sig <= q.t1]
    res.fig("in flight at the signal, answered after it", f"{len(lat)}, last {fmt_ms(max(lat) if lat else None)} after")
    s5xx = [q for q in writes + reads if q.status is not None and q.status >= 500]
    res.expect(not [q for q in s5xx if q.status != 503], f"5xx answers: {status_counts(s5xx)}")
    early503 = [q for q in s5xx if q.t0 < t_sig]
    if early503:
        res.warn(f"{len(early503)} requests sent before the signal were answered 503")

    stored = {}
    stored.update(stored_posts(db, tag))
    stored.update(stored_posts(db, tag + "n"))
    acked = [q for q in writes if q.status == 201]
    lost = [q for q in acked if q.token not in stored]
    silent = [q for q in writes if q.status is None and q.token in stored]
    res.fig("acknowledged / lost", f"{len(acked)} / {len(lost)}")
    res.fig("stored but never answered (must be 0)", len(silent))
    res.expect(not lost, f"{len(lost)} acknowledged posts lost")
    res.expect(not silent, f"{len(silent)} posts were stored but their request got no answer: "
               f"{[(q.token, q.error, round(q.t0 - t_sig, 3)) for q in silent[:5]]}")
    # A request sent just before the signal may still be in the kernel (a new connection in the
    # listen backlog, bytes not yet read): the server never took it. One sent well before was taken.
    taken = [q for q in unanswered_before if t_sig - q.t0 > 0.05]
    if unanswered_before:
        res.note(f"{len(unanswered_before)} requests sent 0-{max(t_sig - q.t0 for q in unanswered_before) * 1000:.1f}"
                 f" ms before the signal got no answer and were not stored: {status_counts(unanswered_before)}")
    if taken:
        res.warn(f"{len(taken)} requests sent more than 50 ms before the signal got no answer: {status_counts(taken)}")

    slow_stored = stored_posts(db, tag)
    slow_res = []
    for s in slow:
        st = s.status if s.status is not None else s.error
        slow_res.append(f"{st}{' (stored)' if s.token_word in slow_stored else ''}")
    res.fig("slow uploads (headers before the signal, body after)", slow_res)
    cut = [s for s in slow if s.status is None]
    if cut:
        res.warn(f"{len(cut)} of {len(slow)} slow uploads whose headers arrived before SIGTERM were cut "
                 f"without an answer (the drain waits only for fully read requests)")
    slow_bad = [s for s in slow if s.status is not None and s.status != 201]
    res.expect(not [s for s in slow_bad if s.status >= 500 and s.status != 503], f"slow uploads: {slow_res}")

    res.fig("-wal after exit", file_size(db + "-wal"))
    stop_lines = srv.log_lines("event=stopped|deadline")
    res.fig("stop log line", stop_lines[-1].split("info ", 1)[-1] if stop_lines else "none")
    ic, fk, fts = integrity(db, fts=True)
    res.fig("integrity / FTS", f"{ic} / {fts}")
    res.expect(ic == "ok" and not fk and fts == "ok", f"integrity {ic!r} fk {fk[:3]} fts {fts!r}")
    res.summary = (f"exit {rc}, drain {fmt_ms(t_exit - t_sig)}, acknowledged {len(acked)} lost {len(lost)}, "
                   f"stored-unanswered {len(silent)}, slow uploads {slow_res}")
    return res
