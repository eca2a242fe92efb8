import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Harness, startHarness } from '../../integration/support/portal-harness';
import { AccessibilityAudit } from './accessibility-audit';
import { launchChromium } from './chromium';
import { PageProblems } from './page-problems';

const ROOT = join(__dirname, '..', '..', '..');
const WEB_SOURCE = join(ROOT, 'web', 'src');
const WEB_BUILD = join(ROOT, 'web', 'dist', 'index.html');

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
 */
function assertWebBuildIsCurrent(): void {
  let built: number;
  try {
    built = statSync(WEB_BUILD).mtimeMs;
  } catch {
    throw new Error(`No web build at ${WEB_BUILD}: run \`npm run build:web\` first (npm test does).`);
  }
  const newest = newestModification(WEB_SOURCE);
  if (newest > built) {
    throw new Error(`web/dist is older than web/src: run \`npm run build:web\` first (npm test does).`);
  }
}

function newestModification(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}
