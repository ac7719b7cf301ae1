// The differential proof of podlab's kubectl: every command line goes through the real kubectl
// and through podlab's against podlab's API server, and stdout, stderr and the exit code must be
// byte-identical. Commands that write run on twin clusters (same seed, same clock), one per
// kubectl, and the state both leave behind is compared too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { KObject } from '../../src/k8s/api/object.ts';
import { resourceByPlural } from '../../src/k8s/api/resources.ts';
import { runOnHost } from '../../src/userland/kubectl/host.ts';
import {
  both, fakeKubeletDeletes, fakeRuntime, markRunning, podlabKubectl, realKubectl, startCluster, workdir, type Cluster, type Pair,
} from '../../src/userland/kubectl/testing.ts';
import { kubectlBinary, noKubectl } from '../support/kubectl.ts';

const skip = noKubectl();

function assertSame(r: Pair, args: string[]): void {
  assert.deepEqual(
    { stdout: r.podlab.stdout, stderr: r.podlab.stderr, code: r.podlab.code },
    { stdout: r.real.stdout, stderr: r.real.stderr, code: r.real.code },
    `kubectl ${args.join(' ')}`,
  );
}

const ECHO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
  labels:
    app: echo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo
        args: ["-text=hi"]
        ports:
        - containerPort: 5678
---
apiVersion: v1
kind: Service
metadata:
  name: echo-service
