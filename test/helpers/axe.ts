import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** One axe-core finding, reduced to what a failing test should print. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const AXE_PATH = require.resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

/**
 * Runs axe-core (from node_modules, no CDN) in the page as it is now and returns the violations of at
 * least `minimum` impact, open shadow roots (the widget) included.
 */
export async function axeViolations(page: Page, minimum: 'serious' | 'critical' = 'serious'): Promise<AxeFinding[]> {
  await injectAxe(page);
  const impacts = minimum === 'critical' ? ['critical'] : ['serious', 'critical'];
  return page.evaluate(async (wanted) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((violation) => wanted.includes(violation.impact ?? ''))
      .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  }, impacts);
}

/**
 * `addScriptTag({ path })` adds an inline <script>, which our pages' CSP (script-src 'self') refuses —
 * as it should. Evaluating the same file through the DevTools protocol is not subject to the page's CSP,
 * so the page under test keeps its real headers.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  axeSource ??= fs.readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
}
