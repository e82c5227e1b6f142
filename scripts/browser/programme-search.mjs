// Search on the attendee programme (issue 20) in headless Chromium: typing in the search form
// shows the server's highlighted hits as you type (a typo forgiven, a compound part found),
// keyboard only from the form to a hit, Enter without script's help opens the search page,
// axe-core finds no serious or critical WCAG 2.1 A/AA violation with results shown, and
// offline the search says it needs a connection. scripts/browser-test.sh passes: base URL,
// event id (the programme console.mjs published from docs/examples/programm.csv).
import { open } from './harness.mjs';

const [base, event] = process.argv.slice(2);
if (!base || !event) {
  console.error('usage: node programme-search.mjs BASE_URL EVENT');
  process.exit(2);
}
const { page, fail, expect, axe, tabTo, text, finish } = await open();
page.on('response', async (response) => {
  if (!response.url().startsWith(base)) fail(`a request to another origin: ${response.url()}`);
  const cookie = await response.headerValue('set-cookie');
  if (cookie) fail(`${response.url()} set a cookie: ${cookie}`);
});
const programme = `${base}/e/${event}/`;
const marks = () => page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent));

try {
  await page.goto(programme);
  expect(await page.isVisible('form[role=search] label[for=search-q]'), 'every programme page has a labelled search form');

  // Keyboard only: Tab to the field, type with a typo, the hits appear as you type.
  if (await tabTo('#search-q')) {
    await page.keyboard.type('Digitalisirung', { delay: 40 });
    await page.waitForSelector('#search-results mark', { timeout: 5000 });
    const typo = await marks();
    expect(typo.some((m) => /Digitalisierung/.test(m)), `one typo is forgiven, the hit underlined (${typo})`);
    expect(await page.getAttribute('#search-results', 'aria-live') === 'polite', 'the results are announced politely');
    await axe('programme with hits shown');
    // From the field to the first hit with Tab, and Enter opens it.
    const first = (await page.textContent('#search-results a.title')).trim();
    if (await tabTo('#search-results a.title')) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect((await page.textContent('h1')).trim() === first, `keyboard: Tab and Enter open the hit "${first}"`);
    }
  }

  // A compound part: "pflicht" is inside "E-Rechnungspflicht" in a session's text.
  await page.goto(programme);
  await page.fill('#search-q', '');
  await page.type('#search-q', 'pflicht', { delay: 30 });
  await page.waitForFunction(() => /pflicht/i.test(document.querySelector('#search-results')?.textContent ?? ''), null, { timeout: 5000 });
  const compound = await marks();
  expect(compound.some((m) => /pflicht/i.test(m)), `a compound's part is found and underlined (${compound})`);
  // Clearing the field clears the hits.
  await page.fill('#search-q', '');
  await page.dispatchEvent('#search-q', 'input');
  await page.waitForFunction(() => document.querySelector('#search-results').textContent.trim() === '', null, { timeout: 5000 });
  expect(true, 'clearing the field clears the hits');

  // The form works as a plain GET form: Enter opens the search page.
  await page.fill('#search-q', 'Rechnung');
  await Promise.all([page.waitForNavigation(), page.press('#search-q', 'Enter')]);
  expect(page.url().includes('/search?') && /Rechnung/.test(await text()), `Enter opens the search page (${page.url()})`);
  expect((await marks()).length > 0, 'the search page underlines its hits');
  expect(await page.inputValue('#search-q') === 'Rechnung', 'the search page keeps the query in the field');
  await axe('search page');

  // Offline: the service worker says search needs a connection (results are not kept).
  await page.goto(programme);
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await page.context().setOffline(true);
  await page.fill('#search-q', '');
  await page.type('#search-q', 'Kommune', { delay: 30 });
  await page.waitForFunction(() => /Verbindung/.test(document.querySelector('#search-results')?.textContent ?? ''), null, { timeout: 5000 })
    .then(() => expect(true, 'offline, typing says search needs a connection'))
    .catch(() => fail('offline, typing does not say search needs a connection'));
  await page.goto(`${programme}search?q=Kommune&lang=de`).catch(() => null);
  expect(/braucht eine Verbindung/.test(await page.textContent('body')), 'offline, the search page says search needs a connection');
  await page.context().setOffline(false);
} catch (e) {
  fail(`run stopped: ${e.stack || e}`);
}
await finish();
