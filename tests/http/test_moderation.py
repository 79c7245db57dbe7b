"""Moderation (issue 4): post edits and revisions, deletion, flags and the flag queue, hiding,
thread changes (lock, pin, move, retitle), consultations, moderators limited to some objectives,
suspensions, roles and the moderation log. The contract is API.md refined by the moderation notes.

Every test makes its own threads and posts and searches for words no other test writes, so that
tests do not depend on each other or on their order. The standing accounts (alice, bob, carol,
mod, admin) are never suspended, demoted or otherwise changed here; suspensions and role changes
use fresh accounts, and the last-admin rule is checked on a server of its own.
"""

import datetime
import json
import sqlite3
import time
import urllib.parse

from client import (Client, TestList, check, describe_cli, expect_error, expect_json, expect_keys,
                    expect_ts, fail, is_int, remember_secret, run_cli, start_server)
from fixtures import new_password, unique
from test_search import ids as hit_ids, search, word
from test_threads import SUMMARY_KEYS, rfc3339

tests = TestList()

API = "/api/v1"
FLAG_KEYS = ["id", "post_id", "thread_id", "objective_id", "reason", "text", "state", "resolution",
             "created_at", "resolved_at", "flagger"]
LOG_KEYS = ["id", "actor", "action", "target_type", "target_id", "objective_id", "reason", "created_at"]
REVISION_KEYS = ["body", "edited_at", "editor", "by_moderator"]
REASONS = ["spam", "off_topic", "abusive", "illegal", "personal_data"]


# -- small helpers ----------------------------------------------------------------------------

def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def at(seconds):
    """An RFC 3339 UTC time `seconds` from now (whole seconds)."""
    return rfc3339(now_utc() + datetime.timedelta(seconds=seconds))


def sleep_past(ts, margin=1.1):
    """Sleeps until the RFC 3339 time ts has passed by margin seconds."""
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    wait = (t - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + margin
    time.sleep(max(wait, 0))


def patch(c, path, body):
    return c.request("PATCH", path, body)


def put(c, path, body):
    return c.request("PUT", path, body)


def dave(ctx):
    """A member of this module's own, whose posts alice, bob and carol flag (so that flags on
    the standing accounts' posts never pile up). Returns (account, signed-in client)."""
    if not hasattr(ctx, "_moderation_dave"):
        acc = ctx.new_member(display_name=unique("Dave Poster "), stakeholder_type="private_sector",
                             organisation=unique("Dave-Corp-"), country="NL")
        ctx._moderation_dave = (acc, ctx.login(acc))
    return ctx._moderation_dave


def find_post(ctx, c, thread_id, post_id, who="the reader"):
    v = ctx.thread_view(c, thread_id, "?limit=100")
    for p in v["posts"]:
        if p["id"] == post_id:
            return p
    fail(f"post {post_id} is missing from GET /api/v1/threads/{thread_id} as {who} sees it "
         f"(posts {[p['id'] for p in v['posts']]})")


def edit(c, post_id, body, **extra):
    payload = {"body": body}
    payload.update(extra)
    return patch(c, f"{API}/posts/{post_id}", payload)


def edited(c, post_id, body, **extra):
    r = edit(c, post_id, body, **extra)
    b = expect_json(r, 200)
    check(isinstance(b.get("post"), dict), f"want {{post}}: {r.describe()}")
    return b["post"]


def revisions(c, post_id):
    r = c.get(f"{API}/posts/{post_id}/revisions")
    b = expect_json(r, 200)
    check(isinstance(b.get("revisions"), list), f"want {{revisions: [...]}}: {r.describe()}")
    for i, rev in enumerate(b["revisions"]):
        expect_keys(rev, REVISION_KEYS, f"revision {i} of post {post_id}")
        expect_ts(rev["edited_at"], f"revision {i}.edited_at")
        check(isinstance(rev["by_moderator"], bool), f"revision {i}.by_moderator {rev['by_moderator']!r}")
        check(isinstance(rev["editor"], dict), f"revision {i}.editor {rev['editor']!r}")
        check("email" not in rev["editor"], f"revision {i}.editor carries an email: {rev['editor']}")
    return b["revisions"]


def hide(c, post_id, reason="hidden by a test"):
    r = c.post(f"{API}/posts/{post_id}/hide", {"reason": reason})
    b = expect_json(r, 200)
    check(isinstance(b.get("post"), dict), f"want {{post}}: {r.describe()}")
    return b["post"]


def unhide(c, post_id, **body):
    r = c.post(f"{API}/posts/{post_id}/unhide", body)
    b = expect_json(r, 200)
    check(isinstance(b.get("post"), dict), f"want {{post}}: {r.describe()}")
    return b["post"]


def check_flag(f, what="flag"):
    expect_keys(f, FLAG_KEYS, what)
    check(is_int(f["id"]) and f["id"] > 0, f"{what}.id {f['id']!r}")
    check(f["state"] in ("open", "resolved"), f"{what}.state {f['state']!r}")
    check(f["resolution"] in (None, "dismissed", "hidden"), f"{what}.resolution {f['resolution']!r}")
    expect_ts(f["created_at"], f"{what}.created_at")
    if f["state"] == "open":
        check(f["resolution"] is None and f["resolved_at"] is None,
              f"open {what} has resolution {f['resolution']!r} / resolved_at {f['resolved_at']!r}")
    else:
        expect_ts(f["resolved_at"], f"{what}.resolved_at")
    check(isinstance(f["flagger"], dict), f"{what}.flagger {f['flagger']!r}")
    expect_keys(f["flagger"], SUMMARY_KEYS, f"{what}.flagger")
    check("email" not in f["flagger"], f"{what}.flagger carries an email: {f['flagger']}")


def flag(c, post_id, reason="spam", **extra):
    payload = {"reason": reason}
    payload.update(extra)
    r = c.post(f"{API}/posts/{post_id}/flags", payload)
    b = expect_json(r, 201)
    check(isinstance(b.get("flag"), dict), f"want {{flag}}: {r.describe()}")
    check_flag(b["flag"])
    return b["flag"]


def flag_queue(c, state=None):
    q = "?limit=100" + (f"&state={state}" if state else "")
    r = c.get(f"{API}/mod/flags{q}")
    b = expect_json(r, 200)
    expect_keys(b, ["flags", "next_cursor"], f"GET /mod/flags{q}")
    for f in b["flags"]:
        check_flag(f, "queued flag")
    return b["flags"]


def resolve(c, flag_id, action, **extra):
    payload = {"action": action}
    payload.update(extra)
    return c.post(f"{API}/mod/flags/{flag_id}/resolve", payload)


def mod_log(c, **params):
    params.setdefault("limit", 100)
    q = urllib.parse.urlencode(params)
    r = c.get(f"{API}/mod/log?{q}")
    b = expect_json(r, 200)
    expect_keys(b, ["entries", "next_cursor"], f"GET /mod/log?{q}")
    for e in b["entries"]:
        expect_keys(e, LOG_KEYS, "log entry")
        expect_ts(e["created_at"], "log entry created_at")
        check(e["actor"] is None or (isinstance(e["actor"], dict) and "email" not in e["actor"]),
              f"log entry actor {e['actor']!r}")
    return b["entries"]


def log_for(c, target_type, target_id):
    return [e for e in mod_log(c, target_type=target_type, target_id=target_id)
            if e["target_type"] == target_type and e["target_id"] == target_id]


def decision_rows(c, action, post_id, flag_ids):
    """Log rows of a flag decision, whether they name the flag or the post."""
    return [e for e in mod_log(c) if e["action"] == action and
            ((e["target_type"] == "flag" and e["target_id"] in flag_ids) or
             (e["target_type"] == "post" and e["target_id"] == post_id))]


def actions(entries):
    return [e["action"] for e in entries]


def patch_thread(c, thread_id, body):
    r = patch(c, f"{API}/threads/{thread_id}", body)
    b = expect_json(r, 200)
    check(isinstance(b.get("thread"), dict), f"want {{thread}}: {r.describe()}")
    return b["thread"]


def thread_ids(ctx, objective_id):
    r = ctx.client().get(f"{API}/objectives/{objective_id}/threads?limit=100")
    return [t["id"] for t in expect_json(r, 200)["threads"]]


def no_identity(text, account, what):
    f = account.fields
    for s in (f["display_name"], f.get("organisation"), account.email):
        if s:
            check(s not in text, f"{what} reveals {s!r}")


# -- editing posts ----------------------------------------------------------------------------

@tests
def test_author_edit_updates_post_and_keeps_revisions(ctx):
    alice_acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "First version of my point.")
    check(p.get("edited_by_moderator") is False, f"a fresh post: edited_by_moderator {p.get('edited_by_moderator')!r}")
    e = edited(alice, p["id"], "Second version, now **bold**.")
    check(e["id"] == p["id"] and e["body"] == "Second version, now **bold**.", f"edited post {e}")
    check("<strong>bold</strong>" in (e["body_html"] or ""), f"body_html not re-rendered: {e['body_html']!r}")
    expect_ts(e["edited_at"], "edited_at after an author edit")
    check(e.get("edited_by_moderator") is False, f"author edit: edited_by_moderator {e.get('edited_by_moderator')!r}")
    check(e["created_at"] == p["created_at"], "the edit changed created_at")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"], "an anonymous reader")
    check(seen["body"] == e["body"] and seen["body_html"] == e["body_html"] and seen["edited_at"] == e["edited_at"],
          f"the thread view shows {seen}, want the edited post {e}")
    revs = revisions(ctx.client(), p["id"])
    check(len(revs) == 1, f"{len(revs)} revisions after one edit: {revs}")
    check(revs[0]["body"] == "First version of my point.", f"revision body {revs[0]['body']!r}, want the old text")
    check(revs[0]["edited_at"] == e["edited_at"], f"revision edited_at {revs[0]['edited_at']} != post edited_at {e['edited_at']}")
    check(revs[0]["editor"].get("id") == alice_acc.id, f"revision editor {revs[0]['editor']}, want alice")
    check(revs[0]["by_moderator"] is False, "an author edit is marked by_moderator")
    edited(alice, p["id"], "Third version.")
    revs = revisions(ctx.client(), p["id"])
    check([r["body"] for r in revs] == ["First version of my point.", "Second version, now **bold**."],
          f"revisions after two edits, oldest first: {[r['body'] for r in revs]}")


@tests
def test_moderator_edit_is_marked(ctx):
    mod_acc = ctx.account("mod")
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Call me on +32 470 00 00 00.")
    e = edited(mod, p["id"], "Call me (phone number removed by a moderator).", reason="personal data")
    check(e.get("edited_by_moderator") is True, f"moderator edit: edited_by_moderator {e.get('edited_by_moderator')!r}")
    expect_ts(e["edited_at"], "edited_at after a moderator edit")
    check(e["author"].get("id") == ctx.account("alice").id, f"a moderator edit changed the author: {e['author']}")
    pub = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(pub.get("edited_by_moderator") is True, f"public view: edited_by_moderator {pub.get('edited_by_moderator')!r}")
    revs = revisions(ctx.client(), p["id"])
    check(len(revs) == 1 and revs[0]["body"] == "Call me on +32 470 00 00 00.", f"revisions {revs}")
    check(revs[0]["by_moderator"] is True, f"revision by_moderator {revs[0]['by_moderator']!r} for a moderator edit")
    check(revs[0]["editor"].get("id") == mod_acc.id, f"revision editor {revs[0]['editor']}, want the moderator")
    # the author edits again: the flag follows the latest edit
    e2 = edited(alice, p["id"], "Call me via the forum.")
    check(e2.get("edited_by_moderator") is False,
          f"after the author's own later edit, edited_by_moderator is {e2.get('edited_by_moderator')!r}")


