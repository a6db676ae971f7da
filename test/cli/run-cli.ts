import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.join(__dirname, '..', '..');
const bundle = path.join(root, 'test-output', 'cli', 'atento.js');

/** Bundles the current CLI sources once per test file (esbuild: well under a second), like bin/atento.js runs dist. */
export function ensureBundle(): string {
  if (!fs.existsSync(bundle) || Date.now() - fs.statSync(bundle).mtimeMs > 60_000) {
    // The engine thread's script beside the CLI, where src/engine/thread.ts looks for it (worker.js).
    buildSync({
      entryPoints: [path.join(root, 'src', 'engine', 'worker.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outfile: path.join(path.dirname(bundle), 'worker.js'),
      logLevel: 'error',
    });
    buildSync({
      entryPoints: [path.join(__dirname, 'entry.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outfile: bundle,
      logLevel: 'error',
    });
  }
  return bundle;
}

export function runCli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [ensureBundle(), ...args], {
    cwd: root,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
