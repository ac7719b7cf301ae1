/** Image references normalised as containerd does, image configs, and Kubernetes' command/args rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerArgv, isKnownImage, normalizeImage, resolveImage } from './images.ts';
import { programExists } from '../host/sim/process.ts';
import { MemFs } from '../host/sim/fs.ts';
import { programCommands } from './index.ts';

test('references get docker.io/library/ and :latest as containerd shows them', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('nginx:1.25'), 'docker.io/library/nginx:1.25');
  assert.equal(normalizeImage('hashicorp/http-echo'), 'docker.io/hashicorp/http-echo:latest');
  assert.equal(normalizeImage('docker.io/busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.9'), 'registry.k8s.io/pause:3.9');
  assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizeImage('busybox@sha256:abc'), 'docker.io/library/busybox@sha256:abc');
});

test('known images have their ENTRYPOINT and CMD; unknown ones run the generic server', () => {
  assert.deepEqual(resolveImage('registry.k8s.io/pause:3.9'), { ref: 'registry.k8s.io/pause:3.9', entrypoint: ['/pause'], cmd: [] });
  assert.deepEqual(resolveImage('nginx:1.25'), { ref: 'docker.io/library/nginx:1.25', entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] });
  assert.deepEqual(resolveImage('curlimages/curl').entrypoint, ['/entrypoint.sh']);
  assert.deepEqual(resolveImage('registry.k8s.io/e2e-test-images/agnhost:2.47').cmd, ['pause']);
  assert.deepEqual(resolveImage('gcr.io/google-samples/node-hello:1.0').cmd, ['/bin/sh', '-c', 'node server.js']);
  assert.deepEqual(resolveImage('example.com/team/app:v3'), { ref: 'example.com/team/app:v3', entrypoint: ['/generic'], cmd: [] });
  assert.equal(isKnownImage('busybox:1.36'), true);
  assert.equal(isKnownImage('myorg/thing'), false);
});

test('command replaces ENTRYPOINT and drops CMD; args alone replace CMD', () => {
  assert.deepEqual(containerArgv('hashicorp/http-echo', undefined, ['-text=hello']), ['/http-echo', '-text=hello']);
  assert.deepEqual(containerArgv('busybox'), ['sh']);
  assert.deepEqual(containerArgv('busybox', ['sleep'], ['3600']), ['sleep', '3600']);
  assert.deepEqual(containerArgv('nginx', ['nginx']), ['nginx']);
  assert.deepEqual(containerArgv('curlimages/curl', undefined, ['sh', '-c', 'echo Hello; sleep 3600']), ['/entrypoint.sh', 'sh', '-c', 'echo Hello; sleep 3600']);
  assert.deepEqual(containerArgv('registry.k8s.io/e2e-test-images/agnhost:2.47', [], ['netexec', '--http-port=8080']), ['/agnhost', 'netexec', '--http-port=8080']);
});

test('every entrypoint and command of the table names a program the host can start', () => {
  const programs = programCommands();
  for (const image of ['registry.k8s.io/pause:3.9', 'hashicorp/http-echo', 'busybox', 'alpine', 'ubuntu', 'debian', 'nicolaka/netshoot', 'curlimages/curl', 'nginx', 'registry.k8s.io/e2e-test-images/agnhost:2.47', 'gcr.io/google-samples/node-hello:1.0', 'unknown/app']) {
    const prog = containerArgv(image)[0];
    // The table's programs, or the shell's program builtins (sh, bash, sleep) under their paths.
    assert.ok(programExists({ commands: programs, fs: new MemFs() }, prog), `${image}: ${prog}`);
  }
});
