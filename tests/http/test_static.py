"""Other paths: /healthz, the web front end's files (types, ETag, 304), no way out of the web
folder, and robustness against malformed requests on raw sockets.

Static-file tests run against a server of their own whose web folder is a fixture with known
contents, next to a file outside it (site/CMakeLists.txt) that must never be served."""

import os
import signal
import socket
import time

from client import (Client, TestList, check, expect_json, raw_get, raw_request,
                    start_server, wait_healthy)

tests = TestList()

MARKER = "cmake_minimum_required(VERSION 3.20) # OUTSIDE-WEB-ROOT-7f3a9"
FILES = {
    "index.html": b"<!doctype html>\n<title>fixture</title>\n<p>FIXTURE-INDEX-41d2</p>\n",
    "css/site.css": b"body { color: #123456; }\n",
    "js/app.js": b"console.log('FIXTURE-JS');\n",
    "img/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n',
    "img/dot.png": bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                 "1f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082"),
    "data/manifest.json": b'{"name": "fixture"}\n',
    "about.html": b"<!doctype html><p>about</p>\n",
    "changing.html": b"<!doctype html><p>first version</p>\n",
    "docs/read me.txt": b"plain text with a space in the name\n",
}
TYPES = [
    ("/css/site.css", ("text/css",)),
    ("/js/app.js", ("text/javascript", "application/javascript")),
    ("/index.html", ("text/html",)),
    ("/about.html", ("text/html",)),
    ("/img/logo.svg", ("image/svg+xml",)),
    ("/img/dot.png", ("image/png",)),
    ("/data/manifest.json", ("application/json", "application/manifest+json")),
    ("/docs/read%20me.txt", ("text/plain",)),
]


