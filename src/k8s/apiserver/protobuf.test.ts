/** Tests of the protobuf body decoder: hand-built bodies for the wire rules; the real kubectl as oracle (a POSTed body decodes to what --dry-run=client -o json prints). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusError } from '../api/errors.ts';
import { decodeKubeProtobuf, isProtobuf, protobufKinds } from './protobuf.ts';
import { json, kubectlBinary, noKubectl, runKubectl, startStubServer, testCerts, type StubServer } from '../../../test/support/kubectl.ts';

// ---- a minimal encoder for hand-built bodies -------------------------------------------------

type Bytes = number[];

function varint(v: number | bigint): Bytes {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: Bytes = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}
const num = (field: number, v: number | bigint): Bytes => [...varint(field << 3), ...varint(v)];
const bytes = (field: number, b: Bytes): Bytes => [...varint((field << 3) | 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s)]);
const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());
const entry = (field: number, key: string, value: Bytes): Bytes => msg(field, str(1, key), value);

/** `k8s\0` + runtime.Unknown{typeMeta, raw} around an object's fields. */
function body(apiVersion: string, kind: string, ...object: Bytes[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, ...object), ...str(3, ''), ...str(4, '')]);
}

/** ObjectMeta as Go writes it: every non-pointer field, empty or not. */
function meta(name: string, ...more: Bytes[]): Bytes {
  return msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), num(7, 0), msg(8), ...more);
}

