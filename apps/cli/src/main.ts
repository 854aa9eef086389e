// The foxhound CLI's entry point: parses the command line, runs the command, prints an error as one
// line (`foxhound: ...`) and exits with the code the README documents. Ctrl+C exits 130.
import { CommanderError } from 'commander';
import { CliError, oneLine } from './errors';
import { EXIT } from './exit-codes';
import { buildProgram } from './program';

async function main(): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(process.env, (c) => (code = c));
  try {
    await program.parseAsync(process.argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed its own message (or the help/version text) already.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const exitCode = err instanceof CliError ? err.exitCode : EXIT.server;
    // On a terminal, first clear the spinner's line.
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}foxhound: ${oneLine(err)}\n`);
    return exitCode;
  }
}

process.once('SIGINT', () => {
  process.stderr.write('\n');
  process.exit(EXIT.interrupted);
});

void main().then((code) => {
  process.exitCode = code;
  // Open sockets (a stream the gateway keeps open) must not keep the process alive once done.
  setImmediate(() => process.exit(code));
});
