"""Helpers for the black-box HTTP tests of forumd (Python 3.11 standard library only).

- Client: an HTTP client that keeps the forumd_session cookie, remembers the csrf_token from
  login and /me, and sends X-CSRF-Token on unsafe methods unless told not to.
- raw_request: sends exact bytes over a socket, for requests that http.client would refuse or
  normalise (traversal paths, malformed request lines, truncated bodies).
- start_server: a context manager that runs forumd on 127.0.0.1:0 and reads back the port.
- run_cli: runs a forumd subcommand with a timeout.
- TestList, Failure and the expect_* helpers used by every test file.

Every secret the tests create or receive (passwords, session cookies, API and CSRF tokens) is
recorded in SECRETS so that the runner can check that none of them reached a server log.
"""

import contextlib
import http.client
import json
import re
import signal
import socket
import subprocess
import threading
import time

TIMEOUT = 5.0  # seconds, for every socket operation
SESSION_COOKIE = "forumd_session"
JSON_CTYPE = "application/json; charset=utf-8"
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

# kind -> set of secret strings that must never appear in a server log
SECRETS = {"password": set(), "session": set(), "api_token": set(), "csrf": set()}


def remember_secret(kind, value):
    if isinstance(value, str) and value:
        SECRETS[kind].add(value)


class Failure(Exception):
    """A test assertion failed; the message says what was sent and what came back."""


def fail(msg):
    raise Failure(msg)


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class TestList(list):
    """A list of (name, function) pairs. Use as a decorator: @tests or @tests.named("x")."""

    def __call__(self, fn):
        self.append((fn.__name__.removeprefix("test_"), fn))
        return fn

    def named(self, name):
        def deco(fn):
            self.append((name, fn))
            return fn
        return deco

    def add(self, name, fn):
        self.append((name, fn))


# ---------------------------------------------------------------------------------------------
# Responses

class Response:
    def __init__(self, method, path, status, reason, headers, body, req_body=None):
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason
        self.header_list = headers  # [(name, value)] as received
        self.body = body
        self.req_body = req_body
        self._json = None
        self._json_done = False

    def header(self, name):
        name = name.lower()
        for k, v in self.header_list:
            if k.lower() == name:
                return v
        return None

    def headers_all(self, name):
        name = name.lower()
        return [v for k, v in self.header_list if k.lower() == name]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def describe(self):
        req = ""
        if self.req_body is not None:
            rb = self.req_body if isinstance(self.req_body, bytes) else str(self.req_body).encode()
            req = " body=" + repr(rb[:160]) + ("..." if len(rb) > 160 else "")
        body = self.text
        if len(body) > 300:
            body = body[:300] + "..."
        return f"{self.method} {self.path}{req} -> {self.status} {body!r}"


def _normal_ctype(v):
    return (v or "").replace(" ", "").lower()


def expect_status(r, status):
    """Checks the status (an int or a tuple of allowed ints)."""
    allowed = status if isinstance(status, tuple) else (status,)
    if r.status not in allowed:
        fail(f"expected {'/'.join(map(str, allowed))}: {r.describe()}")


def expect_json(r, status):
    """Checks status and the JSON content type; returns the parsed body."""
    expect_status(r, status)
    ct = r.header("Content-Type")
    if _normal_ctype(ct) != _normal_ctype(JSON_CTYPE):
        fail(f"Content-Type {ct!r}, want {JSON_CTYPE!r}: {r.describe()}")
    if r.json is None:
        fail(f"body is not JSON: {r.describe()}")
    return r.json


_ABSENT = object()


def expect_error(r, status, code, field=_ABSENT):
    """Checks a spec error: status, JSON body {"error": {"code", "message", "field"?}}.
    code may be a string or a tuple of allowed codes; field a string, a tuple, or None (absent)."""
    body = expect_json(r, status)
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        fail(f"no error object: {r.describe()}")
    codes = code if isinstance(code, tuple) else (code,)
    if err.get("code") not in codes:
        fail(f"error code {err.get('code')!r}, want {'/'.join(codes)}: {r.describe()}")
    if not isinstance(err.get("message"), str) or not err["message"]:
        fail(f"error without a message: {r.describe()}")
    if field is not _ABSENT:
        fields = field if isinstance(field, tuple) else (field,)
        if err.get("field") not in fields:
            fail(f"error field {err.get('field')!r}, want {fields}: {r.describe()}")
    return err


