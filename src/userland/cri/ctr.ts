/**
 * `ctr`, containerd's own client (1.7): `containers ls|info`, `tasks ls` and `namespaces ls`
 * in the namespace `-n` names (CRI's containers live in k8s.io; on a Docker node dockerd's live
 * in moby). Sandboxes are containers to containerd, so the pause containers are listed too.
 * Tables are tabwriter(4, 8, 4) with a trailing tab after each row, as ctr writes them.
 */
import type { Command } from '../command.ts';
import { goJson, goStruct } from '../text/gotemplate.ts';
import { guard, parse, splitGlobal, table, ToolError, type FlagSpec } from './cli.ts';
import { containerSpec, netnsPath, sandboxSpec } from './spec.ts';
import { entries, entryCreated, entryId, imageId, loadState, rfc3339Nano, type CriState, type Entry } from './state.ts';

const GLOBAL_VALUES = new Set(['-n', '--namespace', '-a', '--address', '--timeout', '--connect-timeout']);
const GLOBAL: FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'address', short: 'a', kind: 'string' },
  { name: 'timeout', kind: 'string' },
  { name: 'connect-timeout', kind: 'string' },
  { name: 'debug', kind: 'bool' },
];
const CTR_TABLE = { minwidth: 4, padding: 4 };
const RUNC = 'io.containerd.runc.v2';

/** The containerd namespace holding the node's containers. */
const runtimeNamespace = (st: CriState): string => (st.runtime === 'docker' ? 'moby' : 'k8s.io');

function inNamespace(st: CriState, ns: string): Entry[] {
  return ns === runtimeNamespace(st) ? entries(st) : [];
}

const image = (e: Entry): string => (e.kind === 'sandbox' ? e.sb.image : e.c.imageRef || e.c.image);

function labels(st: CriState, e: Entry): Record<string, string> {
  if (st.runtime === 'docker') return {};
  return e.kind === 'sandbox' ? { 'io.cri-containerd.kind': 'sandbox', ...e.sb.labels } : { 'io.cri-containerd.kind': 'container', ...e.c.labels };
}

/** The CRI plugin's metadata extension: its record of the container, JSON in a protobuf Any. */
function extension(e: Entry): Record<string, object> {
  const base64 = (v: unknown): string => Buffer.from(goJson(v)).toString('base64');
  if (e.kind === 'sandbox') {
    const sb = e.sb;
    const meta = goStruct({
      ID: sb.id, Name: `${sb.name}_${sb.namespace}_${sb.uid}_${sb.attempt}`, NetNSPath: netnsPath(sb), IP: sb.ip, AdditionalIPs: null, RuntimeHandler: sb.runtimeHandler, CNIResult: null, ProcessLabel: '',
    });
    return { 'io.cri-containerd.sandbox.metadata': goStruct({ type_url: 'github.com/containerd/cri/pkg/store/sandbox/Metadata', value: base64(goStruct({ Version: 'v1', Metadata: meta })) }) };
  }
  const c = e.c;
  const pod = e.sb;
  const name = pod ? `${c.name}_${pod.name}_${pod.namespace}_${pod.uid}_${c.attempt}` : c.name;
  const meta = goStruct({ ID: c.id, Name: name, SandboxID: c.sandboxId, ImageRef: imageId(c), LogPath: c.logPath, StopSignal: '', ProcessLabel: '' });
  return { 'io.cri-containerd.container.metadata': goStruct({ type_url: 'github.com/containerd/cri/pkg/store/container/Metadata', value: base64(goStruct({ Version: 'v1', Metadata: meta })) }) };
}

/** containers.Container with the unpacked Spec, as `ctr containers info` marshals it. */
function info(st: CriState, e: Entry): string {
  const created = rfc3339Nano(entryCreated(e));
  const spec = e.kind === 'sandbox' ? sandboxSpec(e.sb) : e.sb ? containerSpec(e.c, e.sb) : undefined;
  const v = goStruct({
    ID: entryId(e),
    Labels: labels(st, e),
    Image: st.runtime === 'docker' ? '' : image(e),
    Runtime: goStruct({ Name: RUNC, Options: goStruct({ type_url: 'containerd.runc.v1.Options' }) }),
    SnapshotKey: st.runtime === 'docker' ? '' : entryId(e),
    Snapshotter: 'overlayfs',
    CreatedAt: created,
    UpdatedAt: created,
    Extensions: st.runtime === 'docker' ? null : extension(e),
    SandboxID: '',
    Spec: spec,
  });
  return `${goJson(v, { indent: '    ' })}\n`;
}

