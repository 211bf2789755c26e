/**
 * Builds the web console (src/console/, browser TypeScript and CSS) into dist/console/: app.js
 * (one minified ES module), app.css and index.html. `npm run build` runs it; the browser tests call
 * `bundleConsole()` first so they test the page as built. Each file is written beside its final
 * name and renamed, so a reader (or a concurrent build) never sees half a file.
 *
 * Usage: node --import tsx scripts/bundleConsole.ts [outDir]
 */
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = fileURLToPath(new URL('../src/console/', import.meta.url));
export const defaultConsoleOut = fileURLToPath(new URL('../dist/console/', import.meta.url));

export async function bundleConsole(outDir = defaultConsoleOut): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const tag = `.tmp-${process.pid}-${Date.now()}`;
  await build({
    entryPoints: { [`app${tag}`]: join(source, 'app.ts'), [`style${tag}`]: join(source, 'app.css') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    // Chromium, Firefox and Safari of the last few years, desktop and phone.
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(source, 'index.html'), join(outDir, `index${tag}.html`));
  for (const [from, to] of [[`app${tag}.js`, 'app.js'], [`style${tag}.css`, 'app.css'], [`index${tag}.html`, 'index.html']] as const) {
    renameSync(join(outDir, from), join(outDir, to));
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] === undefined ? defaultConsoleOut : resolve(process.argv[2]);
  await bundleConsole(out);
  process.stdout.write(`console bundled into ${out}\n`);
}