def expect_keys(obj, keys, what):
    check(isinstance(obj, dict), f"{what} is not an object: {obj!r}")
    missing = [k for k in keys if k not in obj]
    check(not missing, f"{what} lacks {missing}: {json.dumps(obj)[:300]}")


def expect_ts(v, what):
    check(isinstance(v, str) and TS_RE.match(v) is not None, f"{what} is not an RFC 3339 UTC timestamp: {v!r}")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------------
# The client

class Client:
    """One user agent: a cookie jar for forumd_session, the last csrf_token, an optional bearer."""

    def __init__(self, server, bearer=None, source=None):
        self.host = server.host
        self.port = server.port
        self.source = source  # a loopback address to send from (127.0.0.2, ...): another client address
        self.cookies = {}
        self.csrf = None
        self.bearer = bearer
        self.user = None

    def request(self, method, path, body=_ABSENT, *, raw=None, headers=None, csrf=True,
                cookies=True, bearer=True, content_type="application/json"):
        """Sends one request on a new connection. body is encoded as JSON; raw is sent as is."""
        hdrs = {"Connection": "close"}
        data = None
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        elif body is not _ABSENT:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type:
            hdrs["Content-Type"] = content_type
        if cookies and self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if bearer and self.bearer:
            hdrs["Authorization"] = "Bearer " + self.bearer
        if csrf and method in UNSAFE and self.csrf:
            hdrs["X-CSRF-Token"] = self.csrf
        if headers:
            hdrs.update(headers)
            for k, v in list(hdrs.items()):
                if v is None:
                    del hdrs[k]
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT,
                                          source_address=(self.source, 0) if self.source else None)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            rbody = resp.read() if method != "HEAD" else b""
            r = Response(method, path, resp.status, resp.reason, resp.getheaders(), rbody,
                         req_body=data)
        except (OSError, http.client.HTTPException) as e:
            fail(f"{method} {path}: no answer ({type(e).__name__}: {e})")
        finally:
            conn.close()
        self._take_cookies(r)
        return r

    def _take_cookies(self, r):
        for sc in r.headers_all("Set-Cookie"):
            first = sc.split(";", 1)[0]
            if "=" not in first:
                continue
            name, value = first.split("=", 1)
            name, value = name.strip(), value.strip()
            attrs = sc.lower()
            expired = value == "" or re.search(r"max-age=0\b", attrs) or "expires=thu, 01 jan 1970" in attrs
            if name == SESSION_COOKIE and value:
                remember_secret("session", value)
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=_ABSENT, **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    @property
    def session(self):
        return self.cookies.get(SESSION_COOKIE)

    def login(self, email, password, expect=200):
        r = self.post("/api/v1/auth/login", {"email": email, "password": password})
        if expect == 200:
            body = expect_json(r, 200)
            check(isinstance(body.get("csrf_token"), str) and body["csrf_token"],
                  f"login gave no csrf_token: {r.describe()}")
            self.csrf = body["csrf_token"]
            remember_secret("csrf", self.csrf)
            self.user = body.get("user")
        return r

    def me(self):
        r = self.get("/api/v1/me")
        if r.status == 200 and isinstance(r.json, dict) and isinstance(r.json.get("csrf_token"), str):
            self.csrf = r.json["csrf_token"]
            remember_secret("csrf", self.csrf)
        return r


# ---------------------------------------------------------------------------------------------
# Raw sockets

class RawResponse:
    def __init__(self, data):
        self.data = data
        self.status = None
        self.headers = {}
        self.body = b""
        head, sep, rest = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        m = re.match(rb"HTTP/\d\.\d (\d{3})", lines[0]) if lines and lines[0] else None
        if m:
            self.status = int(m.group(1))
            for line in lines[1:]:
                k, _, v = line.partition(b":")
                self.headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
            self.body = rest

    def describe(self, req):
        return f"{req[:120]!r} -> {self.data[:300]!r}"


def raw_request(host, port, data, *, timeout=TIMEOUT, half_close=False):
    """Sends data as is and reads until the server closes or timeout passes. Returns RawResponse.
    half_close shuts down our sending side after data (a client that went away mid-request)."""
    chunks = []
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the server stopped reading (e.g. it answered early): read what it said
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                got = b"".join(chunks)
                # stop once a complete response with Content-Length has arrived
                head, sep, rest = got.partition(b"\r\n\r\n")
                if sep:
                    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                    if m and len(rest) >= int(m.group(1)):
                        break
        except (socket.timeout, ConnectionResetError):
            pass
    return RawResponse(b"".join(chunks))


