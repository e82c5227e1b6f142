// Drives the attendee programme (issue 20) in headless Chromium on a phone-sized viewport
// (scripts/browser-test.sh starts the server, publishes the example programme through the
// console, and passes: base URL, event id). The programme, a session, a station, the other
// pages and the language switch are each checked with axe-core for WCAG 2.1 A/AA (no serious
// or critical violation); a session is opened by keyboard only; and the programme is reopened
// offline after one visit (the service worker's cache) showing the same content. No page may
// set a cookie or violate its CSP.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// With CODE, the event is protected by it: only the access-code flow is checked.
const [base, event, code] = process.argv.slice(2);
if (!base || !event) {
  console.error('usage: node programme.mjs BASE_URL EVENT [CODE]');
  process.exit(2);
}

const failures = [];
const fail = (what) => { failures.push(what); console.error(`FAIL ${what}`); };
const ok = (what) => console.log(`ok   ${what}`);
const expect = (cond, what) => (cond ? ok(what) : fail(what));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({
  locale: 'de-DE',
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
});
const page = await context.newPage();
page.on('console', (msg) => {
  if (/Content Security Policy|Refused to/i.test(msg.text())) fail(`CSP violation: ${msg.text()}`);
});
page.on('pageerror', (e) => fail(`script error: ${e.message}`));
page.on('response', async (response) => {
  const cookie = await response.headerValue('set-cookie');
  if (cookie) fail(`${response.url()} set a cookie: ${cookie}`);
  if (!response.url().startsWith(base)) fail(`a request to another origin: ${response.url()}`);
});

async function axe(name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    fail(`axe ${name}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  if (bad.length === 0) ok(`axe ${name}: no serious or critical WCAG 2.1 A/AA violation (${result.passes.length} rules passed)`);
}

async function tabTo(selector) {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  fail(`keyboard: could not reach ${selector} with Tab`);
  return false;
}

const main = () => page.textContent('main');
const screens = process.env.SCREENS;
async function shot(name) {
  if (screens) await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
}

const programme = `${base}/e/${event}/`;

// A protected event: the form asks once, a wrong code is said to be wrong, the right one
// opens the programme (sent by the service worker as the gate's header), offline too.
async function protectedFlow() {
  const first = await page.goto(programme);
  expect(first.status() === 401 && /Zugangscode/.test(await page.textContent('h1')), 'a protected programme asks for the access code');
  await axe('access code form');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.fill('#code', 'falsch-falsch');
  await Promise.all([page.waitForEvent('load'), page.click('form.access-code button')]);
  expect(await page.isVisible('.wrong'), 'a wrong code is said to be wrong');
  await page.fill('#code', code);
  await Promise.all([page.waitForEvent('load'), page.click('form.access-code button')]);
  await page.waitForSelector('.sessions', { timeout: 5000 });
  const online = await main();
  expect(/E-Rechnung in der Kommune/.test(online), 'the right code opens the programme');
  expect((await context.cookies()).length === 0, 'the code is not a cookie');
  await page.goto(`${programme}session/erechnung`);
  expect(/E-Rechnung in der Kommune/.test(await main()), 'the next page opens with the kept code');
  await context.setOffline(true);
  await page.goto(programme);
  expect((await main()) === online, 'offline, the protected programme shows the same content');
  await context.setOffline(false);
}

// The public event: every page, the filter, the keyboard, the language switch, offline.
async function publicFlow() {
  await page.goto(programme);
  expect(await page.getAttribute('html', 'lang') === 'de', 'the programme is German for a German browser');
  const agenda = await main();
  expect(/Programm/.test(agenda) && /E-Rechnung in der Kommune/.test(agenda), 'the programme lists the published sessions');
  expect(/Stand:/.test(await page.textContent('footer')), 'the page says when its content was last updated');
  const webcal = await page.getAttribute('a[data-webcal]', 'href');
  expect(webcal?.startsWith('webcal://'), `the calendar link subscribes (${webcal})`);
  await axe('programme');
  await shot('programm-handy');

  // Filter by place with the form (works without script: a GET form).
  const place = await page.$eval('#location option:nth-child(2)', (o) => [o.value, o.textContent]);
  await page.selectOption('#location', place[0]);
  await Promise.all([page.waitForNavigation(), page.click('.filters button[type=submit]')]);
  const filtered = await page.$$eval('.day .sessions .meta', (metas) => metas.map((m) => m.textContent));
  expect(filtered.length > 0 && filtered.every((m) => m.includes(place[1])), `the place filter shows only ${place[1]}`);
  await axe('programme filtered');

  // Keyboard only: Tab to the first session and open it.
  await page.goto(programme);
  const firstTitle = (await page.textContent('.day .sessions a.title')).trim();
  if (await tabTo('.day .sessions a.title')) {
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect((await page.textContent('h1')).trim() === firstTitle, `keyboard: Tab and Enter open the session "${firstTitle}"`);
  }
  await page.goto(`${programme}session/erechnung`);
  const session = await main();
  expect(/E-Rechnung in der Kommune/.test(session) && /Station 3/.test(session), 'a session shows its title and place');
  await axe('session');
  await shot('sitzung-handy');

  await Promise.all([page.waitForNavigation(), page.click('dd a[href*="/station/"]')]);
  expect(/Station 3/.test(await page.textContent('h1')), 'the session links to its station');
  expect(/E-Rechnung in der Kommune/.test(await main()), 'the station lists its sessions');
  await axe('station');
  await shot('station-handy');

  for (const [path, name] of [['stations', 'stations'], ['speakers', 'speakers'], ['info', 'info']]) {
    await page.goto(`${programme}${path}`);
    await axe(name);
  }

  // The language switch: a link, no cookie.
  await page.goto(programme);
  await Promise.all([page.waitForNavigation(), page.click('.lang a')]);
  expect(await page.getAttribute('html', 'lang') === 'en' && /Programme/.test(await page.textContent('h1')), 'the switch shows the programme in English');
  await axe('programme (English)');
  expect((await context.cookies()).length === 0, 'no cookie was ever set');

  // Offline after one visit: the service worker keeps the programme.
  await page.goto(programme);
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await page.evaluate(() => navigator.serviceWorker.ready);
  const online = await main();
  await context.setOffline(true);
  await page.reload();
  const offline = await main();
  expect(offline === online, 'reopened offline, the programme shows the same content');
  await page.goto(`${programme}session/erechnung`);
  expect(/E-Rechnung in der Kommune/.test(await main()), 'a session visited before opens offline');
  await context.setOffline(false);
}

try {
  await (code ? protectedFlow() : publicFlow());
} catch (e) {
  fail(`run stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}

if (failures.length > 0) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('programme: all browser checks passed');
