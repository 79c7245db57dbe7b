"""Following, notifications and live updates (server-sent events)."""

import http.client
import json
import socket
import time

from client import TestList, check, expect_error, expect_json, fail, start_server
from fixtures import unique

tests = TestList()
API = "/api/v1"


def follows(client):
    return expect_json(client.get(f"{API}/me/follows"), 200)


def notifications(client, query=""):
    return expect_json(client.get(f"{API}/notifications{query}"), 200)


def about(client, post_id):
    """The notifications of client that are about post_id."""
    return [n for n in notifications(client, "?limit=100")["notifications"] if n["post_id"] == post_id]


# -- follows -------------------------------------------------------------------------------------

@tests
def test_follow_and_unfollow_everything(ctx):
    c = ctx.login(ctx.new_member())
    obj, ka = ctx.key_action("work-with-industry")
    t, _ = ctx.create_thread(ctx.signed_in("alice"), obj["id"])
    for path in (f"objectives/{obj['slug']}", f"key-actions/{ka['id']}", f"threads/{t['id']}"):
        for _ in range(2):  # idempotent
            r = c.request("PUT", f"{API}/{path}/follow")
            check(r.status == 204, f"PUT {path}/follow: {r.describe()}")
    f = follows(c)
    check(f == {"objectives": [obj["id"]], "key_actions": [ka["id"]], "threads": [t["id"]]}, f"follows {f}")
    for path in (f"objectives/{obj['id']}", f"key-actions/{ka['id']}", f"threads/{t['id']}"):
        for _ in range(2):
            r = c.request("DELETE", f"{API}/{path}/follow")
            check(r.status == 204, f"DELETE {path}/follow: {r.describe()}")
    f = follows(c)
    check(f == {"objectives": [], "key_actions": [], "threads": []}, f"follows after unfollowing {f}")
    for path in ("objectives/no-such-objective", "key-actions/99999", "threads/99999999"):
        expect_error(c.request("PUT", f"{API}/{path}/follow"), 404, "not_found")
    expect_error(ctx.client().request("PUT", f"{API}/threads/{t['id']}/follow"), 401, "unauthorized")


@tests
def test_authors_follow_their_threads(ctx):
    c = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(c, ctx.objective("cyberspace")["id"])
    check(t["id"] in follows(c)["threads"], "the author does not follow their new thread")


# -- notifications ------------------------------------------------------------------------------

@tests
def test_new_thread_in_followed_objective_and_key_action(ctx):
    reader = ctx.login(ctx.new_member())
    writer = ctx.login(ctx.new_member())
    obj, ka = ctx.key_action("eurosur")
    reader.request("PUT", f"{API}/objectives/{obj['id']}/follow")
    reader.request("PUT", f"{API}/key-actions/{ka['id']}/follow")
    t, p = ctx.create_thread(writer, obj["id"], key_action_id=ka["id"])
    got = about(reader, p["id"])
    check(len(got) == 1 and got[0]["kind"] == "new_thread", f"one new_thread for the opening post, got {got}")
    n = got[0]
    check(n["thread_id"] == t["id"] and n["read"] is False and n["thread_title"] == t["title"], f"{n}")
    check(n["actor"]["id"] == writer.user["id"] if writer.user else True, f"actor {n['actor']}")
    check(about(writer, p["id"]) == [], "the author is notified of their own thread")


@tests
def test_only_what_comes_after_the_follow(ctx):
    reader = ctx.login(ctx.new_member())
    writer = ctx.login(ctx.new_member())
    obj = ctx.objective("border-management")["id"]
    _, before = ctx.create_thread(writer, obj)
    reader.request("PUT", f"{API}/objectives/{obj}/follow")
    check(about(reader, before["id"]) == [], "a thread from before the follow is news")


