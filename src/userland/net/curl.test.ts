/** curl in the model against http-echo and closed or silent ports; its URL, -w and response parsing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpEcho } from '../../programs/http-echo.ts';
import { parseCurlArgs, parseUrl, writeOut } from './curl-args.ts';
import { ResponseParser } from './http.ts';
import { bytes, text } from './common.ts';
import { lab } from './testing.ts';

test('GET against http-echo: the body, -i headers, -I, -w variables and -o to a file', async () => {
  const l = lab();
  startHttpEcho(l.b, ['-listen=:5678', '-text=hello']);
  assert.deepEqual(await l.sh('ip netns exec a curl -s http://10.0.0.2:5678/'), { out: 'hello\n', err: '', status: 0, ms: 0 });
  const i = await l.sh('ip netns exec a curl -si 10.0.0.2:5678');
  assert.equal(
    i.out,
    'HTTP/1.1 200 OK\r\nX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 6\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\n',
  );
  const head = await l.sh('ip netns exec a curl -sI http://10.0.0.2:5678/');
  assert.match(head.out, /^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 6\r\n[^]*\r\n\r\n$/);
  const w = await l.sh("ip netns exec a curl -s -o /tmp/body -w '%{http_code} %{remote_ip}:%{remote_port} %{size_download}\\n' http://10.0.0.2:5678/x");
  assert.equal(w.out, '200 10.0.0.2:5678 6\n');
  assert.equal(l.host.fs.read('/tmp/body'), 'hello\n');
});

test('-v shows the exchange as curl does on a terminal (no progress meter, no data notes)', async () => {
  const l = lab();
  startHttpEcho(l.b, ['-listen=:80', '-text=v']);
  const r = await l.sh('ip netns exec a curl -v http://10.0.0.2/');
  assert.equal(r.out, 'v\n');
  assert.equal(
    r.err,
    '*   Trying 10.0.0.2:80...\n* Connected to 10.0.0.2 (10.0.0.2) port 80 (#0)\n' +
      '> GET / HTTP/1.1\r\n> Host: 10.0.0.2\r\n> User-Agent: curl/7.88.1\r\n> Accept: */*\r\n> \r\n' +
      '< HTTP/1.1 200 OK\r\n< X-App-Name: http-echo\r\n< X-App-Version: 1.0.0\r\n< Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n< Content-Length: 2\r\n< Content-Type: text/plain; charset=utf-8\r\n< \r\n' +
      '* Connection #0 to host 10.0.0.2 left intact\n',
  );
});

test('failures: refused (7), unresolvable (6), -m and --connect-timeout (28), -s hides and -S shows the error', async () => {
  const l = lab();
  await l.sh('ip netns exec b iptables -A INPUT -p tcp --dport 81 -j DROP');
  const cases: [string, number, string, number][] = [
    ['http://10.0.0.2:8080/', 7, "curl: (7) Failed to connect to 10.0.0.2 port 8080 after 0 ms: Couldn't connect to server\n", 0],
    ['http://nosuch/', 6, 'curl: (6) Could not resolve host: nosuch\n', 0],
    ['-m 2 http://10.0.0.2:81/', 28, 'curl: (28) Connection timed out after 2000 milliseconds\n', 2000],
    ['--connect-timeout 1 http://10.0.0.2:81/', 28, 'curl: (28) Failed to connect to 10.0.0.2 port 81 after 1000 ms: Timeout was reached\n', 1000],
    ['http://10.0.0.9/', 7, "curl: (7) Failed to connect to 10.0.0.9 port 80 after 3000 ms: Couldn't connect to server\n", 3000],
  ];
  for (const [args, status, err, ms] of cases) {
    const r = await l.sh(`ip netns exec a curl ${args}`);
    assert.deepEqual([r.status, r.err, r.ms], [status, err, ms], args);
  }
  const quiet = await l.sh('ip netns exec a curl -s http://10.0.0.2:8080/');
  assert.deepEqual([quiet.status, quiet.err], [7, '']);
  const shown = await l.sh('ip netns exec a curl -sS http://10.0.0.2:8080/');
  assert.equal(shown.err, "curl: (7) Failed to connect to 10.0.0.2 port 8080 after 0 ms: Couldn't connect to server\n");
});

test('a server that closes without answering: (52) Empty reply from server', async () => {
  const l = lab();
  const empty = await l.sh('ip netns exec b nc -l 8080 & ip netns exec a curl -sS -m 5 http://10.0.0.2:8080/ > /dev/null & sleep 1; kill %1; wait');
  assert.match(empty.err, /curl: \(52\) Empty reply from server\n/);
});

test('usage: no URL, unknown options, --opt=value is not curl syntax, numeric parameters', async () => {
  const l = lab();
  const help = "curl: try 'curl --help' or 'curl --manual' for more information\n";
  for (const [args, err] of [
    ['', help],
    ['--foo http://x', `curl: option --foo: is unknown\n${help}`],
    ['--max-time=5 http://x', `curl: option --max-time=5: is unknown\n${help}`],
    ['-m abc http://x', `curl: option -m: expected a proper numerical parameter\n${help}`],
    ['-o', `curl: option -o: requires parameter\n${help}`],
  ]) {
    const r = await l.sh(`ip netns exec a curl ${args}`);
    assert.deepEqual([r.status, r.err], [2, err], args);
  }
  assert.deepEqual(parseCurlArgs(['-sSm2', 'x']).maxTimeMs, 2000);
});

test('URLs, -w escapes and the response parser (length, chunked, until close, HEAD)', () => {
  assert.deepEqual(parseUrl('10.96.0.1:8080/a?b=c'), { scheme: 'http', host: '10.96.0.1', port: 8080, path: '/a?b=c', effective: 'http://10.96.0.1:8080/a?b=c' });
  assert.equal(parseUrl('http://h')?.path, '/');
  assert.equal(parseUrl('http://h:99999/'), undefined);
  assert.equal(writeOut('%{http_code}\\t%%\\n', { http_code: '404' }), '404\t%\n');
  const chunked = new ResponseParser();
  chunked.push(bytes('HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'));
  assert.equal(chunked.done, false);
  chunked.push(bytes('lo\r\n3\r\n!!\n\r\n0\r\n\r\n'));
  assert.deepEqual([chunked.done, chunked.response?.status, text(chunked.response!.body)], [true, 404, 'hello!!\n']);
  const close = new ResponseParser();
  close.push(bytes('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nabc'));
  assert.equal(close.end(), true);
  assert.equal(text(close.response!.body), 'abc');
  const head = new ResponseParser(true);
  head.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n'));
  assert.equal(head.done, true);
});
