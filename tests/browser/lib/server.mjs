// Starts forumd on a free port with a fresh database, creates users on its command line, and
// stops it with SIGTERM (expecting exit status 0).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

function run(binary, args, { input = '', timeout = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(binary)} ${args.slice(0, 2).join(' ')} failed (${signal || `exit ${code}`}): ${stderr.trim() || stdout.trim()}`));
    });
    child.stdin.end(input);
  });
}

export class Forumd {
  constructor({ binary, web, dir }) {
    this.binary = path.resolve(binary);
    this.web = path.resolve(web);
    this.dir = dir;
    this.db = path.join(dir, 'forum.db');
    this.logPath = path.join(dir, 'forumd.log');
    this.child = null;
    this.base = null;
    this.exit = null;
  }

  // `forumd user create`, the password on standard input. Returns the new user's id.
  async createUser({ email, password, displayName, role, stakeholderType, organisation, country }) {
    const args = ['user', 'create', '--db', this.db, '--email', email, '--display-name', displayName,
      '--role', role, '--stakeholder-type', stakeholderType];
    if (organisation) args.push('--organisation', organisation);
    if (country) args.push('--country', country);
    const out = await run(this.binary, args, { input: `${password}\n` });
    const m = /(\d+)/.exec(out);
    return m ? Number(m[1]) : null;
  }

  async start({ extraArgs = [], timeout = 10000 } = {}) {
    const log = fs.openSync(this.logPath, 'a');
    // The abuse limits are off: the suite drives many sign-ins, registrations, posts, flags and
    // searches from one address (127.0.0.1), with accounts seconds old and the same short texts
    // in several journeys, far faster than any person would. The limits (429 with Retry-After,
    // the new-account rules, the duplicate-post check) have their own HTTP tests. A burst of 0
    // never limits; the live-stream cap per address (--sse-per-address) stays at its default of
    // 8: each test closes its browser contexts, so reaching it would be a finding (streams not
    // released).
    const args = ['--listen', '127.0.0.1:0', '--db', this.db, '--web', this.web,
      '--rate-login-address', '0/1', '--rate-login-account', '0/1', '--rate-register-address', '0/1',
      '--rate-post-address', '0/1', '--rate-post-account', '0/1', '--rate-post-new-account', '0/1',
      '--rate-flag-account', '0/1', '--rate-search-address', '0/1', '--rate-stream-address', '0/1',
      '--new-account-period', '0', '--duplicate-window', '0',
      ...extraArgs];
    this.child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    const lines = readline.createInterface({ input: this.child.stdout });
    const first = await Promise.race([
      new Promise((resolve) => lines.once('line', resolve)),
      this.exited.then((e) => { throw new Error(`forumd exited before listening (${e.signal || `exit ${e.code}`}); see ${this.logPath}`); }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`forumd printed no address within ${timeout} ms`)), timeout).unref()),
    ]);
    lines.on('line', () => {}); // keep draining standard output
    const m = /^listening on (http:\/\/\S+)$/.exec(first);
    if (!m) throw new Error(`unexpected first line from forumd: ${JSON.stringify(first)}`);
    this.base = m[1].replace(/\/$/, '');
    return this.base;
  }

  // SIGTERM; resolves to the exit status (0 expected), or throws when it does not stop in time.
  async stop(timeout = 15000) {
    if (!this.child) return 0;
    if (!this.exit) this.child.kill('SIGTERM');
    const e = await Promise.race([
      this.exited,
      new Promise((resolve) => setTimeout(() => resolve(null), timeout).unref()),
    ]);
    if (!e) {
      this.child.kill('SIGKILL');
      throw new Error(`forumd did not stop within ${timeout} ms of SIGTERM`);
    }
    return e.signal ? e.signal : e.code;
  }

  logTail(lines = 30) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
