// Reads `bpftrace --info`: sections of "key: value" cells, two cells to a line in places.
// Only what capability checks need is typed; the rest stays available by section and key.
// bpftrace 0.25 stopped probing for the probe types that kernels from 5.15 on have ("Remove old
// probe feature checks", bpftrace#4549): its "Probe types" section lists only kprobe_multi,
// uprobe_multi, kprobe_session and iter, no kprobe, tracepoint or fentry line.

export interface BpftraceInfo {
  /** "0.23.2", without the leading "v". */
  version: string;
  btf: boolean;
  /**
   * bpftrace's own feature probe (loads an fentry program); named "kfunc" before 0.22, null from
   * 0.25 on, which does not report it (a kernel may still lack fentry: capabilities.ts attaches one).
   */
  fentry: boolean | null;
  /**
   * bpftrace's probe only loads a kprobe-type program, which works without CONFIG_KPROBES:
   * "kprobe: yes" does not mean a kprobe can attach (capabilities.ts checks that for real).
   * null from 0.25 on, which does not report it.
   */
  kprobeProgramType: boolean | null;
  /** Section name -> key -> value, as printed. */
  sections: Record<string, Record<string, string>>;
}

export class BpftraceInfoError extends Error {}

function cellsOf(line: string): Array<[string, string]> {
  return line
    .trim()
    .split(/\s{2,}/)
    .flatMap((cell) => {
      const colon = cell.indexOf(":");
      return colon > 0 ? [[cell.slice(0, colon).trim(), cell.slice(colon + 1).trim()] as [string, string]] : [];
    });
}

function sectionsOf(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (!/^\s/.test(line) && !line.includes(":")) {
      current = {};
      sections[line.trim()] = current;
      continue;
    }
    if (!current) continue;
    for (const [key, value] of cellsOf(line)) current[key] = value;
  }
  return sections;
}

/** The first of keys printed in any section: yes or no; null when none is. */
function flag(sections: Record<string, Record<string, string>>, keys: readonly string[]): boolean | null {
  for (const section of Object.values(sections)) {
    for (const key of keys) {
      const value = section[key];
      if (value !== undefined) return value === "yes";
    }
  }
  return null;
}

export function parseBpftraceInfo(text: string): BpftraceInfo {
  const sections = sectionsOf(text);
  const rawVersion = sections.Build?.version;
  const version = rawVersion?.match(/^v?(\d+\.\d+(?:\.\d+)?)/)?.[1];
  if (!version) throw new BpftraceInfoError(`bpftrace --info printed no version:\n${text.slice(0, 400)}`);
  return {
    version,
    btf: flag(sections, ["btf"]) ?? false,
    fentry: flag(sections, ["fentry", "kfunc"]),
    kprobeProgramType: flag(sections, ["kprobe"]),
    sections,
  };
}
