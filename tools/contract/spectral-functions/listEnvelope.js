// maintrac-list-envelope and maintrac-list-pagination. Given a (resolved) GET operation:
// it is a list when its operationId starts with "list" or a 2xx response is a JSON array
// or has a `data` array. A list answers 200 with the cursor envelope
// {data: [...], nextCursor: string|null, hasMore: boolean}, all three required
// (options.check = "envelope"), and takes the `limit` and `cursor` query parameters
// (options.check = "pagination").

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function types(schema) {
  if (!isObject(schema)) return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

function jsonSchema(response) {
  const content = isObject(response) && isObject(response.content) ? response.content : {};
  const media = content['application/json'];
  return isObject(media) && isObject(media.schema) ? media.schema : undefined;
}

function looksLikeList(operation) {
  if (typeof operation.operationId === 'string' && /^list[A-Z]/.test(operation.operationId)) return true;
  for (const [code, response] of Object.entries(operation.responses ?? {})) {
    if (!/^2/.test(code)) continue;
    const schema = jsonSchema(response);
    if (!schema) continue;
    if (types(schema).includes('array')) return true;
    if (isObject(schema.properties) && types(schema.properties.data).includes('array')) return true;
  }
  return false;
}

function envelopeProblems(operation) {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const schema = jsonSchema(responses['200']);
  if (!schema) return ['has no 200 application/json response'];
  const problems = [];
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const name of ['data', 'nextCursor', 'hasMore']) {
    if (!(name in props)) problems.push(`has no "${name}"`);
    else if (!required.includes(name)) problems.push(`does not require "${name}"`);
  }
  if ('data' in props && !types(props.data).includes('array')) problems.push('"data" is not an array');
  if ('nextCursor' in props) {
    const t = types(props.nextCursor);
    if (t.length === 0 || t.some((x) => x !== 'string' && x !== 'null')) problems.push('"nextCursor" is not a string or null');
  }
  if ('hasMore' in props && !(types(props.hasMore).length === 1 && types(props.hasMore)[0] === 'boolean')) {
    problems.push('"hasMore" is not a boolean');
  }
  return problems;
}

export default function listEnvelope(operation, options, context) {
  if (!isObject(operation) || !looksLikeList(operation)) return [];
  const check = options && options.check;
  if (check === 'pagination') {
    const names = new Set();
    const item = context.document && context.document.data;
    const route = context.path[context.path.length - 2];
    const pathLevel = item && item.paths && item.paths[route] && item.paths[route].parameters;
    for (const p of [...(Array.isArray(pathLevel) ? pathLevel : []), ...(operation.parameters ?? [])]) {
      if (isObject(p) && p.in === 'query') names.add(p.name);
    }
    const missing = ['limit', 'cursor'].filter((n) => !names.has(n));
    return missing.length
      ? [{ message: `List operation takes no ${missing.map((n) => `"${n}"`).join(' or ')} query parameter.` }]
      : [];
  }
  const problems = envelopeProblems(operation);
  return problems.length
    ? [{ message: `List operation does not return the cursor envelope {data, nextCursor, hasMore}: its 200 response ${problems.join(', ')}.` }]
    : [];
}
