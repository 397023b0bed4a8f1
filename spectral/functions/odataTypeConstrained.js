// Every @odata.type names a Graph type: const, enum or a pattern anchored on "#microsoft.graph.".
const PREFIX = "#microsoft.graph.";

export default function odataTypeConstrained(schema) {
  if (schema?.type !== "string") return [{ message: "@odata.type must be of type string." }];
  const values = schema.const !== undefined ? [schema.const] : schema.enum;
  if (values) {
    const wrong = values.filter((v) => typeof v !== "string" || !v.startsWith(PREFIX));
    return wrong.map((v) => ({ message: `@odata.type value ${JSON.stringify(v)} is not a ${PREFIX} type.` }));
  }
  if (typeof schema.pattern === "string" && schema.pattern.startsWith("^#microsoft\\.graph\\.")) return;
  return [{ message: `@odata.type must be a const, an enum or a pattern starting "^#microsoft\\.graph\\."` }];
}
