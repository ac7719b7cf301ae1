/**
 * An in-memory filesystem for a simulated host: regular files and directories, absolute paths.
 * It is plain data (a map of path to content) so a host's state can be saved and restored.
 */

/** Why a file operation failed; /proc and /sys files add the errors their handlers return. */
const FS_ERRORS = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EINVAL: 'Invalid argument',
  EPERM: 'Operation not permitted',
  EACCES: 'Permission denied',
  ERANGE: 'Numerical result out of range',
  EBUSY: 'Device or resource busy',
} as const;

export class FsError extends Error {
  constructor(readonly path: string, readonly reason: keyof typeof FS_ERRORS) {
    super(`${path}: ${FS_ERRORS[reason]}`);
  }
}

export interface FileSystem {
  /** File content, or undefined if there is no such file. */
  read(path: string): string | undefined;
  /** Creates or replaces a file; parent directories are created as needed. */
  write(path: string, data: string): void;
  append(path: string, data: string): void;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  remove(path: string): boolean;
  /** Names directly inside a directory, sorted. */
  list(dir: string): string[];
}

/** Normalises an absolute or cwd-relative path: resolves `.`, `..` and repeated slashes. */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

export class MemFs implements FileSystem {
  private files = new Map<string, string>();
  private dirs = new Set<string>(['/']);

  constructor(initial: Record<string, string> = {}) {
    for (const [p, d] of Object.entries(initial)) this.write(p, d);
  }

  read(path: string): string | undefined {
    return this.files.get(resolvePath('/', path));
  }

  write(path: string, data: string): void {
    const p = resolvePath('/', path);
    if (this.dirs.has(p)) throw new FsError(p, 'EISDIR');
    this.mkdirs(p.slice(0, p.lastIndexOf('/')) || '/');
    this.files.set(p, data);
  }

  append(path: string, data: string): void {
    this.write(path, (this.read(path) ?? '') + data);
  }

  exists(path: string): boolean {
    const p = resolvePath('/', path);
    return this.files.has(p) || this.dirs.has(p);
  }

  isDir(path: string): boolean {
    return this.dirs.has(resolvePath('/', path));
  }

  remove(path: string): boolean {
    return this.files.delete(resolvePath('/', path));
  }

  list(dir: string): string[] {
    const d = resolvePath('/', dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p !== d && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  mkdirs(dir: string): void {
    let cur = '';
    for (const part of dir.split('/').filter(Boolean)) {
      cur += '/' + part;
      if (this.files.has(cur)) throw new FsError(cur, 'ENOTDIR');
      this.dirs.add(cur);
    }
  }

  /** Plain-data snapshot, for saving a host's state to a file. */
  toJSON(): { files: Record<string, string>; dirs: string[] } {
    return { files: Object.fromEntries(this.files), dirs: [...this.dirs] };
  }

  static fromJSON(j: { files: Record<string, string>; dirs: string[] }): MemFs {
    const fs = new MemFs();
    for (const d of j.dirs) fs.mkdirs(d);
    for (const [p, d] of Object.entries(j.files)) fs.files.set(p, d);
    return fs;
  }
}

/**
 * A process's view of a host's files with some replaced (a pod's /etc/resolv.conf, /etc/hosts):
 * reads of the replaced paths see the overlay, everything else (and every write) the host's.
 */
export class OverlayFs implements FileSystem {
  private readonly top: Map<string, string>;

  constructor(
    private readonly base: FileSystem,
    files: Record<string, string>,
  ) {
    this.top = new Map(Object.entries(files).map(([p, d]) => [resolvePath('/', p), d]));
  }

  read(path: string): string | undefined {
    const p = resolvePath('/', path);
    return this.top.has(p) ? this.top.get(p) : this.base.read(p);
  }

  write(path: string, data: string): void {
    const p = resolvePath('/', path);
    if (this.top.has(p)) this.top.set(p, data);
    else this.base.write(p, data);
  }

  append(path: string, data: string): void {
    this.write(path, (this.read(path) ?? '') + data);
  }

  exists(path: string): boolean {
    return this.top.has(resolvePath('/', path)) || this.base.exists(path);
  }

  isDir(path: string): boolean {
    return this.base.isDir(path);
  }

  remove(path: string): boolean {
    const p = resolvePath('/', path);
    return this.top.delete(p) || this.base.remove(p);
  }

  list(dir: string): string[] {
    const d = resolvePath('/', dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set(this.base.list(d));
    for (const p of this.top.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    return [...names].sort();
  }
}
