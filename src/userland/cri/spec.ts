/**
 * The OCI runtime spec containerd's CRI plugin writes for a sandbox (the pause process, owning
 * the pod's namespaces, the network one at /var/run/netns/cni-...) and for a container (joining
 * the pause process's namespaces through /proc/<pid>/ns/...). `ctr containers info` prints it
 * as Go marshals the struct (fields in order); crictl's inspect shows it inside `info`.
 */
import { goStruct } from '../text/gotemplate.ts';
import type { CriContainer, CriSandbox } from './state.ts';

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** containerd's default capability set for containers (pkg/cri/opts WithDefaultCapabilities). */
const DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const MASKED = ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
const READONLY = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const ns = (type: string, path?: string): object => goStruct(path ? { type, path } : { type }, 'specs.LinuxNamespace');
const mount = (destination: string, type: string, source: string, options: string[]): object =>
  goStruct({ destination, type, source, options }, 'specs.Mount');

/** A container's environment as its process gets it: PATH, HOSTNAME, then the pod spec's. */
export function containerEnv(c: CriContainer, sb: CriSandbox): string[] {
  return [PATH_ENV, `HOSTNAME=${sb.hostname}`, ...Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v}`)];
}

/** The pod's cgroup (cgroupfs driver, BestEffort QoS: podlab sets no resources). */
export const cgroupsPath = (sb: CriSandbox, id: string): string => `/kubepods/besteffort/pod${sb.uid}/${id}`;

/** The network namespace's path, empty for hostNetwork pods (they stay in the node's). */
export const netnsPath = (sb: CriSandbox): string => (sb.hostNetwork || !sb.netns ? '' : `/var/run/netns/${sb.netns}`);

function process(args: string[], env: string[], sandbox: boolean): object {
  const caps = goStruct({ bounding: DEFAULT_CAPS, effective: DEFAULT_CAPS, permitted: DEFAULT_CAPS }, 'specs.LinuxCapabilities');
  return goStruct(
    {
      user: goStruct({ uid: sandbox ? 65535 : 0, gid: sandbox ? 65535 : 0, additionalGids: sandbox ? [65535] : [0] }, 'specs.User'),
      args,
      env,
      cwd: '/',
      capabilities: caps,
      noNewPrivileges: sandbox ? true : undefined,
      oomScoreAdj: sandbox ? -998 : 1000,
    },
    'specs.Process',
  );
}

function linux(sb: CriSandbox, id: string, namespaces: object[]): object {
  return goStruct(
    {
      resources: goStruct({ devices: [goStruct({ allow: false, access: 'rwm' }, 'specs.LinuxDeviceCgroup')], cpu: goStruct({ shares: 2 }, 'specs.LinuxCPU') }, 'specs.LinuxResources'),
      cgroupsPath: cgroupsPath(sb, id),
      namespaces,
      maskedPaths: MASKED,
      readonlyPaths: READONLY,
    },
    'specs.Linux',
  );
}

function sandboxAnnotations(sb: CriSandbox): Record<string, string> {
  return {
    'io.kubernetes.cri.sandbox-id': sb.id,
    'io.kubernetes.cri.sandbox-log-directory': `/var/log/pods/${sb.namespace}_${sb.name}_${sb.uid}`,
    'io.kubernetes.cri.sandbox-name': sb.name,
    'io.kubernetes.cri.sandbox-namespace': sb.namespace,
    'io.kubernetes.cri.sandbox-uid': sb.uid,
  };
}

/** The pause container's spec: it creates the pod's namespaces (the network one is CNI's). */
export function sandboxSpec(sb: CriSandbox): object {
  const net = netnsPath(sb);
  const namespaces = [ns('pid'), ns('ipc'), ns('uts'), ns('mount')];
  if (!sb.hostNetwork) namespaces.push(ns('network', net || undefined));
  return goStruct(
    {
      ociVersion: '1.1.0',
      process: process(['/pause'], [PATH_ENV], true),
      root: goStruct({ path: 'rootfs', readonly: true }, 'specs.Root'),
      hostname: sb.hostname,
      mounts: [
        mount('/proc', 'proc', 'proc', ['nosuid', 'noexec', 'nodev']),
        mount('/dev', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
        mount('/dev/shm', 'bind', `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sb.id}/shm`, ['rbind', 'ro', 'nosuid', 'nodev', 'noexec']),
        mount('/etc/resolv.conf', 'bind', `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${sb.id}/resolv.conf`, ['rbind', 'ro', 'nosuid', 'nodev', 'noexec']),
      ],
      annotations: { 'io.kubernetes.cri.container-type': 'sandbox', ...sandboxAnnotations(sb) },
      linux: linux(sb, sb.id, namespaces),
    },
    'specs.Spec',
  );
}

/** An app container's spec: it joins the pause process's network, IPC and UTS namespaces. */
export function containerSpec(c: CriContainer, sb: CriSandbox): object {
  const proc = (what: string): string => `/proc/${sb.pid}/ns/${what}`;
  const namespaces = [ns('pid'), ns('ipc', proc('ipc')), ns('uts', proc('uts')), ns('mount')];
  if (!sb.hostNetwork) namespaces.push(ns('network', proc('net')));
  return goStruct(
    {
      ociVersion: '1.1.0',
      process: process(c.argv, containerEnv(c, sb), false),
      root: goStruct({ path: 'rootfs' }, 'specs.Root'),
      mounts: [
        mount('/proc', 'proc', 'proc', ['nosuid', 'noexec', 'nodev']),
        mount('/dev', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
        mount('/etc/hosts', 'bind', `/var/lib/kubelet/pods/${sb.uid}/etc-hosts`, ['rbind', 'rprivate', 'rw']),
        mount('/dev/termination-log', 'bind', `/var/lib/kubelet/pods/${sb.uid}/containers/${c.name}/${c.id.slice(0, 8)}`, ['rbind', 'rprivate', 'rw']),
        mount('/etc/hostname', 'bind', `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${sb.id}/hostname`, ['rbind', 'rprivate', 'rw']),
        mount('/etc/resolv.conf', 'bind', `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${sb.id}/resolv.conf`, ['rbind', 'rprivate', 'rw']),
      ],
      annotations: {
        'io.kubernetes.cri.container-name': c.name,
        'io.kubernetes.cri.container-type': 'container',
        'io.kubernetes.cri.image-name': c.imageRef || c.image,
        ...sandboxAnnotations(sb),
      },
      linux: linux(sb, c.id, namespaces),
    },
    'specs.Spec',
  );
}
