/**
 * The second half of `npm run build`: turns each part's compiled folder in dist/ (tsc's output,
 * one .js per source file) into one module per public face, so `dist/smpp/index.js` is the whole
 * smpp part and not 37 modules. Lazy imports (the CLI's commands, the agent's demo) stay lazy:
 * they become chunks next to the face.
 *
 * Why: every ES module costs Node's loader a job, a module record and its source text, and all
 * of them are alive together while a graph links. Measured with the session benchmark's client
 * (bench/session.ts): importing the smpp part as 37 modules left ~1.07 MB surviving V8's first
 * scavenges, as one module ~0.45 MB; the first figure is what made V8 double its young generation
 * at window 10 (4 → 8 MiB, +3–4 MiB of peak RSS), one module does not. Old space after the run is
 * ~1 MB smaller. The same holds for the agent, which loads every part.
 *
 * What stays as tsc wrote it: the top-level shared modules (errors.js, clock.js, logger.js,
 * version.js, paths.js, index.js), the .d.ts files, and every import that crosses a part's
 * boundary. A part may reach another part only through its face (`../smpp/index.js`) or a
 * top-level module; the build fails on any other cross-part import, so the rule in the design
 * is checked, and no module is ever inlined into two bundles (two copies of a class would break
 * `instanceof` across parts).
 *
 * Usage: node --import tsx scripts/bundleParts.ts [distDir]   (npm run build runs it)
 */
import { existsSync, readdirSync, rmSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';

const dist = resolve(process.argv[2] ?? 'dist');

/** Entry points per part, besides its index.js: files something outside the part runs or imports by path. */
const extraEntries: Readonly<Record<string, readonly string[]>> = { cli: ['main.js'] };

/** The part's face (if it has one: the CLI is a program, not a library) and its extra entries. */
function entryFiles(part: string): string[] {
  return [...(existsSync(join(dist, part, 'index.js')) || !(part in extraEntries) ? ['index.js'] : []), ...(extraEntries[part] ?? [])];
}

/** Keeps every import that leaves the part external, rewritten relative to the bundle's folder. */
function partBoundary(partDir: string): Plugin {
  return {
    name: 'part-boundary',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = resolve(dirname(args.importer), args.path);
        if (target.startsWith(partDir + sep)) return undefined; // inside the part: bundle it
        const fromDist = relative(dist, target);
        const isFace = /^[a-z]+[/\\]index\.js$/i.test(fromDist);
        const isTopLevel = !fromDist.includes(sep) && !fromDist.startsWith('..');
        if (!isFace && !isTopLevel) {
          return { errors: [{ text: `${relative(dist, args.importer)} imports ${fromDist}: another part is reached only through its index.js` }] };
        }
        return { path: relative(partDir, target).split(sep).join('/').replace(/^(?!\.)/, './'), external: true };
      });
    },
  };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function bundlePart(part: string): Promise<void> {
  const partDir = join(dist, part);
  const staging = join(dist, `.bundle-${part}`);
  const entries = entryFiles(part).map((file) => join(partDir, file));
  for (const entry of entries) if (!existsSync(entry)) throw new Error(`bundleParts: ${relative(dist, entry)} is missing (did tsc run?)`);
  await build({
    entryPoints: entries,
    outdir: staging,
    bundle: true,
    splitting: true, // dynamic imports stay lazy, as chunks
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    keepNames: true, // error and class names show in logs and tests as written
    sourcemap: true, // chained to tsc's maps, so stack traces still point into src/*.ts
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    plugins: [partBoundary(partDir)],
  });
  // The part's folder keeps its declarations (the types of the face) and loses its modules.
  for (const file of filesUnder(partDir)) if (/\.js(\.map)?$/.test(file)) rmSync(file);
  for (const file of readdirSync(staging)) renameSync(join(staging, file), join(partDir, file));
  rmSync(staging, { recursive: true });
}

const parts = readdirSync(dist).filter(
  (name) => !name.startsWith('.') && name !== 'bench' && statSync(join(dist, name)).isDirectory() && entryFiles(name).every((file) => existsSync(join(dist, name, file))),
);
if (parts.length === 0) throw new Error(`bundleParts: no parts in ${dist}`);
for (const part of parts) await bundlePart(part);
process.stdout.write(`bundled ${parts.length} parts: ${parts.join(', ')}\n`);
