// How the add-on reads the service's answers, against scripted HTTP responses (no Docket needed).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { addonDir, linkIn, loadAddon } from '../standins/harness.mjs';

const servers = [];
after(() => servers.forEach((s) => s.kill()));

async function scripted(responses) {
  const child = spawn(process.execPath, [join(addonDir, 'standins', 'flaky_server.mjs'), JSON.stringify(responses)], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  const [chunk] = await once(child.stdout, 'data');
  const url = `http://127.0.0.1:${String(chunk).trim()}`;
  const received = () =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `process.stdout.write(await (await fetch(process.argv[1])).text())`, url + '/received'], { encoding: 'utf8' }));
  return { url, received };
}

const SECTION_URL = 'https://docs.google.com/document/d/doc-1/edit#heading=h.abc123';

test('a 503 (cold start) is retried once with the same body, then the link is shown', async () => {
  const server = await scripted([
    { status: 503, body: 'Service Unavailable' },
    { status: 200, body: { url: SECTION_URL, itemId: 'x', kind: 'fyi', created: true } },
  ]);
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: server.url + '/' }, token: 'tok', documentId: 'doc-1', prompts: [{ text: 'FYI: new macro' }] });
  addon.docketAddFyi();
  const got = server.received();
  assert.equal(got.length, 2);
  assert.equal(got[0].body, got[1].body, 'the retry carries the same itemId');
  assert.equal(got[0].path, '/addon/items');
  assert.equal(got[0].authorization, 'Bearer tok');
  assert.match(got[0].contentType, /^application\/json/);
  assert.equal(linkIn(record.dialogs[0].html).href, SECTION_URL);
});

test("the service's error message is shown as it is, and a 4xx is not retried", async () => {
  const server = await scripted([{ status: 409, body: { error: { code: 'conflict', message: 'Someone is editing: try again in a moment ✋' } } }]);
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: server.url }, token: 'tok', documentId: 'doc-1' });
  addon.docketAddSection();
  assert.equal(server.received().length, 1);
  assert.deepEqual(record.alerts.map((a) => a.message), ['Someone is editing: try again in a moment ✋']);
  assert.equal(record.dialogs.length, 0);
});

test('a non-JSON error page becomes a short message with the status', async () => {
  const server = await scripted([{ status: 500, body: '<html>Internal Server Error</html>' }]);
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: server.url }, token: 'tok', documentId: 'doc-1' });
  addon.docketAddSection();
  assert.match(record.alerts[0].message, /HTTP 500/);
});

test('HTML in the answer is escaped, and a non-http link is never rendered', async () => {
  const server = await scripted([{ status: 200, body: { url: 'javascript:alert(1)', created: true } }]);
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: server.url }, token: 'tok', documentId: 'doc-1' });
  addon.docketAddSection();
  assert.equal(record.dialogs.length, 0);
  assert.match(record.alerts[0].message, /no usable link/);

  const quoted = await scripted([{ status: 200, body: { url: 'https://docs.google.com/document/d/a"b<c>/edit#heading=h.1', created: false } }]);
  const second = loadAddon({ properties: { DOCKET_URL: quoted.url }, token: 'tok', documentId: 'doc-1' });
  second.addon.docketAddSection();
  const html = second.record.dialogs[0].html;
  assert.ok(!html.includes('a"b<c>'), html);
  assert.equal(linkIn(html).href, 'https://docs.google.com/document/d/a"b<c>/edit#heading=h.1');
});

test('no identity token (openid scope missing) is explained without a request', async () => {
  const server = await scripted([{ status: 200, body: { url: SECTION_URL } }]);
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: server.url }, token: null, documentId: 'doc-1' });
  addon.docketAddSection();
  assert.equal(server.received().length, 0);
  assert.match(record.alerts[0].message, /openid/);
});
