/** Minimal argv parsing: positionals, `--flag`, `--key value` and `--key=value`. */
export interface CliArgs {
  positionals: string[];
  options: Record<string, string | true>;
  json: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      options[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      options[arg.slice(2)] = argv[++i];
    } else {
      options[arg.slice(2)] = true;
    }
  }
  return { positionals, options, json: options.json === true };
}

/** A numeric option with a default; throws a readable error on junk. */
export function numberOption(args: CliArgs, key: string, fallback: number): number {
  const raw = args.options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value)) throw new Error(`--${key} expects a number, got '${String(raw)}'`);
  return value;
}

export function stringOption(args: CliArgs, key: string): string | undefined {
  const raw = args.options[key];
  return typeof raw === 'string' ? raw : undefined;
}
