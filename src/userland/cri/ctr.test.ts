// ctr -n k8s.io over a node's runtime state: containerd's tables (tabwriter 4/8/4 with a trailing
// tab), `containers info` as Go marshals containers.Container (seed 004's labels), namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctr } from './ctr.ts';
import { NGINX_CTR, NGINX_POD, nodeState, runOn } from './testing.ts';

test('ctr -n k8s.io containers ls lists sandboxes and containers sorted by ID, rows ending in padding', async () => {
  const r = await runOn(ctr, ['ctr', '-n', 'k8s.io', 'containers', 'ls']);
  assert.equal(
    r.stdout,
    `CONTAINER                                                           IMAGE                                 RUNTIME                  
0866803b612f2f55e7b6b83836bde09bd6530246239b7bde1e49c04c7038e43a    registry.k8s.io/pause:3.9             io.containerd.runc.v2    
21640aea0210b320fd637c22ff93b7e21473178de0073b05de83f3b116fc8834    registry.k8s.io/kube-proxy:v1.30.0    io.containerd.runc.v2    
3f1c5b2a9d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8    registry.k8s.io/pause:3.9             io.containerd.runc.v2    
4c0bd2e2e5c0b17c637af83376879c38f2fb11852921b12413c54ba49d6983c7    docker.io/library/nginx:latest        io.containerd.runc.v2    
8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b    docker.io/radial/busyboxplus:curl     io.containerd.runc.v2    
d19b1b1c92f7cc90764d4f385e8935d121bca66ba8982bae65baff1bc2841da6    registry.k8s.io/pause:3.9             io.containerd.runc.v2    
`,
  );
});

test('ctr task ls shows each running task with its PID (the pause process for a sandbox)', async () => {
  const r = await runOn(ctr, ['ctr', '-n', 'k8s.io', 'task', 'ls']);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'TASK                                                                PID      STATUS     ');
  assert.ok(lines.includes(`${NGINX_POD}    27255    RUNNING    `));
  assert.ok(lines.includes(`${NGINX_CTR}    27331    RUNNING    `));
  assert.ok(lines.some((l) => l.startsWith('3f1c5b2a9d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8    2677 ')));
});

test('ctr containers info of a sandbox: the seed\'s labels, the runc v2 runtime, the cni- netns in the spec', async () => {
  const r = await runOn(ctr, ['ctr', '-n', 'k8s.io', 'containers', 'info', NGINX_POD]);
  assert.ok(
    r.stdout.startsWith(`{
    "ID": "${NGINX_POD}",
    "Labels": {
        "io.cri-containerd.kind": "sandbox",
        "io.kubernetes.pod.name": "nginx-65899c769f-wxdx6",
        "io.kubernetes.pod.namespace": "default",
        "io.kubernetes.pod.uid": "0b35e956-8080-11e8-8aa9-0a12b8818382",
        "pod-template-hash": "2145573259",
        "run": "nginx"
    },
    "Image": "registry.k8s.io/pause:3.9",
    "Runtime": {
        "Name": "io.containerd.runc.v2",
        "Options": {
            "type_url": "containerd.runc.v1.Options"
        }
    },
    "SnapshotKey": "${NGINX_POD}",
    "Snapshotter": "overlayfs",
    "CreatedAt": "2020-03-07T01:12:00Z",
`),
    r.stdout.slice(0, 900),
  );
  const v = JSON.parse(r.stdout) as { Spec: { process: { args: string[] }; linux: { namespaces: { type: string; path?: string }[] } } };
  assert.deepEqual(v.Spec.process.args, ['/pause']);
  assert.deepEqual(v.Spec.linux.namespaces.at(-1), { type: 'network', path: '/var/run/netns/cni-912bcc63-712d-1c84-89a7-9e10510808a0' });
});

test('ctr containers info of a container has kind container, its image and its argv', async () => {
  const r = await runOn(ctr, ['ctr', '-n', 'k8s.io', 'c', 'info', NGINX_CTR]);
  const v = JSON.parse(r.stdout) as { Labels: Record<string, string>; Image: string; Spec: { process: { args: string[] } } };
  assert.equal(v.Labels['io.cri-containerd.kind'], 'container');
  assert.equal(v.Labels['io.kubernetes.container.name'], 'nginx');
  assert.equal(v.Image, 'docker.io/library/nginx:latest');
  assert.deepEqual(v.Spec.process.args, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
});

test('ctr containers info needs the full ID and reports a missing one in its namespace', async () => {
  const r = await runOn(ctr, ['ctr', '-n', 'k8s.io', 'containers', 'info', 'd19b']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'ctr: container "d19b" in namespace "k8s.io": not found\n');
});

test('ctr outside the k8s.io namespace sees no containers', async () => {
  assert.equal((await runOn(ctr, ['ctr', 'containers', 'ls'])).stdout, 'CONTAINER    IMAGE    RUNTIME    \n');
});

test('ctr namespaces ls lists k8s.io (moby on a Docker node)', async () => {
  assert.equal((await runOn(ctr, ['ctr', 'namespaces', 'ls'])).stdout, 'NAME   LABELS \nk8s.io        \n');
  assert.equal((await runOn(ctr, ['ctr', 'ns', 'ls', '-q'], nodeState('docker'))).stdout, 'moby\n');
});
