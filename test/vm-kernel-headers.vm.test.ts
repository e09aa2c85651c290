// The lab machine carries its kernel's headers where bpftrace looks for them, so a script that
// starts with `#include <linux/dcache.h>` behaves as on a distribution with the headers
// installed: it runs on trixie (bpftrace 0.23); on forky bpftrace 0.27 reads the headers and
// cannot parse them with BTF (the lab's facts say which, and the README tells students).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCommand } from "../graders/kit/machine/capabilities/machine-command.ts";
import type { LabMachine } from "../graders/kit/machine/lab-machine.ts";
import { vmBackend } from "../graders/kit/machine/vm/vm-backend.ts";
import { silentProgress } from "../graders/kit/ui/progress.ts";
import { chosenLab } from "../vm/labs.ts";

const lab = chosenLab();
const script = `#include <linux/dcache.h>
#include <linux/fs.h>
BEGIN
{
  printf("DNAME_INLINE_LEN=%d S_IFMT=%d\\n", DNAME_INLINE_LEN, S_IFMT);
  exit();
}
`;

let machine: LabMachine;
beforeAll(async () => {
  machine = await vmBackend({ lab }).boot(silentProgress);
});
afterAll(async () => {
  await machine?.close();
});

describe(`kernel headers in the ${lab.name} lab machine`, () => {
  test("are those of the running kernel, where bpftrace looks for them", async () => {
    const result = await runCommand(machine, ["sh", "-c", 'cd /lib/modules/"$(uname -r)" && ls build/include/generated/autoconf.h source/include/linux/dcache.h'], 30_000);
    expect(result.stderr).toBe("");
    expect(result.exit).toEqual({ kind: "exited", code: 0 });
  });

  // clang parses the headers in the guest: about a minute under TCG on a loaded 2-core host.
  test(lab.facts.kernelHeaders.includeRuns ? "let a script with #include <linux/dcache.h> run" : "are read by bpftrace, which cannot parse them with BTF", { timeout: 400_000 }, async () => {
    await machine.writeFile("/tmp/includes.bt", script);
    const result = await runCommand(machine, ["sh", "-c", "cd /tmp && exec bpftrace includes.bt"], 360_000);
    expect(result.stderr).not.toMatch(/file not found/);
    if (lab.facts.kernelHeaders.includeRuns) {
      expect(result.stdout).toMatch(/^DNAME_INLINE_LEN=\d+ S_IFMT=61440$/m);
      expect(result.exit).toEqual({ kind: "exited", code: 0 });
    } else {
      expect(result.stderr).toMatch(new RegExp(`^/lib/modules/${machine.info.kernelRelease.replaceAll(".", "\\.").replaceAll("+", "\\+")}/source/include/linux/\\S+: error: unknown type name 'bool'$`, "m"));
      expect(result.exit).toMatchObject({ kind: "exited" });
      expect(result.exit).not.toEqual({ kind: "exited", code: 0 });
    }
  });
});
