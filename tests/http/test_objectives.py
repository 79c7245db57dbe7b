"""The five strategic objectives and their key actions (objectives.md), and their counters."""

import time

from client import TestList, check, expect_error, expect_json, expect_keys, expect_ts, is_int

tests = TestList()

OBJECTIVES = [
    (1, "crime-networks", "Disrupt international criminal networks", [
        ("dismantle-networks", "Identify and dismantle criminal networks"),
        ("protect-economy", "Protect the economy against criminal infiltration"),
        ("confiscate-assets", "Confiscate criminal assets"),
    ]),
    (2, "terrorism-radicalisation", "Prevent terrorism and address radicalisation and recruitment", [
        ("empower-communities", "Empower communities to prevent radicalisation and recruitment"),
        ("cut-funding", "Cut off terrorists' access to funding and materials and follow their transactions"),
        ("protect-transport", "Protect transport"),
    ]),
    (3, "cyberspace", "Raise levels of security for citizens and businesses in cyberspace", [
        ("law-enforcement-capacity", "Build capacity in law enforcement and the judiciary"),
        ("work-with-industry", "Work with industry to empower and protect citizens"),
        ("cyber-attack-capability", "Improve capability for dealing with cyber-attacks"),
    ]),
    (4, "border-management", "Strengthen security through border management", [
        ("eurosur", "Exploit the full potential of EUROSUR"),
        ("frontex", "Enhance the contribution of Frontex at the external borders"),
        ("goods-risk-management", "Common risk management for movement of goods across external borders"),
        ("inter-agency-cooperation", "Improve inter-agency cooperation at national level"),
    ]),
    (5, "crisis-resilience", "Increase Europe's resilience to crises and disasters", [
        ("solidarity-clause", "Make full use of the solidarity clause"),
        ("all-hazard-assessment", "Develop an all-hazard approach to threat and risk assessments"),
        ("situation-awareness", "Link the different situation awareness centres"),
        ("emergency-response", "Develop a European Emergency Response Capacity for tackling disasters"),
    ]),
]
# words each summary must mention (objectives.md: the 2014 report's emerging challenges)
SUMMARY_WORDS = {1: ["synthetic drugs", "fraud"], 2: ["foreign fighters"], 3: ["cybercrime"]}
OBJ_KEYS = ["id", "number", "slug", "title", "summary", "key_actions", "thread_count", "post_count",
            "last_post_at"]


def check_objective_shape(o):
    expect_keys(o, OBJ_KEYS, f"objective {o.get('slug')}")
    check(is_int(o["id"]) and o["id"] > 0, f"objective id {o['id']!r}")
    check(isinstance(o["summary"], str) and len(o["summary"]) > 40, f"summary {o['summary']!r}")
    for k in ("thread_count", "post_count"):
        check(is_int(o[k]) and o[k] >= 0, f"{o['slug']}.{k} = {o[k]!r}, want an integer")
    if o["last_post_at"] is not None:
        expect_ts(o["last_post_at"], f"{o['slug']}.last_post_at")
    for ka in o["key_actions"]:
        expect_keys(ka, ["id", "slug", "title"], f"key action of {o['slug']}")
        check(is_int(ka["id"]) and ka["id"] > 0, f"key action id {ka['id']!r}")


@tests
def test_list_is_the_five_objectives_in_order(ctx):
    body = expect_json(ctx.client().get("/api/v1/objectives"), 200)
    objs = body["objectives"]
    check(isinstance(objs, list) and len(objs) == 5, f"want 5 objectives, got {len(objs)}")
    seen_ka = set()
    for o, (num, slug, title, kas) in zip(objs, OBJECTIVES):
        check_objective_shape(o)
        check(o["number"] == num, f"objective #{num} has number {o['number']!r}")
        check(o["slug"] == slug, f"objective #{num} slug {o['slug']!r}, want {slug!r}")
        check(o["title"] == title, f"objective #{num} title {o['title']!r}, want {title!r}")
        got = [(ka["slug"], ka["title"]) for ka in o["key_actions"]]
        check(got == kas, f"objective {slug} key actions {got}, want {kas}")
        for ka in o["key_actions"]:
            check(ka["id"] not in seen_ka, f"key action id {ka['id']} appears twice")
            seen_ka.add(ka["id"])
        for w in SUMMARY_WORDS.get(num, []):
            check(w in o["summary"].lower(), f"summary of {slug} does not mention {w!r}: {o['summary']!r}")
    check(len(seen_ka) == 17, f"want 17 key actions, got {len(seen_ka)}")
    check(len({o["id"] for o in objs}) == 5, "objective ids are not unique")


