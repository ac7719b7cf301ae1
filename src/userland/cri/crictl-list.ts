/**
 * `crictl ps` and `crictl pods` (cri-tools 1.30): the runtime's ListContainers/ListPodSandbox
 * results filtered as the runtime and crictl filter them (ID prefixes, state, labels, name and
 * namespace regexps, --latest/--last), newest first, printed as crictl's table (tabwriter 20/1/3,
 * IDs cut to 13 characters), as `-q` IDs, verbose blocks, or the response as protobuf JSON/YAML.
 */
import { toYaml } from '../kubectl/print/yaml.ts';
import { ToolError, table, type Flags } from './cli.ts';
import { humanDuration, imageId, nanos, resolvePrefix, type CriContainer, type CriSandbox, type CriState } from './state.ts';

const TABLE = { minwidth: 20, padding: 3 };
const trunc = (id: string, prefix = ''): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id).slice(0, 13);

const CONTAINER_STATES: Record<string, CriContainer['state']> = { created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED', unknown: 'CONTAINER_UNKNOWN' };
const STATE_WORD: Record<CriContainer['state'], string> = { CONTAINER_CREATED: 'Created', CONTAINER_RUNNING: 'Running', CONTAINER_EXITED: 'Exited', CONTAINER_UNKNOWN: 'Unknown' };

function regexp(pattern: string): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    throw new ToolError(`invalid regular expression "${pattern}": error parsing regexp: invalid syntax`);
  }
}

function labelSelector(f: Flags): [string, string][] {
  return f.list('label').map((s) => {
    const pair = s.split('=');
    if (pair.length !== 2) throw new ToolError(`incorrectly specified label: ${s}`);
    return [pair[0], pair[1]];
  });
}

const hasLabels = (labels: Record<string, string>, sel: [string, string][]): boolean => sel.every(([k, v]) => labels[k] === v);

/** How many of the newest to keep: --latest is one, --last N is N. */
function keep<T>(items: T[], f: Flags): T[] {
  let n = items.length;
  if (f.bool('latest')) n = 1;
  if (f.int('last') > 0) n = f.int('last');
  return items.slice(0, Math.min(n, items.length));
}

function output(f: Flags): string {
  const o = f.str('output', 'table');
  if (!['json', 'yaml', 'table'].includes(o)) throw new ToolError(`unsupported output format "${o}"`);
  return o;
}

/** protojson with two-space indentation (crictl prints it with Println). */
const protoJson = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
/** sigs.k8s.io/yaml's JSONToYAML of that JSON, printed with Println (a blank line after). */
const protoYaml = (v: unknown): string => `${toYaml(v)}\n`;

/** A CRI Container message, fields in the proto's order, as protojson (EmitDefaultValues) writes it. */
function containerMessage(c: CriContainer): object {
  const img = imageId(c);
  return {
    id: c.id,
    podSandboxId: c.sandboxId,
    metadata: { name: c.name, attempt: c.attempt },
    image: { image: img, annotations: {}, userSpecifiedImage: c.image, runtimeHandler: '' },
    imageRef: img,
    state: c.state,
    createdAt: nanos(c.createdAt),
    labels: c.labels,
    annotations: c.annotations,
  };
}

export function sandboxMessage(sb: CriSandbox): object {
  return {
    id: sb.id,
    metadata: { name: sb.name, uid: sb.uid, namespace: sb.namespace, attempt: sb.attempt },
    state: sb.state,
    createdAt: nanos(sb.createdAt),
    labels: sb.labels,
    annotations: sb.annotations,
    runtimeHandler: sb.runtimeHandler,
  };
}

function labelBlock(title: string, m: Record<string, string>): string {
  return `${title}:\n${Object.keys(m).sort().map((k) => `\t${k} -> ${m[k]}\n`).join('')}`;
}

/** Go's time.Time %v: `2024-01-02 12:00:00 +0000 UTC` (nanoseconds when present). */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** The containers `crictl ps` (and `inspect` without IDs) selects, newest first. */
export function listContainers(st: CriState, f: Flags): CriContainer[] {
  const ids = st.containers.map((c) => c.id);
  const id = f.str('id') ? (resolvePrefix(ids, f.str('id')) ?? f.str('id')) : '';
  const pod = f.str('pod') ? (resolvePrefix(st.sandboxes.map((s) => s.id), f.str('pod')) ?? f.str('pod')) : '';
  let state: CriContainer['state'] | undefined = f.bool('all') ? undefined : 'CONTAINER_RUNNING';
  if (f.str('state')) {
    state = CONTAINER_STATES[f.str('state').toLowerCase()];
    if (!state) throw new ToolError('--state should be one of created, running, exited or unknown');
  }
  if (f.bool('latest') || f.int('last') > 0) state = undefined;
  const sel = labelSelector(f);
  const nameRe = regexp(f.str('name'));
  const nsRe = regexp(f.str('namespace'));
  const image = f.str('image');
  const found = st.containers.filter(
    (c) =>
      (!id || c.id === id) &&
      (!pod || c.sandboxId === pod) &&
      (!state || c.state === state) &&
      hasLabels(c.labels, sel) &&
      (!image || [c.image, c.imageRef, imageId(c)].includes(image)) &&
      (!nameRe || nameRe.test(c.name)) &&
      (!nsRe || nsRe.test(c.labels['io.kubernetes.pod.namespace'] ?? 'unknown')),
  );
  return keep([...found].sort((a, b) => b.createdAt - a.createdAt), f);
}

