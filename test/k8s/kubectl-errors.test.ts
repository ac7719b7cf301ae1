// Invalid objects and requests through the real kubectl: each one gets the API server's status
// code and message (as kubectl prints them: stdout, stderr and exit code, exactly), and nothing
// is half-written. Some are refused by kubectl itself before any request; they are here because
// they must still be refused the same way against podlab (discovery and OpenAPI feed them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlEnv, noKubectl, runKubectl, testCerts } from '../support/kubectl.ts';
import { startCluster, type TestCluster } from './cluster.ts';

const skip = noKubectl(32);
let c: TestCluster;

before(async () => {
  if (!skip) c = await startCluster();
});

after(async () => {
  if (c) await c.close();
});

const fail = (stderr: string, code = 1): { stdout: string; stderr: string; code: number } => ({ stdout: '', stderr, code });

const DEPLOY = (name: string, spec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
${spec}`;

const GOOD_SPEC = `  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
`;

/** The store's version before and after: a refused request writes nothing. */
async function unchanged(run: () => Promise<unknown>): Promise<void> {
  const before = c.cp.store.resourceVersion();
  await run();
  assert.equal(c.cp.store.resourceVersion(), before, 'a refused request changed the store');
}

test('bad YAML is refused by kubectl with the parser error', { skip }, async () => {
  const f = c.file('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: [\n');
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail(`error: error parsing ${f}: error converting YAML to JSON: yaml: line 3: did not find expected node content\n`));
});

test('an unknown kind has no mapping in podlab discovery', { skip }, async () => {
  const f = c.file('widget.yaml', 'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n');
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail(`error: resource mapping not found for name: "w" namespace: "" from "${f}": no matches for kind "Widget" in version "v1"\nensure CRDs are installed first\n`));
});

test('a group version podlab does not serve has no mapping either', { skip }, async () => {
  const f = c.file('beta.yaml', 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: w\n');
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail(`error: resource mapping not found for name: "w" namespace: "" from "${f}": no matches for kind "Deployment" in version "apps/v1beta1"\nensure CRDs are installed first\n`));
});

test('a Deployment without a selector is 422 Invalid with both field errors', { skip }, async () => {
  const f = c.file('nosel.yaml', DEPLOY('nosel', `  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
`));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail('The Deployment "nosel" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`\n')));
});

test('a service port out of range is 422 with the field path and the allowed range', { skip }, async () => {
  const f = c.file('port.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bigport\nspec:\n  selector: {app: x}\n  ports:\n  - port: 70000\n    targetPort: 80\n');
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail('The Service "bigport" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n')));
});

test('a node port outside the range is refused by kubectl create service with the server message', { skip }, async () => {
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', 'service', 'nodeport', 'np', '--tcp=80:80', '--node-port=99999']), fail('error: failed to create NodePort service: Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767\n')));
});

test('an unknown field is refused in strict field validation (kubectl\'s default)', { skip }, async () => {
  const f = c.file('unknown.yaml', DEPLOY('unknown', `  foo: bar\n${GOOD_SPEC}`));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail(`Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"\n`)));
});

test('--validate=warn creates the object without the unknown field and prints the server warning', { skip }, async () => {
  const f = c.file('warn.yaml', DEPLOY('warned', `  foo: bar\n${GOOD_SPEC}`));
  assert.deepEqual(await c.kubectl(['apply', '--validate=warn', '-f', f]), { stdout: 'deployment.apps/warned created\n', stderr: 'Warning: unknown field "spec.foo"\n', code: 0 });
  assert.equal((await c.kubectl(['get', 'deploy', 'warned', '-o', 'jsonpath={.spec.foo}'])).stdout, '');
  // The last-applied configuration keeps spec.foo, so kubectl patches it in again (and the
  // server drops it again): `configured`, as with a real API server.
  assert.deepEqual(await c.kubectl(['apply', '--validate=false', '-f', f]), { stdout: 'deployment.apps/warned configured\n', stderr: '', code: 0 });
});

test('server-side apply of an unknown field fails with the structured-merge-diff message', { skip }, async () => {
  const f = c.file('ssa-unknown.yaml', DEPLOY('ssaunknown', `  foo: bar\n${GOOD_SPEC}`));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '--server-side', '-f', f]), fail('Error from server: failed to create typed patch object (default/ssaunknown; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema\n')));
});

