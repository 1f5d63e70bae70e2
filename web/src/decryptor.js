// The page's side of the decryption worker (worker.js): one request at a time per message id, answered in order.

export class DecryptionError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class Decryptor {
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl, { type: 'module', name: 'recorder-decrypt' });
    this.pending = new Map();
    this.nextId = 0;
    this.worker.onmessage = (event) => {
      const answer = event.data;
      const request = this.pending.get(answer.id);
      if (!request) return;
      this.pending.delete(answer.id);
      if (answer.error) request.reject(new DecryptionError(answer.code, answer.error));
      else request.resolve(answer);
    };
    this.worker.onerror = (event) => {
      const error = new DecryptionError('worker', `the decryption worker failed: ${event.message}`);
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
  }

  call(message, transfer = []) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Hands the identity (a non-extractable CryptoKey, structured-cloned) to the worker, which forgets every segment key. */
  setIdentity(key) {
    return this.call({ op: 'identity', key });
  }

  /** Unwraps a segment's file key from its header (header + 16-byte nonce). */
  open(segment, headerAndNonce) {
    return this.call({ op: 'open', segment, header: headerAndNonce.buffer }, [headerAndNonce.buffer]);
  }

  /** Authenticates and decrypts consecutive sealed chunks; returns {plaintext: Uint8Array, decryptMs}. */
  async decrypt(segment, firstChunk, finalChunk, sealed) {
    const answer = await this.call({ op: 'decrypt', segment, firstChunk, finalChunk, data: sealed.buffer }, [sealed.buffer]);
    return { plaintext: new Uint8Array(answer.plaintext), decryptMs: answer.decryptMs };
  }

  close(segment) {
    return this.call({ op: 'close', segment });
  }
}
