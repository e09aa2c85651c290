import { vmBackend } from "./graders/kit/machine/vm/vm-backend.ts";
import { runCommand } from "./graders/kit/machine/capabilities/machine-command.ts";
import { plainProgress } from "./graders/kit/ui/progress.ts";
const machine = await vmBackend().boot(plainProgress());
const cmds = process.argv.slice(2);
for (const c of cmds) {
  const t = Date.now();
  const r = await runCommand(machine, ["sh", "-c", c], 120_000);
  console.log(`$ ${c}  [${Date.now() - t} ms] ${JSON.stringify(r.exit)}\n${r.stdout}${r.stderr}`);
}
await machine.close();
