"""API conventions: JSON errors, 404/405, ids, pagination parameters, hostile bodies, size limit."""

import json
import time

from client import (TestList, check, expect_error, expect_json, raw_request, wait_healthy,
                    RawResponse)
from fixtures import unique

tests = TestList()

MIB = 1 << 20


def _split_allow(v):
    return {m.strip().upper() for m in (v or "").split(",") if m.strip()}


@tests
def test_json_content_type_on_success_and_errors(ctx):
    c = ctx.client()
    for method, path, status in [("GET", "/api/v1/objectives", 200), ("GET", "/healthz", 200),
                                 ("GET", "/api/v1/no-such-thing", 404), ("GET", "/api/v1/me", 401),
                                 ("DELETE", "/api/v1/objectives", 405)]:
        expect_json(c.request(method, path), status)
    r = c.post("/api/v1/auth/register", raw=b"{")
    expect_error(r, 400, "invalid_json")


@tests
def test_head_on_api_get(ctx):
    c = ctx.client()
    r = c.request("HEAD", "/api/v1/objectives")
    check(r.status == 200 and r.body == b"", f"HEAD /api/v1/objectives: {r.describe()}")
    check(r.header("Content-Type", ).replace(" ", "").lower() == "application/json;charset=utf-8",
          f"HEAD Content-Type {r.header('Content-Type')!r}")


# -- unknown paths and wrong methods -----------------------------------------------------------

UNKNOWN_PATHS = [
    ("GET", "/api/v1/nope"),
    ("GET", "/api/v1/"),
    ("GET", "/api/v1/objectives/1/nope"),
    ("GET", "/api/v1/threads"),
    ("POST", "/api/v1/nope"),
    ("DELETE", "/api/v1/unknown/thing/7"),
    ("GET", "/api/v2/objectives"),
    ("GET", "/api/v1/objectives/1/threads/extra/segments"),
]
for _m, _p in UNKNOWN_PATHS:
    def _t(ctx, m=_m, p=_p):
        expect_error(ctx.client().request(m, p), 404, "not_found")
    tests.add(f"unknown_api_path_404[{_m} {_p}]", _t)

# (method, path, a method that must be in Allow)
WRONG_METHODS = [
    ("DELETE", "/api/v1/objectives", "GET"),
    ("POST", "/api/v1/objectives", "GET"),
    ("PATCH", "/api/v1/objectives", "GET"),
    ("PUT", "/api/v1/objectives/1", "GET"),
    ("DELETE", "/api/v1/objectives/1/threads", "POST"),
    ("GET", "/api/v1/auth/login", "POST"),
    ("GET", "/api/v1/auth/register", "POST"),
    ("DELETE", "/api/v1/auth/logout", "POST"),
    ("PUT", "/api/v1/me", "GET"),
    ("GET", "/api/v1/me/tokens/1", "DELETE"),
    ("PUT", "/api/v1/threads/1/posts", "POST"),
]
for _m, _p, _allow in WRONG_METHODS:
    def _t(ctx, m=_m, p=_p, allow=_allow):
        r = ctx.client().request(m, p)
        expect_error(r, 405, "method_not_allowed")
        allowed = _split_allow(r.header("Allow"))
        check(allow in allowed, f"Allow {r.header('Allow')!r} should list {allow}: {r.describe()}")
        check(m not in allowed, f"Allow {r.header('Allow')!r} lists the refused method {m}")
    tests.add(f"wrong_method_405[{_m} {_p}]", _t)


# -- ids ------------------------------------------------------------------------------------

BAD_IDS = ["abc", "0", "-1", "99999999999999999999", "1.5", "1e3", "0x10", "%20", "9223372036854775808"]
for _id in BAD_IDS:
    def _t(ctx, i=_id):
        c = ctx.client()
        expect_error(c.get(f"/api/v1/threads/{i}"), 404, "not_found")
        expect_error(c.get(f"/api/v1/objectives/{i}/threads"), 404, "not_found")
    tests.add(f"malformed_id_404[{_id}]", _t)


