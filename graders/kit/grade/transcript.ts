// Every graded run leaves a transcript a student or instructor can open after a failure:
// the script, its arguments, the seed, where it ran, and everything it printed.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScriptRun } from "../run/script-run.ts";
import type { ExerciseResult } from "./results.ts";

export interface TaskTranscript {
  task: string;
  script: string | undefined;
  args: string[] | undefined;
  plan: unknown;
  run: ScriptRun | undefined;
}

export interface TranscriptWriter {
  write(result: ExerciseResult, tasks: TaskTranscript[]): Promise<string>;
}

export function transcriptsIn(dir: string, submission = ""): TranscriptWriter {
  return {
    async write(result, tasks) {
      const stamp = new Date().toISOString().replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
      const folder = join(dir, [submission, result.id, stamp].filter(Boolean).join("-"));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, "transcript.json"), `${JSON.stringify({ ...result, tasks }, null, 2)}\n`);
      for (const [index, task] of tasks.entries()) {
        if (task.script !== undefined) await writeFile(join(folder, `${index}-script.bt`), task.script);
        if (task.run) {
          await writeFile(join(folder, `${index}-stdout.txt`), task.run.stdout);
          await writeFile(join(folder, `${index}-stderr.txt`), task.run.stderr);
        }
      }
      return folder;
    },
  };
}
