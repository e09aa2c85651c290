// The lab machine carries its kernel's headers where bpftrace looks for them, so a script that
// starts with `#include <linux/dcache.h>` behaves as on a distribution with the headers
// installed. Which headers bpftrace cannot parse in a lab (0.27 with BTF: <linux/fs.h>) is one
// of the lab's facts, and the README tells students.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCommand } from "../graders/kit/machine/capabilities/machine-command.ts";
import type { LabMachine } from "../graders/kit/machine/lab-machine.ts";
import { vmBackend } from "../graders/kit/machine/vm/vm-backend.ts";
import { silentProgress } from "../graders/kit/ui/progress.ts";
import { chosenLab } from "../vm/labs.ts";

const lab = chosenLab();
const dcache = `#include <linux/dcache.h>
BEGIN
{
  printf("DNAME_INLINE_LEN=%d\\n", DNAME_INLINE_LEN);
  exit();
}
`;
const fs = `#include <linux/fs.h>
BEGIN
{
  printf("S_IFMT=%d\\n", S_IFMT);
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

async function run(script: string) {
  await machine.writeFile("/tmp/includes.bt", script);
  return runCommand(machine, ["sh", "-c", "cd /tmp && exec bpftrace includes.bt"], 360_000);
}

describe(`kernel headers in the ${lab.name} lab machine`, () => {
  test("are those of the running kernel, where bpftrace looks for them", async () => {
    const result = await runCommand(machine, ["sh", "-c", 'cd /lib/modules/"$(uname -r)" && ls build/include/generated/autoconf.h source/include/linux/dcache.h'], 30_000);
    expect(result.stderr).toBe("");
    expect(result.exit).toEqual({ kind: "exited", code: 0 });
  });

  // clang parses the headers in the guest: about a minute under TCG on a loaded 2-core host.
  test("let a script with #include <linux/dcache.h> run", { timeout: 400_000 }, async () => {
    const result = await run(dcache);
    expect(result.stdout).toMatch(/^DNAME_INLINE_LEN=\d+$/m);
    expect(result.exit).toEqual({ kind: "exited", code: 0 });
  });

  const fsParses = !lab.facts.kernelHeaders.unparseable.includes("linux/fs.h");
  test(fsParses ? "let a script with #include <linux/fs.h> run" : "refuse <linux/fs.h>, which bpftrace cannot parse with BTF here", { timeout: 400_000 }, async () => {
    const result = await run(fs);
    expect(result.stderr).not.toMatch(/file not found/);
    if (fsParses) {
      expect(result.stdout).toMatch(/^S_IFMT=61440$/m);
      expect(result.exit).toEqual({ kind: "exited", code: 0 });
    } else {
      expect(result.stderr).toMatch(/error: unknown type name 'bool'$/m);
      expect(result.exit).not.toEqual({ kind: "exited", code: 0 });
    }
  });
});
