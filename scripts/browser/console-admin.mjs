// Drives the console's releases page (revert with its confirmation step), the access code on
// the access page, the device count on the overview, and an XLSX import made at test time
// (scripts/browser/make-xlsx.py), in headless Chromium; axe-core on every page (no serious or
// critical WCAG 2.1 A/AA violation). scripts/browser-test.sh starts the server and passes:
// base URL, a one-time sign-in link, the XLSX file, the event id.
import { open } from './harness.mjs';

const [base, link, xlsxPath, event] = process.argv.slice(2);
if (!base || !link || !xlsxPath || !event) {
  console.error('usage: node console-admin.mjs BASE_URL LINK XLSX EVENT');
  process.exit(2);
}

const { page, fail, ok, expect, axe, text, finish } = await open();
const submit = (selector) => Promise.all([page.waitForNavigation(), page.click(selector)]);

try {
  await page.goto(link);
  await submit('main button[type=submit]');
  if (page.url() !== `${base}/organiser/${event}/`) throw new Error(`after sign-in: ${page.url()}: ${await text()}`);
  ok('signed in by link');

  // An XLSX programme, uploaded in the import page: previewed, then published.
  await page.goto(`${base}/organiser/${event}/import`);
  await page.setInputFiles('#file', xlsxPath);
  await page.fill('#source', 'tabelle');
  await submit('main button[type=submit]');
  expect((await text()).includes('tabelle-ozg'), 'the XLSX preview lists its sessions');
  await axe('XLSX import preview');
  await page.fill('#note', 'Aus der Tabelle');
  await submit('main button.primary');
  expect(/\/\?released=\d+$/.test(page.url()), 'the XLSX import is a release');

  // Again, with one title changed: a second release to revert from.
  await page.goto(`${base}/organiser/${event}/import`);
  await page.setInputFiles('#file', process.env.XLSX_CHANGED || xlsxPath);
  await page.fill('#source', 'tabelle');
  await submit('main button[type=submit]');
  await page.fill('#note', 'Zweiter Stand');
  await submit('main button.primary');

  // The overview has the device count (the browser polls nothing: the figures are zero).
  expect((await text()).includes('Geräte'), 'the overview has the device count');
  await axe('overview with devices');

  // Releases: listed, reverted after the confirmation step.
  await page.click('nav a[href$="/releases"]');
  expect((await text()).includes('Aus der Tabelle'), 'the releases page lists the first release');
  await axe('releases');
  await page.click('a[href$="/releases/revert?to=1"]');
  expect((await text()).includes('Zurücksetzen auf Veröffentlichung 1'), 'the confirmation step names the release');
  await axe('revert confirmation');
  await page.fill('#note', 'Zurück zu 1');
  await submit('main button.primary');
  expect((await text()).includes('Zurückgesetzt'), 'reverted: a new release');
  expect((await text()).includes('Zurück zu 1'), 'the revert is listed with its note');
  await axe('releases after revert');

  // Access code: set, then removed.
  await page.click('nav a[href$="/access"]');
  expect((await text()).includes('ist öffentlich'), 'the event is public');
  await page.fill('#access-code', 'kurz');
  await page.evaluate(() => document.querySelector('#access-code').removeAttribute('minlength'));
  await submit('button[value=set]');
  expect((await page.textContent('.message')).includes('8 bis 64'), 'a short code is refused with the rule');
  await axe('access with an error');
  await page.fill('#access-code', 'Markthalle 2027');
  await submit('button[value=set]');
  expect((await text()).includes('mit einem Zugangscode geschützt'), 'the code is set');
  const locked = await page.request.get(`${base}/v1/events/${event}/head`);
  expect(locked.status() === 401, 'the event is read only with the code (401)');
  await axe('access with a code');
  await submit('button[value=remove]');
  expect((await text()).includes('Der Zugangscode ist entfernt'), 'the code is removed');
  const head = await page.request.get(`${base}/v1/events/${event}/head`);
  expect(head.status() === 200, 'the event is public again');
} catch (e) {
  fail(`unexpected: ${e.stack || e}`);
} finally {
  await finish();
}
