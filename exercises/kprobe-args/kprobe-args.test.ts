import { gradeThisExercise } from "../../graders/kit/vitest/exercise-suite.ts";

await gradeThisExercise(import.meta.url);
