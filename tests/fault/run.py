#!/usr/bin/env python3
"""forumd's fault tests (issue 8): crashes, a full disk, a locked or foreign database, shutdown
under load, backups under load. Python 3.11 standard library only; run as root (the disk-full
scenario mounts a size-limited tmpfs).

  tests/fault/run.py [--forumd build/forumd] [--web web] [--quick] [--rounds N] [--only a,b]
                     [--keep] [--json FILE] [-v]

Scenarios (--only takes these names): kill9, diskfull, locked, corrupt, sigterm, backup.
--quick: fewer kill -9 rounds (5; full: 30) and shorter phases, for CI (about 2-3 minutes).
Prints one table of figures per scenario and a summary; exits 1 if any scenario failed (WARN is a
finding that does not fail the run; SKIP says why it could not run).
"""

import argparse
import atexit
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import Ctx, Result, sanitizer_reports  # noqa: E402

import scenario_kill9  # noqa: E402
import scenario_diskfull  # noqa: E402
import scenario_locked  # noqa: E402
import scenario_corrupt  # noqa: E402
import scenario_sigterm  # noqa: E402
import scenario_backup  # noqa: E402

SCENARIOS = [scenario_corrupt, scenario_kill9, scenario_diskfull, scenario_locked, scenario_sigterm,
             scenario_backup]


def print_result(r):
    print(f"\n== {r.name}: {r.status} ({r.seconds:.1f} s)   [{r.command}]")
    width = max((len(k) for k in r.figures), default=0)
    for k, v in r.figures.items():
        print(f"   {k:<{width}}  {v}")
    for f in r.failures:
        print(f"   FAIL: {f}")
    for w in r.warnings:
        print(f"   WARN: {w}")
    for n in r.notes:
        print(f"   note: {n}")
    sys.stdout.flush()


def main():
    root = os.path.dirname(os.path.dirname(HERE))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--forumd", default=os.path.join(root, "build", "forumd"))
    ap.add_argument("--web", default=os.path.join(root, "web"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None, help="kill -9 rounds (default 5 quick, 30 full)")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (databases, server logs)")
    ap.add_argument("--json", default=None, help="also write the results as JSON to this file")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    names = [s.NAME for s in SCENARIOS]
    only = [n.strip() for n in a.only.split(",") if n.strip()]
    for n in only:
        if n not in names:
            ap.error(f"unknown scenario {n!r}; one of {', '.join(names)}")
    if not os.access(a.forumd, os.X_OK):
        ap.error(f"no forumd binary at {a.forumd}")
    seed = a.seed if a.seed is not None else int(time.time())
    random.seed(seed)

    tmp = tempfile.mkdtemp(prefix="forumd-fault-")
    os.chmod(tmp, 0o755)  # the chmod 000 case runs forumd as nobody, who must reach the folder
    ctx = Ctx(a.forumd, a.web, tmp, a.quick, a.rounds, a.verbose)

    def cleanup():
        for s in SCENARIOS:
            if hasattr(s, "cleanup"):
                s.cleanup()
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    atexit.register(cleanup)
    # A signal runs the same clean-up (mounts, servers) through SystemExit.
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))

    ver = os.popen(f"'{a.forumd}' --version").read().strip()
    print(f"forumd fault tests: {ver} ({a.forumd}), {'quick' if a.quick else 'full'} mode, seed {seed}, "
          f"scratch {tmp}{' (kept)' if a.keep else ''}")
    ctx.probe_options()
    print(f"load options: {' '.join(ctx.load_opts) or 'none'}"
          + (f"; not accepted by this forumd (skipped): {' '.join(ctx.skipped_opts)}" if ctx.skipped_opts else ""))

    results = []
    t_all = time.monotonic()
    for s in SCENARIOS:
        if only and s.NAME not in only:
            continue
        t0 = time.monotonic()
        first_log = len(ctx.logs)
        try:
            r = s.run(ctx)
        except Exception as e:  # a scenario that could not finish is a failure with its reason
            r = Result(s.NAME)
            r.fail(f"{type(e).__name__}: {e}")
            if a.verbose:
                traceback.print_exc()
        finally:
            if hasattr(s, "cleanup"):
                s.cleanup()
        for name, line in sanitizer_reports(ctx.logs[first_log:]):
            r.fail(f"sanitizer report in {name}: {line}")
        r.seconds = time.monotonic() - t0
        results.append(r)
        print_result(r)

    print(f"\n== summary ({time.monotonic() - t_all:.0f} s)")
    print(f"   {'scenario':<10} {'status':<6} {'time':>7}  key figures")
    for r in results:
        key = r.summary or "; ".join(f"{k} {str(v)[:40]}" for k, v in list(r.figures.items())[:3])
        if r.failures:
            key += f"  [{len(r.failures)} failure{'s' if len(r.failures) > 1 else ''}]"
        print(f"   {r.name:<10} {r.status:<6} {r.seconds:>6.1f}s  {key}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dict(forumd=ver, mode="quick" if a.quick else "full", seed=seed,
                           load_options=ctx.load_opts, results=[r.to_dict() for r in results]), f, indent=2)
    failed = [r.name for r in results if r.status == "FAIL"]
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all scenarios passed" + (" (with warnings)" if any(r.status == "WARN" for r in results) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
