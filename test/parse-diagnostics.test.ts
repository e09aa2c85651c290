// bpftrace's stderr recorded in both labs: v0.23.2 (fixtures/bpftrace-output/trixie) and v0.27.0
// (fixtures/bpftrace-output/forky), error-*.bt scripts in a chroot (see record.sh there) and more in
// the lab machines (in-vm/); and scripts bpftrace 0.23.2 refuses, run in the trixie lab VM the way
// the grader runs a student's (fixtures/bpftrace-output/trixie/diagnostics, see its README).
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, parseDiagnostics, type Diagnostic } from "../graders/kit/bpftrace/diagnostics.ts";
import { recorded, recordedLabs, type RecordedLab } from "./support/bpftrace-recordings.ts";

const stderrOf = (lab: RecordedLab, name: string) => recorded(lab, `${name}.stderr.txt`);

// Every run in the recording chroot warns about RLIMIT_MEMLOCK first; 0.27 also about tracefs.
const rlimitWarning: Diagnostic = {
  severity: "warning",
  message:
    'Unknown error -1: couldn\'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem',
  excerpt: "",
};
const tracefsWarning: Diagnostic = {
  severity: "warning",
  message:
    "Could not read functions from /sys/kernel/tracing/available_filter_functions. If this is expected, use --traceable-functions to set this path manually. This file is needed in order to determine which functions can safely be traced without causing issues in the kernel.",
  excerpt: "",
};
const chrootWarnings: Record<RecordedLab, Diagnostic[]> = { trixie: [rlimitWarning], forky: [tracefsWarning, rlimitWarning] };

function located(lab: RecordedLab, name: string): Diagnostic[] {
  const diagnostics = parseDiagnostics(stderrOf(lab, name));
  const machine = chrootWarnings[lab];
  expect(diagnostics.slice(0, machine.length)).toEqual(machine);
  return diagnostics.slice(machine.length);
}

/** What each release says about the same refused scripts: [line, column, endColumn, message] per error. */
const semanticErrors: Record<RecordedLab, Record<string, [number, number, number, string][]>> = {
  trixie: {
    "error-unknown-function": [[2, 8, 14, "Unknown function: counts"]],
    "error-unknown-field": [
      [2, 12, 17, "Struct/union of type 'struct _tracepoint_lock_contention_begin' does not contain a field named 'lockaddr'"],
    ],
    "error-tracepoint-missing": [[1, 1, 28, "tracepoint not found: lock:nonexistent"]],
    "error-print-tracepoint-args": [[3, 3, 14, "struct _tracepoint_syscalls_sys_enter_write type passed to print() is not printable"]],
    "error-kfunc-unavailable": [],
  },
  forky: {
    "error-unknown-function": [[2, 8, 16, "Unknown function: 'counts'"]],
    "error-unknown-field": [
      [2, 12, 25, "Struct/union of type 'struct tracepoint:lock:contention_begin_args' does not contain a field named 'lockaddr'"],
      [2, 12, 25, "Struct/union of type 'struct tracepoint:lock:contention_begin_args' does not contain a field named 'lockaddr'"],
    ],
    "error-tracepoint-missing": [[1, 1, 28, "No matches for tracepoint lock:nonexistent."]],
    "error-print-tracepoint-args": [[3, 3, 14, "struct tracepoint:syscalls:sys_enter_write_args type passed to print() is not printable"]],
    "error-kfunc-unavailable": [[3, 1, 17, "No matches for fentry vfs_unlink."]],
  },
};

