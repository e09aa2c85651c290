// The labs a course can choose: one Debian release each, described as data in vm/labs/<name>.json
// (what the image is built from, which versions it must hold, and the facts that exercises and
// their READMEs depend on). Which lab a checkout uses is chosen once, in package.json's
// "bpflab": { "lab": ... }; BPFLAB_LAB and --lab override it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const labsDir = join(repoRoot, "vm/labs");

/** "0.23" or "7.2": a release series; a version belongs to it when it is equal or starts with it and a dot. */
const seriesSchema = z.string().regex(/^\d+\.\d+$/);

const argumentSchema = z.object({ name: z.string(), type: z.string() });

const labSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string(),
  /** What the image recipe (vm/recipe/build-image.sh) is given. */
  image: z.strictObject({
    suite: z.string(),
    mirror: z.url(),
    kernel: z.strictObject({
      /** The meta package that names the kernel (linux-image-cloud-amd64). */
      package: z.string(),
      /**
       * How the suite packages it. image: linux-image-<release> holds /boot/vmlinuz and the
       * modules. split: linux-image-<release> is a meta package over linux-binary-<release>
       * (/usr/lib/modules/<release>/vmlinuz), linux-modules-<release> and linux-base-<release>.
       */
      layout: z.enum(["image", "split"]),
    }),
    /** The meta package of the kernel's headers; it must name the same release as the kernel. */
    headers: z.string(),
  }),
  /** The series the built image must hold; a build that finds others fails and says so. */
  expect: z.strictObject({ kernel: seriesSchema, bpftrace: seriesSchema }),
  /** What a student sees differently from one lab to another, measured in the lab machine. */
  facts: z.strictObject({
    /** `bpftrace -lv kfunc:vfs_unlink`: its arguments in order (a kprobe reads them as arg0, arg1, ...). */
    vfsUnlinkArguments: z.array(argumentSchema).min(1),
    /** How `bpftrace -l` names kfunc and kretfunc probes: "fentry:vmlinux:vfs_unlink", "fexit:vmlinux:fget". */
    kfuncListing: z.string(),
    kretfuncListing: z.string(),
    /** Whether `bpftrace -lv` of a kfunc (fentry) probe lists `retval` among its arguments. */
    kfuncListsRetval: z.boolean(),
    /** `print(args)` in kfunc:vfs_write, with addresses as 0x...: bpftrace's own layout. */
    printArgs: z.string(),
    /** How `-f json` writes a pointer used as a map key (args.lock_addr): "18446612686365003776" or "0xffff888100001000". */
    jsonPointerKeys: z.enum(["decimal", "hex"]),
    /** How `print(*args.file)` shows an atomic member (f_lock's raw_lock.val): bpftrace's own layout. */
    printAtomic: z.string(),
    /**
     * What bpftrace says about lines the exercises' scripts use, beyond their output: the line,
     * the stream it prints on (0.27 prints compile-time warnings on stdout) and its message.
     */
    diagnostics: z.array(z.strictObject({ line: z.string(), stream: z.enum(["stdout", "stderr"]), message: z.string() })),
    /**
     * Whether the lab text's fget example (strcontains() of an unclamped str() of the file name)
     * loads; 0.23 warns about strcontains() and the verifier refuses it, 0.27 loads it.
     */
    unclampedStrcontainsLoads: z.boolean(),
    /**
     * The kernel's headers are there in every lab; these are the ones bpftrace cannot parse
     * there ("linux/fs.h"): a script that includes one is refused.
     */
    kernelHeaders: z.strictObject({ unparseable: z.array(z.string()), note: z.string() }),
    /** Whether bpftrace crashes (SIGSEGV) loading a script whose #define uses a positional parameter ($1). */
    positionalInMacroCrashes: z.boolean(),
  }),
});

export type Lab = z.infer<typeof labSchema>;

export function labNames(): string[] {
  return readdirSync(labsDir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

export function loadLab(name: string): Lab {
  const known = labNames();
  if (!known.includes(name)) throw new Error(`there is no lab "${name}"; the labs are ${known.join(", ")} (vm/labs/)`);
  const file = join(labsDir, `${name}.json`);
  const parsed = labSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not a valid lab: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.name !== name) throw new Error(`${file} names itself "${parsed.data.name}"; a lab's name is its file's name`);
  return parsed.data;
}

const courseSchema = z.object({ bpflab: z.object({ lab: z.string() }) });

/** The lab this checkout's course uses: package.json's "bpflab": { "lab": ... }. */
export function courseLabName(): string {
  const manifest = join(repoRoot, "package.json");
  const parsed = courseSchema.safeParse(JSON.parse(readFileSync(manifest, "utf8")));
  if (!parsed.success) throw new Error(`${manifest} names no lab: add "bpflab": { "lab": "<one of ${labNames().join(", ")}>" }`);
  return parsed.data.bpflab.lab;
}

/** The lab to use: the one asked for (--lab), else BPFLAB_LAB, else the course's. */
export function chosenLab(asked?: string): Lab {
  return loadLab(asked ?? (process.env.BPFLAB_LAB || courseLabName()));
}

/** Whether a version ("0.27.1", "7.2.12+deb14-cloud-amd64") belongs to a series ("0.27", "7.2"). */
export function inSeries(version: string, series: string): boolean {
  return version === series || version.startsWith(`${series}.`);
}

/** The argument of vfs_unlink that a kprobe reads as argN, by its name ("dentry": "arg2"). */
export function vfsUnlinkKprobeArgument(lab: Lab, name: string): string {
  const index = lab.facts.vfsUnlinkArguments.findIndex((argument) => argument.name === name);
  if (index < 0) throw new Error(`vfs_unlink has no argument "${name}" in the ${lab.name} lab`);
  return `arg${index}`;
}