@tests
def test_unknown_ids_404(ctx):
    c = ctx.client()
    expect_error(c.get("/api/v1/threads/987654321"), 404, "not_found")
    expect_error(c.get("/api/v1/objectives/6"), 404, "not_found")
    expect_error(c.get("/api/v1/objectives/0"), 404, "not_found")
    expect_error(c.get("/api/v1/objectives/no-such-slug"), 404, "not_found")
    expect_error(c.get("/api/v1/objectives/987654321/threads"), 404, "not_found")
    alice = ctx.signed_in("alice")
    expect_error(alice.post("/api/v1/threads/987654321/posts", {"body": "hello"}), 404, "not_found")
    expect_error(alice.post("/api/v1/threads/abc/posts", {"body": "hello"}), 404, "not_found")
    expect_error(alice.post("/api/v1/objectives/987654321/threads", {"title": "t", "body": "b"}),
                 404, "not_found")
    expect_error(alice.delete("/api/v1/me/tokens/987654321"), 404, "not_found")
    expect_error(alice.delete("/api/v1/me/tokens/abc"), 404, "not_found")


# -- limit and cursor -------------------------------------------------------------------------

def _list_paths(ctx):
    alice = ctx.signed_in("alice")
    if not hasattr(ctx, "_conv_thread"):
        t, _ = ctx.create_thread(alice, ctx.objective("crime-networks")["id"])
        ctx._conv_thread = t
    return [f"/api/v1/objectives/{ctx.objective('crime-networks')['id']}/threads",
            f"/api/v1/threads/{ctx._conv_thread['id']}"]


BAD_LIMITS = ["0", "101", "-1", "abc", "1.5", "10abc", "99999999999999999999", "1e1"]
for _lim in BAD_LIMITS:
    def _t(ctx, lim=_lim):
        for p in _list_paths(ctx):
            expect_error(ctx.client().get(f"{p}?limit={lim}"), 400, "validation_failed", "limit")
    tests.add(f"bad_limit_400[{_lim}]", _t)


@tests
def test_limit_bounds_accepted(ctx):
    for p in _list_paths(ctx):
        for lim in ("1", "100"):
            body = expect_json(ctx.client().get(f"{p}?limit={lim}"), 200)
            check("next_cursor" in body, f"{p}?limit={lim}: no next_cursor in {body}")


BAD_CURSORS = ["garbage", "!!!!", "A" * 600, "%00", "eyJ4IjoxfQ"]
for _cur in BAD_CURSORS:
    def _t(ctx, cur=_cur):
        for p in _list_paths(ctx):
            # a NUL byte may be refused for the whole query string, before the cursor is looked at
            field = ("cursor", None) if cur == "%00" else "cursor"
            expect_error(ctx.client().get(f"{p}?cursor={cur}"), 400, "bad_request", field)
    tests.add(f"garbage_cursor_400[{_cur[:24]}]", _t)


@tests
def test_cursor_of_another_list_is_refused(ctx):
    """A thread-list cursor given to a thread view (and the reverse) is not a valid cursor there."""
    obj = ctx.objective("crime-networks")["id"]
    alice = ctx.signed_in("alice")
    for _ in range(2):
        ctx.create_thread(alice, obj)
    lst = expect_json(ctx.client().get(f"/api/v1/objectives/{obj}/threads?limit=1"), 200)
    tcur = lst.get("next_cursor")
    check(isinstance(tcur, str), f"limit=1 over 2+ threads gave next_cursor {tcur!r}")
    t, _ = ctx.create_thread(alice, obj)
    ctx.reply(alice, t["id"])
    view = expect_json(ctx.client().get(f"/api/v1/threads/{t['id']}?limit=1"), 200)
    pcur = view.get("next_cursor")
    check(isinstance(pcur, str), f"limit=1 over 2 posts gave next_cursor {pcur!r}")
    from urllib.parse import quote
    expect_error(ctx.client().get(f"/api/v1/threads/{t['id']}?cursor={quote(tcur)}"), 400, "bad_request", "cursor")
    expect_error(ctx.client().get(f"/api/v1/objectives/{obj}/threads?cursor={quote(pcur)}"), 400,
                 "bad_request", "cursor")


# -- malformed bodies -------------------------------------------------------------------------

INVALID_JSON = [b"{", b"not json", b"", b'{"email": }', b'{"a": 1} trailing', b"{'single': 1}",
                b'[1, 2', b'{"a": "unterminated}', b'{"a": 1,}']
