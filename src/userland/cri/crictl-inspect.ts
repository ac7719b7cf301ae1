/**
 * `crictl inspect` and `crictl inspectp`: the runtime's ContainerStatus/PodSandboxStatus with
 * containerd's verbose `info` (pid, the OCI spec with the namespaces' paths, the CRI config),
 * merged the way crictl merges them ({"info": ..., "status": ...}, keys sorted by Go's
 * map marshalling, one object or an array of several), as json, yaml, go-template or table.
 * cri-dockerd gives no verbose info, so on a Docker node only `status` is printed.
 */
import { toYaml } from '../kubectl/print/yaml.ts';
import { goJson, GoTemplate, TemplateError } from '../text/gotemplate.ts';
import { ToolError, type Flags } from './cli.ts';
import { goTime, listContainers, listSandboxes } from './crictl-list.ts';
import { containerSpec, netnsPath, sandboxSpec } from './spec.ts';
import { humanDuration, imageId, resolvePrefix, rfc3339Nano, type CriContainer, type CriSandbox, type CriState } from './state.ts';

const RUNTIME_TYPE = 'io.containerd.runc.v2';

/** The containerd error for an ID its truncindex cannot resolve, as gRPC carries it. */
function notFound(ids: string[], id: string, what: string, code: (resolved: string) => string): string {
  const r = resolvePrefix(ids, id);
  if (r === 'ambiguous') throw new ToolError(code(`rpc error: code = Unknown desc = ${what}: Multiple IDs found with provided prefix: ${id}`));
  if (!r) throw new ToolError(code(`rpc error: code = NotFound desc = ${what}: not found`));
  return r;
}

function containerStatus(c: CriContainer): Record<string, unknown> {
  const img = imageId(c);
  return {
    annotations: c.annotations,
    createdAt: rfc3339Nano(c.createdAt),
    exitCode: c.exitCode,
    finishedAt: rfc3339Nano(c.state === 'CONTAINER_EXITED' ? c.finishedAt : 0),
    id: c.id,
    image: { annotations: {}, image: c.imageRef || c.image, runtimeHandler: '', userSpecifiedImage: c.image },
    imageId: img,
    imageRef: c.imageRef || img,
    labels: c.labels,
    logPath: c.logPath,
    message: '',
    metadata: { attempt: c.attempt, name: c.name },
    mounts: [],
    reason: c.state === 'CONTAINER_EXITED' ? (c.exitCode ? 'Error' : 'Completed') : '',
    resources: null,
    startedAt: rfc3339Nano(c.state === 'CONTAINER_CREATED' ? 0 : c.startedAt),
    state: c.state,
    user: { linux: { gid: '0', supplementalGroups: ['0'], uid: '0' } },
  };
}

function containerInfo(c: CriContainer, sb: CriSandbox | undefined): Record<string, unknown> {
  return {
    sandboxID: c.sandboxId,
    pid: c.state === 'CONTAINER_RUNNING' ? c.pid : 0,
    removing: false,
    snapshotKey: c.id,
    snapshotter: 'overlayfs',
    runtimeType: RUNTIME_TYPE,
    runtimeOptions: { systemd_cgroup: false },
    config: {
      metadata: { name: c.name, attempt: c.attempt || undefined },
      image: { image: imageId(c), user_specified_image: c.image },
      command: c.argv.slice(0, 1),
      args: c.argv.slice(1),
      envs: Object.entries(c.env ?? {}).map(([key, value]) => ({ key, value })),
      labels: c.labels,
      annotations: c.annotations,
      log_path: c.logPath.split('/').slice(-2).join('/'),
      linux: { resources: {}, security_context: { namespace_options: { pid: 1 }, run_as_user: {} } },
    },
    runtimeSpec: sb ? asMap(containerSpec(c, sb)) : undefined,
  };
}

