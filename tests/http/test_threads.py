"""Threads and posts: create, list, view, reply; Markdown safety; anonymous posting."""

import datetime
import html.parser
import json
import time

from client import (Client, TestList, check, expect_error, expect_json, expect_keys, expect_ts, fail,
                    is_int)
from fixtures import unique

tests = TestList()

THREAD_KEYS = ["id", "objective_id", "key_action_id", "title", "author", "created_at", "last_post_at",
               "post_count", "locked", "pinned", "consultation", "official_post_id"]
POST_KEYS = ["id", "thread_id", "parent_id", "author", "body", "body_html", "language", "anonymous",
             "official", "created_at", "edited_at", "hidden", "deleted"]
SUMMARY_KEYS = ["id", "display_name", "stakeholder_type", "organisation", "country"]


def check_author(a, what):
    check(isinstance(a, dict), f"{what} is not an object: {a!r}")
    check("email" not in a, f"{what} carries an email: {a}")
    check(not any("password" in k for k in a), f"{what} carries a password field: {a}")
    if a.get("id") is None and a.get("display_name") == "Anonymous":
        expect_keys(a, ["id", "display_name", "stakeholder_type", "country"], what)
    else:
        expect_keys(a, SUMMARY_KEYS, what)


def check_thread(t, what="thread"):
    expect_keys(t, THREAD_KEYS, what)
    check(is_int(t["id"]) and t["id"] > 0, f"{what}.id {t['id']!r}")
    check(is_int(t["objective_id"]), f"{what}.objective_id {t['objective_id']!r}")
    check(t["key_action_id"] is None or is_int(t["key_action_id"]), f"{what}.key_action_id {t['key_action_id']!r}")
    check(isinstance(t["title"], str), f"{what}.title {t['title']!r}")
    check_author(t["author"], f"{what}.author")
    expect_ts(t["created_at"], f"{what}.created_at")
    expect_ts(t["last_post_at"], f"{what}.last_post_at")
    check(is_int(t["post_count"]) and t["post_count"] >= 1, f"{what}.post_count {t['post_count']!r}")
    for k in ("locked", "pinned"):
        check(isinstance(t[k], bool), f"{what}.{k} {t[k]!r} is not a boolean")
    c = t["consultation"]
    if c is not None:
        expect_keys(c, ["opens_at", "closes_at", "state"], f"{what}.consultation")
        expect_ts(c["opens_at"], f"{what}.consultation.opens_at")
        expect_ts(c["closes_at"], f"{what}.consultation.closes_at")
        check(c["state"] in ("planned", "open", "closed"), f"consultation state {c['state']!r}")
    check(t["official_post_id"] is None or is_int(t["official_post_id"]), f"{what}.official_post_id")


def check_post(p, what="post"):
    expect_keys(p, POST_KEYS, what)
    check(is_int(p["id"]) and p["id"] > 0, f"{what}.id {p['id']!r}")
    check(is_int(p["thread_id"]), f"{what}.thread_id {p['thread_id']!r}")
    check(p["parent_id"] is None or is_int(p["parent_id"]), f"{what}.parent_id {p['parent_id']!r}")
    check_author(p["author"], f"{what}.author")
    check(isinstance(p["body"], str) and isinstance(p["body_html"], str), f"{what} body/body_html not strings")
    for k in ("anonymous", "official", "hidden", "deleted"):
        check(isinstance(p[k], bool), f"{what}.{k} {p[k]!r} is not a boolean")
    expect_ts(p["created_at"], f"{what}.created_at")
    check(p["edited_at"] is None, f"{what}.edited_at {p['edited_at']!r} on an unedited post")
    check(p["hidden"] is False and p["deleted"] is False, f"{what} hidden/deleted on a fresh post")


def summary_of(account):
    f = account.fields
    return {"id": account.id, "display_name": f["display_name"], "stakeholder_type": f["stakeholder_type"],
            "organisation": f.get("organisation"), "country": f.get("country")}


def check_summary_is(a, account, what):
    want = summary_of(account)
    got = {k: a.get(k) for k in SUMMARY_KEYS}
    check(got == want, f"{what} is {a}, want {want}")


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- create and view --------------------------------------------------------------------------