test('server-side apply of a field another manager owns is 409 Conflict until forced', { skip }, async () => {
  const f = c.file('owned.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\ndata:\n  a: "1"\n');
  assert.equal((await c.kubectl(['apply', '--server-side', '-f', f])).code, 0);
  const g = c.file('taker.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\ndata:\n  a: "2"\n');
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '--server-side', '--field-manager=other', '-f', g]), fail([
    'error: Apply failed with 1 conflict: conflict with "kubectl": .data.a',
    'Please review the fields above--they currently have other managers. Here',
    'are the ways you can resolve this warning:',
    '* If you intend to manage all of these fields, please re-run the apply',
    '  command with the `--force-conflicts` flag.',
    '* If you do not intend to manage all of the fields, please edit your',
    '  manifest to remove references to the fields that should keep their',
    '  current managers.',
    '* You may co-own fields by updating your manifest to match the existing',
    '  value; in this case, you\'ll become the manager if the other manager(s)',
    '  stop managing the field (remove it from their configuration).',
    'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts',
    '',
  ].join('\n'))));
  assert.deepEqual(await c.kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', g]), { stdout: 'configmap/owned serverside-applied\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'cm', 'owned', '-o', 'jsonpath={.data.a} {.metadata.managedFields[*].manager}'])).stdout, '2 other');
});

test('a value of the wrong type fails to decode', { skip }, async () => {
  const f = c.file('type.yaml', DEPLOY('typed', `  replicas: two\n${GOOD_SPEC}`));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['apply', '-f', f]), fail(`Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n`)));
});

test('a duplicate name is 409 AlreadyExists, from create -f and from create <kind>', { skip }, async () => {
  const f = c.file('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n');
  assert.equal((await c.kubectl(['create', '-f', f])).code, 0);
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', '-f', f]), fail(`Error from server (AlreadyExists): error when creating "${f}": configmaps "dup" already exists\n`)));
  assert.equal((await c.kubectl(['create', 'deployment', 'dupd', '--image=nginx'])).code, 0);
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', 'deployment', 'dupd', '--image=nginx']), fail('error: failed to create deployment: deployments.apps "dupd" already exists\n')));
});

test('a namespace in the object that differs from --namespace is refused by kubectl', { skip }, async () => {
  const f = c.file('ns.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nsx\n  namespace: default\n');
  assert.deepEqual(await c.kubectl(['apply', '-n', 'kube-system', '-f', f]), fail('error: the namespace from the provided object "default" does not match the namespace "kube-system". You must pass \'--namespace=default\' to perform this operation.\n'));
});

test('a namespace in the body that differs from the URL is 400 from the server', { skip }, async () => {
  const f = c.file('raw.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'default' } }));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', '--raw', '/api/v1/namespaces/kube-system/configmaps', '-f', f]), fail('Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request\n')));
});

test('a create in a missing namespace is 404 for the namespace', { skip }, async () => {
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', 'configmap', 'x', '-n', 'nope', '--from-literal=a=b']), fail('error: failed to create configmap: namespaces "nope" not found\n')));
});

test('a replace with a stale resourceVersion is 409 Conflict and keeps the newer object', { skip }, async () => {
  const f = c.file('stale.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stale\ndata:\n  v: "1"\n');
  assert.equal((await c.kubectl(['create', '-f', f])).code, 0);
  const old = (await c.kubectl(['get', 'cm', 'stale', '-o', 'yaml'])).stdout;
  assert.equal((await c.kubectl(['label', 'cm', 'stale', 'touched=yes'])).code, 0);
  const g = c.file('stale-old.yaml', old.replace('v: "1"', 'v: "2"'));
  await unchanged(async () => assert.deepEqual(await c.kubectl(['replace', '-f', g]), fail(`Error from server (Conflict): error when replacing "${g}": Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again\n`)));
  assert.equal((await c.kubectl(['get', 'cm', 'stale', '-o', 'jsonpath={.data.v} {.metadata.labels.touched}'])).stdout, '1 yes');
});

test('a replace of a missing object is 404', { skip }, async () => {
  const f = c.file('missing.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: missing\n');
  assert.deepEqual(await c.kubectl(['replace', '-f', f]), fail(`Error from server (NotFound): error when replacing "${f}": configmaps "missing" not found\n`));
});

test('an object without a name is 422 naming the required field', { skip }, async () => {
  const f = c.file('noname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n');
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', '-f', f]), fail('The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required\n')));
});

test('an invalid name is 422 with the RFC 1123 rule', { skip }, async () => {
  await unchanged(async () => assert.deepEqual(await c.kubectl(['run', 'Bad_Name', '--image=nginx']), fail([
    'The Pod "Bad_Name" is invalid: ',
    '* metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    '* spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
    '',
  ].join('\n'))));
});

