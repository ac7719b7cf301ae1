import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { ControlPlane } from '../controlplane.ts';
import { makeClusterCerts, type ClusterCerts } from './certs.ts';
import { startApiServer, type ApiServer } from './server.ts';

let certs: ClusterCerts | undefined;
async function start(): Promise<{ server: ApiServer; cp: ControlPlane; ca: string }> {
  certs ??= await makeClusterCerts();
  const cp = new ControlPlane({ now: () => Date.parse('2026-11-23T10:00:00Z') });
  cp.bootstrap();
  const server = await startApiServer(cp, { token: 'secret', certs });
  return { server, cp, ca: certs.caPem };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(s: ApiServer, ca: string, path: string, opts: { token?: string; method?: string; body?: Buffer; onResponse?: (r: Reply) => void } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { ca, method: opts.method ?? 'GET', headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} }, (res) => {
      let body = '';
      const reply: Reply = { status: res.statusCode ?? 0, headers: res.headers, body: '' };
      opts.onResponse?.(reply);
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ ...reply, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('the server listens on 127.0.0.1 over HTTPS and answers /version without credentials', async () => {
  const { server, cp, ca } = await start();
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const v = await get(server, ca, '/version');
    assert.equal(v.status, 200);
    assert.equal((JSON.parse(v.body) as { gitVersion: string }).gitVersion, 'v1.32.0');
  } finally {
    await server.close();
    cp.close();
  }
});

test('a request without the bearer token is 401 Unauthorized as a Status', async () => {
  const { server, cp, ca } = await start();
  try {
    for (const token of [undefined, 'wrong']) {
      const r = await get(server, ca, '/api/v1/namespaces', { token });
      assert.equal(r.status, 401);
      assert.deepEqual(JSON.parse(r.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    assert.equal((await get(server, ca, '/api/v1/namespaces', { token: 'secret' })).status, 200);
  } finally {
    await server.close();
    cp.close();
  }
});

test('a body over 3 MiB is 413', async () => {
  const { server, cp, ca } = await start();
  try {
    const r = await get(server, ca, '/api/v1/namespaces/default/configmaps', { token: 'secret', method: 'POST', body: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20) });
    assert.equal(r.status, 413);
    assert.equal((JSON.parse(r.body) as { reason: string }).reason, 'RequestEntityTooLarge');
  } finally {
    await server.close();
    cp.close();
  }
});

test('a watch sends its headers before any event, and close() ends it', async () => {
  const { server, cp, ca } = await start();
  let resolveHeaders: () => void;
  const headers = new Promise<void>((r) => (resolveHeaders = r));
  // Nothing happens in this namespace: only flushed headers can reach the client.
  const done = get(server, ca, '/api/v1/namespaces/kube-public/pods?watch=true&resourceVersion=999999', { token: 'secret', onResponse: () => resolveHeaders() });
  await headers;
  await server.close();
  const r = await done;
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  cp.close();
});

/** Sends a raw upgrade request and returns the status line and body of the reply. */
function upgrade(s: ApiServer, ca: string, path: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: s.port, ca, servername: 'localhost' }, () => {
      sock.write([`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', ...(token ? [`Authorization: Bearer ${token}`] : []), '', ''].join('\r\n'));
    });
    let data = '';
    sock.setEncoding('utf8').on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
}

test('exec and port-forward upgrades are refused with a Status for a bad token, a missing pod, or no runtime', async () => {
  const { server, cp, ca } = await start();
  try {
    const unauth = await upgrade(server, ca, '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true', undefined);
    assert.match(unauth, /^HTTP\/1\.1 401 Unauthorized\r\n/);
    const missing = await upgrade(server, ca, '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true', 'secret');
    assert.match(missing, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(missing, /"message":"pods \\"p\\" not found"/);
    const other = await upgrade(server, ca, '/api/v1/namespaces/default/services/s/proxy', 'secret');
    assert.match(other, /^HTTP\/1\.1 404 Not Found\r\n/);
  } finally {
    await server.close();
    cp.close();
  }
});