@tests
def test_create_thread_shape(ctx):
    alice_acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("work-with-industry")
    title = unique("Shape test ")
    body = "Hello **world**, see [the site](https://example.org/page).\n\nSecond paragraph."
    r = alice.post(f"/api/v1/objectives/{obj['id']}/threads",
                   {"title": title, "body": body, "key_action_id": ka["id"], "language": "en"})
    b = expect_json(r, 201)
    check(set(b.keys()) == {"thread", "post"}, f"want {{thread, post}}, got {list(b)}")
    t, p = b["thread"], b["post"]
    check_thread(t)
    check_post(p)
    want_t = {"objective_id": obj["id"], "key_action_id": ka["id"], "title": title, "post_count": 1,
              "locked": False, "pinned": False, "consultation": None}
    for k, v in want_t.items():
        check(t[k] == v, f"thread.{k} = {t[k]!r}, want {v!r}")
    check_summary_is(t["author"], alice_acc, "thread.author")
    check(t["created_at"] == p["created_at"] == t["last_post_at"],
          f"created_at {t['created_at']} / post {p['created_at']} / last_post_at {t['last_post_at']}")
    want_p = {"thread_id": t["id"], "parent_id": None, "body": body, "language": "en", "anonymous": False,
              "official": False}
    for k, v in want_p.items():
        check(p[k] == v, f"post.{k} = {p[k]!r}, want {v!r}")
    check_summary_is(p["author"], alice_acc, "post.author")
    check("<strong>world</strong>" in p["body_html"], f"body_html {p['body_html']!r} lacks <strong>world</strong>")
    check(p["body_html"].count("<p>") == 2, f"body_html {p['body_html']!r}: want two paragraphs")
    check(alice_acc.email not in r.text, "the author's email is in the create answer")
    # the same thing through GET, for an anonymous reader
    view = ctx.thread_view(ctx.client(), t["id"])
    check(set(view.keys()) >= {"thread", "posts", "next_cursor"}, f"thread view keys {list(view)}")
    check(view["thread"] == t, f"GET thread {view['thread']} != created {t}")
    check(view["posts"] == [p], f"GET posts {view['posts']} != [{p}]")
    check(view["next_cursor"] is None, f"next_cursor {view['next_cursor']!r} on a one-post thread")
    check(alice_acc.email not in json.dumps(view), "the author's email is in the public thread view")


@tests
def test_create_without_key_action(ctx):
    alice = ctx.signed_in("alice")
    t, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    check(t["key_action_id"] is None, f"key_action_id {t['key_action_id']!r}")
    check(p["language"] is None or isinstance(p["language"], str), f"language {p['language']!r}")
    # null for every optional field means "absent", also for fields only staff may set
    t, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], key_action_id=None, anonymous=None,
                             language=None, official=None, consultation=None)
    check(t["key_action_id"] is None and t["consultation"] is None, "null optional fields are not absent")
    check(p["anonymous"] is False and p["official"] is False and p["language"] is None, f"post {p}")
    r = ctx.reply(alice, t["id"], parent_id=None, anonymous=None, official=None, language=None)
    check(r["parent_id"] is None and r["official"] is False, f"reply with nulls {r}")


@tests
def test_unauthenticated_create_and_reply_401(ctx):
    obj = ctx.objective("cyberspace")["id"]
    c = ctx.client()
    expect_error(c.post(f"/api/v1/objectives/{obj}/threads", {"title": "t", "body": "b"}), 401, "unauthorized")
    t, _ = ctx.create_thread(ctx.signed_in("alice"), obj)
    expect_error(c.post(f"/api/v1/threads/{t['id']}/posts", {"body": "b"}), 401, "unauthorized")
    view = ctx.thread_view(c, t["id"])
    check(len(view["posts"]) == 1 and view["thread"]["post_count"] == 1, "a refused reply was stored")


