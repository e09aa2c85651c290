// The printf() formats of a script, as patterns a printed line can be matched against: which
// printf printed a line tells an event's line (printed in a probe) from a header or a summary
// (printed from BEGIN or END), whatever values the lines hold.

export interface PrintfFormat {
  pattern: RegExp;
  /** The probe whose block holds the printf, as written: "BEGIN", "kfunc:vfs_unlink", ... */
  probe: string;
  /** How much of a line the format pins down: its fixed text, then its numeric conversions. The more, the surer a match. */
  sureness: number;
}

const CONVERSION = /%%|%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?([a-zA-Z])/g;

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, (_, char: string) => ({ n: "\n", t: "\t", '"': '"', "\\": "\\" })[char] ?? char);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function conversionPattern(conversion: string): string {
  if (/[diu]/.test(conversion)) return "\\s*-?\\d+\\s*";
  if (/[xX]/.test(conversion)) return "\\s*(?:0x)?[0-9a-fA-F]+\\s*";
  if (conversion === "c") return ".";
  return ".*?";
}

/** One line's format: the text between printf's quotes up to its newline, as a whole-line pattern. */
export function printfFormat(literal: string, probe = ""): PrintfFormat | undefined {
  const format = unescape(literal).replace(/\n$/, "");
  if (format.includes("\n")) return undefined;
  let pattern = "^";
  let fixedChars = 0;
  let numeric = 0;
  let last = 0;
  for (const match of format.matchAll(CONVERSION)) {
    const fixed = format.slice(last, match.index) + (match[0] === "%%" ? "%" : "");
    pattern += escapeRegExp(fixed);
    fixedChars += fixed.trim().length;
    if (match[0] !== "%%") {
      pattern += conversionPattern(match[1] ?? "s");
      if (/[diuxX]/.test(match[1] ?? "")) numeric++;
    }
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = format.slice(last);
  fixedChars += tail.trim().length;
  return { pattern: new RegExp(`${pattern}${escapeRegExp(tail)}$`), probe, sureness: fixedChars * 10 + numeric };
}

/** The top-level blocks of a script: each block's text range and the probes written before it. */
function probeBlocks(code: string): Array<{ start: number; end: number; probe: string }> {
  const blocks = [];
  let depth = 0;
  let header = 0;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (code[i] === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        const probe = code
          .slice(header, start)
          .replace(/^\s*#.*$/gm, "")
          .replace(/\/[^/]*\/\s*$/, "")
          .trim();
        blocks.push({ start, end: i, probe });
        header = i + 1;
      }
    }
  }
  return blocks;
}

/** Every printf format in the script (comments are not code; a format spanning lines is left out). */
export function printfFormats(script: string): PrintfFormat[] {
  const code = script.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  const blocks = probeBlocks(code);
  return [...code.matchAll(/\bprintf\s*\(\s*"((?:[^"\\\n]|\\.)*)"/g)].flatMap((match) => {
    const block = blocks.find((each) => each.start < (match.index ?? 0) && (match.index ?? 0) < each.end);
    return printfFormat(match[1] ?? "", block?.probe) ?? [];
  });
}

/** Whether a printf runs once, at start or at exit (BEGIN, END): a header or a summary, not an event. */
export const printsOnce = (format: PrintfFormat) => /^(?:BEGIN|END)$/.test(format.probe);

/** The format that printed the line: the surest of those it matches, or undefined. */
export function formatOf(line: string, formats: readonly PrintfFormat[]): PrintfFormat | undefined {
  return formats.filter((format) => format.pattern.test(line)).sort((a, b) => b.sureness - a.sureness)[0];
}
