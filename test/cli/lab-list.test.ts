// `bpflab doctor` starts with the labs: the chosen one marked, built ones with their versions.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { formatLabs, listLabs } from "../../graders/kit/cli/lab-list.ts";
import { loadLab } from "../../vm/labs.ts";

const savedCache = process.env.BPFLAB_CACHE;
afterEach(() => {
  if (savedCache === undefined) delete process.env.BPFLAB_CACHE;
  else process.env.BPFLAB_CACHE = savedCache;
});

test("lists every lab, marks the chosen one, and says which are not built here", async () => {
  const empty = await mkdtemp(join(tmpdir(), "bpflab-no-images-"));
  process.env.BPFLAB_CACHE = empty;
  try {
    const listings = await listLabs(loadLab("forky"));
    expect(listings.map((lab) => [lab.name, lab.chosen, lab.built])).toEqual([
      ["forky", true, undefined],
      ["trixie", false, undefined],
    ]);
    expect(formatLabs(listings)).toBe(
      [
        "labs (vm/labs/; choose with --lab, BPFLAB_LAB or package.json's bpflab.lab):",
        "  * forky    Debian 14 forky (testing): Linux 7.2, bpftrace 0.27; not built here yet (its first use builds it, about a minute)",
        "    trixie   Debian 13 trixie: Linux 6.12, bpftrace 0.23; not built here yet (its first use builds it, about a minute)",
        "",
      ].join("\n"),
    );
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});

test("a built lab shows the kernel and bpftrace its image holds", () => {
  expect(
    formatLabs([{ name: "trixie", title: "Debian 13 trixie", chosen: true, built: { kernel: "6.12.117+deb13-cloud-amd64", bpftrace: "0.23.2", dir: "/cache/labs/trixie/image-1" } }]),
  ).toContain("  * trixie   Debian 13 trixie; built: kernel 6.12.117+deb13-cloud-amd64, bpftrace 0.23.2\n");
});
