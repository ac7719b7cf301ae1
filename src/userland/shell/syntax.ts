/** What every part of the parser shares: its error, and the characters that end an unquoted word. */

/** A syntax error; `message` is what bash prints after `bash: `. */
export class ShellSyntaxError extends Error {}

/** Characters that end an unquoted word on a command line. */
export const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
