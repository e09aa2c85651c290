// When bpflab stops bpftrace for printing too much, the student is told so, whether it happened
// before or after the probes attached; bpflab's own kill is never reported as bpftrace refusing
// the script.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readTranscript } from "../../graders/kit/grade/transcript.ts";
import { describeEnding, describeRejection } from "../../graders/kit/grade/run-problems.ts";
import { bpftraceMessages, stderrExcerpt } from "../../graders/kit/grade/stderr-excerpt.ts";
import type { ScriptRun } from "../../graders/kit/run/script-run.ts";

function cappedRun(attachMs: number | undefined): ScriptRun {
  return {
    ending: "output-cap",
    exit: { kind: "signaled", signal: 9 },
    stdout: "Attaching 2 probes...\nwarning warning\n".repeat(10),
    stderr: "",
    stdoutBytes: 2_000_000,
    workloads: [],
    attachMs,
    totalMs: 5_000,
  };
}

describe("a run stopped at the output cap", () => {
  test("before attaching: every check fails with one sentence naming the limit, and the head of the output", () => {
    expect(describeRejection(cappedRun(undefined), "vfs-unlink.bt")).toEqual({
      ok: false,
      message:
        "bpftrace printed 2000000 bytes before the probes of vfs-unlink.bt were attached, over the output limit, and was stopped; print only what the task asks.",
      excerpt: ["Attaching 2 probes...", "warning warning", "Attaching 2 probes...", "warning warning", "Attaching 2 probes..."],
    });
    expect(describeEnding(cappedRun(undefined))).toMatch(/over the output limit/);
  });

  test("after attaching: the checks judge what was printed, with a note on the cut", () => {
    expect(describeRejection(cappedRun(1_200), "vfs-unlink.bt")).toBeUndefined();
    expect(describeEnding(cappedRun(1_200))).toBe(
      "(bpftrace was stopped after printing 2000000 bytes, over the output limit; the checks saw only the beginning: print only what the task asks.)",
    );
  });

  test("stopped once the workloads ended, with all it printed kept: the note says the checks read all of it", () => {
    const run = cappedRun(1_200);
    const whole = { ...run, stdoutBytes: Buffer.byteLength(run.stdout) };
    expect(describeEnding(whole)).toBe(
      `(bpftrace printed ${whole.stdoutBytes} bytes, over the output limit, and was stopped; the checks read all of it: print only what the task asks.)`,
    );
  });
});

// bpftrace's messages in the lab VM, recorded (fixtures/bpftrace-output/trixie/diagnostics), as the
// student sees them: whole, within the excerpt's 12 lines of 160 characters, with one line of
// lab advice for the lab's known pitfalls.
const recordings = new URL("../../fixtures/bpftrace-output/trixie/diagnostics/", import.meta.url);
const recordedEnd = z.object({
  ending: z.enum(["rejected", "stopped-by-sigint"]),
  exit: z.object({ kind: z.literal("exited"), code: z.number() }),
});

function recordedRun(name: string): ScriptRun {
  const read = (suffix: string) => readFileSync(new URL(`${name}${suffix}`, recordings), "utf8");
  const [, ending, exit] = /^# (\S+), (\{.*\})$/m.exec(read(".cmd")) ?? [];
  const end = recordedEnd.parse({ ending, exit: JSON.parse(exit ?? "null") });
  const stdout = read(".stdout.txt");
  return {
    ...end,
    stdout,
    stderr: read(".stderr.txt"),
    stdoutBytes: stdout.length,
    workloads: [],
    attachMs: end.ending === "rejected" ? undefined : 4_000,
    totalMs: 5_000,
  };
}

function rejection(name: string): { message: string; excerpt: readonly string[] } {
  const verdict = describeRejection(recordedRun(name), `${name}.bt`);
  if (verdict === undefined || verdict.ok) throw new Error(`${name}: not a rejection`);
  return { message: verdict.message, excerpt: verdict.excerpt ?? [] };
}

const words = (text: string) => text.replace(/\s+/g, " ").trim();
const bpftracePrefix = /^(?:.*?:\d+(?::\d+-\d+|-\d+): )?(?:ERROR|WARNING|HINT|BUG): /;

