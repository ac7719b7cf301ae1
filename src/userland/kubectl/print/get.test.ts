// Differential tests of `kubectl get` printing: a stub API server answers from canned objects
// (Tables made by podlab's printers), the real kubectl prints, and podlab's print/ code, given
// the same Tables through its own client, must print the same bytes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { noKubectl, runKubectl } from '../../../../test/support/kubectl.ts';
import { DURATION, ago, pod } from './testing/fixtures.ts';
import { harness, ourGet, ourGetObjects, type GetRequest, type Harness } from './testing/harness.ts';
import { hardWayCluster, helloworldCluster, kindCluster, serviceVariants } from './testing/seeds.ts';
import type { GetPrintOptions } from './get.ts';

const { S, M, H, D } = DURATION;
const now = Date.parse('2026-01-15T12:00:00Z');
const skip = noKubectl();

/** Runs `kubectl <args>` and podlab's printing of `requests`; asserts both streams match. */
async function same(h: Harness, args: string[], requests: GetRequest[], opts: Partial<GetPrintOptions> = {}): Promise<string> {
  const real = await runKubectl(h.stub.env, args);
  const ours = await ourGet(h.client, requests, { namespace: 'default', ...opts });
  assert.equal(ours.stdout, real.stdout, `stdout of kubectl ${args.join(' ')}`);
  assert.equal(ours.stderr, real.stderr, `stderr of kubectl ${args.join(' ')}`);
  return real.stdout;
}

async function sameObjects(h: Harness, args: string[], requests: GetRequest[], format: 'yaml' | 'json' | 'name', opts: { allNamespaces?: boolean } = {}): Promise<string> {
  const real = await runKubectl(h.stub.env, [...args, '-o', format]);
  assert.equal(real.code, 0, real.stderr);
  const ours = await ourGetObjects(h.client, requests, format, { namespace: 'default', ...opts });
  assert.equal(ours, real.stdout, `kubectl ${args.join(' ')} -o ${format}`);
  return real.stdout;
}

