"""Shared pieces of the fault tests (Python 3.11 standard library only).

- Ctx: the forumd binary, the web folder, a scratch folder, the mode (quick or full) and the serve
  options that switch the abuse limits off (only those this forumd accepts).
- Server: one forumd on 127.0.0.1:0 with its log in a file; start (timed), SIGTERM, kill -9.
- Http: a keep-alive HTTP/1.1 client on one connection (one per thread).
- Writers / Readers: threads that post unique bodies or read, recording every request.
- Forum set-up (an admin made with `forumd user create`, an API token, a thread) and database
  checks (integrity_check, foreign_key_check, the FTS index, which tagged posts are stored).
- Result: what a scenario reports: PASS / WARN / FAIL / SKIP, figures and notes.
"""

import contextlib
import hashlib
import http.client
import json
import os
import random
import re
import select
import signal
import sqlite3
import subprocess
import threading
import time

PASSWORD = "fault-test-password-123"

# Serve options that switch off the limits meant for people, so that a load test measures the
# server and not the limiter. Each is passed only if this forumd accepts it (see Ctx.probe_options).
LOAD_OPTIONS = [
    ("--rate-post-account", "0/1"), ("--rate-post-address", "0/1"), ("--rate-post-new-account", "0/1"),
    ("--rate-login-address", "0/1"), ("--rate-login-account", "0/1"), ("--rate-register-address", "0/1"),
    ("--rate-search-address", "0/1"), ("--rate-flag-account", "0/1"), ("--duplicate-window", "0"),
]


class Failure(Exception):
    pass


def now():
    return time.monotonic()


