import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BpftraceInfoError, parseBpftraceInfo } from "../../graders/kit/machine/capabilities/bpftrace-info.ts";

const recorded = (name: string) => readFileSync(join(import.meta.dirname, "../../fixtures/bpftrace-output/info", name), "utf8");

describe("bpftrace --info", () => {
  it("reads the container's view of a host kernel without fentry", () => {
    const info = parseBpftraceInfo(recorded("container-host-6.18.txt"));
    expect(info).toMatchObject({ version: "0.23.2", btf: true, fentry: false, kprobeProgramType: true });
    expect(info.sections.System?.OS).toBe("Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0");
    expect(info.sections["Kernel features"]?.["Instruction limit"]).toBe("1000000");
    expect(info.sections["Probe types"]?.kprobe_multi).toBe("no");
  });

  it("reads the lab VM's kernel, which has fentry", () => {
    const info = parseBpftraceInfo(recorded("vm-6.12.txt"));
    expect(info).toMatchObject({ version: "0.23.2", btf: true, fentry: true, kprobeProgramType: true });
    expect(info.sections["Probe types"]?.kprobe_multi).toBe("yes");
  });

  it("takes kfunc for fentry (bpftrace before 0.22)", () => {
    const info = parseBpftraceInfo("Build\n  version: v0.19.1\n\nProbe types\n  kprobe: yes    kfunc: yes\n");
    expect(info).toMatchObject({ version: "0.19.1", fentry: true });
  });

  it("refuses output without a version", () => {
    expect(() => parseBpftraceInfo("ERROR: something\n")).toThrow(BpftraceInfoError);
  });

  it("reads the forky lab VM's bpftrace 0.27, which reports neither fentry nor kprobe", () => {
    const info = parseBpftraceInfo(recorded("vm-7.2.txt"));
    expect(info).toMatchObject({ version: "0.27.0", btf: true, fentry: null, kprobeProgramType: null });
    expect(info.sections.System?.OS).toMatch(/^Linux 7\.2\.12\+deb14-cloud-amd64 /);
    expect(info.sections["Probe types"]).toEqual({ kprobe_multi: "yes", uprobe_multi: "yes", kprobe_session: "yes", iter: "yes" });
    expect(info.sections["Kernel features"]).toEqual({ "Instruction limit": "1000000", btf: "yes", "module btf": "yes" });
  });
});
