/** Error numbers the model returns and their strerror texts (glibc's, which the tools print). */

export const STRERROR = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  ERANGE: 'Numerical result out of range',
  ELOOP: 'Too many levels of symbolic links',
  EMSGSIZE: 'Message too long',
  EPROTONOSUPPORT: 'Protocol not supported',
  EOPNOTSUPP: 'Operation not supported',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'No route to host',
  EPIPE: 'Broken pipe',
} as const;

export type Errno = keyof typeof STRERROR;

/**
 * A failed kernel request: the errno and, for netlink, the extended ack message iproute2 prints
 * as `Error: <extack>` instead of `RTNETLINK answers: <strerror>`.
 */
export class KernelError extends Error {
  constructor(
    readonly errno: Errno,
    readonly extack?: string,
  ) {
    super(extack ?? STRERROR[errno]);
  }

  get strerror(): string {
    return STRERROR[this.errno];
  }
}
