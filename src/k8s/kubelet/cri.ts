/**
 * The container runtime's state on a node, as the kubelet's runtime keeps it and the node's
 * tools read it: `crictl ps|pods|inspect|inspectp`, `ctr -n k8s.io containers ls|info`,
 * `ctr task ls`, and `docker ps|inspect` where the node's runtime is Docker (minikube). It is a
 * JSON file on the node (CRI_STATE_PATH), so the tools work the same on every host.
 */
import type { FileSystem } from '../../host/sim/fs.ts';

export const CRI_STATE_PATH = '/run/podlab/cri.json';

/** A pod sandbox (the pause container holding the pod's namespaces). */
export interface CriSandbox {
  /** 64 hex digits (crictl prints the first 13, docker the first 12). */
  id: string;
  /** The pod's metadata. */
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
  /** The network namespace's name on the node (`cni-<uuid>`), empty for hostNetwork pods. */
  netns: string;
  /** The pause process. */
  pid: number;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  /** ms since the epoch. */
  createdAt: number;
  /** The pod IP CNI gave it (empty for hostNetwork pods, which use the node's). */
  ip: string;
  hostNetwork: boolean;
  hostname: string;
  /** The pause image (`registry.k8s.io/pause:3.9`). */
  image: string;
  /** Pod labels plus io.kubernetes.pod.name/namespace/uid (what crictl and ctr show). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface CriContainer {
  id: string;
  sandboxId: string;
  /** The container's name in the pod spec. */
  name: string;
  attempt: number;
  /** As written in the pod spec (`hashicorp/http-echo`), and resolved (`docker.io/hashicorp/http-echo:latest`). */
  image: string;
  imageRef: string;
  /**
   * The image's content ID (`sha256:` + 64 hex digits), what crictl's IMAGE column shows (13
   * digits). Optional: the tools derive a stable stand-in from imageRef when it is absent.
   */
  imageId?: string;
  /** What runs: the image's entrypoint/cmd overridden by the pod's command/args. */
  argv: string[];
  /** The container's environment (optional: ctr's spec and docker inspect's Config.Env show it). */
  env?: Record<string, string>;
  pid: number;
  state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
  createdAt: number;
  startedAt: number;
  /** 0 while running. */
  finishedAt: number;
  exitCode: number;
  /** io.kubernetes.container.name, io.kubernetes.pod.name/namespace/uid. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
}

export interface CriState {
  /** Which runtime the node runs: what `crictl version` and `docker ps` find. */
  runtime: 'containerd' | 'docker';
  runtimeVersion: string;
  sandboxes: CriSandbox[];
  containers: CriContainer[];
}

/** The node's runtime state (an empty containerd when the node has none yet). */
export function readCriState(fs: Pick<FileSystem, 'read'>): CriState {
  const text = fs.read(CRI_STATE_PATH);
  return text ? (JSON.parse(text) as CriState) : { runtime: 'containerd', runtimeVersion: '1.7.18', sandboxes: [], containers: [] };
}
