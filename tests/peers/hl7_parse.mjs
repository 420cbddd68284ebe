// Read HL7 v2 messages with two independent Node parsers and print what each reads.
//
// stdin: a JSON array of ER7 messages. stdout: a JSON array, one object per message,
// {"medplum": [...], "node_hl7_client": [...]}, each a list of segments
// [name, {"<field number>": [repetition [component [subcomponent, ...], ...], ...]}]
// with HL7 escape sequences decoded and trailing empty parts dropped (the same canonical
// form as tests/peers/hl7_fields.py builds from hl7apy). MSH-1 and MSH-2 (the separators)
// are left out.
//
// Parsers: @medplum/core's Hl7Message (segments, fields, repetitions and components; it
// keeps subcomponents and escape sequences as they are, so they are split and decoded here
// with the message's own separators), and node-hl7-client's Message (every level, decoded).
import { Hl7Message } from '@medplum/core';
import { Message } from 'node-hl7-client';

const ESCAPES = { F: '|', S: '^', T: '&', R: '~', E: '\\' };

function unescape(text) {
  return text.replace(/\\([FSTRE])\\/g, (_, c) => ESCAPES[c]);
}

function trim(list, isEmpty) {
  const out = [...list];
  while (out.length > 0 && isEmpty(out[out.length - 1])) {
    out.pop();
  }
  return out;
}

// reps: repetition -> component -> subcomponent strings
function canonicalField(reps) {
  const norm = reps.map((comps) =>
    trim(
      comps.map((subs) => trim(subs, (s) => s === '')),
      (c) => c.length === 0
    )
  );
  return trim(norm, (r) => r.length === 0);
}

function addField(fields, number, reps) {
  const value = canonicalField(reps);
  if (value.length > 0) {
    fields[String(number)] = value;
  }
}

function withMedplum(text) {
  const msg = Hl7Message.parse(text);
  const sub = msg.context.subcomponentSeparator;
  const out = [];
  for (const seg of msg.segments) {
    if (!seg.name) {
      continue;
    }
    const fields = {};
    const isMsh = seg.name === 'MSH';
    const last = isMsh ? seg.fields.length : seg.fields.length - 1;
    for (let n = isMsh ? 3 : 1; n <= last; n++) {
      const field = seg.getField(n);
      const reps = field.components.map((comps) => comps.map((c) => c.split(sub).map(unescape)));
      addField(fields, n, reps);
    }
    out.push([seg.name, fields]);
  }
  return out;
}

function children(node) {
  const out = [];
  for (let i = 0; i < node.length; i++) {
    out.push(node.get(i));
  }
  return out;
}

function withNodeHl7Client(text) {
  const msg = new Message({ text });
  const out = [];
  for (const seg of children(msg)) {
    const name = seg.get(0).toString();
    const isMsh = name === 'MSH';
    const fields = {};
    children(seg).forEach((field, index) => {
      const number = isMsh ? index + 1 : index;
      if (index === 0 || number < (isMsh ? 3 : 1)) {
        return;
      }
      const reps = children(field).map((rep) =>
        children(rep).map((comp) => children(comp).map((s) => s.toString()))
      );
      addField(fields, number, reps);
    });
    out.push([name, fields]);
  }
  return out;
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const messages = JSON.parse(Buffer.concat(chunks).toString('utf-8'));
const result = messages.map((text) => ({
  medplum: withMedplum(text),
  node_hl7_client: withNodeHl7Client(text),
}));
process.stdout.write(JSON.stringify(result));
