// `bpflab package gradescope`: autograder.zip in the layout of Gradescope's autograder
// specification (gradescope/autograder_samples, docs/specs.md): setup.sh and run_autograder at the
// root of the zip. Gradescope unpacks it into /autograder/source, runs setup.sh once as root while
// it builds the image (Ubuntu, network on), copies run_autograder to /autograder/run_autograder
// and runs it for every submission, with the upload in /autograder/submission; the score goes to
// /autograder/results/results.json. The containers have no KVM and are not privileged: the VM runs
// under TCG, sized for the container the assignment's Autograder Settings give
// (docs/troubleshooting.md: 768 MB and half a CPU by default, too small for the VM).
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { requireTools } from "../../../vm/system-tools.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import type { Progress } from "../ui/progress.ts";
import { writeBpflabBundle } from "./bpflab-bundle.ts";
import { copyLabImage, platformEnvironment, platformPackages, vmSizeFor, type ContainerSize } from "./platform-image.ts";

/**
 * Gradescope's "1.0 CPU, 1.5 GB" setting: the whole lab graded in about a minute, well within the
 * default 10-minute limit, peak memory 900 MB (README). The default half CPU and 768 MB is too small.
 */
export const gradescopeDefaultContainer: ContainerSize = { cpus: 1, memoryMb: 1536 };
const source = "/autograder/source";
export const gradescopeCache = "/autograder/bpflab-cache";

export interface GradescopePackageOptions {
  exercises: readonly string[];
  container: ContainerSize;
  /** Put this machine's lab image in the zip, so that setup.sh does not build it. */
  labImage: boolean;
  hiddenVisibility: HiddenVisibility;
  exerciseTimeoutSeconds: number;
}

function setupScript(): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu, network on):
# system packages, Node 20, bpflab's npm packages, then the lab image and the booted lab machine,
# saved so that grading a submission resumes it instead of booting it.
set -euo pipefail
cd "$(dirname "$0")"
source ./bpflab.env
export DEBIAN_FRONTEND=noninteractive

apt-get update -qq
apt-get install -y -qq --no-install-recommends ${platformPackages.join(" ")} curl >/dev/null

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  # Ubuntu's own nodejs is older than 20: Node's official build, checked against its published SHA-256.
  dist=https://nodejs.org/dist/latest-v20.x
  curl -fsSL "$dist/SHASUMS256.txt" -o /tmp/SHASUMS256.txt
  tarball=$(awk '/ node-v20[.0-9]*-linux-x64[.]tar[.]xz$/ { print $2 }' /tmp/SHASUMS256.txt)
  curl -fsSL "$dist/$tarball" -o "/tmp/$tarball"
  (cd /tmp && grep " $tarball\\$" SHASUMS256.txt | sha256sum -c --quiet -)
  tar -xJf "/tmp/$tarball" -C /usr/local --strip-components=1 --no-same-owner
fi

if [ -d lab-image ]; then
  # The lab image bpflab package --lab-image put in the zip: moved, not copied (500 MB).
  mkdir -p "$BPFLAB_CACHE"
  mv lab-image/* "$BPFLAB_CACHE"/
fi

cd bpflab
npm ci --no-audit --no-fund --omit=dev
node bin/bpflab.js autograder prepare
`;
}

function runScript(options: GradescopePackageOptions): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission (copied to /autograder/run_autograder): the upload is in
# /autograder/submission; the results go to /autograder/results/results.json. The student's scripts
# run only in the lab VM, which resumes the machine setup.sh saved.
set -euo pipefail
source ${source}/bpflab.env
cd ${source}/bpflab
exec node bin/bpflab.js autograder grade /autograder/submission --for gradescope \\
  --results /autograder/results/results.json --transcripts /autograder/bpflab-runs \\
  --hidden-visibility ${options.hiddenVisibility} --exercise-timeout ${options.exerciseTimeoutSeconds} \\
  --exercise ${options.exercises.join(" ")}
`;
}

function environmentFile(options: GradescopePackageOptions): string {
  const settings = { cache: gradescopeCache, vm: vmSizeFor(options.container) };
  const lines = platformEnvironment(settings).map(([name, value]) => `export ${name}=${value}`);
  return `# Written by bpflab package gradescope, for Autograder Settings of ${options.container.cpus} CPUs and ${options.container.memoryMb} MB:\n# the booted lab machine is saved for this VM size, and grading checks that the container still fits it.\n${lines.join("\n")}\n`;
}

/** Writes `outDir`/autograder/ and `outDir`/autograder.zip; returns the zip's path. */
export async function writeGradescopePackage(sourceRoot: string, outDir: string, options: GradescopePackageOptions, progress: Progress): Promise<string> {
  await requireTools([{ command: "zip", debianPackage: "zip" }], progress);
  const staging = join(outDir, "autograder");
  const zip = join(outDir, "autograder.zip");
  await rm(staging, { recursive: true, force: true });
  await rm(zip, { force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, "setup.sh"), setupScript());
  await writeFile(join(staging, "run_autograder"), runScript(options));
  await chmod(join(staging, "setup.sh"), 0o755);
  await chmod(join(staging, "run_autograder"), 0o755);
  await writeFile(join(staging, "bpflab.env"), environmentFile(options));
  await writeBpflabBundle(sourceRoot, join(staging, "bpflab"));
  if (options.labImage) await copyLabImage(join(staging, "lab-image"), progress);
  // Files at the root of the zip, not in a folder: Gradescope looks for setup.sh there.
  await execa("zip", ["-q", "-r", "-y", zip, "."], { cwd: staging });
  return zip;
}