describe('kubectl get on the kind cluster of seed 000', { skip }, () => {
  let h: Harness;
  before(async () => (h = await harness(kindCluster(now).objects, now)));
  after(() => h.close());

  test('get pods,svc,ep prints the seed transcript: kind/ prefixes, one aligned block per type, blank lines between', async () => {
    const out = await same(h, ['get', 'pods,svc,ep'], [{ type: 'pods' }, { type: 'svc' }, { type: 'ep' }]);
    assert.equal(out, [
      'NAME                         READY   STATUS    RESTARTS   AGE',
      'pod/curl1-647585685b-5pdj4   1/1     Running   0          6s',
      'pod/curl2-5cb57995cd-jqdbg   1/1     Running   0          6s',
      'pod/echo-669c78484d-df45k    1/1     Running   0          6s',
      'pod/echo-669c78484d-ps5v5    1/1     Running   0          6s',
      'pod/echo-669c78484d-vkpt9    1/1     Running   0          6s',
      '',
      'NAME                   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
      'service/echo-service   ClusterIP   10.102.117.8   <none>        80/TCP    6s',
      'service/kubernetes     ClusterIP   10.96.0.1      <none>        443/TCP   19m',
      '',
      'NAME                     ENDPOINTS                                         AGE',
      'endpoints/echo-service   10.244.1.2:5678,10.244.2.4:5678,10.244.3.2:5678   6s',
      'endpoints/kubernetes     172.17.0.4:6443                                   19m',
      '',
    ].join('\n'));
  });

  test('get nodes -o wide shows roles, versions and the priority-1 columns', async () => {
    const out = await same(h, ['get', 'nodes', '-o', 'wide'], [{ type: 'nodes' }], { wide: true });
    assert.match(out, /^iptables-control-plane\s+Ready\s+control-plane\s+19m\s+v1\.32\.0\s+172\.17\.0\.4\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)/m);
    assert.match(out, /^iptables-worker\s+Ready\s+<none>\s+/m);
  });

  test('-A adds a NAMESPACE column and --show-labels a LABELS column, both from the row metadata', async () => {
    const out = await same(h, ['get', 'pods', '-A', '--show-labels'], [{ type: 'pods' }], { allNamespaces: true, showLabels: true });
    assert.match(out, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$/m);
    assert.match(out, /^default\s+echo-669c78484d-df45k .*app=echo,pod-template-hash=669c78484d$/m);
  });

  test('-L adds one column per label key, headed by the key\'s last segment, empty where the label is missing', async () => {
    await same(h, ['get', 'svc,deploy', '-L', 'component', '-L', 'app.kubernetes.io/name'], [{ type: 'svc' }, { type: 'deploy' }], { labelColumns: ['component', 'app.kubernetes.io/name'] });
  });

  test('--no-headers drops headers and the blank lines between types', async () => {
    const out = await same(h, ['get', 'deploy,rs', '--no-headers'], [{ type: 'deploy' }, { type: 'rs' }], { noHeaders: true });
    assert.doesNotMatch(out, /NAME|\n\n/);
  });

  test('deployments and replicasets with -o wide list containers, images and selectors', async () => {
    await same(h, ['get', 'deploy,rs', '-o', 'wide'], [{ type: 'deploy' }, { type: 'rs' }], { wide: true });
  });

  test('events, namespaces and endpointslices print with their own columns', async () => {
    await same(h, ['get', 'events'], [{ type: 'events' }]);
    await same(h, ['get', 'events', '-o', 'wide'], [{ type: 'events' }], { wide: true });
    await same(h, ['get', 'ns'], [{ type: 'ns' }]);
    await same(h, ['get', 'endpointslices'], [{ type: 'endpointslices' }]);
  });

  test('a named object prints as a one-row Table; several names of one type stay one block', async () => {
    await same(h, ['get', 'pod', 'echo-669c78484d-df45k'], [{ type: 'pod', names: ['echo-669c78484d-df45k'] }]);
    await same(h, ['get', 'svc', 'echo-service', 'kubernetes'], [{ type: 'svc', names: ['echo-service', 'kubernetes'] }]);
  });

  test('an empty namespace prints "No resources found in <ns> namespace." on stderr and nothing on stdout', async () => {
    await same(h, ['get', 'pods', '-n', 'empty'], [{ type: 'pods' }], { namespace: 'empty' });
    await same(h, ['get', 'pods,svc', '-n', 'empty'], [{ type: 'pods' }, { type: 'svc' }], { namespace: 'empty' });
  });

  test('a type with nothing to show is skipped without a blank line, the others keep their kind/ prefix', async () => {
    await same(h, ['get', 'cm,svc'], [{ type: 'cm' }, { type: 'svc' }]);
  });

  test('-o name prints kind/name, with the group for grouped kinds', async () => {
    const out = await sameObjects(h, ['get', 'pods,deploy'], [{ type: 'pods' }, { type: 'deploy' }], 'name');
    assert.match(out, /^deployment\.apps\/echo$/m);
  });

  test('-o yaml of a list prints a kind: List with metadata.resourceVersion "" and typed items', async () => {
    const out = await sameObjects(h, ['get', 'svc'], [{ type: 'svc' }], 'yaml');
    assert.match(out, /^kind: List\nmetadata:\n {2}resourceVersion: ""\n$/m);
    assert.match(out, /^- apiVersion: v1\n {2}kind: Service$/m);
  });

  test('an empty list prints as an empty kind: List in yaml and json and as nothing with -o name, without "No resources found"', async () => {
    for (const format of ['yaml', 'json', 'name'] as const) {
      const real = await runKubectl(h.stub.env, ['get', 'pods', '-n', 'empty', '-o', format]);
      assert.equal(await ourGetObjects(h.client, [{ type: 'pods' }], format, { namespace: 'empty' }), real.stdout, format);
      assert.equal(real.stderr, '');
    }
  });

  test('--show-kind prefixes names even for a single type', async () => {
    assert.match(await same(h, ['get', 'pods', '--show-kind'], [{ type: 'pods' }], { showKind: true }), /^pod\/curl1-647585685b-5pdj4 /m);
  });

  test('-o yaml and -o json of several types and of one named object', async () => {
    await sameObjects(h, ['get', 'pods,ep'], [{ type: 'pods' }, { type: 'ep' }], 'yaml');
    await sameObjects(h, ['get', 'pods,ep'], [{ type: 'pods' }, { type: 'ep' }], 'json');
    await sameObjects(h, ['get', 'deploy', 'echo'], [{ type: 'deploy', names: ['echo'] }], 'yaml');
    await sameObjects(h, ['get', 'node', 'iptables-worker'], [{ type: 'node', names: ['iptables-worker'] }], 'json');
    await sameObjects(h, ['get', 'events'], [{ type: 'events' }], 'yaml');
  });
});

