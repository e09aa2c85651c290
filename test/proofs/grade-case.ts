// Grades a proof case for real in a lab machine, keeping its transcript.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import { readTranscript, transcriptsIn, type Transcript } from "../../graders/kit/grade/transcript.ts";
import type { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { newSeed } from "../../graders/kit/run/random.ts";
import type { ProofCase } from "./cases.ts";

/** A grade runs up to three bpftrace scripts, each bounded by the kit's limits; a script with #include parses headers first. */
export const gradeTimeoutMs = 900_000;

export async function gradeCase(proof: ProofCase, provider: LabProvider): Promise<{ result: ExerciseResult; transcript?: Transcript }> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-proof-"));
  const result = await gradeExercise(await loadExercise(proof.exercise), proof.submissionRoot, provider, { seed: newSeed(), transcripts: transcriptsIn(dir) });
  return result.transcript ? { result, transcript: await readTranscript(result.transcript) } : { result };
}
