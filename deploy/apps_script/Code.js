/**
 * Docket's Docs editor add-on: the Extensions ▸ Docket menu, which asks the Docket service to add this
 * week's section or an agenda item to the open document, then shows a link to it or the service's error.
 *
 * The service URL is the Script Property DOCKET_URL (Project Settings ▸ Script Properties), e.g.
 * https://docket-123456789012.us-central1.run.app, and must also be listed in appsscript.json's
 * urlFetchWhitelist (deploy/gcloud/70-apps-script.sh writes it there).
 * Each request carries the user's Google ID token (ScriptApp.getIdentityToken(): audience = this
 * script's OAuth client id, which the service lists in auth.addon_client_ids); the service decides
 * who may do what. The add-on never logs item text: confidential items must stay in their doc.
 */

var ADDON_MENU_ITEMS = [
  ["Add this week's section", 'docketAddSection'],
  ['Add agenda item…', 'docketAddAgendaItem'],
  ['Add FYI…', 'docketAddFyi'],
  ['Add confidential item…', 'docketAddConfidentialItem'],
];

var ADDON_ITEM_KINDS = {
  discussion: { title: 'Add agenda item', prompt: 'Agenda item for this week:' },
  fyi: { title: 'Add FYI', prompt: 'FYI for this week (no discussion needed):' },
  confidential: {
    title: 'Add confidential item',
    prompt: 'Confidential item: written only in the confidential doc; the agenda shows a placeholder with your name.',
  },
};

/** Builds the menu. Runs in AuthMode.NONE before the add-on is authorised, so it touches no other service. */
function onOpen(e) {
  var menu = DocumentApp.getUi().createAddonMenu();
  for (var i = 0; i < ADDON_MENU_ITEMS.length; i++) {
    menu.addItem(ADDON_MENU_ITEMS[i][0], ADDON_MENU_ITEMS[i][1]);
  }
  menu.addToUi();
}

/** Runs once on installation (AuthMode.FULL); the menu must appear without reopening the doc. */
function onInstall(e) {
  onOpen(e);
}

/** Extensions ▸ Docket ▸ Add this week's section. */
function docketAddSection() {
  var result = docketPost_('/addon/section', { documentId: DocumentApp.getActiveDocument().getId() });
  if (!result.ok) {
    docketShowError_(result.message);
    return;
  }
  var message = result.body.created ? "This week's section is ready." : "This week's section was already here.";
  docketShowLink_(message, result.body.url, "Go to this week's section");
}

function docketAddAgendaItem() {
  docketAddItem_('discussion');
}

function docketAddFyi() {
  docketAddItem_('fyi');
}

function docketAddConfidentialItem() {
  docketAddItem_('confidential');
}

/**
 * Prints this script's OAuth client id (the `aud` of its identity tokens) and your email: run it once
 * from the Apps Script editor (Run ▸ docketShowClientId) and put the id into auth.addon_client_ids.
 */
function docketShowClientId() {
  var token = ScriptApp.getIdentityToken();
  if (!token) {
    throw new Error('No identity token: is the "openid" scope in appsscript.json?');
  }
  var segment = token.split('.')[1];
  segment += '===='.slice(0, (4 - (segment.length % 4)) % 4);
  var claims = JSON.parse(Utilities.newBlob(Utilities.base64DecodeWebSafe(segment)).getDataAsString());
  Logger.log('auth.addon_client_ids = ["%s"]   (token for %s)', claims.aud, claims.email);
  return claims.aud;
}

function docketAddItem_(kind) {
  var ui = DocumentApp.getUi();
  var labels = ADDON_ITEM_KINDS[kind];
  var response = ui.prompt(labels.title, labels.prompt, ui.ButtonSet.OK_CANCEL);
  if (response.getSelectedButton() !== ui.Button.OK) {
    return;
  }
  var text = response.getResponseText().trim();
  if (!text) {
    ui.alert(labels.title, 'Nothing was added: the text was empty.', ui.ButtonSet.OK);
    return;
  }
  var result = docketPost_('/addon/items', {
    documentId: DocumentApp.getActiveDocument().getId(),
    text: text,
    kind: kind,
    // One id per click: if the call is retried, the service adds the item once.
    itemId: Utilities.getUuid(),
  });
  if (!result.ok) {
    docketShowError_(result.message);
    return;
  }
  var done = kind === 'confidential' ? 'Added to the confidential doc.' : kind === 'fyi' ? 'FYI added.' : 'Agenda item added.';
  docketShowLink_(done, result.body.url, 'Open it');
}

