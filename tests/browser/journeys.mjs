// The journeys of issue 7, each a test of its own with its own people and threads, so that one
// failing does not take the others with it. Selectors are roles and English accessible names.
import { Api } from './lib/api.mjs';
import { assert, eventually, test } from './lib/harness.mjs';
import { MEMBERS, PASSWORD, STAFF, newMember } from './lib/seed.mjs';
import {
  assertNotReloaded, axe, expectAfterSubmit, focused, follow, goto, horizontalOverflow, load, markPage, markWindow, settle,
  tabTo,
} from './lib/web.mjs';

// The thread helper renamed "Publish reply/contribution" to "Post …" during issue 7: accept both.
const POST_REPLY = /^(Publish|Post) reply$/;
const POST_CONTRIBUTION = /^(Publish|Post) contribution$/;
const uniq = () => Date.now().toString(36).slice(-5);
const article = (page, text) => page.getByRole('article').filter({ hasText: text });

async function signedInApi(t, person) {
  return new Api(t.env.base).signIn(person.email, person.password);
}

async function navUser(page) {
  return page.locator('#site-nav .site-nav-user').textContent({ timeout: 5000 }).catch(() => null);
}

// 1. Register and sign in through the forms.
test('journey 1: register, sign out, sign in through the forms', async (t) => {
  const page = await t.page(null, { label: 'newcomer' });
  const email = `sofia.rossi.${uniq()}@example.it`;
  const name = 'Sofia Rossi';
  await t.step('open the register page from the navigation', async () => {
    await load(page, '#/');
    await follow(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register' }));
    await axe(page, 'register (anonymous, 1280)');
  });
  await t.step('fill in and send the register form', async () => {
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Display name').fill(name);
    await page.getByLabel('You take part as').selectOption('academia');
    await page.getByLabel('Organisation').fill('Università di Bologna');
    await page.getByLabel('Country').selectOption('IT');
    await markPage(page);
    await page.getByRole('button', { name: 'Register' }).click();
  });
  await t.step('registering signs the newcomer in', async () => {
    await expectAfterSubmit(page, (timeout) => eventually(async () => (await navUser(page) || '').includes(name),
      'signed in', { timeout }), `the navigation should say "Signed in as ${name}" after registering`);
    await settle(page);
    await axe(page, 'objectives (member, 1280)');
  });
  await t.step('sign out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })
      .waitFor({ timeout: 10000 });
  });
  await t.step('sign in through the sign-in form', async () => {
    await follow(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }));
    await axe(page, 'login (anonymous, 1280)');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await expectAfterSubmit(page, (timeout) => eventually(async () => (await navUser(page) || '').includes(name),
      'signed in', { timeout }), `the navigation should say "Signed in as ${name}" after signing in`);
  });
  await t.step('a wrong password is refused with a visible, announced error', async () => {
    const other = await t.page(null, { label: 'wrong password' });
    await load(other, '#/login');
    await other.getByLabel('Email address').fill(email);
    await other.getByLabel('Password').fill('not the right passphrase');
    await other.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('alert').filter({ hasText: /./ }).first().waitFor({ timeout: 10000 });
    await axe(other, 'login with an error (anonymous, 1280)');
  });
});

