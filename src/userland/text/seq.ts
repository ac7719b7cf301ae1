/** seq: print a sequence of numbers (-s separator, -w equal width, -f is not supported). */
import type { Command } from '../command.ts';

export const seq: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  let sep = '\n';
  let equalWidth = false;
  while (args.length && /^-[sw]/.test(args[0])) {
    const a = args.shift()!;
    if (a === '-w') equalWidth = true;
    else sep = a.length > 2 ? a.slice(2) : (args.shift() ?? '\n');
  }
  const nums = args.map(Number);
  if (!args.length || args.length > 3 || nums.some(Number.isNaN)) {
    ctx.stderr(args.length ? `seq: invalid floating point argument: '${args[nums.findIndex(Number.isNaN)] ?? args[3]}'\n` : 'seq: missing operand\n');
    ctx.stderr("Try 'seq --help' for more information.\n");
    return 1;
  }
  const [first, step, lastN] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  if (step === 0) {
    ctx.stderr(`seq: invalid Zero increment value: '${args[1]}'\n`);
    return 1;
  }
  const decimals = Math.max(...args.filter((_, k) => k !== 2 || args.length === 3).map((a) => (a.includes('.') ? a.split('.')[1].length : 0)));
  const out: string[] = [];
  for (let k = 0; ; k++) {
    const v = first + k * step;
    if (step > 0 ? v > lastN + 1e-9 : v < lastN - 1e-9) break;
    out.push(v.toFixed(decimals));
  }
  if (equalWidth) {
    const w = Math.max(...out.map((s) => s.replace('-', '').length));
    for (let k = 0; k < out.length; k++) out[k] = (out[k].startsWith('-') ? '-' : '') + out[k].replace('-', '').padStart(w, '0');
  }
  ctx.stdout(out.length ? out.join(sep) + '\n' : '');
  return 0;
};
