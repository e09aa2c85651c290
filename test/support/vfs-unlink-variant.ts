// Tests that need a grader of their own build it here: one text task on vfs-unlink.bt, the
// script every submission these tests grade has, with the plan, workloads and checks under test.
import { exercise, task, type Exercise, type TaskSpec, type Workloads } from "../../graders/kit/exercise.ts";

export function vfsUnlinkVariant<Plan, W extends Workloads>(title: string, spec: Omit<TaskSpec<Plan, "text", W>, "script" | "output">): Exercise {
  return exercise({
    id: "vfs-unlink",
    title,
    requires: [],
    tasks: [task({ ...spec, script: "vfs-unlink.bt", output: "text" })],
  });
}