@tests
def test_key_action_must_belong_to_objective(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")
    _, foreign = ctx.key_action("eurosur")
    for ka in (foreign["id"], 987654, 0, -1, "1", "dismantle-networks", 1.5, True):
        r = alice.post(f"/api/v1/objectives/{obj['id']}/threads", {"title": "t", "body": "b", "key_action_id": ka})
        expect_error(r, 400, "validation_failed", "key_action_id")


T201 = "\U0001F30D" * 201
# (name, body overrides, fields to drop, expected field)
CREATE_INVALID = [
    ("title_missing", {}, ["title"], "title"),
    ("title_null", {"title": None}, [], "title"),
    ("title_empty", {"title": ""}, [], "title"),
    ("title_blank", {"title": "   "}, [], "title"),
    ("title_201_ascii", {"title": "t" * 201}, [], "title"),
    ("title_201_emoji", {"title": T201}, [], "title"),
    ("title_number", {"title": 12}, [], "title"),
    ("title_object", {"title": {"x": 1}}, [], "title"),
    ("body_missing", {}, ["body"], "body"),
    ("body_null", {"body": None}, [], "body"),
    ("body_empty", {"body": ""}, [], "body"),
    ("body_50001", {"body": "b" * 50001}, [], "body"),
    ("body_list", {"body": ["x"]}, [], "body"),
    ("anonymous_string", {"anonymous": "yes"}, [], "anonymous"),
    ("anonymous_number", {"anonymous": 1}, [], "anonymous"),
    ("official_string", {"official": "true"}, [], "official"),
    ("language_number", {"language": 5}, [], "language"),
    ("language_garbage", {"language": "not a tag!"}, [], "language"),
    ("language_too_long", {"language": "en-" + "x" * 300}, [], "language"),
    ("unknown_key", {"pinned": True}, [], "pinned"),
]
for _name, _over, _drop, _field in CREATE_INVALID:
    def _t(ctx, over=_over, drop=_drop, field=_field):
        alice = ctx.signed_in("alice")
        obj = ctx.objective("cyberspace", fresh=True)
        body = {"title": unique("Invalid "), "body": "some body"}
        body.update(over)
        for k in drop:
            body.pop(k)
        r = alice.post(f"/api/v1/objectives/{obj['id']}/threads", body)
        expect_error(r, 400, "validation_failed", field)
        after = ctx.objective("cyberspace", fresh=True)
        check(after["thread_count"] == obj["thread_count"], "a refused thread was counted")
    tests.add(f"create_invalid[{_name}]", _t)


@tests
def test_lengths_count_characters(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("cyberspace")["id"]
    title = "\U0001F30D" * 200  # 800 bytes, 200 characters
    t, p = ctx.create_thread(alice, obj, title=title, body="\u00e9" * 50000)
    check(t["title"] == title, "the 200-emoji title came back altered")
    check(p["body"] == "\u00e9" * 50000, "the 50000-character body came back altered")
    t, _ = ctx.create_thread(alice, obj, title="t" * 200, body="b")
    check(t["title"] == "t" * 200, "200-character title altered")


# -- consultations and official posts ----------------------------------------------------------

@tests
def test_consultation_only_for_staff(ctx):
    obj = ctx.objective("crisis-resilience")["id"]
    closes = rfc3339(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7))
    r = ctx.signed_in("alice").post(f"/api/v1/objectives/{obj}/threads",
                                    {"title": "member consultation", "body": "b", "consultation": {"closes_at": closes}})
    expect_error(r, 403, "forbidden")
    mod = ctx.signed_in("mod")
    t, p = ctx.create_thread(mod, obj, title=unique("Consultation "), consultation={"closes_at": closes})
    check_thread(t)
    c = t["consultation"]
    check(isinstance(c, dict), f"consultation {c!r}")
    check(c["state"] == "open", f"consultation state {c['state']!r}, want open")
    check(c["closes_at"] == closes, f"closes_at {c['closes_at']!r}, want {closes!r}")
    check(c["opens_at"] <= rfc3339(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)),
          f"opens_at {c['opens_at']} is in the future")
    reply = ctx.reply(ctx.signed_in("bob"), t["id"], "a contribution to the open consultation")
    check(reply["thread_id"] == t["id"], "reply in consultation")
    view = ctx.thread_view(ctx.client(), t["id"])
    check(view["thread"]["consultation"] == c, f"consultation in GET {view['thread']['consultation']} != {c}")


@tests
def test_consultation_time_with_offset_is_stored_in_utc(ctx):
    mod = ctx.signed_in("mod")
    obj = ctx.objective("crisis-resilience")["id"]
    year = datetime.datetime.now(datetime.timezone.utc).year + 2
    t, _ = ctx.create_thread(mod, obj, consultation={"closes_at": f"{year}-01-01T00:30:00+02:00"})
    check(t["consultation"]["closes_at"] == f"{year - 1}-12-31T22:30:00Z",
          f"closes_at {year}-01-01T00:30:00+02:00 came back as {t['consultation']['closes_at']!r}")


CONSULTATION_INVALID = [
    ("closes_at_garbage", {"closes_at": "next week"}),
    ("closes_at_number", {"closes_at": 1893456000}),
    ("closes_at_missing", {}),
    ("not_an_object", "2030-01-01T00:00:00Z"),
    ("unknown_key", {"closes_at": "2030-01-01T00:00:00Z", "colour": "red"}),
]
for _name, _cons in CONSULTATION_INVALID:
    def _t(ctx, cons=_cons):
        mod = ctx.signed_in("mod")
        obj = ctx.objective("crisis-resilience")["id"]
        r = mod.post(f"/api/v1/objectives/{obj}/threads", {"title": "bad consultation", "body": "b",
                                                          "consultation": cons})
        expect_error(r, 400, "validation_failed", ("consultation", "closes_at", "consultation.closes_at", "colour",
                                                   "consultation.colour"))
    tests.add(f"consultation_invalid[{_name}]", _t)


