// Hostile and broken submissions, graded for real in the lab machine: each gets a clear
// verdict, bounded in time and output, and never takes the grading of others down with it.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { pass } from "../../graders/kit/exercise.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import { vmBackend } from "../../graders/kit/machine/vm/vm-backend.ts";
import { defaultLimits } from "../../graders/kit/run/script-run.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { newSeed } from "../../graders/kit/run/random.ts";
import { vfsUnlinkVariant } from "../support/vfs-unlink-variant.ts";
import { unlinker } from "../../graders/kit/workloads/unlinker.ts";
import { shell } from "../support/shell-workload.ts";

const hostile = fileURLToPath(new URL("../../fixtures/hostile", import.meta.url));
const vfsUnlinkChecks = 5;

async function gradeHostile(name: string): Promise<ExerciseResult> {
  return gradeExercise(await loadExercise("vfs-unlink"), join(hostile, name), sharedLabProvider("vm", silentProgress), { seed: newSeed() });
}

function messages(result: ExerciseResult): string[] {
  return result.checks.map((check) => check.message);
}

describe("scripts bpftrace refuses", () => {
  test("a syntax error fails every check with bpftrace's own message, line and caret", async () => {
    const result = await gradeHostile("syntax-error");
    expect(result.gradable).toBe(true);
    expect(result.score).toBe(0);
    expect(result.checks).toHaveLength(vfsUnlinkChecks);
    for (const check of result.checks) {
      expect(check.message).toMatch(/^bpftrace did not run vfs-unlink\.bt: line 4: syntax error/);
      expect(check.excerpt.join("\n")).toMatch(/@unlinks = count\(\);\n\s*~+/);
    }
  });

  test("a semantic error names the unknown field", async () => {
    const result = await gradeHostile("semantic-error");
    expect(result.score).toBe(0);
    expect(messages(result)[0]).toMatch(/line 3: .*d_nme/);
  });

  test("system() is refused: bpflab never runs scripts with --unsafe", async () => {
    const result = await gradeHostile("unsafe-system");
    expect(result.score).toBe(0);
    expect(messages(result)[0]).toMatch(/unsafe/i);
  });
});