test('a pod without containers is 422', { skip }, async () => {
  const f = c.file('empty.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\nspec:\n  containers: []\n');
  await unchanged(async () => assert.deepEqual(await c.kubectl(['create', '-f', f]), fail('The Pod "empty" is invalid: spec.containers: Required value\n')));
});

test('missing objects are 404 NotFound for get, delete, scale, exec, port-forward, expose, rollout and wait', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['get', 'pod', 'missing']), fail('Error from server (NotFound): pods "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['delete', 'pod', 'missing']), fail('Error from server (NotFound): pods "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['scale', 'deploy', 'missing', '--replicas=2']), fail('error: no objects passed to scale deployments.apps "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['exec', 'missing', '--', 'ls']), fail('Error from server (NotFound): pods "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['port-forward', 'pod/missing', '18080:80']), fail('Error from server (NotFound): pods "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['expose', 'deployment', 'missing', '--port', '80']), fail('Error from server (NotFound): deployments.apps "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['rollout', 'status', 'deploy/missing']), fail('Error from server (NotFound): deployments.apps "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['wait', '--for=condition=Ready', 'pod/missing', '--timeout=1s']), fail('Error from server (NotFound): pods "missing" not found\n'));
  assert.deepEqual(await c.kubectl(['logs', 'missing']), fail('error: error from server (NotFound): pods "missing" not found in namespace "default"\n'));
});

test('delete -f of objects already gone is 404 for each', { skip }, async () => {
  const f = c.file('gone.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n');
  assert.equal((await c.kubectl(['create', '-f', f])).code, 0);
  assert.deepEqual(await c.kubectl(['delete', '-f', f]), { stdout: 'configmap "gone" deleted\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['delete', '-f', f]), fail(`Error from server (NotFound): error when deleting "${f}": configmaps "gone" not found\n`));
});

test('an unknown resource type, or a path no route serves, is NotFound', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['get', 'widgets']), fail('error: the server doesn\'t have a resource type "widgets"\n'));
  assert.deepEqual(await c.kubectl(['get', '--raw', '/api/v1/namespaces/default/widgets']), fail('Error from server (NotFound): the server could not find the requested resource\n'));
});

test('an unsupported field selector and a malformed label selector are 400', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['get', 'pods', '--field-selector', 'spec.foo=bar']), fail('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo\n'));
  assert.deepEqual(await c.kubectl(['get', 'pods', '-l', 'a in (b']), fail('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a in (b", field selector "": unable to parse requirement: found \'\', expected: \')\'\n'));
});

test('a strategic merge patch that is not JSON is 400 with the decoder message', { skip }, async () => {
  assert.equal((await c.kubectl(['create', 'configmap', 'patchme', '--from-literal=a=b'])).code, 0);
  await unchanged(async () => assert.deepEqual(await c.kubectl(['patch', 'cm', 'patchme', '-p', '{bad']), fail('Error from server (BadRequest): invalid character \'b\' looking for beginning of object key string\n')));
});

test('a patch that adds an unknown field is kept only without it, with a warning', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['patch', 'cm', 'patchme', '--type=merge', '-p', '{"spec":{"foo":1},"data":{"c":"d"}}']), { stdout: 'configmap/patchme patched\n', stderr: 'Warning: unknown field "spec"\n', code: 0 });
  assert.equal((await c.kubectl(['get', 'cm', 'patchme', '-o', 'jsonpath={.spec}{.data.c}'])).stdout, 'd');
});

test('kubectl refuses what it can check itself: label without --overwrite, negative replicas', { skip }, async () => {
  assert.equal((await c.kubectl(['label', 'cm', 'patchme', 'app=x'])).code, 0);
  assert.deepEqual(await c.kubectl(['label', 'cm', 'patchme', 'app=y']), fail('error: \'app\' already has a value (x), and --overwrite is false\n'));
  assert.deepEqual(await c.kubectl(['scale', 'deploy', 'dupd', '--replicas=-1']), fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n'));
});

test('a wrong token is 401 and kubectl asks to log in', { skip }, async () => {
  const env = kubectlEnv(c.server.url, (await testCerts()).caPem, 'not-the-token');
  try {
    const r = await runKubectl(env, ['get', 'pods'], { minor: 32 });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    // Discovery failures are logged by client-go (with a timestamp and PID) before the final error.
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.pop(), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    for (const l of lines) assert.match(l, /memcache\.go:\d+\] "Unhandled Error" err="couldn't get current server API group list: the server has asked for the client to provide credentials"$/);
  } finally {
    env.cleanup();
  }
});