def raw_get(server, target):
    req = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("latin-1")
    return raw_request(server.host, server.port, req)


# ---------------------------------------------------------------------------------------------
# Servers and the command line

class Server:
    def __init__(self, proc, host, port, log_path, db, web):
        self.proc = proc
        self.host = host
        self.port = port
        self.log_path = log_path
        self.db = db
        self.web = web
        self.exit_status = None
        self.stdout_lines = []

    @property
    def base(self):
        return f"http://{self.host}:{self.port}"

    def client(self, **kw):
        return Client(self, **kw)

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Sends sig and waits; returns the exit status, or None if it had to be killed."""
        if self.exit_status is not None or self.proc.poll() is not None:
            self.exit_status = self.proc.returncode if self.exit_status is None else self.exit_status
            return self.exit_status
        self.proc.send_signal(sig)
        try:
            self.exit_status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.exit_status = None
            return None
        return self.exit_status

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


SERVER_LOGS = []  # every log file written by a server started by start_server


class ServerStartError(Exception):
    pass


# The suite drives hundreds of requests a minute from one address with accounts a second old: the
# abuse limits are switched off for its servers, and test_limits.py switches each one back on in a
# server of its own. Later flags win, so extra_args may set any of these again.
NO_LIMITS = ["--rate-login-address", "0/1", "--rate-login-account", "0/1", "--rate-register-address", "0/1",
             "--rate-post-address", "0/1", "--rate-post-account", "0/1", "--rate-post-new-account", "0/1",
             "--rate-flag-account", "0/1", "--rate-search-address", "0/1", "--rate-stream-address", "0/1",
             "--new-account-period", "0", "--duplicate-window", "0"]


@contextlib.contextmanager
def start_server(forumd, db, web, log_path, extra_args=(), env=None, start_timeout=10.0):
    """Runs `forumd --listen 127.0.0.1:0 --db db --web web *extra_args`, stderr to log_path,
    and yields a Server once the first stdout line `listening on http://HOST:PORT` arrived.
    On leaving, a still running server gets SIGTERM (then SIGKILL after 10 s)."""
    args = [forumd, "--listen", "127.0.0.1:0", "--db", db, "--web", web, *NO_LIMITS, *extra_args]
    logf = open(log_path, "ab")
    SERVER_LOGS.append(log_path)
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=logf,
                            env=env)
    logf.close()
    lines = []
    first = threading.Event()

    def drain():
        for line in proc.stdout:
            lines.append(line.decode("utf-8", "replace").rstrip("\r\n"))
            first.set()
        first.set()

    t = threading.Thread(target=drain, daemon=True)
    t.start()
    server = None
    try:
        if not first.wait(start_timeout) or not lines:
            proc.poll()
            raise ServerStartError(f"{' '.join(args)}: no first line on stdout within {start_timeout}s "
                                   f"(exit status {proc.returncode}); log: {open(log_path, 'rb').read()[-500:]!r}")
        m = re.fullmatch(r"listening on http://([0-9.]+):(\d+)", lines[0].strip())
        if not m:
            raise ServerStartError(f"first stdout line is {lines[0]!r}, want 'listening on http://HOST:PORT'")
        server = Server(proc, m.group(1), int(m.group(2)), log_path, db, web)
        server.stdout_lines = lines
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if server is not None and server.exit_status is None:
            server.exit_status = proc.returncode


def run_cli(forumd, args, stdin=None, timeout=20.0, env=None):
    """Runs forumd with args; returns CompletedProcess (text). A hang is a test failure."""
    try:
        return subprocess.run([forumd, *args], input=stdin, capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail(f"forumd {' '.join(args)} did not finish within {timeout}s")


def describe_cli(p):
    return (f"exit {p.returncode}; stdout={p.stdout[-300:]!r}; stderr={p.stderr[-300:]!r}")


def wait_healthy(server, what="after the previous request"):
    """Fails unless GET /healthz answers 200 {"status": "ok"} (the server survived)."""
    r = Client(server).get("/healthz")
    body = expect_json(r, 200)
    check(body == {"status": "ok"}, f"/healthz {what}: {r.describe()}")
    check(server.proc.poll() is None, f"server exited {what} (status {server.proc.returncode})")