for _i, _raw in enumerate(INVALID_JSON):
    def _t(ctx, raw=_raw):
        expect_error(ctx.client().post("/api/v1/auth/register", raw=raw), 400, "invalid_json")
        alice = ctx.signed_in("alice")
        obj = ctx.objective("crime-networks")["id"]
        expect_error(alice.post(f"/api/v1/objectives/{obj}/threads", raw=raw), 400, "invalid_json")
    tests.add(f"invalid_json_400[{_raw[:16]!r}]", _t)


NOT_OBJECTS = [b"[]", b'"string"', b"42", b"null", b"true"]
for _raw in NOT_OBJECTS:
    def _t(ctx, raw=_raw):
        expect_error(ctx.client().post("/api/v1/auth/register", raw=raw), 400,
                     ("invalid_json", "validation_failed"))
    tests.add(f"json_not_an_object_400[{_raw!r}]", _t)


@tests
def test_empty_body_without_content_type_is_invalid_json(ctx):
    r = ctx.client().request("POST", "/api/v1/auth/login", raw=b"", content_type=None)
    expect_error(r, 400, "invalid_json")


BAD_UTF8 = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xf8\x88\x80\x80\x80", b"\xf4\x90\x80\x80"]
for _bad in BAD_UTF8:
    def _t(ctx, bad=_bad):
        obj = ctx.objective("crime-networks", fresh=True)
        alice = ctx.signed_in("alice")
        raw = b'{"title": "bad ' + bad + b' title", "body": "fine body"}'
        r = alice.post(f"/api/v1/objectives/{obj['id']}/threads", raw=raw)
        expect_error(r, 400, "validation_failed")
        after = ctx.objective("crime-networks", fresh=True)
        check(after["thread_count"] == obj["thread_count"],
              f"thread_count went {obj['thread_count']} -> {after['thread_count']} after a refused body")
        raw = (b'{"email": "x' + bad + b'@example.org", "password": "long enough password",'
               b' "display_name": "n", "stakeholder_type": "citizen"}')
        expect_error(ctx.client().post("/api/v1/auth/register", raw=raw), 400, "validation_failed")
    tests.add(f"invalid_utf8_400[{_bad!r}]", _t)


NUL_CASES = [("thread", "title"), ("thread", "body"), ("register", "display_name"),
             ("register", "organisation"), ("reply", "body")]
for _where, _field in NUL_CASES:
    def _t(ctx, where=_where, field=_field):
        alice = ctx.signed_in("alice")
        obj = ctx.objective("crime-networks")["id"]
        if where == "thread":
            body = {"title": "a title", "body": "a body"}
            body[field] = "before\u0000after"
            r = alice.post(f"/api/v1/objectives/{obj}/threads", body)
        elif where == "reply":
            t, _ = ctx.create_thread(alice, obj)
            r = alice.post(f"/api/v1/threads/{t['id']}/posts", {"body": "x\u0000y"})
        else:
            r = ctx.register(**{field: "Name\u0000Null"})
        expect_error(r, 400, "validation_failed", field)
    tests.add(f"nul_in_text_400[{_where}.{_field}]", _t)


