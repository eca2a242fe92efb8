import type { Locator, Page } from 'playwright-core';

/** What has focus, and whether a sighted keyboard user can see that it has (WCAG 2.4.7 Focus Visible). */
export interface FocusStop {
  description: string;
  visible: boolean;
  indicator: string;
}

/**
 * Read in the page. A focus indicator is an outline (not `none`, wider than 0) or a box-shadow, on the element, on
 * its ::before/::after, or — for controls that design systems draw themselves (AgDS's checkboxes and radios hide
 * the native input and style the box next to it with `input:focus-visible + span`) — on its next sibling or its
 * parent. (A string: the Node side's type-check has no DOM library.)
 */
const READ_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { description: 'body', visible: false, indicator: 'nothing focused' };
  const shows = (target, pseudo) => {
    if (!target) return undefined;
    const s = getComputedStyle(target, pseudo);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;
    if (s.boxShadow && s.boxShadow !== 'none') return 'box-shadow ' + s.boxShadow;
    return undefined;
  };
  const indicator = shows(el) || shows(el, '::before') || shows(el, '::after') ||
    shows(el.nextElementSibling) || shows(el.parentElement);
  const name = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent) ||
    el.textContent || el.getAttribute('name') || '';
  const description = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.type ? '[' + el.type + ']' : '') +
    ' "' + name.trim().replace(/\\s+/g, ' ').slice(0, 60) + '"';
  return { description, visible: Boolean(indicator), indicator: indicator || 'none' };
})()`;

export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(READ_FOCUS) as Promise<FocusStop>;
}

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false);
}

/** Fails unless the focused element shows that it is focused. */
export async function assertFocusVisible(page: Page): Promise<FocusStop> {
  const stop = await focusStop(page);
  if (!stop.visible) throw new Error(`Focus is not visible on ${stop.description} (${page.url()})`);
  return stop;
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, checking at every stop on the way that focus is visible —
 * the path a keyboard user takes, not only where they end up. Fails after `max` presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { backwards?: boolean; max?: number } = {},
): Promise<FocusStop[]> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  const stops: FocusStop[] = [];
  for (let presses = 0; presses < (options.max ?? 80); presses++) {
    if (await isFocused(target)) return stops;
    await page.keyboard.press(key);
    const stop = await focusStop(page);
    if (stop.description !== 'body' && !stop.visible) {
      throw new Error(`Focus is not visible on ${stop.description} (${page.url()}); stops so far:\n${describe(stops)}`);
    }
    stops.push(stop);
  }
  throw new Error(`${key} did not reach ${target} in ${options.max ?? 80} presses; stops:\n${describe(stops)}`);
}

function describe(stops: FocusStop[]): string {
  return stops.map((s) => `  ${s.description}: ${s.indicator}`).join('\n');
}

/** Whether focus is on `locator` or inside it (a component may focus its own inner element). */
export async function containsFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.contains(el.ownerDocument.activeElement)).catch(() => false);
}
