// The add-on on its own (no service): the manifest, the menu, and what it does before any request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addonDir, loadAddon } from '../standins/harness.mjs';

const MENU = [
  ["Add this week's section", 'docketAddSection'],
  ['Add agenda item…', 'docketAddAgendaItem'],
  ['Add FYI…', 'docketAddFyi'],
  ['Add confidential item…', 'docketAddConfidentialItem'],
];

test('the manifest asks for exactly the five scopes the add-on needs, and allow-lists the service', () => {
  const manifest = JSON.parse(readFileSync(join(addonDir, 'appsscript.json'), 'utf8'));
  assert.deepEqual([...manifest.oauthScopes].sort(), [
    'https://www.googleapis.com/auth/documents.currentonly',
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid',
  ]);
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.ok(manifest.urlFetchWhitelist.length >= 1);
  for (const prefix of manifest.urlFetchWhitelist) assert.match(prefix, /^https:\/\/[^/]+\/$/);
});

for (const trigger of ['onOpen', 'onInstall']) {
  test(`${trigger} adds the add-on menu with the four items, each bound to a function`, () => {
    const { addon, record } = loadAddon();
    addon[trigger]({ authMode: trigger === 'onOpen' ? 'NONE' : 'FULL' });
    assert.equal(record.menus.length, 1);
    const [menu] = record.menus;
    assert.equal(menu.kind, 'addon');
    assert.ok(menu.added, 'menu.addToUi() was called');
    assert.deepEqual(menu.items.map((i) => [i.caption, i.functionName]), MENU);
    for (const [, fn] of MENU) assert.equal(typeof addon[fn], 'function', fn);
    assert.equal(record.fetches.length, 0, 'opening a document calls no service');
  });
}

test('cancelling the prompt sends nothing', () => {
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: 'https://docket.invalid' }, token: 't', prompts: [{ button: 'CANCEL', text: 'x' }] });
  addon.docketAddAgendaItem();
  assert.equal(record.prompts.length, 1);
  assert.equal(record.fetches.length, 0);
  assert.equal(record.alerts.length, 0);
});

test('empty text is refused in the add-on, without a request', () => {
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: 'https://docket.invalid' }, token: 't', prompts: [{ text: '   ' }] });
  addon.docketAddFyi();
  assert.equal(record.fetches.length, 0);
  assert.match(record.alerts[0].message, /empty/);
});

test('a missing DOCKET_URL Script Property is explained, not a crash', () => {
  const { addon, record } = loadAddon({ token: 't' });
  addon.docketAddSection();
  assert.equal(record.fetches.length, 0);
  assert.match(record.alerts[0].message, /DOCKET_URL/);
});

test('a plain-http DOCKET_URL outside this machine is refused', () => {
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: 'http://docket.example.com' }, token: 't' });
  addon.docketAddSection();
  assert.equal(record.fetches.length, 0);
  assert.match(record.alerts[0].message, /https:\/\//);
});

test('an unreachable service is reported with its URL', () => {
  // Port 9 (discard) on 127.0.0.1: nothing listens there in a test environment.
  const { addon, record } = loadAddon({ properties: { DOCKET_URL: 'http://127.0.0.1:9' }, token: 't', documentId: 'd' });
  addon.docketAddSection();
  assert.equal(record.fetches.length, 2, 'one retry after a network failure');
  assert.deepEqual(record.sleeps, [1000]);
  assert.match(record.alerts[0].message, /Could not reach Docket at http:\/\/127\.0\.0\.1:9/);
});
