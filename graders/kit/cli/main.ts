// bpflab's command line. Each command is a thin layer over the kit.
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { platforms } from "../package/platform-results.ts";
import { stdoutFormats } from "../report/formats.ts";
import { autograderGradeCommand, autograderPrepareCommand } from "./autograder-command.ts";
import { doctorCommand } from "./doctor-command.ts";
import { exportStudentCommand } from "./export-student-command.ts";
import { gradeCommand } from "./grade-command.ts";
import { labSessionCommand } from "./lab-session-command.ts";
import { mergeCommand } from "./merge-command.ts";
import { packageCommand } from "./package-command.ts";
import { regradeCommand } from "./regrade-command.ts";
import { runCommand } from "./run-command.ts";
import { shellCommand } from "./shell-command.ts";
import { labNames } from "../../../vm/labs.ts";

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError("expected a positive number");
  return parsed;
}

const program = new Command("bpflab").description("Grades bpftrace kernel-tracing lab exercises in a real lab machine");
const hiddenVisibilityOption = () =>
  new Option("--hidden-visibility <when>", "when Gradescope shows hidden checks to students").choices(["after_published", "hidden"]).default("after_published");
const formatOption = () => new Option("--format <format>", "report on stdout, without --out").choices([...stdoutFormats]).default("tap");
const backendOption = (auto: string) =>
  new Option("--backend <name>", `where the kernel is: vm (the lab VM, a kernel of its own), container or host (this host's kernel); auto ${auto}`)
    .choices(["auto", "vm", "container", "host"])
    .default("auto");
const ownScriptBackend = () => backendOption("tries vm, then container, then host (your own script may see this host)");
const labOption = () => new Option("--lab <name>", `which lab machine (default: BPFLAB_LAB, else package.json's bpflab.lab)`).choices(labNames());

program
  .command("grade")
  .description("grade a submission laid out like exercises/, or a folder of them (one per student)")
  .argument("<dir>", "submission folder")
  .addOption(formatOption())
  .option("--exercise <id...>", "grade only these exercises")
  .addOption(backendOption("grades submissions only in the lab VM"))
  .option("--trust-submissions", "allow --backend container or host (and auto's fallback to them): submissions then run on this host's kernel, where they can see every process and its files (docs/threat-model.md)")
  .addOption(labOption())
  .option("--seed <n>", "replay a run's randomization", integer)
  .option("--transcripts <dir>", "where to keep run transcripts (default: <out>/transcripts with --out, else .bpflab/runs)")
  .option("--out <dir>", "write report.tap, report.html, summary.csv/json, results.json, gradescope/ and prairielearn/ here")
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
  .command("regrade")
  .description("judge a graded class again with today's graders, from its recorded runs: no lab machine")
  .argument("<dir>", "a grade run's --out folder, or a folder of transcripts")
  .addOption(formatOption())
  .option("--out <dir>", "write the same reports as grade --out here")
  .addOption(hiddenVisibilityOption())
  .action(regradeCommand);

program
  .command("export-student")
  .description("write the repository students get: no solutions, wrong submissions, proofs or hidden checks")
  .argument("<dir>", "a new, empty folder")
  .action(exportStudentCommand);

program
  .command("run")
  .description("run your own script live in the lab machine (with --backend container or host: on this host's kernel), optionally against a workload, and show its raw output")
  .argument("<script>", "a bpftrace script")
  .argument("[args...]", "positional parameters for the script ($1, $2, ...), after --")
  .option("--workload <name>", "start this workload once the probes are attached")
  .option("--json", "run bpftrace with -f json")
  .option("--duration <seconds>", "how long to keep tracing after the workload ends", integer, 3)
  .addOption(ownScriptBackend())
  .addOption(labOption())
  .action(runCommand);

program
  .command("shell")
  .description("a shell in the lab machine (a second one joins the first one's machine), or one command after --; with --backend container or host, a shell on this host's kernel, as root")
  .argument("[command...]", "a command to run instead of the shell, after --")
  .addOption(ownScriptBackend())
  .addOption(labOption())
  .action(shellCommand);

program
  .command("lab-session", { hidden: true })
  .description("the lab machine that every bpflab shell of a lab shares (started by the first one)")
  .argument("<lab>", "the lab folder (the one with exercises/)")
  .addOption(ownScriptBackend())
  .addOption(labOption())
  .action(labSessionCommand);

program
  .command("package")
  .description("write what a grading platform runs: Gradescope's autograder.zip, or PrairieLearn's grader image and an example question")
  .addArgument(new Argument("<platform>").choices([...platforms]))
  .requiredOption("--out <dir>", "where to write the package")
  .option("--exercise <id...>", "the exercises it grades (PrairieLearn: the one its example question grades; default: all)")
  .option("--cpus <n>", "CPUs of the platform's grading container (default: Gradescope 1, PrairieLearn 0.9)", positiveNumber)
  .option("--memory-mb <n>", "memory of the platform's grading container in MB (default: Gradescope 1536, PrairieLearn 2048)", integer)
  .option("--lab-image", "include this machine's lab image, so that the platform's image build copies it instead of building it")
  .option("--image <name>", "PrairieLearn: the name the grader image is pushed under", "bpflab/prairielearn-grader")
  .addOption(hiddenVisibilityOption())
  .option("--exercise-timeout <seconds>", "abandon and retry an exercise's grade that takes longer", integer, 240)
  .action(packageCommand);

const autograder = program.command("autograder").description("what runs inside a grading platform's image (written by bpflab package)");
autograder.command("prepare").description("build the lab image and save the booted machine for this image's VM size").action(autograderPrepareCommand);
autograder
  .command("grade")
  .description("grade one student's upload (loose files, a zip, or a repository laid out like exercises/) in the lab VM and write the platform's results file")
  .argument("<upload>", "the folder the platform put the upload in")
  .addOption(new Option("--for <platform>", "whose results format").choices([...platforms]).makeOptionMandatory())
  .requiredOption("--results <file>", "where the platform reads the results")
  .option("--exercise <id...>", "the exercises to grade (default: all, or data.json's params.exercise)")
  .option("--prairielearn-data <file>", "PrairieLearn's /grade/data/data.json")
  .option("--transcripts <dir>", "where to keep run transcripts", ".bpflab/runs")
  .addOption(hiddenVisibilityOption())
  .option("--exercise-timeout <seconds>", "abandon and retry an exercise's grade that takes longer", integer, 240)
  .action(autograderGradeCommand);

program
  .command("doctor")
  .description("list the labs, check which backends work here and what their kernels can do")
  .addOption(labOption())
  .action(doctorCommand);

await program.parseAsync();
