// `bpflab package gradescope|prairielearn --out DIR`: what an instructor uploads to a grading
// platform (kit/package/). The packages run bpflab itself, with the instructor's graders and
// hidden checks; students' scripts run only in the lab VM inside the platform's container.
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exerciseIds } from "../catalog.ts";
import { gradescopeDefaultContainer, writeGradescopePackage } from "../package/gradescope.ts";
import { describeContainer, vmSizeFor, type ContainerSize } from "../package/platform-image.ts";
import type { Platform } from "../package/platform-results.ts";
import { prairieLearnDefaultContainer, writePrairieLearnPackage } from "../package/prairielearn.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { terminalProgress } from "../ui/progress.ts";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface PackageCommandOptions {
  out: string;
  exercise?: string[];
  cpus?: number;
  memoryMb?: number;
  labImage?: boolean;
  image: string;
  hiddenVisibility: HiddenVisibility;
  exerciseTimeout: number;
}

function containerFor(platform: Platform, options: PackageCommandOptions): ContainerSize {
  const defaults = platform === "gradescope" ? gradescopeDefaultContainer : prairieLearnDefaultContainer;
  return { cpus: options.cpus ?? defaults.cpus, memoryMb: options.memoryMb ?? defaults.memoryMb };
}

export async function packageCommand(platform: Platform, options: PackageCommandOptions): Promise<void> {
  const progress = terminalProgress();
  try {
    const out = resolve(options.out);
    await mkdir(out, { recursive: true });
    const container = containerFor(platform, options);
    const exercises = options.exercise ?? exerciseIds();
    const known = new Set(exerciseIds());
    const unknown = exercises.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new Error(`there is no exercise ${unknown.join(", ")}; known exercises: ${[...known].join(", ")}`);
    const sized = describeContainer(container, vmSizeFor(container));
    const common = { container, labImage: options.labImage ?? false, exerciseTimeoutSeconds: options.exerciseTimeout };
    if (platform === "gradescope") {
      const zip = await writeGradescopePackage(repoRoot, out, { ...common, exercises, hiddenVisibility: options.hiddenVisibility }, progress);
      process.stderr.write(`bpflab: wrote ${zip} for ${sized}; upload it under Configure Autograder and choose that size under Autograder Settings\n`);
      return;
    }
    const [exercise, ...others] = exercises;
    if (!exercise || others.length > 0) throw new Error("a PrairieLearn package's example question grades one exercise: name it with --exercise <id>");
    await writePrairieLearnPackage(repoRoot, out, { ...common, exercise, image: options.image }, progress);
    process.stderr.write(`bpflab: wrote ${out}/grader (docker build -t ${options.image} ${out}/grader) and ${out}/questions/bpflab-${exercise}, for ${sized}\n`);
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