// 2. Objective -> key action -> new thread form; a reply, and a reply to that reply.
test('journey 2: start a thread under a key action, reply, reply to the reply', async (t) => {
  const author = await newMember(t.env.base, { displayName: 'Tomasz Nowak', stakeholderType: 'civil_society', organisation: 'Cyber Safe Poland', country: 'PL' });
  const page = await t.page(author);
  const title = `Helping SMEs report ransomware (${uniq()})`;
  const keyAction = 'Work with industry to empower and protect citizens';
  await t.step('open the objective and pick the key action', async () => {
    await load(page, '#/');
    await follow(page, page.getByRole('link', { name: 'Raise levels of security for citizens and businesses in cyberspace' }));
    await axe(page, 'objective (member, 1280)');
    await follow(page, page.getByRole('navigation', { name: 'Filter threads by key action' }).getByRole('link', { name: keyAction }));
    const current = await page.getByRole('navigation', { name: 'Filter threads by key action' })
      .getByRole('link', { name: keyAction }).getAttribute('aria-current');
    assert(current === 'page', `the chosen key action should be marked current (aria-current="page"), got ${current}`);
    assert(/[?&](ka|key_action)=/.test(new URL(page.url()).hash), `the key action should be in the address, at ${page.url()}`);
    await axe(page, 'objective filtered by key action (member, 1280)');
  });
  await t.step('open the new thread form from the key action', async () => {
    await follow(page, page.getByRole('link', { name: 'Start a thread' }));
    await axe(page, 'new thread form (member, 1280)');
    const selected = await page.getByLabel('Key action').evaluate((s) => s.options[s.selectedIndex].textContent);
    assert(selected.includes(keyAction), `the key action should be preselected, got "${selected}"`);
  });
  await t.step('publish the thread', async () => {
    await page.getByLabel('Title').fill(title);
    await page.getByRole('textbox', { name: 'Your opening contribution' }).fill('Small suppliers rarely report **ransomware**. Would a reporting route through sector associations help?');
  });
  await t.step('preview the Markdown', async () => {
    const preview = page.getByRole('button', { name: 'Preview', exact: true });
    if (!(await preview.count())) {
      t.note('the new thread form has no Preview button');
      return;
    }
    await preview.click();
    const region = page.getByRole('region', { name: 'Preview' });
    try {
      await region.locator('strong', { hasText: 'ransomware' }).waitFor({ timeout: 5000 });
    } catch {
      const shown = (await region.innerText().catch(() => '')).trim();
      throw new Error(`the preview should show "ransomware" in bold; it shows: ${JSON.stringify(shown.slice(0, 200))}`);
    }
    await axe(page, 'new thread form with preview (member, 1280)');
    await page.getByRole('button', { name: 'Write', exact: true }).click();
    await page.getByRole('textbox', { name: 'Your opening contribution' }).waitFor();
  });
  await t.step('publish the thread', async () => {
    await page.getByRole('button', { name: 'Publish thread' }).click();
    await expectAfterSubmit(page, page.getByRole('heading', { level: 1, name: title }), 'the new thread\u2019s page should open');
    await settle(page);
    await page.getByRole('link', { name: keyAction }).first().waitFor({ timeout: 5000 });
  });
  const first = 'A single national contact point worked well in our region.';
  const second = 'Which region was that, and who runs the contact point?';
  await t.step('reply to the opening post', async () => {
    const opening = article(page, 'Small suppliers rarely report');
    await opening.getByRole('button', { name: 'Reply' }).click();
    const box = page.getByRole('textbox', { name: /^Your reply to/ });
    await box.waitFor();
    await axe(page, 'thread with an open reply form (member, 1280)');
    await box.fill(first);
    await page.getByRole('button', { name: POST_REPLY }).click();
    await expectAfterSubmit(page, article(page, first), 'the reply should appear in the thread');
    assert(await article(page, first).evaluate((el) => el.className.includes('depth-1')),
      'the reply should be drawn one level deep (class depth-1)');
  });
  await t.step('reply to that reply (nested)', async () => {
    await article(page, first).getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('textbox', { name: /^Your reply to/ }).fill(second);
    await page.getByRole('button', { name: POST_REPLY }).click();
    const nested = article(page, second);
    await expectAfterSubmit(page, nested, 'the reply to the reply should appear in the thread');
    const cls = await nested.evaluate((el) => el.className);
    assert(/depth-2/.test(cls), `the reply to the reply should be two levels deep, has class "${cls}"`);
    assert((await nested.textContent()).includes('In reply to'), 'the nested reply should say whom it answers ("In reply to …")');
    await axe(page, 'thread (member, 1280)');
  });
  await t.step('quote a contribution in a reply', async () => {
    const quote = article(page, first).getByRole('button', { name: 'Quote' });
    if (!(await quote.count())) {
      t.note('posts have no Quote button');
      return;
    }
    await quote.click();
    const box = page.getByRole('textbox', { name: /^Your reply to/ });
    await box.waitFor();
    const value = await box.inputValue();
    assert(/^>/m.test(value) && value.includes('national contact point'),
      `Quote should put the quoted text, as "> " lines, into the reply; the box holds ${JSON.stringify(value.slice(0, 120))}`);
    page.once('dialog', (d) => d.accept()); // "Discard the reply you have written?"
    await article(page, first).getByRole('button', { name: 'Cancel' }).click();
    await box.waitFor({ state: 'detached', timeout: 5000 });
  });
  await t.step('the tree is the same after a reload', async () => {
    await load(page, new URL(page.url()).hash);
    const cls = await article(page, second).evaluate((el) => el.className);
    assert(/depth-2/.test(cls), `after a reload the nested reply should still be two levels deep, has "${cls}"`);
  });
});