@tests
def test_edit_by_others_refused(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Only I may change this.")
    expect_error(edit(ctx.signed_in("bob"), p["id"], "bob was here"), 403, "forbidden")
    expect_error(edit(ctx.client(), p["id"], "anonymous was here"), 401, "unauthorized")
    expect_error(edit(alice, 987654321, "no such post"), 404, "not_found")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["body"] == "Only I may change this." and seen["edited_at"] is None, f"a refused edit changed the post: {seen}")


@tests
def test_author_cannot_edit_in_locked_thread(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Written before the lock.")
    patch_thread(mod, t["id"], {"locked": True})
    expect_error(edit(alice, p["id"], "changed after the lock"), 409, "thread_locked")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["body"] == "Written before the lock.",
          "a refused edit in a locked thread changed the post")
    e = edited(mod, p["id"], "Moderated after the lock.")
    check(e["body"] == "Moderated after the lock.", "a moderator could not edit in a locked thread")


@tests
def test_edit_validation(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Valid text.")
    for payload, field in (({"body": ""}, "body"), ({}, "body"), ({"body": None}, "body"), ({"body": 5}, "body"),
                           ({"body": "b" * 50001}, "body"), ({"body": "ok", "colour": "red"}, "colour"),
                           ({"body": "ok", "pinned": True}, "pinned")):
        r = patch(alice, f"{API}/posts/{p['id']}", payload)
        expect_error(r, 400, "validation_failed", field)
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["body"] == "Valid text." and seen["edited_at"] is None, f"a refused edit changed the post: {seen}")
    check(revisions(ctx.client(), p["id"]) == [], "a refused edit left a revision")


@tests
def test_deleted_post_cannot_be_edited(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Soon deleted.")
    expect_status_204(alice.delete(f"{API}/posts/{p['id']}"))
    expect_error(edit(alice, p["id"], "resurrected by the author"), 409, "conflict")
    expect_error(edit(mod, p["id"], "resurrected by a moderator"), 409, "conflict")
    seen = find_post(ctx, ctx.signed_in("mod"), t["id"], p["id"], "the moderator")
    check(seen["deleted"] is True and seen["body"] is None, f"an edit brought a deleted post back: {seen}")


@tests
def test_edit_updates_search(ctx):
    alice = ctx.signed_in("alice")
    old, new = word("old"), word("new")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], f"The {old} proposal.")
    check(hit_ids(search(ctx.client(), old)) == [p["id"]], "the post is not found before the edit")
    edited(alice, p["id"], f"The {new} proposal.")
    check(hit_ids(search(ctx.client(), new)) == [p["id"]], f"search for the edited-in word {new} misses the post")
    check(hit_ids(search(ctx.client(), old)) == [], f"search still finds the post by the edited-out word {old}")


@tests
def test_revisions_of_unedited_and_unknown_posts(ctx):
    alice = ctx.signed_in("alice")
    t, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    check(revisions(ctx.client(), p["id"]) == [], "an unedited post has revisions")
    expect_error(ctx.client().get(f"{API}/posts/987654321/revisions"), 404, "not_found")


# -- revisions: who sees them ----------------------------------------------------------------

@tests
def test_hidden_post_revisions_only_for_moderators(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Original wording.")
    edited(alice, p["id"], "Edited wording.")
    hide(mod, p["id"], "under review")
    for who, c in (("an anonymous reader", ctx.client()), ("another member", ctx.signed_in("bob")),
                   ("the author", alice)):
        r = c.get(f"{API}/posts/{p['id']}/revisions")
        check(r.status == 404, f"{who} asks for the revisions of a hidden post: {r.describe()}")
        expect_error(r, 404, "not_found")
        check("Original wording" not in r.text, f"{who} got the old text of a hidden post")
    for who in ("mod", "admin"):
        revs = revisions(ctx.signed_in(who), p["id"])
        check([x["body"] for x in revs] == ["Original wording."], f"{who} sees revisions {revs}")


@tests
def test_anonymous_post_revision_hides_editor(ctx):
    alice_acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(ctx.signed_in("bob"), ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Said anonymously.", anonymous=True)
    edited(alice, p["id"], "Said anonymously, corrected.")
    for who, c in (("an anonymous reader", ctx.client()), ("another member", ctx.signed_in("carol"))):
        r = c.get(f"{API}/posts/{p['id']}/revisions")
        revs = expect_json(r, 200)["revisions"]
        check(len(revs) == 1 and revs[0]["body"] == "Said anonymously.", f"{who}: revisions {revs}")
        check(revs[0]["editor"].get("id") != alice_acc.id, f"{who} sees the anonymous author as editor: {revs[0]['editor']}")
        no_identity(r.text, alice_acc, f"revisions of an anonymous post for {who}")
        rv = c.get(f"{API}/threads/{t['id']}")
        no_identity(rv.text, alice_acc, f"thread view with an edited anonymous post for {who}")
        post = [x for x in expect_json(rv, 200)["posts"] if x["id"] == p["id"]][0]
        check(post["author"].get("id") is None and post["anonymous"] is True,
              f"the edit made the post lose its anonymity for {who}: {post['author']}")
    revs = revisions(ctx.signed_in("mod"), p["id"])
    check(revs[0]["editor"].get("id") == alice_acc.id, f"a moderator sees the editor as {revs[0]['editor']}, want alice")


# -- deleting posts -----------------------------------------------------------------------------

def expect_status_204(r):
    check(r.status == 204, f"expected 204: {r.describe()}")
    check(r.body == b"", f"204 with a body: {r.describe()}")


@tests
def test_author_delete_keeps_place_with_null_body(ctx):
    alice, bob, mod = ctx.signed_in("alice"), ctx.signed_in("bob"), ctx.signed_in("mod")
    w = word("del")
    t, first = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], f"I regret writing {w}.")
    q = ctx.reply(bob, t["id"], "A later reply.")
    check(hit_ids(search(ctx.client(), w)) == [p["id"]], "the post is not found before deletion")
    expect_status_204(alice.delete(f"{API}/posts/{p['id']}"))
    expect_status_204(alice.delete(f"{API}/posts/{p['id']}"))  # again: still 204
    for who, c in (("an anonymous reader", ctx.client()), ("another member", bob), ("the author", alice),
                   ("a moderator", mod)):
        v = ctx.thread_view(c, t["id"], "?limit=100")
        check([x["id"] for x in v["posts"]] == [first["id"], p["id"], q["id"]],
              f"{who}: the deleted post lost its place: {[x['id'] for x in v['posts']]}")
        d = v["posts"][1]
        check(d["deleted"] is True, f"{who}: deleted={d['deleted']!r}")
        check(d["body"] is None and d["body_html"] is None, f"{who} still sees the deleted text: {d['body']!r} / {d['body_html']!r}")
        check(w not in json.dumps(v), f"{who}: the deleted text is still in the thread view")
    for who, c in (("an anonymous reader", ctx.client()), ("a moderator", mod)):
        check(hit_ids(search(c, w)) == [], f"search by {who} still finds the deleted post")
    for who, c in (("an anonymous reader", ctx.client()), ("the author", alice)):
        r = c.get(f"{API}/posts/{p['id']}/revisions")
        check(r.status == 404, f"{who} asks for the revisions of a deleted post: {r.describe()}")
        expect_error(r, 404, "not_found")
    revisions(mod, p["id"])  # a moderator of the post still may
    expect_error(bob.post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 404, "not_found")
    entries = log_for(mod, "post", p["id"])
    check(actions(entries).count("delete") == 1,
          f"the moderation log has {actions(entries)} for the deleted post, want one delete (the second DELETE changed nothing)")


@tests
def test_delete_by_others_refused(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "Mine to delete.")
    expect_error(ctx.signed_in("bob").delete(f"{API}/posts/{p['id']}"), 403, "forbidden")
    expect_error(ctx.signed_in("mod").delete(f"{API}/posts/{p['id']}"), 403, "forbidden")
    expect_error(ctx.client().delete(f"{API}/posts/{p['id']}"), 401, "unauthorized")
    expect_error(alice.delete(f"{API}/posts/987654321"), 404, "not_found")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["deleted"] is False and seen["body"] == "Mine to delete.", f"a refused delete changed the post: {seen}")


# -- flags --------------------------------------------------------------------------------------

@tests
def test_flag_reasons(ctx):
    _, dv = dave(ctx)
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    for reason in REASONS:
        p = ctx.reply(dv, t["id"], f"A post to flag as {reason}.")
        f = flag(alice, p["id"], reason)
        check(f["reason"] == reason and f["text"] is None, f"flag {reason}: {f}")
    p = ctx.reply(dv, t["id"], "A post to flag as other.")
    for payload in ({"reason": "other"}, {"reason": "other", "text": ""}, {"reason": "other", "text": None}):
        expect_error(alice.post(f"{API}/posts/{p['id']}/flags", payload), 400, "validation_failed", "text")
    for payload, field in (({}, "reason"), ({"reason": "rude"}, "reason"), ({"reason": 3}, "reason"),
                           ({"reason": "other", "text": "x" * 501}, "text"),
                           ({"reason": "spam", "colour": "red"}, "colour")):
        expect_error(alice.post(f"{API}/posts/{p['id']}/flags", payload), 400, "validation_failed", field)
    f = flag(alice, p["id"], "other", text="Advertises a product in every thread.")
    check(f["reason"] == "other" and f["text"] == "Advertises a product in every thread.", f"flag other: {f}")
    f = flag(ctx.signed_in("bob"), p["id"], "spam", text="Optional words.")
    check(f["text"] == "Optional words.", f"optional text not kept: {f}")


@tests
def test_flag_shape(ctx):
    dave_acc, dv = dave(ctx)
    alice_acc = ctx.account("alice")
    obj = ctx.objective("crime-networks")
    t, _ = ctx.create_thread(dv, obj["id"])
    p = ctx.reply(dv, t["id"], "Flag me once.")
    r = ctx.signed_in("alice").post(f"{API}/posts/{p['id']}/flags", {"reason": "abusive"})
    b = expect_json(r, 201)
    check(list(b.keys()) == ["flag"], f"want exactly {{flag}}: {r.describe()}")
    f = b["flag"]
    check_flag(f)
    want = {"post_id": p["id"], "thread_id": t["id"], "objective_id": obj["id"], "reason": "abusive",
            "text": None, "state": "open", "resolution": None, "resolved_at": None}
    for k, v in want.items():
        check(f[k] == v, f"flag.{k} = {f[k]!r}, want {v!r}")
    check(f["flagger"]["id"] == alice_acc.id, f"flagger {f['flagger']}, want alice")
    check(alice_acc.email not in r.text, "the flagger's email is in the answer")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is False, "one flag hid the post")


