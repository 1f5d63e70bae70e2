// The host's age identity, from a file the host picks: parsed, imported at once as a non-extractable X25519
// CryptoKey, and the bytes it came from overwritten. Nothing of it is stored or sent; the page keeps the CryptoKey
// only (its secret cannot be read back out of it, not even by the page's own scripts).
import { bech32 } from '@scure/base';
import { identityToRecipient } from 'age-encryption';

const PKCS8_X25519_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const MAX_FILE_BYTES = 64 * 1024;

/** Reads an identity file (age-keygen / recorder keygen format); returns {key, recipient}. Throws Error with a message for the host. */
export async function loadIdentity(file) {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is not an age identity file (${file.size} bytes)`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  text = null;
  const secrets = lines.filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
  if (secrets.length === 0) {
    throw new Error(lines.some((l) => l.startsWith('AGE-SECRET-KEY-PQ-'))
      ? 'this is a post-quantum identity; recordings are encrypted to X25519 identities (AGE-SECRET-KEY-1…)'
      : 'no AGE-SECRET-KEY-1… line in this file: pick the identity file made by recorder keygen or age-keygen');
  }
  if (secrets.length > 1) throw new Error('this file holds several identities; pick a file with the host\'s one');
  let scalar;
  try {
    const decoded = bech32.decodeToBytes(secrets[0]);
    if (decoded.prefix.toUpperCase() !== 'AGE-SECRET-KEY-' || decoded.bytes.length !== 32) throw new Error('bad prefix or length');
    scalar = decoded.bytes;
  } catch {
    throw new Error('the AGE-SECRET-KEY-1… line is damaged (its checksum does not match)');
  }
  const pkcs8 = new Uint8Array(PKCS8_X25519_PREFIX.length + 32);
  pkcs8.set(PKCS8_X25519_PREFIX);
  pkcs8.set(scalar, PKCS8_X25519_PREFIX.length);
  scalar.fill(0);
  try {
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
    return { key, recipient: await identityToRecipient(key) };
  } finally {
    pkcs8.fill(0);
  }
}