// 3. A second reader sees a new reply arrive live.
test('journey 3: a reply appears live for another reader (SSE)', async (t) => {
  const api = await signedInApi(t, MEMBERS.memberState);
  const { thread } = await api.createThread('border-management', {
    keyAction: 'frontex',
    title: `Frontex liaison officers in third countries (${uniq()})`,
    body: 'How should Frontex liaison officers work with the authorities of neighbouring countries?',
  });
  const writer = await t.page(MEMBERS.academic, { label: 'writer' });
  const reader = await t.page(null, { label: 'anonymous reader' });
  const member = await t.page(MEMBERS.citizen, { label: 'member reader' });
  await t.step('both readers open the thread', async () => {
    await load(reader, `#/t/${thread.id}`);
    await load(member, `#/t/${thread.id}`);
    await load(writer, `#/t/${thread.id}`);
    await axe(reader, 'thread (anonymous, 1280)');
    await markWindow(reader);
    await markWindow(member);
  });
  const text = `Joint training with the coast guards of the region has helped most (${uniq()}).`;
  await t.step('the writer publishes a contribution', async () => {
    await writer.getByRole('textbox', { name: 'Your contribution', exact: true }).fill(text);
    await writer.getByRole('button', { name: POST_CONTRIBUTION }).click();
    await expectAfterSubmit(writer, article(writer, text), 'the contribution should appear on the writer\u2019s page');
    await axe(writer, 'thread after publishing a contribution (member, 1280)');
  });
  await t.step('it appears on the other readers\u2019 pages without a reload', async () => {
    await article(reader, text).waitFor({ timeout: 10000 });
    await article(member, text).waitFor({ timeout: 5000 });
    await assertNotReloaded(reader, 'the anonymous reader\u2019s page');
    await assertNotReloaded(member, 'the member reader\u2019s page');
    await axe(reader, 'thread after a live update (anonymous, 1280)');
  });
  await t.step('a reply to it also arrives live', async () => {
    const answer = `Agreed; the training should include fundamental rights monitors (${uniq()}).`;
    await new Api(t.env.base).signIn(MEMBERS.civil.email, MEMBERS.civil.password)
      .then((a) => api.get(`/threads/${thread.id}`).then((d) => a.reply(thread.id, answer, { parent: d.posts[d.posts.length - 1] })));
    await article(reader, answer).waitFor({ timeout: 10000 });
    await assertNotReloaded(reader, 'the anonymous reader\u2019s page');
  });
});

