// Northflank's own view of its Jobs API, read from the official JS client (`@northflank/js-client`,
// pinned in tests/package-lock.json) and printed as JSON for `cargo xtask conformance`.
//
// Two sources, both Northflank's:
// - the typings (dist/esm/api-client.d.ts), generated from Northflank's API schema: walked with
//   the TypeScript compiler API for each endpoint's path parameters, query options, request body
//   and result;
// - the client's code: each endpoint class is instantiated and its `endpointUrl()` run, for the
//   method and the project and team paths; the log and metric fetchers, which have no endpoint
//   class, are called against a recorder on 127.0.0.1 to see which URL and query names they send.
//
// Output (stdout): {"package", "endpoints": [{name, method, path, teamPath, summary, permission,
// paginated, pathParams, query: {name: {type, required}}, body: {type, required} | null,
// response: type}]}, where a type is {kind: string|number|boolean|any|enum|array|object|union,
// values?, items?, properties?: {name: {type, required}}, additional?, variants?, format?,
// nullable?}. `response` is the whole body: the `data` envelope, and `pagination` where the
// endpoint is paginated.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import * as nf from '@northflank/js-client';

// The package exports no `package.json`; it sits in tests/node_modules beside this folder.
const pkgDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@northflank', 'js-client');
const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const dts = path.join(pkgDir, 'dist/esm/api-client.d.ts');

const program = ts.createProgram([dts], { strict: true, noEmit: true, skipLibCheck: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(dts);

// ---- TypeScript types -> the JSON type model -------------------------------------------------

const MAX_DEPTH = 40;

function isNamed(type, name) {
  const sym = type.aliasSymbol ?? type.getSymbol();
  return sym !== undefined && sym.getName() === name;
}

/** The JSON model of a TypeScript type, as it travels on the wire. */
function model(type, depth = 0) {
  if (depth > MAX_DEPTH) throw new Error(`type nests deeper than ${MAX_DEPTH}: ${checker.typeToString(type)}`);
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'any' };
  if (f & ts.TypeFlags.Union) return union(type.types, depth);
  if (f & ts.TypeFlags.StringLiteral) return { kind: 'enum', values: [type.value] };
  if (f & ts.TypeFlags.NumberLiteral) return { kind: 'enum', values: [type.value] };
  if (f & ts.TypeFlags.BooleanLiteral) return { kind: 'boolean' };
  if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { kind: 'string' };
  if (f & ts.TypeFlags.Number) return { kind: 'number' };
  if (f & (ts.TypeFlags.Boolean)) return { kind: 'boolean' };
  if (f & ts.TypeFlags.EnumLiteral || f & ts.TypeFlags.Enum) return union(type.types ?? [type], depth);
  if (isNamed(type, 'Date')) return { kind: 'string', format: 'date-time' };
  // `Record<MetricType, MetricsEntry>`: a map from metric to entry, which the client reads with
  // `Object.entries`. TypeScript spells its keys out as required properties; the data is a map
  // holding the metrics that were asked for.
  if (type.aliasSymbol?.getName() === 'Record' && type.aliasTypeArguments?.length === 2) {
    return { kind: 'object', properties: {}, additional: model(type.aliasTypeArguments[1], depth + 1) };
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const [items] = checker.getTypeArguments(type);
    return { kind: 'array', items: model(items, depth + 1) };
  }
  if (f & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return object(type, depth);
  throw new Error(`no JSON model for the type ${checker.typeToString(type)}`);
}

function union(members, depth) {
  let nullable = false;
  const values = [];
  const rest = [];
  let sawBoolean = false;
  for (const m of members) {
    if (m.flags & ts.TypeFlags.Null) nullable = true;
    else if (m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Never | ts.TypeFlags.Void)) continue;
    else if (m.flags & ts.TypeFlags.BooleanLiteral) sawBoolean = true;
    else if (m.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral)) values.push(m.value);
    else rest.push(model(m, depth + 1));
  }
  if (sawBoolean) rest.push({ kind: 'boolean' });
  if (values.length > 0) rest.push({ kind: 'enum', values });
  let out;
  if (rest.length === 0) out = { kind: 'any' };
  else if (rest.length === 1) out = rest[0];
  else out = { kind: 'union', variants: rest };
  if (nullable) out = { ...out, nullable: true };
  return out;
}

