// The container backend's image: a lab image's root filesystem as a Docker image, built
// locally FROM scratch (no registry needed) and tagged with the lab and its recipe hash, so it
// is built once per lab and recipe and rebuilt exactly when the VM image would be.
import { link, copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheRoot, ensureLabImage, recipeHash } from "../../../../vm/image.ts";
import type { Lab } from "../../../../vm/labs.ts";
import type { VmProgress as Progress } from "../../../../vm/progress.ts";
import { loadTestcontainers, type DockerClient } from "./testcontainers-runtime.ts";

/** Where the image keeps the lab image's package manifest (the VM reads it from the cache). */
export const packageManifestPath = "/etc/bpflab/packages.tsv";

const dockerfile = `FROM scratch
ADD rootfs.tar /
COPY packages.tsv ${packageManifestPath}
`;

export async function containerImageTag(lab: Lab): Promise<string> {
  return `bpflab-lab:${lab.name}-${await recipeHash(lab)}`;
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await link(from, to).catch(() => copyFile(from, to));
}

/** Returns the image's tag, building it first when this recipe has none yet. */
export async function ensureContainerImage(client: DockerClient, progress: Progress, lab: Lab): Promise<string> {
  const { GenericContainer, ImageName } = await loadTestcontainers();
  const tag = await containerImageTag(lab);
  if (await client.image.exists(ImageName.fromString(tag))) return tag;

  const labImage = await ensureLabImage(progress, lab);
  const context = join(cacheRoot(), `container-context-${process.pid}`);
  await rm(context, { recursive: true, force: true });
  await mkdir(context, { recursive: true });
  try {
    await linkOrCopy(labImage.rootfsTar, join(context, "rootfs.tar"));
    await linkOrCopy(join(labImage.dir, "packages.tsv"), join(context, "packages.tsv"));
    await writeFile(join(context, "Dockerfile"), dockerfile);
    const started = Date.now();
    progress.step(`building the container image ${tag} (first use only)`);
    await GenericContainer.fromDockerfile(context).build(tag, { deleteOnExit: false });
    progress.done(`container image ${tag} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return tag;
}
