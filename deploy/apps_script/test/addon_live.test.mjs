// The add-on against a live `docket serve` (embedded default), with real signed ID tokens.
// tests/deploy/test_apps_script.py starts the service and a local OIDC signer, makes the documents,
// mints the tokens and runs this file with:
//   DOCKET_URL                     the service, e.g. http://127.0.0.1:PORT
//   DOCKET_TEST_CLIENT_ID          the add-on client id the tokens are issued for (auth.addon_client_ids)
//   DOCKET_TEST_TOKEN_MANAGER      ID token of the 1:1's manager, also a leadership member
//   DOCKET_TEST_TOKEN_REPORT       ID token of the 1:1's report (not a leadership member)
//   DOCKET_TEST_TOKEN_OUTSIDER     ID token of someone in the domain who is in neither document
//   DOCKET_TEST_ONE_ON_ONE_DOC     the 1:1 document's id
//   DOCKET_TEST_AGENDA_DOC         the leadership agenda document's id
// Without DOCKET_URL these tests skip, unless DOCKET_TEST_REQUIRE_LIVE=1 (set by the pytest driver).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { linkIn, loadAddon } from '../standins/harness.mjs';

const env = process.env;
const live = Boolean(env.DOCKET_URL);
if (!live && env.DOCKET_TEST_REQUIRE_LIVE === '1') {
  throw new Error('DOCKET_TEST_REQUIRE_LIVE=1 but DOCKET_URL is not set');
}
const skip = live ? false : 'no live Docket service (DOCKET_URL unset); run tests/deploy/test_apps_script.py';

function addonAs(token, documentId, prompts = []) {
  return loadAddon({ properties: { DOCKET_URL: env.DOCKET_URL }, token, documentId, prompts });
}

function onlyDialogLink(record) {
  assert.deepEqual(record.alerts, [], 'no error shown');
  assert.equal(record.dialogs.length, 1, 'one dialog');
  assert.equal(record.dialogs[0].modal, false, 'modeless: the user keeps editing');
  const link = linkIn(record.dialogs[0].html);
  assert.ok(link, 'the dialog has a link: ' + record.dialogs[0].html);
  assert.equal(link.target, '_blank');
  return link;
}

function assertSentWithToken(fetch, path, token, body) {
  assert.equal(fetch.url, env.DOCKET_URL.replace(/\/+$/, '') + path);
  assert.equal(fetch.options.method, 'post');
  assert.equal(fetch.options.contentType, 'application/json');
  assert.equal(fetch.options.muteHttpExceptions, true);
  assert.equal(fetch.options.headers.Authorization, 'Bearer ' + token);
  assert.deepEqual(JSON.parse(fetch.options.payload), body);
}

