#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into tests/fuzz/corpus/<harness>/.

Seeds are realistic inputs taken from the API contract (../shared/spec/API.md): requests of every
route, JSON bodies of the handlers, search queries, Markdown with links, images and HTML, cursors
as fd_cursor_encode writes them. Running this again rewrites the seed-* files it owns and leaves
every other file alone: the regress-* files are inputs that once found a bug (see the README), and
stay in the corpus for good.

The secrets below are the fuzz_request fixtures' (tests/fuzz/fuzz_request.c), valid only in the
harness's throw-away database.
"""
import base64
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

ADMIN_TOKEN = "ZnV6eiBhZG1pbiBhcGkgdG9rZW4gMDAwMDAwMDAwMDE"
MOD_TOKEN = "ZnV6eiBtb2RlcmF0b3IgYXBpIHRva2VuIDAwMDAwMDI"
MEMBER_TOKEN = "ZnV6eiBtZW1iZXIgYXBpIHRva2VuIDAwMDAwMDAwMDM"
MEMBER_SESSION = "ZnV6eiBtZW1iZXIgc2Vzc2lvbiBzZWNyZXQgMDAwMDQ"
PASSWORD = "correct horse battery staple"


def csrf(session):
    mac = hashlib.blake2b(session.encode(), key=b"forumd csrf token v1", digest_size=32).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


MEMBER_CSRF = csrf(MEMBER_SESSION)


def cursor(kind, *keys):
    """As fd_cursor_encode: "<kind>.<k1>.<k2>..." in unpadded base64url."""
    plain = kind + "".join(".%d" % k for k in keys)
    return base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")


def write(harness, name, data):
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


# ---- requests ----

def request(method, path, body=None, auth=None, headers=(), version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, path, version), "Host: forum.example.eu"]
    if auth == "member":
        lines.append("Authorization: Bearer " + MEMBER_TOKEN)
    elif auth == "moderator":
        lines.append("Authorization: Bearer " + MOD_TOKEN)
    elif auth == "admin":
        lines.append("Authorization: Bearer " + ADMIN_TOKEN)
    elif auth == "cookie":
        lines.append("Cookie: forumd_session=" + MEMBER_SESSION)
        lines.append("X-CSRF-Token: " + MEMBER_CSRF)
    lines.extend(headers)
    raw = b""
    if body is not None:
        raw = (json.dumps(body) if not isinstance(body, (str, bytes)) else body)
        raw = raw.encode() if isinstance(raw, str) else raw
        lines.append("Content-Type: application/json")
        lines.append("Content-Length: %d" % len(raw))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + raw


REQUESTS = {
    "healthz": request("GET", "/healthz"),
    "register": request("POST", "/api/v1/auth/register", {
        "email": "new.member@example.eu", "password": "a long enough passphrase",
        "display_name": "Marie Curie", "stakeholder_type": "academia", "organisation": "Sorbonne",
        "country": "FR", "transparency_register_id": "123456789012-34"}),
    "login": request("POST", "/api/v1/auth/login", {"email": "member@fuzz.example", "password": PASSWORD}),
    "login-wrong": request("POST", "/api/v1/auth/login", {"email": "member@fuzz.example", "password": "nope"}),
    "logout-cookie": request("POST", "/api/v1/auth/logout", auth="cookie"),
    "me-cookie": request("GET", "/api/v1/me", auth="cookie"),
    "me-bearer": request("GET", "/api/v1/me", auth="member"),
    "me-patch": request("PATCH", "/api/v1/me", {"display_name": "Fuzz member", "organisation": None,
                                                "country": "be"}, auth="cookie"),
    "me-delete-wrong": request("DELETE", "/api/v1/me", {"password": "not the password"}, auth="member"),
    "me-export": request("GET", "/api/v1/me/export", auth="member"),
    "tokens-create": request("POST", "/api/v1/me/tokens", {"name": "my script"}, auth="cookie"),
    "tokens-list": request("GET", "/api/v1/me/tokens", auth="member"),
    "tokens-delete": request("DELETE", "/api/v1/me/tokens/99", auth="member"),
    "objectives": request("GET", "/api/v1/objectives"),
    "objective-slug": request("GET", "/api/v1/objectives/crime-networks"),
    "threads-list": request("GET", "/api/v1/objectives/1/threads?limit=5&key_action=1&cursor=" +
                            cursor("t", 0, 1767225600, 5)),
    "thread-create": request("POST", "/api/v1/objectives/1/threads", {
        "title": "Protecting public spaces", "key_action_id": 1,
        "body": "What should **cities** do? See [the strategy](https://home-affairs.ec.europa.eu/).",
        "language": "en"}, auth="member"),
    "thread-create-consultation": request("POST", "/api/v1/objectives/2/threads", {
        "title": "Consultation on funding", "body": "Please answer before the deadline.",
        "consultation": {"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2027-12-31T23:59:59+01:00"}},
        auth="admin"),
    "thread-get": request("GET", "/api/v1/threads/1?limit=2&cursor=" + cursor("p", 1)),
    "post-create": request("POST", "/api/v1/threads/1/posts", {
        "body": "I agree.\n\n> quoted\n\n![chart](https://example.eu/c.png)", "parent_id": 1,
        "anonymous": True}, auth="cookie"),
    "post-official": request("POST", "/api/v1/threads/1/posts", {"body": "Official answer", "official": True},
                             auth="admin"),
    "post-edit": request("PATCH", "/api/v1/posts/1", {"body": "Edited text", "reason": "typo"}, auth="member"),
    "post-revisions": request("GET", "/api/v1/posts/1/revisions"),
    "post-delete": request("DELETE", "/api/v1/posts/3", auth="member"),
    "post-flag": request("POST", "/api/v1/posts/1/flags", {"reason": "other", "text": "Off topic."},
                         auth="moderator"),
    "mod-flags": request("GET", "/api/v1/mod/flags?state=open&limit=10&cursor=" + cursor("f", 10),
                         auth="moderator"),
    "mod-resolve": request("POST", "/api/v1/mod/flags/1/resolve", {"action": "dismiss"}, auth="moderator"),
    "post-hide": request("POST", "/api/v1/posts/2/hide", {"reason": "Personal data"}, auth="moderator"),
    "post-unhide": request("POST", "/api/v1/posts/2/unhide", auth="moderator"),
    "thread-update": request("PATCH", "/api/v1/threads/1", {
        "locked": False, "pinned": True, "title": "Fuzzing thread", "reason": "pin",
        "consultation": {"closes_at": "2030-01-01T00:00:00Z"}}, auth="admin"),
    "user-suspend": request("POST", "/api/v1/users/4/suspend", {"until": "2030-01-01T00:00:00Z",
                                                                 "reason": "spam"}, auth="moderator"),
    "user-unsuspend": request("POST", "/api/v1/users/4/unsuspend", auth="moderator"),
    "user-role": request("PUT", "/api/v1/users/4/role", {"role": "moderator", "moderates": [1, 3]},
                         auth="admin"),
    "mod-log": request("GET", "/api/v1/mod/log?target_type=post&target_id=1&limit=5&cursor=" + cursor("l", 7),
                       auth="admin"),
    "follow-objective": request("PUT", "/api/v1/objectives/1/follow", auth="member"),
    "unfollow-thread": request("DELETE", "/api/v1/threads/1/follow", auth="cookie"),
    "follow-key-action": request("PUT", "/api/v1/key-actions/2/follow", auth="member"),
    "follows": request("GET", "/api/v1/me/follows", auth="member"),
    "notifications": request("GET", "/api/v1/notifications?limit=5&cursor=" + cursor("n", 1767225600, 3),
                             auth="member"),
    "notifications-read": request("POST", "/api/v1/notifications/read", {"ids": [1, 2]}, auth="member"),
    "events-thread": request("GET", "/api/v1/events?thread=1", headers=["Last-Event-ID: 3"]),
    "feed-objective": request("GET", "/feeds/objectives/crime-networks.atom"),
    "feed-thread-conditional": request("GET", "/feeds/threads/1.atom", headers=[
        'If-None-Match: "g1-1"', "If-Modified-Since: Sun, 29 Nov 2026 12:00:00 GMT"]),
    "feed-key-action": request("GET", "/feeds/key-actions/1.atom"),
    "search": request("GET", "/api/v1/search?q=security+%22public+spaces%22+-terror&objective=crime-networks"
                      "&stakeholder_type=civil_society&country=BE&from=2026-01-01&to=2027-12-31T00:00:00Z&limit=5"),
    "search-cursor": request("GET", "/api/v1/search?q=secur*&cursor=" + cursor("s", 4607182418800017408, 12)),
    "export-csv": request("GET", "/api/v1/objectives/1/export?format=csv", auth="moderator"),
    "export-thread-json": request("GET", "/api/v1/threads/1/export?format=json", auth="admin"),
    "stats": request("GET", "/api/v1/stats?objective=1"),
    "preview": request("POST", "/api/v1/preview", {"body": "*Hello* [x](javascript:alert(1)) <b>raw</b>"},
                       auth="cookie"),
    "static-index": request("GET", "/"),
    "static-head": request("HEAD", "/index.html"),
    "static-traversal": request("GET", "/%2e%2e/%2e%2e/etc/passwd"),
    "static-hidden": request("GET", "/js/../.git/config"),
    "options": request("OPTIONS", "/api/v1/threads/1"),
    "method-not-allowed": request("DELETE", "/api/v1/objectives"),
    "unknown-method": b"PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n",
    "version-1.2": request("GET", "/healthz", version="HTTP/1.2"),
    "version-negative": request("GET", "/healthz", version="HTTP/1.-5"),
    "http10-close": request("GET", "/api/v1/objectives/1", version="HTTP/1.0", headers=["Connection: close"]),
    "pipelined": request("GET", "/healthz") + request("GET", "/api/v1/threads/1", auth="member") +
                 request("POST", "/api/v1/auth/login", {"email": "x@y.eu", "password": "p"}),
    "chunked-body": (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n10\r\n{\"email\":\"a@b.e\r\n"
                     b"13\r\nu\",\"password\":\"pw\"}\r\n0\r\n\r\n"),
    "expect-continue": (b"POST /api/v1/preview HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        MEMBER_TOKEN.encode() + b"\r\nExpect: 100-continue\r\nContent-Length: 13\r\n\r\n"
                        b"{\"body\":\"x\"}\n"),
    "bad-json": request("POST", "/api/v1/threads/1/posts", '{"body": "x", "body": "dup"}', auth="member"),
    "deep-json": request("POST", "/api/v1/preview", "[" * 40 + "]" * 40, auth="member"),
    "nul-in-query": request("GET", "/api/v1/search?q=a%00b"),
    "bad-utf8-path": b"GET /api/v1/objectives/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n",
    "long-header": request("GET", "/healthz", headers=["X-Long: " + "a" * 20000]),
    "csrf-missing": (b"POST /api/v1/me/tokens HTTP/1.1\r\nHost: x\r\nCookie: forumd_session=" +
                     MEMBER_SESSION.encode() + b"\r\nContent-Length: 14\r\n\r\n{\"name\":\"tok\"}"),
}

# ---- JSON bodies (fuzz_json) ----

BODIES = {
    "register": {"email": "a@b.eu", "password": "twelve chars!", "display_name": "Ada",
                 "stakeholder_type": "citizen", "organisation": "", "country": "IE",
                 "transparency_register_id": "1234-5"},
    "thread": {"title": "Border management", "key_action_id": 10, "body": "Text with **bold**.",
               "anonymous": False, "official": False, "language": "de-AT",
               "consultation": {"closes_at": "2026-12-31T23:59:59Z", "opens_at": None}},
    "reply": {"parent_id": 1, "body": "Réponse en français 🇪🇺", "language": "fr"},
    "profile": {"display_name": "Renamed", "organisation": None, "country": ""},
    "edit": {"body": "  edited\n", "reason": "clarity"},
    "unknown-key": {"body": "x", "bodyy": "typo"},
    "types": {"title": 5, "key_action_id": -1, "anonymous": "yes", "body": ["x"]},
    "nested": {"consultation": {"closes_at": "2026-02-29T00:00:00Z", "extra": [{"a": [1.5, -0.0, 1e300]}]}},
}
RAW_BODIES = {
    "escapes": '{"body": "tab\\t nl\\n quote\\" bs\\\\ u\\u00e9 \\ud83d\\ude00 nul\\u0000"}',
    "duplicate": '{"body": "a", "body": "b"}',
    "deep": "{\"a\":" * 33 + "1" + "}" * 33,
    "not-object": '["body", "x"]',
    "bad-utf8": b'{"body": "\xc0\xaf"}',
    "blank": '{"title": " \\t ", "body": "\\n"}',
}

# ---- Markdown (fuzz_markdown) ----

MARKDOWN = {
    "links": "[ok](https://example.eu) [mail](mailto:a@b.eu) [rel](/threads/1) [js](javascript:alert(1))\n"
             "[ent](&#106;avascript:alert(1)) [tab](java\tscript:x) [data](data:text/html;base64,PHNjcmlwdD4=)\n"
             "[vb](VBScript:msgbox) [pct](%6Aavascript:x) <https://autolink.eu> <mailto:x@y.eu>\n",
    "images": '![alt](https://example.eu/i.png "title") ![x](javascript:alert(1)) [![in link](a.png)](https://b.eu)\n',
    "html": "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:x\">a</a>\n"
            "<div onclick=\"x()\">div</div> <!-- comment --> <style>*{}</style>\n",
    "blocks": "# Title\n\n## Sub\n\n1. one\n2. two\n\n7. seven\n\n- a\n  - b\n\n> quote\n\n---\n\n```js\nalert(1)\n```\n\n"
              "    indented\n\nline  \nbreak *em* **strong** `code`\n",
    "reference": '[a][ref] [b]\n\n[ref]: https://example.eu/x "T"\n[b]: javascript:alert(1)\n',
    "title-quotes": '[x](https://e.eu "a \\" onmouseover=\\"alert(1)") [y](<https://e.eu/a b>)\n',
    "entities": "&amp; &lt;script&gt; &#x3C;img&#x3E; &nbsp; &copy; &#0; &#xD800;\n",
    "unicode": "Sécurité — « citation » 東京 \u202e RTL \u0000 nul\n",
}

# ---- search (fuzz_search) ----

SEARCH = {
    "words": "security public spaces",
    "phrase": '"critical infrastructure" cyber',
    "prefix-exclude": "secur* -terrorism europol",
    "operators": "title:x AND y OR NOT z NEAR(a b) ^start +plus",
    "quotes": '"unterminated phrase  "" """ a"b"c',
    "unicode": "sécurité « Grundrechte » 東京 — …",
    "only-exclusions": "-a -b",
    "too-many": " ".join("w%d" % i for i in range(14)),
    "punctuation": "a-b c.d (e) {f} [g] *h* -i* \\ ' ;",
}

