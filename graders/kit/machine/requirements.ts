// What a lab machine must offer for some work to make sense there: the machine layer's own
// vocabulary, which exercises use to say what they need.

/** A feature of the lab machine's kernel. */
export type Requirement = "fentry" | "kprobe" | `tracepoint:${string}:${string}`;

/** Something that needs features, by name: doctor says, for each, whether a backend can take it. */
export interface Needs {
  id: string;
  requires: readonly Requirement[];
}
