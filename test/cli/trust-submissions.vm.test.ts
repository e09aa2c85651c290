// `bpflab grade` runs others' submissions only in a kernel of their own. --backend container or
// host is refused before anything runs (no folder read, no machine started, nothing written)
// unless the instructor passes --trust-submissions; then every report says where scripts ran.
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { classIsolation } from "../../graders/kit/cli/grade-command.ts";
import { trustedSubmissions, untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import { dockerMissing } from "../backends/docker-available.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

function bpflab(args: string[]) {
  return execa("node", [join(repo, "bin/bpflab.js"), ...args], { cwd: repo, reject: false });
}

describe("bpflab grade and whose kernel submissions run on", () => {
  test("auto and vm grade under the untrusted policy; container and host are refused without --trust-submissions", () => {
    expect(classIsolation("auto", false)).toEqual({ policy: untrustedSubmissions });
    expect(classIsolation("vm", false)).toEqual({ policy: untrustedSubmissions });
    expect(classIsolation("container", true)).toEqual({ policy: trustedSubmissions });
    expect(classIsolation("auto", true)).toEqual({ policy: trustedSubmissions });
    for (const backend of ["container", "host"] as const) expect(classIsolation(backend, false)).toHaveProperty("refused");
  });

  for (const backend of ["container", "host"]) {
    test(`--backend ${backend} without --trust-submissions: exit 2 with the reason, before anything runs`, async () => {
      const scratch = await mkdtemp(join(tmpdir(), "bpflab-trust-"));
      const out = join(scratch, "out");
      const transcripts = join(scratch, "runs");
      // The submissions folder does not even exist: the refusal comes before it is looked at.
      const run = await bpflab(["grade", join(scratch, "no-such-class"), "--backend", backend, "--out", out, "--transcripts", transcripts]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `bpflab: --backend ${backend} would run every submission on this host's kernel, where a bpftrace script sees every process ` +
          "on the host, the files they open and their memory: other students' scripts, the hidden checks, the CI job's secrets. " +
          "Grade a class with --backend vm (or auto, which grades submissions only in the lab VM), or add --trust-submissions " +
          "if you trust every submission's author (docs/threat-model.md).",
      );
      expect(existsSync(out) || existsSync(transcripts)).toBe(false);
    });
  }

  test("--trust-submissions lifts the refusal and says so", async () => {
    const run = await bpflab(["grade", join(tmpdir(), "bpflab-no-such-class"), "--backend", "host", "--trust-submissions"]);
    expect(run.stderr).toContain("bpflab: submissions trusted (--trust-submissions): --backend host may run them on this host's kernel");
    expect(run.stderr).toContain("is not a directory");
    expect(run.exitCode).toBe(2);
  });

  test.skipIf(dockerMissing !== undefined)(
    "trusted, in the container: every report names the backend and says the submissions were trusted",
    async () => {
      const out = join(await mkdtemp(join(tmpdir(), "bpflab-trusted-")), "out");
      const run = await bpflab(["grade", "solutions", "--exercise", "lock-contention", "--backend", "container", "--trust-submissions", "--jobs", "1", "--out", out]);
      expect(run.exitCode, run.stderr).toBe(0);
      const place = "container: the host's kernel, submissions trusted (--trust-submissions)";
      const read = (file: string) => readFile(join(out, file), "utf8");
      expect(await read("report.tap")).toContain(`\n# ran on ${place}\n`);
      expect(await read("report.tap")).toMatch(/backend: "container"\n +kernel: "host"\n +trust: "trusted-submissions"/);
      expect((await read("summary.csv")).split("\r\n")[1]?.endsWith(`,"${place}"`)).toBe(true);
      const results = JSON.parse(await read("results.json")) as { submissions: Array<{ exercises: Array<{ machine?: { backend: string }; isolation?: unknown }> }> };
      expect(results.submissions[0]?.exercises[0]).toMatchObject({ machine: { backend: "container" }, isolation: { kernel: "host", trust: "trusted-submissions" } });
      expect(JSON.parse(await read("gradescope/solutions/results.json"))).toMatchObject({ extra_data: { ran_on: [place] } });
    },
    300_000,
  );
});
