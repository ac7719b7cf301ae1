/** The generic program for unknown images: every declared port answers, naming the pod. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePorts } from './generic.ts';
import { podLab } from './testing.ts';

test('PODLAB_PORTS lists the ports: TCP answers HTTP with the hostname, UDP echoes prefixed with it', async () => {
  const l = await podLab();
  const p = await l.start(['/generic'], { env: { PODLAB_PORTS: '8000/TCP,5353/UDP' }, hostname: 'mystery-7d9f-abcde' });
  const r = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1:8000/some/path');
  assert.equal(r.stdout, 'HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 19\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nmystery-7d9f-abcde\n');
  assert.equal((await l.exec('p2', 'sh', '-c', 'printf ping | nc -u -w1 10.0.0.1 5353')).stdout, 'mystery-7d9f-abcde: ping');
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:80/')).code, 7);
  assert.match(p.out(), /^2024\/01\/01 00:00:00 listening on 8000\/TCP\n2024\/01\/01 00:00:00 listening on 5353\/UDP\n2024\/01\/01 00:00:00 10\.0\.0\.2:\d+ "GET \/some\/path HTTP\/1\.1" port 8000\/TCP\n/);
  p.proc.kill();
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8000/')).code, 7);
});

test('with no ports declared it serves TCP 80 and 8080', async () => {
  const l = await podLab();
  await l.start(['/generic'], { hostname: 'x' });
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1/')).stdout, 'x\n');
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:8080/')).stdout, 'x\n');
});

test('port lists: protocol defaults to TCP, case-insensitive, duplicates and junk dropped', () => {
  assert.deepEqual(parsePorts('80, 53/udp,80/TCP,x,70000,9/sctp'), [
    { port: 80, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
    { port: 9, protocol: 'SCTP' },
  ]);
});