@tests
def test_nesting_deeper_than_32_refused(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    for depth in (33, 64, 100000):
        raw = b'{"title": "t", "body": "b", "x": ' + b"[" * depth + b"]" * depth + b"}"
        r = alice.post(f"/api/v1/objectives/{obj}/threads", raw=raw)
        expect_error(r, 400, ("invalid_json", "validation_failed"))
        raw = b"[" * depth + b"]" * depth
        expect_error(ctx.client().post("/api/v1/auth/login", raw=raw), 400,
                     ("invalid_json", "validation_failed"))
    # unclosed deep nesting too
    r = ctx.client().post("/api/v1/auth/login", raw=b'{"a":' * 50000)
    expect_error(r, 400, ("invalid_json", "validation_failed"))
    wait_healthy(ctx.server, "after deeply nested JSON")


@tests
def test_duplicate_keys_refused(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    raw = b'{"title": "first", "title": "second", "body": "b"}'
    expect_error(alice.post(f"/api/v1/objectives/{obj}/threads", raw=raw), 400,
                 ("invalid_json", "validation_failed"))


@tests
def test_unknown_key_names_the_field(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    r = alice.post(f"/api/v1/objectives/{obj}/threads", {"title": "t", "body": "b", "bogus": 1})
    expect_error(r, 400, "validation_failed", "bogus")
    t, _ = ctx.create_thread(alice, obj)
    r = alice.post(f"/api/v1/threads/{t['id']}/posts", {"body": "b", "title": "no titles on replies"})
    expect_error(r, 400, "validation_failed", "title")


def _raw_post(ctx, path, payload, extra_headers=b""):
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n").encode()
    req = head + extra_headers + b"\r\n" + payload
    import socket
    s = socket.create_connection((ctx.server.host, ctx.server.port), timeout=10)
    s.settimeout(10)
    chunks = []
    try:
        try:
            s.sendall(req)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        s.close()
    return RawResponse(b"".join(chunks))


def _auth_headers(client):
    h = f"Cookie: forumd_session={client.session}\r\nX-CSRF-Token: {client.csrf}\r\n"
    return h.encode()


@tests
def test_body_over_1mib_is_413(ctx):
    payload = json.dumps({"email": "big@example.org", "password": "x" * 20, "display_name": "big",
                          "stakeholder_type": "citizen"}).encode()
    payload = payload[:-1] + b" " * (MIB + 1 - len(payload)) + b"}"
    assert len(payload) == MIB + 1
    rr = _raw_post(ctx, "/api/v1/auth/register", payload)
    check(rr.status == 413, f"register with {len(payload)} bytes: {rr.data[:300]!r}")
    body = json.loads(rr.body.decode() or "null")
    check(isinstance(body, dict) and body.get("error", {}).get("code") == "payload_too_large",
          f"413 body {rr.body[:200]!r}, want error code payload_too_large")
    check(rr.headers.get("content-type", "").replace(" ", "").lower() == "application/json;charset=utf-8",
          f"413 Content-Type {rr.headers.get('content-type')!r}")
    # far over the limit too, on an authenticated write
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    payload = json.dumps({"title": "huge", "body": "y" * (3 * MIB)}).encode()
    rr = _raw_post(ctx, f"/api/v1/objectives/{obj}/threads", payload, _auth_headers(alice))
    check(rr.status == 413, f"thread of {len(payload)} bytes: {rr.data[:300]!r}")
    wait_healthy(ctx.server, "after bodies over 1 MiB")


@tests
def test_body_of_exactly_1mib_is_accepted(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    title = unique("Exactly one MiB ")
    payload = json.dumps({"title": title, "body": "z" * 50000}).encode()
    payload = payload[:-1] + b" " * (MIB - len(payload)) + b"}"
    assert len(payload) == MIB
    rr = _raw_post(ctx, f"/api/v1/objectives/{obj}/threads", payload, _auth_headers(alice))
    check(rr.status == 201, f"thread body of exactly {MIB} bytes: {rr.data[:300]!r}")
    body = json.loads(rr.body.decode())
    check(body["thread"]["title"] == title and len(body["post"]["body"]) == 50000,
          "the 1 MiB thread came back altered")


@tests
def test_huge_bodies_get_413(ctx):
    """Far over the limit the answer is 413 and the server stays healthy.

    Up to four times the limit forumd reads the body and answers its JSON error (tested above).
    Past that, libevent 2.1.12 refuses the request itself while reading it, before any callback of
    ours runs, and writes its own HTML page: 2.1.12 has no hook for that answer (evhttp_set_errorcb
    is new in 2.2). So here the status is asserted, and the JSON body only where forumd can give
    it. The connection is closed, nothing is buffered past the cap.
    """
    for size in (5 * MIB, 16 * MIB):
        payload = b'{"email": "' + b"x" * size + b'"}'
        rr = _raw_post(ctx, "/api/v1/auth/register", payload)
        check(rr.status == 413, f"register with {len(payload)} bytes: {rr.data[:200]!r}")
    head = (b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000000\r\n\r\n{")
    rr = raw_request(ctx.server.host, ctx.server.port, head)
    check(rr.status == 413, f"Content-Length 10^10: {rr.data[:200]!r}")
    wait_healthy(ctx.server, "after huge bodies")


def _chunked(payload, size):
    out = b""
    for i in range(0, len(payload), size):
        part = payload[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


@tests
def test_chunked_bodies(ctx):
    email = unique("chunked") + "@example.org"
    payload = json.dumps({"email": email, "password": "chunked password 1", "display_name": "Chunky",
                          "stakeholder_type": "citizen"}).encode()
    head = (b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    rr = raw_request(ctx.server.host, ctx.server.port, head + _chunked(payload, 7))
    check(rr.status == 201, f"chunked register: {rr.data[:300]!r}")
    check(json.loads(rr.body)["user"]["email"] == email, f"chunked register: {rr.body[:200]!r}")
    big = payload[:-1] + b" " * (MIB + 10) + b"}"
    rr = raw_request(ctx.server.host, ctx.server.port, head + _chunked(big, 65536))
    check(rr.status == 413, f"chunked body over 1 MiB: {rr.data[:200]!r}")
    check(json.loads(rr.body or b"{}").get("error", {}).get("code") == "payload_too_large",
          f"chunked body over 1 MiB: {rr.body[:200]!r}")


@tests
def test_json_number_and_escape_edge_cases(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    path = f"/api/v1/objectives/{obj}/threads"
    for raw in (b'{"title": "t", "body": "b", "key_action_id": 99999999999999999999}',
                b'{"title": "lone \\ud800 surrogate", "body": "b"}',
                b'{"title": "t", "body": "b", "key_action_id": 1e400}'):
        expect_error(alice.post(path, raw=raw), 400, ("invalid_json", "validation_failed"))
    t, _ = ctx.create_thread(alice, obj, title="pair \U0001F600")
    r = alice.post(path, raw=b'{"title": "escaped \\ud83d\\ude00 pair", "body": "b"}')
    check(expect_json(r, 201)["thread"]["title"] == "escaped \U0001F600 pair", f"surrogate pair: {r.describe()}")


@tests
def test_keep_alive_connection_reused(ctx):
    """Several requests, including failing ones, on one persistent connection."""
    import http.client
    alice = ctx.signed_in("alice")
    conn = http.client.HTTPConnection(ctx.server.host, ctx.server.port, timeout=5)
    hdrs = {"Cookie": f"forumd_session={alice.session}", "X-CSRF-Token": alice.csrf,
            "Content-Type": "application/json"}
    obj = ctx.objective("crime-networks")["id"]
    try:
        seq = [("GET", "/api/v1/objectives", None, 200),
               ("POST", f"/api/v1/objectives/{obj}/threads", b"{", 400),
               ("POST", f"/api/v1/objectives/{obj}/threads", json.dumps({"title": "keep-alive", "body": "b"}).encode(), 201),
               ("GET", "/api/v1/nope", None, 404),
               ("DELETE", "/api/v1/objectives", None, 405),
               ("GET", "/api/v1/me", None, 200),
               ("GET", "/healthz", None, 200)]
        for method, path, body, status in seq:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            check(r.status == status, f"{method} {path} on a kept-alive connection: {r.status} {data[:200]!r}")
            check(r.getheader("Connection", "").lower() != "close" or path == "/healthz",
                  f"the server closed the connection after {method} {path} ({r.status})")
    finally:
        conn.close()


def _log_text(ctx):
    time.sleep(0.3)
    with open(ctx.server.log_path, "rb") as f:
        return f.read().decode("utf-8", "replace")


@tests
def test_one_log_line_per_request(ctx):
    marker = unique("logmarker")
    for i in range(3):
        ctx.client().get(f"/api/v1/{marker}-{i}")
    text = _log_text(ctx)
    for i in range(3):
        lines = [ln for ln in text.splitlines() if f"{marker}-{i}" in ln]
        check(len(lines) == 1, f"{len(lines)} log lines for request {i} of /api/v1/{marker}-*, want 1")


@tests
def test_log_lines_cannot_be_forged(ctx):
    marker = unique("forged")
    c = ctx.client()
    c.get(f"/api/v1/x%0A{marker}%0D%0Aevent=login%20user=1")
    c.post("/api/v1/auth/login", {"email": f"a\n{marker}@example.org\nevent=forged", "password": "whatever pw 123"})
    c.get(f"/{marker}%0Afake-line", headers={"User-Agent": f"ua\x0b{marker}"})
    text = _log_text(ctx)
    for ln in text.splitlines():
        if marker in ln:
            check(not ln.lstrip().startswith(marker) and not ln.startswith("event=") and "fake-line" != ln.strip(),
                  f"a request split a log line: {ln!r}")
    starts = [ln for ln in text.splitlines() if ln.startswith((marker, "event=login", "fake-line"))]
    check(not starts, f"forged log lines: {starts[:3]}")
