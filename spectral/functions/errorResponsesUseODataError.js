// 4XX/5XX responses carry Graph's OData error body: their JSON schema is components.schemas.ODataError.
import { isDeepStrictEqual } from "node:util";

const ERROR_STATUS = /^[45](\d\d|XX)$/;

export default function errorResponsesUseODataError(responses, _options, context) {
  const odataError = context.documentInventory.resolved?.components?.schemas?.ODataError;
  if (!odataError) return [{ message: "components.schemas.ODataError is not defined." }];
  const results = [];
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (!ERROR_STATUS.test(status)) continue;
    const schema = response?.content?.["application/json"]?.schema;
    if (!isDeepStrictEqual(schema, odataError)) {
      results.push({
        message: `Response ${status} must have an application/json body of schema ODataError.`,
        path: [...context.path, status],
      });
    }
  }
  return results;
}
