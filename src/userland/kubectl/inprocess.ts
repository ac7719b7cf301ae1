/**
 * podlab's kubectl wired to a control plane in the same process: API requests through the
 * handler with no sockets, and exec and port-forward handed to the pod runtime after the
 * checks the API server makes on an upgrade (the pod exists, has a runtime, the container is valid).
 */
import { badRequest } from '../../k8s/api/errors.ts';
import { resourceByPlural } from '../../k8s/api/resources.ts';
import { createApiHandler, type ApiHandlerOptions } from '../../k8s/apiserver/handler.ts';
import { pickContainer } from '../../k8s/apiserver/logs.ts';
import { inProcessTransport } from '../../k8s/apiserver/transport.ts';
import type { ControlPlane } from '../../k8s/controlplane.ts';
import type { KubectlTransport } from './transport.ts';

/** The transport `podlab://` kubeconfigs resolve to: `cp` served in process, streams to `opts.runtime`. */
export function inProcessKubectlTransport(cp: ControlPlane, opts: ApiHandlerOptions = {}): KubectlTransport {
  const base = inProcessTransport(createApiHandler(cp, opts));
  const pods = resourceByPlural('', 'pods')!;
  const runtime = opts.runtime;
  return {
    ...base,
    exec: async (req, io) => {
      const pod = cp.registry.get(pods, req.namespace, req.pod);
      if (!runtime) throw badRequest(`pod ${req.pod} does not have a host assigned`);
      return runtime.exec({ ...req, container: pickContainer(pod, req.container) }, io);
    },
    portForward: async (namespace, name, port) => {
      cp.registry.get(pods, namespace, name);
      if (!runtime) throw badRequest(`pod ${name} does not have a host assigned`);
      return runtime.portForward(namespace, name, port);
    },
  };
}