/** Per recording: bpftrace's first error as the message quotes it, and the lab's advice if any. */
const expected: Record<string, [first: string, advice?: string]> = {
  "fget-unclamped": [
    "Error loading BPF program for fexit_vmlinux_fget_1. Use -v for full kernel error log",
    "The kernel's verifier refused strcontains() on a name str() copied at its default length: clamp the name: `str(..., 32)`, see exercises/fget-retval/README.md.",
  ],
  "missing-header": [
    "definitions.h:2:10: fatal error: 'linux/dcache.h' file not found",
    "This lab machine has no header linux/dcache.h: leave out the #include and use the kernel's types as bpftrace knows them from BTF, without headers (args.dentry->d_name.name, or (struct dentry *)arg2 in a kprobe).",
  ],
  "kprobe-mid-instruction": [
    "Possible attachment attempt in the middle of an instruction, try a different offset",
    "The offset in kprobe:vfs_unlink+3 is not where one of the function's instructions starts: take offsets from a disassembly of the function (exercises/kprobe-args/README.md says how), or drop the offset; no graded task needs one.",
  ],
  "positional-missing-int": [
    "line 5: strcontains() only supports string arguments (int provided)",
    "$1 is a positional parameter, a value given after the script's name: the grader passes the one the exercise's README describes (new on every run); to try the script with one, run `npx bpflab run <path to positional-missing-int.bt> -- <value>`. Given none, $1 is 0 and str($1) is empty; where $1 is text, write str($1).",
  ],
  "positional-numeric": ['line 2: $1 used numerically but given "writer". Try using str($1)', "$1 is a positional parameter, a value given after the script's name: the grader passes the one the exercise's README describes (new on every run); to try the script with one, run `npx bpflab run <path to positional-numeric.bt> -- <value>`. Given none, $1 is 0 and str($1) is empty; where $1 is text, write str($1)."],
  "verifier-d-path": [
    "line 3: helper bpf_d_path not allowed in probe",
    "path() works only in the few kernel functions where the kernel allows it, not in this probe: print names from the dentry instead, str(...->d_name.name), and its parent's through ->d_parent.",
  ],
  "syntax-error": ["line 4: syntax error, unexpected map, expecting ; or }"],
  "unknown-function": ["line 5: Unknown function: contains"],
  "unknown-field": ["line 3: Struct/union of type 'struct dentry' does not contain a field named 'd_nme'"],
  "positional-missing-interval": ["lines 1-2: stoull"],
  "uprobe-mid-instruction": ["Could not add uprobe into middle of instruction: /lib/x86_64-linux-gnu/libc.so.6:malloc+1"],
  "long-line": ["line 1: Struct/union of type 'struct inode' does not contain a field named 'i_nr'"],
  "many-errors": ["line 3: Struct/union of type 'struct dentry' does not contain a field named 'd_nam'"],
};

