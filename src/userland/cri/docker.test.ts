// docker ps / docker inspect on a Docker node (cri-dockerd's k8s_POD_ and k8s_<container>_
// names), with the docker CLI's table, --format templates and filters; no daemon on containerd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docker } from './docker.ts';
import { nodeState, runOn } from './testing.ts';

const dockerNode = nodeState('docker');

test('docker ps on a Docker node: quoted commands cut at 20 with …, "Up 56 minutes", the k8s_ names', async () => {
  const r = await runOn(docker, ['docker', 'ps'], dockerNode);
  assert.equal(
    r.stdout,
    `CONTAINER ID   IMAGE                                COMMAND                  CREATED          STATUS          PORTS     NAMES
4c0bd2e2e5c0   nginx                                "/docker-entrypoint.…"   4 minutes ago    Up 4 minutes              k8s_nginx_nginx-65899c769f-wxdx6_default_0b35e956-8080-11e8-8aa9-0a12b8818382_0
d19b1b1c92f7   registry.k8s.io/pause:3.9            "/pause"                 5 minutes ago    Up 5 minutes              k8s_POD_nginx-65899c769f-wxdx6_default_0b35e956-8080-11e8-8aa9-0a12b8818382_0
8a7b6c5d4e3f   radial/busyboxplus:curl              "sh -c 'echo Hello; …"   55 minutes ago   Up 55 minutes             k8s_curl_curl1-647585685b-5pdj4_default_386a9073-7e35-11e8-8a3d-bae97d2c1afd_0
3f1c5b2a9d8e   registry.k8s.io/pause:3.9            "/pause"                 56 minutes ago   Up 56 minutes             k8s_POD_curl1-647585685b-5pdj4_default_386a9073-7e35-11e8-8a3d-bae97d2c1afd_0
21640aea0210   registry.k8s.io/kube-proxy:v1.30.0   "/usr/local/bin/kube…"   3 days ago       Up 3 days                 k8s_kube-proxy_kube-proxy-7xk2p_kube-system_5e0c2f1a-9b7d-4c3e-8f6a-1d2b3c4d5e6f_0
0866803b612f   registry.k8s.io/pause:3.9            "/pause"                 3 days ago       Up 3 days                 k8s_POD_kube-proxy-7xk2p_kube-system_5e0c2f1a-9b7d-4c3e-8f6a-1d2b3c4d5e6f_0
`,
  );
});

test('docker before 20.10 pads its columns to 20, as the seed\'s docker ps shows', async () => {
  const old = { ...nodeState('docker'), runtimeVersion: '19.03.8' };
  const r = await runOn(docker, ['docker', 'ps', '--filter', 'name=curl1', '--no-trunc', '--format', 'table {{.Image}}\\t{{.Command}}\\t{{.Status}}'], old);
  assert.equal(
    r.stdout,
    `IMAGE                       COMMAND                            STATUS
radial/busyboxplus:curl     "sh -c 'echo Hello; sleep 3600'"   Up 55 minutes
registry.k8s.io/pause:3.9   "/pause"                           Up 56 minutes
`,
  );
});

test('docker ps --format without table prints one line per container and no header', async () => {
  const r = await runOn(docker, ['docker', 'ps', '-a', '--filter', 'name=k8s_POD', '--format', '{{.ID}} {{.Names}}'], dockerNode);
  assert.equal(
    r.stdout,
    `d19b1b1c92f7 k8s_POD_nginx-65899c769f-wxdx6_default_0b35e956-8080-11e8-8aa9-0a12b8818382_0
3f1c5b2a9d8e k8s_POD_curl1-647585685b-5pdj4_default_386a9073-7e35-11e8-8a3d-bae97d2c1afd_0
0866803b612f k8s_POD_kube-proxy-7xk2p_kube-system_5e0c2f1a-9b7d-4c3e-8f6a-1d2b3c4d5e6f_0
`,
  );
  const labels = await runOn(docker, ['docker', 'ps', '-q', '--filter', 'label=io.kubernetes.container.name=curl'], dockerNode);
  assert.equal(labels.stdout, '8a7b6c5d4e3f\n');
  const label = await runOn(docker, ['docker', 'ps', '--filter', 'name=curl1', '--format', '{{.Label "io.kubernetes.docker.type"}}'], dockerNode);
  assert.equal(label.stdout, 'container\npodsandbox\n');
});

test('docker inspect --format \'{{ .State.Pid }}\' gives the process to nsenter into (seed 003)', async () => {
  const r = await runOn(docker, ['docker', 'inspect', '--format', '{{ .State.Pid }}', 'k8s_POD_curl1-647585685b-5pdj4_default_386a9073-7e35-11e8-8a3d-bae97d2c1afd_0'], dockerNode);
  assert.equal(r.stdout, '2677\n');
  const byId = await runOn(docker, ['docker', 'inspect', '-f', '{{.State.Pid}} {{.HostConfig.NetworkMode}} {{.Name}}', '8a7b6c5d4e3f'], dockerNode);
  assert.equal(byId.stdout, '2907 container:3f1c5b2a9d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8 /k8s_curl_curl1-647585685b-5pdj4_default_386a9073-7e35-11e8-8a3d-bae97d2c1afd_0\n');
});

test('docker inspect templates print maps as Go does and json as compact JSON', async () => {
  const r = await runOn(docker, ['docker', 'inspect', '--format', '{{json .NetworkSettings.Networks}}|{{index .Config.Labels "io.kubernetes.pod.namespace"}}|{{.Config.Entrypoint}}', '0866'], dockerNode);
  assert.match(r.stdout, /^\{"host":\{"IPAMConfig":null,.*\}\}\|kube-system\|\[\/pause\]\n$/);
});

test('docker inspect prints a JSON array with four-space indentation in the engine\'s field order', async () => {
  const r = await runOn(docker, ['docker', 'inspect', 'd19b'], dockerNode);
  assert.ok(r.stdout.startsWith('[\n    {\n        "Id": "d19b1b1c92f7cc90764d4f385e8935d121bca66ba8982bae65baff1bc2841da6",\n        "Created": "2020-03-07T01:12:00Z",\n        "Path": "/pause",\n        "Args": [],\n        "State": {\n            "Status": "running",\n'));
  const [v] = JSON.parse(r.stdout) as { Name: string; State: { Pid: number } }[];
  assert.equal(v.Name, '/k8s_POD_nginx-65899c769f-wxdx6_default_0b35e956-8080-11e8-8aa9-0a12b8818382_0');
  assert.equal(v.State.Pid, 27255);
});

test('docker inspect reports names it cannot find and template fields that do not exist', async () => {
  const missing = await runOn(docker, ['docker', 'inspect', 'nope'], dockerNode);
  assert.equal(missing.status, 1);
  assert.equal(missing.stdout, '[]\n');
  assert.equal(missing.stderr, 'Error: No such object: nope\n');
  const bad = await runOn(docker, ['docker', 'inspect', '--format', '{{.Foo}}', 'd19b'], dockerNode);
  assert.equal(bad.stderr, 'template parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"\n');
});

test('docker on a containerd node cannot reach a daemon', async () => {
  const r = await runOn(docker, ['docker', 'ps']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');
});
