// HTML built only through the `html` tag: every interpolated value is escaped unless it is
// itself markup made by the tag, so nothing a student wrote (ids, messages, excerpts, answers)
// can become an element or an attribute.

/** Markup made by the `html` tag (or `rawHtml` for the page's own constants). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Safe in text and in double-quoted attribute values, the only kind the tag's users write. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => entities[char]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false || value === true) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0]!;
  for (const [index, value] of values.entries()) text += render(value) + strings[index + 1]!;
  return new Html(text);
}

/** Only for the page's own constant markup (its style sheet): never for data. */
export function rawHtml(text: string): Html {
  return new Html(text);
}

/** A relative path as a link: each segment percent-encoded, so no part of it can be a scheme. */
export function relativeHref(path: string): string {
  return `./${path.split("/").map(encodeURIComponent).join("/")}`;
}