# ---- cursors (fuzz_cursor) ----

CURSORS = {
    "threads": cursor("t", 1, 1767225600, 42),
    "posts": cursor("p", 17),
    "flags": cursor("f", 3),
    "log": cursor("l", 9),
    "notifications": cursor("n", 1767225600, 5),
    "search": cursor("s", 4607182418800017408, 12),
    "extremes": cursor("t", -9223372036854775808, 9223372036854775807, 0),
    "tampered": cursor("t", 1, 2) + "A",
}

# ---- router (fuzz_router): a method byte (1 GET, 2 HEAD, 3 POST, 4 PUT, 5 PATCH, 6 DELETE, 7 OPTIONS) ----

ROUTES = {
    "thread": b"\x01/api/v1/threads/42?limit=5",
    "posts": b"\x03/api/v1/threads/42/posts",
    "feed": b"\x01/feeds/threads/7.atom",
    "feed-suffix-only": b"\x01/feeds/threads/.atom",
    "encoded": b"\x05/api/v1/posts/%31%32",
    "slash-encoded": b"\x01/api/v1/threads/1%2Fposts",
    "absolute": b"\x01http://forum.example.eu/api/v1/objectives/cyberspace?x=1#f",
    "dots": b"\x01/api/v1/../v1/./objectives//",
    "static": b"\x02/js/app.js",
    "user-role": b"\x04/api/v1/users/9/role",
    "options": b"\x07/api/v1/me/tokens/5",
    "nul": b"\x06/api/v1/me%00",
}


def main():
    for name, data in REQUESTS.items():
        write("fuzz_request", name, data)
    for name, body in BODIES.items():
        write("fuzz_json", name, json.dumps(body, ensure_ascii=False))
    for name, raw in RAW_BODIES.items():
        write("fuzz_json", name, raw)
    for name, text in MARKDOWN.items():
        write("fuzz_markdown", name, text)
    for name, q in SEARCH.items():
        write("fuzz_search", name, q)
    for name, c in CURSORS.items():
        write("fuzz_cursor", name, c)
    for name, r in ROUTES.items():
        write("fuzz_router", name, r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
