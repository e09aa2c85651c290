// Which maps a script uses with keys ("@name[...]") and which it assigns without ("@name = ...").
// bpftrace 0.24 and later print, with -f json, a map holding one struct or record value the same
// way as a map with keys: {"type": "map", "data": {"@m": {"a": 1, "b": 2}}} is either @m = a
// record of fields a and b, or @m["a"] = 1 and @m["b"] = 2. The script tells them apart.

export interface MapKeyUse {
  /** Maps the script indexes: "@name" ("@" for the unnamed map). */
  keyed: ReadonlySet<string>;
  /** Maps the script assigns without a key and never indexes. */
  unkeyed: ReadonlySet<string>;
}

const INDEXED = /(@[A-Za-z0-9_]*)\s*\[/g;
const ASSIGNED = /(@[A-Za-z0-9_]*)\s*=(?!=)/g;

export function mapKeyUse(script: string): MapKeyUse {
  const code = withoutCommentsAndStrings(script);
  const keyed = new Set([...code.matchAll(INDEXED)].map((m) => m[1] ?? ""));
  const unkeyed = new Set([...code.matchAll(ASSIGNED)].map((m) => m[1] ?? "").filter((name) => !keyed.has(name)));
  return { keyed, unkeyed };
}

/** The script with comments and string literals blanked out, so that "@x[" in them counts for nothing. */
function withoutCommentsAndStrings(script: string): string {
  let code = "";
  let i = 0;
  while (i < script.length) {
    const rest = script.slice(i, i + 2);
    let end: number;
    if (rest === "//") {
      end = script.indexOf("\n", i);
      end = end < 0 ? script.length : end;
    } else if (rest === "/*") {
      end = script.indexOf("*/", i + 2);
      end = end < 0 ? script.length : end + 2;
    } else if (script[i] === '"') {
      end = i + 1;
      while (end < script.length && script[end] !== '"' && script[end] !== "\n") end += script[end] === "\\" ? 2 : 1;
      end = Math.min(script.length, end + 1);
    } else {
      code += script[i];
      i++;
      continue;
    }
    code += " ";
    i = end;
  }
  return code;
}
