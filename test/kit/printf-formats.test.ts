// A script's printf formats, as the patterns of the lines they print.
import { expect, test } from "vitest";
import { formatOf, printfFormats } from "../../graders/kit/evidence/printf-formats.ts";

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

test("a format spanning lines is left out; escaped quotes stay in the text", () => {
  expect(printfFormats(String.raw`BEGIN { printf("a\nb %d\n", 1); printf("say \"%s\"\n", comm); }`).map((format) => format.pattern.source)).toEqual(['^say "(?:.*?)"$'.replace("(?:.*?)", ".*?")]);
});
