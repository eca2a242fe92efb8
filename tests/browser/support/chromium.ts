import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (`npx playwright install` cannot download browsers here). Without the
 * networking flags Chromium keeps calling Google's update and sync hosts, which a CI machine blocks.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