function sandboxStatus(sb: CriSandbox): Record<string, unknown> {
  return {
    annotations: sb.annotations,
    containersStatuses: [],
    createdAt: rfc3339Nano(sb.createdAt),
    id: sb.id,
    labels: sb.labels,
    linux: { namespaces: { options: { ipc: 'POD', network: sb.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', targetId: '' } } },
    metadata: { attempt: sb.attempt, name: sb.name, namespace: sb.namespace, uid: sb.uid },
    network: { additionalIps: [], ip: sb.ip },
    runtimeHandler: sb.runtimeHandler,
    state: sb.state,
    timestamp: '0',
  };
}

function sandboxInfo(sb: CriSandbox): Record<string, unknown> {
  return {
    pid: sb.pid,
    processStatus: sb.state === 'SANDBOX_READY' ? 'running' : 'stopped',
    netNamespaceClosed: sb.state !== 'SANDBOX_READY',
    image: sb.image,
    snapshotKey: sb.id,
    snapshotter: 'overlayfs',
    runtimeHandler: sb.runtimeHandler,
    runtimeType: RUNTIME_TYPE,
    runtimeOptions: { systemd_cgroup: false },
    config: {
      metadata: { name: sb.name, uid: sb.uid, namespace: sb.namespace, attempt: sb.attempt || undefined },
      hostname: sb.hostname,
      log_directory: `/var/log/pods/${sb.namespace}_${sb.name}_${sb.uid}`,
      labels: sb.labels,
      annotations: sb.annotations,
      linux: { cgroup_parent: `/kubepods/besteffort/pod${sb.uid}`, security_context: { namespace_options: sb.hostNetwork ? { network: 2, pid: 1 } : { pid: 1 } } },
    },
    runtimeSpec: asMap(sandboxSpec(sb)),
    netNamespacePath: netnsPath(sb),
  };
}

/** The JSON crictl re-decodes into a map: struct order is lost, Go's sorted map order remains. */
const asMap = (v: object): unknown => JSON.parse(JSON.stringify(v));

interface Status {
  status: Record<string, unknown>;
  info?: Record<string, unknown>;
  table: string;
}

function print(statuses: Status[], f: Flags): string {
  const o = f.str('output') || 'json';
  if (o === 'table') return statuses.map((s) => s.table).join('');
  const objs = statuses.map((s) => ({ ...(s.info && !f.bool('quiet') ? s.info : {}), status: s.status }));
  const value: unknown = JSON.parse(JSON.stringify(objs.length === 1 ? objs[0] : objs));
  if (o === 'json') return `${goJson(value, { indent: '  ' })}\n`;
  if (o === 'yaml') return `${toYaml(value)}\n`;
  if (o === 'go-template') {
    try {
      const t = new GoTemplate(f.str('template'), { funcs: { json: (v) => goJson(v), lower: (s) => String(s).toLowerCase(), upper: (s) => String(s).toUpperCase() } });
      return `${t.execute(value)}\n`;
    } catch (e) {
      if (e instanceof TemplateError) throw new ToolError(`execute template: ${e.message}`);
      throw e;
    }
  }
  throw new ToolError(`unsupported format: "${o}"`);
}

function labelsText(m: Record<string, string>, title: string): string {
  return `${title}:\n${Object.keys(m).sort().map((k) => `\t${k} -> ${m[k]}\n`).join('')}`;
}

export function crictlInspect(st: CriState, f: Flags, args: string[], now: number): string {
  const ids = args.length ? args : listContainers(st, f).map((c) => c.id);
  if (!ids.length) throw new ToolError('No IDs provided or nothing found per filter');
  const all = st.containers.map((c) => c.id);
  const statuses = ids.map((id): Status => {
    const full = notFound(all, id, `an error occurred when try to find container "${id}"`, (m) => `get the status of containers: get container status: ${m}`);
    const c = st.containers.find((x) => x.id === full)!;
    const sb = st.sandboxes.find((s) => s.id === c.sandboxId);
    const ago = (ms: number): string => `${humanDuration(now - ms)} ago`;
    let t = `ID: ${c.id}\nName: ${c.name}\n${c.attempt ? `Attempt: ${c.attempt}\n` : ''}State: ${c.state}\nCreated: ${ago(c.createdAt)}\n`;
    if (c.state !== 'CONTAINER_CREATED') t += `Started: ${ago(c.startedAt)}\n`;
    if (c.state === 'CONTAINER_EXITED') t += `${c.finishedAt > 0 ? `Finished: ${ago(c.finishedAt)}\n` : ''}Exit Code: ${c.exitCode}\n`;
    t += labelsText(c.labels, 'Labels') + labelsText(c.annotations, 'Annotations');
    return { status: containerStatus(c), info: st.runtime === 'containerd' ? { info: containerInfo(c, sb) } : undefined, table: t };
  });
  return print(statuses, f);
}

export function crictlInspectp(st: CriState, f: Flags, args: string[]): string {
  const ids = args.length ? args : listSandboxes(st, f).map((s) => s.id);
  if (!ids.length) throw new ToolError('No IDs provided or nothing found per filter');
  const all = st.sandboxes.map((s) => s.id);
  const statuses = ids.map((id): Status => {
    const full = notFound(all, id, 'an error occurred when try to find sandbox', (m) => `get the status of pod sandboxes: get pod sandbox status: ${m}`);
    const sb = st.sandboxes.find((s) => s.id === full)!;
    let t = `ID: ${sb.id}\nName: ${sb.name}\nUID: ${sb.uid}\nNamespace: ${sb.namespace}\nAttempt: ${sb.attempt}\nStatus: ${sb.state}\nCreated: ${goTime(sb.createdAt)}\n`;
    t += `IP Addresses: ${sb.ip}\n${labelsText(sb.labels, 'Labels')}${labelsText(sb.annotations, 'Annotations')}`;
    return { status: sandboxStatus(sb), info: st.runtime === 'containerd' ? { info: sandboxInfo(sb) } : undefined, table: t };
  });
  return print(statuses, f);
}
