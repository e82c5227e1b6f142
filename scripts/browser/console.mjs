// Drives the organiser console in headless Chromium (scripts/browser-test.sh starts the server
// and passes: base URL, a one-time sign-in link, the CSV file to import, the event id).
// Every page is checked with axe-core for WCAG 2.1 A/AA (no serious or critical violation);
// import and announce are done with the keyboard only (the file itself is chosen by the test:
// the system's file dialog is not part of the page). A CSP violation fails the run.
import { open } from './harness.mjs';

const [base, link, csvPath, event] = process.argv.slice(2);
if (!base || !link || !csvPath || !event) {
  console.error('usage: node console.mjs BASE_URL LINK CSV EVENT');
  process.exit(2);
}

const { page, fail, ok, expect, seriousViolations, axe, tabTo, text, shot, finish } = await open();

try {
  // Sign in by link.
  await page.goto(link);
  expect(await page.getAttribute('html', 'lang') === 'de', 'sign-in page is German (lang="de")');
  await axe('sign-in');
  await shot('anmelden');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.classList.contains('skip')), 'the first Tab reaches the skip link');
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  if (page.url() !== `${base}/organiser/${event}/`) throw new Error(`after sign-in: ${page.url()}: ${await text()}`);
  ok('signed in by link');
  await axe('overview');

  // English by the switch, then back.
  await page.click('.lang a');
  expect(await page.getAttribute('html', 'lang') === 'en', 'the switch shows English (lang="en")');
  expect((await text()).includes('Overview'), 'overview in English');
  await axe('overview (en)');
  await page.click('.lang a');
  expect(await page.getAttribute('html', 'lang') === 'de', 'and back to German');

  // Import a CSV: preview, then confirm, with the keyboard.
  await page.goto(`${base}/organiser/${event}/import`);
  await axe('import');
  // The check can fail: a field stripped of its label is reported.
  await page.evaluate(() => document.querySelector('label[for=source]').remove());
  const [, unlabelled] = await seriousViolations();
  expect(unlabelled.some((v) => v.id === 'label'), 'axe reports a field without a label (the check can fail)');
  await page.reload();
  await page.keyboard.press('Tab'); // the skip link
  await page.keyboard.press('Enter'); // to the main content
  // An empty form: the errors are tied to their fields.
  if (await tabTo('main button[type=submit]')) await page.keyboard.press('Enter');
  await page.waitForLoadState();
  expect(await page.getAttribute('#source', 'aria-invalid') === 'true', 'an empty import form marks the source field invalid');
  await axe('import with errors');
  await page.setInputFiles('#file', csvPath);
  if (await tabTo('#source')) await page.keyboard.type('programm');
  if (await tabTo('main button[type=submit]')) await page.keyboard.press('Enter');
  await page.waitForSelector('input[name=pending]', { state: 'attached' });
  expect((await text()).includes('session: erechnung'), 'the preview lists the sessions to be added');
  await axe('import preview');
  await shot('import-vorschau');
  if (await tabTo('#note')) await page.keyboard.type('Erster Stand aus der Tabelle');
  if (await tabTo('main button.primary')) await page.keyboard.press('Enter');
  await page.waitForURL(/\/\?released=\d+$/);
  expect((await text()).includes('Veröffentlicht als Release'), 'confirmed: a release');
  expect((await text()).includes('Erster Stand aus der Tabelle'), 'the release note is listed');
  await axe('overview after import');
  await shot('uebersicht');

  // Announce with the keyboard: compose, preview, publish.
  await page.goto(`${base}/organiser/${event}/announce`);
  await axe('announce');
  if (await tabTo('#title')) await page.keyboard.type('Häppchen im Foyer');
  if (await tabTo('#body')) await page.keyboard.type('Bis 14 Uhr an Station 2.');
  if (await tabTo('input[name=priority]')) await page.keyboard.press('ArrowDown');
  expect(await page.isChecked('input[value=urgent]'), 'keyboard: priority urgent chosen with the arrow key');
  if (await tabTo('button[value=preview]')) await page.keyboard.press('Enter');
  await page.waitForSelector('.preview');
  expect((await page.textContent('.preview')).includes('Häppchen im Foyer'), 'the preview shows the card');
  await axe('announce preview');
  await shot('durchsage-vorschau');
  if (await tabTo('button[value=publish]')) await page.keyboard.press('Enter');
  await page.waitForURL(/done=announced/);
  expect((await page.textContent('.live')).includes('Häppchen im Foyer'), 'published: listed as live');
  await axe('announce after publishing');

  // Access: the signed-in browsers and the event's tokens.
  await page.click('nav a[href$="/access"]');
  expect((await text()).includes('diese Sitzung'), 'the access page lists this session');
  await axe('access');
  await page.fill('#phone-name', 'Telefon Anna');
  await Promise.all([page.waitForNavigation(), page.click('section[aria-labelledby=phone] button')]);
  expect(await page.isVisible('figure.qr img'), 'a phone token is shown as a QR code');
  await axe('phone QR code');

  // Sign out: the session is over.
  await page.click('.sign-out button');
  await page.waitForLoadState();
  expect((await text()).includes('abgemeldet'), 'signed out');
  await axe('signed out');
  const after = await page.goto(`${base}/organiser/${event}/`);
  expect(after.status() === 401, 'after sign-out the overview asks to sign in (401)');
} catch (e) {
  fail(`unexpected: ${e.stack || e}`);
} finally {
  await finish();
}
