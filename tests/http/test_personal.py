"""Personal data: the account holder's download of everything held about them, and erasure, after
which their name, organisation and email appear nowhere: API, feeds, search, exports."""

import secrets

from client import Client, TestList, check, describe_cli, expect_error, expect_json, run_cli, start_server
from fixtures import new_password, unique

tests = TestList()
API = "/api/v1"


def distinctive_member(ctx):
    """A member whose name, organisation and email are strings that appear nowhere else."""
    tag = secrets.token_hex(4)
    acc = ctx.new_member(display_name=f"Erika Eraseme-{tag}", organisation=f"Org-Erase-{tag}",
                         email=f"erase-{tag}@example.org", country="AT", stakeholder_type="academia")
    return acc, [acc.fields["display_name"], acc.fields["organisation"], acc.email, f"Eraseme-{tag}"]


@tests
def test_my_data_holds_everything_and_no_secret(ctx):
    acc, _ = distinctive_member(ctx)
    me = ctx.login(acc)
    other = ctx.login(ctx.new_member())
    mod = ctx.signed_in("mod")
    obj = ctx.objective("cyberspace")["id"]
    t, opening = ctx.create_thread(me, obj)
    edited = ctx.reply(me, t["id"], body="First version.")
    expect_json(me.request("PATCH", f"{API}/posts/{edited['id']}", {"body": "Second version."}), 200)
    hidden = ctx.reply(me, t["id"], body="Text a moderator will hide.")
    expect_json(mod.post(f"{API}/posts/{hidden['id']}/hide", {"reason": "test"}), 200)
    gone = ctx.reply(me, t["id"], body="Text I will withdraw.")
    check(me.delete(f"{API}/posts/{gone['id']}").status == 204, "withdraw")
    theirs, _ = ctx.create_thread(other, obj)
    expect_json(me.post(f"{API}/posts/{ctx.thread_view(me, theirs['id'])['posts'][0]['id']}/flags",
                        {"reason": "off_topic"}), 201)
    me.request("PUT", f"{API}/objectives/{obj}/follow")
    token = expect_json(me.post(f"{API}/me/tokens", {"name": "my script"}), 201)["token"]
    ctx.reply(other, t["id"], body="An answer.", parent_id=opening["id"])

    r = me.get(f"{API}/me/export")
    d = expect_json(r, 200)
    check("attachment" in (r.header("Content-Disposition") or ""), f"Content-Disposition {r.header('Content-Disposition')}")
    check(d["user"]["email"] == acc.email and d["user"]["organisation"] == acc.fields["organisation"], f"user {d['user']}")
    bodies = {p["id"]: p for p in d["posts"]}
    check(set(bodies) >= {opening["id"], edited["id"], hidden["id"], gone["id"]}, f"posts {sorted(bodies)}")
    check(bodies[hidden["id"]]["body"] == "Text a moderator will hide." and bodies[hidden["id"]]["hidden"],
          "a hidden post's text is missing from the author's data")
    check(bodies[gone["id"]]["body"] == "Text I will withdraw." and bodies[gone["id"]]["deleted"],
          "a withdrawn post's text is missing from the author's data")
    check([x["body"] for x in bodies[edited["id"]]["revisions"]] == ["First version."],
          f"revisions {bodies[edited['id']]['revisions']}")
    check(len(d["flags"]) == 1 and d["flags"][0]["reason"] == "off_topic", f"flags {d['flags']}")
    check(obj in d["follows"]["objectives"] and t["id"] in d["follows"]["threads"], f"follows {d['follows']}")
    check(any(n["kind"] == "reply" for n in d["notifications"]), f"notifications {d['notifications']}")
    check(any(s["current"] for s in d["sessions"]), f"sessions {d['sessions']}")
    check([x["name"] for x in d["tokens"]] == ["my script"], f"tokens {d['tokens']}")
    for secret in (token, me.session, acc.password):
        check(secret not in r.text, "a secret is in the download")
    check("password" not in r.text and "hash" not in r.text, "a password or hash field is in the download")
    expect_error(ctx.client().get(f"{API}/me/export"), 401, "unauthorized")


