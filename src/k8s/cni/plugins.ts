/**
 * The plugins podlab has in CNI_PATH, by type, and how one is invoked: with the caller's
 * parameters and a delegate that invokes another plugin of this set the way the reference
 * plugins exec their IPAM plugin (failing as libcni's FindInPath does when there is none).
 * Whatever a plugin throws comes out as the spec's error (a plain failure is code 999).
 */
import type { CmdArgs, CniCommand, Plugin } from './plugin.ts';
import type { PluginSys } from './sys.ts';
import { asCniError, CniError, ErrCode, type CniResult } from './types.ts';
import { bridge } from './bridge.ts';
import { ptp } from './ptp.ts';
import { hostLocal } from './host-local.ts';
import { loopback } from './loopback.ts';
import { portmap } from './portmap.ts';

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map<string, Plugin>([
  ['bridge', bridge],
  ['ptp', ptp],
  ['host-local', hostLocal],
  ['loopback', loopback],
  ['portmap', portmap],
]);

export const DEFAULT_BIN_DIR = '/opt/cni/bin';

/** FindInPath's failure. */
export function notInPath(type: string, path: string): CniError {
  return new CniError(ErrCode.Internal, `failed to find plugin ${JSON.stringify(type)} in path [${path.split(':').join(' ')}]`);
}

/** Runs the plugin `type` for `args`; rejects with a CniError. */
export async function invokePlugin(sys: PluginSys, type: string, args: CmdArgs): Promise<CniResult | undefined> {
  const plugin = PLUGINS.get(type);
  if (!plugin) throw notInPath(type, args.path);
  const delegate = (t: string, command: CniCommand, stdinData: string) => invokePlugin(sys, t, { ...args, command, stdinData });
  try {
    return await plugin(sys, args, delegate);
  } catch (e) {
    throw asCniError(e);
  }
}