// 4. Flag, hide from the flag queue, and the flagger sees it hidden.
test('journey 4: a member flags a post, a moderator hides it from the flag queue', async (t) => {
  const writerApi = await signedInApi(t, MEMBERS.spammer);
  const text = `Limited offer ${uniq()}: encrypted phones for your whole team, write to us for a quote!`;
  const { thread, post } = await (await signedInApi(t, MEMBERS.agency)).createThread('cyberspace', {
    keyAction: 'cyber-attack-capability',
    title: `Exercises for large-scale cyber-attacks (${uniq()})`,
    body: 'Which cross-border exercises have tested the response to a large-scale cyber-attack on essential services?',
  });
  await writerApi.reply(thread.id, text, { parent: post });
  const member = await t.page(MEMBERS.operator, { label: 'flagging member' });
  await t.step('the member flags the post', async () => {
    await load(member, `#/t/${thread.id}`);
    await article(member, text).getByRole('button', { name: 'Flag' }).click();
    await member.getByRole('radio', { name: /spam/i }).check();
    await axe(member, 'thread with the flag form (member, 1280)');
    await member.getByRole('button', { name: 'Send to the moderators' }).click();
    await expectAfterSubmit(member, article(member, text).getByText(/Flagged/), 'the post should say it was flagged');
    await markWindow(member);
  });
  const mod = await t.page(STAFF.moderator, { label: 'moderator' });
  await t.step('the moderator opens the flag queue from the navigation', async () => {
    await load(mod, '#/');
    await follow(mod, mod.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Moderation' }));
    await axe(mod, 'mod flags (moderator, 1280)');
  });
  await t.step('the moderator hides the flagged post', async () => {
    const item = mod.getByRole('listitem').filter({ hasText: text.slice(0, 40) });
    await item.first().waitFor({ timeout: 5000 });
    await item.first().getByLabel('Reason').fill('Advertising, not a contribution to the discussion.');
    await item.first().getByRole('button', { name: 'Hide contribution' }).click();
    await expectAfterSubmit(mod, (timeout) => item.first().waitFor({ state: 'detached', timeout }),
      'the decided flag should leave the open queue');
    await axe(mod, 'mod flags after a decision (moderator, 1280)');
  });
  await t.step('the moderation log records it', async () => {
    await goto(mod, '#/mod/log');
    await mod.getByText(/Advertising, not a contribution/).first().waitFor({ timeout: 5000 });
    await axe(mod, 'mod log (moderator, 1280)');
  });
  await t.step('the member sees the post hidden', async () => {
    const hidden = article(member, 'Hidden by a moderator');
    try {
      await hidden.first().waitFor({ timeout: 6000 });
      await assertNotReloaded(member, 'the member\u2019s thread page');
    } catch {
      t.note('the hidden post did not change live on the member\u2019s open page within 6 s; checked after a reload');
      await load(member, `#/t/${thread.id}`);
      await hidden.first().waitFor({ timeout: 5000 });
    }
    assert(!(await member.getByText(text).count()), 'the hidden text must not be shown to the member');
    await axe(member, 'thread with a hidden post (member, 1280)');
  });
  await t.step('the moderator still reads it, marked as hidden', async () => {
    await goto(mod, `#/t/${thread.id}`);
    await mod.getByText(text).waitFor({ timeout: 5000 });
    await axe(mod, 'thread (moderator, 1280)');
  });
});

// 5. A consultation closes while a member has the reply form open.
test('journey 5: the reply form disappears when the consultation closes', async (t) => {
  const modApi = await signedInApi(t, STAFF.moderator);
  const closesAt = new Date(Math.ceil((Date.now() + 9000) / 1000) * 1000);
  const { thread } = await modApi.createThread('crisis-resilience', {
    keyAction: 'emergency-response',
    title: `Short consultation: pre-positioned response capacities (${uniq()})`,
    body: 'Which capacities should the European Emergency Response Capacity keep on standby?',
    closesAt,
  });
  const member = await t.page(MEMBERS.memberState, { label: 'member' });
  await t.step('the member opens the thread while the consultation is open', async () => {
    await load(member, `#/t/${thread.id}`);
    await member.getByRole('heading', { name: 'Open consultation' }).waitFor({ timeout: 5000 });
    await member.getByRole('textbox', { name: 'Your contribution', exact: true }).waitFor({ timeout: 5000 });
    await member.getByRole('timer').waitFor({ timeout: 5000 });
    await axe(member, 'thread with an open consultation (member, 1280)');
    await member.getByRole('textbox', { name: 'Your contribution', exact: true }).fill('We would keep forest fire-fighting planes on standby.');
    await markWindow(member);
  });
  await t.step('after the deadline the reply form goes away without a reload', async () => {
    const wait = closesAt.getTime() - Date.now();
    assert(wait > 0, 'setting up took longer than the consultation lasted');
    try {
      await member.getByRole('textbox', { name: 'Your contribution', exact: true }).waitFor({ state: 'detached', timeout: wait + 8000 });
    } catch {
      throw new Error(`the reply form was still there ${Math.round((Date.now() - closesAt.getTime()) / 1000)} s after the consultation closed`);
    }
    await assertNotReloaded(member, 'the member\u2019s thread page');
    await member.getByRole('heading', { name: 'Consultation closed' }).first().waitFor({ timeout: 5000 });
    // The text being written is not thrown away (kept to copy, if the page offers that).
    const kept = member.getByRole('textbox', { name: /unpublished/i });
    if (await kept.count()) {
      assert((await kept.first().inputValue()).includes('forest fire-fighting planes'), 'the unpublished text should be kept');
    } else {
      t.note('the text being written when the consultation closed is not offered for copying');
    }
    assert(!(await member.getByRole('button', { name: 'Reply' }).count()), 'no Reply button should remain after closing');
    await settle(member).catch(() => {});
    await axe(member, 'thread with a closed consultation (member, 1280)');
  });
  await t.step('the server refuses contributions too', async () => {
    const api = await signedInApi(t, MEMBERS.memberState);
    const err = await api.reply(thread.id, 'Too late?').then(() => null, (e) => e);
    assert(err && err.code === 'consultation_closed', `a late reply should get consultation_closed, got ${err ? err.message : 'success'}`);
  });
});

// 6. Search finds a post, from the header's search box.
test('journey 6: the search box finds a contribution', async (t) => {
  const word = `substation${uniq().replace(/\d/g, 'x')}`;
  const api = await signedInApi(t, MEMBERS.operator);
  const { thread } = await api.createThread('crisis-resilience', {
    keyAction: 'situation-awareness',
    title: `Drone incursions over energy sites (${uniq()})`,
    body: `Operators report drone incursions over the ${word} perimeter fences; who should the situation awareness centres alert first?`,
  });
  const page = await t.page(null, { label: 'reader' });
  await t.step('search from the header', async () => {
    await load(page, '#/');
    const box = page.getByRole('search', { name: 'Search the forum' }).getByRole('searchbox');
    await box.fill(word);
    await follow(page, () => box.press('Enter'));
    assert(new URL(page.url()).hash.startsWith('#/search?'), `should be on the search page, at ${page.url()}`);
  });
  await t.step('the result names the thread and marks the word', async () => {
    const result = page.getByRole('link', { name: thread.title });
    await result.first().waitFor({ timeout: 10000 });
    await page.locator('mark').filter({ hasText: new RegExp(word, 'i') }).first().waitFor({ timeout: 5000 });
    await axe(page, 'search results (anonymous, 1280)');
  });
  await t.step('the result leads to the thread', async () => {
    await follow(page, page.getByRole('link', { name: thread.title }).first());
    await page.getByRole('heading', { level: 1, name: thread.title }).waitFor({ timeout: 5000 });
    await axe(page, 'thread opened from a search result (anonymous, 1280)');
  });
  await t.step('a search with no match says so', async () => {
    await goto(page, '#/search?q=zzqqxxnomatch');
    await page.getByText(/No contributions match/).waitFor({ timeout: 5000 });
    await axe(page, 'search without results (anonymous, 1280)');
  });
});

// 7. Erasing an account through the account page.
test('journey 7: an account is erased and its name leaves the thread', async (t) => {
  const name = `Henrik Lund ${uniq()}`;
  const person = await newMember(t.env.base, { displayName: name, stakeholderType: 'citizen', country: 'DK' });
  const api = await signedInApi(t, person);
  const thread = t.env.data.cyber;
  const words = `I was defrauded online last year and did not know where to report it (${uniq()}).`;
  await api.reply(thread.id, words);
  const page = await t.page(person, { label: 'leaving member' });
  await t.step('the contribution shows the name', async () => {
    await load(page, `#/t/${thread.id}`);
    assert((await article(page, words).textContent()).includes(name), `the post should be signed "${name}"`);
  });
  await t.step('open the account page from the navigation', async () => {
    await follow(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' }));
    await axe(page, 'account (member, 1280)');
  });
  await t.step('a wrong password does not erase', async () => {
    await page.getByLabel('Your password').fill('this is not my password');
    await page.getByLabel(/I understand/).check();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('alert').filter({ hasText: /password/i }).first().waitFor({ timeout: 10000 });
    await axe(page, 'account with an error (member, 1280)');
  });
  await t.step('erase the account', async () => {
    await page.getByLabel('Your password').fill(PASSWORD);
    const box = page.getByLabel(/I understand/);
    if (!(await box.isChecked())) await box.check();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expectAfterSubmit(page, page.getByText(/account has been deleted/i), 'the home page should say the account was deleted');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    await axe(page, 'objectives with a notice (anonymous, 1280)');
  });
  await t.step('the thread shows "Deleted user" instead of the name', async () => {
    await goto(page, `#/t/${thread.id}`);
    const post = article(page, words);
    await post.waitFor({ timeout: 5000 });
    const text = await post.textContent();
    assert(!text.includes(name), `the erased name "${name}" is still on the post`);
    assert(text.includes('Deleted user'), 'the post should be signed "Deleted user"');
    assert(!(await page.getByText(name).count()), `the erased name "${name}" is still somewhere on the page`);
    await axe(page, 'thread with a deleted user (anonymous, 1280)');
  });
  await t.step('the old password no longer signs in', async () => {
    const err = await new Api(t.env.base).signIn(person.email, person.password).then(() => null, (e) => e);
    assert(err && err.status === 401, `signing in after erasure should be refused, got ${err ? err.message : 'success'}`);
  });
});

// Keyboard only: sign in and publish a reply with Tab, Enter and typing.
test('keyboard only: sign in and reply without the mouse', async (t) => {
  const person = await newMember(t.env.base, { displayName: 'Ines Carvalho', stakeholderType: 'civil_society', organisation: 'Lisbon Youth Network', country: 'PT' });
  const thread = t.env.data.consultation.thread;
  const page = await t.page(null, { label: 'keyboard user' });
  const noIndicator = [];
  await t.step('open the thread (typed address)', async () => {
    await load(page, `#/t/${thread.id}`);
  });
  await t.step('Tab to "Sign in" in the contribution section and follow it', async () => {
    await tabTo(page, { tag: 'a', name: /^Sign in$/ }, { max: 120, noIndicator });
    // The first "Sign in" link is the navigation's; both bring the reader back to the thread.
    await follow(page, () => page.keyboard.press('Enter'));
    assert(new URL(page.url()).hash.startsWith('#/login'), `Enter on the link should open the sign-in page, at ${page.url()}`);
  });
  await t.step('type the email and password, Enter to sign in', async () => {
    await tabTo(page, { tag: 'input', name: /Email address/ }, { noIndicator });
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert(f.tag === 'input' && /Password/.test(f.name), `Tab from the email should reach the password, reached ${f.tag} "${f.name}"`);
    await page.keyboard.type(person.password);
    await markPage(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window.location.hash || '').startsWith('#/t/'), null, { timeout: 10000 });
    await settle(page);
    assert(((await navUser(page)) || '').includes(person.displayName), 'signed in after Enter');
  });
  const text = `Youth organisations should be consulted on prevention too (${uniq()}).`;
  await t.step('Tab to a Reply button, Enter, type, Tab to Publish reply, Enter', async () => {
    await tabTo(page, { tag: 'button', name: /^Reply$/ }, { max: 150, noIndicator });
    await page.keyboard.press('Enter');
    const f = await focused(page);
    assert(f.tag === 'textarea', `Enter on Reply should put focus in the reply's text box, focus is on ${f.tag} "${f.name}"`);
    await page.keyboard.type(text);
    await tabTo(page, { tag: 'button', name: POST_REPLY }, { max: 10, noIndicator });
    await page.keyboard.press('Enter');
    await article(page, text).waitFor({ timeout: 10000 });
    await axe(page, 'thread after a keyboard reply (member, 1280)');
  });
  await t.step('every stop showed a focus indicator', async () => {
    assert(!noIndicator.length, `no visible focus indicator (outline or box-shadow) on: ${[...new Set(noIndicator)].join('; ')}`);
  });
});

// The language switcher: French and German, then back to English.
test('language switcher: Français and Deutsch change the interface and lang', async (t) => {
  const page = await t.page(null, { label: 'reader' });
  const navText = async () => (await page.getByRole('navigation').filter({ has: page.locator('#site-nav') }).innerText()).replace(/\s+/g, ' ');
  await t.step('English first', async () => {
    await load(page, '#/');
    assert(await page.evaluate(() => document.documentElement.lang) === 'en', 'the page should start in English (lang="en")');
  });
  const english = await navText();
  for (const [code, name] of [['fr', 'Français'], ['de', 'Deutsch']]) {
    await t.step(`switch to ${name}`, async () => {
      await page.getByRole('button', { name, exact: true }).first().click();
      await page.waitForFunction((c) => document.documentElement.lang === c, code, { timeout: 10000 });
      await settle(page);
      const now = await navText();
      assert(now !== english, `the navigation should change language, still reads "${now}"`);
      assert(!/Strategic objectives|Statistics/.test(now), `the navigation is still in English in ${name}: "${now}"`);
      const h1 = await page.getByRole('heading', { level: 1 }).first().innerText();
      assert(!/five strategic objectives/i.test(h1), `the page heading is still English in ${name}: "${h1}"`);
      const pressed = await page.getByRole('button', { name }).first().getAttribute('aria-current');
      assert(pressed === 'true', `the ${name} button should be marked current (aria-current=true)`);
      await axe(page, `objectives (anonymous, 1280, ${code}, after switching)`);
    });
  }
  await t.step('back to English', async () => {
    await page.getByRole('button', { name: 'English' }).first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10000 });
    await settle(page);
    assert((await navText()).includes('Strategic objectives'), 'the navigation should be English again');
  });
});

