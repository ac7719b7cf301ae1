/** The Node hello servers of the seeds: node-hello's bytes checked against the real node, the Express app, npm start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realUnavailable, withNetns } from '../../test/support/real.ts';
import { podLab } from './testing.ts';

const noDate = (s: string): string => s.replace(/Date: [^\r]*\r\n/g, 'Date: X\r\n');

test('node server.js answers Hello Kubernetes! on 8080, chunked as Node writes it', async () => {
  const l = await podLab();
  await l.start(['/bin/sh', '-c', 'node server.js'], { hostname: 'hello-world-5b446dd74b-7c7pk' });
  const r = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1:8080/any');
  assert.equal(r.stdout, 'HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\nHello Kubernetes!');
});

test('the real node answers curl with the same bytes as podlab\'s node-hello (Date aside)', { skip: realUnavailable() }, async () => {
  const l = await podLab();
  await l.start(['node', 'server.js']);
  const sim = [await l.exec('p1', 'curl', '-si', 'http://127.0.0.1:8080/'), await l.exec('p1', 'curl', '-sI', 'http://127.0.0.1:8080/')];
  const dir = mkdtempSync(join(tmpdir(), 'podlab-node-'));
  try {
    // The server runs curl itself once it listens, so nothing waits on a timer.
    const script = join(dir, 'server.cjs');
    writeFileSync(
      script,
      `const { execFile } = require('child_process');
const curl = (flag) => new Promise((resolve, reject) => execFile('curl', [flag, 'http://127.0.0.1:8080/'], (e, out) => (e ? reject(e) : resolve(out))));
const s = require('http').createServer((req, res) => { res.writeHead(200); res.end('Hello Kubernetes!'); });
s.listen(8080, '127.0.0.1', async () => {
  try {
    process.stdout.write(JSON.stringify([await curl('-si'), await curl('-sI')]));
  } finally {
    process.exit(0);
  }
});`,
    );
    const real = withNetns((ns) => ns.run(`ip link set lo up && ${process.execPath} ${script}`));
    const [get, head] = JSON.parse(real.stdout) as string[];
    assert.equal(noDate(sim[0].stdout), noDate(get));
    assert.equal(noDate(sim[1].stdout), noDate(head));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start runs the Express app on 3000: Hello World! with its ETag, Cannot GET elsewhere', async () => {
  const l = await podLab();
  const p = await l.start(['/bin/sh', '-c', 'npm start'], { hostname: 'nodehelloworld.example.com' });
  const ok = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1:3000/');
  assert.equal(
    ok.stdout,
    'HTTP/1.1 200 OK\r\nX-Powered-By: Express\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 12\r\nETag: W/"c-Lve95gjOVATpfV8EL5X4nxwjKHE"\r\n' +
      'Date: Mon, 01 Jan 2024 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nHello World!',
  );
  const nf = await l.exec('p2', 'curl', '-s', '-w', ' %{http_code}', 'http://10.0.0.1:3000/nope');
  assert.match(nf.stdout, /<pre>Cannot GET \/nope<\/pre>[^]* 404$/);
  assert.match(p.out(), /> node index\.js\n\nExample app listening at http:\/\/:::3000\n$/);
  p.proc.kill();
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1:3000/')).code, 7);
});