function object(type, depth) {
  const properties = {};
  for (const prop of checker.getPropertiesOfType(type)) {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    const propType = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
    // `never` marks an option another variant of the request uses: it cannot be sent.
    if (propType.flags & (ts.TypeFlags.Never | ts.TypeFlags.Undefined)) continue;
    if (propType.flags & ts.TypeFlags.Union && propType.types.every((t) => t.flags & (ts.TypeFlags.Never | ts.TypeFlags.Undefined))) continue;
    if (checker.getSignaturesOfType(propType, ts.SignatureKind.Call).length > 0) continue;
    const required = (prop.flags & ts.SymbolFlags.Optional) === 0;
    properties[prop.getName()] = { type: model(propType, depth + 1), required };
  }
  const out = { kind: 'object', properties };
  const index = checker.getIndexInfosOfType(type);
  if (index.length > 0) out.additional = model(index[0].type, depth + 1);
  return out;
}

/**
 * One object from a union of objects (the log options are one variant per text filter): every
 * member's properties, required only where every member requires them.
 */
function flatten(type) {
  if (type.kind !== 'union') return type;
  const properties = {};
  for (const v of type.variants) {
    for (const [k, field] of Object.entries(v.properties)) properties[k] ??= { ...field };
  }
  for (const [k, field] of Object.entries(properties)) {
    field.required = type.variants.every((v) => v.properties[k]?.required);
  }
  return { kind: 'object', properties };
}

/** Properties of an object (or union of objects) type, by name: the union over its members. */
function propertiesOf(type) {
  const members = type.flags & ts.TypeFlags.Union ? type.types : [type];
  const out = new Map();
  for (const m of members) {
    for (const prop of checker.getPropertiesOfType(m)) {
      if (!out.has(prop.getName())) out.set(prop.getName(), prop);
    }
  }
  return out;
}

function typeOfProperty(type, name) {
  const prop = checker.getPropertyOfType(type, name);
  if (!prop) return undefined;
  const decl = prop.valueDeclaration ?? prop.declarations?.[0];
  const t = checker.getTypeOfSymbolAtLocation(prop, decl);
  return { type: checker.getNonNullableType(t), required: (prop.flags & ts.SymbolFlags.Optional) === 0 };
}

// ---- the endpoint classes ----------------------------------------------------------------------

/** The exported `*Endpoint` classes whose type arguments name a request and a result. */
function endpointClasses() {
  const out = [];
  ts.forEachChild(source, (node) => {
    if (!ts.isClassDeclaration(node) || !node.name || !node.heritageClauses) return;
    const ext = node.heritageClauses.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!ext || !ext.typeArguments || ext.typeArguments.length !== 2) return;
    out.push({
      className: node.name.text,
      base: ext.expression.getText(source),
      request: checker.getTypeFromTypeNode(ext.typeArguments[0]),
      result: checker.getTypeFromTypeNode(ext.typeArguments[1]),
    });
  });
  return out;
}

const PAGINATION = {
  kind: 'object',
  properties: {
    hasNextPage: { type: { kind: 'boolean' }, required: true },
    cursor: { type: { kind: 'string' }, required: false },
    count: { type: { kind: 'number' }, required: true },
  },
};

function envelope(data, paginated) {
  const properties = { data: { type: data, required: true } };
  if (paginated) properties.pagination = { type: PAGINATION, required: true };
  return { kind: 'object', properties };
}

const context = new nf.ApiClientInMemoryContextProvider();

/** `{projectId: '__projectId__', ...}` for the path parameters, with or without the team. */
function sentinels(names) {
  return Object.fromEntries(names.map((n) => [n, `__${n}__`]));
}

function templateOf(url) {
  const [p] = url.split('?');
  return p.replace(/__([A-Za-z]+)__/g, '{$1}');
}

/** Path parameter names of a `parameters` type (a union with and without `teamId`). */
function pathParamNames(paramsType) {
  if (!paramsType) return [];
  return [...propertiesOf(paramsType).keys()].filter((n) => n !== 'teamId');
}

