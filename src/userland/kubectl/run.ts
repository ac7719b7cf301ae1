/** `kubectl run NAME --image=…`: the Pod kubectl generates (label run=NAME, restart policy, command or args after `--`), optionally exposed. */
import type { KObject } from '../../k8s/api/object.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { jsonMergePatch } from '../../k8s/api/patch/merge.ts';
import { generatedMeta, DRY_RUN_FLAG, dryRunOf, nameLine, query, withDryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, usageError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { forDisplay, OBJECT_FORMATS, parseOutput, printGeneric } from './output.ts';

const RUN_FLAGS: FlagSpec[] = [
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'annotations', kind: 'array' },
  { name: 'attach', kind: 'bool' },
  { name: 'cascade', kind: 'string', noOptDefault: 'background' },
  { name: 'command', kind: 'bool' },
  DRY_RUN_FLAG,
  { name: 'env', kind: 'array' },
  { name: 'expose', kind: 'bool' },
  { name: 'field-manager', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'force', kind: 'bool' },
  { name: 'grace-period', kind: 'int' },
  { name: 'image', kind: 'string' },
  { name: 'image-pull-policy', kind: 'string' },
  { name: 'labels', short: 'l', kind: 'string' },
  { name: 'leave-stdin-open', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'override-type', kind: 'string' },
  { name: 'overrides', kind: 'string' },
  { name: 'pod-running-timeout', kind: 'duration' },
  { name: 'port', kind: 'string' },
  { name: 'privileged', kind: 'bool' },
  { name: 'quiet', short: 'q', kind: 'bool' },
  { name: 'restart', kind: 'string' },
  { name: 'rm', kind: 'bool' },
  { name: 'save-config', kind: 'bool' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'template', kind: 'string' },
  { name: 'timeout', kind: 'duration' },
  { name: 'tty', short: 't', kind: 'bool' },
  { name: 'wait', kind: 'bool' },
];

function parseMap(s: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new CmdError(`invalid ${what} spec: ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

async function runRun(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const dash = f.parsed.dashAt;
  const before = dash >= 0 ? args.slice(0, dash) : args;
  if (before.length === 0) throw usageError(k.cmdPath, 'NAME is required for run');
  const name = before[0];
  const rest = [...before.slice(1), ...(dash >= 0 ? args.slice(dash) : [])];
  const image = f.str('image');
  if (!image) throw new CmdError('required flag(s) "image" not set');
  const restart = f.str('restart', 'Always');
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CmdError(`invalid restart policy: ${restart}`);
  if (f.bool('expose') && !f.str('port')) throw new CmdError('--port must be set when exposing a service');
  if (f.bool('rm') && !(f.bool('stdin') || f.bool('attach'))) throw new CmdError('--rm should only be used for attached containers');
  if (f.bool('stdin') || f.bool('attach') || f.bool('tty')) throw new CmdError("podlab's kubectl cannot attach to a container yet; run the pod, then use kubectl exec or kubectl logs");
  const dry = dryRunOf(k);
  const labels = f.str('labels') ? parseMap(f.str('labels'), 'label') : { run: name };
  const annotations = f.list('annotations').length ? parseMap(f.list('annotations').join(','), 'annotation') : undefined;
  const container: Record<string, unknown> = { name, image };
  if (rest.length) container[f.bool('command') ? 'command' : 'args'] = rest;
  if (f.list('env').length) container.env = f.list('env').map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  if (f.str('image-pull-policy')) container.imagePullPolicy = f.str('image-pull-policy');
  if (f.str('port')) container.ports = [{ containerPort: Number(f.str('port')) }];
  container.resources = {};
  if (f.bool('privileged')) container.securityContext = { privileged: true };
  let pod: KObject = {
    kind: 'Pod', apiVersion: 'v1',
    metadata: generatedMeta({ name, labels, ...(annotations ? { annotations } : {}) }),
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  if (f.str('overrides')) pod = jsonMergePatch(pod, JSON.parse(f.str('overrides'))) as KObject;
  const d = await k.discovery();
  const fieldManager = f.str('field-manager', 'kubectl-run');
  const dryQ = dry === 'server' ? 'All' : undefined;
  // The pod is created first; with --expose its service follows and is reported before it.
  const podRes = d.resolve('pods');
  let created = pod;
  if (dry !== 'client') created = await k.client().call<KObject>('POST', resourcePath(podRes, k.namespace) + query({ dryRun: dryQ, fieldManager }), pod);
  if (f.bool('expose')) {
    const svcRes = d.resolve('services');
    const port = Number(f.str('port'));
    const svc: KObject = { kind: 'Service', apiVersion: 'v1', metadata: generatedMeta({ name }), spec: { ports: [{ port, protocol: 'TCP', targetPort: port }], selector: labels }, status: { loadBalancer: {} } };
    if (dry !== 'client') await k.client().call('POST', resourcePath(svcRes, k.namespace) + query({ dryRun: dryQ, fieldManager }), svc);
    k.out(nameLine(svcRes, name, withDryRun('created', dry)));
  }
  const output = f.str('output');
  if (output && output !== 'name') k.out(printGeneric(parseOutput(output, OBJECT_FORMATS), forDisplay(created, podRes, f.bool('show-managed-fields'))));
  else k.out(nameLine(podRes, name, withDryRun('created', dry), output === 'name'));
  return 0;
}

export const runCmd: Subcommand = { name: 'run', flags: RUN_FLAGS, run: runRun };
