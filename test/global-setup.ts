/** Builds the browser bundles once before the tests, so every test serves the current widget. */
export default async function globalSetup(): Promise<void> {
  const { buildWeb } = require('../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };
  await buildWeb({ quiet: true });
}