describe.each(recordedLabs)("parseDiagnostics on the %s lab's recorded errors", (lab) => {
  it("syntax error", () => {
    const [error, ...others] = located(lab, "error-syntax");
    const message = lab === "trixie" ? "syntax error, unexpected map, expecting ; or }" : "syntax: expected ';'";
    expect(others).toEqual([]);
    expect(error).toEqual({
      severity: "error",
      file: "error-syntax.bt",
      line: 3,
      endLine: 3,
      column: 3,
      endColumn: 5,
      message,
      excerpt: "  @x = 1;\n  ~~",
    });
    expect(formatDiagnostic(error as Diagnostic)).toBe(`line 3: ${message}\n  @x = 1;\n  ~~`);
  });

  it.each(Object.keys(semanticErrors[lab]))("semantic errors of %s, each with its source line and marker", (name) => {
    const diagnostics = located(lab, name).filter((d) => d.column !== undefined);
    expect(diagnostics.map((d) => [d.line, d.column, d.endColumn, d.message])).toEqual(semanticErrors[lab][name]);
    for (const { severity, file, column = 0, endColumn = 0, excerpt } of diagnostics) {
      expect({ severity, file }).toEqual({ severity: "error", file: `${name}.bt` });
      const [source, marker] = excerpt.split("\n");
      // The marker underlines columns column..endColumn-1.
      expect(marker).toBe(" ".repeat(column - 1) + "~".repeat(endColumn - column));
      expect(source).not.toBe("");
    }
  });

  it("-e programs are called stdin", () => {
    const errors = parseDiagnostics(stderrOf(lab, "error-inline-program")).filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.file, d.line, d.column, d.message])).toEqual(
      lab === "trixie"
        ? [["stdin", 1, 21, "syntax error, unexpected }"]]
        : [
            ["stdin", 1, 21, "syntax: expected expression"],
            ["stdin", 1, 21, "syntax: expected ')'"],
          ],
    );
    expect(errors.every((d) => d.excerpt === "BEGIN { @x = count( }\n                    ~")).toBe(true);
  });

  it("json mode writes the same stderr", () => {
    for (const name of ["error-syntax", "error-unknown-field", "error-kprobe-attach"]) {
      expect(parseDiagnostics(recorded(lab, `${name}.json.stderr.txt`))).toEqual(parseDiagnostics(stderrOf(lab, name)));
    }
  });

  it("an error spanning lines: 0.23 prints the line range alone, 0.27 the source lines after the message", () => {
    const [error, ...others] = parseDiagnostics(stderrOf(lab, "in-vm/error-multi-line"));
    expect(others).toEqual([]);
    expect(error).toEqual({
      severity: "error",
      file: "error-multi-line.bt",
      line: 5,
      endLine: 7,
      message: lab === "trixie" ? "printf: Not enough arguments for format string (2 supplied, 3 expected)" : "not enough arguments for format string (2 supplied, 3 expected)",
      excerpt: lab === "trixie" ? "" : '  printf("%s %s %s\\n",\n         comm,\n         str(args.dentry->d_name.name));',
    });
    expect(formatDiagnostic(error as Diagnostic).split("\n")).toHaveLength(lab === "trixie" ? 1 : 4);
  });

  it("status lines (0.24+ prints them on stderr) are no messages and end the message before them", () => {
    const diagnostics = parseDiagnostics(stderrOf(lab, "printf"));
    expect(diagnostics).toEqual(chrootWarnings[lab]);
  });
});

