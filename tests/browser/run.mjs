#!/usr/bin/env node
// The forum's real-browser suite: Debian's Chromium driven by playwright-core against a forumd
// started here with a fresh database. See README.md beside this file.
//
//   node tests/browser/run.mjs --forumd build/forumd --web web [--screenshots] [--only NAME ...]
//                              [--chromium /usr/bin/chromium] [--headed] [--verbose] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Forumd } from './lib/server.mjs';
import { createStaff, seed } from './lib/seed.mjs';
import { i18nLog, registeredTests, runTests } from './lib/harness.mjs';
import { AXE_TAGS, axeLog, formatViolations } from './lib/web.mjs';
import './journeys.mjs';
import './pages.mjs';
import { takeScreenshots } from './screenshots.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function parseArgs(argv) {
  const opts = {
    forumd: null, web: path.join(root, 'web'), chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    screenshots: false, only: [], headed: false, verbose: false, keep: false, list: false,
    artifacts: path.join(here, 'artifacts'), screenshotDir: path.join(root, 'docs', 'screenshots'),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      i += 1;
      return argv[i];
    };
    if (a === '--forumd') opts.forumd = next();
    else if (a === '--web') opts.web = next();
    else if (a === '--chromium') opts.chromium = next();
    else if (a === '--screenshots') opts.screenshots = true;
    else if (a === '--screenshot-dir') opts.screenshotDir = next();
    else if (a === '--only') opts.only.push(next());
    else if (a === '--headed') opts.headed = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--list') opts.list = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tests/browser/run.mjs --forumd PATH [--web DIR] [--screenshots] [--only NAME]... '
        + '[--chromium PATH] [--headed] [--verbose] [--keep] [--list]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!opts.forumd) {
    const candidates = ['build-test-release/forumd', 'build/forumd'].map((p) => path.join(root, p));
    opts.forumd = candidates.find((p) => fs.existsSync(p)) || null;
    if (!opts.forumd) throw new Error('no forumd binary: pass --forumd PATH');
  }
  return opts;
}

async function main() {
  const started = Date.now();
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`run.mjs: ${err.message}`);
    return 2;
  }
  if (opts.list) {
    registeredTests().forEach((t) => console.log(t.name));
    return 0;
  }
  for (const [what, p] of [['forumd', opts.forumd], ['web folder', opts.web], ['chromium', opts.chromium]]) {
    if (!fs.existsSync(p)) {
      console.error(`run.mjs: ${what} not found at ${p}`);
      return 2;
    }
  }
  fs.rmSync(opts.artifacts, { recursive: true, force: true });
  fs.mkdirSync(opts.artifacts, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumd-browser-'));
  const forumd = new Forumd({ binary: opts.forumd, web: opts.web, dir });
  let browser = null;
  let failures = 0;
  let exitCode = null;
  try {
    console.log(`forumd: ${opts.forumd}\nweb: ${opts.web}\ndatabase: ${forumd.db}`);
    await createStaff(forumd);
    const base = await forumd.start();
    console.log(`server: ${base}`);
    const data = await seed(base);
    browser = await chromium.launch({ executablePath: opts.chromium, headless: !opts.headed });
    console.log(`browser: Chromium ${browser.version()}; seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const env = { browser, base, data, artifacts: opts.artifacts, verbose: opts.verbose };

    if (opts.screenshots) {
      console.log(`screenshots, of the seeded forum before the tests add to it (${path.relative(process.cwd(), opts.screenshotDir) || '.'}):`);
      try {
        const files = await takeScreenshots(env, opts.screenshotDir);
        files.forEach((f) => console.log(`  ${path.relative(process.cwd(), f)}`));
      } catch (err) {
        failures += 1;
        console.log(`  FAIL  screenshots: ${err.message.split('\n')[0]}`);
      }
      console.log('');
    }

    console.log('journeys and pages:');
    const results = await runTests(env, { filter: opts.only.length ? opts.only : null });
    failures += results.filter((r) => !r.ok).length;

    // axe-core ran on every page the tests visited; any violation fails the run.
    console.log(`\naccessibility (axe-core ${axeVersion()}, ${AXE_TAGS.join(', ')}):`);
    const byLabel = new Map();
    axeLog.forEach((r) => {
      const prev = byLabel.get(r.label);
      if (!prev || (r.violations.length && !prev.violations.length)) byLabel.set(r.label, r);
    });
    let axeFailed = 0;
    for (const r of byLabel.values()) {
      if (!r.violations.length) {
        console.log(`  ok    ${r.label}`);
      } else {
        axeFailed += 1;
        const nodes = r.violations.reduce((n, v) => n + v.nodes.length, 0);
        console.log(`  FAIL  ${r.label} (${r.url}): ${r.violations.length} rule(s) violated on ${nodes} element(s)`);
        console.log(formatViolations(r.violations));
      }
    }
    fs.writeFileSync(path.join(opts.artifacts, 'axe-report.json'), JSON.stringify(axeLog, null, 2));
    failures += axeFailed;

    // Interface text: every key the pages used must be in the catalogue of their language.
    const missing = new Map();
    i18nLog.forEach((w) => { if (!missing.has(w.text)) missing.set(w.text, w); });
    console.log(`\ninterface text (i18n catalogues): ${missing.size ? `FAIL, ${missing.size} missing key(s)` : 'ok, no missing key'}`);
    for (const w of missing.values()) console.log(`  - ${w.text} (first at ${w.url}, in "${w.test}")`);
    if (missing.size) failures += 1;

    const passed = results.filter((r) => r.ok).length + (byLabel.size - axeFailed);
    console.log(`\n${results.filter((r) => r.ok).length} of ${results.length} tests and ${byLabel.size - axeFailed} of ${byLabel.size} axe pages passed`);
    console.log(`${passed} passed, ${failures} failed`);
  } catch (err) {
    failures += 1;
    console.error(`\nsuite error: ${err.stack || err}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    try {
      exitCode = await forumd.stop();
      if (exitCode !== 0) {
        failures += 1;
        console.log(`FAIL  forumd exited with ${exitCode} after SIGTERM (expected 0)`);
      }
    } catch (err) {
      failures += 1;
      console.log(`FAIL  ${err.message}`);
    }
    if (failures) {
      fs.copyFileSync(forumd.logPath, path.join(opts.artifacts, 'forumd.log'));
      console.log(`artifacts: ${path.relative(process.cwd(), opts.artifacts)} (failure screenshots, axe-report.json, forumd.log)`);
    }
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept: ${dir}`);
  }
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failures ? 1 : 0;
}

function axeVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

process.exitCode = await main();