@tests
def test_new_post_and_reply_once_each(ctx):
    reader = ctx.login(ctx.new_member())
    writer = ctx.login(ctx.new_member())
    t, opening = ctx.create_thread(reader, ctx.objective("cyberspace")["id"])  # the author follows it
    plain = ctx.reply(writer, t["id"], body="A new post in a followed thread.")
    answer = ctx.reply(writer, t["id"], body="An answer to the opening post.", parent_id=opening["id"])
    got_plain, got_answer = about(reader, plain["id"]), about(reader, answer["id"])
    check([n["kind"] for n in got_plain] == ["new_post"], f"plain reply: {got_plain}")
    check([n["kind"] for n in got_answer] == ["reply"], f"reply to the reader's post: {got_answer}")
    mine = ctx.reply(reader, t["id"], body="My own post.")
    check(about(reader, mine["id"]) == [], "notified of one's own post")


@tests
def test_reply_without_following(ctx):
    author = ctx.login(ctx.new_member())
    other = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(ctx.signed_in("alice"), ctx.objective("cyberspace")["id"])
    mine = ctx.reply(author, t["id"], body="My contribution.")
    answer = ctx.reply(other, t["id"], body="An answer to it.", parent_id=mine["id"])
    check([n["kind"] for n in about(author, answer["id"])] == ["reply"], "no reply notification without a follow")


@tests
def test_anonymous_reply_does_not_reveal_its_author(ctx):
    author = ctx.login(ctx.new_member())
    t, opening = ctx.create_thread(author, ctx.objective("cyberspace")["id"])
    secret_acc = ctx.new_member()
    secret = ctx.login(secret_acc)
    answer = ctx.reply(secret, t["id"], body="Anonymous answer.", parent_id=opening["id"], anonymous=True)
    r = author.get(f"{API}/notifications?limit=100")
    n = [x for x in expect_json(r, 200)["notifications"] if x["post_id"] == answer["id"]]
    check(len(n) == 1 and n[0]["actor"]["display_name"] == "Anonymous" and n[0]["actor"]["id"] is None,
          f"anonymous actor shown as {n[0]['actor'] if n else None}")
    check(secret_acc.email not in r.text, "the anonymous author's email is in the notifications")


@tests
def test_hidden_posts_leave_and_moderation_is_notified(ctx):
    reader = ctx.login(ctx.new_member())
    writer_acc = ctx.new_member()
    writer = ctx.login(writer_acc)
    mod = ctx.signed_in("mod")
    t, opening = ctx.create_thread(reader, ctx.objective("cyberspace")["id"])
    p = ctx.reply(writer, t["id"], body="Soon hidden.", parent_id=opening["id"])
    check(len(about(reader, p["id"])) == 1, "no notification before hiding")
    expect_json(mod.post(f"{API}/posts/{p['id']}/hide", {"reason": "off topic here"}), 200)
    check(about(reader, p["id"]) == [], "a hidden post is still notified")
    mod_notes = [n for n in about(writer, p["id"]) if n["kind"] == "moderation"]
    check(len(mod_notes) == 1 and mod_notes[0]["reason"] == "off topic here" and mod_notes[0]["actor"] is None,
          f"the author's moderation notification: {mod_notes}")
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    expect_json(mod.post(f"{API}/users/{writer_acc.id}/suspend", {"until": until, "reason": "cool down"}), 200)
    notes = notifications(writer)["notifications"]
    check(any(n["kind"] == "moderation" and n["post_id"] is None and n["reason"] == "cool down" for n in notes),
          f"no suspension notification in {notes[:3]}")
    expect_json(mod.post(f"{API}/users/{writer_acc.id}/unsuspend", {}), 200)


