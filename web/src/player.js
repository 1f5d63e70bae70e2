// Plays a recording through Media Source Extensions: for each segment, its header (to unwrap the file key in the
// worker), its init segment, then its fragments in order, fetched by range in whole age chunks, decrypted in the
// worker and appended. A seek outside what is buffered starts again at the fragment that holds the target (the
// manifest's fragment index). Memory stays bounded: at most AHEAD_SECONDS are buffered ahead and what was played
// more than BEHIND_SECONDS ago is removed. A truncated segment (its worker died) plays its whole fragments; the media
// missing before the next segment (the take-over's gap) is jumped over.
import { CHUNK_BYTES, SEALED_CHUNK_BYTES, PayloadLayout, headerLength } from './age-stream.js';
import { mimeTypeOf, wholeFragmentsEnd } from './mp4.js';

const AHEAD_SECONDS = 30;
const BEHIND_SECONDS = 20;
const FIRST_BATCH_CHUNKS = 2;
const BATCH_CHUNKS = 8;
const HEADER_GUESS_BYTES = 4096;
const MAX_HEADER_BYTES = 64 * 1024;
// Playback stalled this close to the end of what is buffered, with more buffered later: a gap between segments.
// Chromium stalls short of a range's end (0.5 s at 8x speed), and the pump appends in order, so a later range is
// never the rest of this one.
const GAP_SLACK_SECONDS = 3;

export class Player {
  /** `onState(text)` reports progress for the page; `onError(error)` a failure that stopped playback. */
  constructor(video, api, decryptor, onState, onError) {
    Object.assign(this, { video, api, decryptor, onState, onError });
    this.generation = 0;
    this.running = Promise.resolve();
    this.controller = null;
    this.onSeeking = () => this.seeked();
    this.onWaiting = () => this.jumpGap();
  }

  /** Opens a recording and starts fetching from its beginning; resolves once the first segment is ready to play. */
  async open(recordingId) {
    this.close();
    const generation = ++this.generation;
    this.recordingId = recordingId;
    // The MediaSource opens while the manifest and the first segment's head are fetched and decrypted.
    const mediaSource = this.mediaSource = new MediaSource();
    const sourceOpen = new Promise((resolve) => mediaSource.addEventListener('sourceopen', resolve, { once: true }));
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.video.src = this.objectUrl;
    this.onState('reading the manifest');
    const manifest = await this.api.json('GET', `/recordings/${encodeURIComponent(recordingId)}/manifest`);
    this.segments = manifest.segments.filter((s) => s.initSegmentBytes > 0 && s.fragments?.length > 0).map((s) => ({
      number: s.number,
      key: `${recordingId}/${s.number}`,
      start: s.mediaStartSeconds,
      duration: s.durationSeconds,
      bytes: s.bytes,
      initBytes: s.initSegmentBytes,
      fragments: s.fragments,
      truncated: s.truncated === true,
      layout: null,
      init: null,
    }));
    if (this.segments.length === 0) throw new Error('this recording has no finished segment to play yet');
    const first = this.segments[0];
    await this.openSegment(first, null);
    const type = mimeTypeOf(first.init);
    if (!MediaSource.isTypeSupported(type)) throw new Error(`this browser cannot play ${type}`);
    if (generation !== this.generation) return;

    await sourceOpen;
    if (generation !== this.generation) return;
    this.sourceBuffer = this.mediaSource.addSourceBuffer(type);
    this.sourceBuffer.mode = 'segments';
    const last = this.segments[this.segments.length - 1];
    this.mediaSource.duration = last.start + last.duration;
    this.video.addEventListener('seeking', this.onSeeking);
    this.video.addEventListener('waiting', this.onWaiting);
    this.startAt(0);
  }

  close() {
    this.generation++;
    this.controller?.abort();
    this.video.removeEventListener('seeking', this.onSeeking);
    this.video.removeEventListener('waiting', this.onWaiting);
    if (this.objectUrl) {
      this.video.removeAttribute('src');
      this.video.load();
      URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = null;
    }
    for (const segment of this.segments ?? []) if (segment.layout) this.decryptor.close(segment.key).catch(() => {});
    this.segments = [];
    this.cache = null;
  }

  seeked() {
    const time = this.video.currentTime;
    if (this.isBuffered(time)) return;
    this.startAt(time);
  }