@tests
def test_flag_duplicate_own_and_anonymous(ctx):
    _, dv = dave(ctx)
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p = ctx.reply(dv, t["id"], "Flag me twice.")
    flag(alice, p["id"], "spam")
    expect_error(alice.post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 409, "conflict")
    expect_error(alice.post(f"{API}/posts/{p['id']}/flags", {"reason": "abusive"}), 409, "conflict")
    expect_error(dv.post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 403, "forbidden")
    expect_error(ctx.client().post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 401, "unauthorized")
    expect_error(alice.post(f"{API}/posts/987654321/flags", {"reason": "spam"}), 404, "not_found")
    mine = [f for f in flag_queue(ctx.signed_in("mod")) if f["post_id"] == p["id"]]
    check(len(mine) == 1, f"the queue holds {len(mine)} open flags for the post, want 1 (refused flags stored?)")


def auto_hidden_post(ctx, objective="crime-networks", text=None):
    """A post by dave flagged by alice, bob and carol. Returns (thread, post, [flags])."""
    _, dv = dave(ctx)
    t, _ = ctx.create_thread(dv, ctx.objective(objective)["id"])
    p = ctx.reply(dv, t["id"], text or f"Buy cheap things {word('spam')}.")
    flags = [flag(ctx.signed_in(n), p["id"], "spam") for n in ("alice", "bob", "carol")]
    return t, p, flags


@tests
def test_three_flags_hide_automatically(ctx):
    _, dv = dave(ctx)
    mod = ctx.signed_in("mod")
    w = word("auto")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p = ctx.reply(dv, t["id"], f"Buy cheap {w} now.")
    for i, name in enumerate(("alice", "bob")):
        flag(ctx.signed_in(name), p["id"], "spam")
        seen = find_post(ctx, ctx.client(), t["id"], p["id"])
        check(seen["hidden"] is False and seen["body"] is not None, f"{i + 1} flag(s) hid the post: {seen}")
    check(hit_ids(search(ctx.client(), w)) == [p["id"]], "the post is not found before the third flag")
    flag(ctx.signed_in("carol"), p["id"], "abusive")
    for who, c in (("an anonymous reader", ctx.client()), ("another member", ctx.signed_in("alice")),
                   ("the author", dv)):
        seen = find_post(ctx, c, t["id"], p["id"], who)
        check(seen["hidden"] is True, f"{who}: hidden={seen['hidden']!r} after three flags")
        check(seen["body"] is None and seen["body_html"] is None, f"{who} still sees the text of an auto-hidden post")
    seen = find_post(ctx, mod, t["id"], p["id"], "the moderator")
    check(seen["hidden"] is True and seen["body"] == f"Buy cheap {w} now.", f"the moderator's view: {seen}")
    check(hit_ids(search(ctx.client(), w)) == [], "search still finds the auto-hidden post")
    expect_error(ctx.signed_in("admin").post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), 404, "not_found")
    entries = log_for(mod, "post", p["id"])
    auto = [e for e in entries if e["action"] == "auto_hide"]
    check(len(auto) == 1, f"log for the post has {actions(entries)}, want one auto_hide")
    check(auto[0]["actor"] is None, f"auto_hide actor {auto[0]['actor']!r}, want null (the system)")


@tests
def test_flag_queue_order_and_filter(ctx):
    _, dv = dave(ctx)
    mod, alice, bob = ctx.signed_in("mod"), ctx.signed_in("alice"), ctx.signed_in("bob")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p1 = ctx.reply(dv, t["id"], "Queue post one.")
    p2 = ctx.reply(dv, t["id"], "Queue post two.")
    made = [flag(alice, p1["id"], "spam"), flag(bob, p2["id"], "off_topic"), flag(alice, p2["id"], "illegal")]
    mine = [f["id"] for f in made]
    q = flag_queue(mod)
    got = [f["id"] for f in q if f["id"] in mine]
    check(got == mine[::-1], f"open queue has my flags as {got}, want newest first {mine[::-1]}")
    check(all(f["state"] == "open" for f in q), f"default queue holds non-open flags: {[f['state'] for f in q]}")
    stamps = [f["created_at"] for f in q]
    check(stamps == sorted(stamps, reverse=True), f"queue not newest first: {stamps}")
    check(q == flag_queue(mod, "open"), "?state=open differs from the default queue")
    for f in q:
        if f["id"] in mine:
            check(isinstance(f.get("post"), dict), f"queued flag without its post: {f}")
            check(f["post"].get("id") == f["post_id"], f"flag {f['id']}: post {f['post'].get('id')} != post_id {f['post_id']}")
            want = p1["body"] if f["post_id"] == p1["id"] else p2["body"]
            check(f["post"].get("body") == want, f"flag {f['id']}: post body {f['post'].get('body')!r}, want {want!r}")
    check(not [f for f in flag_queue(mod, "resolved") if f["id"] in mine], "open flags listed as resolved")
    expect_json(resolve(mod, made[0]["id"], "dismiss"), 200)
    check(made[0]["id"] not in [f["id"] for f in flag_queue(mod)], "a resolved flag is still in the open queue")
    res = [f for f in flag_queue(mod, "resolved") if f["id"] == made[0]["id"]]
    check(len(res) == 1 and res[0]["resolution"] == "dismissed", f"resolved queue has {res} for the dismissed flag")
    r = mod.get(f"{API}/mod/flags?state=bogus")
    expect_error(r, 400, "validation_failed", "state")


@tests
def test_flag_queue_pages(ctx):
    _, dv = dave(ctx)
    mod = ctx.signed_in("mod")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    for name in ("alice", "bob", "carol"):
        flag(ctx.signed_in(name), ctx.reply(dv, t["id"])["id"], "off_topic")
    full = [f["id"] for f in flag_queue(mod)]
    check(len(full) < 100, "more than 100 open flags: the walk below cannot be compared to one page")
    seen, cursor, pages = [], None, 0
    while True:
        q = "?limit=4" + (f"&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else "")
        b = expect_json(mod.get(f"{API}/mod/flags{q}"), 200)
        check(len(b["flags"]) <= 4, f"page of {len(b['flags'])} flags with limit 4")
        seen += [f["id"] for f in b["flags"]]
        pages += 1
        cursor = b["next_cursor"]
        if not cursor:
            break
        check(pages < 40, "flag queue paging does not end")
    check(seen == full, f"paging the open queue by 4 gave {seen}, one page of 100 gave {full}")
    expect_error(mod.get(f"{API}/mod/flags?cursor=garbage"), 400, ("bad_request", "validation_failed"))


@tests
def test_resolve_dismiss_unhides_and_resolves_all(ctx):
    mod = ctx.signed_in("mod")
    w = word("dism")
    t, p, flags = auto_hidden_post(ctx, text=f"Looks like spam {w} but is not.")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is True, "three flags did not hide the post")
    r = resolve(mod, flags[1]["id"], "dismiss", reason="not spam")
    f = expect_json(r, 200).get("flag")
    check_flag(f)
    check(f["id"] == flags[1]["id"] and f["state"] == "resolved" and f["resolution"] == "dismissed",
          f"resolved flag {f}")
    resolved = {x["id"]: x for x in flag_queue(mod, "resolved")}
    for x in flags:
        check(x["id"] in resolved and resolved[x["id"]]["resolution"] == "dismissed",
              f"flag {x['id']} of the same post is {resolved.get(x['id'])}, want resolved as dismissed")
    check(not [x for x in flag_queue(mod) if x["post_id"] == p["id"]], "open flags remain on the decided post")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["hidden"] is False and seen["body"] == p["body"], f"dismiss did not unhide the auto-hidden post: {seen}")
    check(hit_ids(search(ctx.client(), w)) == [p["id"]], "search does not find the post again after dismiss")
    rows = decision_rows(mod, "flag_dismiss", p["id"], {x["id"] for x in flags})
    check(rows and all(isinstance(e["actor"], dict) for e in rows), f"no flag_dismiss entry with its moderator in the log: {rows}")
    # resolving again, this flag or another one of the same decision
    expect_error(resolve(mod, flags[1]["id"], "dismiss"), 409, "conflict")
    expect_error(resolve(mod, flags[0]["id"], "hide"), 409, "conflict")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is False, "a refused resolve hid the post")
    # dismissed flags are no longer open: one new flag does not make three
    late = ctx.new_member()
    flag(ctx.login(late), p["id"], "spam")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is False,
          "a fourth flag after a dismissal hid the post again (dismissed flags counted as open)")


@tests
def test_resolve_hide_keeps_hidden(ctx):
    mod = ctx.signed_in("mod")
    t, p, flags = auto_hidden_post(ctx)
    f = expect_json(resolve(mod, flags[0]["id"], "hide", reason="spam indeed"), 200)["flag"]
    check(f["state"] == "resolved" and f["resolution"] == "hidden", f"resolved flag {f}")
    resolved = {x["id"]: x for x in flag_queue(mod, "resolved")}
    for x in flags:
        check(resolved.get(x["id"], {}).get("resolution") == "hidden", f"flag {x['id']} is {resolved.get(x['id'])}")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["hidden"] is True and seen["body"] is None, f"resolve hide: public view {seen}")
    check(decision_rows(mod, "flag_hide", p["id"], {x["id"] for x in flags}), "no flag_hide entry in the log")
    expect_error(resolve(mod, flags[0]["id"], "hide"), 409, "conflict")
    # a single open flag: hide hides the post
    _, dv = dave(ctx)
    q = ctx.reply(dv, t["id"], "One flag is enough if the moderator agrees.")
    f1 = flag(ctx.signed_in("alice"), q["id"], "abusive")
    expect_json(resolve(mod, f1["id"], "hide"), 200)
    seen = find_post(ctx, ctx.client(), t["id"], q["id"])
    check(seen["hidden"] is True and seen["body"] is None, f"resolve hide on a visible post: public view {seen}")


@tests
def test_resolve_validation(ctx):
    _, dv = dave(ctx)
    mod = ctx.signed_in("mod")
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p = ctx.reply(dv, t["id"], "Resolve me properly.")
    f = flag(ctx.signed_in("alice"), p["id"])
    for payload in ({}, {"action": "delete"}, {"action": None}, {"action": 1}):
        expect_error(mod.post(f"{API}/mod/flags/{f['id']}/resolve", payload), 400, "validation_failed", "action")
    expect_error(resolve(mod, 987654321, "dismiss"), 404, "not_found")
    check(f["id"] in [x["id"] for x in flag_queue(mod)], "a refused resolve closed the flag")


@tests
def test_unhide_dismisses_open_flags(ctx):
    """An auto-hidden post keeps its three flags open; unhiding it dismisses them."""
    mod = ctx.signed_in("mod")
    t, p, flags = auto_hidden_post(ctx)
    check([x["id"] for x in flag_queue(mod) if x["post_id"] == p["id"]] == [f["id"] for f in flags][::-1],
          "the open queue does not hold the three flags of the auto-hidden post")
    u = unhide(mod, p["id"], reason="fine after all")
    check(u["hidden"] is False, f"unhide answer {u}")
    resolved = {x["id"]: x for x in flag_queue(mod, "resolved")}
    for f in flags:
        check(resolved.get(f["id"], {}).get("resolution") == "dismissed",
              f"after unhide flag {f['id']} is {resolved.get(f['id'], 'not resolved')}, want resolved as dismissed")
    check(not [x for x in flag_queue(mod) if x["post_id"] == p["id"]], "open flags remain after unhide")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["hidden"] is False and seen["body"] == p["body"], f"public view after unhide: {seen}")