describe("a script bpftrace refused, as recorded in the lab VM", () => {
  test("every recording is covered", () => {
    const rejected = readdirSync(recordings)
      .filter((file) => file.endsWith(".cmd"))
      .map((file) => file.slice(0, -".cmd".length))
      .filter((name) => recordedRun(name).ending === "rejected");
    expect(rejected.sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.entries(expected))("%s: bpftrace's first error, then the lab's advice when it has some", (name, [first, advice]) => {
    expect(rejection(name).message).toBe(
      `bpftrace did not run ${name}.bt: ${first}. ${advice === undefined ? "" : `${advice} `}Fix what bpftrace reports below, then grade again.`,
    );
  });

  test.each(Object.keys(expected).filter((name) => name !== "many-errors" && name !== "long-line"))(
    "%s: every line bpftrace printed reaches the student, and the excerpt is not cut when shown",
    (name) => {
      const { message, excerpt } = rejection(name);
      const shown = words(`${message}\n${excerpt.join("\n")}`);
      const stderr = recordedRun(name).stderr.split("\n").filter((line) => line.trim() !== "");
      for (const line of stderr) expect(shown).toContain(words(line.replace(bpftracePrefix, "")));
      expect(excerpt.length).toBeLessThanOrEqual(12);
      for (const line of excerpt) expect(line.length).toBeLessThanOrEqual(160);
    },
  );

  test("the lab's fget example: the whole warning, its source line and marker, then the verifier's refusal", () => {
    expect(rejection("fget-unclamped").excerpt).toEqual([
      "line 4: warning: strcontains() is known to have verifier complexity issues when the product of both string sizes is larger than ~2000 bytes.",
      "",
      "If you're seeing errors, try clamping the string sizes. For example:",
      "* `str($ptr, 16)`",
      "* `path($ptr, 16)`",
      '  if (strcontains(str(retval->f_path.dentry->d_name.name), "crack")) {',
      `     ${"~".repeat(62)}`,
      "Error loading BPF program for fexit_vmlinux_fget_1. Use -v for full kernel error log.",
      "Loading BPF object(s) failed.",
    ]);
  });

  test("a source line wider than the excerpt: source and marker cut to the same window, the marker under the field", () => {
    const [, source = "", marker = ""] = rejection("long-line").excerpt;
    expect(source.length).toBeLessThanOrEqual(160);
    expect(source.startsWith("...")).toBe(true);
    const underlined = source.slice(marker.indexOf("~"), marker.length);
    expect(underlined).toBe("args.dentry->d_parent->d_inode->i_nr");
  });

  test("more messages than fit: whole ones in bpftrace's order, then how many were left out", () => {
    const { excerpt } = rejection("many-errors");
    expect(excerpt).toHaveLength(10);
    expect(excerpt.filter((line) => line.startsWith("line "))).toEqual([
      "line 3: Struct/union of type 'struct dentry' does not contain a field named 'd_nam'",
      "line 3: str() expects an integer or a pointer type as first argument (none provided)",
      "line 4: Struct/union of type 'struct dentry' does not contain a field named 'd_parnt'",
    ]);
    expect(excerpt.at(-1)).toBe("(bpftrace printed 4 more messages: the run's transcript has them all)");
  });

  test("the READMEs the advice points to say what it says", () => {
    const readme = (id: string) => readFileSync(new URL(`../../exercises/${id}/README.md`, import.meta.url), "utf8");
    expect(readme("fget-retval")).toContain("`str(retval->f_path.dentry->d_name.name, 32)` is enough");
    expect(readme("kprobe-args")).toMatch(/take it from a disassembly of the\s+function/);
  });
});

describe("a script bpftrace accepted, as recorded in the lab VM", () => {
  test.each(["args-arrow", "positional-missing-str"])("%s: no verdict, the checks judge what it printed", (name) => {
    expect(describeRejection(recordedRun(name), `${name}.bt`)).toBeUndefined();
  });
});

describe("an error on a line range, as bpftrace 0.27 prints it in the forky lab", () => {
  test("the message, then every source line of the range", () => {
    const stderr = readFileSync(new URL("../../fixtures/bpftrace-output/forky/in-vm/error-multi-line.stderr.txt", import.meta.url), "utf8");
    expect(stderrExcerpt(stderr)).toEqual([
      "lines 5-7: not enough arguments for format string (2 supplied, 3 expected)",
      '  printf("%s %s %s\\n",',
      "         comm,",
      "         str(args.dentry->d_name.name));",
    ]);
  });
});

describe("the machine's memlock warning", () => {
  test("is left out, and the unprefixed lines bpftrace printed after it are kept", () => {
    // Recorded in a chroot without CAP_SYS_RESOURCE (fixtures/bpftrace-output/README.md).
    const stderr = readFileSync(new URL("../../fixtures/bpftrace-output/trixie/dry-run-verbose.stderr.txt", import.meta.url), "utf8");
    expect(stderr).toMatch(/^WARNING: .*RLIMIT_MEMLOCK.*\nAttaching tracepoint:lock:contention_begin\n/);
    const messages = bpftraceMessages(stderr);
    expect(messages[0]?.severity).toBe("other");
    expect(messages[0]?.message).toMatch(/^Attaching tracepoint:lock:contention_begin\n/);
    expect(stderrExcerpt(stderr)[0]).toBe("Attaching tracepoint:lock:contention_begin");
    expect(stderrExcerpt(stderr).join("\n")).not.toMatch(/RLIMIT_MEMLOCK/);
  });
});

describe("bpftrace crashing on a script it should run", () => {
  test("is said to be bpftrace's bug, with the way around it the script shows (bpftrace 0.27, recorded in the forky lab)", async () => {
    const transcript = await readTranscript(fileURLToPath(new URL("../../fixtures/transcripts/forky/vfs-write-args/right--define-macro.json", import.meta.url)));
    const [task] = transcript.tasks;
    const run = task?.attempts[0]?.run;
    if (!task || task.script.kind !== "ok" || !run) throw new Error("the recording holds the run of write-args.bt");
    expect(run.exit).toEqual({ kind: "signaled", signal: 11 });
    const verdict = describeRejection(run, "write-args.bt", task.script.text);
    expect(verdict?.ok).toBe(false);
    expect(verdict && !verdict.ok && verdict.message).toBe(
      "bpftrace did not run write-args.bt (bpftrace itself crashed, signal 11: a bug in bpftrace, not an error it found in your script). Some bpftrace versions crash on a #define whose body uses a positional parameter, as TRACED_COMMAND uses $1: write $1 (or str($1)) where TRACED_COMMAND stands, without the macro. Fix what bpftrace reports below, then grade again.",
    );
  });
});
