// Copies a folder of bpflab's repository, regular files and folders only (links are never
// followed or copied), leaving out what `skip` names.
import { copyFile, lstat, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies `from` into `to`, returning the copied files as `shown`/<relative path>. `skip(name)`
 * leaves a file or folder out wherever it is.
 */
export async function copyTree(from: string, to: string, shown: string, skip: (name: string) => boolean): Promise<string[]> {
  const copied: string[] = [];
  await mkdir(to, { recursive: true });
  for (const name of (await readdir(from)).sort()) {
    if (skip(name)) continue;
    const stat = await lstat(join(from, name));
    if (stat.isDirectory()) copied.push(...(await copyTree(join(from, name), join(to, name), `${shown}/${name}`, skip)));
    else if (stat.isFile()) {
      await copyFile(join(from, name), join(to, name));
      copied.push(`${shown}/${name}`);
    }
  }
  return copied;
}
