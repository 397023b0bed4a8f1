// Strict in what we send: within a (resolved) request body schema every @odata.type is fixed.
function* odataTypes(schema, path, seen = new Set()) {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return;
  seen.add(schema);
  const odataType = schema.properties?.["@odata.type"];
  if (odataType) yield [odataType, [...path, "properties", "@odata.type"]];
  for (const [key, value] of Object.entries(schema)) {
    if (value && typeof value === "object") yield* odataTypes(value, [...path, key], seen);
  }
}

export default function requestOdataTypeFixed(schema, _options, context) {
  const results = [];
  for (const [odataType, path] of odataTypes(schema, context.path)) {
    if (odataType.const === undefined && !Array.isArray(odataType.enum)) {
      results.push({ message: "A request body @odata.type must be a const or an enum.", path });
    }
  }
  return results;
}
