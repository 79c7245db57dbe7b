"""Exports of an objective's or a thread's contributions (CSV and JSON, streamed), integrity manifests
of closed consultations, and the public statistics (README "Export, manifests and statistics")."""

import concurrent.futures
import csv
import datetime
import hashlib
import io
import time

from client import TestList, check, expect_error, expect_json, expect_status
from fixtures import unique

tests = TestList()

API = "/api/v1"
COLUMNS = ["thread_id", "thread_title", "key_action", "post_id", "parent_id", "created_at", "author_display_name",
           "stakeholder_type", "organisation", "country", "transparency_register_id", "publication", "official", "body"]
TRICKY = 'He said "hello", then left.\nSecond line; état, Ωmega ✓ 😀'


def at(seconds):
    t = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def sleep_past(ts, margin=1.1):
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    time.sleep(max((t - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + margin, 0))


def csv_rows(r):
    """The records of a CSV export, checked for RFC 4180 line ends; the header row first."""
    check(r.header("Content-Type", ) is not None and r.header("Content-Type").startswith("text/csv"),
          f"Content-Type {r.header('Content-Type')!r}")
    text = r.body.decode("utf-8")
    check(text.startswith(",".join(COLUMNS) + "\r\n"), f"header row: {text[:200]!r}")
    check(text.endswith("\r\n"), "the last record ends with CRLF")
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def export(c, path, expect=200):
    r = c.get(path)
    expect_status(r, expect)
    return r


def scoped_moderator(ctx, objective_id):
    acc = ctx.new_staff("moderator")
    expect_json(ctx.signed_in("admin").request("PUT", f"{API}/users/{acc.id}/role",
                                                {"role": "moderator", "moderates": [objective_id]}), 200)
    return ctx.login(acc)


def fixture(ctx):
    """A thread in objective 1 under a key action: named, anonymous, official, hidden and withdrawn posts."""
    obj, ka = ctx.key_action(ctx.objectives()[0]["key_actions"][0]["slug"])
    alice, bob, mod = ctx.signed_in("alice"), ctx.signed_in("bob"), ctx.signed_in("mod")
    t, first = ctx.create_thread(alice, obj["id"], title=unique('Export "quoted", title '), body=TRICKY,
                                 key_action_id=ka["id"])
    anon = ctx.reply(bob, t["id"], "An anonymous view, with a comma.", anonymous=True)
    official = ctx.reply(mod, t["id"], "The Commission's answer.", official=True, parent_id=first["id"])
    hidden = ctx.reply(bob, t["id"], unique("To be hidden "))
    expect_json(mod.post(f"{API}/posts/{hidden['id']}/hide", {"reason": "export test"}), 200)
    withdrawn = ctx.reply(alice, t["id"], unique("To be withdrawn "))
    expect_status(alice.delete(f"{API}/posts/{withdrawn['id']}"), 204)
    return dict(obj=obj, ka=ka, thread=t, first=first, anon=anon, official=official, hidden=hidden,
                withdrawn=withdrawn)


@tests
def test_thread_export_csv(ctx):
    f = fixture(ctx)
    r = export(ctx.signed_in("mod"), f"{API}/threads/{f['thread']['id']}/export")
    check(r.header("Content-Disposition") == f'attachment; filename="thread-{f["thread"]["id"]}.csv"',
          f"Content-Disposition {r.header('Content-Disposition')!r}")
    check(r.header("X-Manifest-SHA256") is None, "an ordinary thread has no manifest header")
    rows = csv_rows(r)
    check(rows[0] == COLUMNS, f"header {rows[0]}")
    by_id = {int(x[3]): dict(zip(COLUMNS, x)) for x in rows[1:]}
    check(list(by_id) == [f["first"]["id"], f["anon"]["id"], f["official"]["id"]],
          f"rows {list(by_id)}: want the visible posts in order, hidden and withdrawn ones left out")
    first = by_id[f["first"]["id"]]
    alice = ctx.account("alice").fields
    check(first["body"] == TRICKY, f"body round trip: {first['body']!r}")
    check(first["thread_title"] == f["thread"]["title"] and first["key_action"] == f["ka"]["slug"],
          f"thread columns {first}")
    check(first["author_display_name"] == alice["display_name"] and first["organisation"] == alice["organisation"]
          and first["country"] == "BE" and first["stakeholder_type"] == "civil_society"
          and first["publication"] == "named" and first["official"] == "false" and first["parent_id"] == "",
          f"author columns {first}")
    anon = by_id[f["anon"]["id"]]
    bob = ctx.account("bob").fields
    check(anon["publication"] == "anonymous" and anon["author_display_name"] == bob["display_name"]
          and anon["organisation"] == bob["organisation"], f"an anonymous post carries its author: {anon}")
    off = by_id[f["official"]["id"]]
    check(off["official"] == "true" and off["parent_id"] == str(f["first"]["id"]), f"official answer {off}")
    check(first["created_at"] == f["first"]["created_at"], f"created_at {first['created_at']!r}")
    # RFC 4180 on the wire: the quoted body with doubled quotes and its newline inside the field
    raw = r.body.decode("utf-8")
    check('"He said ""hello"", then left.\nSecond line; état, Ωmega ✓ 😀"' in raw, "the body's quoting on the wire")


@tests
def test_thread_export_json(ctx):
    f = fixture(ctx)
    r = export(ctx.signed_in("admin"), f"{API}/threads/{f['thread']['id']}/export?format=json")
    check(r.header("Content-Type").startswith("application/json"), f"Content-Type {r.header('Content-Type')}")
    check(r.header("Content-Disposition") == f'attachment; filename="thread-{f["thread"]["id"]}.json"',
          f"Content-Disposition {r.header('Content-Disposition')!r}")
    b = r.json
    e = b["export"]
    check(e["scope"] == "thread" and e["id"] == f["thread"]["id"] and e["manifest_sha256"] is None
          and isinstance(e["generated_at"], str), f"export {e}")
    check([x["post_id"] for x in b["rows"]] == [f["first"]["id"], f["anon"]["id"], f["official"]["id"]],
          f"rows {[x['post_id'] for x in b['rows']]}")
    for x in b["rows"]:
        check(list(x) == COLUMNS, f"row keys {list(x)}")
    first, anon, off = b["rows"]
    check(first["body"] == TRICKY and first["key_action"] == f["ka"]["slug"] and first["parent_id"] is None
          and first["official"] is False and first["publication"] == "named", f"row {first}")
    check(anon["publication"] == "anonymous" and anon["author_display_name"] == ctx.account("bob").fields["display_name"],
          f"anonymous row {anon}")
    check(off["official"] is True and off["parent_id"] == f["first"]["id"], f"official row {off}")


@tests
def test_objective_export(ctx):
    f = fixture(ctx)
    obj = f["obj"]
    r = export(ctx.signed_in("mod"), f"{API}/objectives/{obj['slug']}/export")
    check(r.header("Content-Disposition") == f'attachment; filename="objective-{obj["id"]}.csv"',
          f"Content-Disposition {r.header('Content-Disposition')!r}")
    rows = csv_rows(r)[1:]
    keys = [(int(x[0]), int(x[3])) for x in rows]
    check(keys == sorted(keys), "rows ordered by thread id, then post id")
    ids = {k[1] for k in keys}
    check({f["first"]["id"], f["anon"]["id"], f["official"]["id"]} <= ids, "the thread's visible posts are in")
    check(f["hidden"]["id"] not in ids and f["withdrawn"]["id"] not in ids, "hidden and withdrawn posts are not")
    j = export(ctx.signed_in("admin"), f"{API}/objectives/{obj['id']}/export?format=json").json
    check(j["export"]["scope"] == "objective" and j["export"]["id"] == obj["id"] and j["export"]["manifest_sha256"] is None,
          f"export {j['export']}")
    check([(x["thread_id"], x["post_id"]) for x in j["rows"]] == keys, "JSON and CSV list the same rows")


@tests
def test_export_larger_than_one_batch(ctx):
    alice = ctx.signed_in("alice")
    obj = ctx.objectives()[2]["id"]
    t, first = ctx.create_thread(alice, obj, title=unique("Long export "))
    n = 1060  # more than two batches of 500

    def post(i):
        return ctx.reply(alice, t["id"], f"Reply {i}, \"numbered\"\nline two")["id"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = sorted(pool.map(post, range(n)))
    r = export(ctx.signed_in("mod"), f"{API}/threads/{t['id']}/export")
    rows = csv_rows(r)[1:]
    check([int(x[3]) for x in rows] == [first["id"]] + ids, f"{len(rows)} rows, want {n + 1} in order")
    j = export(ctx.signed_in("mod"), f"{API}/threads/{t['id']}/export?format=json").json
    check(len(j["rows"]) == n + 1 and j["rows"][-1]["post_id"] == ids[-1], f"JSON rows {len(j['rows'])}")
    o = export(ctx.signed_in("mod"), f"{API}/objectives/{obj}/export").body.decode()
    check(o.count(f"Reply {n - 1}, \"\"numbered\"\"") == 1, "the objective export holds the last reply once")


@tests
def test_export_authorization(ctx):
    f = fixture(ctx)
    tid, oid = f["thread"]["id"], f["obj"]["id"]
    for path in (f"{API}/threads/{tid}/export", f"{API}/objectives/{oid}/export"):
        expect_error(ctx.client().get(path), 401, "unauthorized")
        expect_error(ctx.signed_in("alice").get(path), 403, "forbidden")
    other = scoped_moderator(ctx, ctx.objectives()[1]["id"])
    expect_error(other.get(f"{API}/threads/{tid}/export"), 403, "forbidden")
    expect_error(other.get(f"{API}/objectives/{oid}/export"), 403, "forbidden")
    expect_status(other.get(f"{API}/objectives/{ctx.objectives()[1]['id']}/export"), 200)
    mod = ctx.signed_in("mod")
    expect_error(mod.get(f"{API}/threads/99999999/export"), 404, "not_found")
    expect_error(mod.get(f"{API}/objectives/99999999/export"), 404, "not_found")
    expect_error(mod.get(f"{API}/objectives/no-such-objective/export"), 404, "not_found")
    expect_error(mod.get(f"{API}/threads/{tid}/export?format=xml"), 400, "validation_failed", "format")
    expect_error(mod.get(f"{API}/objectives/{oid}/export?format="), 400, "validation_failed", "format")


@tests
def test_manifest_of_closed_consultation(ctx):
    mod, alice, bob = ctx.signed_in("mod"), ctx.signed_in("alice"), ctx.signed_in("bob")
    obj = ctx.objectives()[3]["id"]
    closes = at(3)
    t, first = ctx.create_thread(mod, obj, title=unique("Consultation, manifest "), consultation={"closes_at": closes})
    r1 = ctx.reply(alice, t["id"], TRICKY)
    r2 = ctx.reply(bob, t["id"], "Anonymous input.", anonymous=True)
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check("manifest_sha256" in v and v["manifest_sha256"] is None, f"manifest while open: {v.get('manifest_sha256', '(absent)')!r}")
    open_export = export(mod, f"{API}/threads/{t['id']}/export")
    check(open_export.header("X-Manifest-SHA256") is None, "no manifest header while open")
    sleep_past(closes)
    e = export(mod, f"{API}/threads/{t['id']}/export")  # the first request after closing computes it
    digest = hashlib.sha256(e.body).hexdigest()
    check(e.header("X-Manifest-SHA256") == digest, f"X-Manifest-SHA256 {e.header('X-Manifest-SHA256')}, sha256 of the body {digest}")
    check(e.body == open_export.body, "nothing changed at closing: the export is the same")
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check(v["manifest_sha256"] == digest, f"thread manifest {v['manifest_sha256']}, want {digest}")
    j = export(mod, f"{API}/threads/{t['id']}/export?format=json")
    check(j.json["export"]["manifest_sha256"] == digest and j.header("X-Manifest-SHA256") == digest,
          f"JSON export manifest {j.json['export']}")
    # later moderation changes the export, not the manifest
    expect_json(mod.post(f"{API}/posts/{r2['id']}/hide", {"reason": "after closing"}), 200)
    later = export(mod, f"{API}/threads/{t['id']}/export")
    check(hashlib.sha256(later.body).hexdigest() != digest, "the export after a hide differs")
    check(later.header("X-Manifest-SHA256") == digest, "the stored manifest stays")
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]
    check(v["manifest_sha256"] == digest, "the thread still shows the manifest of closing")
    check(r1["id"] in [int(x[3]) for x in csv_rows(later)[1:]], "the visible post is still exported")


@tests
def test_manifest_computed_by_thread_view(ctx):
    mod, alice = ctx.signed_in("mod"), ctx.signed_in("alice")
    obj = ctx.objectives()[3]["id"]
    closes = at(2)
    t, _ = ctx.create_thread(mod, obj, title=unique("Consultation, viewed "), consultation={"closes_at": closes})
    ctx.reply(alice, t["id"], "Input, with a comma.")
    sleep_past(closes)
    v = ctx.thread_view(ctx.client(), t["id"])["thread"]  # the first request after closing is a view
    check(v["manifest_sha256"] and len(v["manifest_sha256"]) == 64, f"manifest {v['manifest_sha256']!r}")
    e = export(mod, f"{API}/threads/{t['id']}/export")
    check(hashlib.sha256(e.body).hexdigest() == v["manifest_sha256"], "sha256(export body) == thread.manifest_sha256")
    listed = expect_json(ctx.client().get(f"{API}/objectives/{obj}/threads?limit=100"), 200)["threads"]
    mine = [x for x in listed if x["id"] == t["id"]]
    check(mine and mine[0]["manifest_sha256"] == v["manifest_sha256"], "the thread list shows the manifest too")


# -- statistics -----------------------------------------------------------------------------------

def stats(ctx, query=""):
    b = expect_json(ctx.client().get(f"{API}/stats{query}"), 200)
    for k in ("objective", "posts", "threads", "participants", "posts_by_stakeholder_type", "posts_by_country",
              "posts_by_week", "anonymous_posts"):
        check(k in b, f"stats without {k}: {b}")
    return b


def this_week():
    y, w, _ = datetime.datetime.now(datetime.timezone.utc).isocalendar()
    return f"{y:04d}-W{w:02d}"


def week_posts(b, week):
    return sum(x["posts"] for x in b["posts_by_week"] if x["week"] == week)


@tests
def test_stats_counts(ctx):
    obj = ctx.objectives()[4]
    before, before_obj = stats(ctx), stats(ctx, f"?objective={obj['slug']}")
    check(before["objective"] is None and before_obj["objective"] == obj["id"], "objective echoed")
    weeks = [x["week"] for x in before["posts_by_week"]]
    check(weeks == sorted(weeks) and all(len(w) == 8 and w[4:6] == "-W" for w in weeks), f"weeks {weeks}")
    a = ctx.login(ctx.new_member(stakeholder_type="academia", country="PT", display_name=unique("Stats A ")))
    b = ctx.login(ctx.new_member(stakeholder_type="private_sector", display_name=unique("Stats B ")))
    t, _ = ctx.create_thread(a, obj["id"])                   # academia, PT
    ctx.reply(b, t["id"], "Named input.")                    # private_sector, no country
    anon = ctx.reply(b, t["id"], "Anonymous input.", anonymous=True)
    hidden = ctx.reply(a, t["id"], "Hidden input.")
    expect_json(ctx.signed_in("mod").post(f"{API}/posts/{hidden['id']}/hide", {"reason": "stats"}), 200)
    for query, old in (("", before), (f"?objective={obj['id']}", before_obj)):
        new = stats(ctx, query)
        d = lambda k: new[k] - old[k]  # noqa: E731
        check(d("posts") == 3 and d("threads") == 1 and d("participants") == 2 and d("anonymous_posts") == 1,
              f"deltas posts {d('posts')} threads {d('threads')} participants {d('participants')} "
              f"anonymous {d('anonymous_posts')}")
        st_new, st_old = new["posts_by_stakeholder_type"], old["posts_by_stakeholder_type"]
        check(st_new["academia"] - st_old["academia"] == 1 and st_new["private_sector"] - st_old["private_sector"] == 2,
              f"by stakeholder type {st_new}")
        c_new, c_old = new["posts_by_country"], old["posts_by_country"]
        check(c_new.get("PT", 0) - c_old.get("PT", 0) == 1 and c_new.get("none", 0) - c_old.get("none", 0) == 2,
              f"by country {c_new}")
        check(week_posts(new, this_week()) - week_posts(old, this_week()) == 3, f"this week {new['posts_by_week'][-3:]}")
    text = ctx.client().get(f"{API}/stats").text
    check(ctx.account("bob").fields["display_name"] not in text, "no names in statistics")
    check(anon["id"], "anonymous reply posted")
    expect_error(ctx.client().get(f"{API}/stats?objective=no-such-objective"), 400, "validation_failed", "objective")
