/**
 * Pathname expansion against the shell's filesystem: each `/`-separated piece of a pattern is
 * matched against a directory listing. Hidden names need a literal leading dot, `.` and `..` are
 * never produced (bash 5.2's globskipdots) and the result is sorted bytewise, as in the C locale.
 */
import { resolvePath, type FileSystem } from '../../host/sim/fs.ts';
import { isPattern, patternRegex, unescapePattern } from './pattern.ts';

/** The paths matching `pattern` (escaped as in pattern.ts), relative when it is; empty if none. */
export function expandPathname(pattern: string, cwd: string, fs: FileSystem): string[] {
  const absolute = pattern.startsWith('/');
  const pieces = pattern.split('/');
  if (absolute) pieces.shift();
  // Each candidate is the path as it will be printed; '' is the cwd itself.
  let found: string[] = [absolute ? '/' : ''];
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    const last = k === pieces.length - 1;
    const next: string[] = [];
    for (const pre of found) {
      const dir = resolvePath(cwd, pre || '.');
      if (piece === '') {
        // `a//b` or a trailing `/`: only directories continue.
        if (fs.isDir(dir)) next.push(pre.endsWith('/') ? pre : pre + '/');
        continue;
      }
      if (!isPattern(piece)) {
        const path = pre + unescapePattern(piece);
        const full = resolvePath(cwd, path);
        if (last ? fs.exists(full) : fs.isDir(full)) next.push(last ? path : path + '/');
        continue;
      }
      if (!fs.isDir(dir)) continue;
      const re = patternRegex(piece);
      const dotOk = piece.startsWith('.') || piece.startsWith('\\.');
      for (const name of fs.list(dir)) {
        if (name.startsWith('.') && !dotOk) continue;
        if (!re.test(name)) continue;
        if (last) next.push(pre + name);
        else if (fs.isDir(resolvePath(dir, name))) next.push(pre + name + '/');
      }
    }
    found = next;
    if (!found.length) return [];
  }
  // Candidates carry a trailing `/` between pieces; a pattern ending in `/` keeps it.
  const out = found.map((p) => (pattern.endsWith('/') || p === '/' ? p : p.replace(/\/$/, '')));
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