  /** Stops what is being fetched and appends again from the fragment holding media time `time`. */
  startAt(time) {
    const generation = ++this.generation;
    this.controller?.abort();
    const controller = this.controller = new AbortController();
    let s = 0;
    while (s + 1 < this.segments.length && this.segments[s + 1].start <= time) s++;
    const segment = this.segments[s];
    let f = 0;
    while (f + 1 < segment.fragments.length && segment.fragments[f + 1][0] <= time - segment.start + 1e-6) f++;
    this.video.dataset.loadedFrom = (segment.start + segment.fragments[f][0]).toFixed(3);
    const previous = this.running;
    this.running = (async () => {
      await previous.catch(() => {});
      if (generation !== this.generation) return;
      try {
        await this.clearBuffer();
        await this.pump(generation, s, segment.fragments[f][1], controller.signal);
      } catch (e) {
        if (e.name !== 'AbortError' && generation === this.generation) this.onError(e);
      }
    })();
  }

  async pump(generation, firstSegment, firstOffset, signal) {
    for (let s = firstSegment; s < this.segments.length; s++) {
      const segment = this.segments[s];
      await this.openSegment(segment, signal);
      if (generation !== this.generation) return;
      // Every segment is its own fMP4 with times from 0: shift it to where it belongs in the recording.
      await this.whenIdle();
      this.sourceBuffer.timestampOffset = segment.start;
      await this.append(segment.init);
      let offset = s === firstSegment ? firstOffset : segment.fragments[0][1];
      let batch = FIRST_BATCH_CHUNKS;
      // A truncated segment's tail (from its last listed fragment on) is fetched as one piece and cut after its last whole fragment.
      const tail = segment.truncated ? segment.fragments[segment.fragments.length - 1][1] : null;
      const tailChunk = tail === null ? Infinity : segment.layout.chunkOf(tail);
      while (offset < this.plaintextEnd(segment)) {
        await this.waitForRoom(generation);
        if (generation !== this.generation) return;
        const firstChunk = segment.layout.chunkOf(offset);
        const inTail = firstChunk >= tailChunk;
        const lastChunk = inTail ? segment.layout.chunkCount - 1 : Math.min(segment.layout.chunkCount - 1, firstChunk + batch - 1, tailChunk - 1);
        const plaintext = await this.chunks(segment, firstChunk, lastChunk, signal);
        if (generation !== this.generation) return;
        this.onState(`playing segment ${segment.number}`);
        const base = firstChunk * CHUNK_BYTES;
        await this.append(plaintext.subarray(offset - base, inTail ? wholeFragmentsEnd(plaintext, tail - base) : plaintext.length));
        this.jumpGap();
        offset = inTail ? Infinity : (lastChunk + 1) * CHUNK_BYTES;
        batch = BATCH_CHUNKS;
      }
    }
    if (generation !== this.generation) return;
    await this.whenIdle();
    if (this.mediaSource.readyState === 'open') this.mediaSource.endOfStream();
    this.onState('all of the recording is loaded');
  }

  plaintextEnd(segment) {
    return segment.layout.chunkCount * CHUNK_BYTES;
  }

  /**
   * Reads a segment's header, has the worker unwrap its file key, and decrypts its init segment (once per segment).
   * One request usually does: the header (a few hundred bytes) is read with the first chunks, which hold the init
   * segment and the first fragment.
   */
  async openSegment(segment, signal) {
    if (segment.layout) return;
    const guess = HEADER_GUESS_BYTES + FIRST_BATCH_CHUNKS * SEALED_CHUNK_BYTES;
    let head = await this.api.range(this.recordingId, segment.number, 0, Math.min(segment.bytes, guess) - 1, signal);
    let length = headerLength(head);
    if (length < 0 && segment.bytes > guess) {
      head = await this.api.range(this.recordingId, segment.number, 0, Math.min(segment.bytes, MAX_HEADER_BYTES) - 1, signal);
      length = headerLength(head);
    }
    if (length < 0 || length + 16 > head.length) throw new Error(`segment ${segment.number} does not start with an age header`);
    await this.decryptor.open(segment.key, head.slice(0, length + 16));
    segment.layout = new PayloadLayout(segment.bytes, length, segment.truncated);
    if (segment.layout.chunkCount === 0) throw new Error(`segment ${segment.number} holds no whole chunk to play`);
    const lastInitChunk = Math.max(segment.layout.chunkOf(segment.initBytes - 1), Math.min(segment.layout.chunkCount - 1, FIRST_BATCH_CHUNKS - 1));
    const [, to] = segment.layout.ciphertextRange(0, lastInitChunk);
    const plaintext = await this.chunks(segment, 0, lastInitChunk, signal, to < head.length ? head : null);
    segment.init = plaintext.slice(0, segment.initBytes);
  }

