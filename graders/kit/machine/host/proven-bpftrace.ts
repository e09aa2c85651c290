// Which bpftrace versions bpflab grades with on the host: those of its labs, whose every
// exercise the test suite proves in the lab machine. Output formats and error messages change
// between releases (0.24 moved status lines to stderr), so an unproven release is not trusted.
import { inSeries, labNames, loadLab } from "../../../../vm/labs.ts";

/** The release series the labs hold ("0.23", "0.27"), oldest first. */
export function provenBpftraceSeries(): string[] {
  const series = labNames().map((name) => loadLab(name).expect.bpftrace);
  return [...new Set(series)].sort(olderFirst);
}

function olderFirst(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Where each proven release is packaged, oldest first: "Debian trixie has 0.23, Debian forky has 0.27". */
export function whereProvenBpftraceIs(): string {
  return labNames()
    .map((name) => loadLab(name))
    .sort((a, b) => olderFirst(a.expect.bpftrace, b.expect.bpftrace))
    .map((lab) => `Debian ${lab.image.suite} has ${lab.expect.bpftrace}`)
    .join(", ");
}

/** Why bpflab will not grade with this bpftrace, or undefined when it will. */
export function unprovenBpftrace(version: string | undefined, proven: readonly string[] = provenBpftraceSeries()): string | undefined {
  const works = proven.map((series) => `${series}.x`).join(" or ");
  if (version === undefined) return `bpflab cannot tell which bpftrace this host has; it grades with bpftrace ${works}`;
  if (proven.some((series) => inSeries(version, series))) return undefined;
  return `bpftrace ${version} on this host is not one bpflab has proofs for; it grades with bpftrace ${works} (the labs' versions)`;
}