@tests
def test_official_only_for_staff(ctx):
    obj = ctx.objective("crisis-resilience")["id"]
    alice = ctx.signed_in("alice")
    r = alice.post(f"/api/v1/objectives/{obj}/threads", {"title": "member official", "body": "b", "official": True})
    expect_error(r, 403, "forbidden")
    t, p = ctx.create_thread(alice, obj, official=False)
    check(p["official"] is False, "official false")
    r = alice.post(f"/api/v1/threads/{t['id']}/posts", {"body": "pretend official", "official": True})
    expect_error(r, 403, "forbidden")
    mod = ctx.signed_in("mod")
    t2, p2 = ctx.create_thread(mod, obj, official=True)
    check(p2["official"] is True, f"moderator's official thread post: official={p2['official']!r}")
    answer = ctx.reply(mod, t["id"], "The Commission's answer", official=True)
    check(answer["official"] is True, f"moderator's official reply: official={answer['official']!r}")
    view = ctx.thread_view(ctx.client(), t["id"])
    check([x["official"] for x in view["posts"]] == [False, True], "official flags in the thread view")


@tests
def test_consultation_closes(ctx):
    mod, bob = ctx.signed_in("mod"), ctx.signed_in("bob")
    obj = ctx.objective("crisis-resilience")["id"]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    closes_at = now + datetime.timedelta(seconds=3)
    t, _ = ctx.create_thread(mod, obj, consultation={"closes_at": rfc3339(closes_at)})
    check(t["consultation"]["state"] == "open", f"state {t['consultation']['state']!r} before closes_at")
    ctx.reply(bob, t["id"], "in time")
    wait = (closes_at - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1.2
    time.sleep(max(wait, 0))
    r = bob.post(f"/api/v1/threads/{t['id']}/posts", {"body": "too late"})
    expect_error(r, 409, "consultation_closed")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["consultation"]["state"] == "closed", f"state {v['thread']['consultation']} after closes_at")
    check(v["thread"]["post_count"] == 2, f"post_count {v['thread']['post_count']}, the late reply was stored?")
    answer = ctx.reply(mod, t["id"], "The Commission's summary of the consultation", official=True)
    check(answer["official"] is True, "official answer in a closed consultation")


@tests
def test_language_tags(ctx):
    alice = ctx.signed_in("alice")
    t, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], language="pt-BR")
    check(p["language"] == "pt-BR", f"language {p['language']!r}")
    for tag in ("fr", "de-AT", "sr-Latn-RS", "es-419"):
        check(ctx.reply(alice, t["id"], language=tag)["language"] == tag, f"language {tag} changed")


@tests
def test_parallel_writes_keep_counts_exact(ctx):
    from concurrent.futures import ThreadPoolExecutor
    from client import remember_secret
    before = ctx.objective("terrorism-radicalisation", fresh=True)
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, before["id"])
    tok = alice.post("/api/v1/me/tokens", {"name": "parallel"})
    token = expect_json(tok, 201)["token"]
    remember_secret("api_token", token)
    writers = [alice, ctx.signed_in("bob"), ctx.signed_in("carol"), Client(ctx.server, bearer=token)]

    def job(i):
        c = writers[i % len(writers)]
        if i % 5 == 4:
            return ("thread", ctx.create_thread(c, before["id"])[0]["id"])
        return ("post", ctx.reply(c, t["id"], f"parallel {i}")["id"])

    with ThreadPoolExecutor(8) as ex:
        done = list(ex.map(job, range(50)))
    posts = [i for k, i in done if k == "post"]
    threads = [i for k, i in done if k == "thread"]
    check(len(set(posts)) == 40 and len(set(threads)) == 10, "ids were handed out twice")
    v = ctx.thread_view(ctx.client(), t["id"], "?limit=100")
    check(v["thread"]["post_count"] == 41, f"post_count {v['thread']['post_count']} after 40 parallel replies")
    check(sorted(p["id"] for p in v["posts"][1:]) == sorted(posts), "the thread view lost parallel replies")
    after = ctx.objective("terrorism-radicalisation", fresh=True)
    check(after["thread_count"] == before["thread_count"] + 11,
          f"thread_count {before['thread_count']} -> {after['thread_count']}, want +11")
    check(after["post_count"] == before["post_count"] + 51,
          f"post_count {before['post_count']} -> {after['post_count']}, want +51")


# -- listing ----------------------------------------------------------------------------------

