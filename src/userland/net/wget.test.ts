/** BusyBox wget in the model: output, messages and exit codes compared with the real busybox wget on a tiny server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';
import { serveHttp } from '../../programs/http-server.ts';
import { podLab } from '../../programs/testing.ts';
import { text } from './common.ts';
import { parseWgetArgs, progressLine } from './wget.ts';

/** The tiny server both sides run: 404 for /missing, `hello\n` otherwise, always closing. */
function answer(path: string): string {
  const missing = path === '/missing';
  const body = missing ? 'nope\n' : 'hello\n';
  return `HTTP/1.1 ${missing ? '404 Not Found' : '200 OK'}\r\nContent-Length: ${body.length}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${body}`;
}

const CASES = [
  ['-O-', 'http://127.0.0.1:8080/'],
  ['-q', '-O-', 'http://127.0.0.1:8080/x?y=1'],
  ['-qO-', '127.0.0.1:8080'],
  ['-O-', 'http://127.0.0.1:8080/missing'],
  ['--spider', 'http://127.0.0.1:8080/'],
  ['-q', '--spider', 'http://127.0.0.1:8080/missing'],
  ['-S', '-O-', 'http://127.0.0.1:8080/'],
  ['-O-', '-U', 'probe/2', '--header', 'X-A: 1', 'http://127.0.0.1:8080/'],
  ['-O-', 'http://127.0.0.1:8081/'],
  ['-O-', 'http://nosuchhost:8080/'],
];

interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

async function simRun(): Promise<{ outcomes: Outcome[]; requests: string[] }> {
  const l = await podLab();
  const requests: string[] = [];
  serveHttp(l.host.machine.mounts.get('p1')!, {
    port: 8080,
    handle: (req) => {
      requests.push(`${req.method} ${req.target} HTTP/${req.version}\r\n${[...req.headers].map(([k, v]) => `${k}: ${v}`).join('\r\n')}`);
      const raw = answer(req.target);
      const [head, body] = raw.split('\r\n\r\n');
      return { head: head.split('\r\n'), body, keepAlive: false };
    },
  });
  const outcomes: Outcome[] = [];
  for (const c of CASES) {
    const r = await l.exec('p1', 'wget', ...c);
    outcomes.push({ stdout: r.stdout, stderr: r.stderr, code: r.code });
  }
  return { outcomes, requests };
}

const noBusybox = realUnavailable() ?? (spawnSync('busybox', ['wget', '--help']).error ? 'busybox is not installed (apt-get install busybox)' : undefined);

test('the real busybox wget prints, writes and exits as podlab\'s does, and sends the same request', { skip: noBusybox }, async () => {
  const sim = await simRun();
  const dir = mkdtempSync(join(tmpdir(), 'podlab-wget-'));
  try {
    // The server runs each wget itself once it listens, so nothing waits on a timer.
    const script = join(dir, 'server.cjs');
    writeFileSync(
      script,
      `const { execFile } = require('child_process');
const answer = ${answer.toString()};
const requests = [];
const srv = require('net').createServer((s) => {
  let buf = '';
  s.on('data', (d) => {
    buf += d;
    const end = buf.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    const [line, ...hs] = buf.slice(0, end).split('\\r\\n');
    requests.push(line + '\\r\\n' + hs.map((h) => h.replace(/^([^:]*):\\s*/, (m, k) => k.toLowerCase() + ': ')).join('\\r\\n'));
    s.end(answer(line.split(' ')[1]));
  });
});
const cases = ${JSON.stringify(CASES)};
const run = (args) => new Promise((resolve) => execFile('busybox', ['wget', ...args], { cwd: ${JSON.stringify(dir)} }, (e, stdout, stderr) => resolve({ stdout, stderr, code: e ? e.code : 0 })));
srv.listen(8080, '127.0.0.1', async () => {
  const outcomes = [];
  for (const c of cases) outcomes.push(await run(c));
  process.stdout.write(JSON.stringify({ outcomes, requests }));
  process.exit(0);
});`,
    );
    const real = JSON.parse(withNetns((ns) => ns.run(`ip link set lo up && ${process.execPath} ${script}`)).stdout) as typeof sim;
    CASES.forEach((c, k) => assert.deepEqual(sim.outcomes[k], real.outcomes[k], `wget ${c.join(' ')}`));
    assert.deepEqual(sim.requests, real.requests);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('wget -q -O- against a pod server, saving to a file, and File exists without -O', async () => {
  const l = await podLab();
  await l.start(['/agnhost', 'netexec']);
  assert.deepEqual(await l.exec('p2', 'wget', '-qO-', 'http://10.0.0.1:8080/hostname'), { code: 0, stdout: 'echo-abc', stderr: '' });
  const saved = await l.exec('p2', 'sh', '-c', 'cd /tmp && wget http://10.0.0.1:8080/hostname');
  assert.equal(saved.stderr, "Connecting to 10.0.0.1:8080 (10.0.0.1:8080)\nsaving to 'hostname'\nhostname             100% |********************************|     8  0:00:00 ETA\n'hostname' saved\n");
  assert.equal(l.host.fs.read('/tmp/hostname'), 'echo-abc');
  const again = await l.exec('p2', 'sh', '-c', 'cd /tmp && wget -q http://10.0.0.1:8080/hostname');
  assert.deepEqual(again, { code: 1, stdout: '', stderr: "wget: can't open 'hostname': File exists\n" });
});

test('-T bounds a connect nothing answers: download timed out after T seconds of virtual time', async () => {
  const l = await podLab();
  await l.host.run(['ip', 'netns', 'exec', 'p1', 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '80', '-j', 'DROP']);
  const t0 = l.host.now();
  const r = await l.exec('p2', 'wget', '-q', '-T', '3', '-O-', 'http://10.0.0.1/');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: 'wget: download timed out\n' });
  assert.equal(l.host.now() - t0, 3000);
});

test('options: clustered short flags, long forms, a missing URL is a usage error', async () => {
  assert.deepEqual(parseWgetArgs(['-qO-', '-T5', '--spider', 'u']), { quiet: true, output: '-', timeoutS: 5, spider: true, serverResponse: false, userAgent: 'Wget', headers: [], urls: ['u'] });
  assert.equal(parseWgetArgs(['--output-document=f', 'u']).output, 'f');
  assert.equal(progressLine('-', 150000, 0), `-                    100% |${'*'.repeat(32)}|   146k 0:00:00 ETA\n`);
  const l = await podLab();
  const r = await l.exec('p1', 'wget');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^BusyBox v1\.36\.1 [^\n]*\n\nUsage: wget /);
  assert.equal(text(new Uint8Array()), '');
});