describe("parseDiagnostics on what only one release prints", () => {
  it("0.23: a probe that cannot attach: located warning, an unprefixed libbpf line, an unlocated error", () => {
    const diagnostics = located("trixie", "error-kprobe-attach");
    expect(diagnostics.map((d) => d.severity)).toEqual(["warning", "other", "error"]);
    expect(diagnostics[0]).toMatchObject({ line: 1, column: 1, endColumn: 18 });
    expect(diagnostics[1]?.message).toBe(
      "create_probe_event: open(/sys/kernel/debug/tracing/kprobe_events): No such file or directory",
    );
    expect(diagnostics[2]).toEqual({ severity: "error", message: "Error attaching probe: kprobe:vfs_unlink", excerpt: "" });
    expect(diagnostics.map(formatDiagnostic)[0]).toMatch(/^line 1: warning: vfs_unlink is not traceable/);
  });

  it("0.27: a probe that cannot attach is refused before attaching: an error, then the warning", () => {
    expect(located("forky", "error-kprobe-attach").map((d) => [d.severity, d.line, d.message.split(" (")[0]])).toEqual([
      ["error", 1, "No matches for kprobe vfs_unlink."],
      ["warning", 1, "vfs_unlink is not traceable"],
    ]);
  });

  it("0.23: a multi-line location has a line range and no excerpt", () => {
    // The kfunc probe is on line 3; bpftrace 0.23.2 starts its location at line 1, the BEGIN probe.
    const [error] = located("trixie", "error-kfunc-unavailable");
    expect(error).toEqual({
      severity: "error",
      file: "error-kfunc-unavailable.bt",
      line: 1,
      endLine: 3,
      message:
        "fentry:vfs_unlink: could not read traceable functions from /sys/kernel/debug/tracing/available_filter_functions (is tracefs mounted?)",
      excerpt: "",
    });
    expect(formatDiagnostic(error as Diagnostic)).toMatch(/^lines 1-3: fentry:vfs_unlink: /);
  });

  it("tabs in the source line are printed as four spaces, columns count the tab as one; 0.27 accepts the script", () => {
    const [error] = located("trixie", "error-type-tab");
    expect(error).toMatchObject({ line: 2, column: 7, endColumn: 16 });
    expect(error?.excerpt).toBe('    @x = "abc" + 1;\n         ~~~~~~~~~');
    expect(located("forky", "error-type-tab")).toEqual([]);
  });

  it("the lab's fget example, in the lab machines: 0.23's verifier refuses it, 0.27 loads it", () => {
    expect(parseDiagnostics(stderrOf("trixie", "in-vm/fget-unclamped")).map((d) => [d.severity, d.line, d.message.split("\n")[0]])).toEqual([
      ["warning", 5, "strcontains() is known to have verifier complexity issues when the product of both string sizes is larger than ~2000 bytes."],
      ["error", undefined, "Error loading BPF program for fexit_vmlinux_fget_1. Use -v for full kernel error log."],
      ["error", undefined, "Loading BPF object(s) failed."],
    ]);
    expect(parseDiagnostics(stderrOf("forky", "in-vm/fget-unclamped"))).toEqual([]);
  });

  it("0.27's run-time messages on stderr: each whole, the status line between them skipped", () => {
    const diagnostics = parseDiagnostics(stderrOf("forky", "in-vm/runtime-error"));
    expect(diagnostics.map((d) => [d.line, d.column, d.message, d.excerpt.split("\n")[0]])).toEqual([
      [undefined, undefined, "Addrspace is not set", ""],
      [5, 27, "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.", '  printf("quotient=%d\\n", 10 / $zero);'],
      [6, 28, "Bad address\nAdditional Info - helper: probe_read, retcode: -14", '  printf("name=%s\\n", str(((struct qstr *)0)->name));'],
      [6, 23, "Bad address\nAdditional Info - helper: probe_read_str, retcode: -14", '  printf("name=%s\\n", str(((struct qstr *)0)->name));'],
    ]);
    expect(parseDiagnostics(stderrOf("forky", "in-vm/tseries"))).toEqual([
      {
        severity: "warning",
        message: "Script is using an unstable feature: tseries. To prevent this warning you must explicitly enable it in the config e.g. unstable_tseries=enable",
        excerpt: "",
      },
    ]);
  });
});

const labRecordings = new URL("../fixtures/bpftrace-output/trixie/diagnostics/", import.meta.url);

function labStderr(name: string): string {
  return readFileSync(new URL(`${name}.stderr.txt`, labRecordings), "utf8");
}

const scriptPath = (name: string) => `/run/bpflab/diagnostics/${name}.bt`;