@tests
def test_list_order_newest_activity_first(ctx):
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")
    obj, ka = ctx.key_action("frontex")
    made = {}
    for i, name in enumerate("ABC"):
        if i:
            time.sleep(1.1)
        made[name], _ = ctx.create_thread(alice, obj["id"], title=f"Order {name} " + unique(""),
                                          key_action_id=ka["id"])
    time.sleep(1.1)
    reply = ctx.reply(bob, made["A"]["id"], "bumps A")
    want = [made[n]["id"] for n in "ACB"]
    for key in (str(ka["id"]), ka["slug"]):
        lst = expect_json(ctx.client().get(f"/api/v1/objectives/{obj['id']}/threads?key_action={key}"), 200)
        expect_keys(lst, ["threads", "next_cursor"], "thread list")
        got = [t["id"] for t in lst["threads"]]
        check(got == want, f"?key_action={key}: order {got}, want A,C,B = {want}")
        check(lst["next_cursor"] is None, f"next_cursor {lst['next_cursor']!r} on a 3-thread list")
        for t in lst["threads"]:
            check_thread(t, "listed thread")
            check(t["key_action_id"] == ka["id"], f"filtered list has key_action_id {t['key_action_id']}")
        a = lst["threads"][0]
        check(a["post_count"] == 2 and a["last_post_at"] == reply["created_at"],
              f"thread A in the list: post_count {a['post_count']}, last_post_at {a['last_post_at']}")
    full = expect_json(ctx.client().get(f"/api/v1/objectives/{obj['id']}/threads?limit=100"), 200)
    ids = [t["id"] for t in full["threads"]]
    check(all(i in ids for i in want), f"the unfiltered list {ids} lacks some of {want}")
    check([i for i in ids if i in want] == want, f"unfiltered order {ids}, want A,C,B = {want}")


def walk_threads(ctx, path, limit):
    pages, seen, cursor = [], [], None
    for _ in range(500):
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        lst = expect_json(ctx.client().get(url), 200)
        check(len(lst["threads"]) <= limit, f"{url}: {len(lst['threads'])} threads over limit {limit}")
        pages.append(len(lst["threads"]))
        seen.extend(lst["threads"])
        cursor = lst["next_cursor"]
        if cursor is None:
            return pages, seen
        check(isinstance(cursor, str) and cursor, f"next_cursor {cursor!r}")
        from urllib.parse import quote
        cursor = quote(cursor, safe="")
    fail(f"{path}: more than 500 pages")


def _sort_key(t):
    return (t["pinned"], t["last_post_at"])


@tests
def test_list_pagination_walks_everything_once(ctx):
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("situation-awareness")
    mine = [ctx.create_thread(alice, obj["id"], key_action_id=ka["id"])[0]["id"] for _ in range(5)]
    pages, seen = walk_threads(ctx, f"/api/v1/objectives/{obj['id']}/threads?key_action={ka['id']}", 2)
    ids = [t["id"] for t in seen]
    check(pages == [2, 2, 1], f"5 threads with limit=2 came in pages {pages}, want [2, 2, 1]")
    check(sorted(ids) == sorted(mine), f"walked {ids}, created {mine}")
    # the whole objective, whatever other tests put there
    count = ctx.objective(obj["slug"], fresh=True)["thread_count"]
    pages, seen = walk_threads(ctx, f"/api/v1/objectives/{obj['id']}/threads", 2)
    ids = [t["id"] for t in seen]
    check(len(ids) == len(set(ids)), f"duplicates while paging: {ids}")
    check(len(ids) == count, f"paging found {len(ids)} threads, the objective counts {count}")
    check(set(mine) <= set(ids), "paging missed some threads")
    keys = [_sort_key(t) for t in seen]
    check(keys == sorted(keys, reverse=True), "the walk is not ordered pinned first, newest activity first")


@tests
def test_key_action_filter_excludes_others(ctx):
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("eurosur")
    _, other = ctx.key_action("inter-agency-cooperation")
    inside, _ = ctx.create_thread(alice, obj["id"], key_action_id=ka["id"])
    outside, _ = ctx.create_thread(alice, obj["id"], key_action_id=other["id"])
    plain, _ = ctx.create_thread(alice, obj["id"])
    lst = expect_json(ctx.client().get(f"/api/v1/objectives/{obj['id']}/threads?key_action=eurosur&limit=100"), 200)
    ids = [t["id"] for t in lst["threads"]]
    check(inside["id"] in ids, f"eurosur thread {inside['id']} missing from {ids}")
    check(outside["id"] not in ids and plain["id"] not in ids, f"filter let other threads through: {ids}")
    check(all(t["key_action_id"] == ka["id"] for t in lst["threads"]), "filter returned other key actions")


@tests
def test_key_action_filter_unknown_never_unfiltered(ctx):
    """An unknown key action, or one of another objective, must not return the unfiltered list."""
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")
    ctx.create_thread(alice, obj["id"])
    _, foreign = ctx.key_action("eurosur")
    for key in ("no-such-action", "987654", foreign["slug"], str(foreign["id"]), "0", "-1"):
        r = ctx.client().get(f"/api/v1/objectives/{obj['id']}/threads?key_action={key}")
        if r.status == 200:
            check(r.json["threads"] == [], f"?key_action={key} returned threads: {r.describe()}")
        else:
            expect_error(r, (400, 404), ("validation_failed", "bad_request", "not_found"))


# -- thread view and replies -------------------------------------------------------------------

