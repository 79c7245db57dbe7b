"""Full-text search: finding, ranking, filters, pagination, snippets, and queries that must not break it."""

import secrets
import urllib.parse

from client import TestList, check, expect_error, expect_json
from fixtures import unique
from test_threads import check_author, check_post

tests = TestList()


def word(prefix="kw"):
    """A word no other test writes: letters only, so that the tokenizer keeps it whole."""
    return prefix + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def search(client, q, status=200, **params):
    query = urllib.parse.urlencode({"q": q, **params})
    r = client.get(f"/api/v1/search?{query}")
    return expect_json(r, status) if status == 200 else r


def ids(body):
    return [h["post"]["id"] for h in body["results"]]


def check_hit(h):
    check(set(h) >= {"post", "thread_id", "thread_title", "snippet"}, f"hit keys {list(h)}")
    check_post(h["post"], "hit.post")
    check(h["thread_id"] == h["post"]["thread_id"], f"thread_id {h['thread_id']} vs post {h['post']['thread_id']}")
    check(isinstance(h["thread_title"], str) and isinstance(h["snippet"], str), f"hit {h}")


@tests
def test_finds_a_new_post_at_once_with_its_shape(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], title=unique("Search shape "))
    p = ctx.reply(alice, t["id"], body=f"Ransomware against hospitals, {w} in particular.")
    body = search(ctx.client(), w)
    check(ids(body) == [p["id"]], f"search {w}: {ids(body)}, want [{p['id']}]")
    check(body["next_cursor"] is None, f"next_cursor {body['next_cursor']!r}")
    h = body["results"][0]
    check_hit(h)
    check(h["thread_title"] == t["title"], f"thread_title {h['thread_title']!r}")
    check(h["objective_id"] == t["objective_id"], f"objective_id {h.get('objective_id')!r}")
    check(f"<mark>{w}</mark>" in h["snippet"], f"snippet {h['snippet']!r} does not mark {w}")
    check(h["post"]["body"] == p["body"], "the hit's post is not the post")


