/** `-m comment --comment TEXT`: matches everything; the text is shown in listings. */
import { x6 } from './xtopt.ts';
import { XtError, type XtMatch } from './types.ts';
import { saveString } from './util.ts';

export const comment: XtMatch<{ text: string | undefined }> = {
  kind: 'match',
  name: 'comment',
  options: [{ name: 'comment', arg: true }],
  init: () => ({ text: undefined }),
  parse(d, _opt, arg) {
    if (d.text !== undefined) throw x6.once('comment', 'comment');
    // The kernel's field holds 256 bytes with the NUL; iptables-nft silently keeps the first 255.
    d.text = arg!.slice(0, 255);
  },
  final(d) {
    if (d.text === undefined) throw new XtError('comment: option "--comment" must be specified');
  },
  print: (d) => ` /* ${d.text} */`,
  save: (d) => ` --comment ${saveString(d.text!)}`,
  match: () => true,
};