@tests
def test_thread_view_paging(ctx):
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")
    t, first = ctx.create_thread(alice, ctx.objective("crime-networks")["id"])
    made = [first["id"]]
    for i in range(25):
        made.append(ctx.reply(bob if i % 2 else alice, t["id"], f"reply number {i}")["id"])
    check(made == sorted(made), f"post ids not increasing: {made}")
    got, pages, cursor = [], [], None
    from urllib.parse import quote
    while True:
        url = f"/api/v1/threads/{t['id']}?limit=10" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        v = ctx.thread_view(ctx.client(), t["id"], url[url.index("?"):])
        check(v["thread"]["id"] == t["id"] and v["thread"]["post_count"] == 26,
              f"thread on a page: {v['thread']}")
        pages.append(len(v["posts"]))
        got.extend(p["id"] for p in v["posts"])
        for p in v["posts"]:
            check_post(p, "listed post")
        cursor = v["next_cursor"]
        if cursor is None or len(pages) > 10:
            break
    check(pages == [10, 10, 6], f"26 posts with limit=10 came in pages {pages}")
    check(got == made, f"posts {got}, want oldest first {made}")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(len(v["posts"]) == 20 and isinstance(v["next_cursor"], str), f"default limit: {len(v['posts'])} posts")
    check(v["posts"][0]["id"] == first["id"] and v["posts"][0]["parent_id"] is None, "opening post not first")
    v = ctx.thread_view(ctx.client(), t["id"], "?limit=100")
    check([p["id"] for p in v["posts"]] == made and v["next_cursor"] is None, "limit=100 view")


@tests
def test_reply_shape_and_thread_counters(ctx):
    alice_acc, bob_acc = ctx.account("alice"), ctx.account("bob")
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")
    t, first = ctx.create_thread(alice, ctx.objective("crime-networks")["id"])
    time.sleep(1.1)
    r = bob.post(f"/api/v1/threads/{t['id']}/posts", {"body": "I *agree*", "parent_id": first["id"], "language": "de"})
    b = expect_json(r, 201)
    check(list(b.keys()) == ["post"], f"want {{post}}, got {list(b)}")
    p = b["post"]
    check_post(p, "reply")
    for k, v in {"thread_id": t["id"], "parent_id": first["id"], "body": "I *agree*", "language": "de",
                 "anonymous": False, "official": False}.items():
        check(p[k] == v, f"reply.{k} = {p[k]!r}, want {v!r}")
    check("<em>agree</em>" in p["body_html"], f"body_html {p['body_html']!r}")
    check_summary_is(p["author"], bob_acc, "reply.author")
    check(p["id"] > first["id"], "reply id not after the opening post")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["post_count"] == 2, f"post_count {v['thread']['post_count']} after one reply")
    check(v["thread"]["last_post_at"] == p["created_at"], f"last_post_at {v['thread']['last_post_at']} != reply's")
    check(v["thread"]["last_post_at"] > t["last_post_at"], "last_post_at did not move forward")
    check(v["thread"]["created_at"] == t["created_at"], "created_at changed on reply")
    check_summary_is(v["thread"]["author"], alice_acc, "thread.author after a reply")
    check([x["id"] for x in v["posts"]] == [first["id"], p["id"]], "posts order after reply")
    check(v["posts"][1] == p, f"viewed reply {v['posts'][1]} != created {p}")
    # a reply to the reply
    p2 = ctx.reply(alice, t["id"], "nested", parent_id=p["id"])
    check(p2["parent_id"] == p["id"], f"nested parent_id {p2['parent_id']}")


