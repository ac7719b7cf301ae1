import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlBinary, noKubectl, runKubectl, type StubServer } from '../../../../test/support/kubectl.ts';
import { AsyncQueue } from './async-queue.ts';
import { parseLogQuery, tailLines, type LogQuery } from './logs.ts';
import { WEB_LOG, spawnKubectl, startStreamsStub } from './testing.ts';

const skip = noKubectl();
const skip27 = skip || (kubectlBinary(27)?.endsWith('kubectl.1.27') ? false : 'no kubectl 1.27 here');

let stub: StubServer;
const queries: LogQuery[] = [];
/** The follower's lines; each test that follows installs a fresh queue. */
let follow = new AsyncQueue<string>();
before(async () => {
  if (skip) return;
  stub = await startStreamsStub({
    logs: (q) => {
      queries.push(q);
      return q.follow ? follow : tailLines(WEB_LOG, q.tailLines);
    },
  });
});
after(async () => {
  await stub?.close();
});

for (const [name, minor, s] of [['kubectl 1.32', 32, skip], ['kubectl 1.27', 27, skip27]] as const) {
  test(`${name}: logs prints the container's log`, { skip: s }, async () => {
    const r = await runKubectl(stub.env, ['logs', 'P'], { minor });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, WEB_LOG, '']);
    const req = stub.requests.filter((q) => q.url.includes('/pods/P/log')).at(-1);
    assert.equal(parseLogQuery(new URL(req?.url ?? '', 'https://x')).container, 'web');
  });

  test(`${name}: logs --tail=1 asks for tailLines=1 and prints the last line`, { skip: s }, async () => {
    const r = await runKubectl(stub.env, ['logs', 'P', '--tail=1'], { minor });
    assert.deepEqual([r.code, r.stdout], [0, 'line 3\n']);
    assert.equal(queries.at(-1)?.tailLines, 1);
  });

  test(`${name}: logs -f prints each line as it is written and exits when the log ends`, { skip: s }, async () => {
    follow = new AsyncQueue<string>();
    const k = spawnKubectl(stub.env, ['logs', '-f', 'P'], { minor });
    try {
      follow.push('started');
      // kubectl shows the first line while the response is still open: the log is streamed.
      await k.waitFor(/^started\n/);
      follow.push('serving');
      await k.waitFor(/serving\n/);
      follow.end();
      assert.equal(await k.exited, 0);
      assert.equal(k.stdout(), 'started\nserving\n');
      assert.equal(queries.at(-1)?.follow, true);
    } finally {
      await k.kill();
    }
  });
}
