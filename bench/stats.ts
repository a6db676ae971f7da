/** Small helpers shared by the benchmarks. */

export function percentile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return 0;
  const index = Math.min(sortedAscending.length - 1, Math.ceil(fraction * sortedAscending.length) - 1);
  return sortedAscending[Math.max(0, index)];
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function rssMb(): number {
  return round(process.memoryUsage().rss / 1024 / 1024, 1);
}

/** Reads `--name value` and `--flag` arguments; unknown names are an error, with the known ones listed. */
export function parseArgs(argv: readonly string[], spec: Record<string, 'value' | 'flag'>, usage: string): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    const kind = spec[name];
    if (!argv[i].startsWith('--') || !kind) throw new Error(`unknown argument "${argv[i]}"\n${usage}`);
    if (kind === 'flag') args.set(name, 'true');
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${usage}`);
      args.set(name, value);
    }
  }
  return args;
}
