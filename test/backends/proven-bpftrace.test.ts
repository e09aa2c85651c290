// The host backend grades only with a bpftrace bpflab has proofs for: the labs' release series.
import { describe, expect, test } from "vitest";
import { provenBpftraceSeries, unprovenBpftrace, whereProvenBpftraceIs } from "../../graders/kit/machine/host/proven-bpftrace.ts";
import { labNames, loadLab } from "../../vm/labs.ts";

describe("which host bpftrace bpflab grades with", () => {
  test("the series are the labs' own", () => {
    expect(provenBpftraceSeries()).toEqual(["0.23", "0.27"]);
    for (const name of labNames()) expect(provenBpftraceSeries()).toContain(loadLab(name).expect.bpftrace);
  });

  test.each(["0.23.2", "0.23.5", "0.23", "0.27.0", "0.27.1"])("grades with %s", (version) => {
    expect(unprovenBpftrace(version)).toBeUndefined();
  });

  test.each(["0.19.1", "0.22.1", "0.24.0", "0.26.3", "0.28.0", "0.230.1", "1.0.0"])("refuses %s, naming the versions that work", (version) => {
    expect(unprovenBpftrace(version)).toBe(
      `bpftrace ${version} on this host is not one bpflab has proofs for; it grades with bpftrace 0.23.x or 0.27.x (the labs' versions)`,
    );
  });

  test("refuses a bpftrace whose version it cannot read", () => {
    expect(unprovenBpftrace(undefined)).toBe("bpflab cannot tell which bpftrace this host has; it grades with bpftrace 0.23.x or 0.27.x");
  });

  test("says where each proven release is packaged, from the labs", () => {
    expect(whereProvenBpftraceIs()).toBe("Debian trixie has 0.23, Debian forky has 0.27");
  });
});