describe('kubectl get on the service shapes of seeds 001 and 004', { skip }, () => {
  test('seed 001: get svc -o wide shows the NodePort 31001:31382/TCP and the selector', async () => {
    const h = await harness(helloworldCluster(now).objects, now);
    try {
      const out = await same(h, ['get', 'svc', '-o', 'wide'], [{ type: 'svc' }], { wide: true });
      assert.equal(out, [
        'NAME                 TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)           AGE   SELECTOR',
        'helloworld-service   NodePort    10.106.133.16   <none>        31001:31382/TCP   28s   app=helloworld',
        'kubernetes           ClusterIP   10.96.0.1       <none>        443/TCP           15h   <none>',
        '',
      ].join('\n'));
      await same(h, ['get', 'pods', '-o', 'wide'], [{ type: 'pods' }], { wide: true });
    } finally {
      await h.close();
    }
  });

  test('seed 004: kube-dns across namespaces with -A, and a cluster-scoped empty answer says "No resources found"', async () => {
    const h = await harness(hardWayCluster(now).objects, now);
    try {
      await same(h, ['get', 'svc', '-A', '-o', 'wide'], [{ type: 'svc' }], { allNamespaces: true, wide: true });
      await same(h, ['get', 'endpoints', '--all-namespaces'], [{ type: 'endpoints' }], { allNamespaces: true });
      await same(h, ['get', 'nodes'], [{ type: 'nodes' }]);
      await same(h, ['get', 'pods', '-A'], [{ type: 'pods' }], { allNamespaces: true });
      await sameObjects(h, ['get', 'cm'], [{ type: 'cm' }], 'yaml');
    } finally {
      await h.close();
    }
  });

  test('headless, LoadBalancer (pending and provisioned) and ExternalName services', async () => {
    const h = await harness(serviceVariants(now).objects, now);
    try {
      const out = await same(h, ['get', 'svc', '-o', 'wide'], [{ type: 'svc' }], { wide: true });
      assert.match(out, /^echo-headless\s+ClusterIP\s+None\s+<none>\s+5678\/TCP/m);
      assert.match(out, /^web-lb\s+LoadBalancer\s+10\.96\.45\.12\s+<pending>\s+80:30080\/TCP,443:30443\/TCP/m);
      assert.match(out, /^external-db\s+ExternalName\s+<none>\s+db\.example\.com\s+5432\/TCP/m);
      await same(h, ['get', 'endpointslices'], [{ type: 'endpointslices' }]);
      await sameObjects(h, ['get', 'svc'], [{ type: 'svc' }], 'json');
    } finally {
      await h.close();
    }
  });
});

describe('kubectl get AGE and RESTARTS cells', { skip }, () => {
  test('ages across every HumanDuration range print as the server computed them', async () => {
    const ages = [1 * S, 70 * S, 119 * S, 2 * M + 1 * S, 9 * M + 59 * S, 35 * M, 3 * H + 1 * M, 7 * H + 59 * M, 15 * H, 49 * H, 6 * D, 7 * D + 23 * H, 367 * D, 2 * 365 * D + 25 * H, 8 * 365 * D];
    const pods = ages.map((a, i) => pod({ name: `age-${i}`, node: 'w1', ip: `10.0.0.${i + 1}`, created: ago(now, a), restarts: i % 3, lastRestart: i % 3 ? ago(now, a / 2) : undefined }));
    const h = await harness(pods, now);
    try {
      const out = await same(h, ['get', 'pods'], [{ type: 'pods' }]);
      assert.deepEqual(out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s{2,}/).pop()),
        ['1s', '70s', '119s', '2m1s', '9m59s', '35m', '3h1m', '7h59m', '15h', '2d1h', '6d', '7d23h', '367d', '2y1d', '8y']);
      assert.match(out, /^age-1\s+1\/1\s+Running\s+1 \(35s ago\)\s+70s$/m);
    } finally {
      await h.close();
    }
  });
});

describe('kubectl get across client versions', { skip }, () => {
  for (const minor of [31, 33]) {
    test(`kubectl 1.${minor} prints the seed's get pods,svc,ep the same way`, { skip: noKubectl(minor) }, async () => {
      const h = await harness(kindCluster(now).objects, now, minor);
      try {
        const real = await runKubectl(h.stub.env, ['get', 'pods,svc,ep'], { minor });
        const ours = await ourGet(h.client, [{ type: 'pods' }, { type: 'svc' }, { type: 'ep' }], { namespace: 'default' });
        assert.equal(ours.stdout, real.stdout);
      } finally {
        await h.close();
      }
    });
  }
});
