// Builds the playback page into dist/ (committed; the service serves these files, embedded in its assembly):
//   npm ci && node build.mjs                     # dist/ for `recorder serve` (same origin)
//   RECORDER_API_ORIGIN=https://rec.example.org node build.mjs --outdir site/
//                                                # static files for another host, allowed to call that service
// Reproducible: the pinned esbuild (package-lock.json) gives byte-identical files (a test rebuilds and compares).
import { build } from 'esbuild';
import { mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--outdir');
const outdir = outIndex > 0 ? process.argv[outIndex + 1] : join(here, 'dist');
const apiOrigin = process.env.RECORDER_API_ORIGIN ?? '';
if (apiOrigin && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(apiOrigin)) {
  console.error(`build.mjs: error: RECORDER_API_ORIGIN must be an origin like https://rec.example.org, got '${apiOrigin}'`);
  process.exit(2);
}

// Keep in step with PlaybackPage.ContentSecurityPolicy (Recorder.Service), which the service sends as a header.
// frame-ancestors is ignored in a <meta>: a static host must send it as a header itself (docs/playback.md).
const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  `connect-src 'self'${apiOrigin ? ' ' + apiOrigin : ''}`,
  "media-src 'self' blob:",
  "img-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

await mkdir(outdir, { recursive: true });
const common = { bundle: true, minify: true, format: 'esm', target: 'chrome120', charset: 'utf8', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(here, 'src/main.js')], outfile: join(outdir, 'app.js') });
await build({ ...common, entryPoints: [join(here, 'src/worker.js')], outfile: join(outdir, 'worker.js') });
const html = (await readFile(join(here, 'src/index.html'), 'utf8')).replace('__CSP__', csp);
await writeFile(join(outdir, 'index.html'), html);
await copyFile(join(here, 'src/app.css'), join(outdir, 'app.css'));
console.error(`build.mjs: built ${outdir}`);
