#!/usr/bin/env node
// The podlab command: loads the TypeScript sources through tsx and hands over to the CLI.
import { register } from 'tsx/esm/api';
// `podlab ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