function badRequest(message: RegExp) {
  return (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && message.test(e.message);
}

describe('isProtobuf', () => {
  it('accepts the Kubernetes protobuf media type with parameters and in any case', () => {
    assert.equal(isProtobuf('application/vnd.kubernetes.protobuf'), true);
    assert.equal(isProtobuf('Application/VND.Kubernetes.Protobuf; charset=utf-8'), true);
  });
  it('rejects JSON, other protobuf types and a missing header', () => {
    assert.equal(isProtobuf('application/json'), false);
    assert.equal(isProtobuf('application/x-protobuf'), false);
    assert.equal(isProtobuf(undefined), false);
  });
});

describe('decodeKubeProtobuf on hand-built bodies', () => {
  it('gives kind and apiVersion from the envelope, drops empty metadata strings and prints the zero creationTimestamp as null', () => {
    const obj = decodeKubeProtobuf(body('v1', 'ConfigMap', meta('cm'), entry(2, 'a', str(2, 'b')), entry(2, 'empty', str(2, ''))));
    assert.deepEqual(obj, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm', creationTimestamp: null }, data: { a: 'b', empty: '' } });
    assert.deepEqual(Object.keys(obj), ['kind', 'apiVersion', 'metadata', 'data']);
  });

  it('writes bytes as base64: Secret data and ConfigMap binaryData', () => {
    const secret = decodeKubeProtobuf(body('v1', 'Secret', meta('s'), entry(2, 'k', bytes(2, [0xff, 0x00, 0x41])), str(3, 'Opaque')));
    assert.deepEqual(secret.data, { k: '/wBB' });
    assert.equal(secret.type, 'Opaque');
    const cm = decodeKubeProtobuf(body('v1', 'ConfigMap', meta('cm'), entry(3, 'bin', bytes(2, [1, 2, 3]))));
    assert.deepEqual(cm.binaryData, { bin: 'AQID' });
  });

  it('sorts map keys as encoding/json does and lets the last duplicate key win', () => {
    const obj = decodeKubeProtobuf(body('v1', 'ConfigMap', meta('cm'), entry(2, 'z', str(2, '1')), entry(2, 'a', str(2, '2')), entry(2, 'z', str(2, '3'))));
    assert.deepEqual(Object.entries(obj.data as object), [['a', '2'], ['z', '3']]);
  });

  it('prints a set Time as RFC 3339 in UTC to the second', () => {
    const obj = decodeKubeProtobuf(body('v1', 'Namespace', msg(1, str(1, 'ns'), msg(8, num(1, 1700000000), num(2, 999)))));
    assert.deepEqual(obj.metadata, { name: 'ns', creationTimestamp: '2023-11-14T22:13:20Z' });
  });

  it('keeps a zero pointer field (replicas: 0) but drops a zero non-pointer one (minReadySeconds)', () => {
    const obj = decodeKubeProtobuf(body('apps/v1', 'Deployment', meta('d'), msg(2, num(1, 0), num(5, 0), num(7, 0))));
    assert.deepEqual(obj.spec, { replicas: 0 });
  });

  it('decodes negative int64 and int32 from ten-byte varints', () => {
    const obj = decodeKubeProtobuf(body('v1', 'Namespace', meta('ns', num(10, -30)), msg(2), msg(3)));
    assert.equal((obj.metadata as { deletionGracePeriodSeconds: number }).deletionGracePeriodSeconds, -30);
    const pc = decodeKubeProtobuf(body('scheduling.k8s.io/v1', 'PriorityClass', meta('pc'), num(2, -5)));
    assert.equal(pc.value, -5);
  });

  it('prints IntOrString as a number for type 0 and as a string for type 1', () => {
    const port = (p: Bytes[]) => msg(1, str(1, 'web'), num(3, 80), msg(4, ...p));
    const obj = decodeKubeProtobuf(body('v1', 'Service', meta('s'), msg(2, port([num(1, 0), num(2, 8080), str(3, '')]), port([num(1, 1), num(2, 0), str(3, 'http')])), msg(3, msg(1))));
    const ports = (obj.spec as { ports: { targetPort: unknown }[] }).ports;
    assert.deepEqual(ports.map((p) => p.targetPort), [8080, 'http']);
    assert.deepEqual(obj.status, { loadBalancer: {} });
  });

  it('prints the fields of inline structs (LocalObjectReference, ProbeHandler) in the parent object', () => {
    const container = msg(2, str(1, 'c'), str(2, 'img'),
      msg(7, str(1, 'X'), msg(3, msg(3, msg(1, str(1, 'cm')), str(2, 'key')))),
      msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, num(1, 0), num(2, 8080)))), num(2, 5)));
    const obj = decodeKubeProtobuf(body('batch/v1', 'Job', meta('j'), msg(2, msg(6, msg(1), msg(2, container)))));
    const c = ((obj.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers)[0];
    assert.deepEqual(c.env, [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'key' } } }]);
    assert.deepEqual(c.livenessProbe, { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5 });
  });

  it('gives fields without omitempty their zero value when absent: a container name, an HPA maxReplicas', () => {
    const dep = decodeKubeProtobuf(body('apps/v1', 'Deployment', meta('d'), msg(2, msg(3, msg(2, msg(2, str(2, 'img')))))));
    assert.deepEqual((dep.spec as { template: unknown }).template, { spec: { containers: [{ name: '', image: 'img' }] } });
    const hpa = decodeKubeProtobuf(body('autoscaling/v1', 'HorizontalPodAutoscaler', meta('h'), msg(2)));
    assert.deepEqual(hpa.spec, { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 });
  });

  it('reads resource quantities and rejects a malformed one', () => {
    const c = (q: string) => msg(2, str(1, 'c'), msg(8, entry(1, 'cpu', msg(2, str(1, q))), entry(2, 'memory', msg(2, str(1, '64Mi')))));
    const pod = (q: string) => body('apps/v1', 'Deployment', meta('d'), msg(2, msg(3, msg(2, c(q)))));
    const dep = decodeKubeProtobuf(pod('500m'));
    const containers = (dep.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template.spec.containers;
    assert.deepEqual(containers[0].resources, { limits: { cpu: '500m' }, requests: { memory: '64Mi' } });
    assert.throws(() => decodeKubeProtobuf(pod('lots')), badRequest(/quantities must match/));
  });

  it('accepts packed repeated numbers as well as unpacked ones', () => {
    const rule = (values: Bytes[]) => msg(1, str(1, 'FailJob'), msg(2, str(2, 'In'), ...values));
    const job = (values: Bytes[]) => body('batch/v1', 'Job', meta('j'), msg(2, msg(11, rule(values)), msg(6, msg(1), msg(2))));
    const codes = (obj: Record<string, unknown>) => (obj.spec as { podFailurePolicy: { rules: { onExitCodes: { values: number[] } }[] } }).podFailurePolicy.rules[0].onExitCodes.values;
    assert.deepEqual(codes(decodeKubeProtobuf(job([bytes(3, [1, 42, 0x96, 0x01])]))), [1, 42, 150]);
    assert.deepEqual(codes(decodeKubeProtobuf(job([num(3, 1), num(3, 42)]))), [1, 42]);
  });

  it('merges an embedded message sent twice and keeps the last value of a repeated scalar field', () => {
    const obj = decodeKubeProtobuf(body('v1', 'ServiceAccount', msg(1, str(1, 'first'), entry(11, 'a', str(2, '1'))), msg(1, str(1, 'second'), entry(11, 'b', str(2, '2')))));
    // creationTimestamp has no omitempty that works on a struct: absent from the body, Go still prints null.
    assert.deepEqual(obj.metadata, { name: 'second', creationTimestamp: null, labels: { a: '1', b: '2' } });
  });

  it('skips fields it has no table entry for, as Go does with unknown fields', () => {
    const obj = decodeKubeProtobuf(body('v1', 'ServiceAccount', meta('sa'), str(99, 'future'), num(98, 7), [0x0d << 3 | 5, 1, 2, 3, 4]));
    assert.deepEqual(obj, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sa', creationTimestamp: null } });
  });

  it('prints managedFields with their fieldsV1 JSON and time', () => {
    const mf = msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), msg(4, num(1, 0)), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{}}')));
    const obj = decodeKubeProtobuf(body('v1', 'ConfigMap', meta('cm', mf)));
    assert.deepEqual((obj.metadata as { managedFields: unknown }).managedFields, [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '1970-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }]);
  });

  it('rejects a body without the k8s\\0 prefix', () => {
    assert.throws(() => decodeKubeProtobuf(Buffer.from('{"kind":"Namespace"}')), badRequest(/does not appear to be a protobuf message/));
    assert.throws(() => decodeKubeProtobuf(Buffer.alloc(0)), badRequest(/does not appear to be a protobuf message/));
  });

  it('rejects truncated bodies: a length past the end, a varint cut short', () => {
    const whole = body('v1', 'Namespace', meta('ns'));
    assert.throws(() => decodeKubeProtobuf(whole.subarray(0, whole.length - 6)), badRequest(/unexpected EOF/));
    assert.throws(() => decodeKubeProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x08, 0x80])), badRequest(/unexpected EOF/));
  });

  it('rejects a field sent with the wrong wire type, an illegal wire type and tag 0', () => {
    assert.throws(() => decodeKubeProtobuf(body('v1', 'Namespace', msg(1, num(1, 5)))), badRequest(/wrong wireType = 0 for field ObjectMeta\.name/));
    assert.throws(() => decodeKubeProtobuf(body('v1', 'Namespace', [0x0f])), badRequest(/illegal wireType 7/));
    assert.throws(() => decodeKubeProtobuf(body('v1', 'Namespace', [0x00, 0x00])), badRequest(/illegal tag 0/));
  });

  it('rejects a kind it has no table for, a missing kind and a compressed payload', () => {
    assert.throws(() => decodeKubeProtobuf(body('v1', 'Pod', meta('p'))), badRequest(/no kind "Pod" is registered for version "v1"/));
    assert.throws(() => decodeKubeProtobuf(body('v1', '', meta('p'))), badRequest(/Kind' is missing/));
    const gz = Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, 'v1'), str(2, 'Namespace')), ...msg(2), ...str(3, 'gzip')]);
    assert.throws(() => decodeKubeProtobuf(gz), badRequest(/content encoding "gzip"/));
  });

  it('lists the kinds it decodes', () => {
    const kinds = protobufKinds();
    for (const k of ['v1/Namespace', 'apps/v1/Deployment', 'batch/v1/Job', 'autoscaling/v2/HorizontalPodAutoscaler', 'authorization.k8s.io/v1/SelfSubjectAccessReview']) {
      assert.ok(kinds.includes(k), k);
    }
  });
});