@tests
def test_reply_parent_must_be_in_thread(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objective("crime-networks")["id"]
    t1, p1 = ctx.create_thread(alice, obj)
    t2, p2 = ctx.create_thread(alice, obj)
    for parent in (p2["id"], 987654321, 0, -5, "abc", str(p1["id"]), 1.5):
        r = alice.post(f"/api/v1/threads/{t1['id']}/posts", {"body": "x", "parent_id": parent})
        expect_error(r, 400, "validation_failed", "parent_id")
    v = ctx.thread_view(ctx.client(), t1["id"])
    check(v["thread"]["post_count"] == 1 and len(v["posts"]) == 1, "a refused reply was stored")
    ctx.reply(alice, t1["id"], "explicit null parent", parent_id=None)


REPLY_INVALID = [
    ("body_missing", {}, "body"),
    ("body_empty", {"body": ""}, "body"),
    ("body_null", {"body": None}, "body"),
    ("body_too_long", {"body": "r" * 50001}, "body"),
    ("body_number", {"body": 3}, "body"),
    ("anonymous_string", {"body": "b", "anonymous": "true"}, "anonymous"),
    ("unknown_key", {"body": "b", "thread_id": 1}, "thread_id"),
]
for _name, _body, _field in REPLY_INVALID:
    def _t(ctx, body=_body, field=_field):
        alice = ctx.signed_in("alice")
        if not hasattr(ctx, "_reply_invalid_thread"):
            ctx._reply_invalid_thread = ctx.create_thread(alice, ctx.objective("crime-networks")["id"])[0]
        tid = ctx._reply_invalid_thread["id"]
        expect_error(alice.post(f"/api/v1/threads/{tid}/posts", body), 400, "validation_failed", field)
        v = ctx.thread_view(ctx.client(), tid)
        check(v["thread"]["post_count"] == 1, "a refused reply was counted")
    tests.add(f"reply_invalid[{_name}]", _t)


# -- Markdown safety --------------------------------------------------------------------------

BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "base", "meta",
            "link", "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "background", "poster", "cite"}


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_parts(body_html):
    """What a browser would treat as active content in body_html (empty if it is safe)."""
    problems = []
    if "<script" in body_html.lower():
        problems.append("<script")
    p = _Tags()
    p.feed(body_html)
    p.close()
    for tag, attrs in p.tags:
        if tag in BAD_TAGS:
            problems.append(f"<{tag}> tag")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"{name}= attribute on <{tag}>")
            if name in URL_ATTRS and value is not None:
                v = "".join(ch for ch in value if ord(ch) > 0x20 and ch != "\x7f").lower()
                if v.startswith(BAD_SCHEMES):
                    problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                problems.append(f"style attribute on <{tag}>")
    return problems


def links(body_html):
    p = _Tags()
    p.feed(body_html)
    p.close()
    return [(tag, dict(attrs)) for tag, attrs in p.tags]


