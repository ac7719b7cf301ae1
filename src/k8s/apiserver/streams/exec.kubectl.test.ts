import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { kubectlBinary, noKubectl, runKubectl, type StubServer } from '../../../../test/support/kubectl.ts';
import { fakeExec, startStreamsStub, type ExecLog } from './testing.ts';

// The real kubectl is the oracle: 1.32 speaks WebSocket v5 first, and SPDY when told to or as
// its fallback; 1.27 only speaks SPDY (offering v4 at best).
const SPDY = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
const skip = noKubectl();
const variants = [
  { name: 'kubectl 1.32 over WebSocket v5', minor: 32, extraEnv: {}, upgrade: 'websocket', skip },
  { name: 'kubectl 1.32 over SPDY', minor: 32, extraEnv: SPDY, upgrade: 'SPDY/3.1', skip },
  { name: 'kubectl 1.27 (SPDY only)', minor: 27, extraEnv: {}, upgrade: 'SPDY/3.1', skip: kubectlBinary(27)?.endsWith('kubectl.1.27') ? false : 'no kubectl 1.27 here' },
] as const;

let stub: StubServer;
const log: ExecLog = { requests: [], sizes: [] };
before(async () => {
  if (!skip) stub = await startStreamsStub({ exec: fakeExec(log) });
});
after(async () => {
  await stub?.close();
});

/** The protocol the last exec upgrade asked for. */
function lastUpgrade(): string | undefined {
  return stub.requests.filter((r) => r.url.includes('/exec?')).at(-1)?.headers.upgrade;
}

for (const v of variants) {
  const run = (args: string[], stdin?: string) => runKubectl(stub.env, args, { minor: v.minor, extraEnv: v.extraEnv, ...(stdin === undefined ? {} : { stdin }) });

  test(`${v.name}: exec prints the command's stdout and exits 0`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '--', 'echo', 'hello', 'world']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'hello world\n', '']);
    assert.equal(lastUpgrade(), v.upgrade);
    assert.deepEqual(log.requests.at(-1), { namespace: 'default', pod: 'P', container: 'web', command: ['echo', 'hello', 'world'], stdin: false, stdout: true, stderr: true, tty: false });
  });

  test(`${v.name}: exec -- false exits 1 and prints "command terminated with exit code 1"`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '--', 'false']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'command terminated with exit code 1\n']);
  });

  test(`${v.name}: the command's exit code becomes kubectl's`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '--', 'exit', '42']);
    assert.deepEqual([r.code, r.stderr], [42, 'command terminated with exit code 42\n']);
  });

  test(`${v.name}: stderr and stdout stay apart`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '--', 'warn', 'disk almost full']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'ok\n', 'disk almost full\n']);
  });

  test(`${v.name}: exec -i copies piped stdin to the command until EOF`, { skip: v.skip }, async () => {
    const input = 'first line\nsecond line\n'.repeat(1000);
    const r = await run(['exec', '-i', 'P', '--', 'cat'], input);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, input);
    assert.equal(log.requests.at(-1)?.stdin, true);
  });

  test(`${v.name}: a 1 MiB output arrives whole`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '--', 'yes', String(1 << 20)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'y'.repeat(1 << 20));
  });

  test(`${v.name}: a StatusError from the handler is printed as kubectl's error`, { skip: v.skip }, async () => {
    const r = await run(['exec', 'P', '-c', 'nope', '--', 'echo']);
    assert.deepEqual([r.code, r.stderr], [1, 'error: container nope is not valid for pod P\n']);
  });
}

const script = existsSync('/usr/bin/script') ? '/usr/bin/script' : undefined;
for (const v of variants) {
  test(`${v.name}: exec -it in a terminal sends its size, and the TTY output comes back`, { skip: v.skip || (script ? false : 'no script(1) to make a terminal') }, async () => {
    // script(1) gives kubectl a pseudo-terminal; stty sets the size kubectl reports.
    const env = Object.entries(v.extraEnv).map(([k, val]) => `${k}=${val} `).join('');
    const cmd = `stty cols 132 rows 43; ${env}${kubectlBinary(v.minor)} --kubeconfig ${stub.env.kubeconfig} exec -it P -- size`;
    const child = spawn(script as string, ['-qec', cmd, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stub.env.home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = await once(child, 'close');
    assert.equal(code, 0, out);
    assert.equal(out, '132x43\r\n');
    assert.deepEqual(log.sizes.at(-1), { width: 132, height: 43 });
    assert.deepEqual(log.requests.at(-1), { namespace: 'default', pod: 'P', container: 'web', command: ['size'], stdin: true, stdout: true, stderr: false, tty: true });
    assert.equal(lastUpgrade(), v.upgrade);
  });
}