def _site(ctx):
    root = ctx.tmp_path("site")
    web = os.path.join(root, "web")
    if not os.path.isdir(web):
        for rel, data in FILES.items():
            path = os.path.join(web, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        with open(os.path.join(root, "CMakeLists.txt"), "w") as f:
            f.write(MARKER + "\n")
        with open(os.path.join(root, "secret.txt"), "w") as f:
            f.write(MARKER + "\n")
        os.symlink(os.path.join(root, "secret.txt"), os.path.join(web, "escape-link.txt"))
        os.symlink(root, os.path.join(web, "escape-dir"))
    return web


def static_server(ctx):
    """The static-file server, started on first use (and not restarted if it died)."""
    if getattr(ctx, "_static", None) is None:
        web = _site(ctx)
        ctx._static = ctx.stack.enter_context(
            start_server(ctx.forumd, ctx.tmp_path("static.db"), web, ctx.tmp_path("forumd-static.log")))
    return ctx._static


def _ctype(r):
    return (r.header("Content-Type") or "").split(";")[0].strip().lower()


@tests
def test_healthz(ctx):
    r = ctx.client().get("/healthz")
    body = expect_json(r, 200)
    check(body == {"status": "ok"}, f"/healthz body {body}")
    r = ctx.client().request("HEAD", "/healthz")
    check(r.status == 200 and r.body == b"", f"HEAD /healthz: {r.describe()}")


@tests
def test_index_with_etag_and_304(ctx):
    srv = static_server(ctx)
    c = Client(srv)
    r = c.get("/")
    check(r.status == 200, f"GET /: {r.describe()}")
    check(_ctype(r) == "text/html", f"GET / Content-Type {r.header('Content-Type')!r}")
    check(r.body == FILES["index.html"], f"GET / served {r.body[:100]!r}, not index.html")
    etag = r.header("ETag")
    check(etag, f"GET / has no ETag: {r.header_list}")
    r2 = c.get("/", headers={"If-None-Match": etag})
    check(r2.status == 304, f"If-None-Match {etag}: {r2.describe()}")
    check(r2.body == b"", f"304 with a body {r2.body[:80]!r}")
    r3 = c.get("/", headers={"If-None-Match": '"not-the-etag"'})
    check(r3.status == 200 and r3.body == FILES["index.html"], f"a stale If-None-Match: {r3.describe()}")
    r4 = c.get("/index.html")
    check(r4.status == 200 and r4.body == FILES["index.html"], f"/index.html: {r4.describe()}")
    check(r4.header("ETag") == etag, f"/index.html ETag {r4.header('ETag')!r} != / ETag {etag!r}")
    r5 = c.request("HEAD", "/")
    check(r5.status == 200 and r5.body == b"" and _ctype(r5) == "text/html", f"HEAD /: {r5.describe()}")


@tests
def test_if_none_match_star_and_list(ctx):
    """RFC 9110 13.1.2: "*" and a list that contains the current ETag both mean "not modified"."""
    srv = static_server(ctx)
    c = Client(srv)
    etag = c.get("/css/site.css").header("ETag")
    check(etag, "no ETag on /css/site.css")
    wrong = []
    for inm in ("*", f'"nope", {etag}', f"{etag}, \"other\"", f"W/{etag}"):
        r = c.get("/css/site.css", headers={"If-None-Match": inm})
        if r.status != 304 or r.body != b"":
            wrong.append(f"If-None-Match: {inm} -> {r.status}")
    check(not wrong, f"ETag {etag}: " + "; ".join(wrong))


@tests
def test_etag_changes_with_the_file(ctx):
    srv = static_server(ctx)
    c = Client(srv)
    path = os.path.join(srv.web, "changing.html")
    r = c.get("/changing.html")
    check(r.status == 200 and r.body == FILES["changing.html"], f"/changing.html: {r.describe()}")
    old = r.header("ETag")
    check(old, "no ETag on /changing.html")
    time.sleep(1.1)
    new_body = b"<!doctype html><p>second version, longer</p>\n"
    with open(path, "wb") as f:
        f.write(new_body)
    r2 = c.get("/changing.html", headers={"If-None-Match": old})
    check(r2.status == 200 and r2.body == new_body, f"changed file with the old ETag: {r2.describe()}")
    check(r2.header("ETag") and r2.header("ETag") != old, f"ETag stayed {old!r} after the file changed")


for _path, _types in TYPES:
    def _t(ctx, path=_path, types=_types):
        srv = static_server(ctx)
        r = Client(srv).get(path)
        check(r.status == 200, f"GET {path}: {r.describe()}")
        rel = path.lstrip("/").replace("%20", " ")
        check(r.body == FILES[rel], f"GET {path} body differs from the file")
        check(_ctype(r) in types, f"GET {path} Content-Type {r.header('Content-Type')!r}, want {types}")
        check(r.header("ETag"), f"GET {path} has no ETag")
    tests.add(f"content_type[{_path}]", _t)


@tests
def test_query_string_ignored_for_files(ctx):
    srv = static_server(ctx)
    for path, rel in (("/css/site.css?v=123", "css/site.css"), ("/?utm=x", "index.html"),
                      ("/js/app.js?a=1&b=%2e%2e", "js/app.js")):
        r = Client(srv).get(path)
        check(r.status == 200 and r.body == FILES[rel], f"GET {path}: {r.describe()}")


@tests
def test_real_web_folder_index(ctx):
    """The main server serves the --web folder's index.html at / (404 if it has none)."""
    index = os.path.join(ctx.web, "index.html")
    r = ctx.client().get("/")
    if os.path.isfile(index):
        with open(index, "rb") as f:
            want = f.read()
        check(r.status == 200 and r.body == want, f"GET / on {ctx.web}: {r.describe()}")
        check(_ctype(r) == "text/html", f"Content-Type {r.header('Content-Type')!r}")
    else:
        check(r.status == 404, f"{ctx.web} has no index.html, yet GET /: {r.describe()}")


NOT_FOUND = ["/no-such-file.html", "/css/nope.css", "/nope/deeper/file.js", "/index.html.bak",
             "/INDEX.HTML", "/index.html/", "/.hidden"]
for _p in NOT_FOUND:
    def _t(ctx, p=_p):
        r = Client(static_server(ctx)).get(p)
        check(r.status == 404, f"unknown static file: {r.describe()}")
    tests.add(f"static_404[{_p}]", _t)


@tests
def test_directory_is_not_listed(ctx):
    srv = static_server(ctx)
    for p in ("/css/", "/css", "/img/"):
        r = Client(srv).get(p)
        check(r.status in (301, 302, 403, 404), f"GET {p}: {r.describe()}")
        check(b"site.css" not in r.body and b"logo.svg" not in r.body, f"GET {p} lists the folder")


TRAVERSAL = [
    "/../CMakeLists.txt",
    "/%2e%2e/CMakeLists.txt",
    "/%2E%2E%2FCMakeLists.txt",
    "/css/..%2f..%2fCMakeLists.txt",
    "/css/../../CMakeLists.txt",
    "/css/%2e%2e/%2e%2e/CMakeLists.txt",
    "/..%5cCMakeLists.txt",
    "/css/..\\..\\CMakeLists.txt",
    "/..%2fCMakeLists.txt",
    "/.%2e/CMakeLists.txt",
    "/./../CMakeLists.txt",
    "/%252e%252e/CMakeLists.txt",
    "/%c0%ae%c0%ae/CMakeLists.txt",
    "/..;/CMakeLists.txt",
    "/../secret.txt",
    "/escape-link.txt",
    "/escape-dir/secret.txt",
    "/escape-dir/CMakeLists.txt",
    "/%00",
    "/index.html%00.css",
    "//etc/passwd",
    "/../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/" + "%2e%2e/" * 12 + "etc/passwd",
]
for _p in TRAVERSAL:
    def _t(ctx, p=_p):
        for srv in (static_server(ctx), ctx.server):
            rr = raw_get(srv, p)
            check(rr.status is not None, f"no HTTP answer to GET {p}: {rr.data[:200]!r}")
            check(MARKER.encode() not in rr.body and b"cmake_minimum_required" not in rr.body,
                  f"GET {p} served a file from outside the web folder: {rr.data[:200]!r}")
            check(b"root:" not in rr.body, f"GET {p} served /etc/passwd: {rr.data[:200]!r}")
            check(rr.status in (400, 403, 404), f"GET {p}: status {rr.status}, want 400 or 404")
        wait_healthy(ctx._static, f"after GET {p}")
    tests.add(f"traversal_refused[{_p}]", _t)


# -- raw-socket robustness ----------------------------------------------------------------------

# (name, bytes, strict): a strict case is malformed, so any answer must be a 4xx (or 501/505);
# the others are unusual but legal, and need only not be a server error. Either way /healthz must
# answer 200 afterwards.
ROBUSTNESS = [
    ("garbage_request_line", b"GARBAGE\r\n\r\n", True),
    ("binary_junk", b"\x00\xff\xfe" * 200 + b"\r\n\r\n", True),
    ("header_without_colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", True),
    ("empty_header_name", b"GET /healthz HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n", False),
    ("bad_version", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", True),
    ("huge_version", b"GET /healthz HTTP/4294967295.255\r\nHost: x\r\n\r\n", True),
    ("negative_length", b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", True),
    ("garbage_length", b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", True),
    ("two_lengths", b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    b"Content-Length: 40\r\n\r\n{}", True),
    ("bad_chunk", b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"zz\r\n{}\r\n0\r\n\r\n", True),
    ("huge_uri", b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", False),
    ("huge_header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200000 + b"\r\n\r\n", False),
    ("many_headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                     + b"".join(b"X-H%d: v\r\n" % i for i in range(3000)) + b"\r\n", False),
    ("nul_in_path", b"GET /heal\x00thz HTTP/1.1\r\nHost: x\r\n\r\n", True),
    ("nul_in_cookie", b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nCookie: forumd_session=a\x00b\r\n\r\n", True),
]
for _name, _data, _strict in ROBUSTNESS:
    def _t(ctx, data=_data, strict=_strict):
        rr = raw_request(ctx.server.host, ctx.server.port, data)
        if rr.status is not None and strict:
            check(400 <= rr.status < 500 or rr.status in (501, 505),
                  f"answer {rr.status} to a malformed request: {rr.describe(data)}")
        elif rr.status is not None:
            check(rr.status < 500, f"server error for an unusual request: {rr.describe(data)}")
        wait_healthy(ctx.server)
    tests.add(f"robust[{_name}]", _t)


@tests
def test_truncated_body_then_close(ctx):
    data = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n{\"email\": \"a@example.org\", \"pass")
    for _ in range(3):
        with socket.create_connection((ctx.server.host, ctx.server.port), timeout=5) as s:
            s.sendall(data)
            time.sleep(0.2)
    rr = raw_request(ctx.server.host, ctx.server.port, data, half_close=True, timeout=3)
    if rr.status is not None:
        check(400 <= rr.status < 500, f"answer to a truncated body: {rr.describe(data)}")
    wait_healthy(ctx.server, "after truncated bodies")


@tests
def test_partial_request_line_then_close(ctx):
    for chunk in (b"GE", b"GET /api/v1/objectives HT", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"):
        with socket.create_connection((ctx.server.host, ctx.server.port), timeout=5) as s:
            s.sendall(chunk)
    wait_healthy(ctx.server, "after partial requests")


@tests
def test_pipelined_requests_answered_in_order(ctx):
    data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /api/v1/objectives/2 HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /api/v1/objectives/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    chunks = []
    with socket.create_connection((ctx.server.host, ctx.server.port), timeout=5) as s:
        s.sendall(data)
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        except socket.timeout:
            pass
    got = b"".join(chunks)
    check(got.count(b"HTTP/1.1 200") == 3, f"want three 200 answers, got {got[:400]!r}")
    i2, i3 = got.find(b"terrorism-radicalisation"), got.find(b'"cyberspace"')
    check(got.find(b'"status"') < i2 < i3, "pipelined answers out of order")


@tests
def test_static_server_sigint_exits_0(ctx):
    srv = static_server(ctx)
    wait_healthy(srv, "before SIGINT")
    status = srv.stop(signal.SIGINT)
    check(status == 0, f"exit status {status} after SIGINT, want 0")


def _check_security_headers(headers, what):
    """headers: a dict with lower-case names."""
    csp = headers.get("content-security-policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    for name, want in [("default-src", "default-src 'self'"), ("object-src", "object-src 'none'"),
                       ("base-uri", "base-uri 'self'"), ("frame-ancestors", "frame-ancestors 'none'")]:
        check(directives.get(name) == want, f"{what}: CSP {name} is {directives.get(name)!r} in {csp!r}")
    check("unsafe-inline" not in csp and "unsafe-eval" not in csp and "script-src" not in directives,
          f"{what}: CSP allows more script than the site's own files: {csp!r}")
    check(headers.get("x-content-type-options") == "nosniff", f"{what}: X-Content-Type-Options {headers}")
    check(headers.get("referrer-policy") == "same-origin", f"{what}: Referrer-Policy {headers}")


@tests
def test_security_headers_on_every_kind_of_answer(ctx):
    """The web front end's pages, its files, the API (answers, errors, 304s), feeds, the event
    stream and the health check all carry the same strict headers."""
    c = ctx.client()
    page = c.get("/")
    etag = page.header("ETag")
    answers = {
        "index": page,
        "script": c.get("/js/app.js"),
        "stylesheet": c.get("/css/forum.css"),
        "catalogue": c.get("/i18n/fr.json"),
        "304": c.get("/", headers={"If-None-Match": etag}),
        "missing file": c.get("/no/such/file.js"),
        "API answer": c.get("/api/v1/objectives"),
        "API 401": c.get("/api/v1/me"),
        "API 404": c.get("/api/v1/threads/999999999"),
        "API 400": c.post("/api/v1/auth/login", raw="{not json"),
        "feed": c.get("/feeds/objectives/1.atom"),
        "health": c.get("/healthz"),
    }
    check(answers["304"].status == 304, f"If-None-Match on / gave {answers['304'].status}")
    for what, r in answers.items():
        _check_security_headers({k.lower(): v for k, v in r.header_list}, what)
    for what in ("script", "stylesheet", "catalogue"):
        r = answers[what]
        check(r.status == 200 and r.header("ETag") and r.header("Cache-Control"),
              f"{what}: a static file needs ETag and Cache-Control: {r.describe()}")
    stream = raw_request(ctx.server.host, ctx.server.port,
                         b"GET /api/v1/events?objective=1 HTTP/1.1\r\nHost: x\r\n\r\n", timeout=1.0)
    check(stream.status == 200, f"event stream: {stream.data[:200]!r}")
    _check_security_headers(stream.headers, "event stream")
