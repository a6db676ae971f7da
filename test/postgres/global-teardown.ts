import type { ThrowawayPostgres } from '../helpers/postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { throwawayPostgres?: ThrowawayPostgres }).throwawayPostgres?.stop();
}
