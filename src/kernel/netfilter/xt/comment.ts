/** `-m comment --comment TEXT`: matches everything; the text is shown in listings. */
import { XtError, type XtMatch } from './types.ts';
import { saveString } from './util.ts';

export const comment: XtMatch<{ text: string | undefined }> = {
  kind: 'match',
  name: 'comment',
  options: [{ name: 'comment', arg: true }],
  init: () => ({ text: undefined }),
  parse(d, _opt, arg) {
    if (d.text !== undefined) throw new XtError('comment: "--comment" option may only be specified once');
    if (arg!.length > 255) throw new XtError(`comment: argument to "--comment" is too long (max. 255 chars)`);
    d.text = arg!;
  },
  final(d) {
    if (d.text === undefined) throw new XtError('comment: option "--comment" must be specified');
  },
  print: (d) => ` /* ${d.text} */`,
  save: (d) => ` --comment ${saveString(d.text!)}`,
  match: () => true,
};