describe("scripts that misbehave while running", () => {
  // Under TCG bpftrace itself prints only a hundred KB/s or so, and a run lasts about half a
  // second after attach, so the caps are lowered to make the cut certain; the mechanism is the
  // same at the default 1 MiB and 8 MiB.
  test("an output flood is cut at the flood cap even while the workload runs, and said so; the head is kept", async () => {
    const provider = sharedLabProvider("vm", silentProgress);
    const result = await gradeExercise(await loadExercise("vfs-unlink"), join(hostile, "flood"), provider, {
      seed: 3,
      limits: { ...defaultLimits, outputCapBytes: 8 * 1024, floodCapBytes: 8 * 1024 },
    });
    expect(result.gradable).toBe(true);
    expect(result.notes.join("\n"), messages(result).join("; ")).toMatch(
      /vfs-unlink\.bt: \(bpftrace was stopped after printing \d+ bytes, over the output limit; the checks saw only the beginning/,
    );
    for (const check of result.checks.filter((checked) => !checked.ok)) {
      expect(check.message).toMatch(/over the output limit/);
      expect(check.excerpt.join("\n")).toContain("flood flood");
    }
  });

  test("a flood past the output cap while the workload runs is kept until bpftrace is stopped as usual: its lines for the workload are judged, and the note names the limit", async () => {
    const provider = sharedLabProvider("vm", silentProgress);
    const result = await gradeExercise(await loadExercise("vfs-unlink"), join(hostile, "flood"), provider, {
      seed: 4,
      limits: { ...defaultLimits, outputCapBytes: 8 * 1024 },
    });
    expect(result.gradable).toBe(true);
    expect(result.notes.join("\n"), messages(result).join("; ")).toMatch(
      /vfs-unlink\.bt: \(bpftrace printed \d+ bytes, over the output limit, and was stopped; the checks read all of it/,
    );
    const passed = result.checks.filter((check) => check.ok).map((check) => check.id);
    expect(passed, messages(result).join("; ")).toEqual(expect.arrayContaining(["probe", "every-file", "comm", "parent"]));
  });

  test("print() of an enormous struct a thousand times a second is bounded, and excerpts stay readable", async () => {
    const started = Date.now();
    const result = await gradeHostile("huge-struct");
    expect(result.score).toBe(0);
    const excerpt = result.checks.flatMap((check) => check.excerpt);
    expect(excerpt.join("\n")).toContain(".thread_info");
    for (const line of excerpt) expect(line.length).toBeLessThan(200);
    expect(Date.now() - started).toBeLessThan(90_000);
  });

  test("bpftrace that takes too long to exit after SIGINT is killed, and what it printed is still checked", async () => {
    const provider = sharedLabProvider("vm", silentProgress);
    const result = await gradeExercise(await loadExercise("vfs-unlink"), fileURLToPath(new URL("../../solutions", import.meta.url)), provider, {
      seed: 7,
      // Killed 1 ms after SIGINT, bpftrace never drains its buffers at exit: the settle time must.
      limits: { ...defaultLimits, exitTimeoutMs: 1, settleMs: 3_000 },
    });
    expect(result.gradable).toBe(true);
    expect(result.score).toBe(result.max);
  });
});

describe("a script that reads the workload's record while it runs", () => {
  // The workload's stdout is a pipe to the grader; root can open it through /proc and read
  // records before the grader does. The workload numbers its records, so that shows. A slow
  // workload keeps the pipe open while bpftrace's cat() runs.
  const slowUnlinker = vfsUnlinkVariant("vfs-unlink against a slow unlinker", {
    name: "vfs-unlink.bt",
    plan: () => null,
    workloads: { unlinker },
    launch: () => ({
      unlinker: {
        comm: "slow-unlinker",
        steps: Array.from({ length: 8 }, (_, index) => [
          { op: "unlink" as const, dir: "/tmp/slow", name: `f${index}` },
          { op: "pause" as const, us: 300_000 },
        ]).flat(),
      },
    }),
    checks: [{ id: "whole", name: "judged only when the record is whole", points: 1, verify: () => pass }],
  });

  test("fails its checks, saying the record reached the grader incomplete", async () => {
    const result = await gradeExercise(slowUnlinker, join(hostile, "reads-records"), sharedLabProvider("vm", silentProgress), { seed: 9 });
    expect(result.gradable, result.reason).toBe(true);
    expect(result.score).toBe(0);
    expect(messages(result)[0]).toMatch(/^the workload unlinker's record of what it did reached the grader incomplete \(.*\): something read its standard output/);
  });

  test("the same workload with the reference script is whole, and graded", async () => {
    const result = await gradeExercise(slowUnlinker, fileURLToPath(new URL("../../solutions", import.meta.url)), sharedLabProvider("vm", silentProgress), { seed: 9 });
    expect(result.score, messages(result).join("; ")).toBe(1);
  });
});

describe("files a student's editor may produce", () => {
  test("CRLF line endings and a byte-order mark are normalized and the script graded", async () => {
    const result = await gradeHostile("crlf-bom");
    expect(result.score, messages(result).join("; ")).toBe(result.max);
  });
});

describe("a submission that kills the lab machine", () => {
  // The workload is a shell reading its plan on stdin: it crashes the guest kernel.
  const crash = ["echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger"];
  const panics = vfsUnlinkVariant("Crashes the lab machine on purpose", {
    name: "panic",
    plan: () => null,
    workloads: { shell },
    launch: () => ({ shell: { commands: crash } }),
    checks: [{ id: "never", name: "never reached: the machine is gone", points: 1, verify: () => pass }],
  });

  test("once: graded again on a new machine, and the report says why", async () => {
    let crashes = 0;
    const panicsOnce = vfsUnlinkVariant("Crashes the lab machine the first time", {
      name: "panic once",
      plan: () => null,
      workloads: { shell },
      launch: () => ({ shell: { commands: crashes++ === 0 ? crash : [] } }),
      checks: [{ id: "second-machine", name: "judged on the second machine", points: 1, verify: () => pass }],
    });
    const provider = new LabProvider([vmBackend()], silentProgress, untrustedSubmissions);
    try {
      const result = await gradeExercise(panicsOnce, fileURLToPath(new URL("../../solutions", import.meta.url)), provider, { seed: 4 });
      expect(result.gradable, result.reason).toBe(true);
      expect(result.score).toBe(1);
      expect(result.notes[0]).toMatch(/^the lab machine failed while grading \(the lab machine stopped .*\); graded again on a new one$/);
    } finally {
      await provider.close();
    }
  }, 300_000);

  test("is detected within seconds, retried once, reported not gradable, and the next exercise is still graded", async () => {
    const provider = new LabProvider([vmBackend()], silentProgress, untrustedSubmissions);
    const solutions = fileURLToPath(new URL("../../solutions", import.meta.url));
    try {
      const started = Date.now();
      const crashed = await gradeExercise(panics, solutions, provider, { seed: 1 });
      expect(crashed.gradable).toBe(false);
      expect(crashed.score).toBe(0);
      expect(crashed.reason).toMatch(/failed twice/);
      expect(crashed.reason, crashed.reason).toMatch(/stopped|panic|answering/i);
      // Two boots and two crashes: seconds each, not the minutes a hang would take.
      expect(Date.now() - started).toBeLessThan(90_000);

      const next = await gradeExercise(await loadExercise("vfs-unlink"), solutions, provider, { seed: 2 });
      expect(next.gradable).toBe(true);
      expect(next.score).toBe(next.max);
    } finally {
      await provider.close();
    }
  }, 300_000);
});
