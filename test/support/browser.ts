// Debian's Chromium, driven by playwright-core: no browser download, no network. Every request
// the page makes is recorded and refused unless it is the page itself (file:) or inline (data:).
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingBrowser(): string | undefined {
  return existsSync(chromiumPath) ? undefined : `${chromiumPath} is missing: apt-get install chromium (.ci/run does)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request for something other than a file: or data: URL (all refused). */
  outside: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, width: number, height = 900): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height }, offline: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const outside: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => {
    if (!/^(file|data):/.test(request.url())) outside.push(request.url());
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    return /^(file|data):/.test(url) ? route.continue() : route.abort("blockedbyclient");
  });
  return { page, errors, outside, close: () => context.close() };
}
