// The exercises bpflab knows: one grader module per file in graders/, named after the exercise.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Exercise } from "./exercise.ts";

const gradersDir = fileURLToPath(new URL("..", import.meta.url));

export function exerciseIds(): string[] {
  return readdirSync(gradersDir)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

export async function loadExercise(id: string): Promise<Exercise> {
  if (!exerciseIds().includes(id)) {
    throw new Error(`there is no exercise "${id}"; known exercises: ${exerciseIds().join(", ")}`);
  }
  const module = (await import(pathToFileURL(join(gradersDir, `${id}.ts`)).href)) as { default: Exercise };
  return module.default;
}
