// How every text grader reads a printed line: as the values it holds, not as its layout. A value
// counts when it stands as a whole word, set apart by whitespace or punctuation, with or without
// a label: `rm notes todo.txt`, `rm notes/todo.txt`, `comm=rm parent=notes file=todo.txt` and
// `rm removed todo.txt from notes.` all hold rm, notes and todo.txt. Checks then compare those
// values with what the workload really did, so padded columns, headers, labels and extra
// fields never cost points, and a line cannot pass by the way it is laid out.

/**
 * What separates values: whitespace, punctuation and arrows (notes->todo.txt); "-", "." and "_"
 * stay inside words (rm-a1b2, todo.txt).
 */
const SEPARATORS = /(?:[-=]>|[\s/,;:=()[\]{}<>|"'`#])+/;
/** Sentence punctuation a value may be followed by. */
const TRAILING = /[.!?]+$/;

export interface ValueLine {
  line: string;
  /** The line's words, in order. */
  words: string[];
}

export function valueLine(line: string): ValueLine {
  return { line, words: line.split(SEPARATORS).filter(Boolean) };
}

export function valueLines(lines: readonly string[]): ValueLine[] {
  return lines.map(valueLine);
}

function sameWord(word: string, value: string): boolean {
  return word === value || word.replace(TRAILING, "") === value;
}

/** Whether the line holds the value as a whole word. */
export function holds(line: ValueLine, value: string): boolean {
  return line.words.some((word) => sameWord(word, value));
}

/** Whether the line holds a descriptor: "8", or fd8, FD8, fd-8, fd_8 ("(fd8):" is the lab's own). */
export function holdsFd(line: ValueLine, fd: number): boolean {
  return line.words.some((word) => new RegExp(`^(?:fd[-_]?)?${fd}$`, "i").test(word.replace(TRAILING, "")));
}

/** The integers the line holds as words, in order ("fd8" counts as 8). */
export function integersIn(line: ValueLine): bigint[] {
  return line.words.flatMap((word) => {
    const digits = /^(?:fd)?(-?\d+)$/.exec(word.replace(TRAILING, ""))?.[1];
    return digits === undefined ? [] : [BigInt(digits)];
  });
}

/** Punctuation that may follow a path in a sentence ("/tmp/a.conf. Then ..."). */
const AFTER_PATH = /[.!?]+$/;

/**
 * Absolute paths printed in the line, e.g. "/tmp/a/b.conf" in `open file=/tmp/a/b.conf (fd 3)` or
 * `/tmp/a/b.conf:4242`. A path ends at whitespace, quotes, brackets, ",", ";", ":", "=" (no path of
 * this lab holds one) or sentence punctuation; a lone "/" is not a path.
 */
export function pathsIn(line: string): string[] {
  return [...line.matchAll(/(?<![\w.-])\/[^\s"'`,;:=()[\]{}<>|]+/g)].map((match) => match[0].replace(AFTER_PATH, "")).filter((path) => path !== "/");
}

/**
 * The line's shape: a word for each word, "#" for each integer. Lines printed by one printf in
 * one probe share a shape; a header from BEGIN or a summary from END does not.
 */
export function shapeOf(line: ValueLine): string {
  return line.words.map((word) => (/^(?:fd)?-?\d+$/.test(word.replace(TRAILING, "")) ? "#" : "w")).join(" ");
}

/**
 * Why a line that seems to hold a value does not, for the student: the value is there, but glued
 * to other text ("notes-todo.txt"), so it cannot be told apart. Undefined when it is not there at all.
 */
export function gluedValue(lines: readonly ValueLine[], value: string): string | undefined {
  const glued = lines.find((line) => !holds(line, value) && line.line.includes(value));
  if (!glued) return undefined;
  const word = glued.words.find((candidate) => candidate.includes(value)) ?? value;
  return `your line "${glued.line.trim()}" has ${value} inside "${word}", joined to other text: set the values apart with spaces or punctuation (/ , : = and the like)`;
}

/**
 * Why the values are not in any line although the script has them: they went into a map, which
 * bpftrace prints at exit, instead of a line per event. Undefined when no map holds the value.
 */
export function valueInAMap(maps: ReadonlyArray<{ name: string; entries: ReadonlyArray<{ key: string | null }> }>, value: string): string | undefined {
  const map = maps.find((print) => print.entries.some((entry) => entry.key !== null && holds(valueLine(entry.key), value)));
  return map ? `your map ${map.name} holds ${value}, but the task asks for a printed line per event (printf or print of a tuple), not a map printed at exit` : undefined;
}
