/// <reference lib="dom" />
/**
 * Debian's Chromium, headless, driven by playwright-core (never a downloaded browser), for the
 * console's tests; and the page checks they share (labels, contrast, keyboard). A missing browser
 * fails the test loudly: scripts/test.sh installs `chromium`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Screenshots land here (gitignored); CI keeps the folder as the run's artefacts. */
export const artefactsDir = new URL('../artefacts/console/', import.meta.url).pathname;

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time, a phone-sized viewport unless told otherwise. */
export async function launchChromium(viewport = { width: 390, height: 844 }, options: { ignoreHTTPSErrors?: boolean } = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium (scripts/test.sh does) or set CHROMIUM_PATH`);
  const profile = mkdtempSync(join(tmpdir(), 'esa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    // Only for tests of the LAN door with a throw-away self-signed certificate.
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
  });
  // tsx compiles the tests with esbuild's keepNames, which wraps functions in `__name(…)`; the
  // functions handed to page.evaluate run in the page, where that helper must exist too.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artefactsDir, { recursive: true });
  await page.screenshot({ path: join(artefactsDir, `${name}.png`), fullPage: true });
}

/** Form controls without a label (a <label for>, a wrapping label, aria-label or aria-labelledby). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((control) => control.type !== 'hidden')
      .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
      .map((control) => control.outerHTML),
  );
}

/**
 * Every visible text's colour against the background it is drawn on (the first opaque background
 * up the tree), as WCAG 2.1 contrast ratios; returns those under 4.5:1 (AA for normal text).
 */
export function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (text: string): [number, number, number, number] => {
      const parts = (/rgba?\(([^)]+)\)/.exec(text)?.[1] ?? '0,0,0,0').split(/[\s,/]+/).filter((part) => part !== '').map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: readonly number[]): number => {
      const channel = (value: number): number => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
    };
    const background = (element: Element | null): [number, number, number, number] => {
      for (let node = element; node !== null; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour[3] > 0.99) return colour;
      }
      return [255, 255, 255, 1];
    };
    const failures: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const element = node.parentElement;
      if (element === null || (node.textContent ?? '').trim() === '') continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      const fore = luminance(rgb(style.color));
      const back = luminance(background(element));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      if (ratio < 4.5) failures.push(`${ratio.toFixed(2)}:1 "${(node.textContent ?? '').trim().slice(0, 40)}" (${style.color} on ${getComputedStyle(element).backgroundColor})`);
    }
    return failures;
  });
}

/**
 * Tabs through the page from the top; returns the controls Tab never reached (of every visible,
 * enabled link, button and form control) and those that showed no focus outline when reached.
 */
async function keyboardWalk(page: Page): Promise<{ unreached: string[]; invisible: string[]; rerendered: boolean }> {
  const expected = await page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')];
    return all
      .filter((element) => !(element as HTMLButtonElement).disabled && element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
      .map((element, index) => (element.dataset['kbd'] = String(index)));
  });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const reached = new Set<string>();
  const invisible: string[] = [];
  for (let step = 0; step < expected.length + 10; step++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (element === null || element === document.body) return undefined;
      const style = getComputedStyle(element);
      return { id: element.dataset['kbd'] ?? '', visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, html: element.outerHTML.slice(0, 80) };
    });
    if (focused === undefined) continue;
    reached.add(focused.id);
    if (!focused.visible) invisible.push(focused.html);
  }
  const unreached = expected.filter((id) => !reached.has(id));
  // A control that is gone was replaced by a re-render during the walk (the inbox reloads every 5 s).
  const rerendered = await page.evaluate((ids) => ids.some((id) => document.querySelector(`[data-kbd="${id}"]`) === null), unreached);
  return {
    rerendered,
    unreached: await page.evaluate((ids) => ids.map((id) => document.querySelector(`[data-kbd="${id}"]`)?.outerHTML.slice(0, 80) ?? id), unreached),
    invisible,
  };
}

/**
 * Tab through the page and report controls Tab never reached and focus rings that are not visible.
 * A walk during which the page re-rendered some controls (a periodic reload) says nothing about them,
 * so it is walked again, at most three times in all.
 */
export async function keyboardGaps(page: Page): Promise<{ unreached: string[]; invisible: string[] }> {
  for (let attempt = 1; ; attempt++) {
    const { rerendered, ...gaps } = await keyboardWalk(page);
    if (!rerendered || attempt === 3) return gaps;
  }
}
