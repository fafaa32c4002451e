// maintrac-operation-security: every operation is protected: its own `security`, or the
// document's when it has none, is a non-empty list of non-empty requirements.
// `security: []` on an operation (anonymous access) fires, and needs an exception.
function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export default function operationSecurity(doc) {
  const results = [];
  if (!isObject(doc) || !isObject(doc.paths)) return results;
  const root = doc.security;
  for (const [route, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const own = Object.prototype.hasOwnProperty.call(op, 'security');
      const effective = own ? op.security : root;
      const ok = Array.isArray(effective) && effective.length > 0
        && effective.every((req) => isObject(req) && Object.keys(req).length > 0);
      if (!ok) {
        results.push({
          message: own
            ? `Operation ${method.toUpperCase()} ${route} opts out of authentication (its "security" is empty).`
            : `Operation ${method.toUpperCase()} ${route} has no security requirement (none of its own, none on the document).`,
          path: own ? ['paths', route, method, 'security'] : ['paths', route, method],
        });
      }
    }
  }
  return results;
}