describe("parseDiagnostics on the trixie lab VM's recordings of refused scripts", () => {
  it("the lab's fget example: a warning whose message starts on the next line and spans 5, then the verifier's refusal", () => {
    const diagnostics = parseDiagnostics(labStderr("fget-unclamped"));
    expect(diagnostics).toEqual([
      {
        severity: "warning",
        file: scriptPath("fget-unclamped"),
        line: 4,
        endLine: 4,
        column: 6,
        endColumn: 68,
        message: [
          "strcontains() is known to have verifier complexity issues when the product of both string sizes is larger than ~2000 bytes.",
          "",
          "If you're seeing errors, try clamping the string sizes. For example:",
          "* `str($ptr, 16)`",
          "* `path($ptr, 16)`",
        ].join("\n"),
        excerpt: `  if (strcontains(str(retval->f_path.dentry->d_name.name), "crack")) {\n     ${"~".repeat(62)}`,
      },
      { severity: "error", message: "Error loading BPF program for fexit_vmlinux_fget_1. Use -v for full kernel error log.", excerpt: "" },
      { severity: "error", message: "Loading BPF object(s) failed.", excerpt: "" },
    ]);
    expect(formatDiagnostic(diagnostics[0] as Diagnostic)).toMatch(/^line 4: warning: strcontains\(\) is known .*\n\nIf you're seeing errors/);
  });

  it("a missing header: clang's line whole, then a warning spanning 2 lines", () => {
    const diagnostics = parseDiagnostics(labStderr("missing-header"));
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toEqual({
      severity: "error",
      message: "definitions.h:2:10: fatal error: 'linux/dcache.h' file not found",
      excerpt: "",
      origin: "clang",
    });
    expect(formatDiagnostic(diagnostics[0] as Diagnostic)).toBe("definitions.h:2:10: fatal error: 'linux/dcache.h' file not found");
    expect(diagnostics[1]?.severity).toBe("warning");
    expect(diagnostics[1]?.message).toMatch(/^Could not find kernel headers in .* following snippet:\nmodprobe kheaders && tar -C <directory> -xf \/sys\/kernel\/kheaders.tar.xz$/);
  });

  it("an unlocated error spanning 2 lines", () => {
    expect(parseDiagnostics(labStderr("uprobe-mid-instruction"))).toEqual([
      {
        severity: "error",
        message:
          "Could not add uprobe into middle of instruction: /lib/x86_64-linux-gnu/libc.so.6:malloc+1\nUse --unsafe to force attachment. WARNING: This option could lead to data corruption in the target process.",
        excerpt: "",
      },
    ]);
  });

  it("an error located on a line range, its message spanning 2 lines", () => {
    expect(parseDiagnostics(labStderr("positional-missing-interval"))).toEqual([
      {
        severity: "error",
        file: scriptPath("positional-missing-interval"),
        line: 1,
        endLine: 2,
        message: "stoull\nInvalid rate of interval probe",
        excerpt: "",
      },
    ]);
  });

  it("a kprobe offset inside an instruction: libbcc's line, then two errors", () => {
    expect(parseDiagnostics(labStderr("kprobe-mid-instruction"))).toEqual([
      { severity: "other", message: "cannot attach kprobe, Invalid or incomplete multibyte or wide character", excerpt: "" },
      { severity: "error", message: "Possible attachment attempt in the middle of an instruction, try a different offset.", excerpt: "" },
      { severity: "error", message: "Error attaching probe: kprobe:vfs_unlink+3", excerpt: "" },
    ]);
  });

  it.each([
    ["syntax-error", [[4, 3, 11, "syntax error, unexpected map, expecting ; or }"]]],
    ["unknown-function", [[5, 6, 15, "Unknown function: contains"]]],
    [
      "unknown-field",
      [
        [3, 27, 49, "Struct/union of type 'struct dentry' does not contain a field named 'd_nme'"],
        [3, 27, 55, "str() expects an integer or a pointer type as first argument (none provided)"],
      ],
    ],
    ["positional-missing-int", [[5, 6, 29, "strcontains() only supports string arguments (int provided)"]]],
    [
      "positional-numeric",
      [
        [2, 10, 12, '$1 used numerically but given "writer". Try using str($1).'],
        [2, 1, 12, "Type mismatch for '==': comparing 'string[16]' with 'int64'"],
      ],
    ],
    ["verifier-d-path", [[3, 27, 50, "helper bpf_d_path not allowed in probe"]]],
    ["long-line", [[1, 204, 240, "Struct/union of type 'struct inode' does not contain a field named 'i_nr'"]]],
  ] as const)("%s: located errors, each with its source line and marker", (name, expected) => {
    const diagnostics = parseDiagnostics(labStderr(name));
    expect(diagnostics.map(({ line, column, endColumn, message }) => [line, column, endColumn, message])).toEqual(expected);
    for (const diagnostic of diagnostics) {
      const { severity, file, column = 0, endColumn = 0 } = diagnostic;
      expect({ severity, file }).toEqual({ severity: "error", file: scriptPath(name) });
      const [source, marker] = diagnostic.excerpt.split("\n");
      expect(source).not.toBe("");
      expect(marker).toBe(" ".repeat(column - 1) + "~".repeat(endColumn - column));
    }
  });

  it("scripts bpftrace accepts: args->field has no warning in 0.23.2, str($1) without an argument only the strcontains warning", () => {
    expect(parseDiagnostics(labStderr("args-arrow"))).toEqual([]);
    expect(parseDiagnostics(labStderr("positional-missing-str")).map((d) => [d.severity, d.line])).toEqual([["warning", 5]]);
  });

  it("every line bpftrace printed is in the formatted messages", () => {
    const names = readdirSync(labRecordings).filter((file) => file.endsWith(".stderr.txt"));
    expect(names).toHaveLength(15);
    for (const file of names) {
      const stderr = readFileSync(new URL(file, labRecordings), "utf8");
      const shown = parseDiagnostics(stderr).map(formatDiagnostic).join("\n");
      for (const line of stderr.split("\n").filter((printed) => printed.trim() !== "")) {
        const text = line.replace(/^(?:.*?:\d+(?::\d+-\d+|-\d+): )?(?:ERROR|WARNING|HINT|BUG): /, "");
        expect(shown, `${file}: ${line}`).toContain(text);
      }
    }
  });
});

describe("parseDiagnostics on hand-written input", () => {
  it("ignores colour codes and blank lines, handles CRLF", () => {
    const stderr =
      "\x1b[31mprog.bt:1:1-3: ERROR: boom\r\n\x1b[0mab c\r\n~~\r\n\r\n\x1b[33mWARNING: careful\x1b[0m\r\n";
    expect(parseDiagnostics(stderr)).toEqual([
      { severity: "error", file: "prog.bt", line: 1, endLine: 1, column: 1, endColumn: 3, message: "boom", excerpt: "ab c\n~~" },
      { severity: "warning", message: "careful", excerpt: "" },
    ]);
  });

  it("a located message without an excerpt does not swallow the next message", () => {
    expect(parseDiagnostics("p.bt:9:1-2: ERROR: first\nERROR: second\n")).toEqual([
      { severity: "error", file: "p.bt", line: 9, endLine: 9, column: 1, endColumn: 2, message: "first", excerpt: "" },
      { severity: "error", message: "second", excerpt: "" },
    ]);
  });

  it("hints, a location without a file name, and lines before any message", () => {
    expect(parseDiagnostics("something else\n4:2-5: ERROR: x\nHINT: try y")).toEqual([
      { severity: "other", message: "something else", excerpt: "" },
      { severity: "error", line: 4, endLine: 4, column: 2, endColumn: 5, message: "x", excerpt: "" },
      { severity: "hint", message: "try y", excerpt: "" },
    ]);
    expect(formatDiagnostic({ severity: "hint", message: "try y", excerpt: "" })).toBe("hint: try y");
  });

  it("empty stderr has no diagnostics", () => {
    expect(parseDiagnostics("")).toEqual([]);
  });
});
