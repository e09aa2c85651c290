import ora, { type Ora } from "ora";
import type { VmProgress } from "../../../vm/progress.ts";

/** What a student sees while they wait: a spinner on a terminal, plain lines elsewhere. */
export type Progress = VmProgress;
export { silentProgress } from "../../../vm/progress.ts";

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return plainProgress(stream);
  let spinner: Ora | undefined;
  return {
    step(text) {
      if (spinner) spinner.text = text;
      else spinner = ora({ text, stream }).start();
    },
    done(text) {
      (spinner ?? ora({ stream })).succeed(text);
      spinner = undefined;
    },
    fail(text) {
      (spinner ?? ora({ stream })).fail(text);
      spinner = undefined;
    },
  };
}

export function plainProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  const write = (text: string) => stream.write(`bpflab: ${text}\n`);
  return { step: write, done: write, fail: write };
}

