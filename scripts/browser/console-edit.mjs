// Drives the console's programme edit pages in headless Chromium (scripts/browser-test.sh
// passes: base URL, a one-time sign-in link, the event id; the programme is the one
// console.mjs imported). The list and the edit page are checked with axe-core (no serious or
// critical WCAG 2.1 A/AA violation), with errors at a field and with a conflict; a session is
// retimed with the keyboard only; a place is renamed.
import { open } from './harness.mjs';

const [base, link, event] = process.argv.slice(2);
if (!base || !link || !event) {
  console.error('usage: node console-edit.mjs BASE_URL LINK EVENT');
  process.exit(2);
}

const { page, fail, expect, axe, tabTo, text, shot, finish } = await open();

try {
  await page.goto(link);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);

  // The list, from the navigation, filtered by one place.
  await page.click(`nav a[href$="/sessions"]`);
  expect((await text()).includes('E-Rechnung in der Kommune'), 'the sessions list shows the programme');
  await axe('sessions list');
  await page.selectOption('#station', { index: 1 });
  await Promise.all([page.waitForNavigation(), page.click('form.filter button')]);
  expect(page.url().includes('station='), 'the list is filtered by a place');
  await axe('sessions list filtered');

  // The edit page of one session; retimed with the keyboard only.
  await page.goto(`${base}/organiser/${event}/sessions/erechnung`);
  await axe('session edit');
  await shot('programmpunkt-bearbeiten');
  await page.keyboard.press('Tab'); // the skip link
  await page.keyboard.press('Enter'); // to the main content
  if (await tabTo('#start')) await page.keyboard.type('1400');
  if (await tabTo('#end')) await page.keyboard.type('1345');
  if (await tabTo('section[aria-labelledby=time-heading] button')) await page.keyboard.press('Enter');
  await page.waitForSelector('#end-error');
  expect(await page.getAttribute('#end', 'aria-invalid') === 'true', 'an end before the start is marked at its field');
  await axe('session edit with an error');
  await shot('programmpunkt-fehler');
  if (await tabTo('#end')) await page.keyboard.type('1445');
  if (await tabTo('section[aria-labelledby=time-heading] button')) await page.keyboard.press('Enter');
  await page.waitForURL(/done=saved/);
  expect(await page.inputValue('#start') === '14:00', 'keyboard: retimed to 14:00');
  expect(await page.isVisible('.message.ok'), 'the change is confirmed');

  // Two organisers: another tab renders the session now and changes its title; this page,
  // still showing the version before, then sends its own title.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await other.fill('#title', 'E-Rechnung: Praxisbericht');
  await Promise.all([other.waitForNavigation(), other.click('section[aria-labelledby=text-heading] button')]);
  await other.close();
  await page.fill('#title', 'E-Rechnung für alle');
  await Promise.all([page.waitForNavigation(), page.click('section[aria-labelledby=text-heading] button')]);
  expect(await page.isVisible('section.conflict'), 'the second edit shows the conflict');
  expect((await page.textContent('section.conflict')).includes('E-Rechnung: Praxisbericht'), 'with the current version');
  expect(await page.inputValue('#title') === 'E-Rechnung für alle', 'and their own input kept');
  await axe('session edit with a conflict');
  await shot('programmpunkt-konflikt');

  // A place: renamed from the list's link.
  await page.goto(`${base}/organiser/${event}/sessions`);
  await Promise.all([page.waitForNavigation(), page.click('section[aria-labelledby=places-heading] li:first-child a')]);
  await axe('place edit');
  await page.fill('#name', '');
  await Promise.all([page.waitForNavigation(), page.click('main button.primary')]);
  expect(await page.getAttribute('#name', 'aria-invalid') === 'true', 'a place without a name is marked at its field');
  await axe('place edit with an error');
  await page.fill('#name', 'Bühne in der Markthalle');
  await Promise.all([page.waitForNavigation(), page.click('main button.primary')]);
  expect(await page.isVisible('.message.ok'), 'the place is renamed');
} catch (e) {
  fail(`unexpected: ${e.stack || e}`);
} finally {
  await finish();
}
