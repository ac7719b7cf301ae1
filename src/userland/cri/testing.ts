/**
 * Test support for the runtime tools: a node's runtime state built from the seed labs' facts
 * (seed 000's curl pod on iptables-worker3: pause pid 2677, `sh -c "echo Hello; sleep 3600"`
 * pid 2907 in cni-727b1199-...; seed 004's nginx pod: pause pid 27255 in cni-912bcc63-...,
 * nginx pid 27331; and a hostNetwork kube-proxy), written to CRI_STATE_PATH on a MemFs, and a
 * runner that executes a command line over it.
 */
import { MemFs } from '../../host/sim/fs.ts';
import { CRI_STATE_PATH, type CriContainer, type CriSandbox, type CriState } from '../../k8s/kubelet/cri.ts';
import type { Command } from '../command.ts';
import { testSystem } from '../text/testing.ts';

/** The moment the listings are taken: the seed's `docker ps` at 20:17 showed "56 minutes ago". */
export const NOW = Date.UTC(2020, 2, 7, 1, 17, 0);
const MIN = 60_000;

export const CURL_POD = '3f1c5b2a9d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8';
export const CURL_CTR = '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b';
export const NGINX_POD = 'd19b1b1c92f7cc90764d4f385e8935d121bca66ba8982bae65baff1bc2841da6';
export const NGINX_CTR = '4c0bd2e2e5c0b17c637af83376879c38f2fb11852921b12413c54ba49d6983c7';
export const PROXY_POD = '0866803b612f2f55e7b6b83836bde09bd6530246239b7bde1e49c04c7038e43a';
export const PROXY_CTR = '21640aea0210b320fd637c22ff93b7e21473178de0073b05de83f3b116fc8834';

function sandbox(id: string, name: string, namespace: string, uid: string, o: Partial<CriSandbox>): CriSandbox {
  return {
    id, name, namespace, uid, attempt: 0, netns: '', pid: 0, state: 'SANDBOX_READY', createdAt: NOW - 56 * MIN, ip: '', hostNetwork: false, hostname: name,
    image: 'registry.k8s.io/pause:3.9', labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': uid },
    annotations: { 'kubernetes.io/config.source': 'api' }, runtimeHandler: '', ...o,
  };
}

function container(id: string, sb: CriSandbox, name: string, o: Partial<CriContainer>): CriContainer {
  return {
    id, sandboxId: sb.id, name, attempt: 0, image: 'busybox', imageRef: 'docker.io/library/busybox:latest', argv: [], pid: 0, state: 'CONTAINER_RUNNING',
    createdAt: sb.createdAt + 2000, startedAt: sb.createdAt + 3000, finishedAt: 0, exitCode: 0,
    labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': sb.name, 'io.kubernetes.pod.namespace': sb.namespace, 'io.kubernetes.pod.uid': sb.uid },
    annotations: { 'io.kubernetes.container.restartCount': '0' }, logPath: `/var/log/pods/${sb.namespace}_${sb.name}_${sb.uid}/${name}/0.log`, ...o,
  };
}

export function nodeState(runtime: 'containerd' | 'docker' = 'containerd'): CriState {
  const curl = sandbox(CURL_POD, 'curl1-647585685b-5pdj4', 'default', '386a9073-7e35-11e8-8a3d-bae97d2c1afd', {
    netns: 'cni-727b1199-66da-2c59-d337-f683b3ce8fcd', pid: 2677, ip: '10.244.2.2',
  });
  const nginx = sandbox(NGINX_POD, 'nginx-65899c769f-wxdx6', 'default', '0b35e956-8080-11e8-8aa9-0a12b8818382', {
    netns: 'cni-912bcc63-712d-1c84-89a7-9e10510808a0', pid: 27255, ip: '10.200.0.4', createdAt: NOW - 5 * MIN,
  });
  nginx.labels = { ...nginx.labels, 'pod-template-hash': '2145573259', run: 'nginx' };
  const proxy = sandbox(PROXY_POD, 'kube-proxy-7xk2p', 'kube-system', '5e0c2f1a-9b7d-4c3e-8f6a-1d2b3c4d5e6f', {
    pid: 1201, hostNetwork: true, hostname: 'iptables-worker3', createdAt: NOW - 3 * 24 * 60 * MIN,
  });
  return {
    runtime,
    runtimeVersion: runtime === 'docker' ? '24.0.4' : '1.7.18',
    sandboxes: [proxy, curl, nginx],
    containers: [
      container(PROXY_CTR, proxy, 'kube-proxy', { image: 'registry.k8s.io/kube-proxy:v1.30.0', imageRef: 'registry.k8s.io/kube-proxy:v1.30.0', argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'], pid: 1250 }),
      container(CURL_CTR, curl, 'curl', { image: 'radial/busyboxplus:curl', imageRef: 'docker.io/radial/busyboxplus:curl', argv: ['sh', '-c', 'echo Hello; sleep 3600'], pid: 2907 }),
      container(NGINX_CTR, nginx, 'nginx', { image: 'nginx', imageRef: 'docker.io/library/nginx:latest', argv: ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'], pid: 27331 }),
    ],
  };
}

export interface Run {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs `argv` with `state` on the node's filesystem (none: a node without the state file). */
export async function runOn(cmd: Command, argv: string[], state: CriState | null = nodeState()): Promise<Run> {
  const fs = new MemFs();
  if (state) {
    fs.mkdirs('/run/podlab');
    fs.write(CRI_STATE_PATH, JSON.stringify(state));
  }
  let stdout = '';
  let stderr = '';
  const status = await cmd({
    argv, stdin: '', fs, cwd: '/', env: {}, sys: { ...testSystem, now: () => NOW },
    stdout: (t) => (stdout += t), stderr: (t) => (stderr += t),
  });
  return { stdout, stderr, status };
}
