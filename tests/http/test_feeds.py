"""Atom feeds: /feeds/objectives/{id or slug}.atom, /feeds/key-actions/{id}.atom, /feeds/threads/{id}.atom.

Every feed is parsed with xml.etree.ElementTree (it must be well-formed) and checked against Atom 1.0:
namespace, required elements, tag: ids, newest entry first, at most 50 entries, hidden and withdrawn
posts left out, anonymous authors signed "Anonymous", hostile text escaped, conditional requests."""

import re
import time
import xml.etree.ElementTree as ET
from email.utils import format_datetime, parsedate_to_datetime

from client import TestList, check, expect_error, expect_json, expect_status, expect_ts, fail
from fixtures import unique

tests = TestList()

NS = "{http://www.w3.org/2005/Atom}"
ATOM_CTYPE = "application/atom+xml; charset=utf-8"
TAG_RE = re.compile(r"^tag:[a-z0-9.-]+,2026:[a-z0-9-]+$")
FEED_MAX = 50


class Feed:
    """A parsed feed: the response, the root element and its entries as dicts."""

    def __init__(self, r, root):
        self.r = r
        self.root = root
        self.id = root.findtext(f"{NS}id")
        self.title = root.findtext(f"{NS}title")
        self.updated = root.findtext(f"{NS}updated")
        self.entries = [entry_of(e) for e in root.findall(f"{NS}entry")]

    def ids(self):
        return [e["id"] for e in self.entries]

    def entry(self, entry_id):
        for e in self.entries:
            if e["id"] == entry_id:
                return e
        return None


def entry_of(e):
    links = {link.get("rel", "alternate"): link.get("href") for link in e.findall(f"{NS}link")}
    content = e.find(f"{NS}content")
    return {
        "id": e.findtext(f"{NS}id"),
        "title": e.findtext(f"{NS}title"),
        "published": e.findtext(f"{NS}published"),
        "updated": e.findtext(f"{NS}updated"),
        "authors": [a.findtext(f"{NS}name") for a in e.findall(f"{NS}author")],
        "alternate": links.get("alternate"),
        "content_type": content.get("type") if content is not None else None,
        "content": content.text or "" if content is not None else None,
    }


def check_document(r, what):
    """The bytes of a feed: no control characters but tab and newline, no live markup from posts."""
    bad = sorted({b for b in r.body if (b < 0x20 and b not in (0x09, 0x0A)) or b == 0x7F})
    check(not bad, f"{what}: control bytes {bad} in the document")
    check(b"<script" not in r.body.lower(), f"{what}: a raw <script in the document: {r.body[:400]!r}")


def get_feed(client, path, **kw):
    """GETs a feed, checks it is a well-formed Atom 1.0 document with the required elements, and
    returns it as a Feed."""
    r = client.get(path, **kw)
    expect_status(r, 200)
    ct = (r.header("Content-Type") or "").replace(" ", "").lower()
    check(ct == ATOM_CTYPE.replace(" ", ""), f"Content-Type {r.header('Content-Type')!r}, want {ATOM_CTYPE!r}")
    check(r.header("ETag"), f"{path}: no ETag")
    check(r.header("Last-Modified"), f"{path}: no Last-Modified")
    try:
        parsedate_to_datetime(r.header("Last-Modified"))
    except (TypeError, ValueError):
        fail(f"{path}: Last-Modified {r.header('Last-Modified')!r} is not an HTTP date")
    check_document(r, path)
    try:
        root = ET.fromstring(r.body)
    except ET.ParseError as e:
        fail(f"{path}: not well-formed XML ({e}): {r.body[:400]!r}")
    check(root.tag == f"{NS}feed", f"{path}: root element {root.tag!r}, want the Atom feed")
    f = Feed(r, root)
    check(f.id and TAG_RE.match(f.id), f"{path}: feed id {f.id!r} is not a tag: URI")
    check(f.title, f"{path}: feed without a title")
    expect_ts(f.updated, f"{path}: feed updated")
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{NS}link")}
    check(rels.get("self", "").startswith("http") and "/feeds/" in rels["self"], f"{path}: self link {rels}")
    check(rels.get("alternate", "").startswith("http"), f"{path}: alternate link {rels}")
    check(len(f.entries) <= FEED_MAX, f"{path}: {len(f.entries)} entries, at most {FEED_MAX}")
    for e in f.entries:
        check(e["id"] and TAG_RE.match(e["id"]), f"{path}: entry id {e['id']!r} is not a tag: URI")
        check(e["title"] is not None, f"{path}: entry {e['id']} without a title")
        expect_ts(e["published"], f"{path}: entry {e['id']} published")
        expect_ts(e["updated"], f"{path}: entry {e['id']} updated")
        check(e["updated"] >= e["published"], f"{path}: entry {e['id']} updated before it was published")
        check(e["updated"] <= f.updated, f"{path}: entry {e['id']} updated after the feed")
        check(len(e["authors"]) == 1 and e["authors"][0], f"{path}: entry {e['id']} authors {e['authors']}")
        check(e["alternate"] and re.search(r"/#/t/\d+$", e["alternate"]), f"{path}: entry link {e['alternate']!r}")
        check(e["content_type"] == "html", f"{path}: entry {e['id']} content type {e['content_type']!r}")
    return f