@tests
def test_diacritics_and_case_fold(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    _, p = ctx.create_thread(alice, ctx.objective("border-management")["id"],
                             body=f"La Sécurité des frontières extérieures {w}.")
    for q in (f"securite {w}", f"SÉCURITÉ {w}", f"frontieres {w.upper()}", f"exterieures {w}"):
        check(ids(search(ctx.client(), q)) == [p["id"]], f"{q!r} does not find the post")


@tests
def test_every_word_must_match_and_phrases_keep_order(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    a = ctx.reply(alice, t["id"], body=f"{w} critical infrastructure protection")
    b = ctx.reply(alice, t["id"], body=f"{w} protection of critical sites")
    check(sorted(ids(search(ctx.client(), f"{w} critical protection"))) == sorted([a["id"], b["id"]]), "AND")
    check(ids(search(ctx.client(), f'{w} "critical infrastructure"')) == [a["id"]], "phrase")
    check(ids(search(ctx.client(), f"{w} -infrastructure")) == [b["id"]], "exclusion")
    check(ids(search(ctx.client(), f"{w} nowhereword")) == [], "a missing word still matched")
    check(sorted(ids(search(ctx.client(), w[:7] + "*"))) == sorted([a["id"], b["id"]]), "prefix")


@tests
def test_title_hits_rank_above_body_hits(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    obj = ctx.objective("crime-networks")["id"]
    other, _ = ctx.create_thread(alice, obj)
    body_hit = ctx.reply(alice, other["id"], body=f"We discussed {w} at length. {w} again, and {w}.")
    _, title_post = ctx.create_thread(alice, obj, title=f"On {w} and money laundering", body="See the title.")
    got = ids(search(ctx.client(), w))
    check(got == [title_post["id"], body_hit["id"]], f"order {got}, want the title hit first")


@tests
def test_filters(ctx):
    alice, bob = ctx.signed_in("alice"), ctx.signed_in("bob")  # civil_society/BE, academia/DE
    w = word()
    cyber = ctx.objective("cyberspace")
    crime = ctx.objective("crime-networks")
    obj_ka, ka = ctx.key_action("work-with-industry")
    _, a = ctx.create_thread(alice, cyber["id"], body=f"{w} alpha")
    _, b = ctx.create_thread(bob, crime["id"], body=f"{w} beta")
    _, c = ctx.create_thread(bob, obj_ka["id"], body=f"{w} gamma", key_action_id=ka["id"])
    c0 = ctx.client()
    want = {
        (("objective", cyber["id"]),): {a["id"]} | ({c["id"]} if obj_ka["id"] == cyber["id"] else set()),
        (("objective", crime["slug"]),): {b["id"]} | ({c["id"]} if obj_ka["id"] == crime["id"] else set()),
        (("key_action", ka["id"]),): {c["id"]},
        (("stakeholder_type", "academia"),): {b["id"], c["id"]},
        (("stakeholder_type", "civil_society"), ("country", "BE")): {a["id"]},
        (("country", "DE"),): {b["id"], c["id"]},
        (("country", "FR"),): set(),
        (("from", "2000-01-01"), ("to", "2999-12-31")): {a["id"], b["id"], c["id"]},
        (("to", "2001-01-01"),): set(),
        (("from", "2999-01-01T00:00:00Z"),): set(),
    }
    for params, expected in want.items():
        got = set(ids(search(c0, w, **dict(params))))
        check(got == expected, f"filters {params}: {sorted(got)}, want {sorted(expected)}")
    for field, value in (("objective", "no-such-objective"), ("objective", "999"), ("stakeholder_type", "robot"),
                         ("country", "XX1"), ("country", "de"), ("from", "yesterday"), ("to", "2026-13-45"),
                         ("key_action", "-3"), ("limit", "0"), ("limit", "101")):
        expect_error(search(c0, w, status=400, **{field: value}), 400, "validation_failed", field)


@tests
def test_pages_cover_every_hit_once(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    t, _ = ctx.create_thread(alice, ctx.objective("cyberspace")["id"])
    made = {ctx.reply(alice, t["id"], body=f"{w} " + " ".join(["filler"] * i))["id"] for i in range(7)}
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = search(ctx.client(), w, **params)
        check(len(body["results"]) <= 3, f"page of {len(body['results'])}")
        seen += ids(body)
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
        check(pages < 10, "pagination does not end")
    check(sorted(seen) == sorted(made) and len(seen) == len(set(seen)), f"pages gave {seen}, want {sorted(made)}")
    check(pages == 3, f"{pages} pages for 7 hits by 3")
    # the shortest body ranks first: bm25 favours the denser match
    first = search(ctx.client(), w, limit=1)
    check(ids(first) == [min(made)], f"best hit {ids(first)}, want the shortest post {min(made)}")
    for bad in ("garbage", "AAAA", "dA", secrets.token_urlsafe(40)):
        expect_error(search(ctx.client(), w, status=400, cursor=bad), 400, "bad_request", "cursor")


@tests
def test_snippets_are_escaped(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    _, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"],
                             body=f"<script>alert(1)</script> <b>{w}</b> & \"quotes\" <img src=x onerror=y>")
    h = search(ctx.client(), w)["results"][0]
    s = h["snippet"]
    check("<script" not in s and "<img" not in s and "<b>" not in s, f"raw HTML in snippet {s!r}")
    check("&lt;script&gt;" in s and "&amp;" in s, f"snippet {s!r} is not escaped text")
    check(s.count("<mark>") == s.count("</mark>") >= 1, f"unbalanced marks in {s!r}")
    check(h["post"]["id"] == p["id"], "wrong hit")


@tests
def test_anonymous_posts_found_without_their_author(ctx):
    alice_acc = ctx.account("alice")
    alice = ctx.signed_in("alice")
    w = word()
    _, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], body=f"{w} anonymous view", anonymous=True)
    r = ctx.client().get(f"/api/v1/search?q={w}")
    h = expect_json(r, 200)["results"][0]
    check_author(h["post"]["author"], "hit.post.author")
    check(h["post"]["author"]["display_name"] == "Anonymous" and h["post"]["author"]["id"] is None,
          f"anonymous author shown as {h['post']['author']}")
    check(alice_acc.fields["display_name"] not in r.text and alice_acc.fields["organisation"] not in r.text,
          "the anonymous author's name or organisation is in the search answer")
    # the author sees it as theirs, as in the thread view
    mine = search(alice, w)["results"][0]["post"]["author"]
    check(mine["id"] == alice_acc.id, f"the author's own view {mine}")
    check(p["anonymous"] is True, "not anonymous")


# Everything a person might type. Each must answer 200, or 400 validation_failed on q; never 500.
NASTY = ['"', '""', '"unclosed phrase', "*", "**", "-", "- -", "--x", "a*", "NEAR", "NEAR(a b)", "NEAR(a b, 2)",
         "a OR b", "a AND", "NOT a", "a NOT", "(", ")", "((a)", "title:a", "body:x", "{title body}: a", "^a", "+a",
         "a:b:c", "a\\b", "'", "';--", "%", "_", "\u00ab\u00bb", "\u2014", "\u2026", "\u3000", "e-mail", "c++",
         "\U0001F512 security", "\u0391\u03c3\u03c6\u03ac\u03bb\u03b5\u03b9\u03b1", "\u200b", "a" * 256,
         " ".join(["w"] * 12), " ".join(["w"] * 13), "x*" * 40, "\t\n", "NEAR/3"]


@tests
def test_any_query_text_answers_200_or_400(ctx):
    c = ctx.client()
    for q in NASTY:
        r = c.get("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
        check(r.status in (200, 400), f"q={q!r}: {r.describe()}")
        if r.status == 400:
            expect_error(r, 400, "validation_failed", "q")
        else:
            body = r.json
            for h in body["results"]:
                check_hit(h)
    for raw in ("q=%FF%FE", "q=%C0%AF", "q=" + "a" * 257, "q=", "", "q=%00"):
        r = c.get("/api/v1/search?" + raw)
        check(r.status == 400, f"?{raw[:40]}: {r.describe()}")
        body = r.json
        check(body["error"]["code"] in ("validation_failed", "bad_request"), f"?{raw[:40]}: {body}")


@tests
def test_operators_typed_are_words_not_commands(ctx):
    alice = ctx.signed_in("alice")
    w = word()
    _, p = ctx.create_thread(alice, ctx.objective("cyberspace")["id"], body=f"{w} NEAR the border OR the port")
    check(ids(search(ctx.client(), f"{w} NEAR")) == [p["id"]], "NEAR typed is not found as a word")
    check(ids(search(ctx.client(), f"{w} OR nosuchwordanywhere")) == [], "OR acted as an operator")
    check(ids(search(ctx.client(), f"body:{w}")) == [], "a column filter was obeyed")
