// The recorder service's API as the page uses it: bearer token, problem details turned into messages.

export class ApiError extends Error {
  constructor(status, message, hint) {
    super(message);
    this.status = status;
    this.hint = hint;
  }
}

export class Api {
  /** `base`: the service's origin ('' for the origin that served the page). */
  constructor(base, token) {
    this.base = base.replace(/\/+$/, '');
    this.token = token;
  }

  async json(method, path, body) {
    const response = await this.request(method, path, body === undefined ? {} : {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status === 204 ? null : response.json();
  }

  /** Bytes [first, last] of a stored segment (the service proxies the ciphertext from S3). */
  async range(recordingId, segment, first, last, signal) {
    const response = await this.request('GET', `/recordings/${encodeURIComponent(recordingId)}/segments/${segment}`,
      { headers: { Range: `bytes=${first}-${last}` }, signal });
    if (response.status !== 206) throw new ApiError(response.status, `the service answered ${response.status} to a range request`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async request(method, path, init) {
    let response;
    try {
      response = await fetch(this.base + path, {
        ...init,
        method,
        headers: { ...(init.headers ?? {}), Authorization: `Bearer ${this.token}` },
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, `the service at ${this.base || location.origin} cannot be reached (${e.message})`);
    }
    if (response.ok) return response;
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not a problem document
    }
    const message = problem.detail ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, response.status === 401 ? `sign-in failed: ${message}` : message, problem.hint);
  }
}