def num(entry_id):
    return int(entry_id.rsplit("-", 1)[1])


def check_newest_first(f, what):
    nums = [num(i) for i in f.ids()]
    check(nums == sorted(nums, reverse=True), f"{what}: entries not newest first: {nums}")
    check(len(set(nums)) == len(nums), f"{what}: an entry appears twice: {nums}")


def post_id(pid):
    return f"2026:post-{pid}"


def thread_id(tid):
    return f"2026:thread-{tid}"


def has(f, suffix):
    return any(i.endswith(suffix) for i in f.ids())


def hide(ctx, pid):
    expect_json(ctx.signed_in("mod").post(f"/api/v1/posts/{pid}/hide", {"reason": "x"}), 200)


def withdraw(client, pid):
    r = client.delete(f"/api/v1/posts/{pid}")
    check(r.status == 204, f"withdrawing: {r.describe()}")


# -- shape and order ---------------------------------------------------------------------------

@tests
def test_thread_feed_shape_and_order(ctx):
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")
    title = unique("Feed thread ")
    t, first = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], title=title, body="Opening **words**.")
    r1 = ctx.reply(bob, t["id"], "First reply.")
    r2 = ctx.reply(alice, t["id"], "Second reply.")
    path = f"/feeds/threads/{t['id']}.atom"
    f = get_feed(ctx.client(), path)
    check(f.title == title, f"feed title {f.title!r}, want {title!r}")
    check([num(i) for i in f.ids()] == [r2["id"], r1["id"], first["id"]], f"entries {f.ids()}")
    check_newest_first(f, path)
    check(f.id.endswith(f"thread-{t['id']}-posts"), f"feed id {f.id!r}")
    opening = f.entries[2]
    check(opening["title"] == title, f"opening post entry title {opening['title']!r}")
    check(f.entries[0]["title"] == f"Re: {title}", f"reply entry title {f.entries[0]['title']!r}")
    check(f.entries[0]["authors"] == [ctx.account("alice").fields["display_name"]], f"authors {f.entries[0]}")
    check(f.entries[1]["authors"] == [ctx.account("bob").fields["display_name"]], f"authors {f.entries[1]}")
    check(opening["content"] == first["body_html"],
          f"content {opening['content']!r}, want the rendered post {first['body_html']!r}")
    check("<strong>words</strong>" in opening["content"], f"content {opening['content']!r}")
    check(opening["published"] == first["created_at"], f"published {opening['published']} != {first['created_at']}")
    for e in f.entries:
        check(e["alternate"].endswith(f"/#/t/{t['id']}"), f"entry link {e['alternate']!r}")
    check(f.updated == max(e["updated"] for e in f.entries), f"feed updated {f.updated}")
    rels = {link.get("rel"): link.get("href") for link in f.root.findall(f"{NS}link")}
    base = ctx.server.base
    check(rels["self"] == f"{base}{path}", f"self link {rels['self']!r}, want {base}{path}")
    check(rels["alternate"] == f"{base}/#/t/{t['id']}", f"alternate link {rels['alternate']!r}")