// ---- the real kubectl as the oracle ----------------------------------------------------------

interface OracleCase {
  title: string;
  args: string[];
  /** What kubectl prints on success, given the echo below. */
  out: RegExp;
  /** For commands without --dry-run: the object kubectl builds, as Go would print it. */
  expected?: Record<string, unknown>;
}

/** The deployment `kubectl autoscale` reads before building its HPA. */
const DEPLOYMENT = {
  kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'd1', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'd1' } }, template: { metadata: { labels: { app: 'd1' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
};

/** The stub's answer to a POST: the decoded object back (what kubectl prints its name from), with a verdict for reviews. */
function answerPost(req: IncomingMessage, b: Buffer, res: ServerResponse): boolean {
  if (!isProtobuf(req.headers['content-type'])) {
    json(res, 415, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `expected protobuf, got ${req.headers['content-type']}`, reason: 'UnsupportedMediaType', code: 415 });
    return true;
  }
  let obj: Record<string, unknown>;
  try {
    obj = decodeKubeProtobuf(b);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    json(res, e.code, e.status());
    return true;
  }
  if (obj.kind === 'SelfSubjectAccessReview') obj.status = { allowed: true };
  if (obj.kind === 'TokenRequest') obj.status = { token: 'podlab-token', expirationTimestamp: '2026-01-01T01:00:00Z' };
  json(res, 201, obj);
  return true;
}

function oracleSuite(minor: number, cases: OracleCase[]): void {
  describe(`kubectl 1.${minor}: what it POSTs as protobuf decodes to the JSON of --dry-run=client -o json`, { skip: noKubectl(minor) }, () => {
    let s: StubServer;
    before(async () => {
      s = await startStubServer(async (req, b, res) => {
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path === '/apis/apps/v1/namespaces/default/deployments/d1') return json(res, 200, DEPLOYMENT);
        if (req.method === 'POST') return answerPost(req, b, res);
        return false;
      }, { minor });
    });
    after(async () => {
      await s?.close();
    });

    for (const c of cases) {
      it(`${c.title} (kubectl ${c.args.join(' ')})`, async () => {
        const seen = s.requests.length;
        const r = await runKubectl(s.env, c.args, { minor });
        const posts = s.requests.slice(seen).filter((q) => q.method === 'POST');
        assert.equal(posts.length, 1, `one POST expected; kubectl said: ${r.stderr}`);
        assert.ok(isProtobuf(posts[0].headers['content-type']), `kubectl sent ${posts[0].headers['content-type']}, not protobuf`);
        const decoded = decodeKubeProtobuf(posts[0].body);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, c.out);

        let expected = c.expected;
        if (!expected) {
          // Flags go before `--`, after which kubectl takes everything as the container's command.
          const dash = c.args.includes('--') ? c.args.indexOf('--') : c.args.length;
          const dryArgs = [...c.args.slice(0, dash), '--dry-run=client', '-o', 'json', ...c.args.slice(dash)];
          const dry = await runKubectl(s.env, dryArgs, { minor });
          assert.equal(dry.code, 0, dry.stderr);
          expected = JSON.parse(dry.stdout) as Record<string, unknown>;
        }
        // Nothing is ignored: for every command here the dry-run object is exactly the one kubectl POSTs.
        assert.deepEqual(decoded, expected);
        // Same keys in the same order too: the decoder follows Go's struct order, as kubectl prints.
        assert.equal(JSON.stringify(decoded, null, 4), JSON.stringify(expected, null, 4));
      });
    }
  });
}