  /**
   * Plaintext of chunks [first, last] of a segment, fetched unless `fetched` (the segment's bytes from 0) holds them;
   * the last range read is kept, since the init and the first fragment share chunks.
   */
  async chunks(segment, first, last, signal, fetched = null) {
    const cached = this.cache;
    if (cached && cached.key === segment.key && cached.first <= first && last <= cached.last) {
      return cached.plaintext.subarray((first - cached.first) * CHUNK_BYTES, (last + 1 - cached.first) * CHUNK_BYTES);
    }
    const [from, to] = segment.layout.ciphertextRange(first, last);
    const sealed = fetched ? fetched.slice(from, to + 1) : await this.api.range(this.recordingId, segment.number, from, to, signal);
    if (sealed.length !== to - from + 1) throw new Error(`segment ${segment.number}: the service sent ${sealed.length} bytes for ${to - from + 1}`);
    const finalChunk = segment.truncated ? -1 : segment.layout.chunkCount - 1;
    const { plaintext } = await this.decryptor.decrypt(segment.key, first, finalChunk, sealed);
    this.cache = { key: segment.key, first, last, plaintext };
    return plaintext;
  }

  /**
   * Playback waits at the end of a buffered range while a later one is buffered: media is missing between two
   * segments (a worker died and another took the recording over), so it goes on where the next one starts.
   */
  jumpGap() {
    const ranges = this.sourceBuffer?.buffered;
    if (!ranges || this.video.seeking || this.video.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) return;
    const now = this.video.currentTime;
    for (let i = 0; i < ranges.length; i++) {
      if (ranges.start(i) > now) {
        const stalledAtEnd = i === 0 || ranges.end(i - 1) - now < GAP_SLACK_SECONDS;
        if (stalledAtEnd) this.video.currentTime = ranges.start(i);
        return;
      }
    }
  }

  isBuffered(time) {
    const ranges = this.sourceBuffer?.buffered;
    if (!ranges) return false;
    for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= time && time < ranges.end(i)) return true;
    return false;
  }

  bufferedAhead() {
    const ranges = this.sourceBuffer.buffered;
    const now = this.video.currentTime;
    for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= now + 0.1 && now < ranges.end(i)) return ranges.end(i) - now;
    return 0;
  }

  /** Waits while enough is buffered ahead; a seek or the next time update lets it look again. */
  async waitForRoom(generation) {
    while (generation === this.generation && this.bufferedAhead() > AHEAD_SECONDS) {
      await new Promise((resolve) => {
        const done = () => {
          this.video.removeEventListener('timeupdate', done);
          this.video.removeEventListener('seeking', done);
          resolve();
        };
        this.video.addEventListener('timeupdate', done);
        this.video.addEventListener('seeking', done);
      });
    }
  }

  whenIdle() {
    if (!this.sourceBuffer.updating) return Promise.resolve();
    return new Promise((resolve) => this.sourceBuffer.addEventListener('updateend', resolve, { once: true }));
  }

  async append(bytes) {
    await this.whenIdle();
    await this.trimBehind();
    try {
      this.sourceBuffer.appendBuffer(bytes);
    } catch (e) {
      if (e.name !== 'QuotaExceededError') throw e;
      await this.trimBehind(0);
      this.sourceBuffer.appendBuffer(bytes);
    }
    await this.whenIdle();
    if (this.video.error) throw new Error(`the browser could not decode the recording: ${this.video.error.message}`);
  }

  /** Removes what was played more than `behind` seconds ago. */
  async trimBehind(behind = BEHIND_SECONDS) {
    const ranges = this.sourceBuffer.buffered;
    const until = this.video.currentTime - behind;
    if (ranges.length === 0 || ranges.start(0) >= until - (behind === 0 ? 0 : 10)) return;
    this.sourceBuffer.remove(0, until);
    await this.whenIdle();
  }

  /** After a seek outside the buffer: drop everything, and reset the parser so the next append may start at a fragment. */
  async clearBuffer() {
    await this.whenIdle();
    if (this.mediaSource.readyState === 'open') this.sourceBuffer.abort();
    if (this.sourceBuffer.buffered.length > 0) {
      this.sourceBuffer.remove(0, Infinity);
      await this.whenIdle();
    }
  }
}
