// `bpflab package prairielearn`: an external-grader image and an example question, in the fields of
// PrairieLearn's external grading documentation (PrairieLearn/PrairieLearn, docs/externalGrading.md,
// checked 2026-11-30): the question's info.json names the image and the entrypoint in
// `externalGradingOptions` (`enabled`, `image`, `entrypoint` with arguments, `timeout` in seconds,
// at most 600; no network unless `enableNetworking`); the student's files arrive in /grade/student,
// the question's data in /grade/data/data.json, and the entrypoint must create /grade/results and
// write results.json there. The lab image and the booted machine are baked into the image at build
// time, so grading needs no network and resumes the machine. PrairieLearn's grader hosts give each
// job 2 GiB of memory and 0.9 of a CPU by default (docs/assets/config-grader-host.schema.json:
// graderDockerMemory 2147483648, graderDockerCpuQuota 90000 of graderDockerCpuPeriod 100000).
import { randomUUID } from "node:crypto";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadExercise } from "../catalog.ts";
import type { Progress } from "../ui/progress.ts";
import { writeBpflabBundle } from "./bpflab-bundle.ts";
import { copyLabImage, platformEnvironment, platformPackages, vmSizeFor, type ContainerSize } from "./platform-image.ts";
import { exerciseFiles } from "./upload-layout.ts";

export const prairieLearnDefaultContainer: ContainerSize = { cpus: 0.9, memoryMb: 2048 };
/** PrairieLearn refuses a larger `timeout`. */
export const prairieLearnMaxTimeoutSeconds = 600;
const app = "/opt/bpflab/app";
export const prairieLearnEntrypoint = "/opt/bpflab/grade";

export interface PrairieLearnPackageOptions {
  /** The exercise the example question grades. */
  exercise: string;
  container: ContainerSize;
  /** Put this machine's lab image in the build context, so that the image build does not run mmdebstrap. */
  labImage: boolean;
  /** The name the image is pushed under, for the question's info.json. */
  image: string;
  exerciseTimeoutSeconds: number;
}

function dockerfile(options: PrairieLearnPackageOptions): string {
  const env = platformEnvironment({ cache: "/opt/bpflab/cache", vm: vmSizeFor(options.container) });
  return `# bpflab's external grader for PrairieLearn, for grading containers of ${options.container.cpus} CPUs and ${options.container.memoryMb} MB.
#   docker build -t ${options.image} . && docker push ${options.image}
# The build needs the network (Debian packages, npm, and the lab image unless lab-image/ holds it);
# grading does not. BASE is any Debian or Ubuntu image with Node 20 or later.
ARG BASE=node:20-bookworm-slim
FROM \${BASE}
ENV ${env.map(([name, value]) => `${name}=${value}`).join(" \\\n    ")}
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${platformPackages.join(" ")} >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
COPY lab-image/ /opt/bpflab/cache/
COPY bpflab/ ${app}/
WORKDIR ${app}
RUN npm ci --no-audit --no-fund --omit=dev
# The lab image and the booted machine, saved for the VM size above: grading resumes it.
RUN node bin/bpflab.js autograder prepare
COPY grade ${prairieLearnEntrypoint}
`;
}

function entrypoint(options: PrairieLearnPackageOptions): string {
  return `#!/usr/bin/env bash
# PrairieLearn runs this for every submission: "${prairieLearnEntrypoint} <exercise>" in the question's
# externalGradingOptions.entrypoint (or the exercise in data.json's params.exercise). The student's
# files are in /grade/student; the results go to /grade/results/results.json.
set -euo pipefail
exercises=()
if [ $# -gt 0 ]; then exercises=(--exercise "$@"); fi
cd ${app}
exec node bin/bpflab.js autograder grade /grade/student --for prairielearn \\
  --results /grade/results/results.json --prairielearn-data /grade/data/data.json \\
  --transcripts /tmp/bpflab-runs --exercise-timeout ${options.exerciseTimeoutSeconds} "\${exercises[@]}"
`;
}

async function exampleQuestion(dir: string, options: PrairieLearnPackageOptions): Promise<void> {
  const exercise = await loadExercise(options.exercise);
  const files = exerciseFiles(exercise);
  const info = {
    uuid: randomUUID(),
    title: `bpftrace: ${exercise.title}`,
    topic: "Kernel tracing",
    tags: ["bpflab", exercise.id],
    type: "v3",
    singleVariant: true,
    gradingMethod: "External",
    externalGradingOptions: {
      enabled: true,
      image: options.image,
      entrypoint: `${prairieLearnEntrypoint} ${exercise.id}`,
      // Two attempts (the second on a fresh machine, after a lost one) must fit.
      timeout: Math.min(prairieLearnMaxTimeoutSeconds, 2 * options.exerciseTimeoutSeconds + 60),
    },
  };
  const html = `<pl-question-panel>
  <p>${exercise.title}: write ${files.map((file) => `<code>${file}</code>`).join(", ")} as <code>exercises/${exercise.id}/README.md</code> asks, try it with
  <code>npm test exercises/${exercise.id}</code>, then upload ${files.length === 1 ? "it" : "them"} here. bpflab grades your
  scripts in a lab VM against fresh workloads: the checks below say what is right and what to fix.</p>
  <pl-file-upload file-names="${files.join(", ")}"></pl-file-upload>
</pl-question-panel>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
`;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "info.json"), `${JSON.stringify(info, null, 2)}\n`);
  await writeFile(join(dir, "question.html"), html);
}

/** Writes the image's build context in `outDir`/grader/ and the example question in `outDir`/questions/. */
export async function writePrairieLearnPackage(sourceRoot: string, outDir: string, options: PrairieLearnPackageOptions, progress: Progress): Promise<void> {
  const grader = join(outDir, "grader");
  await rm(grader, { recursive: true, force: true });
  await mkdir(join(grader, "lab-image"), { recursive: true });
  await writeFile(join(grader, "Dockerfile"), dockerfile(options));
  await writeFile(join(grader, "grade"), entrypoint(options));
  await chmod(join(grader, "grade"), 0o755);
  await writeBpflabBundle(sourceRoot, join(grader, "bpflab"));
  if (options.labImage) await copyLabImage(join(grader, "lab-image"), progress);
  await exampleQuestion(join(outDir, "questions", `bpflab-${options.exercise}`), options);
}