function classEndpoint(cls) {
  const params = typeOfProperty(cls.request, 'parameters');
  const options = typeOfProperty(cls.request, 'options');
  const data = typeOfProperty(cls.request, 'data');
  const names = pathParamNames(params?.type);
  const Ctor = nf[cls.className];
  if (typeof Ctor !== 'function') throw new Error(`${cls.className} is declared but not exported`);
  const instance = new Ctor(context, {});
  const project = instance.endpointUrl({ parameters: sentinels(names) });
  const team = instance.endpointUrl({ parameters: sentinels(['teamId', ...names]) });
  const query = {};
  if (options) {
    const props = model(options.type).properties;
    // The class writes options as `name=value`: run it to be sure the wire names are these.
    const probe = Object.fromEntries(Object.keys(props).map((k) => [k, `__${k}__`]));
    const wire = new URLSearchParams(instance.endpointUrl({ parameters: sentinels(names), options: probe }).split('?')[1] ?? '');
    for (const [name, field] of Object.entries(props)) {
      const wireName = [...wire.entries()].find(([, v]) => v === `__${name}__`)?.[0];
      if (wireName === undefined) throw new Error(`${cls.className} does not send the option ${name}`);
      query[wireName] = field;
    }
  }
  const paginated = cls.base === 'GetApiEndpointPaginated';
  return {
    name: cls.className.replace(/Endpoint$/, ''),
    method: instance.method.toUpperCase(),
    path: templateOf(project),
    teamPath: templateOf(team),
    summary: instance.description,
    permission: instance.requiredPermissions,
    paginated,
    pathParams: names,
    query,
    body: data ? { type: model(data.type), required: data.required } : null,
    response: envelope(model(cls.result), paginated),
  };
}

// ---- the log and metric fetchers: no endpoint class, so watch what they send -----------------

/** A server on 127.0.0.1 that answers every request with `body` and records what it got. */
async function recorder(body) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, server, base: `http://127.0.0.1:${server.address().port}` };
}

/** A value of `type` whose text marks option `name`, to find it in the query string. */
function probeValue(name, type, index) {
  // Booleans are the fetchers' own switches (`isBuild`), never query parameters.
  if (type.kind === 'boolean') return undefined;
  if (type.kind === 'array') return [probeValue(name, type.items, index)];
  if (type.format === 'date-time') return new Date(Date.UTC(2000, 0, 1, 0, 0, 0, index + 1));
  if (type.kind === 'number' || (type.kind === 'enum' && typeof type.values[0] === 'number')) return 900000 + index;
  return `__${name}__`;
}

function probeText(value) {
  if (Array.isArray(value)) return probeText(value[0]);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * One fetcher endpoint from one or more of its calls (e.g. single and range metrics): each call's
 * options type, probed call by call, gives the query names; `queryType` is fixed per call.
 */
async function fetcherEndpoint(name, summary, fetcherName, calls, responseType, emptyBody) {
  const fetcher = nf[fetcherName];
  const rec = await recorder(emptyBody);
  context.addContext({ name: 'conformance', token: 'conformance-token', host: rec.base }, true);
  const instance = new fetcher(context, {});
  const query = {};
  const queryTypes = [];
  let paths;
  for (const call of calls) {
    const method = checker.getPropertyOfType(checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(classNode(fetcherName).name)), call);
    const sig = checker.getSignaturesOfType(checker.getTypeOfSymbolAtLocation(method, method.valueDeclaration), ts.SignatureKind.Call)[0];
    const arg = checker.getTypeOfSymbolAtLocation(sig.parameters[0], sig.parameters[0].valueDeclaration);
    const params = typeOfProperty(arg, 'parameters');
    const names = pathParamNames(params.type);
    const options = flatten(model(typeOfProperty(arg, 'options').type));
    const optionNames = Object.keys(options.properties);
    const probe = Object.fromEntries(optionNames.map((k, i) => [k, probeValue(k, options.properties[k].type, i)]));
    for (const k of optionNames) if (probe[k] === undefined) delete probe[k];
    rec.seen.length = 0;
    await instance[call]({ parameters: sentinels(names), options: probe });
    await instance[call]({ parameters: sentinels(['teamId', ...names]) });
    const [withOptions, team] = rec.seen.map((r) => new URL(r.url, rec.base));
    paths = { method: rec.seen[0].method, path: templateOf(withOptions.pathname), teamPath: templateOf(team.pathname), names };
    for (const [k, v] of withOptions.searchParams.entries()) {
      const option = Object.keys(probe).find((o) => probeText(probe[o]) === v);
      if (k === 'queryType') {
        if (!queryTypes.includes(v)) queryTypes.push(v);
        continue;
      }
      if (option === undefined) throw new Error(`${name}: query parameter ${k}=${v} matches no option`);
      const field = options.properties[option];
      // A repeated option (`types: LogType[]` sent as `type=a&type=b`) is an array parameter.
      query[k] = field;
    }
  }
  query.queryType = { type: { kind: 'enum', values: queryTypes }, required: true };
  rec.server.close();
  return {
    name,
    method: paths.method,
    path: paths.path,
    teamPath: paths.teamPath,
    summary,
    permission: null,
    paginated: false,
    pathParams: paths.names,
    query,
    body: null,
    response: envelope(responseType, false),
  };
}

