// The environment of a nested npm or vitest run: none of this run's VITEST_* variables nor its
// NODE_OPTIONS, which would make the inner run think it is part of this one.
export function cleanEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith("VITEST") && entry[0] !== "NODE_OPTIONS"));
}
