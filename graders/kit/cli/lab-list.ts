// What `bpflab doctor` says about the labs: each one, whether its image is built here, and the
// kernel and bpftrace it holds (or is expected to hold, before it is built).
import { builtLabImage, imageVersions } from "../../../vm/image.ts";
import { labNames, loadLab, type Lab } from "../../../vm/labs.ts";

export interface LabListing {
  name: string;
  title: string;
  chosen: boolean;
  /** From the built image's manifest; undefined when this lab has no image for the current recipe. */
  built: { kernel: string | undefined; bpftrace: string | undefined; dir: string } | undefined;
}

export async function listLabs(chosen: Lab): Promise<LabListing[]> {
  const listings: LabListing[] = [];
  for (const name of labNames()) {
    const lab = loadLab(name);
    const image = await builtLabImage(lab);
    listings.push({
      name,
      title: lab.title,
      chosen: name === chosen.name,
      built: image && { ...imageVersions(image.packages), dir: image.dir },
    });
  }
  return listings;
}

export function formatLabs(listings: readonly LabListing[]): string {
  const lines = ["labs (vm/labs/; choose with --lab, BPFLAB_LAB or package.json's bpflab.lab):"];
  for (const lab of listings) {
    const state = lab.built ? `built: kernel ${lab.built.kernel ?? "?"}, bpftrace ${lab.built.bpftrace ?? "?"}` : "not built here yet (its first use builds it, about a minute)";
    lines.push(`  ${lab.chosen ? "*" : " "} ${lab.name.padEnd(8)} ${lab.title}; ${state}`);
  }
  return `${lines.join("\n")}\n`;
}
