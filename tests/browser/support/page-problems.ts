import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/**
 * Collects what a user would never see but a defect always causes: console errors, uncaught exceptions and CSP
 * violations. A CSP violation is a real defect here — the portal sends the same strict policy as CloudFront, so
 * anything it blocks locally is broken in production too. `assertNone()` fails the test with each problem.
 */
export class PageProblems {
  private readonly problems: string[] = [];
  private readonly expected: RegExp[] = [];

  /** Reports CSP violations from every page of the context through a binding the pages cannot forge around. */
  static async watch(context: BrowserContext): Promise<PageProblems> {
    const problems = new PageProblems();
    await context.exposeBinding('__reportCspViolation', ({ page }, violation: CspViolation) => {
      problems.add(
        `CSP violation on ${page.url()}: ${violation.effectiveDirective} blocked ${violation.blockedURI || '(inline)'}` +
          ` at ${violation.sourceFile}:${violation.lineNumber}`,
      );
    });
    await context.addInitScript({ content: CSP_LISTENER });
    for (const page of context.pages()) problems.attach(page);
    context.on('page', (page) => problems.attach(page));
    return problems;
  }

  /**
   * A console error the test causes on purpose (e.g. Chromium logs every 4xx an API call gets). Only what the test
   * names is let through, once per call.
   */
  expect(pattern: RegExp): void {
    this.expected.push(pattern);
  }

  /** Fails with every problem seen since the last call, and starts afresh. */
  assertNone(): void {
    const seen = this.problems.splice(0);
    this.expected.splice(0);
    if (seen.length > 0) throw new Error(`The browser reported ${seen.length} problem(s):\n- ${seen.join('\n- ')}`);
  }

  private attach(page: Page): void {
    page.on('console', (message) => this.onConsole(page, message));
    page.on('pageerror', (error) => this.add(`Uncaught exception on ${page.url()}: ${error.stack ?? error.message}`));
  }

  private onConsole(page: Page, message: ConsoleMessage): void {
    if (message.type() !== 'error') return;
    const text = message.text();
    const { url, lineNumber } = message.location();
    // Chromium's "Failed to load resource" names the status only; the address is in the location.
    const allowed = this.expected.findIndex((pattern) => pattern.test(`${text} ${url}`));
    if (allowed >= 0) {
      this.expected.splice(allowed, 1);
      return;
    }
    this.add(`console.error on ${page.url()}: ${text}${url ? ` (${url}:${lineNumber})` : ''}`);
  }

  private add(problem: string): void {
    this.problems.push(problem);
  }
}

/**
 * Runs in every page before its own scripts. It is injected through the browser's debugging protocol, so the page's
 * CSP does not apply to it. (A string, because the Node side's type-check has no DOM library.)
 */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCspViolation({
    effectiveDirective: event.effectiveDirective,
    blockedURI: event.blockedURI,
    sourceFile: event.sourceFile,
    lineNumber: event.lineNumber,
  });
});`;

interface CspViolation {
  effectiveDirective: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
}
