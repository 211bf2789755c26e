/**
 * `npm run bench -- [NAME ...] [--json]`: runs the named benchmarks (every one when none is named).
 * Each benchmark is a module `bench/<name>.ts` exporting `run(options)` that returns its figures;
 * with --json the runner prints one JSON object (name → figures) and nothing else on stdout.
 */
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface BenchOptions {
  /** Print human-readable progress (false with --json). */
  readonly verbose: boolean;
  /** The command line without the benchmark names and --json: options such as --quick or devices=N. */
  readonly args: readonly string[];
}

export type BenchFigures = Record<string, unknown>;

interface BenchModule {
  run(options: BenchOptions): Promise<BenchFigures>;
}

const benchDir = new URL('.', import.meta.url);
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .sort();

/** Names on the command line that differ from their file's (`npm run bench -- fleet-cluster`). */
const aliases: Readonly<Record<string, string>> = { 'fleet-cluster': 'fleetCluster' };
const argv = process.argv.slice(2).map((arg) => aliases[arg] ?? arg);
const json = argv.includes('--json');
const names = argv.filter((arg) => !arg.startsWith('--') && available.includes(arg));
const unknown = argv.filter((arg) => !arg.startsWith('--') && !available.includes(arg) && !arg.includes('='));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
const selected = names.length > 0 ? names : available;
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
const results: Record<string, BenchFigures> = {};
if (!json) process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, node ${machine.node}\n`);
for (const name of selected) {
  const module = (await import(new URL(`./${name}.ts`, benchDir).href)) as BenchModule;
  if (!json) process.stdout.write(`\n== ${name}\n`);
  results[name] = await module.run({ verbose: !json, args: argv.filter((arg) => arg !== '--json' && !names.includes(arg)) });
}
if (json) process.stdout.write(`${JSON.stringify({ machine, results })}\n`);
