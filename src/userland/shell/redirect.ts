/**
 * Redirections: files, fd duplication, here-strings and here-documents. Applied left to right, so
 * `>f 2>&1` sends both to f while `2>&1 >f` does not. Output files are truncated when opened (as
 * the kernel does, so `sort f > f` empties f) and every write goes to the file at once, so a
 * background job's log can be read while it runs.
 */
import { FsError, resolvePath } from '../../host/sim/fs.ts';
import type { Redirect, Word } from './ast.ts';
import { expandFields, expandString, type Expander } from './expand.ts';
import { Input, type Io, type Sink } from './state.ts';

/** A failed redirection: the command is not run, bash prints `bash: line N: <message>`, status 1. */
export class RedirectError extends Error {}

const discard: Sink = () => {};

function rawOf(word: Word): string {
  return word.map((p) => (p.kind === 'lit' ? p.text : p.kind === 'param' ? `$${p.op ? `{${p.name}}` : p.name}` : p.kind === 'bad' ? p.text : '$(...)')).join('');
}

export async function applyRedirects(redirects: Redirect[], ex: Expander, io: Io): Promise<Io> {
  if (!redirects.length) return io;
  const state = ex.state;
  const fds: (Sink | undefined)[] = [undefined, io.stdout, io.stderr];
  let stdin = io.stdin;
  for (const r of redirects) {
    if (r.op === '<<<') {
      stdin = new Input((await expandString(r.target, ex)) + '\n');
      continue;
    }
    if (r.op === '<<' || r.op === '<<-') {
      stdin = new Input(await expandString(r.body ?? [], ex));
      continue;
    }
    const words = await expandFields(r.target, ex);
    if (words.length !== 1) throw new RedirectError(`${rawOf(r.target)}: ambiguous redirect`);
    const target = words[0];
    if (r.fd > 2) continue; // no such descriptors here; accept and ignore
    if (r.op === '>&' || r.op === '<&') {
      if (target === '-') fds[r.fd] = discard;
      else if (/^[12]$/.test(target)) {
        if (r.fd === 0) throw new RedirectError(`${target}: Bad file descriptor`);
        fds[r.fd] = fds[Number(target)];
      } else if (target === '0' && r.fd === 0) continue;
      else if (r.op === '>&' && r.fd === 1 && !/^\d+$/.test(target)) {
        // `>&file` is bash's old spelling of `&>file`.
        const sink = openOut(target, false, ex, fds);
        fds[1] = sink;
        fds[2] = sink;
      } else throw new RedirectError(`${target}: Bad file descriptor`);
      continue;
    }
    if (r.op === '<' || r.op === '<>') {
      if (r.op === '<>' && !state.fs.exists(resolvePath(state.cwd, target))) state.fs.write(resolvePath(state.cwd, target), '');
      const data = readIn(target, ex, io);
      if (r.fd === 0) stdin = new Input(data);
      continue;
    }
    const append = r.op === '>>' || r.op === '&>>';
    if (state.flags.noclobber && r.op === '>' && state.fs.exists(resolvePath(state.cwd, target)) && !state.fs.isDir(resolvePath(state.cwd, target)) && !target.startsWith('/dev/')) {
      throw new RedirectError(`${target}: cannot overwrite existing file`);
    }
    const sink = openOut(target, append, ex, fds);
    if (r.op === '&>' || r.op === '&>>') {
      fds[1] = sink;
      fds[2] = sink;
    } else if (r.fd === 0) continue;
    else fds[r.fd] = sink;
  }
  return { stdin, stdout: fds[1] ?? discard, stderr: fds[2] ?? discard };
}

function readIn(target: string, ex: Expander, io: Io): string {
  const { fs, cwd } = ex.state;
  const path = resolvePath(cwd, target);
  if (path === '/dev/null') return '';
  if (path === '/dev/stdin') return io.stdin.rest();
  if (fs.isDir(path)) throw new RedirectError(`${target}: Is a directory`);
  const data = fs.read(path);
  if (data === undefined) throw new RedirectError(`${target}: No such file or directory`);
  return data;
}

/** Opens an output file: truncates it now (unless appending); the sink appends each write. */
function openOut(target: string, append: boolean, ex: Expander, fds: (Sink | undefined)[]): Sink {
  const { fs, cwd } = ex.state;
  const path = resolvePath(cwd, target);
  if (path === '/dev/null') return discard;
  if (path === '/dev/stdout' || path === '/dev/fd/1') return fds[1] ?? discard;
  if (path === '/dev/stderr' || path === '/dev/fd/2') return fds[2] ?? discard;
  if (path === '/dev/tty') return fds[1] ?? discard;
  if (fs.isDir(path)) throw new RedirectError(`${target}: Is a directory`);
  try {
    if (!append || !fs.exists(path)) fs.write(path, '');
  } catch (e) {
    if (e instanceof FsError) throw new RedirectError(`${target}: ${e.message.slice(e.path.length + 2)}`);
    throw e;
  }
  return (t) => fs.append(path, t);
}
