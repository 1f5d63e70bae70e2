// Drives Debian's Chromium for Recorder's tests (Recorder.Tests/Infrastructure/HeadlessChromium.cs) with
// playwright-core, which downloads no browser: one browser for the life of this process, a fresh context per page.
//
//   node localstack/browser/driver.mjs [/usr/bin/chromium]
//
// Prints {"ready":true,"version":"…"} once the browser runs, then reads one JSON command a line on stdin and answers
// each with one JSON line on stdout:
//   {"id":1,"op":"open","url":"file:///tmp/report.html","text":["#summary"],"count":["img"],
//    "evaluate":["document.images.length"],"media":"print","screenshot":"/tmp/report.png"}
//   -> {"id":1,"title":"…","text":{"#summary":"…"},"count":{"img":0},"evaluated":{"document.images.length":0},
//       "console":[{"type":"error","text":"…"}],"pageErrors":["…"],"requests":[{"url":"…","method":"GET","resourceType":"image"}],
//       "failedRequests":[…],"dialogs":[{"type":"alert","message":"1"}],"loadMs":42}
// "steps" act on the page after its load event, in order, before the probes above:
//   {"op":"fill","selector":"#token","value":"…"}   {"op":"click","selector":"button"}
//   {"op":"files","selector":"input[type=file]","name":"host.key","base64":"…"}
//   {"op":"waitFor","expression":"document.body.dataset.ready === 'true'","timeoutMs":30000}   (fails the command on timeout;
//                                                      with "describe": an expression whose value the failure shows)
//   {"op":"evaluate","expression":"video.currentTime","name":"before seek"}                     (into "evaluated")
// Every request is reported with all its headers and its body (base64), for tests that check what a page sends.
// A command that fails answers {"id":…,"error":"…"}. The end of stdin closes the browser, and then this process ends.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const executablePath = process.argv[2] ?? '/usr/bin/chromium';
// What works here (shared notes, browser.md); Playwright adds --no-sandbox and its own headless flags.
const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');

const browser = await chromium.launch({ executablePath, headless: true, args });
send({ ready: true, version: browser.version() });

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  let id = null;
  try {
    const command = JSON.parse(line);
    id = command.id ?? null;
    if (command.op !== 'open') throw new Error(`unknown op '${command.op}' (known: open)`);
    send({ id, ...await open(command) });
  } catch (e) {
    send({ id, error: String(e?.stack ?? e) });
  }
}
await browser.close();

/** Opens one page in a new context and reports what it showed, logged and asked for. */
async function open(command) {
  const context = await browser.newContext();
  try {
    const seen = { console: [], pageErrors: [], requests: [], failedRequests: [], dialogs: [] };
    // On the context: also what a popup or a worker of the page would do.
    context.on('console', (m) => seen.console.push({ type: m.type(), text: m.text() }));
    context.on('weberror', (e) => seen.pageErrors.push(String(e.error()?.stack ?? e.error())));
    const pending = [];
    context.on('request', (r) => {
      const entry = { url: r.url(), method: r.method(), resourceType: r.resourceType(), body: r.postDataBuffer()?.toString('base64') ?? null };
      seen.requests.push(entry);
      pending.push(r.allHeaders().then((h) => { entry.headers = h; }, () => { entry.headers = r.headers(); }));
    });
    context.on('requestfailed', (r) => seen.failedRequests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType() }));
    context.on('dialog', (d) => {
      seen.dialogs.push({ type: d.type(), message: d.message() });
      d.dismiss().catch(() => {});
    });
    const page = await context.newPage();
    if (command.media) await page.emulateMedia({ media: command.media });
    const started = Date.now();
    await page.goto(command.url, { waitUntil: 'load', timeout: command.timeoutMs ?? 30000 });
    const loadMs = Date.now() - started;
    const evaluated = {};
    for (const step of command.steps ?? []) await act(page, step, evaluated);

    // Evaluated through the DevTools protocol: the page's Content-Security-Policy does not apply to it.
    const text = await page.evaluate((selectors) => Object.fromEntries(selectors.map(
      (s) => [s, document.querySelector(s)?.innerText ?? null])), command.text ?? []);
    const count = await page.evaluate((selectors) => Object.fromEntries(selectors.map(
      (s) => [s, document.querySelectorAll(s).length])), command.count ?? []);
    for (const expression of command.evaluate ?? []) evaluated[expression] = await page.evaluate(expression);
    if (command.screenshot) await page.screenshot({ path: command.screenshot, fullPage: true });
    await Promise.all(pending);
    return { title: await page.title(), text, count, evaluated, ...seen, loadMs };
  } finally {
    await context.close();
  }
}

/** One step of a command's "steps" (see the top of this file). */
async function act(page, step, evaluated) {
  switch (step.op) {
    case 'fill': return page.fill(step.selector, step.value);
    case 'click': return page.click(step.selector);
    case 'files':
      return page.setInputFiles(step.selector, { name: step.name, mimeType: 'application/octet-stream', buffer: Buffer.from(step.base64, 'base64') });
    case 'waitFor': {
      // Polled from here through the DevTools protocol (page.waitForFunction would need eval, which a strict CSP forbids).
      const until = Date.now() + (step.timeoutMs ?? 30000);
      for (;;) {
        if (await page.evaluate(step.expression)) return undefined;
        if (Date.now() > until) {
          const seen = step.describe ? `; then ${step.describe} = ${JSON.stringify(await page.evaluate(step.describe).catch((e) => String(e)))}` : '';
          throw new Error(`timed out after ${step.timeoutMs ?? 30000} ms waiting for ${step.expression}${seen}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    case 'evaluate':
      evaluated[step.name ?? step.expression] = await page.evaluate(step.expression);
      return undefined;
    default: throw new Error(`unknown step '${step.op}' (known: fill, click, files, waitFor, evaluate)`);
  }
}