def pct(values, p):
    """The p-th percentile (nearest rank) of values, None if there are none."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 1)


def fmt_ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return None


class Result:
    """What one scenario found. status: PASS, WARN (a finding that does not fail the run), FAIL, SKIP."""

    def __init__(self, name, command=""):
        self.name = name
        self.command = command
        self.status = "PASS"
        self.figures = {}   # name -> value, printed in order
        self.notes = []
        self.failures = []
        self.warnings = []
        self.seconds = 0.0
        self.summary = None  # one line for the summary table (default: the first figures)

    def fig(self, key, value):
        self.figures[key] = value

    def note(self, text):
        self.notes.append(text)

    def fail(self, text):
        self.failures.append(text)
        self.status = "FAIL"

    def warn(self, text):
        self.warnings.append(text)
        if self.status == "PASS":
            self.status = "WARN"

    def skip(self, text):
        self.notes.append(text)
        self.status = "SKIP"

    def expect(self, cond, text):
        if not cond:
            self.fail(text)
        return cond

    def to_dict(self):
        return dict(name=self.name, status=self.status, seconds=round(self.seconds, 1), command=self.command,
                    figures=self.figures, failures=self.failures, warnings=self.warnings, notes=self.notes)


class Ctx:
    def __init__(self, forumd, web, tmp, quick, rounds=None, verbose=False):
        self.forumd = os.path.abspath(forumd)
        self.web = os.path.abspath(web)
        self.tmp = tmp
        self.quick = quick
        self.rounds = rounds
        self.verbose = verbose
        self.load_opts = []
        self.skipped_opts = []
        self.has_synchronous = False
        self.logs = []  # every server log, scanned for sanitizer reports after each scenario
        self._n = 0

    def path(self, name):
        self._n += 1
        p = os.path.join(self.tmp, f"{self._n:03d}-{name}")
        return p

    def log(self, msg):
        if self.verbose:
            print(f"  . {msg}", flush=True)

    def probe_options(self):
        """Keeps the LOAD_OPTIONS this forumd accepts: an unknown option exits 2 before the database
        is opened, a known one gets as far as the (impossible) database path and exits 1."""
        bad_db = os.path.join(self.tmp, "no-such-dir", "probe.db")
        for opt, val in LOAD_OPTIONS:
            p = subprocess.run([self.forumd, "serve", "--listen", "127.0.0.1:0", "--db", bad_db, opt, val],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=20)
            if p.returncode == 2:
                self.skipped_opts.append(opt)
            else:
                self.load_opts += [opt, val]
        p = subprocess.run([self.forumd, "serve", "--listen", "127.0.0.1:0", "--db", bad_db, "--synchronous", "normal"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        self.has_synchronous = p.returncode != 2


class StartError(Exception):
    def __init__(self, msg, rc=None, stderr=""):
        super().__init__(msg)
        self.rc = rc
        self.stderr = stderr


class Server:
    """forumd serve on 127.0.0.1:0. start() waits for the 'listening on' line and records how long
    that took; the log (stderr) goes to a file."""

    def __init__(self, ctx, db, extra=(), name="forumd", load=True, quiet=True):
        self.ctx = ctx
        self.db = db
        self.extra = list(extra)
        self.name = name
        self.load = load
        self.quiet = quiet
        self.proc = None
        self.port = None
        self.logpath = ctx.path(name + ".log")
        ctx.logs.append(self.logpath)
        self.startup_s = None
        self.rc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def argv(self):
        a = [self.ctx.forumd, "serve", "--listen", "127.0.0.1:0", "--db", self.db, "--web", self.ctx.web]
        if self.quiet:
            a.append("--quiet")
        if self.load:
            a += self.ctx.load_opts
        return a + self.extra

    def start(self, timeout=30.0):
        self.rc = None
        log = open(self.logpath, "ab")
        t0 = now()
        self.proc = subprocess.Popen(self.argv(), stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = t0 + timeout
        line = b""
        while now() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.05)
            if r:
                line = self.proc.stdout.readline()
                break
            if self.proc.poll() is not None:
                break
        if not line.startswith(b"listening on http://"):
            rc = self.proc.poll()
            if rc is None:
                self.proc.kill()
                rc = self.proc.wait()
            self.rc = rc
            raise StartError(f"forumd did not start (exit {rc}): {self.log_tail(5)}", rc, self.log_tail(20))
        self.startup_s = now() - t0
        self.port = int(line.strip().rsplit(b":", 1)[1])
        return self

    def log_text(self):
        try:
            with open(self.logpath, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, n=10):
        return " | ".join(self.log_text().strip().splitlines()[-n:])

    def log_lines(self, pattern):
        rx = re.compile(pattern)
        return [l for l in self.log_text().splitlines() if rx.search(l)]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        self.rc = self.proc.wait()
        self.proc.stdout.close()
        return self.rc

    def term(self, timeout=20.0):
        """SIGTERM, then waits; returns the exit status (None if it had to be killed)."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.rc = None
        self.proc.stdout.close()
        return self.rc

    def ensure_stopped(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Http:
    """One keep-alive connection. request() returns (status, headers{lower: value}, body bytes) or
    raises OSError / http.client.HTTPException; after an error the next request reconnects."""

    def __init__(self, port, token=None, timeout=30.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        h = {"Accept": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        try:
            self.conn.request(method, path, data, h)
            r = self.conn.getresponse()
            payload = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            if hdrs.get("connection", "").lower() == "close":
                self.close()
            return r.status, hdrs, payload
        except BaseException:
            self.close()
            raise

    def json(self, method, path, body=None, want=None):
        st, h, payload = self.request(method, path, body)
        if want is not None and st != want:
            raise Failure(f"{method} {path}: {st} {payload[:300]!r}, want {want}")
        try:
            return st, json.loads(payload) if payload else None
        except ValueError:
            return st, None


def run_cli(ctx, args, stdin=None, timeout=60):
    return subprocess.run([ctx.forumd] + args, input=stdin, capture_output=True, text=True, timeout=timeout)


def create_admin(ctx, db, email="fault-admin@example.eu"):
    p = run_cli(ctx, ["user", "create", "--db", db, "--email", email, "--display-name", "Fault tester",
                      "--role", "admin", "--stakeholder-type", "commission"], stdin=PASSWORD + "\n")
    if p.returncode != 0:
        raise Failure(f"forumd user create: exit {p.returncode}: {p.stderr.strip()}")
    return email


def login_token(port, email):
    """Signs in and makes an API token (Bearer: no CSRF, no session cookie to carry)."""
    c = Http(port)
    st, h, body = c.request("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    if st != 200:
        raise Failure(f"login: {st} {body[:200]!r}")
    cookie = h.get("set-cookie", "").split(";", 1)[0]
    csrf = json.loads(body)["csrf_token"]
    st, h, body = c.request("POST", "/api/v1/me/tokens", {"name": "fault"},
                            headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    c.close()
    if st != 201:
        raise Failure(f"POST /me/tokens: {st} {body[:200]!r}")
    return json.loads(body)["token"]


def create_thread(port, token, objective=1, title=None):
    c = Http(port, token)
    tag = random_tag("t")
    st, body = c.json("POST", f"/api/v1/objectives/{objective}/threads",
                      {"title": title or f"Fault test thread {tag}", "body": f"Opening post {tag}."}, want=201)
    c.close()
    return body["thread"]["id"]


def setup_forum(ctx, db, name="setup", threads=1, extra=()):
    """A new forum at db: an admin, then a server to sign in, make an API token and threads.
    Returns (token, [thread ids]) with the server stopped again."""
    email = create_admin(ctx, db)
    srv = Server(ctx, db, extra, name=name).start()
    try:
        token = login_token(srv.port, email)
        ids = [create_thread(srv.port, token) for _ in range(threads)]
    finally:
        rc = srv.term()
    if rc != 0:
        raise Failure(f"set-up server exited {rc}: {srv.log_tail()}")
    return token, ids


def random_tag(prefix):
    return prefix + "".join(random.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(8))


# ---------------------------------------------------------------------------------------------
# Load

class Req:
    """One request a load thread made. status None = no answer (error says why)."""
    __slots__ = ("who", "seq", "token", "t0", "t1", "status", "post_id", "error", "retry_after", "kind")

    def __init__(self, who, seq, token, kind="post"):
        self.who, self.seq, self.token, self.kind = who, seq, token, kind
        self.t0 = self.t1 = None
        self.status = self.post_id = self.error = self.retry_after = None

    @property
    def latency(self):
        return None if self.t1 is None else self.t1 - self.t0


POST_TOKEN_RE = re.compile(r"\b(fp[a-z]+w\d+s\d+)\b")


class Writers:
    """n threads, each on its own keep-alive connection, posting replies with unique bodies
    ("fp<tag>w<writer>s<seq>") into the given threads until stop(). Every attempt is a Req.

    on_error: 'stop' (the thread ends at the first connection error: kill -9), 'retry' (reconnects
    after pause seconds: locks, disk full), 'reconnect' (at once)."""

    def __init__(self, port, token, thread_ids, n, tag, body_chars=300, on_error="retry", pause=0.05,
                 timeout=60.0, rate=None, fresh_connection=False):
        self.port, self.token, self.thread_ids = port, token, list(thread_ids)
        self.n, self.tag, self.body_chars = n, tag, body_chars
        self.on_error, self.pause, self.timeout = on_error, pause, timeout
        self.rate = rate  # per writer, requests per second (None = as fast as answered)
        self.fresh_connection = fresh_connection
        self.reqs = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []
        self.first_ack = threading.Event()

    def body(self, w, seq):
        token = f"fp{self.tag}w{w}s{seq}"
        head = f"Fault test post {token}: writer {w}, sequence {seq}. "
        pad = "Internal security consultation text. " * (max(0, self.body_chars - len(head)) // 37 + 1)
        return token, (head + pad)[: max(len(head), self.body_chars)]

    def _run(self, w):
        c = Http(self.port, self.token, self.timeout)
        seq = 0
        next_t = now()
        while not self._stop.is_set():
            if self.rate:
                delay = next_t - now()
                if delay > 0 and self._stop.wait(delay):
                    break
                next_t = max(next_t + 1.0 / self.rate, now() - 1.0)
            seq += 1
            token, text = self.body(w, seq)
            tid = self.thread_ids[(w + seq) % len(self.thread_ids)]
            q = Req(w, seq, token)
            with self._lock:
                self.reqs.append(q)
            q.t0 = now()
            try:
                st, h, payload = c.request("POST", f"/api/v1/threads/{tid}/posts", {"body": text},
                                           headers={"Connection": "close"} if self.fresh_connection else None)
                q.t1 = now()
                q.status = st
                q.retry_after = h.get("retry-after")
                if st == 201:
                    q.post_id = json.loads(payload)["post"]["id"]
                    self.first_ack.set()
                else:
                    try:
                        q.error = json.loads(payload)["error"]["code"]
                    except (ValueError, KeyError, TypeError):
                        q.error = payload[:80].decode(errors="replace")
            except (OSError, http.client.HTTPException) as e:
                q.error = type(e).__name__
                if self.on_error == "stop":
                    break
                if self.on_error == "retry" and self._stop.wait(self.pause):
                    break
        c.close()

    def start(self):
        for w in range(self.n):
            t = threading.Thread(target=self._run, args=(w,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self, join_timeout=70.0):
        self._stop.set()
        for t in self._threads:
            t.join(join_timeout)

    def snapshot(self):
        with self._lock:
            return list(self.reqs)


class Readers:
    """n threads reading paths (chosen in turn) on keep-alive connections; every read is a Req with
    kind = the path's label."""

    def __init__(self, port, token, paths, n, timeout=30.0, rate=None):
        self.port, self.token, self.paths, self.n, self.timeout, self.rate = port, token, paths, n, timeout, rate
        self.reqs = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []

    def _run(self, i):
        c = Http(self.port, self.token, self.timeout)
        k = i
        while not self._stop.is_set():
            label, path = self.paths[k % len(self.paths)]
            k += 1
            q = Req(i, k, None, kind=label)
            q.t0 = now()
            try:
                st, h, payload = c.request("GET", path)
                q.t1 = now()
                q.status = st
            except (OSError, http.client.HTTPException) as e:
                q.error = type(e).__name__
                self._stop.wait(0.05)
            with self._lock:
                self.reqs.append(q)
            if self.rate:
                self._stop.wait(1.0 / self.rate)
        c.close()

    def start(self):
        for i in range(self.n):
            t = threading.Thread(target=self._run, args=(i,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(60)

    def snapshot(self):
        with self._lock:
            return list(self.reqs)


def latency_figures(reqs, prefix, res):
    lat = [q.latency for q in reqs if q.latency is not None]
    res.fig(f"{prefix} requests", len(reqs))
    res.fig(f"{prefix} p50", fmt_ms(pct(lat, 50)))
    res.fig(f"{prefix} p99", fmt_ms(pct(lat, 99)))
    res.fig(f"{prefix} max", fmt_ms(max(lat) if lat else None))
    return lat


def status_counts(reqs):
    out = {}
    for q in reqs:
        k = str(q.status) if q.status is not None else (q.error or "no answer")
        out[k] = out.get(k, 0) + 1
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# Database checks (read-only unless said otherwise)

def connect_ro(db):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30, isolation_level=None)
    c.execute("PRAGMA busy_timeout = 30000")
    return c


def integrity(db, fts=False):
    """(integrity_check text, foreign_key_check rows, fts check text or None). fts=True runs FTS5's
    own integrity-check against the posts (a write statement: use it on a database no server uses
    or on a copy)."""
    c = connect_ro(db) if not fts else sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        ic = "; ".join(r[0] for r in c.execute("PRAGMA integrity_check").fetchall())
        fk = c.execute("PRAGMA foreign_key_check").fetchall()
        fts_res = None
        if fts:
            try:
                c.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES('integrity-check', 1)")
                fts_res = "ok"
            except sqlite3.DatabaseError as e:
                fts_res = str(e)
        return ic, fk, fts_res
    finally:
        c.close()


def stored_posts(db, like_tag):
    """{token: (id, body, body_html non-empty, thread_id)} of the posts whose body holds a writer
    token with this tag, read through a read-only connection."""
    c = connect_ro(db)
    try:
        rows = c.execute("SELECT id, body, length(body_html) > 0, thread_id FROM posts WHERE body LIKE ?",
                         (f"Fault test post fp{like_tag}w%",)).fetchall()
    finally:
        c.close()
    out = {}
    for pid, body, html, tid in rows:
        m = POST_TOKEN_RE.search(body or "")
        if m:
            out[m.group(1)] = (pid, body, bool(html), tid)
    return out


def fts_count(db, word):
    c = connect_ro(db)
    try:
        return c.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", (f'"{word}"',)).fetchone()[0]
    finally:
        c.close()


def thread_counts_consistent(db):
    """Threads whose post_count differs from their posts (both are written in one transaction)."""
    c = connect_ro(db)
    try:
        return c.execute("SELECT t.id, t.post_count, (SELECT count(*) FROM posts p WHERE p.thread_id = t.id)"
                         " FROM threads t WHERE t.post_count != (SELECT count(*) FROM posts p"
                         " WHERE p.thread_id = t.id)").fetchall()
    finally:
        c.close()


@contextlib.contextmanager
def cleanup_dir_files(*paths):
    try:
        yield
    finally:
        for p in paths:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(p + suffix)


SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:|"
                          r"SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer")


def sanitizer_reports(paths):
    """[(log file, first report line)] of the server logs that hold a sanitizer report."""
    out = []
    for p in paths:
        try:
            with open(p, errors="replace") as f:
                for line in f:
                    if SANITIZER_RE.search(line):
                        out.append((os.path.basename(p), line.strip()[:200]))
                        break
        except OSError:
            pass
    return out
