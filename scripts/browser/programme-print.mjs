// The attendee programme on paper and its hall map (issue 20), in headless Chromium through
// harness.mjs (scripts/browser-test.sh passes: base URL, event id, an admin token).
//
// Print: the day sheet and a station sheet with print media emulated at the width of an A4
// sheet's printable area (210 mm less 2 × 15 mm margins): navigation, search, filters, day tabs
// and calendar links hidden; every session's time, place and title visible; nothing wider than
// the sheet or clipped; no page break inside a session; and page.pdf() in A4 makes the sheet.
//
// Map: a plan (a PNG made here) and station positions are published for the event; the
// stations page shows an SVG pin per station over the plan, each pin reachable by keyboard
// and opening its station, axe-core clean; the list stays for screen readers.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { open } from './harness.mjs';

const [base, event, admin] = process.argv.slice(2);
if (!base || !event || !admin) {
  console.error('usage: node programme-print.mjs BASE_URL EVENT ADMIN_TOKEN');
  process.exit(2);
}
const programme = `${base}/e/${event}/`;
const { page, fail, ok, expect, axe, tabTo, finish } = await open();

// 180 mm at 96 px per inch: what an A4 sheet prints across.
const SHEET_PX = Math.floor((180 / 25.4) * 96);
// What a printed sheet must not show.
const SCREEN_ONLY = ['.top nav', '.top .lang', '.filters', '.days', '.calendar', '.live', 'footer',
  '.skip', 'form[role=search]', '.search'];

async function checkPrint(name, url) {
  await page.setViewportSize({ width: SHEET_PX, height: 1100 });
  await page.goto(url);
  await page.emulateMedia({ media: 'print' });
  const report = await page.evaluate(([hidden, sheet]) => {
    const shown = (el) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 0 && box.height > 0;
    };
    const leaks = hidden.flatMap((s) => [...document.querySelectorAll(s)].filter(shown).map(() => s));
    const rows = [...document.querySelectorAll('.sessions li')].map((li) => ({
      time: !!li.querySelector('.time') && shown(li.querySelector('.time')),
      place: !!li.querySelector('.meta') && shown(li.querySelector('.meta'))
        && li.querySelector('.meta').textContent.trim().length > 0,
      title: !!li.querySelector('.title') && shown(li.querySelector('.title')),
      unbroken: getComputedStyle(li).breakInside === 'avoid',
    }));
    // Too wide: any element reaching past the sheet; clipped: text cut off by its box.
    const wide = [...document.querySelectorAll('body *')].filter(shown)
      .filter((el) => el.getBoundingClientRect().right > sheet + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    const clipped = [...document.querySelectorAll('main *')].filter(shown)
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { leaks, rows, wide, clipped, overflow: document.documentElement.scrollWidth - sheet };
  }, [SCREEN_ONLY, SHEET_PX]);
  expect(report.leaks.length === 0, `print ${name}: navigation, search, filters and day tabs hidden ${report.leaks.join(' ')}`);
  expect(report.rows.length > 0, `print ${name}: the sheet lists sessions (${report.rows.length})`);
  expect(report.rows.every((r) => r.time && r.place && r.title), `print ${name}: every session's time, place and title visible`);
  expect(report.rows.every((r) => r.unbroken), `print ${name}: no page break inside a session`);
  expect(report.wide.length === 0 && report.overflow <= 0, `print ${name}: nothing wider than the A4 sheet ${report.wide.slice(0, 5).join(' ')}`);
  expect(report.clipped.length === 0, `print ${name}: no text clipped ${report.clipped.slice(0, 5).join(' ')}`);
  const pdf = await page.pdf({ format: 'A4', margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  expect(pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 1, `print ${name}: page.pdf() in A4 makes ${pages} page(s)`);
  await page.emulateMedia({ media: 'screen' });
}

// A PNG of `width` × `height` in one light colour (the plan; only its size matters here).
function png(width, height) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xe8)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

// Publishes the event again with a plan and a position for each station or room.
async function publishPlan() {
  const auth = { authorization: `Bearer ${admin}` };
  const [width, height] = [800, 450];
  const bytes = png(width, height);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const put = await fetch(`${base}/v1/assets/${sha256}`, {
    method: 'PUT', headers: { ...auth, 'content-type': 'image/png' }, body: bytes,
  });
  if (!put.ok) throw new Error(`plan upload: ${put.status} ${await put.text()}`);
  const bundle = await (await fetch(`${base}/v1/events/${event}/bundle`)).json();
  bundle.event.venue.map = { sha256, media_type: 'image/png', bytes: bytes.length, width, height };
  const places = bundle.locations.filter((l) => l.kind !== 'hall');
  places.forEach((l, n) => { l.position = { x: (n + 1) / (places.length + 1), y: 0.5 }; });
  const published = await fetch(`${base}/v1/events/${event}/bundle`, {
    method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(bundle),
  });
  if (!published.ok) throw new Error(`publish with a plan: ${published.status} ${await published.text()}`);
  return places;
}

// An event without a hall plan: this one, or (when an earlier test gave it a plan, as the
// console's does) a copy of it published without plan and positions.
async function eventWithoutPlan() {
  const bundle = await (await fetch(`${base}/v1/events/${event}/bundle`)).json();
  if (!bundle.event.venue?.map) return event;
  const id = `${event}-ohne-plan`;
  bundle.event.id = id;
  delete bundle.event.venue.map;
  bundle.locations.forEach((l) => { delete l.position; });
  const published = await fetch(`${base}/v1/events/${id}/bundle`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(bundle),
  });
  if (!published.ok) throw new Error(`publish without a plan: ${published.status} ${await published.text()}`);
  return id;
}

async function checkMap() {
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.goto(`${base}/e/${await eventWithoutPlan()}/stations`);
  expect(await page.$('svg') === null && (await page.$$('.places a')).length > 0,
    'without a plan the stations page is the list alone');
  await page.goto(`${programme}stations`);
  const places = await publishPlan();
  // Reloaded as a visitor would: the page is cached for a minute, a reload revalidates it.
  await page.reload();
  const pins = await page.$$eval('svg a.pin', (links) => links.map((a) => a.getAttribute('href')));
  expect(pins.length === places.length, `the map has a pin per station (${pins.length} of ${places.length})`);
  expect((await page.$$('.places a')).length === places.length, 'the list alternative stays under the map');
  await axe('stations with the hall map');
  if (await tabTo('svg a.pin')) {
    ok('keyboard: Tab reaches a pin on the map');
    const name = (await page.evaluate(() => document.activeElement.textContent)).trim();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect((await page.textContent('h1')).trim() === name, `keyboard: Enter on the pin opens its station "${name}"`);
  }
}

try {
  await checkPrint('day sheet', programme);
  // A station's sheet: the station of the day's first session.
  await page.goto(programme);
  await page.goto(await page.$eval('.sessions a.title', (a) => a.href));
  await checkPrint('station sheet', await page.$eval('main a[href*="/station/"]', (a) => a.href));
  await checkMap();
} catch (e) {
  fail(`run stopped: ${e.stack || e}`);
}
await finish();