function classNode(name) {
  let found;
  ts.forEachChild(source, (node) => {
    if (ts.isClassDeclaration(node) && node.name?.text === name) found = node;
  });
  if (!found) throw new Error(`class ${name} not found in the typings`);
  return found;
}

function aliasType(name) {
  let found;
  ts.forEachChild(source, (node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === name) found = checker.getTypeAtLocation(node.name);
  });
  if (!found) throw new Error(`type ${name} not found in the typings`);
  return found;
}

function docOf(className, member) {
  const node = classNode(className);
  const m = node.members.find((x) => x.name?.getText(source) === member);
  const sym = m && checker.getSymbolAtLocation(m.name);
  return sym ? ts.displayPartsToString(sym.getDocumentationComment(checker)).trim() : null;
}

// ---- main -------------------------------------------------------------------------------------

const JOBS = /^\/v1\/projects\/\{projectId\}\/jobs(\/|$)/;

const endpoints = [];
for (const cls of endpointClasses()) {
  const Ctor = nf[cls.className];
  if (typeof Ctor !== 'function') continue;
  const probe = new Ctor(context, {});
  if (typeof probe.endpointUrl !== 'function') continue;
  let url;
  try {
    url = templateOf(probe.endpointUrl({ parameters: new Proxy({}, { get: (_, k) => (typeof k === 'string' ? `__${k}__` : undefined), has: (_, k) => k !== 'teamId' }) }));
  } catch {
    continue;
  }
  if (JOBS.test(url)) endpoints.push(classEndpoint(cls));
}

const logLines = { kind: 'array', items: model(aliasType('LogLine')) };
const metricsType = aliasType('ApiCallMetricsResponse');
const metrics = model(typeOfProperty(metricsType, 'data').type);
endpoints.push(
  await fetcherEndpoint('GetJobLogs', docOf('NorthflankLogFetch', 'getJobLogs'), 'NorthflankLogFetch', ['getJobLogs'], logLines, { data: [] }),
  await fetcherEndpoint('GetJobBuildLogs', docOf('NorthflankLogFetch', 'getJobBuildLogs'), 'NorthflankLogFetch', ['getJobBuildLogs'], logLines, { data: [] }),
  await fetcherEndpoint('GetJobMetrics', docOf('NorthflankMetricFetch', 'getJobMetrics'), 'NorthflankMetricFetch', ['getJobMetrics', 'getJobMetricsRange'], metrics, { data: {} }),
  await fetcherEndpoint('GetJobBuildMetrics', docOf('NorthflankMetricFetch', 'getJobBuildMetrics'), 'NorthflankMetricFetch', ['getJobBuildMetrics', 'getJobBuildMetricsRange'], metrics, { data: {} }),
);
endpoints.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));

process.stdout.write(JSON.stringify({ package: `${pkgJson.name}@${pkgJson.version}`, endpoints }, null, 1) + '\n');
