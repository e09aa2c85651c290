// The workloads start when bpftrace's "probes attached" line is seen on its stdout. A flooding
// script's output can share a chunk with that line; the line must be found wherever it falls.
import { describe, expect, test } from "vitest";
import { AttachMarkerFilter, AttachMarkerScanner, attachedMarker } from "../../graders/kit/run/attach-marker.ts";

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
