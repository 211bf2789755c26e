/**
 * Where the package's own files are, for every part. Resolved from this top-level module, which
 * sits one level under the package root both as source (src/paths.ts) and built (dist/paths.js):
 * a part's modules cannot use their own import.meta.url for this, because the build bundles each
 * part into one module (scripts/bundleParts.ts) and their depth changes.
 */
import { fileURLToPath } from 'node:url';

/** The modem profiles shipped with the package. */
export const firmwareConfigDir = fileURLToPath(new URL('../firmware-config/', import.meta.url));
/** The web console's bundled assets (index.html, app.js, app.css), written by `npm run build` (scripts/bundleConsole.ts). */
export const consoleAssetsDir = fileURLToPath(new URL('../dist/console/', import.meta.url));
