/**
 * The images podlab knows: each image's ENTRYPOINT and CMD as `docker image inspect` reports
 * them, and from those a container's argv under Kubernetes' rules. Image names are normalised
 * as containerd does (`nginx` → `docker.io/library/nginx:latest`) for crictl/ctr/docker
 * output. An image podlab does not know runs the `generic` program (generic.ts), which serves
 * the container's declared ports.
 */

export interface ImageConfig {
  /** The normalised reference: `docker.io/library/nginx:latest`, `registry.k8s.io/pause:3.9`. */
  ref: string;
  entrypoint: string[];
  cmd: string[];
}

type Known = { entrypoint?: string[]; cmd?: string[] };

const PAUSE: Known = { entrypoint: ['/pause'] };
const AGNHOST: Known = { entrypoint: ['/agnhost'], cmd: ['pause'] };
const COREDNS: Known = { entrypoint: ['/coredns'] };
const BUSYBOX: Known = { cmd: ['sh'] };

/** Repository (normalised, without tag or digest) → its image config. */
const IMAGES: Record<string, Known> = {
  'registry.k8s.io/pause': PAUSE,
  'k8s.gcr.io/pause': PAUSE,
  'k8s.gcr.io/pause-amd64': PAUSE,
  'gcr.io/google_containers/pause': PAUSE,
  'gcr.io/google_containers/pause-amd64': PAUSE,
  'docker.io/hashicorp/http-echo': { entrypoint: ['/http-echo'] },
  'docker.io/library/busybox': BUSYBOX,
  'registry.k8s.io/e2e-test-images/busybox': BUSYBOX,
  'docker.io/library/alpine': { cmd: ['/bin/sh'] },
  'docker.io/library/ubuntu': { cmd: ['/bin/bash'] },
  'docker.io/library/debian': { cmd: ['bash'] },
  'docker.io/nicolaka/netshoot': { cmd: ['zsh'] },
  'docker.io/curlimages/curl': { entrypoint: ['/entrypoint.sh'], cmd: ['curl'] },
  'docker.io/library/nginx': { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] },
  'registry.k8s.io/e2e-test-images/agnhost': AGNHOST,
  'k8s.gcr.io/e2e-test-images/agnhost': AGNHOST,
  'gcr.io/kubernetes-e2e-test-images/agnhost': AGNHOST,
  'registry.k8s.io/coredns/coredns': COREDNS,
  'k8s.gcr.io/coredns/coredns': COREDNS,
  'k8s.gcr.io/coredns': COREDNS,
  'docker.io/coredns/coredns': COREDNS,
  // The seeds' Node.js hello servers (003: node-hello on 8080; 001: an Express app on 3000).
  'gcr.io/google-samples/node-hello': { cmd: ['/bin/sh', '-c', 'node server.js'] },
  'docker.io/wardviaene/k8s-demo': { cmd: ['/bin/sh', '-c', 'npm start'] },
};

/** What an unknown image runs. */
const GENERIC: Known = { entrypoint: ['/generic'] };

/**
 * Normalises an image reference as containerd (docker/distribution's ParseNormalizedNamed)
 * does: a first component without `.` or `:` that is not `localhost` is a Docker Hub name,
 * official images get `library/`, and `:latest` is added when there is neither tag nor digest.
 */
export function normalizeImage(image: string): string {
  let name = image.trim();
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain = 'docker.io';
  let path = name;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${domain}/${path}${tag || digest ? tag : ':latest'}${digest}`;
}

/** The repository of a normalised reference: without its tag and digest. */
function repository(ref: string): string {
  const noDigest = ref.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/** An image's normalised reference, ENTRYPOINT and CMD (an unknown image runs `/generic`). */
export function resolveImage(image: string): ImageConfig {
  const ref = normalizeImage(image);
  const known = IMAGES[repository(ref)] ?? GENERIC;
  return { ref, entrypoint: [...(known.entrypoint ?? [])], cmd: [...(known.cmd ?? [])] };
}

/** Whether podlab knows the image (else it runs the generic server). */
export function isKnownImage(image: string): boolean {
  return repository(normalizeImage(image)) in IMAGES;
}

/**
 * The argv a container runs, as containerd builds it from the pod's command/args and the
 * image: a non-empty `command` replaces ENTRYPOINT and drops CMD (args follow it); otherwise
 * non-empty `args` replace CMD after the ENTRYPOINT. Throws "no command specified" when
 * nothing is left, as containerd does.
 */
export function containerArgv(image: string, command?: string[], args?: string[]): string[] {
  const img = resolveImage(image);
  const argv = command && command.length > 0 ? [...command, ...(args ?? [])] : [...img.entrypoint, ...(args && args.length > 0 ? args : img.cmd)];
  if (argv.length === 0) throw new Error('no command specified');
  return argv;
}