@tests
def test_mod_routes_refuse_members_and_anonymous(ctx):
    _, dv = dave(ctx)
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p = ctx.reply(dv, t["id"], "Somebody flag me.")
    f = flag(ctx.signed_in("alice"), p["id"])
    for who, c, status, code in (("a member", ctx.signed_in("bob"), 403, "forbidden"),
                                 ("an anonymous client", ctx.client(), 401, "unauthorized")):
        for method, path, body in (("GET", "/mod/flags", None), ("GET", "/mod/flags?state=resolved", None),
                                   ("GET", "/mod/log", None),
                                   ("POST", f"/mod/flags/{f['id']}/resolve", {"action": "dismiss"}),
                                   ("POST", f"/posts/{p['id']}/hide", {"reason": "I dislike it"}),
                                   ("POST", f"/posts/{p['id']}/unhide", {}),
                                   ("PATCH", f"/threads/{t['id']}", {"locked": True})):
            kw = {} if body is None else {"body": body}
            r = c.request(method, API + path, **kw)
            check(r.status == status, f"{who}: {r.describe()}, want {status}")
            expect_error(r, status, code)
    check(f["id"] in [x["id"] for x in flag_queue(ctx.signed_in("mod"))], "a refused resolve closed the flag")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["locked"] is False and v["posts"][1]["hidden"] is False, "a refused moderation action took effect")


# -- hide and unhide ------------------------------------------------------------------------------

@tests
def test_hide_requires_reason(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    p = ctx.reply(alice, t["id"], "Hide me only with a reason.")
    for payload in ({}, {"reason": ""}, {"reason": None}, {"reason": "r" * 501}, {"reason": 7}):
        expect_error(mod.post(f"{API}/posts/{p['id']}/hide", payload), 400, "validation_failed", "reason")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is False, "a refused hide hid the post")
    expect_error(mod.post(f"{API}/posts/987654321/hide", {"reason": "gone"}), 404, "not_found")


