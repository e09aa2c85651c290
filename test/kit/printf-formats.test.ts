// A script's printf formats, as the patterns of the lines they print.
import { expect, test } from "vitest";
import { formatOf, printfFormats, printsOnce } from "../../graders/kit/evidence/printf-formats.ts";

test("conversions become values, text stays text, padding and length modifiers are read", () => {
  const formats = printfFormats(String.raw`
    BEGIN { printf("%-16s %-6s %s\n", "COMM", "PID", "FILE"); }
    kfunc:vfs_unlink { printf("%-16s %-6llu %s\n", comm, pid, str(args.dentry->d_name.name)); }
    // printf("commented out %d\n", 1);
    END { printf("100%% done: %d files, 0x%x\n", @n, 255); }
  `);
  expect(formats).toHaveLength(3);
  const [header, event, summary] = formats;
  expect(formatOf("COMM             PID    FILE", formats)).toBe(header);
  expect(formatOf("rm-abc           4242   todo.txt", formats)).toBe(event);
  expect(formatOf("100% done: 7 files, 0xff", formats)).toBe(summary);
  expect(formatOf("oneword", formats)).toBeUndefined();
});

test("each format knows its probe: BEGIN and END print once, a header or a summary", () => {
  const formats = printfFormats(String.raw`#include <linux/fs.h>
#define X 1
BEGIN { printf("Tracing... Hit Ctrl-C to end.\n"); }
tracepoint:lock:contention_end /@start[tid, args.lock_addr]/ { if (1) { printf("waited %d\n", 5); } }
END { printf("done\n"); clear(@start); }`);
  expect(formats.map((format) => [format.probe, printsOnce(format)])).toEqual([
    ["BEGIN", true],
    ["tracepoint:lock:contention_end", false],
    ["END", true],
  ]);
});

test("a format spanning lines is left out; escaped quotes stay in the text", () => {
  expect(printfFormats(String.raw`BEGIN { printf("a\nb %d\n", 1); printf("say \"%s\"\n", comm); }`).map((format) => format.pattern.source)).toEqual(['^say "(?:.*?)"$'.replace("(?:.*?)", ".*?")]);
});