def everywhere(ctx, staff, thread_id, objective_id, query_word):
    """Every public and staff place that shows authors, as text: thread, lists, search, feeds, export."""
    c = ctx.client()
    texts = [
        c.get(f"{API}/threads/{thread_id}").text,
        c.get(f"{API}/objectives/{objective_id}/threads?limit=100").text,
        c.get(f"{API}/search?q={query_word}").text,
        c.get(f"/feeds/threads/{thread_id}.atom").text,
        c.get(f"/feeds/objectives/{objective_id}.atom").text,
        staff.get(f"{API}/threads/{thread_id}").text,
        staff.get(f"{API}/mod/flags?state=open&limit=100").text,
        staff.get(f"{API}/mod/log?limit=100").text,
    ]
    for fmt in ("csv", "json"):
        r = staff.get(f"{API}/threads/{thread_id}/export?format={fmt}")
        check(r.status == 200, f"export {fmt}: {r.describe()}")
        texts.append(r.text)
    return texts


@tests
def test_erasure_leaves_no_trace(ctx):
    acc, traces = distinctive_member(ctx)
    me = ctx.login(acc)
    mod = ctx.signed_in("mod")
    word = "zq" + secrets.token_hex(5)
    obj = ctx.objective("border-management")["id"]
    t, _ = ctx.create_thread(me, obj, title=f"Thread {word}", body=f"Opening {word}.")
    mine = ctx.reply(me, t["id"], body=f"A reply {word}.")
    ctx.reply(ctx.signed_in("bob"), t["id"], body=f"An answer {word}.", parent_id=mine["id"])
    token = expect_json(me.post(f"{API}/me/tokens", {"name": "t"}), 201)["token"]
    before = "\n".join(everywhere(ctx, mod, t["id"], obj, word))
    check(acc.fields["display_name"] in before, "the name is not shown anywhere before erasure: the test sees nothing")

    expect_error(me.request("DELETE", f"{API}/me", {"password": "not-my-password-123"}), 401, "invalid_credentials")
    expect_error(me.request("DELETE", f"{API}/me", {}), 400, "validation_failed")
    r = me.request("DELETE", f"{API}/me", {"password": acc.password})
    check(r.status == 204, f"erase: {r.describe()}")

    expect_error(me.get(f"{API}/me"), 401, "unauthorized")
    bearer = Client(ctx.server, bearer=token)
    expect_error(bearer.get(f"{API}/me"), 401, "unauthorized")
    expect_error(ctx.client().post(f"{API}/auth/login", {"email": acc.email, "password": acc.password}),
                 401, "invalid_credentials")
    after = everywhere(ctx, mod, t["id"], obj, word)
    for text in after:
        for trace in traces:
            check(trace.lower() not in text.lower(), f"{trace!r} is still shown after erasure: {text[:300]!r}")
    view = ctx.thread_view(ctx.client(), t["id"])
    mine_now = [p for p in view["posts"] if p["id"] == mine["id"]][0]
    check(mine_now["body"] == f"A reply {word}." and mine_now["author"]["display_name"] == "Deleted user",
          f"the erased user's post became {mine_now}")
    check(view["thread"]["author"]["display_name"] == "Deleted user", f"thread author {view['thread']['author']}")
    # the email is free again
    r = ctx.register(email=acc.email, password=new_password())
    check(r.status == 201, f"registering the erased email again: {r.describe()}")


@tests
def test_the_last_admin_cannot_erase_themself(ctx):
    db = ctx.tmp_path(unique("erase-admin") + ".db")
    p = run_cli(ctx.forumd, ["user", "create", "--db", db, "--email", "only@example.eu", "--display-name", "Only",
                             "--role", "admin", "--stakeholder-type", "commission"], stdin="a-long-password-1\n")
    check(p.returncode == 0, describe_cli(p))
    with start_server(ctx.forumd, db, ctx.web, ctx.tmp_path("forumd-erase-admin.log")) as srv:
        c = Client(srv)
        expect_json(c.login("only@example.eu", "a-long-password-1"), 200)
        expect_error(c.request("DELETE", f"{API}/me", {"password": "a-long-password-1"}), 409, "conflict")
        expect_json(c.get(f"{API}/me"), 200)
