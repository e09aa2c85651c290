// `--shard i/n`: a deterministic split of a class over n CI machines. Students are dealt round
// robin in sorted order, so every shard holds ⌊k/n⌋ or ⌈k/n⌉ of the k students whatever their names.
export interface Shard {
  /** 1-based, like the i of "i/n". */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard expects i/n with 1 <= i <= n, e.g. 2/5; got "${text}"`);
  return { index, count };
}

export function inShard<T extends { id: string }>(items: readonly T[], shard: Shard): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).filter((_, position) => position % shard.count === shard.index - 1);
}