XSS = [
    ("script_tag", "<script>alert(1)</script>"),
    ("script_mixed_case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("js_link", "[x](javascript:alert(1))"),
    ("js_link_mixed_case", "[x](JaVaScRiPt:alert(1))"),
    ("js_link_entity", "[x](jav&#x61;script:alert(1))"),
    ("js_link_entity_colon", "[x](javascript&colon;alert(1))"),
    ("js_link_leading_space", "[x](<  javascript:alert(1)>)"),
    ("js_link_newline", "[x](java\nscript:alert(1))"),
    ("js_link_percent", "[x](javascript%3Aalert(1))"),
    ("js_autolink", "<javascript:alert(1)>"),
    ("js_reference", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("data_link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data_link_upper", "[x](DATA:text/html,<script>alert(1)</script>)"),
    ("vbscript_link", "[x](vbscript:msgbox(1))"),
    ("image_js", "![i](javascript:alert(1))"),
    ("image_data", "![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("img_onerror", "<img src=x onerror=alert(1)>"),
    ("svg_onload", "<svg onload=alert(1)>"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("raw_anchor", '<a href="javascript:alert(1)">x</a>'),
    ("raw_anchor_entities", '<a href="&#106;avascript:alert(1)">x</a>'),
    ("attr_breakout", '[x](https://example.org/"onmouseover="alert(1))'),
    ("title_breakout", '[x](https://example.org "a\\" onmouseover=\\"alert(1)")'),
    ("html_block", "<div onclick=alert(1)>\n\n*md*\n\n</div>"),
    ("style_tag", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("nested_brackets", "[[x](javascript:alert(1))](https://example.org)"),
]
for _name, _src in XSS:
    def _t(ctx, src=_src):
        alice = ctx.signed_in("alice")
        if not hasattr(ctx, "_xss_thread"):
            ctx._xss_thread = ctx.create_thread(alice, ctx.objective("terrorism-radicalisation")["id"])[0]
        p = ctx.reply(alice, ctx._xss_thread["id"], src)
        check(p["body"] == src, f"body changed: {p['body']!r} != {src!r}")
        bad = unsafe_parts(p["body_html"])
        check(not bad, f"body_html {p['body_html']!r} has {bad}")
        again = ctx.thread_view(ctx.client(), ctx._xss_thread["id"], "?limit=100")
        seen = [x for x in again["posts"] if x["id"] == p["id"]]
        check(seen and seen[0]["body_html"] == p["body_html"] and seen[0]["body"] == src,
              "the stored post differs from the created one")
    tests.add(f"markdown_xss[{_name}]", _t)


MARKDOWN_OK = [
    ("bold", "**bold**", lambda h: "<strong>bold</strong>" in h),
    ("emphasis", "*em*", lambda h: "<em>em</em>" in h),
    ("code", "`x < y`", lambda h: "<code>x &lt; y</code>" in h),
    ("https_link", "[ok](https://example.org)",
     lambda h: ("a", {"href": "https://example.org"}) in [(t, {"href": a.get("href")}) for t, a in links(h)]),
    ("mailto_link", "[mail](mailto:someone@example.org)",
     lambda h: any(a.get("href") == "mailto:someone@example.org" for t, a in links(h))),
    ("text_escaped", "a < b & c > d", lambda h: "a &lt; b &amp; c &gt; d" in h),
    ("raw_tag_escaped", "<b>not bold</b>", lambda h: "<b>" not in h and "not bold" in h),
    ("list", "- one\n- two", lambda h: "<ul>" in h and h.count("<li>") == 2),
]
for _name, _src, _ok in MARKDOWN_OK:
    def _t(ctx, src=_src, ok=_ok):
        alice = ctx.signed_in("alice")
        if not hasattr(ctx, "_md_thread"):
            ctx._md_thread = ctx.create_thread(alice, ctx.objective("terrorism-radicalisation")["id"])[0]
        p = ctx.reply(alice, ctx._md_thread["id"], src)
        check(p["body"] == src, f"body changed: {p['body']!r}")
        check(ok(p["body_html"]), f"{src!r} rendered as {p['body_html']!r}")
        check(not unsafe_parts(p["body_html"]), f"unsafe: {p['body_html']!r}")
    tests.add(f"markdown_render[{_name}]", _t)


# -- anonymous posting --------------------------------------------------------------------------

def _anonymous_author_ok(a, account, what):
    f = account.fields
    want = {"id": None, "display_name": "Anonymous", "stakeholder_type": f["stakeholder_type"],
            "country": f["country"]}
    got = {k: a.get(k) for k in want}
    check(got == want, f"{what} is {a}, want {want}")
    check(a.get("organisation") is None, f"{what} shows an organisation: {a}")


def _no_identity(text, account, what):
    f = account.fields
    for secret in (f["display_name"], f["organisation"], account.email):
        check(secret not in text, f"{what} reveals {secret!r}")


@tests
def test_anonymous_reply(ctx):
    alice_acc = ctx.account("alice")
    bob, alice = ctx.signed_in("bob"), ctx.signed_in("alice")
    t, _ = ctx.create_thread(bob, ctx.objective("terrorism-radicalisation")["id"])
    p = ctx.reply(alice, t["id"], "said without my name", anonymous=True)
    check(p["anonymous"] is True, f"anonymous={p['anonymous']!r}")
    check(p["author"].get("id") == alice_acc.id, f"the author's own answer hides her id: {p['author']}")
    for who, c in (("anonymous reader", ctx.client()), ("another member", ctx.signed_in("carol"))):
        r = c.get(f"/api/v1/threads/{t['id']}")
        v = expect_json(r, 200)
        mine = [x for x in v["posts"] if x["id"] == p["id"]]
        check(mine, f"{who} does not see the anonymous post")
        _anonymous_author_ok(mine[0]["author"], alice_acc, f"author seen by {who}")
        check(mine[0]["anonymous"] is True and mine[0]["body"] == "said without my name", f"post seen by {who}")
        _no_identity(r.text, alice_acc, f"thread view for {who}")
    own = ctx.thread_view(alice, t["id"])
    mine = [x for x in own["posts"] if x["id"] == p["id"]][0]
    check(mine["author"].get("id") == alice_acc.id, f"the author sees {mine['author']}, want her own id")
    modv = ctx.thread_view(ctx.signed_in("mod"), t["id"])
    mine = [x for x in modv["posts"] if x["id"] == p["id"]][0]
    check(mine["author"].get("id") == alice_acc.id, f"a moderator sees {mine['author']}, want the real author")


@tests
def test_anonymous_thread(ctx):
    alice_acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    obj, ka = ctx.key_action("emergency-response")
    t, p = ctx.create_thread(alice, obj["id"], key_action_id=ka["id"], anonymous=True,
                             title=unique("Anonymous thread "))
    check(p["anonymous"] is True, "opening post not anonymous")
    check(t["author"].get("id") == alice_acc.id, f"author's own answer: {t['author']}")
    c = ctx.client()
    r = c.get(f"/api/v1/objectives/{obj['id']}/threads?key_action={ka['id']}")
    lst = expect_json(r, 200)
    mine = [x for x in lst["threads"] if x["id"] == t["id"]]
    check(mine, "anonymous thread missing from the list")
    _anonymous_author_ok(mine[0]["author"], alice_acc, "listed thread author")
    _no_identity(r.text, alice_acc, "thread list")
    r = c.get(f"/api/v1/threads/{t['id']}")
    v = expect_json(r, 200)
    _anonymous_author_ok(v["thread"]["author"], alice_acc, "viewed thread author")
    _anonymous_author_ok(v["posts"][0]["author"], alice_acc, "opening post author")
    _no_identity(r.text, alice_acc, "thread view")
    own = ctx.thread_view(alice, t["id"])
    check(own["thread"]["author"].get("id") == alice_acc.id, "the author does not see her own thread as hers")
