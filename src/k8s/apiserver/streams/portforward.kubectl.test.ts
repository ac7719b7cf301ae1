import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { kubectlBinary, noKubectl, type StubServer } from '../../../../test/support/kubectl.ts';
import { freePort, pattern, processAlive, roundTrip, spawnKubectl, startEchoServer, startStreamsStub, tcpForwarder, type EchoServer } from './testing.ts';

// kubectl 1.32 tunnels SPDY in a WebSocket first; with KUBECTL_PORT_FORWARD_WEBSOCKETS=false,
// and always on 1.27, it speaks raw SPDY/3.1.
const skip = noKubectl();
const variants = [
  { name: 'kubectl 1.32 through the WebSocket tunnel', minor: 32, extraEnv: {}, upgrade: 'websocket', skip },
  { name: 'kubectl 1.32 over raw SPDY', minor: 32, extraEnv: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }, upgrade: 'SPDY/3.1', skip },
  { name: 'kubectl 1.27 over raw SPDY', minor: 27, extraEnv: {}, upgrade: 'SPDY/3.1', skip: kubectlBinary(27)?.endsWith('kubectl.1.27') ? false : 'no kubectl 1.27 here' },
] as const;

let stub: StubServer;
let echo: EchoServer;
const ports: number[] = [];
before(async () => {
  if (skip) return;
  echo = await startEchoServer();
  stub = await startStreamsStub({ portForward: tcpForwarder(echo.port, ports) });
});
after(async () => {
  await stub?.close();
  await echo?.close();
});

/** Starts `kubectl port-forward pod/P LOCAL:remote` and waits until it listens. */
async function forward(v: (typeof variants)[number], remote = 80) {
  const local = await freePort();
  const k = spawnKubectl(stub.env, ['port-forward', 'pod/P', `${local}:${remote}`], { minor: v.minor, extraEnv: v.extraEnv });
  await k.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${local} -> ${remote}`));
  return { k, local };
}

/** Kills kubectl by its PID and checks that it is gone. */
async function stop(k: ReturnType<typeof spawnKubectl>): Promise<void> {
  await k.kill();
  assert.equal(processAlive(k.pid), false, `kubectl ${k.pid} still running`);
}

for (const v of variants) {
  test(`${v.name}: a request and a 1 MiB reply go through port-forward`, { skip: v.skip }, async () => {
    const { k, local } = await forward(v);
    try {
      const accepted = echo.accepted;
      assert.equal((await roundTrip(local, 'hello through the tunnel\n')).toString(), 'hello through the tunnel\n');
      const big = await roundTrip(local, `GET ${1 << 20}\n`);
      assert.equal(big.length, 1 << 20);
      assert.ok(big.equals(pattern(1 << 20)), 'the reply arrives in order and intact');
      // A second local connection is a second pair of streams on the same upgrade.
      assert.equal(echo.accepted - accepted, 2);
      assert.equal(ports.at(-1), 80);
      const upgrades = stub.requests.filter((r) => r.url.endsWith('/pods/P/portforward'));
      assert.equal(upgrades.at(-1)?.headers.upgrade, v.upgrade);
    } finally {
      await stop(k);
    }
  });

  test(`${v.name}: connections stay apart and a large upload is echoed whole`, { skip: v.skip }, async () => {
    const { k, local } = await forward(v);
    try {
      const upload = pattern(3 << 19);
      const [a, b] = await Promise.all([roundTrip(local, upload), roundTrip(local, 'second connection\n')]);
      assert.ok(a.equals(upload));
      assert.equal(b.toString(), 'second connection\n');
    } finally {
      await stop(k);
    }
  });

  test(`${v.name}: killing kubectl closes the pod-side connection it had open`, { skip: v.skip }, async () => {
    const { k, local } = await forward(v);
    const s = connect({ host: '127.0.0.1', port: local });
    s.on('error', () => undefined);
    try {
      // Wait for the echo, so the pod side is surely connected before kubectl goes.
      s.write('still here\n');
      const [reply] = (await once(s, 'data')) as [Buffer];
      assert.equal(reply.toString(), 'still here\n');
      await stop(k);
      await echo.idle();
    } finally {
      s.destroy();
      await stop(k);
    }
  });

  test(`${v.name}: a port nothing listens on is reported by kubectl, which then gives up`, { skip: v.skip }, async () => {
    const { k, local } = await forward(v, 81);
    try {
      // kubectl closes the local connection without a reply, reports the error, and exits.
      assert.equal((await roundTrip(local, 'anyone?\n')).length, 0);
      assert.equal(await k.exited, 1);
      assert.match(k.stderr(), /an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod P, uid : dial tcp4 127\.0\.0\.1:81: connect: connection refused/);
    } finally {
      await stop(k);
    }
  });
}
