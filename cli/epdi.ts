/**
 * `epdi` command line: `npm run epdi -- <command> [args] [--json]`.
 * Each command lives in cli/commands/<command>.ts and exports `run(args: CliArgs): Promise<number>` and `summary`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type CliArgs } from './args';

interface CommandModule {
  summary: string;
  run(args: CliArgs): Promise<number>;
}

const commandsDir = path.join(__dirname, 'commands');

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CommandModule | undefined> {
  if (!listCommands().includes(name)) return undefined;
  return (await import(path.join(commandsDir, `${name}.ts`))) as CommandModule;
}

async function printHelp(): Promise<void> {
  const lines = ['usage: epdi <command> [options] [--json]', '', 'commands:'];
  for (const name of listCommands()) {
    const mod = await loadCommand(name);
    lines.push(`  ${name.padEnd(10)} ${mod?.summary ?? ''}`);
  }
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name ? 0 : 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`epdi: unknown command '${name}'`);
    await printHelp();
    return 2;
  }
  return command.run(parseArgs(rest));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`epdi: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
