// `bpftrace -l script.bt` output recorded in both labs: in a chroot (fixtures/bpftrace-output/<lab>,
// scripts/probes.bt), and in the lab machines, where fentry works (<lab>/in-vm/list-kfunc-*).
import { describe, expect, it } from "vitest";
import {
  canonicalProbeType,
  findListedProbes,
  parseProbeListing,
} from "../graders/kit/bpftrace/script-probes.ts";
import { recorded, recordedLabs } from "./support/bpftrace-recordings.ts";

describe.each(recordedLabs)("parseProbeListing on the %s lab's recorded listings", (lab) => {
  // 0.23 lists BEGIN and END as "special::", 0.27 does not list them.
  const specials = lab === "trixie" ? ["special :", "special :"] : [];

  it("-l: one probe per attach point match, wildcards expanded", () => {
    const probes = parseProbeListing(recorded(lab, "list-probes.txt"));
    expect(probes.map((p) => `${p.type} ${p.target}`)).toEqual([
      "tracepoint lock:contention_begin",
      "tracepoint syscalls:sys_enter_open",
      "tracepoint syscalls:sys_enter_open_by_handle_at",
      "tracepoint syscalls:sys_enter_open_tree",
      "tracepoint syscalls:sys_enter_open_tree_attr",
      "tracepoint syscalls:sys_enter_openat",
      "tracepoint syscalls:sys_enter_openat2",
      "tracepoint syscalls:sys_enter_write",
      ...specials,
      "interval s:",
    ]);
    expect(probes[0]).toEqual({
      type: "tracepoint",
      target: "lock:contention_begin",
      name: "contention_begin",
      params: [],
    });
    expect(findListedProbes(probes, "t", "sys_enter_write")).toHaveLength(1);
    expect(findListedProbes(probes, "BEGIN", "")).toHaveLength(specials.length);
  });

  it("-lv: parameters of tracepoints", () => {
    const probes = parseProbeListing(recorded(lab, "list-probes-verbose.txt"));
    expect(probes).toHaveLength(9 + specials.length);
    expect(probes[0]?.params).toEqual(["void * lock_addr", "unsigned int flags"]);
    expect(probes.find((p) => p.name === "sys_enter_write")?.params).toEqual([
      "int __syscall_nr",
      "unsigned int fd",
      "const char * buf",
      "size_t count",
    ]);
    expect(probes.at(-1)?.params).toEqual([]);
  });

  it("a script that does not resolve lists nothing (the error is on stderr)", () => {
    expect(parseProbeListing(recorded(lab, "list-probes-kfunc.txt"))).toEqual([]);
    expect(parseProbeListing(recorded(lab, "list-probes-missing.txt"))).toEqual([]);
  });

  it("kfunc and kretfunc in a script list as fentry and fexit, with the module in the target", () => {
    const probes = parseProbeListing(recorded(lab, "in-vm/list-kfunc-script.txt"));
    expect(probes.map((p) => `${p.type}:${p.target}`)).toEqual(["fentry:vmlinux:vfs_unlink", "fexit:vmlinux:fget"]);
    expect(findListedProbes(probes, "kfunc", "vfs_unlink")).toHaveLength(1);
    expect(findListedProbes(probes, "kretfunc", "fget")).toHaveLength(1);
    expect(findListedProbes(probes, "kretfunc", "vfs_unlink")).toEqual([]);
  });

  it("-lv of a kfunc: its arguments (the kernels differ in delegated_inode; 0.27 does not list retval)", () => {
    const [probe, ...others] = parseProbeListing(recorded(lab, "in-vm/list-kfunc-verbose.txt"));
    expect(others).toEqual([]);
    expect(probe).toEqual({
      type: "fentry",
      target: "vmlinux:vfs_unlink",
      name: "vfs_unlink",
      params: [
        "struct mnt_idmap * idmap",
        "struct inode * dir",
        "struct dentry * dentry",
        ...(lab === "trixie" ? ["struct inode ** delegated_inode", "int retval"] : ["struct delegated_inode * delegated_inode"]),
      ],
    });
  });
});

describe("canonicalProbeType", () => {
  it.each([
    ["kfunc", "fentry"],
    ["f", "fentry"],
    ["kretfunc", "fexit"],
    ["t", "tracepoint"],
    ["rt", "rawtracepoint"],
    ["END", "special"],
    ["begin", "special"],
    ["tracepoint", "tracepoint"],
    ["unknown", "unknown"],
    ["toString", "toString"],
  ])("%s -> %s", (alias, canonical) => {
    expect(canonicalProbeType(alias)).toBe(canonical);
  });
});

describe("parseProbeListing on odd input", () => {
  it("skips lines without a type, keeps CRLF-free names, ignores orphan parameter lines", () => {
    expect(parseProbeListing("    int orphan\r\nno colon here\r\n:bare\r\nkprobe:f\r\n")).toEqual([
      { type: "kprobe", target: "f", name: "f", params: [] },
    ]);
  });
});
