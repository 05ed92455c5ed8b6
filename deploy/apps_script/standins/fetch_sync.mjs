// A child process that performs one real HTTP request for the UrlFetchApp stand-in and prints the
// response as JSON. Apps Script's UrlFetchApp.fetch is synchronous, so the stand-in runs this with
// execFileSync: the add-on code under test sees the same blocking call it sees in Apps Script.
const request = JSON.parse(process.argv[2]);
try {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? undefined,
    redirect: request.followRedirects ? 'follow' : 'manual',
    signal: AbortSignal.timeout(request.timeoutMs ?? 30000),
  });
  const headers = Object.fromEntries(response.headers.entries());
  process.stdout.write(JSON.stringify({ status: response.status, headers, text: await response.text() }));
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err && err.message ? err.message : err) }));
}
