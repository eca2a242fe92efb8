import type { Browser, BrowserContext, Page } from 'playwright-core';
import { webBuildReason } from '../../../local/web-build';
import { type Harness, startHarness } from '../../integration/support/portal-harness';
import { AccessibilityAudit } from './accessibility-audit';
import { launchChromium } from './chromium';
import { PageProblems } from './page-problems';

/**
 * One browser test file's world: the real local portal (started in-process, fresh data) serving the built web app,
 * one Chromium, and the file's accessibility audit. Each journey opens its own context (cookies and
 * sessionStorage, where the OIDC client keeps the session) from the one browser.
 */
export interface BrowserWorld {
  harness: Harness;
  url: string;
  browser: Browser;
  audit: AccessibilityAudit;
  /** A fresh context and page, watched for console errors and CSP violations and tracked by the audit. */
  open(options?: { viewport?: { width: number; height: number } }): Promise<Session>;
  /** Fails with every console error, uncaught exception or CSP violation any session saw (call in afterEach). */
  assertNoPageProblems(): void;
  stop(): Promise<void>;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

export async function startBrowserWorld(): Promise<BrowserWorld> {
  assertWebBuildIsCurrent();
  const [harness, browser] = await Promise.all([startHarness(), launchChromium()]);
  const audit = new AccessibilityAudit();
  const sessions: Session[] = [];
  return {
    harness,
    url: harness.portal.url,
    browser,
    audit,
    open: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: harness.portal.url,
        viewport: options.viewport ?? { width: 1280, height: 800 },
        locale: 'en-AU',
        timezoneId: 'Australia/Sydney',
      });
      // A page that has not shown what the step waits for within 10 s is not going to; fail with that step.
      context.setDefaultTimeout(10_000);
      const problems = await PageProblems.watch(context);
      const page = await context.newPage();
      audit.track(page);
      const session = { context, page, problems };
      sessions.push(session);
      return session;
    },
    assertNoPageProblems: () => {
      for (const session of sessions) session.problems.assertNone();
    },
    stop: async () => {
      for (const { context } of sessions) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await harness.stop();
    },
  };
}

/**
 * The tests drive the built app (the dev server needs a looser CSP than the one the portal sends). `npm test`
 * builds it first; a test run on its own against a missing or older build says so instead of testing old code.
 * (The same staleness rule `npm start` rebuilds by.)
 */
function assertWebBuildIsCurrent(): void {
  const reason = webBuildReason();
  if (reason)
    throw new Error(`The web build is not current (${reason}): run \`npm run build:web\` first (npm test does).`);
}
