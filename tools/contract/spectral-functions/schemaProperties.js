// maintrac-property-*: every property of every schema in the document (components and
// inline) has a camelCase name, a description and an example.
//
// Runs on the unresolved document (`given: $`, `resolved: false`) so that each result
// points at the line where the property is written, not at every place a $ref pulls it in.
// Local $refs are followed by hand to see what a `$ref` property documents.
//
// An example is required unless the value's example is composed from its parts, as
// documentation tools compose it: a $ref to an exemplified schema, an array whose items are
// exemplified, an object with properties (each of which is checked itself). So a page's
// `data` array of work orders needs no example of its own, but a string or a free-form map
// does.
//
// options.check: "name" | "description" | "example"

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function resolveRef(root, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function has(schema, key) {
  return isObject(schema) && Object.prototype.hasOwnProperty.call(schema, key);
}

function hasDescription(root, schema, seen = new Set()) {
  if (!isObject(schema)) return false;
  if (typeof schema.description === 'string' && schema.description.trim() !== '') return true;
  if (typeof schema.$ref === 'string' && !seen.has(schema.$ref)) {
    seen.add(schema.$ref);
    return hasDescription(root, resolveRef(root, schema.$ref), seen);
  }
  return false;
}

function exemplified(root, schema, seen = new Set()) {
  if (schema === true) return false;
  if (!isObject(schema)) return false;
  if (has(schema, 'example') || has(schema, 'const')) return true;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return true;
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return true; // a recursive structure: its other parts decide
    seen.add(schema.$ref);
    return exemplified(root, resolveRef(root, schema.$ref), seen);
  }
  // An object with members is exemplified by theirs, each checked where it is written (so a
  // missing example is reported once, at the member, not again at every container).
  if (isObject(schema.properties) && Object.keys(schema.properties).length > 0) return true;
  if (isObject(schema.items)) return exemplified(root, schema.items, seen);
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(schema[key]) && schema[key].length > 0) {
      return schema[key].some((s) => exemplified(root, s, new Set(seen)));
    }
  }
  return false;
}

// Calls visit(name, propertySchema, path, documented) for each property of `schema` and of
// every schema nested in it. `documented` is false for a property that is no member of its
// own: one inside an `if`/`not` (a test on the instance), or one that a branch (`then`,
// `allOf`...) restates to constrain a member its object already documents. Their names
// are still checked, nothing else.
function walk(schema, path, visit, inCondition, members = new Set()) {
  if (!isObject(schema)) return;
  const own = isObject(schema.properties) ? schema.properties : {};
  const known = new Set([...members, ...Object.keys(own)]);
  for (const [name, prop] of Object.entries(own)) {
    const propPath = [...path, 'properties', name];
    visit(name, prop, propPath, !inCondition && !members.has(name));
    walk(prop, propPath, visit, inCondition);
  }
  for (const key of ['items', 'additionalProperties', 'unevaluatedProperties', 'contains',
    'propertyNames']) {
    if (isObject(schema[key])) walk(schema[key], [...path, key], visit, inCondition);
  }
  for (const key of ['then', 'else']) {
    if (isObject(schema[key])) walk(schema[key], [...path, key], visit, inCondition, known);
  }
  for (const key of ['if', 'not']) {
    if (isObject(schema[key])) walk(schema[key], [...path, key], visit, true, known);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    if (Array.isArray(schema[key])) {
      schema[key].forEach((s, i) => walk(s, [...path, key, i], visit, inCondition, known));
    }
  }
  if (Array.isArray(schema.prefixItems)) {
    schema.prefixItems.forEach((s, i) => walk(s, [...path, 'prefixItems', i], visit, inCondition));
  }
  for (const key of ['patternProperties', '$defs', 'dependentSchemas']) {
    if (isObject(schema[key])) {
      for (const [k, s] of Object.entries(schema[key])) walk(s, [...path, key, k], visit, inCondition);
    }
  }
}

function contentSchemas(content, path, out) {
  if (!isObject(content)) return;
  for (const [mediaType, media] of Object.entries(content)) {
    if (isObject(media) && isObject(media.schema)) out.push([media.schema, [...path, mediaType, 'schema']]);
  }
}

function parameterSchemas(parameters, path, out) {
  if (!Array.isArray(parameters)) return;
  parameters.forEach((p, i) => {
    if (isObject(p) && isObject(p.schema)) out.push([p.schema, [...path, i, 'schema']]);
    if (isObject(p)) contentSchemas(p.content, [...path, i, 'content'], out);
  });
}

function responseSchemas(response, path, out) {
  if (!isObject(response)) return;
  contentSchemas(response.content, [...path, 'content'], out);
  if (isObject(response.headers)) {
    for (const [name, header] of Object.entries(response.headers)) {
      if (isObject(header) && isObject(header.schema)) out.push([header.schema, [...path, 'headers', name, 'schema']]);
    }
  }
}

// Every schema written in the document, with its path.
function allSchemas(doc) {
  const out = [];
  const components = isObject(doc.components) ? doc.components : {};
  for (const [name, s] of Object.entries(components.schemas ?? {})) out.push([s, ['components', 'schemas', name]]);
  for (const [name, p] of Object.entries(components.parameters ?? {})) {
    if (isObject(p) && isObject(p.schema)) out.push([p.schema, ['components', 'parameters', name, 'schema']]);
  }
  for (const [name, r] of Object.entries(components.responses ?? {})) responseSchemas(r, ['components', 'responses', name], out);
  for (const [name, b] of Object.entries(components.requestBodies ?? {})) {
    if (isObject(b)) contentSchemas(b.content, ['components', 'requestBodies', name, 'content'], out);
  }
  for (const [name, h] of Object.entries(components.headers ?? {})) {
    if (isObject(h) && isObject(h.schema)) out.push([h.schema, ['components', 'headers', name, 'schema']]);
  }
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    parameterSchemas(item.parameters, ['paths', route, 'parameters'], out);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const base = ['paths', route, method];
      parameterSchemas(op.parameters, [...base, 'parameters'], out);
      if (isObject(op.requestBody)) contentSchemas(op.requestBody.content, [...base, 'requestBody', 'content'], out);
      for (const [code, r] of Object.entries(op.responses ?? {})) responseSchemas(r, [...base, 'responses', code], out);
    }
  }
  return out;
}

export default function schemaProperties(doc, options) {
  const check = options && options.check;
  const results = [];
  if (!isObject(doc)) return results;
  for (const [schema, path] of allSchemas(doc)) {
    walk(schema, path, (name, prop, propPath, documented) => {
      if (check === 'name') {
        if (!CAMEL.test(name)) {
          results.push({ message: `Property "${name}" is not camelCase.`, path: propPath });
        }
      } else if (!documented) {
        // a condition, or a restatement of a member documented beside it
      } else if (check === 'description') {
        if (!hasDescription(doc, prop)) {
          results.push({ message: `Property "${name}" has no description.`, path: propPath });
        }
      } else if (check === 'example') {
        if (!exemplified(doc, prop)) {
          results.push({ message: `Property "${name}" has no example.`, path: propPath });
        }
      }
    }, false);
  }
  return results;
}