const running = (e: Entry): boolean => (e.kind === 'sandbox' ? e.sb.state === 'SANDBOX_READY' : e.c.state === 'CONTAINER_RUNNING');

function containers(st: CriState, ns: string, argv: string[]): string {
  const [verb, ...rest] = argv;
  const list = [...inNamespace(st, ns)].sort((a, b) => (entryId(a) < entryId(b) ? -1 : 1));
  if (verb === 'ls' || verb === 'list') {
    const f = parse(rest, [{ name: 'quiet', short: 'q', kind: 'bool' }]);
    if (f.bool('quiet')) return list.map((e) => `${entryId(e)}\n`).join('');
    const img = (e: Entry): string => (st.runtime === 'docker' ? '-' : image(e));
    return table([['CONTAINER', 'IMAGE', 'RUNTIME'], ...list.map((e) => [entryId(e), img(e), RUNC])], CTR_TABLE, true);
  }
  if (verb === 'info') {
    const f = parse(rest, [{ name: 'spec', kind: 'bool' }]);
    const id = f.parsed.args[0] ?? '';
    if (!id) throw new ToolError('container id must be provided');
    const e = list.find((x) => entryId(x) === id);
    if (!e) throw new ToolError(`container "${id}" in namespace "${ns}": not found`);
    if (f.bool('spec')) return `${goJson(e.kind === 'sandbox' ? sandboxSpec(e.sb) : e.sb ? containerSpec(e.c, e.sb) : null, { indent: '    ' })}\n`;
    return info(st, e);
  }
  throw new ToolError(`No help topic for '${verb ?? ''}'`, 3);
}

function tasks(st: CriState, ns: string, argv: string[]): string {
  const [verb, ...rest] = argv;
  if (verb !== 'ls' && verb !== 'list') throw new ToolError(`No help topic for '${verb ?? ''}'`, 3);
  const f = parse(rest, [{ name: 'quiet', short: 'q', kind: 'bool' }]);
  // The CRI plugin deletes a task once its process exits: only running ones are listed.
  const list = inNamespace(st, ns).filter(running).sort((a, b) => entryCreated(a) - entryCreated(b));
  if (f.bool('quiet')) return list.map((e) => `${entryId(e)}\n`).join('');
  const pid = (e: Entry): string => String(e.kind === 'sandbox' ? e.sb.pid : e.c.pid);
  return table([['TASK', 'PID', 'STATUS'], ...list.map((e) => [entryId(e), pid(e), 'RUNNING'])], CTR_TABLE, true);
}

function namespaces(st: CriState, argv: string[]): string {
  const [verb, ...rest] = argv;
  if (verb !== 'ls' && verb !== 'list') throw new ToolError(`No help topic for '${verb ?? ''}'`, 3);
  const f = parse(rest, [{ name: 'quiet', short: 'q', kind: 'bool' }]);
  const names = [runtimeNamespace(st)];
  if (f.bool('quiet')) return names.map((n) => `${n}\n`).join('');
  return table([['NAME', 'LABELS'], ...names.map((n) => [n, ''])], { minwidth: 1, padding: 1 }, true);
}

export const ctr: Command = (ctx) =>
  guard(
    ctx,
    () => {
      const argv = ctx.argv.slice(1);
      const at = splitGlobal(argv, GLOBAL_VALUES);
      const g = parse(argv.slice(0, at), GLOBAL);
      const ns = g.str('namespace') || ctx.env.CONTAINERD_NAMESPACE || 'default';
      const [sub, ...rest] = argv.slice(at);
      const st = loadState(ctx);
      switch (sub) {
        case 'containers':
        case 'container':
        case 'c':
          ctx.stdout(containers(st, ns, rest));
          return 0;
        case 'tasks':
        case 'task':
        case 't':
          ctx.stdout(tasks(st, ns, rest));
          return 0;
        case 'namespaces':
        case 'namespace':
        case 'ns':
          ctx.stdout(namespaces(st, rest));
          return 0;
        default:
          throw new ToolError(`No help topic for '${sub ?? ''}'`, 3);
      }
    },
    (msg) => (msg.startsWith('No help topic') ? `${msg}\n` : `ctr: ${msg}\n`),
  );
