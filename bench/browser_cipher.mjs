// The page worker's cipher alone, outside the browser: @noble/ciphers' ChaCha20-Poly1305 (the version web/ pins)
// opening 64 KiB age payload chunks in Node, to tell the cipher's own speed from the worker's messaging and copies.
//   (cd web && npm ci) && /usr/bin/time -v node bench/browser_cipher.mjs [CHUNKS=512] [RUNS=5]
// Prints one line per run: MiB/s of plaintext over wall time.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../web/package.json', import.meta.url)));
const { chacha20poly1305 } = require('@noble/ciphers/chacha.js');
const CHUNK = 64 * 1024;
const chunks = Number(process.argv[2] ?? 512);
const runs = Number(process.argv[3] ?? 5);
const key = randomBytes(32);
const nonce = new Uint8Array(12);
const sealed = chacha20poly1305(key, nonce).encrypt(randomBytes(CHUNK));
for (let r = 1; r <= runs; r++) {
  const started = performance.now();
  for (let i = 0; i < chunks; i++) chacha20poly1305(key, nonce).decrypt(sealed);
  const seconds = (performance.now() - started) / 1000;
  console.log(`run ${r}: ${(chunks * CHUNK / 2 ** 20 / seconds).toFixed(1)} MiB/s (${chunks} chunks of 64 KiB)`);
}