/** Files some commands read: a binary blob, a TLS pair. Written once, before the suites run. */
const FILES = mkdtempSync(join(tmpdir(), 'podlab-protobuf-files-'));
const blob = join(FILES, 'blob.bin');
const certFile = join(FILES, 'tls.crt');
const keyFile = join(FILES, 'tls.key');
writeFileSync(blob, Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]));
if (kubectlBinary()) {
  const certs = await testCerts();
  writeFileSync(certFile, certs.certPem);
  writeFileSync(keyFile, certs.keyPem);
}
after(() => rmSync(FILES, { recursive: true, force: true }));

oracleSuite(32, [
  { title: 'a Namespace', args: ['create', 'namespace', 'ns1'], out: /^namespace\/ns1 created$/m },
  { title: 'a ConfigMap with literals', args: ['create', 'configmap', 'cm1', '--from-literal=a=b', '--from-literal=c=d', '--from-literal=empty='], out: /^configmap\/cm1 created$/m },
  { title: 'a ConfigMap with binaryData, in another namespace', args: ['create', 'configmap', 'bin', `--from-file=blob=${blob}`, '--from-literal=text=x', '-n', 'other'], out: /^configmap\/bin created$/m },
  { title: 'a generic Secret', args: ['create', 'secret', 'generic', 's1', '--from-literal=a=b', '--from-literal=empty=', '--type=Opaque'], out: /^secret\/s1 created$/m },
  { title: 'a TLS Secret', args: ['create', 'secret', 'tls', 't1', `--cert=${certFile}`, `--key=${keyFile}`], out: /^secret\/t1 created$/m },
  { title: 'a docker-registry Secret', args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'], out: /^secret\/reg created$/m },
  { title: 'a ServiceAccount', args: ['create', 'serviceaccount', 'sa1'], out: /^serviceaccount\/sa1 created$/m },
  { title: 'a Deployment with replicas and a port', args: ['create', 'deployment', 'd1', '--image=nginx', '--replicas=3', '--port=80'], out: /^deployment\.apps\/d1 created$/m },
  { title: 'a Deployment of two containers and zero replicas', args: ['create', 'deployment', 'd2', '--image=nginx', '--image=busybox', '--replicas=0'], out: /^deployment\.apps\/d2 created$/m },
  { title: 'a ClusterIP Service', args: ['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080', '--tcp=443:https'], out: /^service\/svc1 created$/m },
  { title: 'a headless Service', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'], out: /^service\/headless created$/m },
  { title: 'a NodePort Service', args: ['create', 'service', 'nodeport', 'np1', '--tcp=80:8080', '--node-port=30080'], out: /^service\/np1 created$/m },
  { title: 'a LoadBalancer Service', args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=80'], out: /^service\/lb created$/m },
  { title: 'an ExternalName Service', args: ['create', 'service', 'externalname', 'en', '--external-name=x.example'], out: /^service\/en created$/m },
  { title: 'a Job with a command', args: ['create', 'job', 'j1', '--image=busybox', '--', 'sh', '-c', 'echo hi'], out: /^job\.batch\/j1 created$/m },
  { title: 'a CronJob', args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--restart=Never', '--', 'date'], out: /^cronjob\.batch\/cj created$/m },
  { title: 'an autoscaling/v1 HorizontalPodAutoscaler', args: ['autoscale', 'deployment', 'd1', '--min=2', '--max=5', '--cpu-percent=80'], out: /^horizontalpodautoscaler\.autoscaling\/d1 autoscaled$/m },
  { title: 'a Role', args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'], out: /^role\.rbac\.authorization\.k8s\.io\/r created$/m },
  { title: 'a ClusterRole with a non-resource URL', args: ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/logs/*'], out: /^clusterrole\.rbac\.authorization\.k8s\.io\/cr created$/m },
  { title: 'a RoleBinding', args: ['create', 'rolebinding', 'rb', '--role=r', '--user=u', '--serviceaccount=default:sa1'], out: /^rolebinding\.rbac\.authorization\.k8s\.io\/rb created$/m },
  { title: 'a ClusterRoleBinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=g'], out: /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/crb created$/m },
  { title: 'a ResourceQuota', args: ['create', 'quota', 'q', '--hard=pods=2,cpu=500m,memory=1Gi'], out: /^resourcequota\/q created$/m },
  { title: 'a PodDisruptionBudget with a percentage', args: ['create', 'pdb', 'p', '--selector=a=b', '--min-available=50%'], out: /^poddisruptionbudget\.policy\/p created$/m },
  { title: 'a PriorityClass', args: ['create', 'priorityclass', 'pc', '--value=10', '--description=d', '--preemption-policy=Never'], out: /^priorityclass\.scheduling\.k8s\.io\/pc created$/m },
  { title: 'an Ingress with TLS, a named port and a default backend', args: ['create', 'ingress', 'i', '--class=nginx', '--rule=foo.com/bar=svc1:8080', '--rule=secure.com/*=svc2:http,tls=mysecret', '--default-backend=svc3:80'], out: /^ingress\.networking\.k8s\.io\/i created$/m },
  {
    title: 'a SelfSubjectAccessReview (no --dry-run: the expected object is what can-i builds)',
    args: ['auth', 'can-i', 'list', 'deployments.apps', '-n', 'team'],
    out: /^yes$/m,
    // status is a struct and allowed has no omitempty, so Go prints `status: {allowed: false}`.
    expected: {
      kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'team', verb: 'list', group: 'apps', resource: 'deployments' } },
      status: { allowed: false },
    },
  },
  {
    title: 'a TokenRequest (no --dry-run: the expected object is what create token builds)',
    args: ['create', 'token', 'sa1', '--duration=1h', '--audience=a', '--audience=b'],
    out: /^podlab-token$/m,
    // audiences and token have no omitempty; expirationTimestamp is a zero struct Time, printed as null.
    expected: {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: { audiences: ['a', 'b'], expirationSeconds: 3600 },
      status: { token: '', expirationTimestamp: null },
    },
  },
]);

// 1.33 switched `kubectl autoscale` to autoscaling/v2 (a metrics list, `currentMetrics: null`).
oracleSuite(33, [
  { title: 'an autoscaling/v2 HorizontalPodAutoscaler', args: ['autoscale', 'deployment', 'd1', '--min=2', '--max=5', '--cpu-percent=80'], out: /^horizontalpodautoscaler\.autoscaling\/d1 autoscaled$/m },
]);