@tests
def test_objective_feed_lists_newest_threads(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("border-management")
    made = [ctx.create_thread(alice, obj["id"], title=unique("Border feed ")) for _ in range(3)]
    ctx.reply(alice, made[0][0]["id"])  # activity does not move a thread up a feed of new threads
    for path in (f"/feeds/objectives/{obj['id']}.atom", f"/feeds/objectives/{obj['slug']}.atom"):
        f = get_feed(ctx.client(), path)
        check(f.title == obj["title"], f"feed title {f.title!r}")
        check(f.id.endswith(f"objective-{obj['id']}"), f"feed id {f.id!r}")
        check_newest_first(f, path)
        top = [num(i) for i in f.ids()[:3]]
        check(top == [m[0]["id"] for m in reversed(made)], f"{path}: newest entries {top}")
        for t, p in made:
            e = f.entry(next(i for i in f.ids() if i.endswith(thread_id(t["id"]))))
            check(e["title"] == t["title"], f"entry title {e['title']!r}, want {t['title']!r}")
            check(e["content"] == p["body_html"], f"entry content {e['content']!r}")
            check(e["alternate"].endswith(f"/#/t/{t['id']}"), f"entry link {e['alternate']!r}")
    a = get_feed(ctx.client(), f"/feeds/objectives/{obj['id']}.atom")
    b = get_feed(ctx.client(), f"/feeds/objectives/{obj['slug']}.atom")
    check(a.id == b.id and a.ids() == b.ids(), "the feed by id and by slug differ")


@tests
def test_key_action_feed(ctx):
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("protect-transport")
    _, other = ctx.key_action("cut-funding")
    inside, _ = ctx.create_thread(alice, obj["id"], title=unique("KA feed "), key_action_id=ka["id"])
    elsewhere, _ = ctx.create_thread(alice, obj["id"], title=unique("KA other "), key_action_id=other["id"])
    loose, _ = ctx.create_thread(alice, obj["id"], title=unique("KA none "))
    path = f"/feeds/key-actions/{ka['id']}.atom"
    f = get_feed(ctx.client(), path)
    check(f.title == ka["title"], f"feed title {f.title!r}, want {ka['title']!r}")
    check(f.id.endswith(f"key-action-{ka['id']}"), f"feed id {f.id!r}")
    check(f.ids() and f.ids()[0].endswith(thread_id(inside["id"])), f"{path}: entries {f.ids()}")
    check(not has(f, thread_id(elsewhere["id"])) and not has(f, thread_id(loose["id"])),
          f"{path} lists threads of other key actions: {f.ids()}")
    check_newest_first(f, path)
    rels = {link.get("rel"): link.get("href") for link in f.root.findall(f"{NS}link")}
    check(rels["alternate"].endswith(f"/#/o/{obj['slug']}?ka={ka['slug']}"), f"alternate link {rels['alternate']!r}")
    of = get_feed(ctx.client(), f"/feeds/objectives/{obj['id']}.atom")
    for t in (inside, elsewhere, loose):
        check(has(of, thread_id(t["id"])), f"the objective feed lacks thread {t['id']}")


@tests
def test_at_most_50_entries(ctx):
    alice = ctx.signed_in("alice")
    t, first = ctx.create_thread(alice, ctx.objective("crisis-resilience")["id"], title=unique("Long feed "))
    replies = [ctx.reply(alice, t["id"], f"Reply number {i}.") for i in range(55)]
    f = get_feed(ctx.client(), f"/feeds/threads/{t['id']}.atom")
    check(len(f.entries) == FEED_MAX, f"{len(f.entries)} entries, want {FEED_MAX}")
    want = [p["id"] for p in reversed(replies)][:FEED_MAX]
    check([num(i) for i in f.ids()] == want, f"entries {[num(i) for i in f.ids()][:5]}..., want {want[:5]}...")
    check(not has(f, post_id(first["id"])), "the oldest post is still in a full feed")
    # a key action with more than 50 threads
    obj, ka = ctx.key_action("all-hazard-assessment")
    made = [ctx.create_thread(alice, obj["id"], title=unique("Many "), key_action_id=ka["id"])[0]
            for _ in range(FEED_MAX + 2)]
    f = get_feed(ctx.client(), f"/feeds/key-actions/{ka['id']}.atom")
    check(len(f.entries) == FEED_MAX, f"key action feed: {len(f.entries)} entries, want {FEED_MAX}")
    check([num(i) for i in f.ids()] == [t["id"] for t in reversed(made)][:FEED_MAX],
          f"key action feed entries {f.ids()[:3]}...")


# -- what is left out ---------------------------------------------------------------------------

@tests
def test_hidden_and_withdrawn_posts_left_out(ctx):
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")
    obj = ctx.objective("crime-networks")
    t, first = ctx.create_thread(alice, obj["id"], title=unique("Moderated feed "))
    keep = ctx.reply(bob, t["id"], "This one stays.")
    hidden = ctx.reply(bob, t["id"], "This one a moderator hides.")
    gone = ctx.reply(alice, t["id"], "This one its author withdraws.")
    path = f"/feeds/threads/{t['id']}.atom"
    before = get_feed(ctx.client(), path)  # also fills the page cache, which the writes must invalidate
    check(len(before.entries) == 4, f"before: {before.ids()}")
    hide(ctx, hidden["id"])
    withdraw(alice, gone["id"])
    f = get_feed(ctx.client(), path)
    check([num(i) for i in f.ids()] == [keep["id"], first["id"]], f"after hide and withdraw: {f.ids()}")
    check(b"moderator hides" not in f.r.body and b"author withdraws" not in f.r.body, "hidden text in the feed")
    check(f.r.header("ETag") != before.r.header("ETag"), "the ETag did not change when posts left the feed")
    # threads whose opening post is hidden or withdrawn leave the objective feed
    t2, first2 = ctx.create_thread(alice, obj["id"], title=unique("Hidden opening "))
    t3, first3 = ctx.create_thread(alice, obj["id"], title=unique("Withdrawn opening "))
    opath = f"/feeds/objectives/{obj['id']}.atom"
    of = get_feed(ctx.client(), opath)
    check(has(of, thread_id(t2["id"])) and has(of, thread_id(t3["id"])), f"new threads missing: {of.ids()[:5]}")
    hide(ctx, first2["id"])
    withdraw(alice, first3["id"])
    of = get_feed(ctx.client(), opath)
    check(not has(of, thread_id(t2["id"])), f"a thread with a hidden opening post is listed: {of.ids()[:5]}")
    check(not has(of, thread_id(t3["id"])), f"a thread with a withdrawn opening post is listed: {of.ids()[:5]}")
    check(has(of, thread_id(t["id"])), "a thread with a hidden reply left the objective feed")
    # its own feed lists what is still visible
    f3 = get_feed(ctx.client(), f"/feeds/threads/{t3['id']}.atom")
    check(f3.entries == [], f"feed of a thread whose only post is withdrawn: {f3.ids()}")


@tests
def test_anonymous_authors(ctx):
    real = unique("Secret Realname ")
    anon = ctx.login(ctx.new_member(display_name=real))
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("situation-awareness")
    t, first = ctx.create_thread(anon, obj["id"], title=unique("Anonymous feed "), key_action_id=ka["id"],
                                 anonymous=True)
    reply = ctx.reply(anon, t["id"], "Also without my name.", anonymous=True)
    ctx.reply(alice, t["id"], "With my name.")
    feeds = ((f"/feeds/threads/{t['id']}.atom", [post_id(first["id"]), post_id(reply["id"])]),
             (f"/feeds/objectives/{obj['id']}.atom", [thread_id(t["id"])]),
             (f"/feeds/key-actions/{ka['id']}.atom", [thread_id(t["id"])]))
    for path, anonymous_entries in feeds:
        for who, c in (("an anonymous reader", ctx.client()), ("the author", anon),
                       ("a moderator", ctx.signed_in("mod"))):
            f = get_feed(c, path)
            check(real.encode() not in f.r.body, f"{path} read by {who} names the anonymous author")
            for suffix in anonymous_entries:
                found = [e for e in f.entries if e["id"].endswith(suffix)]
                check(found, f"{path}: the anonymous entry {suffix} is missing")
                check(found[0]["authors"] == ["Anonymous"], f"{path} read by {who}: authors {found[0]['authors']}")


@tests
def test_hostile_text_is_escaped(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("terrorism-radicalisation")
    nasty = "<script>alert('x')</script> & \"quotes\" ]]> <![CDATA[ x ]]> &amp; \u2028 end"
    controls = "\x01\x02\x07\x0b\x0c\x1b\x7f\u0085"
    title = unique("Hostile ") + " " + nasty + controls
    body = "Body " + nasty + controls + "\n\n<img src=x onerror=alert(1)> [link](javascript:alert(1))"
    r = alice.post(f"/api/v1/objectives/{obj['id']}/threads", {"title": title, "body": body})
    if r.status == 400:  # the API may refuse control characters; then the rest must still hold
        title = title.translate({ord(c): None for c in controls})
        body = body.translate({ord(c): None for c in controls})
        r = alice.post(f"/api/v1/objectives/{obj['id']}/threads", {"title": title, "body": body})
    created = expect_json(r, 201)
    t, first = created["thread"], created["post"]
    reply = ctx.reply(alice, t["id"], "Reply " + nasty)

    def clean(s):
        return "".join(ch for ch in s if ch in "\t\n" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F))

    for path in (f"/feeds/threads/{t['id']}.atom", f"/feeds/objectives/{obj['id']}.atom"):
        f = get_feed(ctx.client(), path)
        for e in f.entries:
            if e["id"].endswith(post_id(first["id"])) or e["id"].endswith(thread_id(t["id"])):
                check(e["title"] == clean(t["title"]), f"{path}: title {e['title']!r}, want {clean(t['title'])!r}")
                check(e["content"] == clean(first["body_html"]),
                      f"{path}: content {e['content']!r}, want {clean(first['body_html'])!r}")
                break
        else:
            fail(f"{path}: the hostile thread is missing: {f.ids()[:5]}")
    f = get_feed(ctx.client(), f"/feeds/threads/{t['id']}.atom")
    e = f.entry(next(i for i in f.ids() if i.endswith(post_id(reply["id"]))))
    check(e["title"] == "Re: " + clean(t["title"]), f"reply title {e['title']!r}")
    check(e["content"] == clean(reply["body_html"]), f"reply content {e['content']!r}")


# -- ids, caching, errors ----------------------------------------------------------------------

@tests
def test_ids_are_stable(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("cyberspace")
    t, first = ctx.create_thread(alice, obj["id"], title=unique("Stable "))
    p = ctx.reply(alice, t["id"])
    tp, op = f"/feeds/threads/{t['id']}.atom", f"/feeds/objectives/{obj['id']}.atom"
    a, oa = get_feed(ctx.client(), tp), get_feed(ctx.client(), op)
    ctx.reply(alice, t["id"])  # a change in between: new entry, same ids for the old ones
    b, ob = get_feed(ctx.client(), tp), get_feed(ctx.client(), op)
    check(a.id == b.id and oa.id == ob.id, "feed ids changed between requests")
    check(b.ids()[1:] == a.ids(), f"entry ids changed: {a.ids()} then {b.ids()}")
    check(a.ids() == [i for i in a.ids() if "post-" in i] and a.ids()[0].endswith(post_id(p["id"])),
          f"thread feed ids {a.ids()}")
    check(any(i.endswith(thread_id(t["id"])) for i in ob.ids()), "thread missing from its objective feed")
    check(a.id != next(i for i in ob.ids() if i.endswith(thread_id(t["id"]))),
          "a thread's feed id is the same as its entry id in the objective feed")
    authority = a.id.split(",")[0]
    check(all(i.startswith(authority + ",") for i in a.ids() + ob.ids() + [oa.id]), "ids of different authorities")


@tests
def test_conditional_requests(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("crisis-resilience")["id"], title=unique("Conditional "))
    path = f"/feeds/threads/{t['id']}.atom"
    c = ctx.client()
    f = get_feed(c, path)
    etag, lm = f.r.header("ETag"), f.r.header("Last-Modified")
    check(f.r.header("Cache-Control") and "no-store" not in f.r.header("Cache-Control"),
          f"Cache-Control {f.r.header('Cache-Control')!r}")
    r = c.get(path, headers={"If-None-Match": etag})
    check(r.status == 304 and r.body == b"", f"If-None-Match with the ETag: {r.describe()}")
    check(r.header("ETag") == etag, f"304 ETag {r.header('ETag')!r}, want {etag!r}")
    r = c.get(path, headers={"If-None-Match": f'"other", {etag}'})
    check(r.status == 304, f"If-None-Match with a list: {r.describe()}")
    r = c.get(path, headers={"If-None-Match": '"something-else"'})
    check(r.status == 200, f"If-None-Match with another tag: {r.describe()}")
    r = c.get(path, headers={"If-Modified-Since": lm})
    check(r.status == 304 and r.body == b"", f"If-Modified-Since Last-Modified: {r.describe()}")
    later = format_datetime(parsedate_to_datetime(lm).replace(year=parsedate_to_datetime(lm).year + 1), usegmt=True)
    check(c.get(path, headers={"If-Modified-Since": later}).status == 304, "If-Modified-Since a later date")
    earlier = format_datetime(parsedate_to_datetime(lm).replace(year=2000), usegmt=True)
    r = c.get(path, headers={"If-Modified-Since": earlier})
    check(r.status == 200, f"If-Modified-Since an earlier date: {r.describe()}")
    r = c.get(path, headers={"If-Modified-Since": "not a date"})
    check(r.status == 200, f"If-Modified-Since garbage: {r.describe()}")
    # If-None-Match decides when both are sent
    r = c.get(path, headers={"If-None-Match": '"something-else"', "If-Modified-Since": lm})
    check(r.status == 200, f"If-None-Match wins over If-Modified-Since: {r.describe()}")
    r = c.request("HEAD", path)
    check(r.status == 200 and r.body == b"" and "atom" in (r.header("Content-Type") or ""), f"HEAD: {r.describe()}")
    # a new post changes the ETag (at once) and Last-Modified (to its second)
    time.sleep(1.1)
    ctx.reply(alice, t["id"], "News.")
    g = get_feed(c, path, headers={"If-None-Match": etag})
    check(g.r.header("ETag") != etag, "the ETag did not change with a new post")
    check(parsedate_to_datetime(g.r.header("Last-Modified")) > parsedate_to_datetime(lm),
          f"Last-Modified {g.r.header('Last-Modified')} not after {lm}")
    r = c.get(path, headers={"If-Modified-Since": lm})
    check(r.status == 200, f"If-Modified-Since the old Last-Modified after a new post: {r.describe()}")
    r = c.get(path, headers={"If-None-Match": g.r.header("ETag")})
    check(r.status == 304, f"If-None-Match with the new ETag: {r.describe()}")


@tests
def test_unknown_feeds_404(ctx):
    c = ctx.client()
    for path in ("/feeds/objectives/999.atom", "/feeds/objectives/no-such-slug.atom", "/feeds/objectives/0.atom",
                 "/feeds/threads/987654321.atom", "/feeds/threads/abc.atom", "/feeds/threads/-1.atom",
                 "/feeds/key-actions/9999.atom", "/feeds/key-actions/0.atom", "/feeds/key-actions/protect-transport.atom",
                 "/feeds/threads/1.rss", "/feeds/nothing/1.atom"):
        expect_error(c.get(path), 404, "not_found")


@tests
def test_base_url_from_host(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], title=unique("Host "))
    path = f"/feeds/threads/{t['id']}.atom"
    for host, base, authority in (("forum.example:8080", "http://forum.example:8080", "forum.example"),
                                  ("[::1]:9", "http://[::1]:9", "localhost"),
                                  ('evil"><x', "http://localhost", "localhost"),
                                  ("a b", "http://localhost", "localhost")):
        f = get_feed(ctx.client(), path, headers={"Host": host})
        rels = {link.get("rel"): link.get("href") for link in f.root.findall(f"{NS}link")}
        check(rels["self"] == base + path, f"Host {host!r}: self link {rels['self']!r}, want {base + path!r}")
        check(all(e["alternate"].startswith(base + "/#/t/") for e in f.entries), f"Host {host!r}: entry links")
        check(f.id.startswith(f"tag:{authority},2026:"), f"Host {host!r}: feed id {f.id!r}")