spec:
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 5678
`;

const FILES: Record<string, string> = {
  'echo.yaml': ECHO,
  'echo2.yaml': ECHO.split('---')[0].replace('replicas: 2', 'replicas: 3').replace('-text=hi', '-text=hello'),
  'curl1.yml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: curl1\nspec:\n  selector:\n    matchLabels:\n      app: curl1\n  template:\n    metadata:\n      labels:\n        app: curl1\n    spec:\n      containers:\n      - name: curl\n        image: curlimages/curl\n        command: ["sleep", "infinity"]\n',
  'busybox.yaml': 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: busybox0\nspec:\n  replicas: 2\n  selector:\n    app: bb\n  template:\n    metadata:\n      labels:\n        app: bb\n    spec:\n      containers:\n      - name: busybox\n        image: busybox\n        command: ["sleep", "3600"]\n',
  'nodeport.yml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: helloworld-service\nspec:\n  type: NodePort\n  selector:\n    app: helloworld\n  ports:\n  - port: 31001\n    nodePort: 31001\n    targetPort: nodejs-port\n    protocol: TCP\n',
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n',
  'multi.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m2\n---\n',
  'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: l1\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: l2\n',
  'dir/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d1\n',
  'dir/b.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d2"}}',
  'dir/notes.txt': 'not a manifest',
  'empty/readme': 'nothing here',
  'other-ns.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n1\n  namespace: other\n',
  // Invalid manifests, each failing in its own way.
  'badindent.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: y\n',
  'compact.yaml': 'a: b: c\n',
  'tab.yaml': 'a: 1\n\tb: 2\n',
  'quote.yaml': '"a: 1\n',
  'flowseq.yaml': 'key: [1, 2\n',
  'atsign.yaml': 'a: @x\n',
  'nokind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n',
  'noapiversion.yaml': 'kind: Pod\nmetadata: {name: x}\n',
  'neither.yaml': 'a: 1\n',
  'scalar.yaml': 'foo\n',
  'sequence.yaml': '- a\n- b\n',
  'unknownkind.yaml': 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n',
  'noname.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
  'yesname.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yes\n',
  'boollabel.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bl\n  labels:\n    enabled: true\n',
  'intdata.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: intdata\ndata:\n  a: 1\n',
  'unknownfield.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\nfoo: bar\n',
  'port0.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: port0\nspec:\n  ports:\n  - port: 0\n',
  'twoerrors.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: twoerr\nspec:\n  ports:\n  - port: 0\n    targetPort: 70000\n',
  'noselector.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nosel\nspec:\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n      - name: x\n        image: x\n',
};

const pod = (name: string, containers: string[], labels: Record<string, string> = { app: 'web' }): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
  spec: { nodeName: 'worker', containers: containers.map((c) => ({ name: c, image: 'busybox', ports: [{ containerPort: 8080, name: 'http' }] })) },
});

const OBJECTS: KObject[] = [
  {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker', labels: { 'kubernetes.io/hostname': 'worker' } }, spec: {},
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  },
  pod('web-1', ['web']),
  pod('web-2', ['web', 'side']),
  pod('pending', ['web'], { app: 'other' }),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] } },
  // One key: kubectl describe prints a ConfigMap's data in Go's (random) map order.
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', labels: { tier: 'config' } }, data: { color: 'blue' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } }, spec: { selector: { 'k8s-app': 'kube-dns' }, clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] } },
];

/** Commands that only read: run on one cluster by both kubectls. */
const READS: string[][] = [
  ['version'], ['version', '--client'], ['version', '-o', 'json'], ['version', '-o', 'yaml'], ['version', '--foo'],
  ['api-resources'], ['api-resources', '-o', 'wide'], ['api-resources', '-o', 'name'], ['api-resources', '--namespaced=false'], ['api-resources', '--api-group=apps'], ['api-resources', '--no-headers'],
  ['api-versions'],
  ['cluster-info'],
  ['get', 'pods'], ['get', 'pods', '-o', 'wide'], ['get', 'po', '--show-labels'], ['get', 'pods', '-L', 'app'], ['get', 'pods', '--no-headers'],
  ['get', 'pods,svc,ep'], ['get', 'svc'], ['get', 'svc', '-o', 'wide'], ['get', 'service', '--all-namespaces'], ['get', 'svc', '-n', 'kube-system', 'kube-dns'],
  ['get', 'ep'], ['get', 'endpointslices'], ['get', 'nodes'], ['get', 'no', '-o', 'wide'], ['get', 'ns'], ['get', 'cm'], ['get', 'all'], ['get', 'all', '-A'],
  ['get', 'pods', '-A'], ['get', 'pods', '-n', 'kube-system'], ['get', 'pods', '-n', 'nothing'],
  ['get', 'pods', '-l', 'app=web'], ['get', 'pods', '-l', 'app!=web'], ['get', 'pods', '--field-selector', 'metadata.name=web-1'], ['get', 'pods', '--field-selector', 'status.phase=Running'],
  ['get', 'pod', 'web-1'], ['get', 'pod/web-1', 'svc/web'], ['get', 'pods', 'web-1', 'web-2'], ['get', 'pods', 'web-1', 'nope'], ['get', 'pods', 'nope'], ['get', 'pods', 'nope', '--ignore-not-found'],
  ['get', 'pod', 'web-1', '-o', 'yaml'], ['get', 'svc', 'web', '-o', 'json'], ['get', 'svc', '-o', 'yaml'], ['get', 'cm', 'settings', '-o', 'yaml'], ['get', 'pods', '-o', 'name'], ['get', 'svc,cm', '-o', 'name'],
  ['get', 'pods', 'nope', '-o', 'yaml'], ['get', 'pods', '-o', 'json', '-l', 'app=none'],
  ['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'], ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'],
  ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'],
  ['get', 'pods', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].metadata.name}'],
  ['get', 'svc', '-o', 'custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName', '--no-headers'],
  ['get', 'pods', '--sort-by=.metadata.name'], ['get', 'pods', '--sort-by', '{.status.podIP}', '-o', 'wide'], ['get', 'svc', '-A', '--sort-by=.spec.clusterIP'], ['get', 'pods', '--sort-by=.spec.nope'],
  ['-n', 'kube-system', 'get', 'svc'], ['--namespace=kube-system', 'get', 'svc'], ['get', 'svc', '--namespace='],
  ['get', 'pods', '-w', '--request-timeout=1s'], ['get', 'pod', 'web-1', '-w', '--request-timeout=1s'], ['get', 'pods', '-w', '--output-watch-events', '--request-timeout=1s'],
  ['get', 'cm', '-f', 'cm.yaml'], ['get', '-f', 'echo.yaml', '--ignore-not-found'],
  ['describe', 'pod', 'web-1'], ['describe', 'pods'], ['describe', 'pod', 'web'], ['describe', 'svc', 'web'], ['describe', 'svc'], ['describe', 'services', '-n', 'kube-system'],
  ['describe', 'ep', 'web'], ['describe', 'node', 'worker'], ['describe', 'ns', 'default'], ['describe', 'cm', 'settings'], ['describe', 'svc', 'nope'], ['describe', 'pods', '-n', 'nothing'],
  ['describe', 'svc/web', 'svc/web-np'], ['describe', 'svc', '-l', 'app=none'],
  ['logs', 'web-1'], ['logs', 'web-2'], ['logs', 'web-2', '-c', 'side', '--tail=2'], ['logs', 'web-2', 'side'], ['logs', 'web-1', '--timestamps'], ['logs', 'web-1', '-f'],
  ['logs', 'web-1', '--all-containers'], ['logs', '-l', 'app=web', '--prefix'], ['logs', 'nope'], ['logs', 'deploy/nope'], ['logs'], ['logs', 'web-2', '-c', 'nope'],
  ['exec', 'web-1', '--', 'echo', 'hello', 'world'], ['exec', 'web-1', '--', 'sh', '-c', 'exit 3'], ['exec', 'web-1', '--', 'ls', '/nope'], ['exec', 'web-1', '--', 'frobnicate'],
  ['exec', 'web-1', '--', 'cat'], ['exec', '-it', 'web-1', '--', 'echo', 'tty'], ['exec', '-t', 'web-1', '--', 'echo', 'no stdin'], ['exec', 'web-2', '--', 'hostname'], ['exec', 'web-2', '-c', 'side', '--', 'hostname'],
  ['exec', 'web-2', '-c', 'nope', '--', 'hostname'], ['exec', 'svc/web', '--', 'hostname'], ['exec', 'nope', '--', 'echo'], ['exec', 'web-1', 'echo'], ['exec', 'web-1'], ['exec'],
  ['config', 'view'], ['config', 'view', '--minify'], ['config', 'view', '-o', 'json'], ['config', 'view', '--raw', '-o', 'jsonpath={.contexts[0].name}'],
  ['config', 'current-context'], ['config', 'get-contexts'], ['config', 'get-contexts', '-o', 'name'], ['config', 'get-clusters'], ['config', 'get-users'], ['config', 'bogus'],
  // Usage and lookup errors.
  ['get'], ['get', 'foo'], ['get', 'pods', '-o', 'bogus'], ['get', 'pods', '--bogus'], ['get', 'pods', '-x'], ['get', 'pods', '-Ax'], ['get', 'pods', '-A=maybe'], ['get', 'pods', '---x'],
  ['get', 'pods', '--namespace'], ['-n'], ['get', 'svc', 'svc/x'], ['get', 'svc/'], ['get', 'pods', '--context', 'nope'], ['get', 'pods', '--request-timeout=abc'],
  ['bogus'], ['xyzzyq'], ['describe'], ['delete'], ['delete', 'pods'], ['expose'], ['scale', 'deployment', 'x'], ['scale', 'deploy', 'x', '--replicas', 'abc'],
  ['logs', '-l', 'app=web', 'web-1'], ['port-forward', 'web-1'], ['apply'], ['apply', '-f', 'nothere.yaml'], ['create'], ['create', 'namespace'], ['create', 'deployment', 'x'],
];

describe('podlab kubectl reads a cluster exactly as kubectl does', { skip }, () => {
  let c: Cluster;
  let wd: ReturnType<typeof workdir>;
  before(async () => {
    c = await startCluster({ runtime: fakeRuntime(), objects: OBJECTS });
    markRunning(c.cp, 'default', 'web-1', '10.244.1.5');
    markRunning(c.cp, 'default', 'web-2', '10.244.1.6');
    wd = workdir(FILES);
  });
  after(async () => {
    await c.close();
    wd.cleanup();
  });
  for (const args of READS) {
    test(`kubectl ${args.join(' ')}: same stdout, stderr and exit code`, async () => {
      assertSame(await both(c.env, c.env, args, { cwd: wd.dir, stdin: 'hello\nworld\n' }), args);
    });
  }
  test('exec -i passes stdin to the command and ends it at EOF', async () => {
    const args = ['exec', '-i', 'web-2', '-c', 'side', '--', 'cat'];
    const r = await both(c.env, c.env, args, { cwd: wd.dir, stdin: 'line one\nline two\n' });
    assertSame(r, args);
    assert.equal(r.podlab.stdout, 'line one\nline two\n');
  });
});

/** Steps run in order on twin clusters: real kubectl on one, podlab's on the other. */
function writeScenario(name: string, steps: string[][], opts: { objects?: KObject[]; stdin?: Record<string, string> } = {}): void {
  describe(name, { skip }, () => {
    let a: Cluster;
    let b: Cluster;
    let wd: ReturnType<typeof workdir>;
    before(async () => {
      a = await startCluster({ objects: opts.objects ?? [] });
      b = await startCluster({ objects: opts.objects ?? [] });
      wd = workdir(FILES);
    });
    after(async () => {
      await a.close();
      await b.close();
      wd.cleanup();
    });
    for (const [i, args] of steps.entries()) {
      test(`step ${i + 1}, kubectl ${args.join(' ')}: same stdout, stderr and exit code`, async () => {
        assertSame(await both(a.env, b.env, args, { cwd: wd.dir, stdin: opts.stdin?.[args.join(' ')] ?? '' }), args);
      });
    }
    test('both clusters end in the same state', async () => {
      const state = ['get', 'all,cm,ep,ns', '-A', '-o', 'yaml'];
      const ra = await realKubectl(a.env, state);
      const rb = await realKubectl(b.env, state);
      const norm = (s: string): string => s.replaceAll(a.server.url, 'URL').replaceAll(b.server.url, 'URL');
      assert.equal(norm(rb.stdout), norm(ra.stdout));
    });
  });
}

writeScenario('apply, configure, leave unchanged, expose, scale and delete a deployment', [
  ['apply', '-f', 'echo.yaml'], ['apply', '-f', 'echo.yaml'], ['get', 'pods,svc,ep'], ['apply', '-f', 'echo2.yaml'], ['apply', '-f', 'echo2.yaml'],
  ['get', 'deploy,rs', '-o', 'wide'], ['get', 'deploy', 'echo', '-o', 'yaml'],
  ['expose', 'deployment', 'echo', '--port', '80', '--type', 'NodePort', '--name', 'echo-np'], ['expose', 'deployment', 'echo', '--name', 'echo-auto'],
  ['expose', 'deploy', 'echo', '--port', '80'], ['expose', 'deploy', 'nope', '--port', '80'], ['expose', 'svc', 'echo-service', '--name', 'e3', '--port', '81', '--target-port', '5678'],
  ['expose', 'ns', 'default', '--port', '80'], ['describe', 'svc', 'echo-np'], ['get', 'svc', '-o', 'wide'],
  ['scale', 'deployment', 'echo', '--replicas', '4'], ['scale', 'deploy/echo', '--replicas=1'], ['scale', 'deployment', 'nope', '--replicas', '3'], ['get', 'rs'],
  ['scale', 'deploy', 'echo', '--replicas', '2', '--current-replicas', '5'],
  ['label', 'deploy', 'echo', 'tier=web'], ['label', 'deploy', 'echo', 'tier=db'], ['label', 'deploy', 'echo', 'tier=db', '--overwrite'], ['label', 'deploy', 'echo', 'tier-'],
  ['label', 'deploy', 'echo'], ['label', 'deploy', 'echo', 'tier=web', '--dry-run=client'],
  ['annotate', 'svc', 'echo-service', 'note=first'], ['annotate', 'svc', 'echo-service', 'note=second'], ['annotate', 'svc', 'echo-service', 'note=second', '--overwrite'], ['annotate', 'svc', 'echo-service', 'note-'],
  ['patch', 'svc', 'echo-service', '-p', '{"spec":{"type":"NodePort"}}'], ['patch', 'svc', 'echo-service', '-p', '{"spec":{"type":"NodePort"}}'],
  ['patch', 'deploy', 'echo', '--type', 'merge', '-p', 'metadata:\n  labels:\n    patched: "yes"\n'], ['patch', 'deploy', 'echo', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]'],
  ['patch', 'svc', 'echo-service', '--type', 'bogus', '-p', '{}'], ['patch', 'svc', 'echo-service'], ['patch', 'svc', 'nope', '-p', '{}'],
  ['delete', '-f', 'echo.yaml'], ['delete', 'svc', 'echo-np', 'e3', 'nope'], ['delete', 'svc', 'nope', '--ignore-not-found'], ['get', 'all'],
]);

writeScenario('create, run and the generators, then delete by name, label and --all', [
  ['create', '-f', 'cm.yaml'], ['create', '-f', 'cm.yaml'], ['create', '-f', 'busybox.yaml'], ['get', 'rc,pods', '-o', 'wide'], ['create', '-f', 'nodeport.yml'], ['get', 'svc', 'helloworld-service'],
  ['create', '-f', 'multi.yaml', '-o', 'name'], ['create', '-f', 'dir'], ['create', '-f', '-'], ['create', 'namespace', 'demo'], ['create', 'ns', 'demo'],
  ['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=c=d'], ['create', 'cm', 'c2', '--from-literal=a=b', '-n', 'demo'],
  ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2'], ['create', 'deployment', 'web2', '--image=registry.k8s.io/pause:3.9', '--port=80'],
  ['create', 'service', 'clusterip', 'web', '--tcp=80:8080'], ['create', 'service', 'nodeport', 'web2', '--tcp=80:8080'], ['create', 'svc', 'clusterip', 'hl', '--clusterip=None'],
  ['create', 'deployment', 'dry', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
  ['run', 'tmp', '--image=busybox', '--restart=Never'], ['run', 'tmp2', '--image=busybox', '--labels=app=tmp', '--', 'sleep', '3600'], ['run', 'tmp3', '--image=busybox', '--command', '--', 'sh', '-c', 'sleep 1'],
  ['expose', 'rc', 'busybox0', '--port=80', '--target-port=8080'], ['expose', 'pod', 'tmp', '--port=53', '--protocol=UDP', '--name=tmp-dns'], ['expose', 'pod', 'tmp2', '--port=80', '--type=LoadBalancer'],
  ['expose', 'rc', 'busybox0', '--port=80', '--cluster-ip=None', '--name=bb-headless'], ['get', 'svc', '-o', 'wide'],
  ['create', 'configmap', 'files', '--from-file=cm.yaml', '--from-file=renamed=multi.yaml'], ['get', 'cm', 'files', '-o', 'yaml'],
  ['run', 'tmp', '--image=busybox'], ['run', 'noimage'], ['run', 'exp', '--image=nginx', '--port=80', '--expose'], ['run', 'dry', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
  ['get', 'pods', '--show-labels'], ['delete', 'pod', 'tmp'], ['delete', 'pods', '-l', 'app=tmp'], ['delete', 'cm', '--all'], ['delete', 'cm', '-l', 'x=y'], ['delete', 'ns', 'demo', '--wait=false'],
  ['delete', 'pod', 'nope'], ['delete', 'deploy', 'web', 'web2', '-o', 'name'], ['get', 'all'],
], { stdin: { 'create -f -': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n' } });

writeScenario('apply reads files, directories, lists and stdin, and reports invalid manifests as kubectl does', [
  ['apply', '-f', 'multi.yaml'], ['apply', '-f', 'list.yaml'], ['apply', '-f', 'dir'], ['apply', '-f', 'empty'], ['apply', '-f', '-'], ['apply', '-f', 'other-ns.yaml'],
  ['apply', '-f', 'other-ns.yaml', '-n', 'default'], ['apply', '-f', 'multi.yaml', '--server-side'], ['apply', '-f', 'list.yaml', '--dry-run=client'], ['apply', '-f', 'list.yaml', '--dry-run=server'],
  ['apply', '-f', 'cm.yaml', '-o', 'name'], ['apply', '-f', 'cm.yaml', '--server-side'], ['apply', '-f', 'cm.yaml'],
  ['apply', '-f', 'badindent.yaml'], ['apply', '-f', 'compact.yaml'], ['apply', '-f', 'tab.yaml'], ['apply', '-f', 'quote.yaml'], ['apply', '-f', 'flowseq.yaml'], ['apply', '-f', 'atsign.yaml'],
  ['apply', '-f', 'nokind.yaml'], ['apply', '-f', 'noapiversion.yaml'], ['apply', '-f', 'neither.yaml'], ['apply', '-f', 'scalar.yaml'], ['apply', '-f', 'sequence.yaml'], ['apply', '-f', 'unknownkind.yaml'],
  ['apply', '-f', 'noname.yaml'], ['create', '-f', 'noname.yaml'], ['apply', '-f', 'yesname.yaml'], ['apply', '-f', 'boollabel.yaml'], ['apply', '-f', 'intdata.yaml'], ['apply', '-f', 'unknownfield.yaml'],
  ['apply', '-f', 'port0.yaml'], ['create', '-f', 'twoerrors.yaml'], ['apply', '-f', 'noselector.yaml'], ['apply', '-f', 'nokind.yaml', '--validate=false'],
  ['apply', '-f', 'cm.yaml', '-o', 'yaml'], ['apply', '-f', 'multi.yaml', '-o', 'json'], ['apply', '-f', 'list.yaml', '--dry-run=client', '-o', 'yaml'], ['apply', '-f', 'cm.yaml', '-o', 'wide'],
  ['apply', '-f', 'cm.yaml', '-o', 'jsonpath={.metadata.name}'], ['apply', '-f', 'echo.yaml', '--dry-run=client'], ['apply', '-f', 'echo.yaml', '--server-side'],
  ['apply', '-f', 'echo.yaml'], ['apply', '-f', 'echo2.yaml', '--dry-run=client'], ['apply', '-f', 'echo2.yaml', '--dry-run=server'], ['apply', '-f', 'echo.yaml', '--dry-run=client'],
  ['apply', '-f', 'cm.yaml', '--force-conflicts'], ['apply', '-f', 'cm.yaml', '--dry-run=bogus'], ['apply', 'extra', '-f', 'cm.yaml'],
  ['get', 'cm'], ['delete', '-f', 'dir'], ['delete', '-f', 'list.yaml', '-o', 'name'],
], { stdin: { 'apply -f -': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  on: yes\n' } });

describe('a watch prints each change as kubectl does', { skip }, () => {
  /** Runs `args` until its output has `lines` lines, creating a pod once the list is out. */
  async function watchBoth(kind: 'real' | 'podlab', c: Cluster, args: string[], lines: number): Promise<string> {
    let out = '';
    let created = false;
    const onOut = (add: () => void): void => {
      if (!created && out.split('\n').length > 2) {
        created = true;
        c.cp.registry.create(resourceByPlural('', 'pods')!, 'default', pod(`new-${kind}`, ['web']));
        c.cp.settle();
      }
      if (out.split('\n').length > lines) add();
    };
    if (kind === 'real') {
      const child = spawn(kubectlBinary()!, args, { env: { PATH: process.env.PATH ?? '', HOME: c.env.home, KUBECONFIG: c.env.kubeconfig } });
      await new Promise<void>((resolve) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          onOut(resolve);
        });
      });
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
      return out.replace(/new-real/g, 'new-X');
    }
    const ac = new AbortController();
    await new Promise<void>((resolve) => {
      void runOnHost(args, {
        env: { HOME: c.env.home, KUBECONFIG: c.env.kubeconfig }, signal: ac.signal,
        stdout: (t) => {
          out += t;
          onOut(resolve);
        },
        stderr: () => undefined,
      });
    });
    ac.abort();
    return out.replace(/new-podlab/g, 'new-X');
  }

  for (const args of [['get', 'pods', '-w'], ['get', 'pods', '-w', '--output-watch-events'], ['get', 'pods', '-o', 'wide', '-w']]) {
    test(`kubectl ${args.join(' ')} prints the list, then an ADDED pod as one more row`, async () => {
      const a = await startCluster({ objects: [pod('web-1', ['web'])] });
      const b = await startCluster({ objects: [pod('web-1', ['web'])] });
      try {
        // The header, web-1, then new-X (created) are three lines; the scheduler may add a MODIFIED.
        const real = await watchBoth('real', a, args, 3);
        const ours = await watchBoth('podlab', b, args, 3);
        assert.equal(ours.split('\n').slice(0, 3).join('\n'), real.split('\n').slice(0, 3).join('\n'));
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});

describe('port-forward relays local connections to the pod as kubectl does', { skip }, () => {
  const talk = (port: number): Promise<string> => new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.end('ping'));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('close', () => resolve(got));
    s.on('error', (e) => resolve(`ERR ${e.message}`));
  });

  async function forward(kind: 'real' | 'podlab', c: Cluster, args: string[]): Promise<{ out: string; reply: string }> {
    let out = '';
    const ready = (): boolean => /Forwarding from \[::1\]/.test(out);
    const port = (): number => Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    const handled = (): boolean => /Handling connection/.test(out);
    if (kind === 'real') {
      const child = spawn(kubectlBinary()!, args, { env: { PATH: process.env.PATH ?? '', HOME: c.env.home, KUBECONFIG: c.env.kubeconfig } });
      let wake: () => void = () => undefined;
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        wake();
      });
      await new Promise<void>((r) => ((wake = () => ready() && r()), wake()));
      const reply = await talk(port());
      await new Promise<void>((r) => ((wake = () => handled() && r()), wake()));
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
      return { out, reply };
    }
    const ac = new AbortController();
    let wake: () => void = () => undefined;
    const run = runOnHost(args, { env: { HOME: c.env.home, KUBECONFIG: c.env.kubeconfig }, signal: ac.signal, stdout: (t) => ((out += t), wake()), stderr: (t) => (out += t) });
    await new Promise<void>((r) => ((wake = () => ready() && r()), wake()));
    const reply = await talk(port());
    await new Promise<void>((r) => ((wake = () => handled() && r()), wake()));
    ac.abort();
    await run;
    return { out, reply };
  }

  for (const [i, args] of [['port-forward', 'pod/web-1', '0:8080'], ['port-forward', 'svc/web', ':80'], ['port-forward', 'web-1', '0:http']].entries()) {
    test(`kubectl ${args.join(' ')} prints the same Forwarding and Handling lines and the pod answers`, async () => {
      const c = await startCluster({ runtime: fakeRuntime(), objects: [pod('web-1', ['web']), OBJECTS[4]] });
      markRunning(c.cp, 'default', 'web-1');
      try {
        const real = await forward('real', c, args);
        const ours = await forward('podlab', c, args);
        const norm = (s: string): string => s.replace(/:\d+( |\n)/g, ':PORT$1').replace(/for \d+/g, 'for PORT');
        assert.equal(real.reply, 'pong:8080:ping', `${i}`);
        assert.equal(ours.reply, real.reply);
        assert.equal(norm(ours.out), norm(real.out));
      } finally {
        await c.close();
      }
    });
  }

  test('port-forward to a pod that is not running fails as kubectl does', async () => {
    const c = await startCluster({ runtime: fakeRuntime(), objects: [pod('web-1', ['web'])] });
    try {
      const args = ['port-forward', 'web-1', '18080:8080'];
      assertSame(await both(c.env, c.env, args), args);
    } finally {
      await c.close();
    }
  });
});

describe('kubeconfig selection: KUBECONFIG lists, --context, use-context', { skip }, () => {
  test('use-context and set-context write the kubeconfig as kubectl writes it', async () => {
    const a = await startCluster();
    const b = await startCluster();
    try {
      const { readFileSync } = await import('node:fs');
      for (const args of [['config', 'set-context', 'other', '--cluster=kind-podlab', '--user=kind-podlab', '--namespace=kube-system'], ['config', 'use-context', 'other'], ['get', 'svc'], ['config', 'set-context', '--current', '--namespace=default'], ['config', 'use-context', 'nope'], ['config', 'use-context', 'kind-podlab']]) {
        const r = { real: await realKubectl(a.env, args), podlab: await podlabKubectl(b.env, args) };
        assertSame(r, args);
        const norm = (s: string): string => s.replaceAll(a.server.url, 'URL').replaceAll(b.server.url, 'URL');
        assert.equal(norm(readFileSync(b.env.kubeconfig, 'utf8')), norm(readFileSync(a.env.kubeconfig, 'utf8')), `kubeconfig after ${args.join(' ')}`);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('several KUBECONFIG files merge with the first one winning, and contexts pick cluster, user and namespace', async () => {
    const c = await startCluster({ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'in-kube-system', namespace: 'kube-system' } }] });
    const { readFileSync } = await import('node:fs');
    const base = readFileSync(c.env.kubeconfig, 'utf8');
    // a: the cluster under another name, with kube-system as its context's namespace; b: the original.
    const a = base.replaceAll('kind-podlab', 'a').replace('    user: a\n', '    namespace: kube-system\n    user: a\n');
    const wd = workdir({ 'a.yaml': a, 'b.yaml': base, 'broken.yaml': 'apiVersion: v1\nkind: Config\nclusters: [\n' });
    try {
      const lists = [`${wd.dir}/a.yaml:${wd.dir}/b.yaml`, `${wd.dir}/b.yaml:${wd.dir}/a.yaml`, `${wd.dir}/missing.yaml:${wd.dir}/a.yaml`];
      for (const list of lists) {
        for (const args of [['config', 'view'], ['config', 'current-context'], ['config', 'get-contexts'], ['get', 'cm'], ['get', 'cm', '--context', 'kind-podlab'], ['get', 'cm', '--context', 'a', '-n', 'default'], ['get', 'cm', '--context', 'nope']]) {
          const o = { extraEnv: { KUBECONFIG: list }, cwd: wd.dir };
          const r = { real: await realKubectl(c.env, args, o), podlab: await podlabKubectl(c.env, args, o) };
          assertSame(r, [...args, `(KUBECONFIG=${list})`]);
        }
      }
      // No KUBECONFIG: $HOME/.kube/config.
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(`${c.env.home}/.kube`, { recursive: true });
      writeFileSync(`${c.env.home}/.kube/config`, a);
      for (const args of [['get', 'cm'], ['config', 'current-context']]) {
        const o = { extraEnv: { KUBECONFIG: '' }, cwd: wd.dir };
        assertSame({ real: await realKubectl(c.env, args, o), podlab: await podlabKubectl(c.env, args, o) }, [...args, '(HOME)']);
      }
      for (const args of [['--kubeconfig', 'missing.yaml', 'get', 'pods'], ['--kubeconfig', 'broken.yaml', 'get', 'pods'], ['--kubeconfig', 'a.yaml', 'config', 'view', '--minify', '--raw']]) {
        assertSame(await both(c.env, c.env, args, { cwd: wd.dir }), args);
      }
    } finally {
      await c.close();
      wd.cleanup();
    }
  });
});

describe('--server, --token and --insecure-skip-tls-verify reach a cluster without a kubeconfig', { skip }, () => {
  test('the flags alone, a wrong token, no credentials at all, and a server that refuses connections', async () => {
    const c = await startCluster();
    const wd = workdir({});
    try {
      const none = { extraEnv: { KUBECONFIG: `${wd.dir}/none.yaml` }, cwd: wd.dir };
      const cases: string[][] = [
        ['--server', c.server.url, '--token', 'podlab-test-token', '--insecure-skip-tls-verify', 'get', 'svc'],
        ['--server', c.server.url, '--token', 'wrong', '--insecure-skip-tls-verify', 'get', 'svc'],
        ['--server', c.server.url, '--insecure-skip-tls-verify', 'get', 'svc'],
        ['--server', c.server.url, '--token', 'podlab-test-token', 'get', 'svc'],
        ['--server', 'https://127.0.0.1:1', '--token', 'x', 'get', 'pods'],
        ['--server', 'https://127.0.0.1:1', 'version', '--client'],
      ];
      // klog stamps its lines with the time and the process id.
      const norm = (s: string): string => s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, 'E0000 00:00:00.000000 PID ');
      for (const args of cases) {
        const real = await realKubectl(c.env, args, none);
        const ours = await podlabKubectl(c.env, args, none);
        assert.deepEqual({ ...ours, stderr: norm(ours.stderr) }, { ...real, stderr: norm(real.stderr) }, `kubectl ${args.join(' ')}`);
      }
    } finally {
      await c.close();
      wd.cleanup();
    }
  });
});

describe('delete waits until a gracefully deleted pod is gone, as kubectl does', { skip }, () => {
  test('delete pod, delete -l and delete --wait=false against pods a kubelet removes', async () => {
    const objects = [pod('web-1', ['web']), pod('web-2', ['web']), pod('web-3', ['web'], { app: 'three' }), pod('web-4', ['web'], { app: 'four' })];
    const a = await startCluster({ objects });
    const b = await startCluster({ objects });
    const stops = [fakeKubeletDeletes(a.cp), fakeKubeletDeletes(b.cp)];
    try {
      for (const args of [['delete', 'pod', 'web-1'], ['delete', 'pods', '-l', 'app=three'], ['delete', 'pod', 'web-4', '--wait=false'], ['delete', 'pod', 'web-2', '--grace-period=0', '--force'], ['get', 'pods']]) {
        assertSame(await both(a.env, b.env, args), args);
      }
    } finally {
      for (const stop of stops) stop();
      await a.close();
      await b.close();
    }
  });
});

describe('`podlab kubectl` on the command line', { skip }, () => {
  test('podlab kubectl get svc,ep and a failing get print and exit as kubectl does', async () => {
    const c = await startCluster();
    try {
      for (const args of [['get', 'svc,ep'], ['get', 'pods', 'nope'], ['get', '--bogus']]) {
        const real = await realKubectl(c.env, args);
        const ours = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
          const child = spawn(process.execPath, [new URL('../../bin/podlab.js', import.meta.url).pathname, 'kubectl', ...args], {
            env: { PATH: process.env.PATH ?? '', HOME: c.env.home, KUBECONFIG: c.env.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          child.on('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
        });
        assert.deepEqual(ours, real, `podlab kubectl ${args.join(' ')}`);
      }
    } finally {
      await c.close();
    }
  });
});

describe('the server\'s warnings reach stderr as kubectl prints them', { skip }, () => {
  test('a 1.33 server\'s Endpoints deprecation and an unknown field under --validate=warn', async () => {
    const a = await startCluster({ minor: 33 });
    const b = await startCluster({ minor: 33 });
    const wd = workdir(FILES);
    try {
      for (const args of [['get', 'ep'], ['get', 'pods,svc,ep'], ['apply', '-f', 'unknownfield.yaml', '--validate=warn'], ['version']]) {
        assertSame(await both(a.env, b.env, args, { cwd: wd.dir }), args);
      }
    } finally {
      await a.close();
      await b.close();
      wd.cleanup();
    }
  });
});
