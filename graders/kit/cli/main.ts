// bpflab's command line. Each command is a thin layer over the kit.
import { Command, InvalidArgumentError, Option } from "commander";
import { doctorCommand } from "./doctor-command.ts";
import { exportStudentCommand } from "./export-student-command.ts";
import { gradeCommand } from "./grade-command.ts";
import { mergeCommand } from "./merge-command.ts";
import { runCommand } from "./run-command.ts";
import { shellCommand } from "./shell-command.ts";
import { labNames } from "../../../vm/labs.ts";

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return parsed;
}

const program = new Command("bpflab").description("Grades bpftrace kernel-tracing lab exercises in a real lab machine");
const hiddenVisibilityOption = () =>
  new Option("--hidden-visibility <when>", "when Gradescope shows hidden checks to students").choices(["after_published", "hidden"]).default("after_published");
const backendOption = () => new Option("--backend <name>", "where the kernel is").choices(["auto", "vm", "container", "host"]).default("auto");
const labOption = () => new Option("--lab <name>", `which lab machine (default: BPFLAB_LAB, else package.json's bpflab.lab)`).choices(labNames());

program
  .command("grade")
  .description("grade a submission laid out like exercises/, or a folder of them (one per student)")
  .argument("<dir>", "submission folder")
  .addOption(new Option("--format <format>", "report on stdout").choices(["tap", "json"]).default("tap"))
  .option("--exercise <id...>", "grade only these exercises")
  .addOption(backendOption())
  .addOption(labOption())
  .option("--seed <n>", "replay a run's randomization", integer)
  .option("--transcripts <dir>", "where to keep run transcripts", ".bpflab/runs")
  .option("--out <dir>", "write report.tap, summary.csv/json, gradescope/ and prairielearn/ here")
  .option("--jobs <n>", "exercises graded at once, one lab machine each (default: cores)", integer)
  .option("--shard <i/n>", "grade only the i-th of n deterministic parts of the class")
  .addOption(hiddenVisibilityOption())
  .option("--exercise-timeout <seconds>", "abandon and retry a grade that takes longer", integer, 600)
  .action(gradeCommand);

program
  .command("merge")
  .description("merge the --out folders of every shard of a class into one report set")
  .argument("<dirs...>", "the shards' --out folders")
  .requiredOption("--out <dir>", "where to write the merged reports")
  .addOption(hiddenVisibilityOption())
  .action(mergeCommand);

program
  .command("export-student")
  .description("write the repository students get: no solutions, wrong submissions, proofs or hidden checks")
  .argument("<dir>", "a new, empty folder")
  .action(exportStudentCommand);

program
  .command("run")
  .description("run a script live in the lab machine, optionally against a workload, and show its raw output")
  .argument("<script>", "a bpftrace script")
  .argument("[args...]", "positional parameters for the script ($1, $2, ...), after --")
  .option("--workload <name>", "start this workload once the probes are attached")
  .option("--json", "run bpftrace with -f json")
  .option("--duration <seconds>", "how long to keep tracing after the workload ends", integer, 3)
  .addOption(backendOption())
  .addOption(labOption())
  .action(runCommand);

program
  .command("shell")
  .description("an interactive shell in the lab machine, for bpftrace -l and -lv")
  .addOption(backendOption())
  .addOption(labOption())
  .action(shellCommand);

program
  .command("doctor")
  .description("list the labs, check which backends work here and what their kernels can do")
  .addOption(labOption())
  .action(doctorCommand);

await program.parseAsync();
