// The one line reader of every text grader: values, not layout.
import { describe, expect, test } from "vitest";
import { eventsNotOfTheWorkload, integersInOrder } from "../../graders/kit/evidence/in-order.ts";
import { printfFormats } from "../../graders/kit/evidence/printf-formats.ts";
import { gluedValue, holds, holdsFd, integersIn, pathsIn, shapeOf, valueInAMap, valueLine, valueLines } from "../../graders/kit/evidence/line-values.ts";

describe("a printed line read as values", () => {
  test.each([
    ["rm notes todo.txt"],
    ["rm notes/todo.txt"],
    ["comm=rm\tparent=notes\tfile=todo.txt"],
    ["rm removed todo.txt from notes."],
    ["(rm, notes, todo.txt)"],
    ['{"comm": "rm", "parent": "notes", "file": "todo.txt"}'],
    ["rm               notes            todo.txt"],
    ["12:01:02 4242 rm [notes] todo.txt;"],
    ["rm notes->todo.txt"],
  ])("%s holds rm, notes and todo.txt", (line) => {
    const read = valueLine(line);
    for (const value of ["rm", "notes", "todo.txt"]) expect(holds(read, value), value).toBe(true);
  });

  test("a value glued to other text is not held, and the grader says where it is", () => {
    const lines = valueLines(["rm notes-todo.txt", "rm xtodo.txt"]);
    expect(lines.some((line) => holds(line, "todo.txt"))).toBe(false);
    expect(gluedValue(lines, "todo.txt")).toBe('your line "rm notes-todo.txt" has todo.txt inside "notes-todo.txt", joined to other text: set the values apart with spaces or punctuation (/ , : = and the like)');
    expect(gluedValue(lines, "absent.txt")).toBeUndefined();
  });

  test("a value is not held when it is only part of a word: rm-abc holds neither rm nor abc", () => {
    const read = valueLine("rm-abc notes.old todo.txt");
    expect(holds(read, "rm")).toBe(false);
    expect(holds(read, "notes")).toBe(false);
    expect(holds(read, "rm-abc")).toBe(true);
  });

  test("descriptors: 8, fd=8, #8 and the lab's (fd8): all hold fd 8; 18 does not", () => {
    for (const line of ["sudo 8 libx.so", "sudo fd=8 libx.so", "sudo (fd8):  libx.so", "sudo mapped libx.so (descriptor #8)", "sudo FD8 libx.so", "sudo fd_8 libx.so", "sudo 8->libx.so"]) {
      expect(holdsFd(valueLine(line), 8), line).toBe(true);
    }
    expect(holdsFd(valueLine("sudo (fd18):  libx.so"), 8)).toBe(false);
  });

  test("integers in a line, in order; fd3 counts as 3; words with digits do not", () => {
    expect(integersIn(valueLine("kprobeme 4242 fd3 ret=-2 abc1 1.5"))).toEqual([4242n, 3n, -2n]);
  });

  test("paths anywhere in a line, without trailing punctuation; relative ones are not paths", () => {
    expect(pathsIn("open file=/tmp/a b/c.conf (fd 3) /var/tmp/x.log. notes/todo.txt")).toEqual(["/tmp/a", "/var/tmp/x.log"]);
    expect(pathsIn('"/tmp/q/r.state",3')).toEqual(["/tmp/q/r.state"]);
    expect(pathsIn("/var/tmp/x/y.conf: opened by kprobeme")).toEqual(["/var/tmp/x/y.conf"]);
    expect(pathsIn("/tmp/x/y.state:4242 path=/tmp/z")).toEqual(["/tmp/x/y.state", "/tmp/z"]);
    expect(pathsIn("Tracing open(2) of kprobeme / Ctrl-C to end")).toEqual([]);
  });

  test("a line's shape: words and numbers, so that one printf's lines share it", () => {
    expect(shapeOf(valueLine("wr-abc 17"))).toBe(shapeOf(valueLine("rm-xyz 16")));
    expect(shapeOf(valueLine("total 7 writes"))).not.toBe(shapeOf(valueLine("wr-abc 17")));
  });

  test("a map that holds the value is named when no line does", () => {
    const maps = [{ name: "@seen", entries: [{ key: "rm-x, notes, todo.txt" }] }];
    expect(valueInAMap(maps, "todo.txt")).toMatch(/^your map @seen holds todo.txt, but the task asks for a printed line per event/);
    expect(valueInAMap(maps, "other.txt")).toBeUndefined();
  });
});

describe("numbers the workload produced, in order", () => {
  const expected = [17n, 4096n, 17n];

  test("found in order, with other lines between; a header and a summary are not events", () => {
    const lines = valueLines(["COMM RET", "wr-a 17", "wr-a 4096", "wr-a 17", "total 3 writes"]);
    const inOrder = integersInOrder(expected, lines);
    expect(inOrder.found).toBe(3);
    expect(eventsNotOfTheWorkload(inOrder, [])).toEqual([]);
  });

  test("lines shaped like the workload's that match none of its events are other processes'", () => {
    const inOrder = integersInOrder(expected, valueLines(["17", "16", "4096", "16", "17", "23"]));
    expect(inOrder.found).toBe(3);
    expect(eventsNotOfTheWorkload(inOrder, []).map((line) => line.line)).toEqual(["16", "16", "23"]);
  });

  test("a summary printed by another printf is not an event, even shaped like one; a line of the events' printf is", () => {
    const script = 'kretprobe:vfs_write /comm == str($1)/ { printf("ret=%d\\n", retval); @n = count(); } END { printf("total=%d\\n", @n); clear(@n); }';
    const inOrder = integersInOrder(expected, valueLines(["ret=17", "ret=4096", "ret=17", "total=3"]));
    expect(eventsNotOfTheWorkload(inOrder, printfFormats(script))).toEqual([]);
    const unfiltered = integersInOrder(expected, valueLines(["ret=17", "ret=16", "ret=4096", "ret=17", "total=4"]));
    expect(eventsNotOfTheWorkload(unfiltered, printfFormats(script)).map((line) => line.line)).toEqual(["ret=16"]);
  });

  test("the surest format wins: 'leaked: 5' is the summary's, not the events' '%s %d'", () => {
    const script = 'tracepoint:syscalls:sys_exit_open /comm == "kprobeme"/ { printf("%s %d\\n", comm, args.ret); } END { printf("leaked: %d\\n", 5); }';
    const inOrder = integersInOrder([3n, 4n], valueLines(["kprobeme 3", "kprobeme 4", "leaked: 5"]));
    expect(eventsNotOfTheWorkload(inOrder, printfFormats(script))).toEqual([]);
  });

  test("out of order, only what comes in order counts: 4096 before the first 17 is not matched", () => {
    expect(integersInOrder(expected, valueLines(["4096", "17", "17"])).found).toBe(1);
  });
});
