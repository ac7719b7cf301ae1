/** agnhost netexec, serve-hostname, porter and pause in a pod's namespace, answering as upstream's netexec.go does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podLab } from './testing.ts';

const D = 'Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n';

test('netexec answers /hostname, /clientip (ip:port of the client) and /echo with Go headers', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'netexec', '--http-port=8080', '--udp-port=8081']);
  assert.equal((await l.exec('p1', 'curl', '-s', 'http://127.0.0.1:8080/hostname')).stdout, 'echo-abc');
  const ip = await l.exec('p2', 'curl', '-s', '-w', ' %{local_port}', 'http://10.0.0.1:8080/clientip');
  const [body, port] = ip.stdout.split(' ');
  assert.equal(body, `10.0.0.2:${port}`);
  const echo = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1:8080/echo?msg=hi%20there');
  assert.equal(echo.stdout, `HTTP/1.1 200 OK\r\n${D}Content-Length: 8\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi there`);
  const code = await l.exec('p2', 'curl', '-s', '-w', '%{http_code}', 'http://10.0.0.1:8080/echo?msg=x&code=503');
  assert.equal(code.stdout, 'x503');
});

test('netexec /shell runs the command with the pod shell and answers JSON as encoding/json writes it', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'netexec']);
  const ok = await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/shell?cmd=hostname%3B%20echo%20%22%3Cb%3E%22');
  assert.equal(ok.stdout, '{"output":"echo-abc\\n\\u003cb\\u003e\\n"}');
  const failed = await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/shell?cmd=exit%203');
  assert.equal(failed.stdout, '{"error":"exit status 3"}');
});

test('netexec UDP answers hostname, echo and clientip; /healthz is 200 once the UDP server runs, 412 without it', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'netexec']);
  const nc = (msg: string) => l.exec('p2', 'sh', '-c', `printf '${msg}' | nc -u -w1 10.0.0.1 8081`);
  assert.equal((await nc('hostname')).stdout, 'echo-abc');
  assert.equal((await nc('echo Hello World\\n')).stdout, 'hello world');
  assert.match((await nc('clientip')).stdout, /^10\.0\.0\.2:\d+$/);
  assert.equal((await l.exec('p2', 'curl', '-s', '-w', '%{http_code}', 'http://10.0.0.1:8080/healthz')).stdout, '200');
  const noUdp = await podLab();
  await noUdp.start(['/agnhost', 'netexec', '--http-port', '80', '--udp-port', '-1']);
  assert.equal((await noUdp.exec('p2', 'curl', '-s', '-w', '%{http_code}', 'http://10.0.0.1/healthz')).stdout, '412');
});

test('netexec /dial reaches other servers over HTTP and UDP and reports Go errors', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'netexec']);
  const dial = async (q: string) => (await l.exec('p2', 'curl', '-s', `http://10.0.0.1:8080/dial?${q}`)).stdout;
  assert.equal(await dial('host=127.0.0.1&port=8080&request=hostname&tries=2'), '{"responses":["echo-abc","echo-abc"]}');
  assert.equal(await dial('host=10.0.0.1&port=8081&request=hostname&protocol=udp'), '{"responses":["echo-abc"]}');
  assert.equal(await dial('host=10.0.0.2&port=80&request=hostname'), '{"errors":["Get \\"http://10.0.0.2:80/hostname\\": dial tcp 10.0.0.2:80: connect: connection refused"]}');
  assert.equal(await dial('host=10.0.0.2&port=80'), 'request parameter not specified. <nil>\n');
});

test('netexec logs each request on stderr with Go log stamps; /exit ends the process with the code and closes the port', async () => {
  const l = await podLab();
  const p = await l.start(['/agnhost', 'netexec', '--http-port=8080']);
  await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/hostname');
  assert.equal(p.err(), '2024/01/01 00:00:00 Started HTTP server on port 8080\n2024/01/01 00:00:00 Started UDP server on port  8081\n2024/01/01 00:00:00 GET /hostname\n');
  const exit = await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/exit?code=3');
  assert.equal(exit.code, 52);
  assert.equal(await p.proc.exited, 3);
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/hostname')).code, 7);
});

test('serve-hostname answers the hostname over HTTP on 9376, or over UDP with --http=false --udp', async () => {
  const l = await podLab();
  const p = await l.start(['/agnhost', 'serve-hostname']);
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:9376/anything')).stdout, 'echo-abc');
  assert.match(p.err(), /^2024\/01\/01 00:00:00 Serving on port 9376\.\n2024\/01\/01 00:00:00 HTTP request from 10\.0\.0\.2:\d+\n$/);
  p.proc.kill();
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:9376/')).code, 7);
  await l.start(['/agnhost', 'serve-hostname', '--http=false', '--udp', '--port', '9377']);
  assert.equal((await l.exec('p2', 'sh', '-c', "printf x | nc -u -w1 10.0.0.1 9377")).stdout, 'echo-abc');
  const both = await l.start(['/agnhost', 'serve-hostname', '--udp']);
  assert.equal(await both.proc.exited, 1);
  assert.match(both.err(), /Can't server TCP\/UDP mode and HTTP mode at the same time/);
});

test('porter serves each SERVE_PORT_<n> value on port n; pause waits; an unknown subcommand is cobra\'s error', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'porter'], { env: { SERVE_PORT_8090: 'foo', SERVE_PORT_8091: 'bar' } });
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8090/')).stdout, 'foo');
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8091/')).stdout, 'bar');
  const pause = await l.start(['/agnhost', 'pause']);
  await l.exec('p1', 'true');
  assert.equal(pause.err(), 'Paused\n');
  const bad = await l.start(['/agnhost', 'bogus']);
  assert.equal(await bad.proc.exited, 1);
  assert.equal(bad.err(), 'Error: unknown command "bogus" for "app"\nRun \'app --help\' for usage.\n');
});
