// maintrac-error-responses-problem-json: every error response (4xx, 5xx, 4XX, 5XX, default)
// of an operation has a body, and that body is only `application/problem+json` with the
// Problem members `type`, `title` and `status`. Given: an operation's (resolved) responses.
function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export default function problemResponses(responses, _options, context) {
  const at = (...rest) => [...context.path, ...rest];
  const results = [];
  if (!isObject(responses)) return results;
  for (const [code, response] of Object.entries(responses)) {
    if (!/^([45]([0-9]{2}|XX)|default)$/.test(code)) continue;
    const content = isObject(response) && isObject(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      results.push({ message: `Error response "${code}" has no application/problem+json body.`, path: at(code) });
      continue;
    }
    const others = mediaTypes.filter((m) => m !== 'application/problem+json');
    if (others.length > 0) {
      results.push({ message: `Error response "${code}" is ${others.join(', ')}, not application/problem+json.`, path: at(code, 'content') });
      continue;
    }
    const schema = content['application/problem+json'].schema;
    const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    const missing = ['type', 'title', 'status'].filter((n) => !(n in props));
    if (missing.length > 0) {
      results.push({ message: `Error response "${code}" body is not a Problem (no ${missing.join(', ')}).`, path: at(code, 'content') });
    }
  }
  return results;
}
