import { loadConfig } from '../config';
import { serve } from '../server';

export async function serveCommand(): Promise<number> {
  return serve(loadConfig());
}
