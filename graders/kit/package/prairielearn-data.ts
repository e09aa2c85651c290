// /grade/data/data.json, the question's data PrairieLearn hands its external grader
// (docs/externalGrading.md: "the data object that would normally be provided to the grade method
// of your question's server file"). A question whose server.py sets params.exercise names the
// exercise there instead of in the entrypoint's arguments.
import { readFile } from "node:fs/promises";
import { z } from "zod";

const dataSchema = z.object({ params: z.object({ exercise: z.string().optional() }).passthrough().optional() }).passthrough();

/** The exercise data.json names, undefined when it names none; throws when the file is not PrairieLearn's data. */
export async function exerciseFromData(path: string): Promise<string | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = dataSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not PrairieLearn's question data: ${parsed.error.message}`);
  return parsed.data.params?.exercise;
}
