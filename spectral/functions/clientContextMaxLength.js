// clientContext: "Unique Client Context string. Max limit is 256 chars."
export default function clientContextMaxLength(schema) {
  if (schema?.maxLength !== 256) {
    return [{ message: `clientContext must declare maxLength 256 (found ${schema?.maxLength ?? "none"}).` }];
  }
}
