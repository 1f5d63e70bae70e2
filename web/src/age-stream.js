// Where things are in an age v1 file (C2SP age, "Payload"): the textual header, a 16-byte nonce, then the STREAM
// payload in chunks of 64 KiB of plaintext, each sealed with ChaCha20-Poly1305 (16-byte tag). Plain arithmetic,
// shared by the page (which fetches ranges of ciphertext) and the worker (which opens them).

export const NONCE_BYTES = 16;
export const CHUNK_BYTES = 64 * 1024;
export const TAG_BYTES = 16;
export const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;

const MAC_LINE = new TextEncoder().encode('\n--- ');

/** Length of the header (up to and including the newline after the MAC) at the start of `bytes`, or -1 when it does not end there. */
export function headerLength(bytes) {
  outer: for (let i = 0; i + MAC_LINE.length <= bytes.length; i++) {
    for (let j = 0; j < MAC_LINE.length; j++) if (bytes[i + j] !== MAC_LINE[j]) continue outer;
    const end = bytes.indexOf(0x0a, i + MAC_LINE.length);
    return end < 0 ? -1 : end + 1;
  }
  return -1;
}

/**
 * The layout of one stored segment: its size and where its payload starts. A truncated segment (its worker died; it
 * has no final chunk) counts only its whole chunks: a last piece cut inside a chunk cannot be authenticated.
 */
export class PayloadLayout {
  constructor(fileBytes, headerBytes, truncated = false) {
    this.fileBytes = fileBytes;
    this.payloadStart = headerBytes + NONCE_BYTES;
    const sealed = (fileBytes - this.payloadStart) / SEALED_CHUNK_BYTES;
    // An empty plaintext is one empty final chunk (a tag alone).
    this.chunkCount = truncated ? Math.max(0, Math.floor(sealed)) : Math.max(1, Math.ceil(sealed));
  }

  /** The chunk that holds plaintext byte `offset`. */
  chunkOf(offset) {
    return Math.min(this.chunkCount - 1, Math.floor(offset / CHUNK_BYTES));
  }

  /** Ciphertext bytes [first, last] (inclusive, as in an HTTP Range) of chunks `from` to `to`. */
  ciphertextRange(from, to) {
    const first = this.payloadStart + from * SEALED_CHUNK_BYTES;
    const last = Math.min(this.fileBytes, this.payloadStart + (to + 1) * SEALED_CHUNK_BYTES) - 1;
    return [first, last];
  }
}

/** The 12-byte STREAM nonce of chunk `index`: an 11-byte big-endian counter and the last-chunk flag. */
export function chunkNonce(index, last) {
  const nonce = new Uint8Array(12);
  let n = index;
  for (let i = 10; i >= 0 && n > 0; i--) {
    nonce[i] = n % 256;
    n = Math.floor(n / 256);
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}
