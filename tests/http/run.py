#!/usr/bin/env python3
"""Black-box HTTP and CLI tests for forumd.

    python3 tests/http/run.py --forumd build/forumd [--web web] [--filter SUBSTRING] [--keep]

Starts `forumd --listen 127.0.0.1:0 --db <tmp>/forum.db --web <web>`, runs every test of the
test_*.py files (more servers are started by the tests that need their own), stops the server with
SIGTERM (exit status 0 within 10 s), and checks that no password or token reached a server log.
Prints `ok NAME` or `FAIL NAME: reason` per test and ends with `N passed, M failed`; exits 0 only
if nothing failed.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import client  # noqa: E402
from client import Failure, SECRETS, SERVER_LOGS, ServerStartError, start_server  # noqa: E402
from fixtures import Context  # noqa: E402
import test_conventions, test_auth, test_objectives, test_threads, test_search, test_static, test_cli, test_moderation, test_authz, test_following, test_feeds, test_personal, test_export, test_account, test_limits, test_sessions, test_badinput  # noqa: E402,E401

MODULES = [test_conventions, test_auth, test_objectives, test_threads, test_search, test_static, test_cli, test_moderation, test_authz, test_following, test_feeds, test_personal, test_export, test_account, test_limits, test_sessions, test_badinput]


class Runner:
    def __init__(self, name_filter=None):
        self.passed = 0
        self.failed = 0
        self.name_filter = name_filter

    def run(self, name, fn, *args):
        if self.name_filter and self.name_filter not in name:
            return
        t0 = time.monotonic()
        try:
            fn(*args)
        except Failure as e:
            self.failed += 1
            print(f"FAIL {name}: {e}", flush=True)
            return
        except Exception as e:  # a bug in the test or an unexpected answer shape
            self.failed += 1
            tb = traceback.extract_tb(e.__traceback__)[-1]
            print(f"FAIL {name}: {type(e).__name__}: {e} (at {os.path.basename(tb.filename)}:{tb.lineno})",
                  flush=True)
            return
        self.passed += 1
        dt = time.monotonic() - t0
        print(f"ok {name}" + (f" ({dt:.1f}s)" if dt >= 2 else ""), flush=True)

    def record_failure(self, name, reason):
        self.failed += 1
        print(f"FAIL {name}: {reason}", flush=True)


def check_logs(kind, label):
    """A test: no secret of kind appears in any server log written during the run."""
    def test():
        leaks = []
        for path in SERVER_LOGS:
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            for s in SECRETS[kind]:
                if s in text:
                    leaks.append(f"{os.path.basename(path)} contains the {label} {s[:6]}...")
        client.check(SECRETS[kind], f"the run recorded no {label} to look for")
        client.check(any(os.path.getsize(p) > 0 for p in SERVER_LOGS if os.path.exists(p)),
                     "every server log is empty (the CLI contract asks for one line per request)")
        client.check(not leaks, "; ".join(sorted(set(leaks))[:5]))
    return test


def make_fixture_web(root):
    """A small web folder for runs without --web."""
    web = os.path.join(root, "fixture-web")
    os.makedirs(os.path.join(web, "css"), exist_ok=True)
    os.makedirs(os.path.join(web, "js"), exist_ok=True)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>forumd</title><p>fixture index</p>\n")
    with open(os.path.join(web, "css", "site.css"), "w") as f:
        f.write("body { color: #111; }\n")
    with open(os.path.join(web, "js", "app.js"), "w") as f:
        f.write("console.log('fixture');\n")
    return web


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forumd", required=True, help="path to the forumd binary")
    ap.add_argument("--web", help="web front-end folder for the main server (default: a fixture)")
    ap.add_argument("--filter", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    runner = Runner(args.filter)
    forumd = os.path.abspath(args.forumd)
    tmp = tempfile.mkdtemp(prefix="forumd-http-")
    web = os.path.abspath(args.web) if args.web else make_fixture_web(tmp)
    try:
        if not os.access(forumd, os.X_OK):
            runner.record_failure("start_server", f"{forumd} is not an executable file")
        else:
            run_all(runner, forumd, web, tmp)
    finally:
        if args.keep:
            print(f"# kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{runner.passed} passed, {runner.failed} failed", flush=True)
    return 0 if runner.failed == 0 else 1


def run_all(runner, forumd, web, tmp):
    db = os.path.join(tmp, "forum.db")
    log = os.path.join(tmp, "forumd-main.log")
    try:
        with start_server(forumd, db, web, log) as server:
            ctx = Context(forumd, web, tmp, server)
            with ctx.stack:
                for mod in MODULES:
                    for name, fn in mod.tests:
                        runner.run(f"{mod.__name__.removeprefix('test_')}.{name}", fn, ctx)

            def sigterm_exits_0():
                status = server.stop()
                client.check(status is not None, "the server did not exit within 10 s of SIGTERM")
                client.check(status == 0, f"exit status {status} after SIGTERM, want 0; "
                                          f"log tail: {server.log()[-300:]!r}")
            runner.run("server.sigterm_exits_0", sigterm_exits_0)
    except ServerStartError as e:
        runner.record_failure("start_server", str(e))
        return
    if runner.name_filter:
        return
    runner.run("server.log_has_no_passwords", check_logs("password", "password"))
    runner.run("server.log_has_no_session_tokens", check_logs("session", "session cookie value"))
    runner.run("server.log_has_no_api_tokens", check_logs("api_token", "API token"))
    runner.run("server.log_has_no_csrf_tokens", check_logs("csrf", "CSRF token"))


if __name__ == "__main__":
    sys.exit(main())
