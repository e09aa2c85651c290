// One line of advice for each pitfall students of this lab are known to hit, recognised in
// bpftrace's messages (recorded in fixtures/bpftrace-output/trixie/diagnostics). bpftrace's own text
// says what went wrong; this says what to do about it here, in the lab.
import type { Diagnostic, DiagnosticSeverity } from "../bpftrace/diagnostics.ts";

/** A message of this severity whose text (message, source line, marker) matches. */
interface Clue {
  severity: DiagnosticSeverity;
  text: RegExp;
}

interface Pitfall {
  /** Every clue must be found, each in some message of the run. */
  clues: readonly Clue[];
  /** found[i] is clues[i]'s match; script is the file name, e.g. "fget.bt". */
  advice(found: readonly RegExpExecArray[], script: string): string;
}

const pitfalls: readonly Pitfall[] = [
  // strcontains() on unclamped strings (the lab's fget example)
  {
    clues: [
      { severity: "warning", text: /strcontains\(\) is known to have verifier complexity issues/ },
      { severity: "error", text: /^Error loading BPF program/ },
    ],
    advice: () =>
      "The kernel's verifier refused strcontains() on a name str() copied at its default length: clamp the name: `str(..., 32)`, see exercises/fget-retval/README.md.",
  },
  // A header this machine lacks
  {
    clues: [{ severity: "error", text: /'([^']+)' file not found/ }],
    advice: ([missing]) =>
      `This lab machine has no header ${missing?.[1]}: leave out the #include and use the kernel's types as bpftrace knows them from BTF, without headers (args.dentry->d_name.name, or (struct dentry *)arg2 in a kprobe).`,
  },
  // A kprobe offset inside an instruction
  {
    clues: [
      { severity: "error", text: /middle of an instruction/ },
      { severity: "error", text: /Error attaching probe: (\S+)/ },
    ],
    advice: ([, probe]) =>
      `The offset in ${probe?.[1]} is not where one of the function's instructions starts: take offsets from a disassembly of the function (exercises/kprobe-args/README.md says how), or drop the offset; no graded task needs one.`,
  },
  // A positional parameter
  {
    clues: [{ severity: "error", text: /\$(\d+)/ }],
    advice: ([parameter], script) => {
      const name = `$${parameter?.[1]}`;
      return `${name} is a positional parameter, a value given after the script's name: the grader passes the one the exercise's README describes (new on every run); to try the script with one, run \`npx bpflab run <path to ${script}> -- <value>\`. Given none, ${name} is 0 and str(${name}) is empty; where ${name} is text, write str(${name}).`;
    },
  },
  // path() where the kernel does not allow it
  {
    clues: [{ severity: "error", text: /helper bpf_d_path not allowed in probe/ }],
    advice: () =>
      "path() works only in the few kernel functions where the kernel allows it, not in this probe: print names from the dentry instead, str(...->d_name.name), and its parent's through ->d_parent.",
  },
];

function firstMatch(clue: Clue, diagnostics: readonly Diagnostic[]): RegExpExecArray | undefined {
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity !== clue.severity) continue;
    const match = clue.text.exec(diagnostic.excerpt === "" ? diagnostic.message : `${diagnostic.message}\n${diagnostic.excerpt}`);
    if (match) return match;
  }
  return undefined;
}

/**
 * bpftrace crashes without a message on some scripts it should run: the script shows which. 0.27
 * crashes (SIGSEGV) loading a #define whose body uses a positional parameter (the forky lab's facts).
 */
export function crashAdvice(signal: number | undefined, scriptText: string): string[] {
  if (signal !== 11) return [];
  const macro = macroWithPositional(scriptText);
  if (!macro) return [];
  return [`Some bpftrace versions crash on a #define whose body uses a positional parameter, as ${macro.name} uses ${macro.parameter}: write ${macro.parameter} (or str(${macro.parameter})) where ${macro.name} stands, without the macro.`];
}

/** A #define whose body uses a positional parameter ($1), the first one in the script. */
export function macroWithPositional(scriptText: string): { name: string; parameter: string } | undefined {
  const match = /^\s*#define\s+(\w+)\s.*(\$\d)/m.exec(scriptText);
  return match?.[1] && match[2] ? { name: match[1], parameter: match[2] } : undefined;
}

/** The advice for every pitfall the run's messages show, in the table's order. */
export function labAdvice(diagnostics: readonly Diagnostic[], script: string): string[] {
  return pitfalls.flatMap((pitfall) => {
    const found = pitfall.clues.map((clue) => firstMatch(clue, diagnostics));
    const all = found.filter((match) => match !== undefined);
    return all.length === found.length ? [pitfall.advice(all, script)] : [];
  });
}
