// The platforms' documented formats, as zod schemas, to hold bpflab's files to (checked 2026-11-30):
// - Gradescope: gradescope/autograder_samples, docs/specs.md ("Output format", "Controlling Test
//   Case Visibility", "Test case status").
// - PrairieLearn: PrairieLearn/PrairieLearn, docs/externalGrading.md ("Grading results",
//   "Configuring and enabling external grader support") and the info.json examples of its
//   graders' docs (c-grader/index.md: uuid, title, topic, tags, type "v3", singleVariant,
//   gradingMethod "External").
// Strict: a field the platform does not document is a mistake in bpflab.
import { z } from "zod";

const gradescopeVisibility = z.enum(["hidden", "after_due_date", "after_published", "visible"]);
const outputFormat = z.enum(["text", "html", "simple_format", "md", "ansi"]);

const gradescopeTest = z
  .object({
    score: z.number().optional(),
    max_score: z.number().optional(),
    status: z.enum(["passed", "failed"]).optional(),
    name: z.string().optional(),
    name_format: outputFormat.optional(),
    number: z.string().optional(),
    output: z.string().optional(),
    output_format: outputFormat.optional(),
    tags: z.array(z.string()).optional(),
    visibility: gradescopeVisibility.optional(),
    extra_data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((test) => test.score === undefined || test.max_score === undefined || (test.score >= 0 && test.score <= test.max_score), "a test's score is between 0 and its max_score");

export const gradescopeResultsSchema = z
  .object({
    score: z.number().optional(),
    execution_time: z.number().optional(),
    output: z.string().optional(),
    output_format: outputFormat.optional(),
    test_output_format: outputFormat.optional(),
    test_name_format: outputFormat.optional(),
    visibility: gradescopeVisibility.optional(),
    stdout_visibility: gradescopeVisibility.optional(),
    extra_data: z.record(z.string(), z.unknown()).optional(),
    tests: z.array(gradescopeTest).optional(),
    leaderboard: z.array(z.object({ name: z.string(), value: z.union([z.number(), z.string()]), order: z.enum(["asc", "desc"]).optional() })).optional(),
  })
  .strict()
  .refine((results) => results.score !== undefined || (results.tests ?? []).every((test) => test.score !== undefined), "a score at the top or on every test");
export type GradescopeResultsFile = z.infer<typeof gradescopeResultsSchema>;

const prairieLearnImage = z.union([z.string(), z.object({ url: z.string(), label: z.string().optional() }).strict()]);

export const prairieLearnResultsSchema = z
  .object({
    gradable: z.boolean().optional(),
    score: z.number().min(0).max(1).optional(),
    format_errors: z.union([z.string(), z.array(z.string())]).optional(),
    message: z.string().optional(),
    output: z.string().optional(),
    images: z.array(prairieLearnImage).optional(),
    tests: z
      .array(
        z
          .object({
            name: z.string(),
            description: z.string().optional(),
            points: z.number().min(0),
            max_points: z.number().min(0),
            message: z.string().optional(),
            output: z.string().optional(),
            images: z.array(prairieLearnImage).optional(),
          })
          .strict()
          .refine((test) => test.points <= test.max_points, "a test's points are at most its max_points"),
      )
      .optional(),
  })
  .strict()
  .refine((results) => results.gradable === false || results.score !== undefined, "a gradable result has a score");
export type PrairieLearnResultsFile = z.infer<typeof prairieLearnResultsSchema>;

/** "this file should be limited to 1 MB". */
export const prairieLearnResultsMaxBytes = 1024 * 1024;

export const prairieLearnQuestionInfoSchema = z
  .object({
    uuid: z.string().uuid(),
    title: z.string().min(1),
    topic: z.string().min(1),
    tags: z.array(z.string()),
    type: z.literal("v3"),
    singleVariant: z.boolean(),
    gradingMethod: z.literal("External"),
    externalGradingOptions: z
      .object({
        enabled: z.literal(true),
        image: z.string().min(1),
        entrypoint: z.union([z.string(), z.array(z.string())]).optional(),
        serverFilesCourse: z.array(z.string()).optional(),
        timeout: z.number().int().positive().max(600).optional(),
        enableNetworking: z.boolean().optional(),
        environment: z.record(z.string(), z.string().nullable()).optional(),
      })
      .strict(),
  })
  .strict();
