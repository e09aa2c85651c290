// A copy of bpflab with one hidden check added to vfs-unlink (graders/vfs-unlink.hidden.ts),
// for tests that need a hidden check without touching the real graders. node_modules is linked.
import { cp, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportStudentRepository } from "../../graders/kit/export/student-repository.ts";

export const repo = fileURLToPath(new URL("../..", import.meta.url));
export const hiddenCheckName = "prints each unlinked file exactly once";
export const hiddenCheckId = "exactly-once";

export const hiddenCheckSource = `import { z } from "zod";
import { fail, pass } from "./kit/exercise.ts";
import { holds, valueLines } from "./kit/evidence/line-values.ts";
import { hiddenChecks } from "./kit/hidden-checks.ts";
import { unlinker } from "./kit/workloads/unlinker.ts";

export default hiddenChecks({
  task: "vfs-unlink.bt",
  output: "text",
  plan: z.object({ unlinks: z.array(z.object({ name: z.string() })) }),
  workloads: { unlinker },
  checks: [
    {
      id: "${hiddenCheckId}",
      name: "${hiddenCheckName}",
      points: 1,
      verify: ({ plan, output }) => {
        const named = (name: string) => valueLines(output.lines).filter((line) => holds(line, name)).length;
        const wrong = plan.unlinks.filter((unlink) => named(unlink.name) !== 1);
        return wrong.length === 0 ? pass : fail(\`\${wrong.length} unlinked files were not printed exactly once.\`);
      },
    },
  ],
});
`;

/** The copy's root: what students get, plus solutions/, docs/ and the hidden check (an instructor's repository). */
export async function labCopyWithHiddenCheck(): Promise<string> {
  const root = join(await mkdtemp(join(tmpdir(), "bpflab-copy-")), "instructor");
  await exportStudentRepository(repo, root);
  await cp(join(repo, "solutions"), join(root, "solutions"), { recursive: true });
  await cp(join(repo, "docs"), join(root, "docs"), { recursive: true });
  await writeFile(join(root, "graders", "vfs-unlink.hidden.ts"), hiddenCheckSource);
  await symlink(join(repo, "node_modules"), join(root, "node_modules"));
  return root;
}