/** The service's own answer to a request, straight from HTTP (for comparing error messages). */
function directPost(path, token, body) {
  const script = `const r = await fetch(process.argv[1], {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + process.argv[2]}, body: process.argv[3]});
process.stdout.write(JSON.stringify({status: r.status, body: await r.json()}));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, env.DOCKET_URL + path, token, JSON.stringify(body)], { encoding: 'utf8' });
  return JSON.parse(out);
}

describe('live: Extensions ▸ Docket against docket serve', { skip }, () => {
  test("docketShowClientId reads the audience out of a real identity token", () => {
    const { addon, record } = addonAs(env.DOCKET_TEST_TOKEN_MANAGER, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    assert.equal(addon.docketShowClientId(), env.DOCKET_TEST_CLIENT_ID);
    assert.match(record.logs[0], new RegExp(env.DOCKET_TEST_CLIENT_ID.replace(/[.]/g, '\\.')));
  });

  test("Add this week's section: the manager gets a link to the section's heading", () => {
    const { addon, record } = addonAs(env.DOCKET_TEST_TOKEN_MANAGER, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    addon.docketAddSection();
    assert.equal(record.fetches.length, 1);
    assertSentWithToken(record.fetches[0], '/addon/section', env.DOCKET_TEST_TOKEN_MANAGER, { documentId: env.DOCKET_TEST_ONE_ON_ONE_DOC });
    const link = onlyDialogLink(record);
    assert.match(link.href, /#heading=h\.[A-Za-z0-9_-]+$/);
    assert.ok(link.href.includes(env.DOCKET_TEST_ONE_ON_ONE_DOC), link.href);
  });

  test('again, as the report: the same section, reported as already there', () => {
    const first = addonAs(env.DOCKET_TEST_TOKEN_MANAGER, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    first.addon.docketAddSection();
    const second = addonAs(env.DOCKET_TEST_TOKEN_REPORT, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    second.addon.docketAddSection();
    const [a, b] = [onlyDialogLink(first.record), onlyDialogLink(second.record)];
    assert.equal(b.href, a.href, 'exactly one section per week');
    assert.match(second.record.dialogs[0].html, /already/);
  });

  for (const [menuFunction, kind] of [
    ['docketAddAgendaItem', 'discussion'],
    ['docketAddFyi', 'fyi'],
    ['docketAddConfidentialItem', 'confidential'],
  ]) {
    test(`${menuFunction}: a leadership member's ${kind} item reaches the agenda, and the link is shown`, () => {
      const text = `Deploy check ${kind} 🚀 ${Date.now()}`;
      const { addon, record } = addonAs(env.DOCKET_TEST_TOKEN_MANAGER, env.DOCKET_TEST_AGENDA_DOC, [{ text: '  ' + text + '  ' }]);
      addon[menuFunction]();
      assert.equal(record.prompts.length, 1);
      assert.equal(record.fetches.length, 1);
      const sent = JSON.parse(record.fetches[0].options.payload);
      assert.match(sent.itemId, /^[0-9a-f-]{36}$/, 'one idempotency key per click');
      assertSentWithToken(record.fetches[0], '/addon/items', env.DOCKET_TEST_TOKEN_MANAGER, {
        documentId: env.DOCKET_TEST_AGENDA_DOC,
        text,
        kind,
        itemId: sent.itemId,
      });
      const link = onlyDialogLink(record);
      assert.match(link.href, /^https?:\/\//);
    });
  }

  test("a non-participant sees the service's own 403 message", () => {
    const expected = directPost('/addon/section', env.DOCKET_TEST_TOKEN_OUTSIDER, { documentId: env.DOCKET_TEST_ONE_ON_ONE_DOC });
    assert.equal(expected.status, 403);
    assert.ok(expected.body.error.message);
    const { addon, record } = addonAs(env.DOCKET_TEST_TOKEN_OUTSIDER, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    addon.docketAddSection();
    assert.equal(record.dialogs.length, 0);
    assert.deepEqual(record.alerts.map((a) => a.message), [expected.body.error.message]);
  });

  test("a non-member adding to the leadership agenda sees the service's refusal", () => {
    const body = { documentId: env.DOCKET_TEST_AGENDA_DOC, text: 'not mine to add', kind: 'discussion' };
    const expected = directPost('/addon/items', env.DOCKET_TEST_TOKEN_REPORT, body);
    assert.equal(expected.status, 403);
    const { addon, record } = addonAs(env.DOCKET_TEST_TOKEN_REPORT, env.DOCKET_TEST_AGENDA_DOC, [{ text: body.text }]);
    addon.docketAddAgendaItem();
    assert.deepEqual(record.alerts.map((a) => a.message), [expected.body.error.message]);
  });

  test("a token for another client id is refused by the service, and its message shown", () => {
    const [header, , signature] = env.DOCKET_TEST_TOKEN_MANAGER.split('.');
    // Same signature over different claims: the service must reject it (401), never trust the payload.
    const claims = JSON.parse(Buffer.from(env.DOCKET_TEST_TOKEN_MANAGER.split('.')[1], 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, aud: 'someone-else.apps.googleusercontent.com' })).toString('base64url'), signature].join('.');
    const expected = directPost('/addon/section', forged, { documentId: env.DOCKET_TEST_ONE_ON_ONE_DOC });
    assert.equal(expected.status, 401);
    const { addon, record } = addonAs(forged, env.DOCKET_TEST_ONE_ON_ONE_DOC);
    addon.docketAddSection();
    assert.deepEqual(record.alerts.map((a) => a.message), [expected.body.error.message]);
  });
});
