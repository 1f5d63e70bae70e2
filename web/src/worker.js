// The page's decryption worker: holds the host's identity (a non-extractable X25519 CryptoKey, posted once by the
// page) and, per segment, the STREAM key derived from the segment's file key. It receives ciphertext and returns
// plaintext; it makes no request of its own. Messages: {op: 'identity', key}, {op: 'open', segment, header},
// {op: 'decrypt', segment, firstChunk, finalChunk, data}, {op: 'close', segment}; each answered {id, …} or
// {id, error, code}. No plaintext leaves it unauthenticated: a chunk that fails its tag fails the whole request.
import { Decrypter } from 'age-encryption';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { SEALED_CHUNK_BYTES, TAG_BYTES, NONCE_BYTES, chunkNonce } from './age-stream.js';

let identity = null;
const streamKeys = new Map();

self.onmessage = async (event) => {
  const message = event.data;
  try {
    const answer = await handle(message);
    self.postMessage({ id: message.id, ...answer.value }, answer.transfer ?? []);
  } catch (e) {
    self.postMessage({ id: message.id, error: e.message ?? String(e), code: e.code ?? 'failed' });
  }
};

async function handle(message) {
  switch (message.op) {
    case 'identity':
      if (!(message.key instanceof CryptoKey) || message.key.extractable) throw failure('bad-identity', 'the identity must be a non-extractable CryptoKey');
      identity = message.key;
      streamKeys.clear();
      return { value: {} };
    case 'open':
      return { value: await open(message.segment, new Uint8Array(message.header)) };
    case 'decrypt':
      return decrypt(message);
    case 'close':
      streamKeys.delete(message.segment);
      return { value: {} };
    default:
      throw failure('bad-request', `unknown operation '${message.op}'`);
  }
}

/** Unwraps the file key from the header (header + 16-byte nonce) and keeps only the derived STREAM key. */
async function open(segment, headerAndNonce) {
  if (identity === null) throw failure('no-identity', 'no identity loaded');
  const header = headerAndNonce.subarray(0, headerAndNonce.length - NONCE_BYTES);
  const nonce = headerAndNonce.slice(headerAndNonce.length - NONCE_BYTES);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  let fileKey;
  try {
    fileKey = await decrypter.decryptHeader(header);
  } catch (e) {
    if (/no identity matched/.test(e.message)) throw failure('wrong-identity', 'this identity is not a recipient of the recording');
    throw failure('bad-header', `the segment's header does not authenticate (${e.message}): it may be corrupted or tampered with`);
  }
  try {
    const ikm = await crypto.subtle.importKey('raw', fileKey, 'HKDF', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: nonce, info: new TextEncoder().encode('payload') }, ikm, 256);
    streamKeys.set(segment, new Uint8Array(bits));
  } finally {
    fileKey.fill(0);
  }
  return {};
}

/** Opens consecutive sealed chunks starting at chunk `firstChunk`; `finalChunk` is the index of the file's last chunk, or -1 (a truncated segment has none). */
function decrypt({ segment, firstChunk, finalChunk, data }) {
  const key = streamKeys.get(segment);
  if (!key) throw failure('not-open', `segment ${segment} is not open`);
  const sealed = new Uint8Array(data);
  const count = Math.ceil(sealed.length / SEALED_CHUNK_BYTES);
  const plaintext = new Uint8Array(sealed.length - count * TAG_BYTES);
  const started = performance.now();
  for (let i = 0, out = 0; i < count; i++) {
    const index = firstChunk + i;
    const piece = sealed.subarray(i * SEALED_CHUNK_BYTES, Math.min(sealed.length, (i + 1) * SEALED_CHUNK_BYTES));
    let opened;
    try {
      opened = chacha20poly1305(key, chunkNonce(index, index === finalChunk)).decrypt(piece);
    } catch {
      throw failure('bad-chunk', `failed to decrypt and authenticate payload chunk ${index}: the recording may be corrupted or tampered with`);
    }
    plaintext.set(opened, out);
    out += opened.length;
  }
  const decryptMs = performance.now() - started;
  return { value: { plaintext: plaintext.buffer, decryptMs }, transfer: [plaintext.buffer] };
}

function failure(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}
