// The workloads start when bpftrace's "probes attached" line is seen on its stdout. A flooding
// script's output can share a chunk with that line; the line must be found wherever it falls.
import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { AttachMarkerFilter, AttachMarkerScanner, attachedMarker } from "../../graders/kit/run/attach-marker.ts";
import { recorded, recordedLabs } from "../support/bpftrace-recordings.ts";

const flood = "flood flood flood flood\n".repeat(1000);

describe("finding bpftrace's attach line in its output stream", () => {
  test("at the head of a chunk that goes on with kilobytes of output", () => {
    const scanner = new AttachMarkerScanner();
    expect(scanner.feed(`${attachedMarker}\n${flood}`)).toBe(true);
  });

  test("split across two chunks", () => {
    const scanner = new AttachMarkerScanner();
    expect(scanner.feed(`${flood}${attachedMarker.slice(0, 10)}`)).toBe(false);
    expect(scanner.feed(`${attachedMarker.slice(10)}\n${flood}`)).toBe(true);
  });

  test("one character per chunk", () => {
    const scanner = new AttachMarkerScanner();
    const seen = [...`${attachedMarker}\n`].map((char) => scanner.feed(char));
    expect(seen.indexOf(true)).toBe(attachedMarker.length - 1);
  });

  test("stays seen, and is not seen in output that lacks it", () => {
    const scanner = new AttachMarkerScanner();
    expect(scanner.feed(flood)).toBe(false);
    expect(scanner.feed(attachedMarker.slice(1))).toBe(false);
    expect(scanner.feed(attachedMarker)).toBe(true);
    expect(scanner.feed("more")).toBe(true);
  });
});

describe("showing bpftrace's output live without the attach line", () => {
  const shown = (filter: AttachMarkerFilter, chunks: string[]) => chunks.map((chunk) => Buffer.from(filter.push(Buffer.from(chunk))).toString()).join("");

  test("takes the line out wherever the chunks are cut, and passes everything after it as it comes", () => {
    const whole = `Attaching 1 probe...\n${attachedMarker}\nrm a.txt\nrm é.txt\n`;
    for (let cut = 1; cut < whole.length; cut++) {
      const filter = new AttachMarkerFilter();
      expect(shown(filter, [whole.slice(0, cut), whole.slice(cut)])).toBe("Attaching 1 probe...\nrm a.txt\nrm é.txt\n");
    }
  });

  test("gives back what it held when bpftrace never attached", () => {
    const filter = new AttachMarkerFilter();
    expect(shown(filter, ["Attaching 1 probe...\n"])).toBe("");
    expect(Buffer.from(filter.flush()).toString()).toBe("Attaching 1 probe...\n");
  });
});

describe.each(recordedLabs)("the attach line in the %s lab's recorded runs", (lab) => {
  // Every recorded run that asked for it and attached (fixtures/bpftrace-output/<lab>/in-vm).
  const attached = ["args-arrow", "big-integer", "booleans", "kfunc-args", "kstack-keys", "runtime-error", "struct-value"];

  test.each(attached.flatMap((name) => [`in-vm/${name}.txt`, `in-vm/${name}.jsonl`]))("%s: on stdout, in text and -f json alike", (file) => {
    const stdout = recorded(lab, file);
    expect(new AttachMarkerScanner().feed(stdout)).toBe(true);
    const stderr = recorded(lab, file.replace(/\.(txt|jsonl)$/, (_, ext: string) => (ext === "txt" ? ".stderr.txt" : ".json.stderr.txt")));
    expect(new AttachMarkerScanner().feed(stderr)).toBe(false);
    const filter = new AttachMarkerFilter();
    expect(Buffer.from(filter.push(Buffer.from(stdout))).toString()).toBe(stdout.replace(`${attachedMarker}\n`, ""));
  });

  test("only the runs that asked for it print it", () => {
    const withMarker = readdirSync(new URL(`../../fixtures/bpftrace-output/${lab}/`, import.meta.url)).filter(
      (file) => /\.(txt|jsonl)$/.test(file) && !file.includes("stderr") && new AttachMarkerScanner().feed(recorded(lab, file)),
    );
    expect(withMarker.length).toBeGreaterThan(10);
    expect(withMarker.every((file) => recorded(lab, file.replace(/\.(txt|jsonl)$/, ".cmd")).includes("__BPFTRACE_NOTIFY_PROBES_ATTACHED=1"))).toBe(true);
    expect(new AttachMarkerScanner().feed(recorded(lab, "printf-no-notify.txt"))).toBe(false);
  });
});
