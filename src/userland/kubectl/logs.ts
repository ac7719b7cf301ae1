/** `kubectl logs POD [-c C] [-f] [--tail N] [--timestamps] [-p] [--since D] [-l SEL --prefix]`: the pod's log subresource as raw text. */
import { StatusError } from '../../k8s/api/errors.ts';
import { decode, resourcePath } from '../../k8s/client/client.ts';
import type { KObject } from '../../k8s/api/object.ts';
import { query } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, usageError } from './errors.ts';
import { parseDuration, type FlagSpec } from './flags.ts';
import { containerFor, podFor } from './pods.ts';

const LOGS_FLAGS: FlagSpec[] = [
  { name: 'all-containers', kind: 'bool' },
  { name: 'all-pods', kind: 'bool' },
  { name: 'container', short: 'c', kind: 'string' },
  { name: 'follow', short: 'f', kind: 'bool' },
  { name: 'ignore-errors', kind: 'bool' },
  { name: 'insecure-skip-tls-verify-backend', kind: 'bool' },
  { name: 'limit-bytes', kind: 'int' },
  { name: 'max-log-requests', kind: 'int' },
  { name: 'pod-running-timeout', kind: 'duration' },
  { name: 'prefix', kind: 'bool' },
  { name: 'previous', short: 'p', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'since', kind: 'duration' },
  { name: 'since-time', kind: 'string' },
  { name: 'tail', kind: 'int' },
  { name: 'timestamps', kind: 'bool' },
];

async function streamLog(k: Kctx, pod: KObject, container: string, tail: number | undefined, prefix: string): Promise<void> {
  const f = k.flags;
  const sinceMs = f.has('since') ? parseDuration(f.str('since')) : undefined;
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? k.namespace)}/pods/${encodeURIComponent(pod.metadata.name ?? '')}/log` + query({
    container, follow: f.bool('follow') ? 'true' : undefined, limitBytes: f.has('limit-bytes') ? f.int('limit-bytes') : undefined,
    previous: f.bool('previous') ? 'true' : undefined, sinceSeconds: sinceMs !== undefined ? Math.ceil(sinceMs / 1000) : undefined,
    sinceTime: f.str('since-time') || undefined, tailLines: tail !== undefined && tail >= 0 ? tail : undefined, timestamps: f.bool('timestamps') ? 'true' : undefined,
  });
  let partial = '';
  const emit = (text: string): void => {
    if (!prefix) return k.out(text);
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) k.out(`${prefix} ${l}\n`);
  };
  const res = await k.transport().stream({ method: 'GET', path, headers: { Accept: 'application/json, */*' } }, (c) => emit(c.toString('utf8')), k.signal);
  if (res.status >= 300) decode(res);
  // A transport may hand a short (unfollowed) log over whole instead of in chunks.
  if (res.body.length) emit(res.body.toString('utf8'));
  if (partial) k.out(`${prefix} ${partial}\n`);
}

async function runLogs(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const selector = f.str('selector');
  if (!args.length && !selector) throw usageError(k.cmdPath, "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
  if (selector && args.length) throw usageError(k.cmdPath, 'only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw usageError(k.cmdPath, "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
  if (f.has('since') && parseDuration(f.str('since')) === undefined) throw new CmdError(`invalid argument "${f.str('since')}" for "--since" flag`);
  const containerArg = f.str('container') || args[1] || '';
  if (selector) {
    const d = await k.discovery();
    const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(d.resolve('pods'), k.namespace) + query({ labelSelector: selector }));
    const tail = f.has('tail') ? f.int('tail') : 10;
    for (const pod of list.items ?? []) {
      const p = { apiVersion: 'v1', kind: 'Pod', ...pod };
      const container = containerFor(k, p, containerArg);
      await streamLog(k, p, container, tail, f.bool('prefix') ? `[pod/${p.metadata.name ?? ''}/${container}]` : '');
    }
    return 0;
  }
  let pod: KObject;
  try {
    ({ pod } = await podFor(k, args[0]));
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) throw new CmdError(`error from server (NotFound): ${e.message} in namespace "${k.namespace}"`);
    throw e;
  }
  const tail = f.has('tail') ? f.int('tail') : undefined;
  if (f.bool('all-containers')) {
    const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) await streamLog(k, pod, c.name, tail, f.bool('prefix') ? `[pod/${pod.metadata.name ?? ''}/${c.name}]` : '');
    return 0;
  }
  const container = containerFor(k, pod, containerArg);
  await streamLog(k, pod, container, tail, f.bool('prefix') ? `[pod/${pod.metadata.name ?? ''}/${container}]` : '');
  return 0;
}

export const logsCmd: Subcommand = { name: 'logs', flags: LOGS_FLAGS, run: runLogs };
