import { loadConfig } from '../config';
import { serve } from '../server';

export async function serveCommand(): Promise<number> {
  await serve(loadConfig());
  return 0;
}