@tests
def test_unread_count_and_marking_read(ctx):
    reader = ctx.login(ctx.new_member())
    writer = ctx.login(ctx.new_member())
    t, opening = ctx.create_thread(reader, ctx.objective("crisis-resilience")["id"])
    posts = [ctx.reply(writer, t["id"], body=f"Post {i}.") for i in range(4)]
    body = notifications(reader)
    check(body["unread_count"] == 4, f"unread_count {body['unread_count']}, want 4")
    first = [n["id"] for n in body["notifications"] if n["post_id"] == posts[0]["id"]]
    r = reader.post(f"{API}/notifications/read", {"ids": first})
    check(r.status == 204, f"mark one read: {r.describe()}")
    body = notifications(reader)
    check(body["unread_count"] == 3, f"unread_count {body['unread_count']} after marking one")
    check([n["read"] for n in body["notifications"] if n["post_id"] == posts[0]["id"]] == [True], "not marked read")
    unread = notifications(reader, "?unread=1")["notifications"]
    check(len(unread) == 3 and all(not n["read"] for n in unread), f"?unread=1 gave {unread}")
    check(reader.post(f"{API}/notifications/read", {}).status == 204, "mark all")
    body = notifications(reader)
    check(body["unread_count"] == 0 and all(n["read"] for n in body["notifications"]), f"after mark all: {body}")
    later = ctx.reply(writer, t["id"], body="After marking all.")
    check(notifications(reader)["unread_count"] == 1 and not about(reader, later["id"])[0]["read"],
          "a post after 'mark all' is not unread")
    for bad in ({"ids": []}, {"ids": "x"}, {"ids": [0]}, {"ids": [1] * 101}, {"other": 1}):
        expect_error(reader.post(f"{API}/notifications/read", bad), 400, "validation_failed")


