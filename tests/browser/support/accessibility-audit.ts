import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** WCAG 2.0, 2.1 and 2.2 A and AA: the issue's bar (axe tags each rule with the levels it checks). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Impact = 'critical' | 'serious' | 'moderate' | 'minor';
const IMPACTS: Impact[] = ['critical', 'serious', 'moderate', 'minor'];
const BLOCKING: ReadonlySet<string> = new Set(['critical', 'serious']);

export interface PageAudit {
  label: string;
  url: string;
  counts: Record<Impact, number>;
}

/**
 * Runs axe on a page in the state the test has brought it to, records the counts, and fails on any serious or
 * critical violation with what axe found (rule, help, the elements). Moderate and minor findings are printed, not
 * failed: the issue's bar is zero serious or critical.
 *
 * It also records every address the browser showed (including the single-page app's own navigations), so a test
 * file can assert at the end that no page was visited without being scanned.
 */
export class AccessibilityAudit {
  readonly audits: PageAudit[] = [];
  /** Page states this file shows but leaves to another file of `npm test` that scans them (see `coveredBy`). */
  readonly covered: { label: string; url: string; file: string }[] = [];
  private readonly visited = new Set<string>();

  /** Pages that only flash by on the way somewhere else (the OIDC callback exchanges the code and moves on). */
  constructor(private readonly transient: RegExp[] = [/^\/auth\/callback$/]) {}

  /** Records the page's addresses as the browser navigates (full loads and history API changes alike). */
  track(page: Page): void {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith('http')) this.visited.add(pageKey(frame.url()));
    });
  }

  async check(page: Page, label: string): Promise<PageAudit> {
    const started = performance.now();
    const frames = page.frames().length;
    const results = await scan(page, frames);
    // Its time is printed because scans are a large share of a browser file's time (test:slowest says which files).
    const ms = Math.round(performance.now() - started);
    const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    for (const violation of results.violations)
      counts[(violation.impact ?? 'minor') as Impact] += violation.nodes.length;
    const audit = { label, url: page.url(), counts };
    this.audits.push(audit);
    this.visited.add(pageKey(page.url()));
    console.log(
      `axe ${label} (${new URL(page.url()).pathname}): ${IMPACTS.map((i) => `${counts[i]} ${i}`).join(', ')}` +
        ` · ${results.passes.length} rules passed · ${ms} ms${frames > 1 ? ` (${frames} frames: axe's per-frame mode)` : ''}`,
    );
    const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
    if (blocking.length > 0) {
      const details = blocking
        .map(
          (v) =>
            `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
            v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n'),
        )
        .join('\n');
      throw new Error(
        `axe found ${blocking.length} serious or critical violation(s) on ${label} (${page.url()}):\n${details}`,
      );
    }
    return audit;
  }

  /**
   * Records a page state as scanned by `file`, another file of `npm test` that shows the same state and scans it,
   * instead of scanning it a second time here. A journey that does this has a `*.long.test.ts` twin that scans
   * every state itself (docs/RELIABILITY.md, "Test tiers").
   */
  coveredBy(label: string, url: string, file: string): void {
    this.covered.push({ label, url, file });
    console.log(`axe ${label} (${new URL(url).pathname}): not scanned again here, ${file} scans it`);
  }

  /** Addresses (path with ids generalised) the browser showed but no `check` scanned (nor `coveredBy` covered). */
  unscanned(): string[] {
    const scanned = this.scannedKeys();
    return [...this.visited].filter((key) => !scanned.has(key) && !this.transient.some((t) => t.test(key)));
  }

  summary(): string {
    const rows = this.audits.map(
      (a) => `  ${a.label.padEnd(34)} ${IMPACTS.map((i) => `${i} ${a.counts[i]}`).join('  ')}`,
    );
    const blocking = this.audits.reduce((n, a) => n + a.counts.critical + a.counts.serious, 0);
    const covered = this.covered.map((c) => `  ${c.label.padEnd(34)} scanned by ${c.file}`);
    return `axe (${WCAG_TAGS.join(', ')}): ${this.audits.length} page states scanned, ${blocking} serious or critical\n${[...rows, ...covered].join('\n')}`;
  }

  private scannedKeys(): Set<string> {
    return new Set([...this.audits, ...this.covered].map((a) => pageKey(a.url)));
  }
}

/**
 * axe with the WCAG tags on the page as it is. The rules, and the violations reported with every node, are axe's
 * own whichever way it runs; two settings only save time (together a scan took a quarter of the default's time here,
 * with the same rules passed, failed and inapplicable on a page seeded with known violations):
 * - `resultTypes: ['violations']`: passes, incomplete and inapplicable results keep one example node per rule
 *   instead of a selector for every node checked (axe's documented performance option). Only violations are read.
 * - Legacy mode (`axe.run` in the page) when the page has no frames: the default mode runs `runPartial` per frame
 *   and then opens a second, blank page to combine the results, which costs more than the scan. It exists for
 *   cross-origin frames, so a page that has any frame is scanned the default way.
 */
function scan(page: Page, frames: number) {
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS);
  return builder.setLegacyMode(frames === 1).analyze();
}

/**
 * A page's identity for "was it scanned": its path, with record ids generalised (every notice page is one page).
 * Query strings are left out: a filtered table is the same page as the unfiltered one.
 */
export function pageKey(url: string): string {
  const { pathname } = new URL(url);
  return pathname.replace(/\/(ntc|sub|ext|pac)_[0-9A-Za-z]+/g, '/:$1').replace(/\/+$/, '') || '/';
}
