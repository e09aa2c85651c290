// The image the platform tests start from, standing in for a platform's base image: no registry is
// reachable here, so it is a Debian bookworm root filesystem (mmdebstrap, minbase: apt and little
// else, like Gradescope's "Base" Ubuntu image) with Node 20 added. Node is this machine's own
// binary and npm, laid out as Node's official tarball installs them under /usr/local: bookworm's
// nodejs is 18, nodejs.org (where setup.sh fetches Node on Ubuntu) is not reachable here, and the
// official node:20 image PrairieLearn's Dockerfile starts from is on a registry. The image also
// trusts what this machine trusts (its CA bundle, for Node: NODE_EXTRA_CA_CERTS), so that npm works
// in the image builds behind a TLS-inspecting proxy, where there is one. Built once and kept as a
// Docker image whose tag hashes what went into it.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile, cp, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";

const suite = "bookworm";
const mirror = `deb http://deb.debian.org/debian ${suite} main`;
const repository = "bpflab-test-platform-base";
const hostCaBundle = "/etc/ssl/certs/ca-certificates.crt";

async function imageExists(tag: string): Promise<boolean> {
  return (await execa("docker", ["image", "inspect", tag], { reject: false })).exitCode === 0;
}

/** Removes this repository's images other than `keep`: each rebuild would leave one behind. */
export async function removeOtherTags(repositoryName: string, keep: string): Promise<void> {
  const listed = await execa("docker", ["image", "ls", repositoryName, "--format", "{{.Repository}}:{{.Tag}}"], { reject: false });
  const stale = listed.stdout.split("\n").filter((tag) => tag && tag !== keep);
  if (stale.length > 0) await execa("docker", ["image", "rm", "--force", ...stale], { reject: false });
}

export async function ensurePlatformBase(log: (line: string) => void): Promise<string> {
  const node = process.execPath;
  const npm = join(dirname(dirname(node)), "lib/node_modules/npm");
  const caBundle = await readFile(hostCaBundle, "utf8");
  const key = createHash("sha256").update(`${suite} minbase\n${process.version}\n${await readFile(join(npm, "package.json"), "utf8")}\n${caBundle}`).digest("hex").slice(0, 12);
  const tag = `${repository}:${key}`;
  if (await imageExists(tag)) return tag;

  const context = await mkdtemp(join(tmpdir(), "bpflab-platform-base-"));
  try {
    const started = Date.now();
    log(`building ${tag}: Debian ${suite} (mmdebstrap minbase) and Node ${process.version}`);
    await execa("mmdebstrap", ["--quiet", "--variant=minbase", "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-exclude=/usr/share/man/*", suite, join(context, "rootfs.tar"), mirror]);
    await mkdir(join(context, "node/bin"), { recursive: true });
    await cp(node, join(context, "node/bin/node"));
    await cp(npm, join(context, "node/lib/node_modules/npm"), { recursive: true });
    await writeFile(join(context, "host-ca-certificates.crt"), caBundle);
    await writeFile(
      join(context, "Dockerfile"),
      `FROM scratch
ADD rootfs.tar /
COPY node/ /usr/local/
COPY host-ca-certificates.crt /usr/local/share/host-ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
CMD ["bash"]
`,
    );
    await execa("docker", ["build", "--quiet", "--network", "host", "-t", tag, context]);
    log(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await removeOtherTags(repository, tag);
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
