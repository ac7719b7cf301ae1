// Differential tests against the real kubectl: `kubectl patch --local` applies strategic merge, JSON
// merge and JSON patches with kubectl's own code (no server), and `kubectl apply` against a tiny
// in-process API server sends the three-way patch it computed, which we capture. Skipped, with a
// message, when kubectl is not installed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { APPLY_CASES, FIXTURES, type ApplyCase, type OracleFixture, liveObject, modifiedObject } from './oracle-fixtures.ts';
import { applyStrategicMergePatch, threeWayMergePatch } from './strategic.ts';
import { jsonMergePatch } from './merge.ts';
import { jsonPatch } from './json-patch.ts';
import { patchSchemaFor } from './schema.ts';
import { lastAppliedConfiguration } from './apply.ts';
import { goJson } from './gofmt.ts';
import type { KObject } from '../object.ts';

function kubectlVersion(): string | undefined {
  try {
    return execFileSync('kubectl', ['version', '--client', '-o', 'json'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10000 }).toString();
  } catch {
    return undefined;
  }
}

const haveKubectl = kubectlVersion() !== undefined;
const skip = haveKubectl ? false : 'kubectl is not installed: differential tests against kubectl skipped';

interface Run { stdout: string; stderr: string; code: number }

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile('kubectl', args, { env, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

/** Runs `fn` over the items with at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** What our code gives for a fixture: the patched object, or the error text kubectl would print. */
function ours(f: OracleFixture): { object?: unknown; error?: string } {
  try {
    if (f.type === 'strategic') {
      return { object: applyStrategicMergePatch(f.object, f.patch, patchSchemaFor(String(f.object.apiVersion), String(f.object.kind))) };
    }
    if (f.type === 'merge') return { object: jsonMergePatch(f.object, f.patch) };
    return { object: jsonPatch(f.object, f.patch) };
  } catch (e) {
    const err = e as Error;
    // The API server hides why a JSON patch failed; the reason is kept as the cause.
    let text = f.type === 'json' && typeof err.cause === 'string' ? err.cause : err.message;
    // kubectl rewords one evanphx message locally (cmd/patch getPatchedJSON).
    text = text.replace(/^replace operation does not apply: doc is missing key: (.*)$/, 'Object to be patched is missing field ($1)');
    return { error: text.trim() };
  }
}

describe('kubectl patch --local agrees with our patch code', { skip }, () => {
  let dir: string;
  const results = new Map<string, Run>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podlab-patch-'));
    await pool(FIXTURES.map((f, i) => ({ f, i })), 8, async ({ f, i }) => {
      const file = join(dir, `obj-${i}.json`);
      writeFileSync(file, JSON.stringify(f.object));
      results.set(f.name, await run(['patch', '--local', '-f', file, '--type', f.type, '-p', JSON.stringify(f.patch), '-o', 'json']));
    });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the corpus has at least 40 fixtures and covers every directive', () => {
    assert.ok(FIXTURES.length >= 40);
    const text = JSON.stringify(FIXTURES.map((f) => f.patch));
    for (const d of ['"$patch":"delete"', '"$patch":"replace"', '"$patch":"merge"', '$setElementOrder/', '$deleteFromPrimitiveList/', '$retainKeys']) {
      assert.ok(text.includes(d), `no fixture uses ${d}`);
    }
  });

  for (const f of FIXTURES) {
    test(`${f.type}: ${f.name}`, () => {
      const k = results.get(f.name)!;
      const mine = ours(f);
      if (f.fails) {
        assert.notEqual(k.code, 0, `kubectl accepted the patch: ${k.stdout}`);
        assert.equal(mine.error, k.stderr.trim().replace(/^error: /, ''));
      } else {
        assert.equal(k.code, 0, k.stderr);
        assert.equal(mine.error, undefined);
        assert.deepEqual(mine.object, JSON.parse(k.stdout));
      }
    });
  }
});

// --- three-way patches: kubectl apply against a fake API server ------------------------------------

/** What kubectl apply computes. */
function ourPatch(c: ApplyCase): Record<string, unknown> {
  const original = c.previous ? JSON.parse(lastAppliedConfiguration(c.previous)) : undefined;
  return threeWayMergePatch(original, modifiedObject(c.config), liveObject(c), patchSchemaFor(String(c.config.apiVersion), String(c.config.kind)));
}

/** Just enough API server for `kubectl apply`: discovery, GET of the live objects, PATCH captured. */
function fakeApiServer(objects: Map<string, KObject>, patches: Map<string, string>): Server {
  const res = (name: string, kind: string, namespaced = true) => ({ name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'get', 'list', 'patch', 'update'] });
  const lists: Record<string, unknown[]> = {
    '/api/v1': [res('configmaps', 'ConfigMap'), res('services', 'Service'), res('pods', 'Pod'), res('nodes', 'Node', false)],
    '/apis/apps/v1': [res('deployments', 'Deployment')],
    '/apis/policy/v1': [res('poddisruptionbudgets', 'PodDisruptionBudget')],
  };
  const group = (name: string) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' } });
  return createServer((req, resp) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const send = (code: number, obj: unknown) => {
        resp.writeHead(code, { 'Content-Type': 'application/json' });
        resp.end(JSON.stringify(obj));
      };
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
      if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('apps'), group('policy')] });
      if (lists[path]) return send(200, { kind: 'APIResourceList', groupVersion: path.replace(/^\/apis?\//, ''), resources: lists[path] });
      const name = path.split('/').pop() ?? '';
      const obj = objects.get(name);
      if (obj && req.method === 'GET') return send(200, obj);
      if (obj && req.method === 'PATCH') {
        patches.set(name, body);
        return send(200, obj);
      }
      send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    });
  });
}

describe('kubectl apply sends the three-way patch we compute', { skip }, () => {
  let dir: string;
  let server: Server;
  const patches = new Map<string, string>();
  const outputs = new Map<string, Run>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podlab-apply-'));
    const objects = new Map(APPLY_CASES.map((c) => [c.live.metadata.name!, liveObject(c)]));
    assert.equal(objects.size, APPLY_CASES.length, 'each case needs its own object name');
    server = fakeApiServer(objects, patches);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir };
    await pool(APPLY_CASES, 6, async (c) => {
      const file = join(dir, `${c.live.metadata.name}.json`);
      writeFileSync(file, JSON.stringify(c.config));
      outputs.set(c.name, await run(['--server', url, '--cache-dir', join(dir, 'cache'), 'apply', '--validate=false', '-f', file], env));
    });
  });

  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of APPLY_CASES) {
    test(c.name, () => {
      const out = outputs.get(c.name)!;
      assert.equal(out.code, 0, out.stderr);
      const sent = patches.get(c.live.metadata.name!);
      const mine = ourPatch(c);
      if (sent === undefined) {
        assert.match(out.stdout, /unchanged/);
        assert.deepEqual(mine, {});
      } else {
        // Byte for byte: same members, same order, same escaping.
        assert.equal(goJson(mine), sent);
      }
    });
  }
});
