// bench/browser.sh's driver: Debian's Chromium (playwright-core from localstack/browser) against a running service.
//   BENCH_TOKEN=… node bench/browser_driver.mjs URL IDENTITY-FILE RECORDING-ID RUNS   (the host's API token: not on the command line)
// Prints one JSON object: {"firstFrameMs": [...], "steps": [{…}...], "seekMs": [...], "decrypt": [{"bytes", "wallMs", "workerMs"}...], "browser": "…"}.
//  - firstFrameMs: in a fresh context each run, the page signed in and the identity loaded, from the click on Play
//    to the first decoded frame presented (the page's own measure: requestVideoFrameCallback, data-first-frame-ms).
//  - steps: for the same runs, where that time goes, in ms after the click (Resource Timing of the page's requests to
//    the service, and the video element's loadedmetadata (init segment appended) and loadeddata (first media appended)).
//  - seekMs: then, while playing, a seek to the middle of the recording, from setting currentTime to 'seeked'.
//  - decrypt: the page's worker (/play/worker.js) opening the whole first segment, fetched beforehand into memory,
//    in the batches of 8 chunks the player uses; wallMs from the first post to the last answer.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../localstack/browser/package.json', import.meta.url)));
const { chromium } = require('playwright-core');
const [url, identityFile, recordingId, runsText] = process.argv.slice(2);
const token = process.env.BENCH_TOKEN;
if (!token) throw new Error('BENCH_TOKEN: the host API token is not set');
const runs = Number(runsText ?? 5);
const identity = readFileSync(identityFile);
const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: process.env.RECORDER_CHROMIUM ?? '/usr/bin/chromium', headless: true, args });

async function signedIn() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/play/`);
  await page.fill('#token', token);
  await page.click('#signin button[type=submit]');
  await poll(page, 'Number(document.body.dataset.listed) >= 1');
  await page.setInputFiles('#identity', { name: 'host.key', mimeType: 'text/plain', buffer: identity });
  await poll(page, "document.body.dataset.identity === 'loaded'");
  return { context, page };
}

async function poll(page, expression, timeoutMs = 120000) {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const result = { browser: browser.version(), firstFrameMs: [], steps: [], seekMs: [], decrypt: [] };
for (let i = 0; i < runs; i++) {
  const { context, page } = await signedIn();
  await page.evaluate(markSteps);
  await page.click(`button[data-action=play][data-recording='${recordingId}']`);
  await poll(page, "document.getElementById('player').dataset.firstFrameMs !== undefined || !document.getElementById('error').hidden");
  const error = await page.evaluate("document.getElementById('error').hidden ? null : document.getElementById('error').textContent");
  if (error) throw new Error(error);
  result.firstFrameMs.push(Number(await page.evaluate("document.getElementById('player').dataset.firstFrameMs")));
  result.steps.push(await page.evaluate(readSteps, recordingId));
  result.seekMs.push(await page.evaluate(seekToMiddle));
  await context.close();
}
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/play/`);
  result.decrypt.push(await page.evaluate(decryptWholeSegment, { token, recordingId, identity: identity.toString('utf8') }));
  await context.close();
}
await browser.close();
console.log(JSON.stringify(result));

/** Runs in the page: the bench's own key imported as the page does, the segment fetched, then decrypted by the page's worker. */
async function decryptWholeSegment({ token, recordingId, identity }) {
  const CHUNK = 65552;
  const headers = { Authorization: `Bearer ${token}` };
  const response = await fetch(`/recordings/${recordingId}/segments/1`, { headers });
  const file = new Uint8Array(await response.arrayBuffer());
  const mac = new TextEncoder().encode('\n--- ');
  let at = 0;
  while (!mac.every((b, j) => file[at + j] === b)) at++;
  const headerBytes = file.indexOf(0x0a, at + mac.length) + 1;
  // The identity's 32 bytes, bech32-decoded the long way (this is the bench, not the page).
  const line = identity.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1')).toLowerCase();
  const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const words = [...line.slice(line.lastIndexOf('1') + 1, -6)].map((c) => charset.indexOf(c));
  const bytes = [];
  let acc = 0, bits = 0;
  for (const w of words) { acc = (acc << 5) | w; bits += 5; if (bits >= 8) { bits -= 8; bytes.push((acc >> bits) & 255); } }
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20, ...bytes.slice(0, 32)]);
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  const worker = new Worker('/play/worker.js', { type: 'module' });
  let id = 0;
  const call = (message, transfer = []) => new Promise((resolve, reject) => {
    const mine = ++id;
    const listener = (e) => {
      if (e.data.id !== mine) return;
      worker.removeEventListener('message', listener);
      if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data);
    };
    worker.addEventListener('message', listener);
    worker.postMessage({ ...message, id: mine }, transfer);
  });
  await call({ op: 'identity', key });
  await call({ op: 'open', segment: 's', header: file.slice(0, headerBytes + 16).buffer });
  const payloadStart = headerBytes + 16;
  const chunks = Math.ceil((file.length - payloadStart) / CHUNK);
  const batches = [];
  for (let c = 0; c < chunks; c += 8) batches.push([c, file.slice(payloadStart + c * CHUNK, Math.min(file.length, payloadStart + (c + 8) * CHUNK))]);
  let workerMs = 0;
  let plaintextBytes = 0;
  const started = performance.now();
  for (const [first, sealed] of batches) {
    const answer = await call({ op: 'decrypt', segment: 's', firstChunk: first, finalChunk: chunks - 1, data: sealed.buffer }, [sealed.buffer]);
    workerMs += answer.decryptMs;
    plaintextBytes += answer.plaintext.byteLength;
  }
  const wallMs = performance.now() - started;
  worker.terminate();
  return { bytes: file.length, plaintextBytes, wallMs, workerMs };
}

/** Runs in the page before the click: the click's time (capture phase, as the page's own handler takes it) and the video's events. */
function markSteps() {
  const video = document.getElementById('player');
  window.benchSteps = {};
  document.addEventListener('click', () => { window.benchSteps.click = performance.now(); }, { capture: true, once: true });
  for (const name of ['loadedmetadata', 'loadeddata']) {
    video.addEventListener(name, () => { window.benchSteps[name] ??= performance.now(); }, { once: true });
  }
}

/** Runs in the page after the first frame: each request to the recording's routes and the video's events, in ms after the click. */
function readSteps(recordingId) {
  const { click, loadedmetadata, loadeddata } = window.benchSteps;
  const since = (t) => Math.round((t - click) * 10) / 10;
  const requests = performance.getEntriesByType('resource')
    .filter((e) => e.name.includes(`/recordings/${recordingId}/`) && e.startTime >= click)
    .map((e) => ({ path: new URL(e.name).pathname, start: since(e.startTime), end: since(e.responseEnd), bytes: e.encodedBodySize }));
  return { requests, loadedmetadata: since(loadedmetadata), loadeddata: since(loadeddata) };
}

/** Runs in the page while it plays: a seek to the middle of the recording, to its 'seeked' (the new position decodable). */
async function seekToMiddle() {
  const video = document.getElementById('player');
  const target = Math.floor(video.duration / 2);
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'seeked' within 60 s of a seek to ${target} s`)), 60000);
    video.addEventListener('seeked', () => { clearTimeout(timer); resolve(); }, { once: true });
    video.currentTime = target;
  });
  return Math.round((performance.now() - started) * 10) / 10;
}