// The account page's own features: editing the profile (PATCH /me) and API tokens.
test('account: edit the profile, create and revoke an API token', async (t) => {
  const person = await newMember(t.env.base, { displayName: 'Eva Horvath', stakeholderType: 'academia', organisation: 'Budapest Institute', country: 'HU' });
  const page = await t.page(person, { label: 'member' });
  const base = t.env.base;
  await t.step('edit the organisation', async () => {
    await load(page, '#/account');
    await page.getByRole('button', { name: 'Edit profile' }).click();
    const org = page.getByLabel('Organisation');
    await org.waitFor();
    await axe(page, 'account, editing the profile (member, 1280)');
    await org.fill('Central European Security Research Institute');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectAfterSubmit(page, page.getByRole('definition').filter({ hasText: 'Central European Security Research Institute' }),
      'the profile should show the new organisation');
    const me = await (await signedInApi(t, person)).get('/me');
    assert(me.user.organisation === 'Central European Security Research Institute',
      `the server should hold the new organisation, has ${JSON.stringify(me.user.organisation)}`);
  });
  let token = null;
  await t.step('create an API token; it works as a Bearer token', async () => {
    await page.getByLabel('Name of the new token').fill('manifest checks');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('textbox', { name: /Token .manifest checks./ });
    await expectAfterSubmit(page, shown, 'the new token should be shown');
    token = await shown.inputValue();
    assert(token.length >= 32, `the token shown should be a long secret, got ${JSON.stringify(token)}`);
    const res = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert(res.status === 200, `GET /me with the new token should answer 200, got ${res.status}`);
    await axe(page, 'account with a new token (member, 1280)');
  });
  await t.step('revoke it from the list', async () => {
    const revoke = page.getByRole('button', { name: /Revoke the token .manifest checks./ });
    await revoke.waitFor({ timeout: 10000 });
    page.once('dialog', (d) => d.accept());
    await revoke.click();
    await revoke.waitFor({ state: 'detached', timeout: 10000 });
    await eventually(async () => (await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status === 401,
      'the revoked token should no longer be accepted (401)', { timeout: 5000 });
  });
});

// The account page's password change and session list: two browsers signed in as one member.
test('account: change password and sessions', async (t) => {
  const person = await newMember(t.env.base, { displayName: 'Mateja Kovač', stakeholderType: 'civil_society', organisation: 'Ljubljana Digital Rights Centre', country: 'SI' });
  const newPassword = 'a quiet orchard under winter stars 7';
  const first = await t.page(person, { label: 'first browser' });
  const second = await t.page(person, { label: 'second browser' });
  const sessions = first.getByRole('list', { name: 'Where you are signed in' });
  const count = () => sessions.getByRole('listitem').count();
  // A write from the page that would be refused with csrf_failed if the page kept an old token
  // (api.js then fetches a new one and retries, which would hide the mistake: so count them).
  const refused = [];
  first.on('response', (res) => { if (res.status() === 403) refused.push(`${res.request().method()} ${new URL(res.url()).pathname}`); });

  await t.step('the first browser lists both sessions, its own marked', async () => {
    await load(second, '#/');
    await load(first, '#/account');
    await eventually(async () => (await count()) === 2, 'the list should show 2 sessions', { timeout: 5000 });
    await sessions.getByRole('button', { name: /^Sign out this browser \(session started .+\)$/ }).waitFor();
    assert(await sessions.getByText('This browser').count() === 1, 'exactly one session should say "This browser"');
    await first.getByRole('button', { name: 'Sign out everywhere else' }).waitFor();
    await axe(first, 'account with two sessions (member, 1280)');
  });
  await t.step('sign out the other browser from the list', async () => {
    const other = sessions.getByRole('button', { name: /^Sign out the session started .+$/ });
    assert(await other.count() === 1, `one other session should have its own button, found ${await other.count()}`);
    await other.click();
    await other.waitFor({ state: 'detached', timeout: 5000 });
    assert(await count() === 1, `one session should be left, the list shows ${await count()}`);
    const f = await focused(first);
    assert(!/this browser/i.test(f.name), `focus must not land on this browser's own sign-out button, it is on ${f.tag} "${f.name}"`);
    assert(await first.getByRole('button', { name: 'Sign out everywhere else' }).isHidden(),
      '"Sign out everywhere else" should go once no other session is left');
  });
  await t.step('the second browser\u2019s next action finds it signed out', async () => {
    await goto(second, '#/account');
    await second.getByText(/Please sign in to see your account/).waitFor({ timeout: 5000 });
    await second.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 5000 });
  });
  const form = {
    current: first.getByLabel('Current password'),
    next: first.getByLabel('New password', { exact: true }),
    repeat: first.getByLabel('Repeat the new password'),
    submit: first.getByRole('button', { name: 'Change password' }),
  };
  await t.step('the repeated new password is checked in the page', async () => {
    await form.current.fill(PASSWORD);
    await form.next.fill(newPassword);
    await form.repeat.fill(`${newPassword}!`);
    await form.submit.click();
    await first.getByRole('alert').filter({ hasText: 'The two new passwords are not the same' }).waitFor({ timeout: 5000 });
    assert(await form.repeat.getAttribute('aria-invalid') === 'true', 'the repeated password should be marked invalid');
  });
  await t.step('a wrong current password is refused, announced and shown beside the field', async () => {
    await form.current.fill('this is not my password');
    await form.repeat.fill(newPassword);
    await form.submit.click();
    await first.getByRole('alert').filter({ hasText: 'Your current password is not right' }).waitFor({ timeout: 10000 });
    assert(await form.current.getAttribute('aria-invalid') === 'true', 'the current password should be marked invalid');
    const described = await form.current.evaluate((el) => (el.getAttribute('aria-describedby') || '').split(/\s+/)
      .map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
    assert(/current password is not right/.test(described), `the error should be beside the field (aria-describedby), it reads "${described}"`);
    const f = await focused(first);
    assert(f.name.includes('Current password'), `focus should go to the current password, it is on ${f.tag} "${f.name}"`);
    assert(await first.getByText('This browser').count() === 1, 'a refused change must not sign this browser out');
    await axe(first, 'account, wrong current password (member, 1280)');
  });
  await t.step('change the password', async () => {
    await form.current.fill(PASSWORD);
    await form.next.fill(newPassword);
    await form.repeat.fill(newPassword);
    await form.submit.click();
    const done = 'Your password is changed. You were signed out everywhere else.';
    await expectAfterSubmit(first, first.getByText(done, { exact: true }), 'the page should say the password is changed');
    await eventually(async () => (await first.locator('[role="status"]').allInnerTexts()).some((x) => x.includes(done)),
      'the change should be announced (a status live region)', { timeout: 3000 });
    assert(!(await form.current.inputValue()) && !(await form.next.inputValue()), 'the password fields should be emptied');
    await eventually(async () => (await count()) === 1 && (await sessions.getByText('This browser').count()) === 1,
      'the list should show this browser\u2019s new session only', { timeout: 5000 });
    await axe(first, 'account after a password change (member, 1280)');
  });
  await t.step('the page goes on working with the new session and CSRF token', async () => {
    await first.getByLabel('Name of the new token').fill('after the password change');
    await first.getByRole('button', { name: 'Create token' }).click();
    await expectAfterSubmit(first, first.getByRole('textbox', { name: /Token .after the password change./ }), 'the new token should be shown');
    assert(!refused.length, `no request should be refused after the change, got 403 for ${refused.join(', ')}`);
  });
  await t.step('the new password signs in through the form; the old one no longer does', async () => {
    await goto(second, '#/login');
    await second.getByLabel('Email address').fill(person.email);
    await second.getByLabel('Password').fill(newPassword);
    await second.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await expectAfterSubmit(second, (timeout) => eventually(async () => (await navUser(second) || '').includes(person.displayName),
      'signed in', { timeout }), 'the new password should sign in');
    const err = await new Api(t.env.base).signIn(person.email, PASSWORD).then(() => null, (e) => e);
    assert(err && err.status === 401, `the old password should be refused, got ${err ? err.message : 'success'}`);
  });
  await t.step('in French and German at 320 px, with an error shown', async () => {
    for (const [lang, locale] of [['fr', 'fr-FR'], ['de', 'de-DE']]) {
      const page = await t.page({ ...person, password: newPassword }, { label: `${lang} 320px`, locale, viewport: { width: 320, height: 700 } });
      await load(page, '#/account');
      await page.locator('form.password-form button[type="submit"]').click();
      await page.locator('form.password-form .field-error').waitFor({ timeout: 5000 });
      await axe(page, `account with several sessions and an error (member, 320, ${lang})`);
      const over = await horizontalOverflow(page);
      assert(!over, `the account page scrolls sideways at 320 px in ${lang}: ${over ? over.wide.join(', ') : ''}`);
    }
  });
  await t.step('"Sign out everywhere else" leaves this browser only', async () => {
    await goto(first, '#/account');
    await eventually(async () => (await count()) >= 3, 'the French, German and second browsers should be listed too', { timeout: 5000 });
    await first.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await first.getByText('You are signed out everywhere else.', { exact: false }).first().waitFor({ timeout: 10000 });
    await eventually(async () => (await count()) === 1, 'only this browser should be left', { timeout: 5000 });
    const f = await focused(first);
    assert(f.name === 'Where you are signed in', `focus should go to the list's heading, it is on ${f.tag} "${f.name}"`);
    const res = await second.context().request.get('/api/v1/me');
    assert(res.status() === 401, `the second browser should be signed out, GET /me answers ${res.status()}`);
  });
  await t.step('signing out this browser from the list leads to the sign-in page', async () => {
    await markPage(first);
    await sessions.getByRole('button', { name: /^Sign out this browser/ }).click();
    await first.waitForFunction(() => window.location.hash.startsWith('#/login'), null, { timeout: 10000 });
    await settle(first);
    await first.getByRole('main').getByText('You signed out this browser.').waitFor({ timeout: 5000 });
    await first.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    const res = await first.context().request.get('/api/v1/me');
    assert(res.status() === 401, `the browser's session should be gone, GET /me answers ${res.status()}`);
    await axe(first, 'login after signing out this browser (anonymous, 1280)');
  });
});
