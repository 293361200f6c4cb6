// The job config as /openapi.json describes it: the request body of POST /jobs, its $refs resolved and its
// sections (model, training) flattened to one list of fields in x-order, and the checks its bounds imply.
import {api} from './api.js';

/**
 * Loads the fields of a job config: [{path, key, section, schema, type, nullable, label, help, default}], top-level
 * fields first, then each section's, each group in the schema's order. `sections` maps a section to its schema.
 */
export async function loadConfigFields() {
  const doc = await api('GET', 'openapi.json');
  const resolve = (s) => {
    for (let hops = 0; s && s.$ref && hops < 10; hops++) {
      s = s.$ref.replace(/^#\//, '').split('/').reduce((o, k) => (o == null ? o : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), doc);
    }
    return s || {};
  };
  const post = doc.paths && doc.paths['/jobs'] && doc.paths['/jobs'].post;
  const content = post && post.requestBody && post.requestBody.content;
  const body = resolve(content && content['application/json'] && content['application/json'].schema);
  if (!body.properties) throw new Error('/openapi.json has no schema for the body of POST /jobs');
  const fields = [], sections = {};
  const walk = (schema, prefix) => {
    for (const key of ordered(schema)) {
      const prop = resolve(schema.properties[key]);
      const path = prefix ? prefix + '.' + key : key;
      // Sections (model, training) are the body's object members; an object inside a section is one field's
      // value (training.early_stopping), edited as JSON.
      if (!prefix && typeOf(prop).type === 'object' && prop.properties) { sections[path] = prop; continue; }
      fields.push(describe(path, key, prefix || null, prop));
    }
  };
  walk(body, '');
  for (const [path, schema] of Object.entries(sections)) walk(schema, path);
  return {fields, sections};
}

/** Property names in order: the object's x-order list, else each property's numeric x-order, else as listed. */
function ordered(schema) {
  const keys = Object.keys(schema.properties);
  const listed = Array.isArray(schema['x-order']) ? schema['x-order'].filter((k) => keys.includes(k)) : [];
  const rest = keys.filter((k) => !listed.includes(k));
  const rank = (k) => { const o = schema.properties[k] && schema.properties[k]['x-order']; return typeof o === 'number' ? o : Infinity; };
  rest.sort((a, b) => rank(a) - rank(b));
  return [...listed, ...rest];
}

/** The JSON type without null, and whether null is allowed (`nullable`, a type list, or anyOf/oneOf with null). */
function typeOf(schema) {
  let types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  let nullable = schema.nullable === true || types.includes('null');
  for (const alt of schema.anyOf || schema.oneOf || []) {
    if (alt.type === 'null') nullable = true; else if (alt.type) types = types.concat(alt.type);
  }
  return {type: types.find((t) => t !== 'null') || 'string', nullable};
}

function describe(path, key, section, schema) {
  const {type, nullable} = typeOf(schema);
  return {path, key, section, schema, type, nullable, label: schema['x-label'] || key.replace(/_/g, ' '),
    help: schema.description || '', default: schema.default === undefined ? null : schema.default};
}

/** What null means, from the help's "null: …" clause ("use epochs"), or ''. */
export function unsetMeaning(field) {
  const m = /null: ([^.;]+)/.exec(field.help);
  return m ? m[1].trim() : '';
}

const fmt = (x) => (Math.abs(x) >= 1e15 ? x.toExponential(0) : String(x));

/** The bounds as words: "in 1…60000", "> 0", "in [0, 1)". */
export function boundsText(schema) {
  const lo = schema.minimum, hi = schema.maximum;
  // OpenAPI 3.0 marks exclusive bounds with booleans, 3.1 gives the bound itself.
  const exLo = schema.exclusiveMinimum === true || typeof schema.exclusiveMinimum === 'number';
  const exHi = schema.exclusiveMaximum === true || typeof schema.exclusiveMaximum === 'number';
  const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : lo;
  const high = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : hi;
  if (low != null && high != null) {
    return !exLo && !exHi && schema.type === 'integer' ? `in ${fmt(low)}…${fmt(high)}`
      : `in ${exLo ? '(' : '['}${fmt(low)}, ${fmt(high)}${exHi ? ')' : ']'}`;
  }
  if (low != null) return (exLo ? '> ' : '≥ ') + fmt(low);
  if (high != null) return (exHi ? '< ' : '≤ ') + fmt(high);
  return '';
}

/** Whether a number is inside the schema's bounds. */
function inBounds(schema, x) {
  const exLo = schema.exclusiveMinimum, exHi = schema.exclusiveMaximum;
  if (typeof exLo === 'number' && !(x > exLo)) return false;
  if (typeof exHi === 'number' && !(x < exHi)) return false;
  if (schema.minimum != null && (exLo === true ? !(x > schema.minimum) : x < schema.minimum)) return false;
  if (schema.maximum != null && (exHi === true ? !(x < schema.maximum) : x > schema.maximum)) return false;
  return true;
}

/** Checks one value against a field's schema as the server would; returns the problem in words, or null. */
export function check(field, value) {
  if (value === null) return field.nullable ? null : 'required';
  return checkValue({...field.schema, type: field.type}, value);
}

/** Whether `value` matches an ECMA-262 pattern (one this browser cannot compile is left to the server). */
function matches(pattern, value) {
  try { return new RegExp(pattern, 'u').test(value); } catch (_) { return true; }
}

function checkValue(schema, value) {
  const type = typeOf(schema).type;
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
    if (type === 'integer' && !Number.isInteger(value)) return 'must be an integer' + (boundsText(schema) ? ' ' + boundsText(schema) : '');
    if (!inBounds(schema, value)) return 'must be ' + (type === 'integer' ? 'an integer ' : '') + boundsText(schema);
    return null;
  }
  if (type === 'boolean') return typeof value === 'boolean' ? null : 'must be true or false';
  if (type === 'string') {
    if (typeof value !== 'string') return 'must be a string';
    if (schema.enum && !schema.enum.includes(value)) return 'must be one of ' + schema.enum.join(', ');
    if (schema.minLength != null && value.length < schema.minLength) return schema.minLength === 1 ? 'must not be empty' : `needs ≥ ${schema.minLength} characters`;
    if (schema.maxLength != null && value.length > schema.maxLength) return `at most ${schema.maxLength} characters`;
    if (schema.pattern && !matches(schema.pattern, value)) return 'must match ' + schema.pattern;
    return null;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return 'must be a list';
    if (schema.minItems != null && value.length < schema.minItems) return `needs at least ${schema.minItems} values`;
    if (schema.maxItems != null && value.length > schema.maxItems) return `at most ${schema.maxItems} values`;
    const items = schema.items || {};
    for (let i = 0; i < value.length; i++) {
      const problem = checkValue(items, value[i]);
      if (problem) return `value ${i + 1} (${value[i]}) ${problem}`;
    }
  }
  return null;
}
