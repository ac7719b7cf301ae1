import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noKubectl, runKubectl, startStubServer } from './kubectl.ts';

test('the real kubectl reads podlab discovery: api-resources lists pods with short name po', { skip: noKubectl() }, async () => {
  const s = await startStubServer(() => false);
  try {
    const r = await runKubectl(s.env, ['api-resources', '--no-headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(r.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    const auth = s.requests.find((q) => q.url.startsWith('/api'))?.headers.authorization;
    assert.equal(auth, 'Bearer podlab-test-token');
  } finally {
    await s.close();
  }
});