@tests
def test_notification_pages(ctx):
    reader = ctx.login(ctx.new_member())
    writer = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(reader, ctx.objective("crime-networks")["id"])
    made = [ctx.reply(writer, t["id"], body=f"Paged {i}.")["id"] for i in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        body = notifications(reader, "?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += [n["post_id"] for n in body["notifications"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    check(seen == sorted(made, reverse=True), f"pages gave {seen}, want newest first {sorted(made, reverse=True)}")
    expect_error(reader.get(f"{API}/notifications?cursor=garbage"), 400, "bad_request")


# -- live updates ---------------------------------------------------------------------------------

class Stream:
    """An event stream read with a raw socket, so that events are seen as they arrive."""

    def __init__(self, ctx, query, last_event_id=None):
        self.sock = socket.create_connection((ctx.server.host, ctx.server.port), timeout=5)
        extra = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id else ""
        self.sock.sendall(f"GET {API}/events?{query} HTTP/1.1\r\nHost: test\r\n{extra}\r\n".encode())
        self.buf = b""
        self.seen = 0
        head = self._until(b"\r\n\r\n", 5)
        self.status = int(head.split(b" ", 2)[1])
        self.headers = head.decode("latin-1").lower()

    def _until(self, marker, timeout):
        deadline = time.time() + timeout
        while marker not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                fail(f"no {marker!r} from the event stream within {timeout}s (got {self.buf[-300:]!r})")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                fail(f"the event stream closed (got {self.buf[-300:]!r})")
            self.buf += chunk
        out, self.buf = self.buf.split(marker, 1)
        return out

    def events(self, n, timeout=3):
        """The next n events as (id, kind, data), skipping comments and the chunk framing. The
        whole stream so far is parsed again each time, so that a chunk split across reads is whole."""
        deadline = time.time() + timeout
        while True:
            got = parse_events(dechunk(self.buf))
            if len(got) >= self.seen + n:
                self.seen += n
                return got[self.seen - n:self.seen]
            left = deadline - time.time()
            if left <= 0:
                fail(f"got {len(got) - self.seen} of {n} events within {timeout}s: {got[self.seen:]}")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                fail(f"the stream closed after {len(got) - self.seen} of {n} events")
            self.buf += chunk

    def close(self):
        self.sock.close()


def dechunk(raw):
    """The event-stream text of raw HTTP/1.1 chunked bytes: every CRLF is framing (events use LF)."""
    return "".join(part for part in raw.decode("utf-8", "replace").split("\r\n") if not is_hex(part))


def is_hex(part):
    return part != "" and all(ch in "0123456789abcdefABCDEF" for ch in part)


def parse_events(text):
    """The complete events of text (blocks ended by a blank line) as (id, kind, data)."""
    out = []
    for block in text.split("\n\n")[:-1]:
        fields = {}
        for line in block.split("\n"):
            if line.startswith(":") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            fields[k] = v[1:] if v.startswith(" ") else v
        if "event" in fields:
            out.append((fields.get("id"), fields["event"], json.loads(fields.get("data", "null"))))
    return out


@tests
def test_a_second_client_receives_a_post_while_it_is_written(ctx):
    writer = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(writer, ctx.objective("cyberspace")["id"])
    s = Stream(ctx, f"thread={t['id']}")
    try:
        check(s.status == 200 and "text/event-stream" in s.headers, f"stream answer {s.status} {s.headers}")
        started = time.time()
        p = ctx.reply(writer, t["id"], body=unique("Live reply "))
        (eid, kind, data), = s.events(1, timeout=2)
        took = time.time() - started
        check(kind == "post" and data["post"]["id"] == p["id"] and data["post"]["body"] == p["body"],
              f"event {kind} {data}")
        check(eid and eid.isdigit(), f"event id {eid!r}")
        print(f"# figure: live post delivered {took * 1000:.0f} ms after the request started")
    finally:
        s.close()


@tests
def test_objective_stream_gets_threads_posts_and_changes(ctx):
    writer = ctx.login(ctx.new_member())
    obj = ctx.objective("terrorism-radicalisation")["id"]
    streams = [Stream(ctx, f"objective={obj}") for _ in range(4)]  # spread over the loop threads
    try:
        t, opening = ctx.create_thread(writer, obj, anonymous=True)
        p = ctx.reply(writer, t["id"], body="Second post.")
        expect_json(ctx.signed_in("mod").post(f"{API}/posts/{p['id']}/hide", {"reason": "test"}), 200)
        for s in streams:
            got = s.events(3)
            kinds = [k for _, k, _ in got]
            check(kinds == ["thread", "post", "post_changed"], f"events {kinds}")
            thread_ev = got[0][2]
            check(thread_ev["thread"]["id"] == t["id"] and thread_ev["post"]["id"] == opening["id"], f"{thread_ev}")
            check(thread_ev["thread"]["author"]["display_name"] == "Anonymous", "a stream reveals an anonymous author")
            changed = got[2][2]["post"]
            check(changed["hidden"] is True and changed["body"] is None, f"hidden post sent as {changed}")
    finally:
        for s in streams:
            s.close()


@tests
def test_last_event_id_resumes_without_gaps(ctx):
    writer = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(writer, ctx.objective("cyberspace")["id"])
    s = Stream(ctx, f"thread={t['id']}")
    ctx.reply(writer, t["id"], body="Seen.")
    (last, _, _), = s.events(1)
    s.close()
    missed = [ctx.reply(writer, t["id"], body=f"Missed {i}.")["id"] for i in range(3)]
    s = Stream(ctx, f"thread={t['id']}", last_event_id=last)
    try:
        got = s.events(3)
        check([d["post"]["id"] for _, _, d in got] == missed, f"replayed {[d['post']['id'] for _, _, d in got]}")
        check(all(int(i) > int(last) for i, _, _ in got), "replayed ids not after Last-Event-ID")
    finally:
        s.close()
    for stale in ("1", "not-an-id"):  # long gone from the server's buffer, or not one of its ids
        s = Stream(ctx, f"thread={t['id']}", last_event_id=stale)
        try:
            (_, kind, _), = s.events(1)
            check(kind == "reset", f"Last-Event-ID {stale!r} gave {kind}, want reset")
            ctx.reply(writer, t["id"], body="After the reset.")
            (_, kind, data), = s.events(1)
            check(kind == "post" and data["post"]["body"] == "After the reset.",
                  f"after the reset came {kind} {data}: replayed events, or nothing")
        finally:
            s.close()


@tests
def test_stream_requests_checked(ctx):
    c = ctx.client()
    expect_error(c.get(f"{API}/events"), 400, "validation_failed")
    t, _ = ctx.create_thread(ctx.signed_in("alice"), ctx.objective("cyberspace")["id"])
    expect_error(c.get(f"{API}/events?objective=1&thread={t['id']}"), 400, "validation_failed")
    expect_error(c.get(f"{API}/events?thread=99999999"), 404, "not_found")
    expect_error(c.get(f"{API}/events?objective=nowhere"), 404, "not_found")


@tests
def test_streams_per_address_are_capped(ctx):
    streams = []
    try:
        for _ in range(8):
            s = Stream(ctx, "objective=1")
            check(s.status == 200, f"stream {len(streams) + 1}: {s.status}")
            streams.append(s)
        conn = http.client.HTTPConnection(ctx.server.host, ctx.server.port, timeout=5)
        conn.request("GET", f"{API}/events?objective=1")
        r = conn.getresponse()
        body = json.loads(r.read())
        check(r.status == 429 and body["error"]["code"] == "rate_limited" and r.getheader("Retry-After"),
              f"the 9th stream: {r.status} {body}")
        conn.close()
    finally:
        for s in streams:
            s.close()
    time.sleep(0.3)  # the server sees the closes
    s = Stream(ctx, "objective=1")
    check(s.status == 200, f"a stream after closing the others: {s.status}")
    s.close()


@tests
def test_heartbeats_keep_a_quiet_stream_open(ctx):
    """A server with 1 s heartbeats and a 2 s connection timeout: a stream with no events still gets
    heartbeats and stays open past the timeout (streams have no read timeout), and SIGTERM ends it
    with exit status 0."""
    db = ctx.tmp_path(unique("heartbeat") + ".db")
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-heartbeat.log"),
                      ["--sse-heartbeat", "1", "--http-timeout", "2"]) as srv:
        class Ctx:
            server = srv
        s = Stream(Ctx, "objective=1")
        try:
            deadline = time.time() + 4.5
            while time.time() < deadline:
                s.sock.settimeout(max(0.1, deadline - time.time()))
                try:
                    chunk = s.sock.recv(4096)
                except socket.timeout:
                    break
                if not chunk:
                    fail("the server closed a quiet stream")
                s.buf += chunk
            beats = dechunk(s.buf).count(": heartbeat")
            check(beats >= 3, f"{beats} heartbeats in 4.5 s at 1 a second")
        finally:
            s.close()


@tests
def test_a_client_that_does_not_read_is_dropped(ctx):
    """A stream whose client stops reading is closed once too much waits for it, and the others
    go on receiving: a slow client holds neither memory nor the forum."""
    writer = ctx.login(ctx.new_member())
    t, _ = ctx.create_thread(writer, ctx.objective("cyberspace")["id"])
    slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills after a few KB
    slow.connect((ctx.server.host, ctx.server.port))
    slow.sendall(f"GET {API}/events?thread={t['id']} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    good = Stream(ctx, f"thread={t['id']}")
    try:
        big = "Long contribution. " * 2500  # ~47 KB of Markdown, twice that as JSON with its HTML
        sent = 0
        for _ in range(60):
            p = ctx.reply(writer, t["id"], body=big)
            sent += 1
            (_, kind, data), = good.events(1, timeout=5)  # the reading client keeps up
            check(kind == "post" and data["post"]["id"] == p["id"], f"the reading client got {kind} {data}")
        # the slow one was cut off: after what the kernel buffered, the stream ends
        slow.settimeout(10)
        total, closed = 0, False
        while True:
            chunk = slow.recv(1 << 20)
            if not chunk:
                closed = True
                break
            total += len(chunk)
            if total > 60 * 100_000:
                break
        check(closed, f"the server kept a client that did not read ({total} bytes came after it resumed)")
        print(f"# figure: a client that stopped reading was dropped after {total} bytes of {sent} events")
    finally:
        slow.close()
        good.close()
