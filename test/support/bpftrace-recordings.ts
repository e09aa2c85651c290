// Real bpftrace output recorded per lab (fixtures/bpftrace-output/README.md): the chroot
// recordings in <lab>/, the lab machine's in <lab>/in-vm/.
import { readFileSync } from "node:fs";

export const recordedLabs = ["trixie", "forky"] as const;
export type RecordedLab = (typeof recordedLabs)[number];

/** bpftrace's version in each lab, for test names. */
export const bpftraceOf: Record<RecordedLab, string> = { trixie: "0.23.2", forky: "0.27.0" };

/** A recorded file: `recorded("forky", "maps.jsonl")`, `recorded("trixie", "in-vm/booleans.txt")`. */
export function recorded(lab: RecordedLab, file: string): string {
  return readFileSync(new URL(`../../fixtures/bpftrace-output/${lab}/${file}`, import.meta.url), "utf8");
}

/** A script both labs ran (fixtures/bpftrace-output/scripts). */
export function recordedScript(name: string): string {
  return readFileSync(new URL(`../../fixtures/bpftrace-output/scripts/${name}`, import.meta.url), "utf8");
}
