"""The account page's API: the profile edited, API tokens listed and revoked, and the Markdown
preview that the composer shows before posting."""

import time

from client import TestList, check, expect_error, expect_json
from fixtures import unique

tests = TestList()
API = "/api/v1"


@tests
def test_profile_edit_shows_on_posts_and_clears_optional_fields(ctx):
    acc = ctx.new_member(organisation="Old Org", country="BE", stakeholder_type="civil_society")
    me = ctx.login(acc)
    t, _ = ctx.create_thread(me, ctx.objective("cyberspace")["id"])
    before = ctx.thread_view(ctx.client(), t["id"])  # an anonymous reader's cached page
    check(before["posts"][0]["author"]["organisation"] == "Old Org", f"author {before['posts'][0]['author']}")
    name = unique("Renamed ")
    u = expect_json(me.request("PATCH", f"{API}/me", {"display_name": name, "organisation": "New Org",
                                                        "country": "fr", "transparency_register_id": None}), 200)["user"]
    check(u["display_name"] == name and u["organisation"] == "New Org" and u["country"] == "FR",
          f"answer {u}")
    check(u["email"] == acc.email and u["stakeholder_type"] == "civil_society", f"unchanged fields {u}")
    after = ctx.thread_view(ctx.client(), t["id"])["posts"][0]["author"]
    check(after["display_name"] == name and after["organisation"] == "New Org",
          f"the thread page still shows the old profile: {after}")
    u = expect_json(me.request("PATCH", f"{API}/me", {"organisation": ""}), 200)["user"]
    check(u.get("organisation") is None and u["display_name"] == name, f"clearing organisation: {u}")
    check(expect_json(me.get(f"{API}/me"), 200)["user"]["organisation"] is None, "GET /me after clearing")


@tests
def test_profile_edit_validates_like_registration(ctx):
    me = ctx.login(ctx.new_member())
    for body, field in [({"display_name": "   "}, "display_name"), ({"display_name": "x" * 81}, "display_name"),
                        ({"country": "ZZ"}, "country"), ({"country": 7}, "country"),
                        ({"transparency_register_id": "!!"}, "transparency_register_id"),
                        ({"role": "admin"}, None), ({"email": "a@b.eu"}, None)]:
        r = me.request("PATCH", f"{API}/me", body)
        check(r.status == 400, f"PATCH /me {body} gave {r.describe()}")
    check(expect_json(me.get(f"{API}/me"), 200)["user"]["role"] == "member", "role changed through PATCH /me")
    ms = ctx.login(ctx.new_member(stakeholder_type="member_state", country="PL"))
    expect_error(ms.request("PATCH", f"{API}/me", {"country": None}), 400, "validation_failed", "country")
    expect_error(ms.request("PATCH", f"{API}/me", {"country": "US"}), 400, "validation_failed", "country")
    check(expect_json(ms.request("PATCH", f"{API}/me", {"country": "de"}), 200)["user"]["country"] == "DE",
          "a Member State account may move to another Member State")


@tests
def test_tokens_listed_without_secrets_and_revoked(ctx):
    me = ctx.login(ctx.new_member())
    other = ctx.login(ctx.new_member())
    check(expect_json(me.get(f"{API}/me/tokens"), 200)["tokens"] == [], "a new account has tokens")
    a = expect_json(me.post(f"{API}/me/tokens", {"name": "laptop"}), 201)
    b = expect_json(me.post(f"{API}/me/tokens", {"name": "server"}), 201)
    expect_json(other.post(f"{API}/me/tokens", {"name": "someone else's"}), 201)
    r = me.get(f"{API}/me/tokens")
    listed = expect_json(r, 200)["tokens"]
    check([(x["id"], x["name"]) for x in listed] == [(a["id"], "laptop"), (b["id"], "server")], f"tokens {listed}")
    check(all(set(x) == {"id", "name", "created_at", "last_used_at"} for x in listed), f"token fields {listed}")
    check(a["token"] not in r.text and b["token"] not in r.text, "a token secret is listed")
    bearer = ctx.client()
    bearer.bearer = a["token"]
    expect_json(bearer.get(f"{API}/me"), 200)
    deadline = time.monotonic() + 3  # the use is recorded after the answer, off the request's path
    while True:
        used = {x["id"]: x for x in expect_json(me.get(f"{API}/me/tokens"), 200)["tokens"]}
        if used[a["id"]]["last_used_at"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    check(used[a["id"]]["last_used_at"] is not None, f"last_used_at after use: {used[a['id']]}")
    check(me.delete(f"{API}/me/tokens/{a['id']}").status == 204, "revoke")
    check([x["id"] for x in expect_json(me.get(f"{API}/me/tokens"), 200)["tokens"]] == [b["id"]], "after revoke")
    check(bearer.get(f"{API}/me").status == 401, "a revoked token still works")
    check(ctx.client().get(f"{API}/me/tokens").status == 401, "anonymous token list")


@tests
def test_preview_renders_like_a_post_and_neutralises_html(ctx):
    me = ctx.login(ctx.new_member())
    src = "**Bold** [ok](https://ec.europa.eu) [bad](javascript:alert(1)) <script>alert(1)</script>\n\n> quoted"
    html = expect_json(me.post(f"{API}/preview", {"body": src}), 200)["body_html"]
    check("<strong>Bold</strong>" in html and 'href="https://ec.europa.eu"' in html and "<blockquote>" in html,
          f"preview {html!r}")
    check("javascript:" not in html and "<script" not in html, f"unsafe preview {html!r}")
    t, opening = ctx.create_thread(me, ctx.objective("cyberspace")["id"], body=src)
    check(ctx.thread_view(me, t["id"])["posts"][0]["body_html"] == html, "the preview differs from the post")
    expect_error(me.post(f"{API}/preview", {"body": ""}), 400, "validation_failed", "body")
    expect_error(me.post(f"{API}/preview", {"body": "x" * 50001}), 400, "validation_failed", "body")
    check(ctx.client().post(f"{API}/preview", {"body": "x"}).status == 401, "anonymous preview")
