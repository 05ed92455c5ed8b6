// Loads Code.js into a fresh V8 context with the Apps Script globals it uses stood in:
// DocumentApp (menu, prompt, alert, dialogs), ScriptApp (identity token), UrlFetchApp (a real,
// synchronous HTTP request through a child process), HtmlService, PropertiesService, Utilities, Logger.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
export const addonDir = join(here, '..');
const CODE = readFileSync(join(addonDir, 'Code.js'), 'utf8');
const FETCH_HELPER = join(here, 'fetch_sync.mjs');

const Button = Object.freeze({ OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' });
const ButtonSet = Object.freeze({ OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' });

/** UrlFetchApp.fetch semantics over a real HTTP request (the subset the add-on uses). */
function fetchSync(url, options = {}, log) {
  const headers = { ...(options.headers || {}) };
  let body = null;
  if (options.payload !== undefined && options.payload !== null) {
    // UrlFetchApp's default content type for a string payload.
    headers['Content-Type'] = options.contentType || 'application/x-www-form-urlencoded';
    body = String(options.payload);
  }
  const request = {
    url,
    method: String(options.method || 'get').toUpperCase(),
    headers,
    body,
    followRedirects: options.followRedirects !== false,
  };
  log.push({ url, options: JSON.parse(JSON.stringify(options)) });
  const out = JSON.parse(execFileSync(process.execPath, [FETCH_HELPER, JSON.stringify(request)], { encoding: 'utf8' }));
  if (out.error) {
    throw new Error('Address unavailable: ' + url + ' (' + out.error + ')');
  }
  if (out.status >= 400 && !options.muteHttpExceptions) {
    // Apps Script throws on HTTP errors unless muteHttpExceptions is set.
    throw new Error('Request failed for ' + url + ' returned code ' + out.status + '. Truncated server response: ' + out.text.slice(0, 100));
  }
  return {
    getResponseCode: () => out.status,
    getContentText: () => out.text,
    getHeaders: () => out.headers,
  };
}

/**
 * A fresh add-on in its own context.
 * @param {object} opts
 * @param {Record<string,string>} [opts.properties] Script Properties (e.g. DOCKET_URL)
 * @param {string|null} [opts.token] what ScriptApp.getIdentityToken() returns
 * @param {string} [opts.documentId] the active document's id
 * @param {Array<{button?: string, text?: string}>} [opts.prompts] answers to DocumentApp.getUi().prompt, in order
 */
export function loadAddon({ properties = {}, token = null, documentId = 'doc-unset', prompts = [] } = {}) {
  const record = { menus: [], alerts: [], dialogs: [], prompts: [], fetches: [], logs: [], sleeps: [] };
  const answers = [...prompts];

  const ui = {
    Button,
    ButtonSet,
    createAddonMenu() {
      const menu = { kind: 'addon', items: [], added: false };
      record.menus.push(menu);
      const api = {
        addItem(caption, functionName) {
          menu.items.push({ caption, functionName });
          return api;
        },
        addSeparator() {
          menu.items.push({ separator: true });
          return api;
        },
        addToUi() {
          menu.added = true;
        },
      };
      return api;
    },
    createMenu() {
      throw new Error('an add-on must use createAddonMenu(), not createMenu()');
    },
    prompt(title, prompt, buttons) {
      record.prompts.push({ title, prompt, buttons });
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected prompt: ' + title);
      return {
        getSelectedButton: () => answer.button ?? Button.OK,
        getResponseText: () => answer.text ?? '',
      };
    },
    alert(...args) {
      // alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons)
      const [title, message] = args.length >= 3 ? [args[0], args[1]] : [null, args[0]];
      record.alerts.push({ title, message: String(message) });
      return Button.OK;
    },
    showModelessDialog(output, title) {
      record.dialogs.push({ modal: false, title, html: output.getContent() });
    },
    showModalDialog(output, title) {
      record.dialogs.push({ modal: true, title, html: output.getContent() });
    },
  };

  const htmlOutput = (content) => {
    const out = {
      getContent: () => content,
      setWidth: () => out,
      setHeight: () => out,
      setTitle: () => out,
    };
    return out;
  };

  const context = {
    DocumentApp: {
      getUi: () => ui,
      getActiveDocument: () => ({ getId: () => documentId }),
    },
    ScriptApp: {
      AuthMode: Object.freeze({ NONE: 'NONE', LIMITED: 'LIMITED', FULL: 'FULL' }),
      getIdentityToken: () => token,
    },
    UrlFetchApp: { fetch: (url, options) => fetchSync(url, options, record.fetches) },
    HtmlService: {
      createHtmlOutput: (html) => htmlOutput(String(html)),
    },
    PropertiesService: {
      getScriptProperties: () => ({
        getProperty: (key) => (Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : null),
      }),
    },
    Utilities: {
      getUuid: () => randomUUID(),
      sleep: (ms) => {
        record.sleeps.push(ms);
      },
      base64DecodeWebSafe: (s) => [...Buffer.from(s, 'base64url')].map((b) => (b > 127 ? b - 256 : b)),
      newBlob: (bytes) => ({ getDataAsString: () => Buffer.from(bytes.map((b) => b & 255)).toString('utf8') }),
    },
    Logger: {
      log: (format, ...values) => {
        let i = 0;
        record.logs.push(String(format).replace(/%s/g, () => String(values[i++])));
      },
    },
    console,
  };
  vm.createContext(context);
  vm.runInContext(CODE, context, { filename: 'Code.js' });
  return { addon: context, record };
}

/** The single link in a dialog's HTML: {href, target, text}. */
export function linkIn(html) {
  const m = /<a href="([^"]*)" target="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(html);
  if (!m) return null;
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return { href: unescape(m[1]), target: m[2], text: unescape(m[3]) };
}
