// A workload for the harness's own tests: busybox sh runs the plan's commands in the lab
// machine, then records that it is done, as every workload does.
import { z } from "zod";
import { doneRecord } from "../../graders/kit/workloads/common.ts";
import { defineWorkload } from "../../graders/kit/workloads/workload.ts";

export const shell = defineWorkload({
  program: "sh",
  plan: z.strictObject({ commands: z.array(z.string()) }),
  render: (plan) => [...plan.commands, `echo '{"op":"done","elapsed_ns":0}'`],
  records: doneRecord,
});
