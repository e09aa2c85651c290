// Builds every lab's image (or finds it cached) once, before any test: on a fresh machine a build
// takes a minute or more, which must not come out of the first grading test's time budget, and
// its progress belongs at the top of the log. Without the build tools, the tests that need the
// lab machine say why on their own.
import { plainProgress } from "../../graders/kit/ui/progress.ts";
import { ensureLabImage } from "../../vm/image.ts";
import { labNames, loadLab } from "../../vm/labs.ts";

export default async function buildLabImages(): Promise<void> {
  for (const lab of labNames().map(loadLab)) {
    try {
      await ensureLabImage(plainProgress(), lab);
    } catch (error) {
      process.stderr.write(`bpflab selftest: no ${lab.name} lab image (${error instanceof Error ? error.message : String(error)})\n`);
    }
  }
}
