// Drives the console's gallery and hall map in headless Chromium (scripts/browser-test.sh
// passes: base URL, a one-time sign-in link, the event id, the folder make-images.py wrote;
// the programme is the one console.mjs imported). Photos are uploaded several at once, a bad
// one is named, a caption is edited and a photo removed; the plan is uploaded and a station
// placed by a click on it, another by numbers with the keyboard only; an exhibitor's contact
// and logo and an info page are edited. Each page is checked
// with axe-core (no serious or critical WCAG 2.1 A/AA violation).
import { open } from './harness.mjs';

const [base, link, event, images] = process.argv.slice(2);
if (!base || !link || !event || !images) {
  console.error('usage: node console-media.mjs BASE_URL LINK EVENT IMAGES_DIR');
  process.exit(2);
}

const { page, fail, expect, axe, tabTo, text, shot, finish } = await open();
const submit = (selector) => Promise.all([page.waitForNavigation(), page.click(selector)]);

try {
  await page.goto(link);
  await submit('main button[type=submit]');

  // The gallery: two photos at once, each with its caption line.
  await page.click(`nav a[href$="/gallery"]`);
  await axe('gallery, empty');
  await page.setInputFiles('#photos', [`${images}/eroeffnung.png`, `${images}/markthalle.png`]);
  await page.fill('#captions', 'Eröffnung in der Markthalle\nBlick in die Halle');
  await submit('section[aria-labelledby=upload-heading] button');
  expect(page.url().includes('done=added'), 'two photos uploaded');
  expect(await page.locator('ul.gallery li').count() === 2, 'both are in the gallery');
  expect(await page.inputValue('#caption-1') === 'Eröffnung in der Markthalle', 'with their captions');
  const loaded = await page.evaluate(() => [...document.querySelectorAll('ul.gallery img')].every((img) => img.complete && img.naturalWidth > 0));
  expect(loaded, 'the thumbnails are served');
  await axe('gallery with photos');
  await shot('console-gallery');

  // A cut-off photo next to a whole one: refused, named at the field, neither kept.
  await page.setInputFiles('#photos', [`${images}/eroeffnung.png`, `${images}/abgeschnitten.png`]);
  await submit('section[aria-labelledby=upload-heading] button');
  expect((await page.textContent('#photos-error')).includes('„abgeschnitten.png“'), 'the bad file is named');
  expect(await page.getAttribute('#photos', 'aria-invalid') === 'true', 'at its field');
  expect(await page.locator('ul.gallery li').count() === 2, 'and no photo of that upload is kept');
  await axe('gallery with a refused upload');

  // A caption edited with the keyboard only.
  await page.goto(`${base}/organiser/${event}/gallery`);
  if (await tabTo('#caption-2')) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Die Halle am Morgen');
  }
  if (await tabTo('#save-2')) await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(page.url().includes('done=caption'), 'keyboard: the caption is saved');
  expect(await page.inputValue('#caption-2') === 'Die Halle am Morgen', 'and shown');

  // A photo removed after its confirmation page.
  await submit('#remove-1');
  await axe('remove photo');
  await submit('main button.primary');
  expect(page.url().includes('done=removed'), 'the photo is removed');
  expect(await page.locator('ul.gallery li').count() === 1, 'one photo left');
  expect(!(await text()).includes('Eröffnung in der Markthalle'), 'the removed one is gone');

  // An exhibitor: imported from the example list (a source of its own, dated by
  // make-images.py), its contact checked at its field, then saved with a logo.
  await page.goto(`${base}/organiser/${event}/import`);
  await page.fill('#source', 'aussteller');
  await page.setInputFiles('#file', `${images}/aussteller.csv`);
  await page.click('main button[type=submit]');
  await page.waitForSelector('input[name=pending]', { state: 'attached' });
  await Promise.all([page.waitForURL(/released=/), page.click('main button.primary')]);
  await page.goto(`${base}/organiser/${event}/edit/exhibitors`);
  await axe('exhibitors');
  const exhibitorLinks = page.locator('main li a');
  expect(await exhibitorLinks.count() > 0, 'the imported exhibitors are listed');
  await submit('main li:first-child a');
  await axe('exhibitor edit');
  await page.fill('#website', 'javascript:alert(1)');
  await page.fill('#email', 'kommunen@beispiel.de');
  await page.fill('#phone', '+49 4221 99-0');
  await submit('main button.primary');
  expect(await page.getAttribute('#website', 'aria-invalid') === 'true', 'a script address is marked at its field');
  expect(await page.inputValue('#email') === 'kommunen@beispiel.de', 'the other input is kept');
  await axe('exhibitor edit with an error');
  await page.fill('#website', 'https://www.beispiel.de');
  await page.setInputFiles('#logo', `${images}/markthalle.png`);
  await submit('main button.primary');
  expect(page.url().includes('done=saved'), 'the exhibitor is saved');
  expect(await page.isVisible('img.logo'), 'with its logo');

  // The hall map: the plan uploaded, a station placed by a click on it.
  await page.click(`nav a[href$="/map"]`);
  await axe('hall map without a plan');
  await page.setInputFiles('#plan', `${images}/hallenplan.png`);
  await submit('section[aria-labelledby=plan-heading] button');
  expect(page.url().includes('done=plan'), 'the plan is uploaded');
  const plan = page.locator('details[open] input[type=image]');
  const station = await plan.getAttribute('data-station');
  const box = await plan.boundingBox();
  expect(Math.round(box.width) === 802 || Math.round(box.width) === 800, `the plan is shown at its own size (${box.width})`);
  await Promise.all([page.waitForNavigation(), page.mouse.click(box.x + 1 + 200, box.y + 1 + 100)]);
  expect(page.url().includes('done=placed'), `station ${station} placed by a click`);
  const placed = await page.inputValue('#x-1');
  expect(Math.abs(Number(placed) - 25) <= 0.5, `at 25 % from the left (${placed})`);
  expect(Math.abs(Number(await page.inputValue('#y-1')) - 25) <= 0.5, 'and 25 % from the top');
  await axe('hall map with a plan');
  await shot('console-map');

  // The accessible alternative: numbers typed with the keyboard only.
  await page.goto(`${base}/organiser/${event}/map`);
  if (await tabTo('#x-2')) await page.keyboard.type('50');
  if (await tabTo('#y-2')) await page.keyboard.type('75');
  if (await tabTo('tr:nth-child(2) button')) await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(page.url().includes('done=placed'), 'keyboard: placed by numbers');
  expect(await page.inputValue('#x-2') === '50.0' && await page.inputValue('#y-2') === '75.0', 'at 50 %, 75 %');

  // Info pages: one added, then moved and edited; the keyboard reaches the fields.
  await page.goto(`${base}/organiser/${event}/edit/info`);
  await axe('info pages');
  await page.fill('#title-new', 'Anreise');
  await page.fill('#body-new', 'Bus 201 bis Markthalle.');
  await page.fill('#order-new', '5');
  await submit('section[aria-labelledby=new-heading] button');
  expect(page.url().includes('done=added'), 'an info page is added');
  const heading = page.locator('section.info-page h2', { hasText: 'Anreise' });
  const id = (await heading.getAttribute('id')).replace('page-', '');
  if (await tabTo(`#order-${id}`)) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0');
  }
  await page.fill(`#body-${id}`, 'Bus 201 bis Markthalle, alle zehn Minuten.');
  await submit(`section[aria-labelledby="page-${id}"] button.primary`);
  expect(page.url().includes('done=saved'), 'keyboard: the info page is moved and edited');
  await axe('info pages after an edit');

  // Attendees see the plan with the pins on the programme's stations page.
  await page.goto(`${base}/e/${event}/stations`);
  expect(await page.locator('figure.plan circle').count() >= 2, 'the attendee programme shows the placed stations');
  await page.goto(`${base}/e/${event}/info`);
  expect((await page.textContent('main')).includes('alle zehn Minuten'), 'and the info page');
} catch (e) {
  fail(`unexpected: ${e.stack || e}`);
} finally {
  await finish();
}
