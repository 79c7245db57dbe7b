#!/usr/bin/env python3
"""Small HTTP helpers for bench/run.sh (standard library only).

  client.py sessions   URL --first N --count K    sign in users N..N+K-1, print "token|csrf;..."
  client.py page-size  URL --threads T            median size of a 20-post thread page, in bytes
  client.py list-size  URL                        median size of the objectives' first thread-list pages
  client.py status     URL PATH                   the status of one GET (0 if no answer in 2 s)
  client.py login-load URL --rate R --duration S --first N --users U
                                                  R sign-ins per second for S seconds, cycling over
                                                  users N..U, each on a new connection; prints
                                                  "logins: sent=.. ok=.. rate=.. p50_ms=.. p99_ms=.. statuses=.."

Seeded users sign in as user<N>@bench.example with the password bench-password-123 (bench/seed.c).
"""
import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

PASSWORD = "bench-password-123"


def conn_for(url, timeout=10.0):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def login(url, n, timeout=30.0):
    """Signs in user n; returns (status, token, csrf, seconds)."""
    c = conn_for(url, timeout)
    body = json.dumps({"email": f"user{n}@bench.example", "password": PASSWORD})
    t0 = time.monotonic()
    try:
        c.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        dt = time.monotonic() - t0
        token = csrf = None
        if r.status == 200:
            for h, v in r.getheaders():
                if h.lower() == "set-cookie" and v.startswith("forumd_session="):
                    token = v.split(";", 1)[0].split("=", 1)[1]
            csrf = json.loads(data).get("csrf_token")
        return r.status, token, csrf, dt
    except (OSError, http.client.HTTPException):
        return 0, None, None, time.monotonic() - t0
    finally:
        c.close()


def cmd_sessions(a):
    out = []
    for n in range(a.first, a.first + a.count):
        for attempt in range(5):
            status, token, csrf, _ = login(a.url, n)
            if status == 200 and token and csrf:
                out.append(f"{token}|{csrf}")
                break
            time.sleep(0.5 * (attempt + 1))  # e.g. 429 from a sign-in rate limit
        else:
            print(f"client.py: cannot sign in user{n} (status {status})", file=sys.stderr)
            return 1
    print(";".join(out))
    return 0


def cmd_page_size(a):
    rnd = random.Random(1)
    c = conn_for(a.url)
    sizes = []
    for _ in range(400):
        tid = rnd.randint(1, a.threads)
        c.request("GET", f"/api/v1/threads/{tid}")
        r = c.getresponse()
        data = r.read()
        if r.status == 200 and len(json.loads(data).get("posts", [])) == 20:
            sizes.append(len(data))
            if len(sizes) >= 25:
                break
    c.close()
    if not sizes:
        print("client.py: no thread with 20 posts found", file=sys.stderr)
        return 1
    print(int(statistics.median(sizes)))
    return 0


def cmd_list_size(a):
    c = conn_for(a.url)
    sizes = []
    for oid in range(1, 6):
        c.request("GET", f"/api/v1/objectives/{oid}/threads")
        r = c.getresponse()
        data = r.read()
        if r.status == 200:
            sizes.append(len(data))
    c.close()
    if not sizes:
        print("client.py: no thread list answered", file=sys.stderr)
        return 1
    print(int(statistics.median(sizes)))
    return 0


def cmd_status(a):
    c = conn_for(a.url, timeout=2.0)
    try:
        c.request("GET", a.path)
        print(c.getresponse().status)
    except (OSError, http.client.HTTPException):
        print(0)
    finally:
        c.close()
    return 0


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def cmd_login_load(a):
    """An open-loop client: sign-in i starts at t0 + i/rate whatever the answers before it did."""
    total = int(a.rate * a.duration)
    lock = threading.Lock()
    latencies, statuses = [], {}

    def one(n):
        status, _, _, dt = login(a.url, n)
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(dt)

    span = max(1, a.users - a.first + 1)
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i in range(total):
            delay = t0 + i / a.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, a.first + (i % span))
    elapsed = time.monotonic() - t0
    ok = statuses.get(200, 0)
    st = ",".join(f"{k}={v}" for k, v in sorted(statuses.items()))
    print(f"logins: sent={total} ok={ok} rate={ok / elapsed:.1f} p50_ms={percentile(latencies, 50) * 1000:.1f}"
          f" p99_ms={percentile(latencies, 99) * 1000:.1f} statuses={st}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sessions")
    s.add_argument("url")
    s.add_argument("--first", type=int, default=12)
    s.add_argument("--count", type=int, default=8)
    s = sub.add_parser("page-size")
    s.add_argument("url")
    s.add_argument("--threads", type=int, required=True)
    s = sub.add_parser("list-size")
    s.add_argument("url")
    s = sub.add_parser("status")
    s.add_argument("url")
    s.add_argument("path")
    s = sub.add_parser("login-load")
    s.add_argument("url")
    s.add_argument("--rate", type=float, default=20)
    s.add_argument("--duration", type=float, default=10)
    s.add_argument("--first", type=int, default=12)
    s.add_argument("--users", type=int, required=True)
    a = p.parse_args()
    return {"sessions": cmd_sessions, "page-size": cmd_page_size, "list-size": cmd_list_size, "status": cmd_status,
            "login-load": cmd_login_load}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
