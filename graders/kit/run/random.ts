// Seeded randomness for workload plans: every run draws new names, sizes and fds, and
// `--seed N` replays a run exactly.

export interface Random {
  readonly seed: number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** Lowercase letters and digits, starting with a letter. */
  word(length: number): string;
  /** `count` distinct values produced by `draw`. */
  distinct<T>(count: number, draw: () => T): T[];
}

export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

// mulberry32: tiny, fast, and good enough for test plans.
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const alphanumerics = `${letters}0123456789`;
  const random: Random = {
    seed,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[random.int(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
    word: (length) =>
      random.pick([...letters]) + Array.from({ length: length - 1 }, () => random.pick([...alphanumerics])).join(""),
    distinct: (count, draw) => {
      const seen = new Set<unknown>();
      const values: ReturnType<typeof draw>[] = [];
      for (let tries = 0; values.length < count; tries++) {
        if (tries > count * 100) throw new Error(`could not draw ${count} distinct values`);
        const value = draw();
        if (!seen.has(value)) {
          seen.add(value);
          values.push(value);
        }
      }
      return values;
    },
  };
  return random;
}
