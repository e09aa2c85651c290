// `bpftrace -l script.bt` output recorded from bpftrace v0.23.2 (fixtures/bpftrace-output/trixie,
// scripts/probes.bt). The recording host has no fentry, so fentry lines below are hand-written
// in the format of bpftrace's ProbeMatcher::list_probes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canonicalProbeType,
  findListedProbes,
  parseProbeListing,
} from "../graders/kit/bpftrace/script-probes.ts";

function recorded(name: string): string {
  return readFileSync(new URL(`../fixtures/bpftrace-output/trixie/${name}.txt`, import.meta.url), "utf8");
}

describe("parseProbeListing on recorded listings", () => {
  it("-l: one probe per attach point match, wildcards expanded, BEGIN/END as special", () => {
    const probes = parseProbeListing(recorded("list-probes"));
    expect(probes.map((p) => `${p.type} ${p.target}`)).toEqual([
      "tracepoint lock:contention_begin",
      "tracepoint syscalls:sys_enter_open",
      "tracepoint syscalls:sys_enter_open_by_handle_at",
      "tracepoint syscalls:sys_enter_open_tree",
      "tracepoint syscalls:sys_enter_open_tree_attr",
      "tracepoint syscalls:sys_enter_openat",
      "tracepoint syscalls:sys_enter_openat2",
      "tracepoint syscalls:sys_enter_write",
      "special :",
      "special :",
      "interval s:",
    ]);
    expect(probes[0]).toEqual({
      type: "tracepoint",
      target: "lock:contention_begin",
      name: "contention_begin",
      params: [],
    });
    expect(findListedProbes(probes, "t", "sys_enter_write")).toHaveLength(1);
    expect(findListedProbes(probes, "BEGIN", "")).toHaveLength(2);
  });

  it("-lv: parameters of tracepoints", () => {
    const probes = parseProbeListing(recorded("list-probes-verbose"));
    expect(probes).toHaveLength(11);
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
    expect(parseProbeListing(recorded("list-probes-kfunc"))).toEqual([]);
    expect(parseProbeListing(recorded("list-probes-missing"))).toEqual([]);
  });
});

describe("fentry listings", () => {
  const listing = [
    "fentry:vmlinux:vfs_unlink",
    "    struct mnt_idmap * idmap",
    "    struct inode * dir",
    "    struct dentry * dentry",
    "    struct inode ** delegated_inode",
    "    int retval",
    "kprobe:vfs_unlink",
    "",
  ].join("\n");

  it("kfunc in a script lists as fentry, with the module in the target", () => {
    const probes = parseProbeListing(listing);
    expect(findListedProbes(probes, "kfunc", "vfs_unlink")).toEqual([
      {
        type: "fentry",
        target: "vmlinux:vfs_unlink",
        name: "vfs_unlink",
        params: [
          "struct mnt_idmap * idmap",
          "struct inode * dir",
          "struct dentry * dentry",
          "struct inode ** delegated_inode",
          "int retval",
        ],
      },
    ]);
    expect(findListedProbes(probes, "kretfunc", "vfs_unlink")).toEqual([]);
    expect(findListedProbes(probes, "k", "vfs_unlink").map((p) => p.type)).toEqual(["kprobe"]);
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
