import buildWeb from '../global-setup';
import { POSTGRES_ADMIN_URL_ENV, startPostgres, type ThrowawayPostgres } from '../helpers/postgres';

/**
 * `npm run test:pg`: one throwaway PostgreSQL for the whole run (test/postgres/global-teardown.ts stops it
 * and deletes its folder). Test workers inherit the URL; each test file creates its own databases.
 */
export default async function globalSetup(): Promise<void> {
  const [server] = await Promise.all([startPostgres(), buildWeb()]);
  (globalThis as { throwawayPostgres?: ThrowawayPostgres }).throwawayPostgres = server;
  process.env[POSTGRES_ADMIN_URL_ENV] = server.adminUrl;
}
