/**
 * Prints commands back as bash does for `jobs` (its make_command_string): words as written,
 * single spaces, `> file` redirections, loops and conditionals over several lines.
 */
import type { AndOr, CommandNode, List, Pipeline, Redirect } from './ast.ts';

const INDENT = '    ';

function redirect(r: Redirect): string {
  const fd = r.explicitFd ? String(r.fd) : '';
  if (r.op === '>&' || r.op === '<&') return `${fd}${r.op}${r.raw}`;
  if (r.op === '<<' || r.op === '<<-') return `${fd}${r.op}${r.raw}`;
  return `${fd}${r.op} ${r.raw}`;
}

function withRedirects(text: string, rs: Redirect[]): string {
  return rs.length ? `${text} ${rs.map(redirect).join(' ')}` : text;
}

/** A list inline: `a; b` (for `{ a; b; }` and `( a; b )`). */
function inline(list: List): string {
  return list.map((a) => printAndOr(a) + (a.background ? ' &' : '')).join('; ');
}

/** A list as a block: one command a line, each ending in `;` (the last one of a case body excepted). */
function block(list: List, indent: string, lastSemi = true): string {
  return list.map((a, k) => `${indent}${printAndOr(a, indent)}${a.background ? ' &' : k < list.length - 1 || lastSemi ? ';' : ''}`).join('\n');
}

export function printAndOr(node: AndOr, indent = ''): string {
  let s = printPipeline(node.first, indent);
  for (const { op, pipeline } of node.rest) s += ` ${op} ${printPipeline(pipeline, indent)}`;
  return s;
}

function printPipeline(p: Pipeline, indent: string): string {
  return p.commands.map((c, k) => printCommand(c, indent) + (k < p.commands.length - 1 ? (p.stderrToo[k] ? ' |&' : ' |') : '')).join(' ');
}

export function printCommand(c: CommandNode, indent = ''): string {
  const inner = indent + INDENT;
  switch (c.type) {
    case 'simple':
      return withRedirects([...c.assigns.map((a) => a.raw), ...c.raws].join(' '), c.redirects);
    case 'group':
      return withRedirects(`{ ${inline(c.body)}; }`, c.redirects);
    case 'subshell':
      return withRedirects(`( ${inline(c.body)} )`, c.redirects);
    case 'if': {
      let s = '';
      c.clauses.forEach((cl, k) => {
        s += `${k === 0 ? 'if' : `\n${indent}elif`} ${inline(cl.cond)}; then\n${block(cl.body, inner)}`;
      });
      if (c.otherwise) s += `\n${indent}else\n${block(c.otherwise, inner)}`;
      return withRedirects(`${s}\n${indent}fi`, c.redirects);
    }
    case 'while':
    case 'until':
      return withRedirects(`${c.type} ${inline(c.cond)}; do\n${block(c.body, inner)}\n${indent}done`, c.redirects);
    case 'for': {
      const head = c.words ? `for ${c.name} in ${(c.raws ?? []).join(' ')};` : `for ${c.name};`;
      return withRedirects(`${head}\n${indent}do\n${block(c.body, inner)}\n${indent}done`, c.redirects);
    }
    case 'arithfor':
      return withRedirects(`for ((${c.raw}))\n${indent}do\n${block(c.body, inner)}\n${indent}done`, c.redirects);
    case 'case': {
      const items = c.items.map((it) => `${inner}${it.raws.join(' | ')})\n${block(it.body, inner + INDENT, false)}\n${inner}${it.end}`).join('\n');
      return withRedirects(`case ${c.raw} in \n${items}\n${indent}esac`, c.redirects);
    }
    case 'arith':
      return withRedirects(`((${c.raw}))`, c.redirects);
    case 'cond':
      return withRedirects(c.raw, c.redirects);
    case 'function':
      return `${c.name} () \n${printCommand(c.body, indent)}`;
  }
}
