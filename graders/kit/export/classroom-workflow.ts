// .github/workflows/classroom.yml in the students' repository: GitHub Classroom's autograding, with
// partial credit. Classroom adds up autograding steps, each worth its max-score when its command
// exits 0 and nothing otherwise (education/autograding-command-grader; the points reach Classroom
// through classroom-resources/autograding-grading-reporter, which sums every runner's max_score and
// score). Its users ask for partial credit (education/autograding issue 146, community discussion
// 122791). So one step grades every exercise once in the lab VM, and each visible check is a step
// of its own, worth the check's points, that reads that one run (cli/classroom-check.ts). Hidden
// checks are not in the students' repository, and no step names them.
// The layout follows the workflow Classroom writes: the workflow named "Autograding Tests", the job
// skipped for github-classroom[bot]'s own commits, checks: write for the reporter.
import type { Exercise } from "../exercise.ts";

export const classroomWorkflowPath = ".github/workflows/classroom.yml";
/** Where the grading step writes its reports (bpflab grade --out), in the runner's checkout. */
export const classroomGradeOut = ".bpflab/classroom";

export interface ClassroomStep {
  id: string;
  name: string;
  exercise: string;
  check: string;
  points: number;
}

/** One step per check students see, in the order of the exercises and their tasks. */
export function classroomSteps(exercises: readonly Exercise[]): ClassroomStep[] {
  return exercises.flatMap((exercise) =>
    exercise.tasks.flatMap((task) =>
      task.checks
        .filter((check) => !check.hidden)
        .map((check) => ({ id: `${exercise.id}-${check.id}`, name: `${exercise.id}: ${check.name}`, exercise: exercise.id, check: check.id, points: check.points })),
    ),
  );
}

/** The command a step runs, as the command grader runs it: PATH and HOME only, in the checkout. */
export function classroomCheckCommand(step: ClassroomStep): string {
  return `npx tsx graders/kit/cli/classroom-check.ts ${classroomGradeOut} ${step.exercise} ${step.check}`;
}

const quoted = (text: string) => JSON.stringify(text);

export function classroomWorkflow(exercises: readonly Exercise[]): string {
  const steps = classroomSteps(exercises);
  const checkSteps = steps.map(
    (step) => `      - name: ${quoted(step.name)}
        id: ${step.id}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: ${quoted(step.name)}
          command: ${quoted(classroomCheckCommand(step))}
          timeout: 2
          max-score: ${step.points}`,
  );
  const results = steps.map((step) => `          ${step.id.toUpperCase()}_RESULTS: "\${{ steps.${step.id}.outputs.result }}"`);
  return `# Written by bpflab export-student. GitHub Classroom's autograding: every push is graded once, in the
# lab VM, then each check is an autograding step worth its points, so partial work earns partial
# credit. The grading step's log shows every check's message; so does \`npm test\` on your machine.
name: Autograding Tests
on:
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-24.04
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 45
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: system packages and KVM
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends qemu-system-x86 mmdebstrap debian-archive-keyring cpio e2fsprogs xz-utils gcc libc6-dev
          # GitHub's Linux runners have KVM; this udev rule (GitHub's, for hardware-accelerated
          # emulators) lets the runner's user open /dev/kvm. Without it the VM runs under TCG: slower, still correct.
          echo 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"' | sudo tee /etc/udev/rules.d/99-kvm4all.rules
          sudo udevadm control --reload-rules
          sudo udevadm trigger --name-match=kvm
      - name: lab image cache
        uses: actions/cache@v4
        with:
          path: ~/.cache/bpflab
          key: bpflab-image-\${{ hashFiles('vm/recipe/**', 'vm/guest/**', 'fixtures/workloads/**') }}
      - run: npm ci --no-audit --no-fund
      - name: grade every exercise once, in the lab VM
        # As root: the lab image's first build runs mmdebstrap, whose unprivileged mode needs user
        # namespaces, which ubuntu-24.04 runners restrict (actions/runner-images#10443). Exit status 1
        # means some exercise could not be graded: the job stops and Classroom records nothing for
        # this push rather than a zero; push again to regrade.
        run: sudo env "PATH=$PATH" "BPFLAB_CACHE=$HOME/.cache/bpflab" BPFLAB_DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg npx bpflab grade exercises --out ${classroomGradeOut}
${checkSteps.join("\n")}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
${results.join("\n")}
        with:
          runners: ${steps.map((step) => step.id).join(",")}
`;
}
