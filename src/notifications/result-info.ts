// resultInfo with numbers: code and subcode arrive as numbers (the CSDL's Int32) or, in
// call-delete.md's terminated-call notification, as decimal strings the schema holds to the Int32
// range. Events and tracker errors carry numbers either way.
import type { NumericResultInfo, ResultInfo } from "../schema-types.js";

/** The same resultInfo with numeric code and subcode; the object itself when they already are (no copy). */
export function numericResultInfo(info: ResultInfo | null | undefined): NumericResultInfo | null {
  if (info === null || info === undefined) return null;
  if (typeof info.code !== "string" && typeof info.subcode !== "string") return info as NumericResultInfo;
  const copy: NumericResultInfo = { ...info } as NumericResultInfo;
  if (typeof info.code === "string") copy.code = Number(info.code);
  if (typeof info.subcode === "string") copy.subcode = Number(info.subcode);
  return copy;
}
