// bpftrace v0.23.2 stderr recorded in fixtures/bpftrace-output/trixie (error-*.bt scripts, see record.sh).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, parseDiagnostics, type Diagnostic } from "../graders/kit/bpftrace/diagnostics.ts";

function stderrOf(name: string): string {
  return readFileSync(new URL(`../fixtures/bpftrace-output/trixie/${name}.stderr.txt`, import.meta.url), "utf8");
}

// Every run in the recording chroot warns about RLIMIT_MEMLOCK first.
const rlimitWarning: Diagnostic = {
  severity: "warning",
  message:
    'Unknown error -1: couldn\'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem',
  excerpt: "",
};

function located(name: string): Diagnostic[] {
  const diagnostics = parseDiagnostics(stderrOf(name));
  expect(diagnostics[0]).toEqual(rlimitWarning);
  return diagnostics.slice(1);
}

describe("parseDiagnostics on recorded errors", () => {
  it("syntax error", () => {
    const [error] = located("error-syntax");
    expect(error).toEqual({
      severity: "error",
      file: "error-syntax.bt",
      line: 3,
      endLine: 3,
      column: 3,
      endColumn: 5,
      message: "syntax error, unexpected map, expecting ; or }",
      excerpt: "  @x = 1;\n  ~~",
    });
    expect(formatDiagnostic(error as Diagnostic)).toBe(
      "line 3: syntax error, unexpected map, expecting ; or }\n  @x = 1;\n  ~~",
    );
  });

  it.each([
    ["error-unknown-function", 2, 8, 14, "Unknown function: counts"],
    [
      "error-unknown-field",
      2,
      12,
      17,
      "Struct/union of type 'struct _tracepoint_lock_contention_begin' does not contain a field named 'lockaddr'",
    ],
    ["error-tracepoint-missing", 1, 1, 28, "tracepoint not found: lock:nonexistent"],
    [
      "error-print-tracepoint-args",
      3,
      3,
      14,
      "struct _tracepoint_syscalls_sys_enter_write type passed to print() is not printable",
    ],
  ])("semantic error %s", (name, line, column, endColumn, message) => {
    const diagnostics = located(name);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", file: `${name}.bt`, line, column, endColumn, message });
    const [source, marker] = diagnostics[0]?.excerpt.split("\n") ?? [];
    // The marker underlines columns column..endColumn-1.
    expect(marker).toBe(" ".repeat(column - 1) + "~".repeat(endColumn - column));
    expect(source).not.toBe("");
  });

  it("tabs in the source line are printed as four spaces, columns count the tab as one", () => {
    const [error] = located("error-type-tab");
    expect(error).toMatchObject({ line: 2, column: 7, endColumn: 16 });
    expect(error?.excerpt).toBe('    @x = "abc" + 1;\n         ~~~~~~~~~');
  });

  it("-e programs are called stdin", () => {
    const [error] = parseDiagnostics(stderrOf("error-inline-program")).slice(1);
    expect(error).toMatchObject({ file: "stdin", line: 1, column: 21, message: "syntax error, unexpected }" });
    expect(error?.excerpt).toBe("BEGIN { @x = count( }\n                    ~");
  });

  it("a probe that cannot attach: located warning, an unprefixed libbpf line, an unlocated error", () => {
    const diagnostics = located("error-kprobe-attach");
    expect(diagnostics.map((d) => d.severity)).toEqual(["warning", "other", "error"]);
    expect(diagnostics[0]).toMatchObject({ line: 1, column: 1, endColumn: 18 });
    expect(diagnostics[1]?.message).toBe(
      "create_probe_event: open(/sys/kernel/debug/tracing/kprobe_events): No such file or directory",
    );
    expect(diagnostics[2]).toEqual({ severity: "error", message: "Error attaching probe: kprobe:vfs_unlink", excerpt: "" });
    expect(diagnostics.map(formatDiagnostic)[0]).toMatch(/^line 1: warning: vfs_unlink is not traceable/);
  });

  it("a multi-line location has a line range and no excerpt", () => {
    // The kfunc probe is on line 3; bpftrace 0.23.2 starts its location at line 1, the BEGIN probe.
    const [error] = located("error-kfunc-unavailable");
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

  it("json mode writes the same stderr", () => {
    for (const name of ["error-syntax", "error-unknown-field", "error-kprobe-attach"]) {
      const json = readFileSync(new URL(`../fixtures/bpftrace-output/trixie/${name}.json.stderr.txt`, import.meta.url), "utf8");
      expect(parseDiagnostics(json)).toEqual(parseDiagnostics(stderrOf(name)));
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
    expect(parseDiagnostics("p.bt:9:1-2: ERROR: first\nERROR: second\n  ~\n")).toEqual([
      { severity: "error", file: "p.bt", line: 9, endLine: 9, column: 1, endColumn: 2, message: "first", excerpt: "" },
      { severity: "error", message: "second", excerpt: "" },
      { severity: "other", message: "  ~", excerpt: "" },
    ]);
  });

  it("hints, a location without a file name, and unknown lines", () => {
    expect(parseDiagnostics("4:2-5: ERROR: x\nHINT: try y\nsomething else")).toEqual([
      { severity: "error", line: 4, endLine: 4, column: 2, endColumn: 5, message: "x", excerpt: "" },
      { severity: "hint", message: "try y", excerpt: "" },
      { severity: "other", message: "something else", excerpt: "" },
    ]);
    expect(formatDiagnostic({ severity: "hint", message: "try y", excerpt: "" })).toBe("hint: try y");
  });

  it("empty stderr has no diagnostics", () => {
    expect(parseDiagnostics("")).toEqual([]);
  });
});
