// What checks may know of the script itself, beside what it printed: the maps it uses and its
// printf formats, read from its text once by the kit.
import { mapKeyUse, type MapKeyUse } from "../bpftrace/script-maps.ts";
import { printfFormats, type PrintfFormat } from "./printf-formats.ts";

export interface ScriptSource {
  maps: MapKeyUse;
  printfs: readonly PrintfFormat[];
}

export function scriptSource(text: string): ScriptSource {
  return { maps: mapKeyUse(text), printfs: printfFormats(text) };
}
