// What the browser tests share (console.mjs, console-edit.mjs): headless Chromium with the
// console's strict CSP left on (a violation fails the run), the pass/fail record, axe-core
// for WCAG 2.1 A/AA, tabbing to an element with the keyboard only, screenshots with SCREENS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function open() {
  const failures = [];
  const fail = (what) => { failures.push(what); console.error(`FAIL ${what}`); };
  const ok = (what) => console.log(`ok   ${what}`);
  const expect = (cond, what) => (cond ? ok(what) : fail(what));

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) fail(`CSP violation: ${msg.text()}`);
  });
  page.on('pageerror', (e) => fail(`script error: ${e.message}`));

  // axe-core runs through the DevTools protocol: the page's strict CSP stays on.
  async function seriousViolations() {
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    return [result, result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')];
  }

  async function axe(name) {
    const [result, bad] = await seriousViolations();
    for (const v of bad) {
      fail(`axe ${name}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    if (bad.length === 0) ok(`axe ${name}: no serious or critical WCAG 2.1 A/AA violation (${result.passes.length} rules passed)`);
  }

  // Tabs until the focused element matches `selector` (keyboard only), at most 40 times.
  async function tabTo(selector) {
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
    }
    fail(`keyboard: could not reach ${selector} with Tab`);
    return false;
  }

  const text = () => page.textContent('main');

  // With SCREENS=DIR, the main pages are saved there as PNG (docs/screens/ in the README).
  const screens = process.env.SCREENS;
  async function shot(name) {
    if (screens) await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
  }

  // Closes the browser and ends the process: 1 when a check failed.
  async function finish() {
    await browser.close();
    if (failures.length > 0) {
      console.error(`${failures.length} browser check(s) failed`);
      process.exit(1);
    }
    console.log('browser tests: all passed');
  }

  return { page, fail, ok, expect, seriousViolations, axe, tabTo, text, shot, finish };
}
