// Screenshots of the main pages for the README (docs/screenshots/), at desktop and phone width,
// taken with --screenshots after the tests, on the seeded forum.
import fs from 'node:fs';
import path from 'node:path';
import { MEMBERS, STAFF } from './lib/seed.mjs';
import { goto, load, settle } from './lib/web.mjs';

const SIZES = [
  { suffix: 'desktop', viewport: { width: 1280, height: 800 } },
  { suffix: 'phone', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
];

const MAX_HEIGHT = { desktop: 2400, phone: 2200 };

async function signIn(ctx, person) {
  if (!person) return;
  const res = await ctx.request.post('/api/v1/auth/login', { data: { email: person.email, password: person.password } });
  if (!res.ok()) throw new Error(`signing in ${person.email}: HTTP ${res.status()}`);
}

// The live countdown changes every second: freeze its text so the pictures do not churn.
async function steady(page) {
  await page.evaluate(() => {
    document.querySelectorAll('.countdown-value').forEach((el) => {
      const frozen = el.textContent.replace(/,? (and )?\d+ seconds?/, '');
      el.textContent = frozen;
    });
  });
}

export async function takeScreenshots(env, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const { data } = env;
  const thread = `#/t/${data.consultation.thread.id}`;
  const shots = [
    { name: 'objectives', who: null, route: '#/' },
    { name: 'consultation-thread', who: MEMBERS.academic, route: thread },
    {
      name: 'new-thread-preview', who: MEMBERS.civil, route: '#/o/cyberspace/new?ka=law-enforcement-capacity',
      prepare: async (page) => {
        await page.getByLabel('Title').fill('Training judges and prosecutors on electronic evidence');
        await page.getByRole('textbox', { name: 'Your opening contribution' }).fill([
          'The 2014 report asks for more **capacity in law enforcement and the judiciary**. From our work with courts:',
          '',
          '- judges need short, practical modules on *electronic evidence*;',
          '- prosecutors ask for contacts in other Member States;',
          '- training material should exist in every official language.',
          '',
          '> Cybercrime is growing despite the efforts made at national, EU and international level.',
        ].join('\n'));
        const preview = page.getByRole('button', { name: 'Preview', exact: true });
        if (await preview.count()) {
          await preview.first().click();
          await page.getByRole('region', { name: 'Preview' }).locator('strong').first().waitFor({ timeout: 5000 });
        }
      },
    },
    { name: 'search-results', who: null, route: '#/search?q=operators' },
    { name: 'moderation-flags', who: STAFF.moderator, route: '#/mod/flags' },
    { name: 'account', who: MEMBERS.operator, route: '#/account' },
  ];
  const files = [];
  for (const size of SIZES) {
    const contexts = new Map();
    try {
      for (const shot of shots) {
        const key = shot.who ? shot.who.email : 'anonymous';
        if (!contexts.has(key)) {
          const { suffix, ...options } = size;
          const ctx = await env.browser.newContext({ baseURL: env.base, locale: 'en-GB', timezoneId: 'Europe/Brussels', ...options });
          await signIn(ctx, shot.who);
          contexts.set(key, { ctx, page: await ctx.newPage(), fresh: true });
        }
        const c = contexts.get(key);
        if (c.fresh) await load(c.page, shot.route);
        else await goto(c.page, shot.route);
        c.fresh = false;
        if (shot.prepare) await shot.prepare(c.page);
        await settle(c.page).catch(() => {});
        await steady(c.page);
        await c.page.evaluate(() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); });
        const file = path.join(dir, `${shot.name}-${size.suffix}.png`);
        // The whole page, cut at MAX_HEIGHT: a long thread would make a picture nobody can read.
        const height = await c.page.evaluate(() => document.documentElement.scrollHeight);
        const clip = { x: 0, y: 0, width: size.viewport.width, height: Math.min(height, MAX_HEIGHT[size.suffix]) };
        await c.page.screenshot({ path: file, fullPage: true, clip, animations: 'disabled', caret: 'hide' });
        files.push(file);
      }
    } finally {
      await Promise.all([...contexts.values()].map((c) => c.ctx.close()));
    }
  }
  return files;
}
