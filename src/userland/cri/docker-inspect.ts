/**
 * The docker engine's view of a Kubernetes pod's containers on a Docker node (dockershim /
 * cri-dockerd): the pause container owns the network (NetworkMode "none" under CNI, "host" for
 * hostNetwork pods), app containers join it (`container:<pause id>`), pod annotations become
 * `annotation.`-prefixed labels. `containerJSON` is `docker inspect`'s ContainerJSON, fields in
 * the engine API's order, marked as Go structs so `--format` prints and fails as docker does.
 */
import { createHash } from 'node:crypto';
import { goStruct } from '../text/gotemplate.ts';
import { containerEnv, cgroupsPath } from './spec.ts';
import { dockerName, entryCreated, entryId, imageId, pauseImageId, rfc3339Nano, type Entry } from './state.ts';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

export function dockerLabels(e: Entry): Record<string, string> {
  const annotations = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, v]) => [`annotation.${k}`, v]));
  if (e.kind === 'sandbox') {
    const sb = e.sb;
    return {
      ...annotations(sb.annotations), ...sb.labels, 'io.kubernetes.container.name': 'POD', 'io.kubernetes.docker.type': 'podsandbox',
      'io.kubernetes.pod.name': sb.name, 'io.kubernetes.pod.namespace': sb.namespace, 'io.kubernetes.pod.uid': sb.uid,
    };
  }
  return { ...annotations(e.c.annotations), ...e.c.labels, 'io.kubernetes.container.logpath': e.c.logPath, 'io.kubernetes.docker.type': 'container', 'io.kubernetes.sandbox.id': e.c.sandboxId };
}

/** running, exited or created, as the engine names its states. */
export function dockerState(e: Entry): 'running' | 'exited' | 'created' {
  if (e.kind === 'sandbox') return e.sb.state === 'SANDBOX_READY' ? 'running' : 'exited';
  return e.c.state === 'CONTAINER_RUNNING' ? 'running' : e.c.state === 'CONTAINER_CREATED' ? 'created' : 'exited';
}

export const pathAndArgs = (e: Entry): string[] => (e.kind === 'sandbox' ? ['/pause'] : e.c.argv);
export const dockerImage = (e: Entry): string => (e.kind === 'sandbox' ? e.sb.image : e.c.image);
export const startedAt = (e: Entry): number => (e.kind === 'sandbox' ? e.sb.createdAt : e.c.startedAt);
export const finishedAt = (e: Entry): number => (e.kind === 'sandbox' ? (e.sb.state === 'SANDBOX_READY' ? 0 : e.sb.createdAt) : e.c.finishedAt);
export const exitCode = (e: Entry): number => (e.kind === 'sandbox' ? 0 : e.c.exitCode);
export const pid = (e: Entry): number => (dockerState(e) !== 'running' ? 0 : e.kind === 'sandbox' ? e.sb.pid : e.c.pid);

export function networkMode(e: Entry): string {
  if (e.kind === 'container') return `container:${e.c.sandboxId}`;
  return e.sb.hostNetwork ? 'host' : 'none';
}

function networkSettings(e: Entry): object {
  const mode = networkMode(e);
  const sb = e.sb;
  const networks: Record<string, object> = {};
  if (e.kind === 'sandbox') {
    networks[mode] = goStruct(
      {
        IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', NetworkID: hex(`network/${mode}`), EndpointID: e.sb.state === 'SANDBOX_READY' ? hex(`endpoint/${e.sb.id}`) : '',
        Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DriverOpts: null, DNSNames: null,
      },
      '*network.EndpointSettings',
    );
  }
  return goStruct(
    {
      Bridge: '', SandboxID: e.kind === 'sandbox' ? hex(`sandbox/${e.sb.id}`) : '', SandboxKey: e.kind === 'sandbox' && sb?.netns ? `/var/run/netns/${sb.netns}` : '',
      Ports: {}, HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0, SecondaryIPAddresses: null, SecondaryIPv6Addresses: null,
      EndpointID: '', Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', MacAddress: '', Networks: networks,
    },
    '*types.NetworkSettings',
  );
}

/** `docker inspect`'s object for one container. */
export function containerJSON(e: Entry): Record<string, unknown> {
  const id = entryId(e);
  const sb = e.sb;
  const [path, ...args] = pathAndArgs(e);
  const dir = `/var/lib/docker/containers/${id}`;
  const state = dockerState(e);
  const mode = networkMode(e);
  return goStruct(
    {
      Id: id,
      Created: rfc3339Nano(entryCreated(e)),
      Path: path,
      Args: args,
      State: goStruct(
        {
          Status: state, Running: state === 'running', Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: pid(e), ExitCode: exitCode(e), Error: '',
          StartedAt: rfc3339Nano(state === 'created' ? 0 : startedAt(e)), FinishedAt: rfc3339Nano(state === 'exited' ? finishedAt(e) : 0),
        },
        '*types.ContainerState',
      ),
      Image: e.kind === 'sandbox' ? pauseImageId(e.sb) : imageId(e.c),
      ResolvConfPath: e.kind === 'sandbox' ? `${dir}/resolv.conf` : `/var/lib/docker/containers/${e.c.sandboxId}/resolv.conf`,
      HostnamePath: e.kind === 'sandbox' ? `${dir}/hostname` : `/var/lib/docker/containers/${e.c.sandboxId}/hostname`,
      HostsPath: sb ? `/var/lib/kubelet/pods/${sb.uid}/etc-hosts` : '',
      LogPath: `${dir}/${id}-json.log`,
      Name: `/${dockerName(e)}`,
      RestartCount: 0,
      Driver: 'overlay2',
      Platform: 'linux',
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      ExecIDs: null,
      HostConfig: goStruct(
        {
          Binds: null, ContainerIDFile: '', LogConfig: goStruct({ Type: 'json-file', Config: { 'max-size': '100m' } }, 'container.LogConfig'),
          NetworkMode: mode, PortBindings: {}, RestartPolicy: goStruct({ Name: 'no', MaximumRetryCount: 0 }, 'container.RestartPolicy'), AutoRemove: false,
          IpcMode: e.kind === 'sandbox' ? 'shareable' : `container:${e.c.sandboxId}`, PidMode: '', UTSMode: e.kind === 'sandbox' && sb?.hostNetwork ? 'host' : '',
          CgroupParent: sb ? cgroupsPath(sb, '').replace(/\/$/, '') : '', Privileged: false, ReadonlyRootfs: false, ShmSize: 67108864,
        },
        '*container.HostConfig',
      ),
      Mounts: [],
      Config: goStruct(
        {
          Hostname: sb?.hostname ?? '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false, OpenStdin: false, StdinOnce: false,
          Env: e.kind === 'container' && sb ? containerEnv(e.c, sb) : ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
          Cmd: e.kind === 'sandbox' ? null : args, Image: dockerImage(e), Volumes: null, WorkingDir: '', Entrypoint: [path], OnBuild: null, Labels: dockerLabels(e),
        },
        '*container.Config',
      ),
      NetworkSettings: networkSettings(e),
    },
    '*types.ContainerJSON',
  );
}
