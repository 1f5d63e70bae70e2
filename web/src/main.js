// The playback page: sign in with the host's API token, list recordings, start and stop one, and play one with the
// host's age identity, which stays in this page as a non-extractable CryptoKey (docs/playback.md).
import { Api, ApiError } from './api.js';
import { Decryptor } from './decryptor.js';
import { loadIdentity } from './identity.js';
import { Player } from './player.js';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'recorder.session';

const ui = {
  signin: $('signin'), apiUrl: $('api-url'), token: $('token'), signout: $('signout'),
  identity: $('identity'), identityState: $('identity-state'),
  recordings: $('recordings'), rows: $('recording-rows'), refresh: $('refresh'),
  start: $('start'), meeting: $('meeting'), duration: $('duration'),
  video: $('player'), state: $('state'), error: $('error'),
};

let api = null;
let identityKey = null;
let player = null;
const decryptor = new Decryptor(new URL('worker.js', import.meta.url));

function showError(error) {
  const hint = error.hint ? ` (${error.hint})` : '';
  ui.error.textContent = `${error.message}${hint}`;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function setState(text) {
  ui.state.textContent = text;
}

// Only the service's address and the API token are kept, for this tab's session (sessionStorage); never the identity.
function restoreSession() {
  const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  if (!saved) return;
  ui.apiUrl.value = saved.base;
  api = new Api(saved.base, saved.token);
  document.body.dataset.signedIn = 'true';
  refresh();
}

ui.signin.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const candidate = new Api(ui.apiUrl.value.trim(), ui.token.value.trim());
  try {
    await candidate.json('GET', '/recordings?limit=1');
  } catch (e) {
    showError(e);
    return;
  }
  api = candidate;
  ui.token.value = '';
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ base: api.base, token: api.token }));
  document.body.dataset.signedIn = 'true';
  await refresh();
});

ui.signout.addEventListener('click', () => {
  sessionStorage.removeItem(SESSION_KEY);
  api = null;
  clearTimeout(nextRefresh);
  completedDetails.clear();
  seenLive.clear();
  player?.close();
  document.body.dataset.signedIn = 'false';
  ui.rows.replaceChildren();
});

ui.identity.addEventListener('change', async () => {
  clearError();
  const file = ui.identity.files?.[0];
  ui.identity.value = ''; // the page keeps no reference to the file
  if (!file) return;
  try {
    const { key, recipient } = await loadIdentity(file);
    await decryptor.setIdentity(key);
    identityKey = key;
    ui.identityState.textContent = `identity loaded for ${recipient}`;
    document.body.dataset.identity = 'loaded';
  } catch (e) {
    identityKey = null;
    document.body.dataset.identity = 'none';
    ui.identityState.textContent = 'no identity loaded';
    showError(e);
  }
});

ui.refresh.addEventListener('click', () => refresh());

// While a recording is under way (or about to start), the list refreshes itself every LIVE_REFRESH_MS, so the page
// shows it joining, recording, finalizing and completed without a click on Refresh.
const LIVE_REFRESH_MS = 2000;
const LIVE_STATES = ['joining', 'recording', 'finalizing'];
let nextRefresh = null;

function isLive(recording) {
  return LIVE_STATES.includes(recording.state) || (recording.state === 'scheduled' && Date.parse(recording.startAt) - Date.now() < 60_000);
}

// The listing carries no segments: its duration is the wall time from recording to completed, and its bytesUploaded
// the progress so far (the stored size once a recording has ended). For a recording this page saw under way, or
// listed without a size, the page asks once, when it has completed, for the whole recording (GET /recordings/{id}),
// whose segments give the media's duration and size. (Not for every completed recording: a long list would spend
// the token's request rate.)
const completedDetails = new Map();
const seenLive = new Set();

function withSize(current, recording) {
  const id = recording.recordingId;
  if (isLive(recording)) seenLive.add(id);
  if (recording.state !== 'completed' || recording.segments?.length || (recording.bytesUploaded && !seenLive.has(id))) return recording;
  if (!completedDetails.has(id)) {
    completedDetails.set(id, current.json('GET', `/recordings/${encodeURIComponent(id)}`).catch(() => {
      completedDetails.delete(id); // asked again at the next refresh
      return recording;
    }));
  }
  return completedDetails.get(id);
}

