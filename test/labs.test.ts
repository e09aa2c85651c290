// The labs are data (vm/labs/<name>.json): each one parses, and the course's choice, BPFLAB_LAB
// and --lab pick one in that order of precedence.
import { afterEach, describe, expect, test } from "vitest";
import { chosenLab, courseLabName, inSeries, labNames, loadLab, vfsUnlinkKprobeArgument } from "../vm/labs.ts";

const saved = process.env.BPFLAB_LAB;
afterEach(() => {
  if (saved === undefined) delete process.env.BPFLAB_LAB;
  else process.env.BPFLAB_LAB = saved;
});

describe("labs", () => {
  test("trixie and forky, each a valid lab named after its file", () => {
    expect(labNames()).toEqual(["forky", "trixie"]);
    for (const name of labNames()) expect(loadLab(name).name).toBe(name);
  });

  test("say how their suite packages the kernel, and which versions the image must hold", () => {
    expect(loadLab("trixie")).toMatchObject({ image: { suite: "trixie", kernel: { layout: "image" } }, expect: { kernel: "6.12", bpftrace: "0.23" } });
    expect(loadLab("forky")).toMatchObject({ image: { suite: "forky", kernel: { layout: "split" } }, expect: { kernel: "7.2", bpftrace: "0.27" } });
  });

  test("a kprobe on vfs_unlink reads the dentry as arg2 on both kernels", () => {
    for (const name of labNames()) expect(vfsUnlinkKprobeArgument(loadLab(name), "dentry")).toBe("arg2");
    expect(() => vfsUnlinkKprobeArgument(loadLab("forky"), "victim")).toThrow('vfs_unlink has no argument "victim" in the forky lab');
  });

  test("the course's lab comes from package.json; BPFLAB_LAB overrides it, and --lab overrides both", () => {
    delete process.env.BPFLAB_LAB;
    expect(courseLabName()).toBe("trixie");
    expect(chosenLab().name).toBe("trixie");
    process.env.BPFLAB_LAB = "forky";
    expect(chosenLab().name).toBe("forky");
    expect(chosenLab("trixie").name).toBe("trixie");
  });

  test("an unknown lab is refused with the names of those that exist", () => {
    expect(() => chosenLab("bookworm")).toThrow('there is no lab "bookworm"; the labs are forky, trixie (vm/labs/)');
  });

  test("a version belongs to a series when it is the series or continues it after a dot", () => {
    expect(inSeries("0.27.1", "0.27")).toBe(true);
    expect(inSeries("7.2.12+deb14-cloud-amd64", "7.2")).toBe(true);
    expect(inSeries("0.270.1", "0.27")).toBe(false);
    expect(inSeries("7.20.1", "7.2")).toBe(false);
  });
});
