// Every workload the lab image holds, by program name.
import { contender } from "./contender.ts";
import { kprobeme } from "./kprobeme.ts";
import { mapper } from "./mapper.ts";
import { unlinker } from "./unlinker.ts";
import { writer } from "./writer.ts";

export const workloads = { unlinker, writer, mapper, kprobeme, contender } as const;
export type WorkloadName = keyof typeof workloads;
export const workloadNames = Object.keys(workloads) as WorkloadName[];