for _num, _slug, _title, _kas in OBJECTIVES:
    def _t(ctx, num=_num, slug=_slug):
        listed = next(o for o in ctx.objectives(fresh=True) if o["number"] == num)
        by_id = expect_json(ctx.client().get(f"/api/v1/objectives/{listed['id']}"), 200)
        by_slug = expect_json(ctx.client().get(f"/api/v1/objectives/{slug}"), 200)
        check(list(by_id.keys()) == ["objective"], f"want {{objective}}, got keys {list(by_id)}")
        check(by_id == by_slug, f"by id {by_id} != by slug {by_slug}")
        check(by_id["objective"] == listed, f"single {by_id['objective']} != listed {listed}")
    tests.add(f"get_by_id_equals_by_slug[{_slug}]", _t)


@tests
def test_cyberspace_is_objective_3(ctx):
    a = expect_json(ctx.client().get("/api/v1/objectives/cyberspace"), 200)
    b = expect_json(ctx.client().get("/api/v1/objectives/3"), 200)
    check(a == b and a["objective"]["number"] == 3, f"/cyberspace {a} vs /3 {b}")


@tests
def test_unknown_objective_404(ctx):
    for p in ("/api/v1/objectives/6", "/api/v1/objectives/0", "/api/v1/objectives/-3",
              "/api/v1/objectives/cyberspace-x"):
        expect_error(ctx.client().get(p), 404, "not_found")
    # a NUL byte in the path may be refused as a bad path instead
    r = ctx.client().get("/api/v1/objectives/crime-networks%00")
    if r.status == 400:
        expect_error(r, 400, "bad_request")
    else:
        expect_error(r, 404, "not_found")


@tests
def test_counts_follow_posting(ctx):
    alice = ctx.signed_in("alice")
    before = ctx.objective("border-management", fresh=True)
    other_before = ctx.objective("crisis-resilience", fresh=True)
    t, p = ctx.create_thread(alice, before["id"])
    mid = ctx.objective("border-management", fresh=True)
    check(mid["thread_count"] == before["thread_count"] + 1,
          f"thread_count {before['thread_count']} -> {mid['thread_count']} after a new thread")
    check(mid["post_count"] == before["post_count"] + 1,
          f"post_count {before['post_count']} -> {mid['post_count']} after a new thread")
    check(mid["last_post_at"] == p["created_at"],
          f"last_post_at {mid['last_post_at']!r}, the new post was at {p['created_at']!r}")
    time.sleep(1.1)
    reply = ctx.reply(ctx.signed_in("bob"), t["id"])
    after = ctx.objective("border-management", fresh=True)
    check(after["thread_count"] == mid["thread_count"],
          f"thread_count changed on a reply ({mid['thread_count']} -> {after['thread_count']})")
    check(after["post_count"] == mid["post_count"] + 1,
          f"post_count {mid['post_count']} -> {after['post_count']} after a reply")
    check(after["last_post_at"] == reply["created_at"] and after["last_post_at"] > mid["last_post_at"],
          f"last_post_at {mid['last_post_at']} -> {after['last_post_at']}, reply at {reply['created_at']}")
    single = expect_json(ctx.client().get(f"/api/v1/objectives/{after['id']}"), 200)["objective"]
    check(single["post_count"] == after["post_count"], "single objective counts differ from the list")
    other_after = ctx.objective("crisis-resilience", fresh=True)
    check((other_after["thread_count"], other_after["post_count"]) ==
          (other_before["thread_count"], other_before["post_count"]),
          "posting in one objective changed another objective's counts")


@tests
def test_objectives_read_only(ctx):
    alice = ctx.signed_in("alice")
    for m, p in (("POST", "/api/v1/objectives"), ("DELETE", "/api/v1/objectives/1"),
                 ("PUT", "/api/v1/objectives/cyberspace")):
        expect_error(alice.request(m, p, {"title": "hijack"}), 405, "method_not_allowed")
    o = ctx.objective("cyberspace", fresh=True)
    check(o["title"] == OBJECTIVES[2][2], "objective title changed")
