// `bpftrace -l script.bt` (0.23.2 to 0.27) lists the probes a script would attach, without
// attaching them or running BEGIN: one "<type>:<target>" line per probe after wildcard expansion,
// with canonical type names (kfunc: -> "fentry:vmlinux:vfs_unlink"). `-lv` adds the parameters of
// tracepoint and fentry/fexit probes as indented lines (0.27 lists no retval). 0.23 lists BEGIN
// and END both as "special::", 0.27 not at all; interval/profile probes lose their rate
// ("interval:s:"). It does not say which block a probe belongs to. Listing fentry probes needs
// tracefs (available_filter_functions).

export interface ListedProbe {
  /** Canonical type: "fentry", "tracepoint", "kprobe", "special", ... */
  type: string;
  /** Everything after the type, e.g. "vmlinux:vfs_unlink" or "lock:contention_begin". */
  target: string;
  /** The last part of the target: the function or tracepoint name, e.g. "vfs_unlink". */
  name: string;
  /** From -lv, e.g. "struct dentry * dentry"; [] otherwise. */
  params: string[];
}

/** Parses the stdout of `bpftrace -l script.bt` or `-lv`; lines without a ":" are skipped. */
export function parseProbeListing(stdout: string): ListedProbe[] {
  const probes: ListedProbe[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const last = probes.at(-1);
    if (line.startsWith("    ") && last) {
      last.params.push(line.trim());
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const target = line.slice(colon + 1);
    probes.push({
      type: line.slice(0, colon),
      target,
      name: target.slice(target.lastIndexOf(":") + 1),
      params: [],
    });
  }
  return probes;
}

// Aliases from bpftrace 0.23.2's PROBE_LIST (src/types.h) and 0.27's (src/probe_types.h, which
// names the special probes begin and end).
const CANONICAL_PROBE_TYPES: Readonly<Record<string, string>> = {
  k: "kprobe",
  kr: "kretprobe",
  u: "uprobe",
  ur: "uretprobe",
  U: "usdt",
  BEGIN: "special",
  END: "special",
  begin: "special",
  end: "special",
  self: "special",
  t: "tracepoint",
  p: "profile",
  i: "interval",
  s: "software",
  h: "hardware",
  w: "watchpoint",
  aw: "asyncwatchpoint",
  f: "fentry",
  kfunc: "fentry",
  fr: "fexit",
  kretfunc: "fexit",
  it: "iter",
  rt: "rawtracepoint",
};

/** The type name a listing uses for a probe type as a script may spell it: "kfunc" -> "fentry". */
export function canonicalProbeType(type: string): string {
  return Object.hasOwn(CANONICAL_PROBE_TYPES, type) ? (CANONICAL_PROBE_TYPES[type] ?? type) : type;
}

/** The listed probes of a type (any spelling) on a function or tracepoint name. */
export function findListedProbes(
  probes: readonly ListedProbe[],
  type: string,
  name: string,
): ListedProbe[] {
  const canonical = canonicalProbeType(type);
  return probes.filter((p) => p.type === canonical && p.name === name);
}
