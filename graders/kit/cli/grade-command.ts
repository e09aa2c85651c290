import { findSubmissions, gradeSubmissions } from "../grade/grade-submissions.ts";
import { toJsonReport } from "../report/json.ts";
import { toTap } from "../report/tap.ts";
import { newSeed } from "../run/random.ts";
import { sharedLabProvider, type BackendChoice } from "../session.ts";
import { terminalProgress } from "../ui/progress.ts";

export interface GradeCommandOptions {
  format: "tap" | "json";
  exercise?: string[];
  backend: BackendChoice;
  seed?: number;
  transcripts: string;
}

/** Exit status 0 whenever every submission was graded, whatever the scores. */
export async function gradeCommand(dir: string, options: GradeCommandOptions): Promise<void> {
  const progress = terminalProgress();
  const provider = sharedLabProvider(options.backend, progress);
  try {
    const submissions = await findSubmissions(dir);
    const results = await gradeSubmissions(submissions, provider, {
      seed: options.seed ?? newSeed(),
      transcriptDir: options.transcripts,
      ...(options.exercise ? { exercises: options.exercise } : {}),
      onExercise: (submission, result) =>
        progress.done(
          `${submission.id} ${result.id}: ${result.gradable ? `${result.score}/${result.max}` : `not gradable (${result.reason})`}`,
        ),
    });
    process.stdout.write(options.format === "json" ? toJsonReport(results) : toTap(results));
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  } finally {
    await provider.close();
  }
}