/** HTTP statuses worth one more try: a cold start or a deploy in progress (both requests are idempotent). */
var ADDON_RETRY_STATUSES = [502, 503, 504];

/**
 * POSTs JSON to the Docket service with the user's ID token, once more after a transient failure.
 * Returns {ok: true, body} on a 2xx with a url, else {ok: false, status, message} where message is the
 * service's own error.message when it sent one.
 */
function docketPost_(path, payload) {
  var base = docketBaseUrl_();
  if (!base.ok) {
    return base;
  }
  var token = ScriptApp.getIdentityToken();
  if (!token) {
    return { ok: false, status: 0, message: 'Google gave the add-on no identity token (the "openid" scope is missing).' };
  }
  var options = {
    method: 'post',
    contentType: 'application/json',
    headers: { Authorization: 'Bearer ' + token },
    payload: JSON.stringify(payload),
    muteHttpExceptions: true,
    followRedirects: false,
  };
  var response = null;
  var failure = null;
  for (var attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) {
      Utilities.sleep(1000);
    }
    try {
      response = UrlFetchApp.fetch(base.url + path, options);
      failure = null;
    } catch (err) {
      // Network failures, and URLs missing from urlFetchWhitelist, throw even with muteHttpExceptions.
      response = null;
      failure = err && err.message ? err.message : String(err);
      continue;
    }
    if (ADDON_RETRY_STATUSES.indexOf(response.getResponseCode()) < 0) {
      break;
    }
  }
  if (!response) {
    return { ok: false, status: 0, message: 'Could not reach Docket at ' + base.url + ': ' + failure };
  }
  var status = response.getResponseCode();
  var body = null;
  try {
    body = JSON.parse(response.getContentText());
  } catch (ignored) {
    body = null;
  }
  if (status >= 200 && status < 300 && body && typeof body.url === 'string') {
    return { ok: true, status: status, body: body };
  }
  if (body && body.error && typeof body.error.message === 'string' && body.error.message) {
    return { ok: false, status: status, message: body.error.message };
  }
  return { ok: false, status: status, message: 'Docket answered with HTTP ' + status + ' and no explanation.' };
}

/** The service's base URL from the Script Property DOCKET_URL: https, or http on this machine for tests. */
function docketBaseUrl_() {
  var url = PropertiesService.getScriptProperties().getProperty('DOCKET_URL');
  url = url ? String(url).trim().replace(/\/+$/, '') : '';
  if (!url) {
    return { ok: false, status: 0, message: 'Docket is not set up: the Script Property DOCKET_URL (the service URL) is missing.' };
  }
  if (!/^https:\/\/[^\s/]+/.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(url)) {
    return { ok: false, status: 0, message: 'Docket is not set up: DOCKET_URL must be an https:// URL, not "' + url + '".' };
  }
  return { ok: true, url: url };
}

/** A small dialog with a link that opens in a new tab (Docs cannot move the cursor from a server call). */
function docketShowLink_(message, url, label) {
  if (!/^https?:\/\//.test(String(url))) {
    docketShowError_(message + ' (Docket sent no usable link.)');
    return;
  }
  var html =
    '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">' +
    '<p>' + docketEscape_(message) + '</p>' +
    '<p><a href="' + docketEscape_(url) + '" target="_blank" rel="noopener">' + docketEscape_(label) + '</a></p>' +
    '</div>';
  var output = HtmlService.createHtmlOutput(html).setWidth(360).setHeight(120);
  DocumentApp.getUi().showModelessDialog(output, 'Docket');
}

function docketShowError_(message) {
  var ui = DocumentApp.getUi();
  ui.alert('Docket', message, ui.ButtonSet.OK);
}

function docketEscape_(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