async function refresh() {
  clearTimeout(nextRefresh);
  nextRefresh = null;
  if (!api) return;
  const current = api;
  try {
    const list = await current.json('GET', '/recordings?limit=200');
    const items = await Promise.all(list.items.map((r) => withSize(current, r)));
    if (api !== current) return; // signed out meanwhile
    ui.rows.replaceChildren(...items.map(row));
    document.body.dataset.listed = String(list.items.length);
    if (list.items.some(isLive)) nextRefresh = setTimeout(refresh, LIVE_REFRESH_MS);
  } catch (e) {
    showError(e);
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function button(text, action, recordingId) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.action = action;
  b.dataset.recording = recordingId;
  return b;
}

function row(recording) {
  const tr = document.createElement('tr');
  tr.dataset.recording = recording.recordingId;
  tr.dataset.state = recording.state;
  // The listing carries no segments (GET /recordings/{id} does): duration from the state times, size from bytes uploaded.
  const times = recording.times ?? {};
  const from = times.recording ? Date.parse(times.recording) : null;
  const until = Date.parse(times.completed ?? times.failed ?? '') || Date.now();
  const seconds = recording.segments?.length ? recording.segments.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0)
    : from ? Math.max(0, (until - from) / 1000) : 0;
  const bytes = recording.segments?.length ? recording.segments.reduce((sum, s) => sum + (s.bytes ?? 0), 0) : (recording.bytesUploaded ?? 0);
  tr.dataset.seconds = seconds.toFixed(1);
  const actions = document.createElement('td');
  if (recording.state !== 'scheduled') actions.append(button('Play', 'play', recording.recordingId));
  if (['joining', 'recording'].includes(recording.state)) actions.append(button('Stop', 'stop', recording.recordingId));
  tr.append(cell(recording.recordingId), cell(recording.state), cell(formatDuration(seconds)), cell(formatBytes(bytes)),
    cell(new Date(recording.startAt).toLocaleString()), actions);
  return tr;
}

export function formatDuration(seconds) {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(1)} ${units[unit]}`;
}

ui.rows.addEventListener('click', async (event) => {
  const target = event.target.closest('button[data-action]');
  if (!target) return;
  clearError();
  const id = target.dataset.recording;
  if (target.dataset.action === 'stop') {
    target.disabled = true; // one stop request per click
    try {
      const stopped = await api.json('POST', `/recordings/${encodeURIComponent(id)}/stop`);
      setState(`recording ${id} is stopping (${stopped.state})`);
    } catch (e) {
      showError(e);
    }
    await refresh();
    return;
  }
  await play(id);
});

async function play(id) {
  if (!identityKey) {
    showError(new Error('pick your identity file first: the recording is decrypted here, with your key'));
    return;
  }
  const pressed = performance.now();
  delete ui.video.dataset.firstFrameMs;
  ui.video.dataset.recording = id;
  ui.video.dataset.state = 'opening';
  player?.close();
  player = new Player(ui.video, api, decryptor, setState, (e) => fail(e));
  try {
    await player.open(id);
    ui.video.requestVideoFrameCallback((now) => {
      ui.video.dataset.firstFrameMs = (now - pressed).toFixed(1);
    });
    ui.video.dataset.state = 'playing';
    await ui.video.play();
  } catch (e) {
    fail(e);
  }
}

function fail(e) {
  ui.video.dataset.state = 'error';
  setState('stopped');
  if (e.code === 'wrong-identity') {
    showError(new Error('this identity cannot open this recording: it was encrypted for another key. Pick the identity file of the host whose public key is registered (recorder hosts list shows it)'));
  } else {
    showError(e);
  }
}

ui.start.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const body = { meeting: ui.meeting.value.trim() };
  if (ui.duration.value.trim()) body.maxDuration = ui.duration.value.trim();
  try {
    const created = await api.json('POST', '/recordings', body);
    setState(`recording ${created.recordingId} is ${created.state}`);
    await refresh();
  } catch (e) {
    showError(e instanceof ApiError ? e : new Error(String(e)));
  }
});

ui.video.addEventListener('error', () => {
  if (ui.video.error && ui.video.dataset.state !== 'error') fail(new Error(`the browser could not play the recording: ${ui.video.error.message}`));
});

ui.apiUrl.value = '';
restoreSession();
