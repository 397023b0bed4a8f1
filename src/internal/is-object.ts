// A plain JSON object: not null, not an array. Defined once; the rules, the parser and the client
// read untrusted JSON with it.
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
