import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs with apt (override with CHROMIUM_PATH). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Whether this run is CI, where a missing browser is a failure rather than a reason to skip. */
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** Is Chromium installed? */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Flags for a quiet, offline, reproducible headless Chromium. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches headless Chromium with a fresh profile (its own user-data dir), offline.
 *
 * @example
 * const context = await launchChromium(); const page = await context.newPage();
 */
export async function launchChromium(options: { width?: number; height?: number; timezoneId?: string } = {}): Promise<BrowserContext> {
  if (!HAS_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does so in CI)`);
  const profile = mkdtempSync(join(tmpdir(), 'sales-policies-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    offline: true,
    viewport: { width: options.width ?? 1200, height: options.height ?? 900 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
}