@tests
def test_hide_and_unhide_visibility_and_search(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    w = word("hid")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    p = ctx.reply(alice, t["id"], f"Something about {w} that goes too far.")
    check(hit_ids(search(ctx.client(), w)) == [p["id"]], "the post is not found before hiding")
    h = hide(mod, p["id"], "breaks rule 3")
    check(h["hidden"] is True and h["body"] == p["body"], f"hide answer (staff view): {h}")
    for who, c in (("an anonymous reader", ctx.client()), ("another member", ctx.signed_in("bob")), ("the author", alice)):
        seen = find_post(ctx, c, t["id"], p["id"], who)
        check(seen["hidden"] is True, f"{who}: hidden={seen['hidden']!r}")
        check(seen["body"] is None and seen["body_html"] is None, f"{who} sees the text of a hidden post")
    for who in ("mod", "admin"):
        seen = find_post(ctx, ctx.signed_in(who), t["id"], p["id"], who)
        check(seen["hidden"] is True and seen["body"] == p["body"] and seen["body_html"],
              f"{who} does not see the hidden text: {seen}")
    for who, c in (("an anonymous reader", ctx.client()), ("a moderator", mod)):
        check(hit_ids(search(c, w)) == [], f"search by {who} finds the hidden post")
    expect_error(edit(alice, p["id"], "let me fix it"), 403, "forbidden")
    e = edited(mod, p["id"], p["body"] + " (moderated)")
    check(e["hidden"] is True and e.get("edited_by_moderator") is True, f"a moderator edit of a hidden post: {e}")
    p = dict(p, body=e["body"])
    u = unhide(mod, p["id"])
    check(u["hidden"] is False and u["body"] == p["body"], f"unhide answer {u}")
    seen = find_post(ctx, ctx.client(), t["id"], p["id"])
    check(seen["hidden"] is False and seen["body"] == p["body"], f"public view after unhide: {seen}")
    check(hit_ids(search(ctx.client(), w)) == [p["id"]], "search does not find the post again after unhide")
    entries = [x for x in log_for(mod, "post", p["id"]) if x["action"] in ("hide", "unhide")]
    check(actions(entries) == ["unhide", "hide"], f"log for the post: {actions(entries)}, want unhide, hide (newest first)")
    check(entries[1]["reason"] == "breaks rule 3", f"hide log reason {entries[1]['reason']!r}")


@tests
def test_hide_twice_changes_nothing(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    p = ctx.reply(alice, t["id"], "Hidden once is enough.")
    hide(mod, p["id"], "first")
    h = hide(mod, p["id"], "second")
    check(h["hidden"] is True, f"second hide: {h}")
    acts = actions(log_for(mod, "post", p["id"]))
    check(acts.count("hide") == 1, f"hiding a hidden post wrote a log row: {acts}")


# -- thread changes --------------------------------------------------------------------------------

@tests
def test_lock_blocks_replies_but_not_official_answer(ctx):
    alice, bob, mod = ctx.signed_in("alice"), ctx.signed_in("bob"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("terrorism-radicalisation")["id"])
    th = patch_thread(mod, t["id"], {"locked": True, "reason": "heated"})
    check(th["locked"] is True and th["id"] == t["id"], f"PATCH locked: {th}")
    expect_error(bob.post(f"{API}/threads/{t['id']}/posts", {"body": "too late"}), 409, "thread_locked")
    expect_error(alice.post(f"{API}/threads/{t['id']}/posts", {"body": "my own thread"}), 409, "thread_locked")
    answer = ctx.reply(mod, t["id"], "The Commission's answer.", official=True)
    check(answer["official"] is True, f"official answer {answer}")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["locked"] is True, "GET shows the thread unlocked")
    check(v["thread"]["official_post_id"] == answer["id"],
          f"official_post_id {v['thread']['official_post_id']!r}, want the answer {answer['id']}")
    check(v["thread"]["post_count"] == 2, f"post_count {v['thread']['post_count']}: refused replies stored?")
    th = patch_thread(mod, t["id"], {"locked": True})
    check(th["locked"] is True, f"locking a locked thread: {th}")
    th = patch_thread(mod, t["id"], {"locked": False})
    check(th["locked"] is False, f"unlock: {th}")
    ctx.reply(bob, t["id"], "Open again.")
    entries = log_for(mod, "thread", t["id"])
    check(actions(entries)[:2] == ["unlock", "lock"] and actions(entries).count("lock") == 1,
          f"log for the thread: {actions(entries)}, want unlock, lock (newest first; locking a locked thread writes nothing)")
    check(entries[1]["reason"] == "heated", f"lock log reason {entries[1]['reason']!r}, want 'heated'")


@tests
def test_pin_lists_first(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    obj = ctx.objective("terrorism-radicalisation")["id"]
    a, _ = ctx.create_thread(alice, obj, title=unique("Pinned later "))
    b, _ = ctx.create_thread(alice, obj, title=unique("Newer "))
    time.sleep(1.05)  # b's activity is later than a's
    ctx.reply(alice, b["id"], "newer activity")
    lst = thread_ids(ctx, obj)
    check(lst.index(b["id"]) < lst.index(a["id"]), "before pinning, the newer thread is not listed first")
    th = patch_thread(mod, a["id"], {"pinned": True})
    check(th["pinned"] is True, f"PATCH pinned: {th}")
    r = ctx.client().get(f"{API}/objectives/{obj}/threads?limit=100")
    threads = expect_json(r, 200)["threads"]
    order = [x["id"] for x in threads]
    flags = [x["pinned"] for x in threads]
    check(flags == sorted(flags, reverse=True), f"pinned threads are not all listed before the others: {flags}")
    check(order.index(a["id"]) < order.index(b["id"]), f"the pinned thread {a['id']} is listed after {b['id']}")
    check(threads[order.index(a["id"])]["pinned"] is True, "the listed thread is not pinned")
    th = patch_thread(mod, a["id"], {"pinned": False})
    check(th["pinned"] is False, f"unpin: {th}")
    lst = thread_ids(ctx, obj)
    check(lst.index(b["id"]) < lst.index(a["id"]), "after unpinning, the older thread is still listed first")


@tests
def test_move_thread_to_another_objective(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    src_obj, ka = ctx.key_action("dismantle-networks")
    w = word("mov")
    t, _ = ctx.create_thread(alice, src_obj["id"], key_action_id=ka["id"])
    moved = ctx.reply(alice, t["id"], f"a reply about {w} that moves with the thread")
    src0 = ctx.objective("crime-networks", fresh=True)
    dst0 = ctx.objective("border-management")
    th = patch_thread(mod, t["id"], {"objective_id": dst0["id"], "reason": "belongs to borders"})
    check(th["objective_id"] == dst0["id"], f"objective_id {th['objective_id']}, want {dst0['id']}")
    check(th["key_action_id"] is None, f"moving without key_action_id kept key action {th['key_action_id']!r}")
    check(t["id"] in thread_ids(ctx, dst0["id"]), "the moved thread is not listed in its new objective")
    check(t["id"] not in thread_ids(ctx, src0["id"]), "the moved thread is still listed in its old objective")
    src1 = ctx.objective("crime-networks", fresh=True)
    dst1 = ctx.objective("border-management")
    check(src1["thread_count"] == src0["thread_count"] - 1 and dst1["thread_count"] == dst0["thread_count"] + 1,
          f"thread_count: old {src0['thread_count']} -> {src1['thread_count']}, new {dst0['thread_count']} -> {dst1['thread_count']}")
    check(src1["post_count"] == src0["post_count"] - 2 and dst1["post_count"] == dst0["post_count"] + 2,
          f"post_count: old {src0['post_count']} -> {src1['post_count']}, new {dst0['post_count']} -> {dst1['post_count']} (2 posts moved)")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["objective_id"] == dst0["id"], f"GET thread: objective_id {v['thread']['objective_id']}")
    acts = actions(log_for(mod, "thread", t["id"]))
    check("move" in acts, f"log for the thread: {acts}, want move")
    check(hit_ids(search(ctx.client(), w, objective=dst0["slug"])) == [moved["id"]],
          "search filtered by the new objective misses the moved thread's post")
    check(hit_ids(search(ctx.client(), w, objective=src0["slug"])) == [],
          "search filtered by the old objective still finds the moved thread's post")


@tests
def test_move_key_action_rules(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    crime = ctx.objective("crime-networks")
    border, eurosur = ctx.key_action("eurosur")
    _, confiscate = ctx.key_action("confiscate-assets")
    t, _ = ctx.create_thread(alice, crime["id"])
    # a key action of another objective, with or without moving
    expect_error(patch(mod, f"{API}/threads/{t['id']}", {"key_action_id": eurosur["id"]}),
                 400, "validation_failed", "key_action_id")
    expect_error(patch(mod, f"{API}/threads/{t['id']}", {"objective_id": border["id"], "key_action_id": confiscate["id"]}),
                 400, "validation_failed", "key_action_id")
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check(v["objective_id"] == crime["id"] and v["key_action_id"] is None, f"a refused move changed the thread: {v}")
    th = patch_thread(mod, t["id"], {"key_action_id": confiscate["id"]})
    check(th["key_action_id"] == confiscate["id"], f"setting a key action: {th['key_action_id']!r}")
    th = patch_thread(mod, t["id"], {"objective_id": border["id"], "key_action_id": eurosur["id"]})
    check(th["objective_id"] == border["id"] and th["key_action_id"] == eurosur["id"], f"move with key action: {th}")
    th = patch_thread(mod, t["id"], {"key_action_id": None})
    check(th["key_action_id"] is None, f"clearing the key action: {th['key_action_id']!r}")


@tests
def test_retitle(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    obj = ctx.objective("terrorism-radicalisation")["id"]
    t, _ = ctx.create_thread(alice, obj, title=unique("Sloppy tilte "))
    new = unique("Tidy title ")
    th = patch_thread(mod, t["id"], {"title": new})
    check(th["title"] == new, f"title {th['title']!r}, want {new!r}")
    check(ctx.thread_view(ctx.client(), t["id"])["thread"]["title"] == new, "GET thread shows the old title")
    listed = [x for x in expect_json(ctx.client().get(f"{API}/objectives/{obj}/threads?limit=100"), 200)["threads"]
              if x["id"] == t["id"]]
    check(listed and listed[0]["title"] == new, f"the thread list shows {listed[0]['title'] if listed else 'nothing'!r}")
    check("retitle" in actions(log_for(mod, "thread", t["id"])), "no retitle entry in the log")


@tests
def test_thread_patch_validation(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("terrorism-radicalisation")["id"])
    for payload, field in (({}, None), ({"locked": "yes"}, "locked"), ({"pinned": 1}, "pinned"),
                           ({"title": ""}, "title"), ({"title": "t" * 201}, "title"), ({"title": None}, None),
                           ({"colour": "red"}, "colour"), ({"key_action_id": "abc"}, "key_action_id"),
                           ({"objective_id": "x"}, "objective_id"),
                           ({"consultation": {"closes_at": "soon"}}, None),
                           ({"locked": True, "reason": "r" * 501}, "reason")):
        r = patch(mod, f"{API}/threads/{t['id']}", payload)
        if field is None:
            expect_error(r, 400, "validation_failed")
        else:
            expect_error(r, 400, "validation_failed", field)
    r = patch(mod, f"{API}/threads/{t['id']}", {"objective_id": 987654})
    check(r.status in (400, 404), f"moving to an unknown objective: {r.describe()}")
    expect_error(r, r.status, ("validation_failed", "not_found"))
    expect_error(patch(mod, f"{API}/threads/987654321", {"locked": True}), 404, "not_found")
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check(v["title"] == t["title"] and v["locked"] is False and v["pinned"] is False and v["consultation"] is None,
          f"a refused PATCH changed the thread: {v}")


@tests
def test_thread_patch_refused_for_members(ctx):
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("terrorism-radicalisation")["id"])
    for who, c, status, code in (("the author", alice, 403, "forbidden"), ("another member", ctx.signed_in("bob"), 403, "forbidden"),
                                 ("an anonymous client", ctx.client(), 401, "unauthorized")):
        for payload in ({"locked": True}, {"title": "mine now"}, {"pinned": True},
                        {"consultation": {"closes_at": at(86400)}}):
            expect_error(patch(c, f"{API}/threads/{t['id']}", payload), status, code)
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check(v["title"] == t["title"] and not v["locked"] and not v["pinned"] and v["consultation"] is None,
          f"a refused PATCH changed the thread: {v}")


# -- consultations ----------------------------------------------------------------------------------

@tests
def test_consultation_open_then_closed(ctx):
    mod, bob = ctx.signed_in("mod"), ctx.signed_in("bob")
    obj = ctx.objective("crisis-resilience")["id"]
    closes = at(3)
    t, _ = ctx.create_thread(mod, obj, title=unique("Consultation closing "), consultation={"closes_at": closes})
    check(t["consultation"] and t["consultation"]["state"] == "open", f"consultation {t['consultation']}")
    r1 = ctx.reply(bob, t["id"], "Early feedback.")
    edited(bob, r1["id"], "Early feedback, refined while open.")
    before = ctx.client().get(f"{API}/threads/{t['id']}")
    etag_open = before.header("ETag")
    check(etag_open and before.json["thread"]["consultation"]["state"] == "open", f"before closes_at: {before.describe()}")
    sleep_past(closes)
    # a browser holding the page of the open consultation must not be told it is still current
    again = ctx.client().get(f"{API}/threads/{t['id']}", headers={"If-None-Match": etag_open})
    check(again.status == 200 and again.json["thread"]["consultation"]["state"] == "closed",
          f"If-None-Match with the ETag from before the deadline: {again.describe()}")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["consultation"]["state"] == "closed", f"after closes_at: {v['thread']['consultation']}")
    listed = [x for x in expect_json(ctx.client().get(f"{API}/objectives/{obj}/threads?limit=100"), 200)["threads"]
              if x["id"] == t["id"]]
    check(listed and listed[0]["consultation"]["state"] == "closed",
          f"the thread list shows the consultation as {listed[0]['consultation'] if listed else 'missing'} after closes_at")
    expect_error(bob.post(f"{API}/threads/{t['id']}/posts", {"body": "Late feedback."}), 409, "consultation_closed")
    expect_error(edit(bob, r1["id"], "changed after closing"), 409, "consultation_closed")
    expect_error(bob.delete(f"{API}/posts/{r1['id']}"), 409, "consultation_closed")
    seen = find_post(ctx, ctx.client(), t["id"], r1["id"])
    check(seen["body"] == "Early feedback, refined while open." and not seen["deleted"], f"after closing: {seen}")
    e = edited(mod, r1["id"], "Early feedback (moderated after closing).")
    check(e.get("edited_by_moderator") is True, f"a moderator edit in a closed consultation: {e}")
    answer = ctx.reply(mod, t["id"], "The Commission's summary.", official=True)
    check(answer["official"] is True, "official answer")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["official_post_id"] == answer["id"], f"official_post_id {v['thread']['official_post_id']!r}")
    # reopening: a new closes_at in the future
    later = at(86400)
    th = patch_thread(mod, t["id"], {"consultation": {"closes_at": later}})
    check(th["consultation"]["state"] == "open" and th["consultation"]["closes_at"] == later,
          f"reopened consultation {th['consultation']}")
    ctx.reply(bob, t["id"], "Feedback after reopening.")


@tests
def test_consultation_set_by_patch_planned_and_ended(ctx):
    alice, bob, mod = ctx.signed_in("alice"), ctx.signed_in("bob"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("crisis-resilience")["id"])
    expect_error(patch(alice, f"{API}/threads/{t['id']}", {"consultation": {"closes_at": at(86400)}}), 403, "forbidden")
    closes = at(7 * 86400)
    th = patch_thread(mod, t["id"], {"consultation": {"closes_at": closes}})
    c = th["consultation"]
    check(isinstance(c, dict) and c["state"] == "open" and c["closes_at"] == closes, f"consultation set by PATCH: {c}")
    expect_ts(c["opens_at"], "consultation.opens_at")
    ctx.reply(bob, t["id"], "In the open consultation.")
    opens, closes = at(86400), at(2 * 86400)
    th = patch_thread(mod, t["id"], {"consultation": {"opens_at": opens, "closes_at": closes}})
    c = th["consultation"]
    check(c["state"] == "planned" and c["opens_at"] == opens, f"a future opens_at: {c}")
    expect_error(bob.post(f"{API}/threads/{t['id']}/posts", {"body": "too early"}), 409, "consultation_closed")
    ctx.reply(mod, t["id"], "What we will ask.", official=True)
    th = patch_thread(mod, t["id"], {"consultation": None})
    check(th["consultation"] is None, f"ending the consultation: {th['consultation']}")
    ctx.reply(bob, t["id"], "An ordinary reply again.")
    acts = actions(log_for(mod, "thread", t["id"]))
    for a in ("consultation_open", "consultation_change", "consultation_end"):
        check(a in acts, f"log for the thread: {acts}, want {a}")


# -- moderators limited to some objectives ---------------------------------------------------------------

def scoped_moderator(ctx):
    """A member made moderator of cyberspace (objective 3) only. Returns (account, client, user)."""
    if not hasattr(ctx, "_moderation_scoped"):
        cyber = ctx.objective("cyberspace")
        acc = ctx.new_member(display_name=unique("Scoped Mod "), stakeholder_type="commission",
                             organisation="DG CNECT")
        r = put(ctx.signed_in("admin"), f"{API}/users/{acc.id}/role", {"role": "moderator", "moderates": [cyber["id"]]})
        user = expect_json(r, 200).get("user")
        check(isinstance(user, dict), f"want {{user}}: {r.describe()}")
        ctx._moderation_scoped = (acc, ctx.login(acc), user)
    return ctx._moderation_scoped


@tests
def test_scoped_moderator_role_answer(ctx):
    cyber = ctx.objective("cyberspace")
    acc, sm, user = scoped_moderator(ctx)
    check(user["id"] == acc.id and user["role"] == "moderator", f"role answer {user}")
    check(user.get("moderates") == [cyber["id"]], f"moderates {user.get('moderates')!r}, want [{cyber['id']}]")
    me = expect_json(sm.get(f"{API}/me"), 200)["user"]
    check(me["role"] == "moderator" and me.get("moderates") == [cyber["id"]], f"GET /me of the scoped moderator: {me}")
    me = expect_json(ctx.signed_in("mod").get(f"{API}/me"), 200)["user"]
    check("moderates" in me and me["moderates"] is None, f"a moderator of everything: moderates {me.get('moderates', '(absent)')!r}, want null")
    me = expect_json(ctx.signed_in("alice").get(f"{API}/me"), 200)["user"]
    check("moderates" not in me, f"a member's /me carries moderates: {me}")
    other = ctx.new_member()
    expect_error(put(ctx.signed_in("admin"), f"{API}/users/{other.id}/role", {"role": "moderator", "moderates": [987654]}),
                 400, "validation_failed", "moderates")


@tests
def test_scoped_moderator_acts_only_in_own_objectives(ctx):
    _, dv = dave(ctx)
    _, sm, _ = scoped_moderator(ctx)
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t3, _ = ctx.create_thread(dv, cyber["id"])
    p3 = ctx.reply(dv, t3["id"], "A cyberspace post.")
    t1, _ = ctx.create_thread(dv, crime["id"])
    p1 = ctx.reply(dv, t1["id"], "A crime-networks post.")
    h = hide(sm, p3["id"], "off topic for cyberspace")
    check(h["hidden"] is True, f"scoped hide in own objective: {h}")
    check(revisions(sm, p3["id"]) == [], "the scoped moderator cannot read revisions of a hidden post in their objective")
    hide(ctx.signed_in("mod"), p1["id"], "hidden by the moderator of everything")
    expect_error(sm.post(f"{API}/posts/{p1['id']}/unhide", {}), 403, "forbidden")
    check(find_post(ctx, ctx.client(), t1["id"], p1["id"])["hidden"] is True, "a refused unhide unhid the post")
    unhide(ctx.signed_in("mod"), p1["id"])
    expect_error(sm.post(f"{API}/posts/{p1['id']}/hide", {"reason": "not mine"}), 403, "forbidden")
    check(find_post(ctx, ctx.client(), t1["id"], p1["id"])["hidden"] is False, "a refused hide hid the post")
    expect_error(edit(sm, p1["id"], "edited by an outsider"), 403, "forbidden")
    expect_error(patch(sm, f"{API}/threads/{t1['id']}", {"locked": True}), 403, "forbidden")
    th = patch_thread(sm, t3["id"], {"locked": True})
    check(th["locked"] is True, "scoped lock in own objective")
    expect_error(patch(sm, f"{API}/threads/{t3['id']}", {"objective_id": crime["id"]}), 403, "forbidden")
    check(ctx.thread_view(ctx.client(), t3["id"])["thread"]["objective_id"] == cyber["id"], "a refused move moved the thread")
    victim = ctx.new_member()
    expect_error(sm.post(f"{API}/users/{victim.id}/suspend",
                         {"until": at(3600), "reason": "scoped try"}), 403, "forbidden")
    expect_json(ctx.signed_in("mod").post(f"{API}/users/{victim.id}/suspend", {"until": at(3600), "reason": "real"}), 200)
    expect_error(sm.post(f"{API}/users/{victim.id}/unsuspend", {}), 403, "forbidden")


@tests
def test_scoped_moderator_staff_posts_only_in_own_objectives(ctx):
    """Official answers and consultations are staff acts: outside their objectives a scoped moderator is a member."""
    _, sm, _ = scoped_moderator(ctx)
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t1, _ = ctx.create_thread(ctx.signed_in("bob"), crime["id"])
    t3, _ = ctx.create_thread(ctx.signed_in("bob"), cyber["id"])
    expect_error(sm.post(f"{API}/threads/{t1['id']}/posts", {"body": "official outside", "official": True}), 403, "forbidden")
    a = ctx.reply(sm, t3["id"], "official inside", official=True)
    check(a["official"] is True, f"official answer in own objective: {a}")
    cons = {"closes_at": at(86400)}
    expect_error(sm.post(f"{API}/objectives/{crime['id']}/threads", {"title": "c", "body": "b", "consultation": cons}),
                 403, "forbidden")
    t, _ = ctx.create_thread(sm, cyber["id"], consultation=cons)
    check(t["consultation"] and t["consultation"]["state"] == "open", f"consultation in own objective: {t['consultation']}")
    v = ctx.thread_view(ctx.client(), t1["id"])
    check(v["thread"]["post_count"] == 1, "a refused official answer was stored")


@tests
def test_scoped_moderator_flag_queue(ctx):
    _, dv = dave(ctx)
    _, sm, _ = scoped_moderator(ctx)
    mod, alice = ctx.signed_in("mod"), ctx.signed_in("alice")
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t3, _ = ctx.create_thread(dv, cyber["id"])
    t1, _ = ctx.create_thread(dv, crime["id"])
    f3 = flag(alice, ctx.reply(dv, t3["id"], "flag me in cyberspace")["id"])
    f1 = flag(alice, ctx.reply(dv, t1["id"], "flag me in crime")["id"])
    q = flag_queue(sm)
    qids = [f["id"] for f in q]
    check(f3["id"] in qids, "the scoped moderator does not see a flag of their objective")
    check(f1["id"] not in qids, "the scoped moderator sees a flag of another objective")
    check(all(f["objective_id"] == cyber["id"] for f in q), f"scoped queue objectives {sorted({f['objective_id'] for f in q})}")
    both = [f["id"] for f in flag_queue(mod)]
    check(f1["id"] in both and f3["id"] in both, "the moderator of everything misses flags")
    expect_error(resolve(sm, f1["id"], "dismiss"), 403, "forbidden")
    expect_json(resolve(sm, f3["id"], "dismiss"), 200)


@tests
def test_scoped_moderator_sees_public_view_elsewhere(ctx):
    alice_acc = ctx.account("alice")
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    _, sm, _ = scoped_moderator(ctx)
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t1, _ = ctx.create_thread(ctx.signed_in("bob"), crime["id"])
    t3, _ = ctx.create_thread(ctx.signed_in("bob"), cyber["id"])
    a1 = ctx.reply(alice, t1["id"], "anonymous in crime", anonymous=True)
    a3 = ctx.reply(alice, t3["id"], "anonymous in cyberspace", anonymous=True)
    h1 = ctx.reply(ctx.signed_in("carol"), t1["id"], "to be hidden in crime")
    hide(mod, h1["id"], "hidden by the moderator of everything")
    r = sm.get(f"{API}/threads/{t1['id']}")
    v = expect_json(r, 200)
    by = {p["id"]: p for p in v["posts"]}
    check(by[a1["id"]]["author"].get("id") is None, f"the scoped moderator sees the anonymous author elsewhere: {by[a1['id']]['author']}")
    no_identity(r.text, alice_acc, "a thread outside the scoped moderator's objectives")
    check(by[h1["id"]]["hidden"] is True and by[h1["id"]]["body"] is None,
          f"the scoped moderator sees hidden text elsewhere: {by[h1['id']]['body']!r}")
    expect_error(sm.get(f"{API}/posts/{h1['id']}/revisions"), 404, "not_found")
    mine = find_post(ctx, sm, t3["id"], a3["id"], "the scoped moderator")
    check(mine["author"].get("id") == alice_acc.id, f"the scoped moderator does not see the author in their objective: {mine['author']}")
    # the same rule in the thread list and in search
    w = word("scop")
    ta, _ = ctx.create_thread(alice, crime["id"], title=unique("Anonymous in crime "), body=f"{w} anonymous", anonymous=True)
    r = sm.get(f"{API}/objectives/{crime['id']}/threads?limit=100")
    listed = [x for x in expect_json(r, 200)["threads"] if x["id"] == ta["id"]]
    check(listed and listed[0]["author"].get("id") is None,
          f"the scoped moderator's thread list of another objective shows the anonymous author: {listed[0]['author'] if listed else 'missing'}")
    no_identity(json.dumps(listed[0]), alice_acc, "the anonymous thread in another objective's list for the scoped moderator")
    r = sm.get(f"{API}/search?q={w}")
    hits = expect_json(r, 200)["results"]
    check(len(hits) == 1 and hits[0]["post"]["author"].get("id") is None,
          f"the scoped moderator's search shows an anonymous author of another objective: {[h['post']['author'] for h in hits]}")
    no_identity(r.text, alice_acc, "search by the scoped moderator")
    hits = search(mod, w)["results"]
    check(len(hits) == 1 and hits[0]["post"]["author"].get("id") == alice_acc.id,
          f"the moderator of everything does not see the anonymous author in search: {[h['post']['author'] for h in hits]}")


@tests
def test_moved_thread_flags_follow_it(ctx):
    """A flag belongs to the objective its post is in now: moving the thread moves it between queues."""
    _, dv = dave(ctx)
    _, sm, _ = scoped_moderator(ctx)
    mod = ctx.signed_in("mod")
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t, _ = ctx.create_thread(dv, cyber["id"])
    f = flag(ctx.signed_in("alice"), ctx.reply(dv, t["id"], "flag me, then move me")["id"])
    check(f["id"] in [x["id"] for x in flag_queue(sm)], "the scoped moderator does not see a flag in cyberspace")
    patch_thread(mod, t["id"], {"objective_id": crime["id"]})
    check(f["id"] not in [x["id"] for x in flag_queue(sm)],
          "after the thread moved to crime-networks the cyberspace-only moderator still sees its flag")
    expect_error(resolve(sm, f["id"], "dismiss"), 403, "forbidden")
    moved = [x for x in flag_queue(mod) if x["id"] == f["id"]]
    check(moved and moved[0]["objective_id"] == crime["id"] and moved[0]["thread_id"] == t["id"],
          f"the moved flag: {moved[0] if moved else 'missing'}, want objective_id {crime['id']}")


@tests
def test_flag_queue_shows_anonymous_author_to_staff(ctx):
    alice_acc = ctx.account("alice")
    t, _ = ctx.create_thread(ctx.signed_in("bob"), ctx.objective("crime-networks")["id"])
    p = ctx.reply(ctx.signed_in("alice"), t["id"], "anonymous, flagged", anonymous=True)
    f = flag(ctx.signed_in("carol"), p["id"], "off_topic")
    q = [x for x in flag_queue(ctx.signed_in("mod")) if x["id"] == f["id"]]
    check(q and q[0]["post"]["author"].get("id") == alice_acc.id and q[0]["post"]["anonymous"] is True,
          f"the queue's post (as staff see it): {q[0]['post'] if q else 'missing'}")


@tests
def test_scoped_moderator_log_scope(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    _, sm, _ = scoped_moderator(ctx)
    cyber, crime = ctx.objective("cyberspace"), ctx.objective("crime-networks")
    t1, _ = ctx.create_thread(alice, crime["id"])
    t3, _ = ctx.create_thread(alice, cyber["id"])
    p1, p3 = ctx.reply(alice, t1["id"]), ctx.reply(alice, t3["id"])
    hide(mod, p1["id"], "crime hide")
    hide(mod, p3["id"], "cyber hide")
    entries = mod_log(sm)
    check(all(e["objective_id"] in (None, cyber["id"]) for e in entries),
          f"the scoped log holds objectives {sorted({e['objective_id'] for e in entries}, key=str)}")
    targets = [(e["target_type"], e["target_id"]) for e in entries]
    check(("post", p3["id"]) in targets, "the scoped log lacks a hide in its objective")
    check(("post", p1["id"]) not in targets, "the scoped log shows a hide in another objective")
    victim = ctx.new_member()
    expect_json(mod.post(f"{API}/users/{victim.id}/suspend", {"until": at(3600), "reason": "for the log"}), 200)
    entries = mod_log(sm)
    check(("user", victim.id) in [(e["target_type"], e["target_id"]) for e in entries],
          "the scoped log lacks a suspension (entries with no objective are for every moderator)")


# -- suspensions ------------------------------------------------------------------------------------

@tests
def test_suspended_member_reads_but_cannot_write(ctx):
    mod = ctx.signed_in("mod")
    acc = ctx.new_member()
    m = ctx.login(acc)
    obj = ctx.objective("border-management")["id"]
    t, own = ctx.create_thread(m, obj)
    other, _ = ctx.create_thread(ctx.signed_in("alice"), obj)
    target = ctx.reply(ctx.signed_in("alice"), other["id"], "something to flag")
    until, reason = at(86400), "Repeated off-topic advertising."
    r = mod.post(f"{API}/users/{acc.id}/suspend", {"until": until, "reason": reason})
    u = expect_json(r, 200).get("user")
    check(isinstance(u, dict) and u["id"] == acc.id, f"want {{user}}: {r.describe()}")
    check("email" not in u and acc.email not in r.text, f"a moderator (not an admin) gets the member's email: {r.describe()}")
    check(u.get("suspended_until") == until, f"suspended_until {u.get('suspended_until')!r}, want {until!r}")
    check(u.get("suspension_reason") == reason, f"the staff answer: suspension_reason {u.get('suspension_reason')!r}")
    # reads and sign-in still work
    ctx.thread_view(m, other["id"])
    me = expect_json(m.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") == until and me.get("suspension_reason") == reason,
          f"GET /me of the suspended member: suspended_until {me.get('suspended_until')!r}, reason {me.get('suspension_reason')!r}")
    m2 = ctx.login(acc)
    me = expect_json(m2.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") == until, f"after a new sign-in /me shows {me.get('suspended_until')!r}")
    for what, resp in (("new thread", m.post(f"{API}/objectives/{obj}/threads", {"title": "t", "body": "b"})),
                       ("reply", m.post(f"{API}/threads/{other['id']}/posts", {"body": "b"})),
                       ("reply on a new session", m2.post(f"{API}/threads/{other['id']}/posts", {"body": "b"})),
                       ("edit", edit(m, own["id"], "changed while suspended")),
                       ("delete", m.delete(f"{API}/posts/{own['id']}")),
                       ("flag", m.post(f"{API}/posts/{target['id']}/flags", {"reason": "spam"}))):
        check(resp.status == 403, f"suspended member's {what}: {resp.describe()}")
        expect_error(resp, 403, "suspended")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["posts"][0]["body"] == own["body"] and not v["posts"][0]["deleted"], "a refused write changed the post")
    check(v["thread"]["post_count"] == 1, "a refused write was stored")
    r = mod.post(f"{API}/users/{acc.id}/unsuspend", {"reason": "promised to behave"})
    u = expect_json(r, 200)["user"]
    check(u.get("suspended_until") is None, f"after unsuspend suspended_until {u.get('suspended_until')!r}")
    me = expect_json(m.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") is None, f"after unsuspend /me shows suspended_until {me.get('suspended_until')!r}")
    ctx.reply(m, other["id"], "Back, and on topic.")
    entries = log_for(mod, "user", acc.id)
    check(actions(entries)[:2] == ["unsuspend", "suspend"], f"log for the user: {actions(entries)}, want unsuspend, suspend (newest first)")
    check(entries[1]["reason"] == reason and entries[1]["objective_id"] is None,
          f"suspend log entry: reason {entries[1]['reason']!r}, objective_id {entries[1]['objective_id']!r}")


@tests
def test_suspension_ends_by_itself(ctx):
    """Also for API tokens: the bearer path is refused while suspended and works again after until."""
    mod = ctx.signed_in("mod")
    acc = ctx.new_member()
    m = ctx.login(acc)
    tok = expect_json(m.post(f"{API}/me/tokens", {"name": "suspension test"}), 201)["token"]
    remember_secret("api_token", tok)
    api = Client(ctx.server, bearer=tok)
    t, _ = ctx.create_thread(ctx.signed_in("alice"), ctx.objective("border-management")["id"])
    until = at(2)
    expect_json(mod.post(f"{API}/users/{acc.id}/suspend", {"until": until, "reason": "cool down"}), 200)
    for who, c in (("session", m), ("API token", api)):
        r = c.post(f"{API}/threads/{t['id']}/posts", {"body": "while suspended"})
        check(r.status == 403, f"suspended member's reply through the {who}: {r.describe()}")
        expect_error(r, 403, "suspended")
    sleep_past(until)
    ctx.reply(m, t["id"], "after the suspension, by session")
    ctx.reply(api, t["id"], "after the suspension, by token")
    me = expect_json(m.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") is None,
          f"/me still shows suspended_until {me.get('suspended_until')!r} after it passed (want absent)")


@tests
def test_suspend_validation(ctx):
    mod = ctx.signed_in("mod")
    acc = ctx.new_member()
    path = f"{API}/users/{acc.id}/suspend"
    for payload, field in (({"until": at(-3600), "reason": "in the past"}, "until"),
                           ({"until": "next week", "reason": "garbage"}, "until"),
                           ({"reason": "no until"}, "until"),
                           ({"until": at(3600)}, "reason"), ({"until": at(3600), "reason": ""}, "reason"),
                           ({"until": at(3600), "reason": "r" * 501}, "reason")):
        expect_error(mod.post(path, payload), 400, "validation_failed", field)
    expect_error(ctx.signed_in("alice").post(path, {"until": at(3600), "reason": "peer"}), 403, "forbidden")
    expect_error(ctx.client().post(path, {"until": at(3600), "reason": "anon"}), 401, "unauthorized")
    expect_error(mod.post(f"{API}/users/987654321/suspend", {"until": at(3600), "reason": "ghost"}), 404, "not_found")
    m = ctx.login(acc)
    me = expect_json(m.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") is None, f"a refused suspension took effect: {me}")
    ctx.create_thread(m, ctx.objective("border-management")["id"])


@tests
def test_suspending_staff_needs_admin(ctx):
    mod, admin = ctx.signed_in("mod"), ctx.signed_in("admin")
    staff = ctx.new_staff("moderator")
    path = f"{API}/users/{staff.id}/suspend"
    # suspending oneself (a fresh moderator, so that a wrong 200 cannot lock out the standing one)
    s = ctx.login(staff)
    expect_error(s.post(path, {"until": at(3600), "reason": "myself"}), 403, "forbidden")
    me = expect_json(s.get(f"{API}/me"), 200)["user"]
    check(me.get("suspended_until") is None, f"a refused self-suspension took effect: {me}")
    expect_error(mod.post(path, {"until": at(3600), "reason": "moderator vs moderator"}), 403, "forbidden")
    u = expect_json(admin.post(path, {"until": at(3600), "reason": "admin decision"}), 200)["user"]
    check(u.get("suspended_until"), f"admin suspension of a moderator: {u}")
    expect_error(s.post(f"{API}/objectives/{ctx.objective('border-management')['id']}/threads",
                        {"title": "t", "body": "b"}), 403, "suspended")
    # a suspended moderator cannot moderate either
    t, _ = ctx.create_thread(ctx.signed_in("alice"), ctx.objective("border-management")["id"])
    p = ctx.reply(ctx.signed_in("alice"), t["id"])
    expect_error(s.post(f"{API}/posts/{p['id']}/hide", {"reason": "while suspended"}), 403, "suspended")
    expect_error(patch(s, f"{API}/threads/{t['id']}", {"locked": True}), 403, "suspended")
    v = ctx.thread_view(ctx.client(), t["id"])
    check(v["thread"]["locked"] is False and v["posts"][1]["hidden"] is False, "a suspended moderator's action took effect")
    u = expect_json(admin.post(f"{API}/users/{staff.id}/unsuspend", {}), 200)["user"]
    check(u.get("suspended_until") is None, f"after unsuspend: {u}")


# -- roles ----------------------------------------------------------------------------------------------

@tests
def test_role_change_by_admin(ctx):
    admin = ctx.signed_in("admin")
    acc = ctx.new_member()
    c = ctx.login(acc)  # a session from before the change
    expect_error(c.get(f"{API}/mod/flags"), 403, "forbidden")
    r = put(admin, f"{API}/users/{acc.id}/role", {"role": "moderator"})
    u = expect_json(r, 200).get("user")
    check(isinstance(u, dict) and u["id"] == acc.id and u["role"] == "moderator", f"promotion: {r.describe()}")
    check("moderates" in u and u["moderates"] is None, f"moderator of everything: moderates {u.get('moderates', '(absent)')!r}")
    expect_json(c.get(f"{API}/mod/flags"), 200)
    u = expect_json(put(admin, f"{API}/users/{acc.id}/role", {"role": "member"}), 200)["user"]
    check(u["role"] == "member" and "moderates" not in u, f"demotion: {u}")
    r = c.get(f"{API}/mod/flags")
    check(r.status == 403, f"a demoted moderator's existing session still reaches the flag queue: {r.describe()}")
    expect_error(ctx.login(acc).get(f"{API}/mod/log"), 403, "forbidden")
    acts = actions(log_for(ctx.signed_in("mod"), "user", acc.id))
    check(acts.count("role") == 2, f"log for the user: {acts}, want two role entries")


@tests
def test_role_only_by_admin(ctx):
    acc = ctx.new_member()
    path = f"{API}/users/{acc.id}/role"
    expect_error(put(ctx.signed_in("mod"), path, {"role": "moderator"}), 403, "forbidden")
    expect_error(put(ctx.signed_in("alice"), path, {"role": "admin"}), 403, "forbidden")
    expect_error(put(ctx.login(acc), path, {"role": "admin"}), 403, "forbidden")
    expect_error(put(ctx.client(), path, {"role": "admin"}), 401, "unauthorized")
    me = expect_json(ctx.login(acc).get(f"{API}/me"), 200)["user"]
    check(me["role"] == "member", f"a refused role change took effect: {me['role']!r}")


@tests
def test_role_validation(ctx):
    admin = ctx.signed_in("admin")
    acc = ctx.new_member()
    path = f"{API}/users/{acc.id}/role"
    for payload in ({"role": "superuser"}, {}, {"role": None}, {"role": 2}):
        expect_error(put(admin, path, payload), 400, "validation_failed", "role")
    expect_error(put(admin, f"{API}/users/987654321/role", {"role": "moderator"}), 404, "not_found")
    me = expect_json(ctx.login(acc).get(f"{API}/me"), 200)["user"]
    check(me["role"] == "member", f"a refused role change took effect: {me['role']!r}")


@tests
def test_last_admin_cannot_be_demoted(ctx):
    """On a server of its own, so that the standing admin of the shared database is never touched."""
    db = ctx.tmp_path(unique("roles") + ".db")
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-roles.log")) as srv:
        email, pw = unique("soleadmin") + "@example.eu", new_password()
        args = ["user", "create", "--db", db, "--email", email, "--display-name", "Sole Admin", "--role", "admin",
                "--stakeholder-type", "commission"]
        p = run_cli(ctx.forumd, args, stdin=pw + "\n")
        check(p.returncode == 0, f"forumd {' '.join(args)}: {describe_cli(p)}")
        first = Client(srv)
        expect_json(first.login(email, pw), 200)
        first_id = first.user["id"]
        for role in ("moderator", "member"):
            expect_error(put(first, f"{API}/users/{first_id}/role", {"role": role}), 409, "conflict")
        me = expect_json(first.get(f"{API}/me"), 200)["user"]
        check(me["role"] == "admin", f"the only admin became {me['role']!r}")
        # a second admin: now the first may step down, and the second is the last one
        email2, pw2 = unique("second") + "@example.eu", new_password()
        r = Client(srv).post(f"{API}/auth/register", {"email": email2, "password": pw2, "display_name": "Second",
                                                     "stakeholder_type": "commission"})
        second_id = expect_json(r, 201)["user"]["id"]
        u = expect_json(put(first, f"{API}/users/{second_id}/role", {"role": "admin"}), 200)["user"]
        check(u["role"] == "admin", f"promotion to admin: {u}")
        u = expect_json(put(first, f"{API}/users/{first_id}/role", {"role": "member"}), 200)["user"]
        check(u["role"] == "member", f"an admin stepping down while another admin exists: {u}")
        second = Client(srv)
        expect_json(second.login(email2, pw2), 200)
        expect_error(put(second, f"{API}/users/{second_id}/role", {"role": "moderator"}), 409, "conflict")
        me = expect_json(second.get(f"{API}/me"), 200)["user"]
        check(me["role"] == "admin", f"the last admin became {me['role']!r}")
        check(srv.stop() == 0, "the roles server did not exit 0 on SIGTERM")


# -- the moderation log ----------------------------------------------------------------------------------

@tests
def test_consultation_story_in_the_log(ctx):
    mod_acc = ctx.account("mod")
    _, dv = dave(ctx)
    mod, alice, bob, carol = (ctx.signed_in(n) for n in ("mod", "alice", "bob", "carol"))
    obj = ctx.objective("crisis-resilience")["id"]
    closes = at(3)
    t, opening = ctx.create_thread(mod, obj, title=unique("Consultation on flood warnings "),
                                   consultation={"closes_at": closes})
    ctx.reply(alice, t["id"], "We need SMS alerts.")
    b = ctx.reply(bob, t["id"], "Sirens, and call me at +32 470 12 34 56.")
    d = ctx.reply(dv, t["id"], f"Buy flood insurance at {word('spam')}.example.")
    flags = [flag(c, d["id"], "spam") for c in (alice, bob, carol)]
    check(find_post(ctx, ctx.client(), t["id"], d["id"])["hidden"] is True, "three flags did not hide the spam")
    e = edited(mod, b["id"], "Sirens (phone number removed).", reason="personal data")
    check(e.get("edited_by_moderator") is True, f"moderator edit not marked: {e}")
    revs = revisions(mod, b["id"])
    check(len(revs) == 1 and revs[0]["body"] == b["body"] and revs[0]["by_moderator"] is True,
          f"revision of the moderator edit: {revs}")
    sleep_past(closes)
    check(ctx.thread_view(ctx.client(), t["id"])["thread"]["consultation"]["state"] == "closed", "not closed")
    expect_error(carol.post(f"{API}/threads/{t['id']}/posts", {"body": "late"}), 409, "consultation_closed")
    answer = ctx.reply(mod, t["id"], "The Commission's answer: SMS alerts and sirens.", official=True)

    entries = mod_log(mod)
    ids = [x["id"] for x in entries]
    check(ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids), f"log not newest first: ids {ids[:20]}")
    stamps = [x["created_at"] for x in entries]
    check(stamps == sorted(stamps, reverse=True), "log created_at not newest first")
    flag_ids = {f["id"] for f in flags}

    def pick(action, cond):
        found = [i for i, x in enumerate(entries) if x["action"] == action and cond(x)]
        check(len(found) == 1, f"log has {len(found)} {action} entries for this story, want 1; "
                               f"story entries: {[(x['action'], x['target_type'], x['target_id']) for x in entries[:15]]}")
        return found[0]

    i_open = pick("consultation_open", lambda x: x["target_type"] == "thread" and x["target_id"] == t["id"])
    i_auto = pick("auto_hide", lambda x: x["target_type"] == "post" and x["target_id"] == d["id"])
    i_edit = pick("edit", lambda x: x["target_type"] == "post" and x["target_id"] == b["id"])
    i_answer = pick("official_answer", lambda x: (x["target_type"], x["target_id"]) in
                    (("post", answer["id"]), ("thread", t["id"])))
    flag_rows = [x for x in entries if x["action"] == "flag" and
                 ((x["target_type"] == "flag" and x["target_id"] in flag_ids) or
                  (x["target_type"] == "post" and x["target_id"] == d["id"]))]
    check(len(flag_rows) == 3, f"log has {len(flag_rows)} flag entries for the three flags")
    check(i_answer < i_edit < i_auto < i_open,
          f"story order in the log (index: answer {i_answer}, edit {i_edit}, auto_hide {i_auto}, open {i_open}), want newest first")
    for i in (i_open, i_edit, i_answer):
        x = entries[i]
        check(isinstance(x["actor"], dict) and x["actor"].get("id") == mod_acc.id, f"{x['action']} actor {x['actor']}, want the moderator")
    check(entries[i_auto]["actor"] is None, f"auto_hide actor {entries[i_auto]['actor']}, want null")
    check(entries[i_edit]["reason"] == "personal data", f"edit reason {entries[i_edit]['reason']!r}")
    for i in (i_open, i_auto, i_edit, i_answer):
        check(entries[i]["objective_id"] == obj, f"{entries[i]['action']} objective_id {entries[i]['objective_id']!r}, want {obj}")
        check(entries[i]["thread_id"] == t["id"], f"{entries[i]['action']} thread_id {entries[i]['thread_id']!r}, want {t['id']}")
    # filtered by target
    only = mod_log(mod, target_type="post", target_id=d["id"])
    check(only and all(x["target_type"] == "post" and x["target_id"] == d["id"] for x in only),
          f"?target_type=post&target_id={d['id']} gave {[(x['target_type'], x['target_id']) for x in only]}")
    check("auto_hide" in actions(only), f"filtered log for the spam post: {actions(only)}")


@tests
def test_log_access(ctx):
    expect_error(ctx.signed_in("alice").get(f"{API}/mod/log"), 403, "forbidden")
    expect_error(ctx.client().get(f"{API}/mod/log"), 401, "unauthorized")
    for who in ("mod", "admin"):
        mod_log(ctx.signed_in(who))


@tests
def test_log_pages(ctx):
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    for i in range(3):
        patch_thread(mod, t["id"], {"locked": i % 2 == 0})
    seen, cursor = [], None
    for _ in range(5):
        q = {"limit": 2, "target_type": "thread", "target_id": t["id"]}
        if cursor:
            q["cursor"] = cursor
        r = mod.get(f"{API}/mod/log?" + urllib.parse.urlencode(q))
        b = expect_json(r, 200)
        check(len(b["entries"]) <= 2, f"page of {len(b['entries'])} with limit 2")
        seen += [x["id"] for x in b["entries"]]
        cursor = b["next_cursor"]
        if not cursor:
            break
    check(len(seen) == 3 and seen == sorted(seen, reverse=True), f"paging the thread's log gave ids {seen}, want 3, newest first")


@tests
def test_log_cannot_be_changed(ctx):
    alice, mod, admin = ctx.signed_in("alice"), ctx.signed_in("mod"), ctx.signed_in("admin")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    p = ctx.reply(alice, t["id"])
    hide(mod, p["id"], "an entry to tamper with")
    before = log_for(mod, "post", p["id"])
    check(len(before) == 1, f"log for the post: {actions(before)}")
    eid = before[0]["id"]
    for c in (mod, admin):
        for method in ("PATCH", "PUT", "DELETE", "POST"):
            for path in (f"{API}/mod/log", f"{API}/mod/log/{eid}"):
                kw = {} if method == "DELETE" else {"body": {"reason": "rewritten", "action": "unhide"}}
                r = c.request(method, path, **kw)
                check(r.status in (404, 405), f"{r.describe()}: want 404 or 405, no route changes the log")
    after = log_for(mod, "post", p["id"])
    check(after == before, f"the log entry changed: {before} -> {after}")


@tests
def test_log_rows_refused_by_database(ctx):
    """The contract: no API changes or deletes a log row, and the database refuses it too."""
    alice, mod = ctx.signed_in("alice"), ctx.signed_in("mod")
    t, _ = ctx.create_thread(alice, ctx.objective("border-management")["id"])
    p = ctx.reply(alice, t["id"])
    hide(mod, p["id"], "an entry the database must keep")
    before = log_for(mod, "post", p["id"])
    eid = before[0]["id"]
    con = sqlite3.connect(ctx.server.db, timeout=5)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        log_tables = []
        for name in tables:
            cols = {r[1] for r in con.execute(f'PRAGMA table_info("{name}")')}
            if {"action", "target_type", "target_id"} <= cols:
                log_tables.append((name, "id" if "id" in cols else "rowid"))
        check(len(log_tables) == 1, f"cannot tell the moderation log table among {tables}")
        name, key = log_tables[0]
        for sql in (f'UPDATE "{name}" SET reason = \'rewritten\' WHERE {key} = ?', f'DELETE FROM "{name}" WHERE {key} = ?'):
            try:
                cur = con.execute(sql, (eid,))
                changed = cur.rowcount
                con.commit()
            except sqlite3.DatabaseError:
                con.rollback()
                continue
            fail(f"the database accepted {sql!r} on log row {eid} ({changed} row(s) changed)")
    finally:
        con.close()
    after = log_for(mod, "post", p["id"])
    check(after == before, f"the log entry changed: {before} -> {after}")


@tests
def test_parallel_flags_hide_once(ctx):
    """Five members flag at the same moment: the post is hidden once, with one auto_hide row."""
    from concurrent.futures import ThreadPoolExecutor
    _, dv = dave(ctx)
    mod = ctx.signed_in("mod")
    flaggers = [ctx.signed_in(n) for n in ("alice", "bob", "carol")] + [ctx.login(ctx.new_member()) for _ in range(2)]
    t, _ = ctx.create_thread(dv, ctx.objective("crime-networks")["id"])
    p = ctx.reply(dv, t["id"], "Flagged by five at once.")
    with ThreadPoolExecutor(5) as ex:
        answers = list(ex.map(lambda c: c.post(f"{API}/posts/{p['id']}/flags", {"reason": "spam"}), flaggers))
    for r in answers:
        check(r.status in (201, 404), f"a concurrent flag: {r.describe()}")
    created = sum(r.status == 201 for r in answers)
    check(created >= 3, f"only {created} of five concurrent flags were accepted: {[r.status for r in answers]}")
    check(find_post(ctx, ctx.client(), t["id"], p["id"])["hidden"] is True, "five concurrent flags did not hide the post")
    acts = actions(log_for(mod, "post", p["id"]))
    check(acts.count("auto_hide") == 1, f"log for the post: {acts}, want exactly one auto_hide")
    open_flags = [x for x in flag_queue(mod) if x["post_id"] == p["id"]]
    check(len(open_flags) == created, f"{created} flags accepted, {len(open_flags)} open in the queue")


@tests
def test_parallel_edits_keep_every_revision(ctx):
    """Ten edits at once by the author: every previous text is kept exactly once, none is lost."""
    from concurrent.futures import ThreadPoolExecutor
    alice = ctx.signed_in("alice")
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    p = ctx.reply(alice, t["id"], "version original")
    texts = [f"version {i}" for i in range(10)]
    with ThreadPoolExecutor(5) as ex:
        answers = list(ex.map(lambda b: edit(alice, p["id"], b), texts))
    for r in answers:
        expect_json(r, 200)
    final = find_post(ctx, ctx.client(), t["id"], p["id"])["body"]
    check(final in texts, f"final body {final!r}")
    revs = [x["body"] for x in revisions(ctx.client(), p["id"])]
    want = sorted(["version original"] + [x for x in texts if x != final])
    check(sorted(revs) == want, f"revisions after 10 parallel edits: {sorted(revs)}, want {want}")
    check(revs[0] == "version original", f"oldest revision {revs[0]!r}, want the original text")
