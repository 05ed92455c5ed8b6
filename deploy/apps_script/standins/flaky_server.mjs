// A tiny HTTP server in its own process (the UrlFetchApp stand-in blocks this test's event loop):
// answers each POST with the next scripted response and GET /received with the bodies it got.
// Usage: node flaky_server.mjs '[{"status":503,"body":{...}}, {"status":200,"body":{...}}]'
import { createServer } from 'node:http';

const script = JSON.parse(process.argv[2]);
const received = [];
const server = createServer((req, res) => {
  let data = '';
  req.on('data', (chunk) => (data += chunk));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(received));
      return;
    }
    received.push({ path: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body: data });
    const next = script[Math.min(received.length - 1, script.length - 1)];
    res.writeHead(next.status, { 'Content-Type': 'application/json' });
    res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
