/** http-echo in a pod's namespace: Go's response bytes, keep-alive and close, HEAD, /health, flags, its log as it serves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from '../userland/net/testing.ts';
import { parseHttpEchoArgs, startHttpEcho } from './http-echo.ts';
import { podLab } from './testing.ts';

const HEAD = 'X-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n';

test('every request gets the text and a newline with the headers Go writes; HTTP/1.0 closes after it', async () => {
  const l = lab();
  startHttpEcho(l.b, ['-listen=:5678', '-text=hello world']);
  const r = await l.sh("printf 'GET /any/path HTTP/1.0\\r\\n\\r\\n' | ip netns exec a nc 10.0.0.2 5678");
  assert.equal(r.out, `HTTP/1.0 200 OK\r\n${HEAD}Content-Length: 12\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello world\n`);
});

test('HTTP/1.1 keeps the connection for the next request until one asks to close; HEAD has no body; Go sorts the app headers', async () => {
  const l = lab();
  const log: string[] = [];
  const p = startHttpEcho(l.b, ['-listen=10.0.0.2:80', '-text=x'], (line) => log.push(line));
  const r = await l.sh("printf 'HEAD / HTTP/1.1\\r\\nHost: b\\r\\n\\r\\nGET /health HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n' | ip netns exec a nc 10.0.0.2 80");
  assert.equal(
    r.out,
    `HTTP/1.1 200 OK\r\n${HEAD}Content-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${HEAD}Content-Length: 15\r\nConnection: close\r\n\r\n{"status":"ok"}`,
  );
  assert.match(log[1], /^2024\/01\/01 00:00:00 10\.0\.0\.2:80 10\.0\.0\.1:\d+ "HEAD \/ HTTP\/1\.1" 200 2 "" /);
  p.stop();
  const refused = await l.sh('ip netns exec a curl -sS http://10.0.0.2/');
  assert.equal(refused.status, 7);
});

test('flags: -text is required, -listen needs a port, unknown flags are refused', () => {
  assert.throws(() => parseHttpEchoArgs([]), /Missing -text option!/);
  assert.throws(() => parseHttpEchoArgs(['-text=a', '-bogus=1']), /flag provided but not defined: -bogus/);
  assert.deepEqual(parseHttpEchoArgs(['--text', 'a', '-listen=:8080']), { listen: ':8080', text: 'a', status: 200, version: '1.0.0' });
});

test('as a process, /http-echo logs each request to stdout as it is served and its port closes when killed', async () => {
  const l = await podLab();
  let logged = '';
  const proc = await l.host.spawn({ argv: ['/http-echo', '-text=hi', '-listen=:5678'], netns: 'p1', hostname: 'echo-abc', stdout: (t) => (logged += t) });
  const r = await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:5678/');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(logged.split('\n')[0], '2024/01/01 00:00:00 [INFO] server is listening on :5678');
  assert.match(logged.split('\n')[1], /^2024\/01\/01 00:00:00 10\.0\.0\.1:5678 10\.0\.0\.2:\d+ "GET \/ HTTP\/1\.1" 200 3 "curl\/7\.88\.1" /);
  proc.kill();
  assert.equal(await proc.exited, 143);
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:5678/')).code, 7);
});