export function crictlPs(st: CriState, f: Flags, now: number): string {
  const o = output(f);
  const list = listContainers(st, f);
  if (o === 'json') return protoJson({ containers: list.map(containerMessage) });
  if (o === 'yaml') return protoYaml({ containers: list.map(containerMessage) });
  if (f.bool('quiet')) return list.map((c) => `${c.id}\n`).join('');
  const label = (c: CriContainer, k: string): string => c.labels[k] ?? 'unknown';
  const ago = (c: CriContainer): string => `${humanDuration(now - c.createdAt)} ago`;
  if (f.bool('verbose')) {
    return list
      .map((c) => {
        let s = `ID: ${c.id}\nPodID: ${c.sandboxId}\nNamespace: ${label(c, 'io.kubernetes.pod.namespace')}\nName: ${c.name}\nAttempt: ${c.attempt}\n`;
        s += `State: ${STATE_WORD[c.state]}\nImage: ${imageId(c)}\nCreated: ${ago(c)}\n`;
        return `${s}${labelBlock('Labels', c.labels)}${labelBlock('Annotations', c.annotations)}\n`;
      })
      .join('');
  }
  const noTrunc = f.bool('no-trunc');
  const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  for (const c of list) {
    const img = f.bool('resolve-image-path') ? c.imageRef || c.image : noTrunc ? imageId(c) : trunc(imageId(c), 'sha256:');
    rows.push([
      noTrunc ? c.id : trunc(c.id), img, ago(c), STATE_WORD[c.state], c.name, String(c.attempt),
      noTrunc ? c.sandboxId : trunc(c.sandboxId), label(c, 'io.kubernetes.pod.name'), label(c, 'io.kubernetes.pod.namespace'),
    ]);
  }
  return table(rows, TABLE);
}

/** The sandboxes `crictl pods` (and `inspectp` without IDs) selects, newest first. */
export function listSandboxes(st: CriState, f: Flags): CriSandbox[] {
  const id = f.str('id') ? (resolvePrefix(st.sandboxes.map((s) => s.id), f.str('id')) ?? f.str('id')) : '';
  let state: CriSandbox['state'] | undefined;
  const want = f.str('state').toLowerCase();
  if (want === 'ready') state = 'SANDBOX_READY';
  else if (want === 'notready') state = 'SANDBOX_NOTREADY';
  else if (want) throw new ToolError('--state should be ready or notready');
  const sel = labelSelector(f);
  const nameRe = regexp(f.str('name'));
  const nsRe = regexp(f.str('namespace'));
  const found = st.sandboxes.filter(
    (s) => (!id || s.id === id) && (!state || s.state === state) && hasLabels(s.labels, sel) && (!nameRe || nameRe.test(s.name)) && (!nsRe || nsRe.test(s.namespace)),
  );
  return keep([...found].sort((a, b) => b.createdAt - a.createdAt), f);
}

const POD_STATE: Record<CriSandbox['state'], string> = { SANDBOX_READY: 'Ready', SANDBOX_NOTREADY: 'NotReady' };

export function crictlPods(st: CriState, f: Flags, now: number): string {
  const o = output(f);
  const list = listSandboxes(st, f);
  if (o === 'json') return protoJson({ items: list.map(sandboxMessage) });
  if (o === 'yaml') return protoYaml({ items: list.map(sandboxMessage) });
  if (f.bool('quiet')) return list.map((s) => `${s.id}\n`).join('');
  const handler = (s: CriSandbox): string => s.runtimeHandler || '(default)';
  if (f.bool('verbose')) {
    return list
      .map((s) => {
        const attempt = s.attempt ? `Attempt: ${s.attempt}\n` : '';
        const head = `ID: ${s.id}\nName: ${s.name}\nUID: ${s.uid}\nNamespace: ${s.namespace}\n${attempt}Status: ${POD_STATE[s.state]}\nCreated: ${goTime(s.createdAt)}\n`;
        return `${head}${labelBlock('Labels', s.labels)}${labelBlock('Annotations', s.annotations)}Runtime: ${handler(s)}\n\n`;
      })
      .join('');
  }
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
  for (const s of list) {
    rows.push([f.bool('no-trunc') ? s.id : trunc(s.id), `${humanDuration(now - s.createdAt)} ago`, POD_STATE[s.state], s.name, s.namespace, String(s.attempt), handler(s)]);
  }
  return table(rows, TABLE);
}
