/**
 * Findings: what a buyer file's metadata says, as facts about the file (never a verdict on the
 * buyer), each with a stable kind, one line in zh-CN and en, and the raw values it rests on.
 *
 * Pure: tags in (metadata-reader.ts), findings out, so every rule is tested on tag tables.
 *
 * GB 45438-2025 (in force 2025-09-01) makes AI services embed an implicit label: a JSON object
 * {Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2}
 * (Label 1 = generated, 2 = possibly generated, 3 = suspected). Real files carry it as the XMP
 * property AIGC in namespace http://www.tc260.org.cn/ns/AIGC/1.0/ (attribute or element, the JSON often
 * entity-encoded), a PNG text chunk `AIGC`, EXIF UserComment holding {"AIGC":{…}}, EXIF
 * ImageDescription (some cloud services), and an MP4 udta/meta key `AIGC`: all read here.
 */
import type { ClaimFinding, LocalizedText } from '../../../shared/api.js';
import { bothLanguages, msg, type Message } from '../../../shared/messages/index.js';
import type { Tags } from './metadata-reader.js';
import type { C2paFacts } from './c2pa-reader.js';

export interface FindingContext {
  /** When the packing clip starts: a capture time before it is its own finding. */
  clipStartMs: number;
  /** The station's UTC offset in minutes at that capture time, for a capture time without a zone. */
  localOffsetMinutes?: (atMs: number) => number;
  /** The file's C2PA manifest, read in the decode child (c2pa-reader.ts); null or absent: none. */
  c2pa?: C2paFacts | null;
}

const IPTC_AI_SOURCE = /(?:^|\/)(trainedAlgorithmicMedia|compositeWithTrainedAlgorithmicMedia)$/;
/** Text chunks image generators write: Stable Diffusion web UIs (`parameters`), ComfyUI (`prompt`, `workflow`), InvokeAI, NovelAI. */
const GENERATOR_TEXT = new Set(['parameters', 'prompt', 'workflow', 'invokeai_metadata', 'sd-metadata', 'dream', 'negative_prompt']);
/** Where a file says which software last wrote it. ExifTool's own toolkit name is not the buyer's software. */
const EDITOR_TAGS = ['Software', 'CreatorTool', 'HistorySoftwareAgent', 'ProcessingSoftware'];
const CAPTURE_TAGS = ['ExifIFD:DateTimeOriginal', 'XMP-exif:DateTimeOriginal', 'ExifIFD:CreateDate', 'QuickTime:CreateDate', 'Keys:CreationDate'];
const VALUE_CAP = 500;

const tagName = (key: string): string => key.slice(key.indexOf(':') + 1);
const cap = (s: string): string => (s.length > VALUE_CAP ? `${s.slice(0, VALUE_CAP)}…` : s);
/**
 * A finding's sentence: `statement` in both languages is stored with the claim and goes into the
 * claim sheet and the bundle's findings file (signed evidence, so it keeps its form); `text` is the
 * same as a message, which the UI renders in its language.
 */
const said = (m: Message): { statement: LocalizedText; text: Message } => ({ statement: bothLanguages(m), text: m });

export function findingsFrom(allTags: Tags, ctx: FindingContext): ClaimFinding[] {
  // ExifTool's Composite and MWG groups repeat values from elsewhere in the file: read the originals only.
  const tags = Object.fromEntries(Object.entries(allTags).filter(([k]) => !k.startsWith('Composite:') && !k.startsWith('MWG:')));
  const out: ClaimFinding[] = [];
  out.push(...aigcLabels(tags));
  if (ctx.c2pa) out.push(c2paFinding(ctx.c2pa));

  for (const [key, value] of Object.entries(tags)) {
    if (tagName(key) === 'DigitalSourceType' && IPTC_AI_SOURCE.test(value.trim())) {
      const type = IPTC_AI_SOURCE.exec(value.trim())![1]!;
      out.push({
        kind: 'ai-source-type',
        ...said(msg('findings.iptcDigitalSource', { type })),
        values: { [key]: cap(value) },
      });
    }
  }

  const generator = Object.entries(tags).filter(([key]) => key.startsWith('PNG') && GENERATOR_TEXT.has(tagName(key).toLowerCase()));
  if (generator.length > 0) {
    const names = generator.map(([key]) => tagName(key)).join(', ');
    out.push({
      kind: 'generator-text',
      ...said(msg('findings.generatorText', { names })),
      values: Object.fromEntries(generator.map(([k, v]) => [k, cap(v)])),
    });
  }

  const editors = Object.entries(tags).filter(([key, value]) => EDITOR_TAGS.includes(tagName(key)) && value.trim() !== '' && !/^Image::ExifTool/.test(value));
  if (editors.length > 0) {
    const names = [...new Set(editors.map(([, v]) => v.trim()))].join('; ');
    out.push({
      kind: 'edited-by',
      ...said(msg('findings.writtenBySoftware', { names })),
      values: Object.fromEntries(editors.map(([k, v]) => [k, cap(v)])),
    });
  }

  const make = firstOf(tags, ['IFD0:Make', 'QuickTime:Make', 'Keys:Make', 'XMP-tiff:Make']);
  const model = firstOf(tags, ['IFD0:Model', 'QuickTime:Model', 'Keys:Model', 'XMP-tiff:Model']);
  if (make || model) {
    const camera = [make?.[1], model?.[1]].filter(Boolean).join(' ');
    out.push({
      kind: 'camera',
      ...said(msg('findings.cameraNamed', { camera })),
      values: Object.fromEntries([make, model].filter((e): e is [string, string] => e !== undefined)),
    });
  }

  const taken = firstOf(tags, CAPTURE_TAGS);
  if (taken) {
    const offsetTag = firstOf(tags, ['ExifIFD:OffsetTimeOriginal', 'ExifIFD:OffsetTime']);
    const at = exifTimeToMs(taken[1], offsetTag?.[1], ctx.localOffsetMinutes ?? stationOffset);
    const values = Object.fromEntries([taken, offsetTag].filter((e): e is [string, string] => e !== undefined));
    if (at) {
      const iso = new Date(at.ms).toISOString();
      const zoneNote = at.zoned ? '' : msg('findings.noTimeZone');
      out.push({
        kind: 'taken-at',
        ...said(msg('findings.takenAt', { taken: taken[1], zoneNote })),
        values: { ...values, utc: iso },
      });
      if (at.ms < ctx.clipStartMs) {
        const minutes = Math.round((ctx.clipStartMs - at.ms) / 60_000);
        out.push({
          kind: 'taken-before-packing',
          ...said(msg('findings.takenBeforePacking', { span: formatSpan(minutes), clipStart: new Date(ctx.clipStartMs).toISOString() })),
          values: { ...values, utc: iso, clipStart: new Date(ctx.clipStartMs).toISOString() },
        });
      }
    }
  }

  if (!make && !model && !taken) {
    out.push({
      kind: 'no-camera-metadata',
      ...said(
        msg('findings.noCameraData'),
      ),
      values: {},
    });
  }
  return out;
}

interface AigcLabel {
  Label?: unknown;
  ContentProducer?: unknown;
  ProduceID?: unknown;
  ReservedCode1?: unknown;
  ContentPropagator?: unknown;
  PropagateID?: unknown;
  ReservedCode2?: unknown;
}

const LABEL_MEANING: Record<string, Message> = {
  '1': msg('findings.aiGenerated'),
  '2': msg('findings.possiblyAiGenerated'),
  '3': msg('findings.suspectedAiGenerated'),
};

/** Every carrier of the GB 45438-2025 label in the tags; one finding per distinct label. */
/**
 * A C2PA manifest is a signed record of how the file was made. `values.generativeAi` is "yes" when an
 * action names a generative model as the source (the finding then weighs as an AI label, claim-severity.ts).
 */
function c2paFinding(m: C2paFacts): ClaimFinding {
  const who = m.claimGenerator || msg('findings.unnamed');
  const sig = !m.signatureValid
    ? msg('findings.signatureDoesNotVerify')
    : m.fileUnchanged
      ? msg('findings.signatureVerifiesFileUnchanged')
      : msg('findings.signatureVerifiesFileChanged');
  return {
    kind: 'c2pa-manifest',
    ...said(msg(m.generativeAi ? 'findings.c2paGenerative' : 'findings.c2pa', { who, sig })),
    values: {
      claimGenerator: m.claimGenerator,
      actions: m.actions.join(', '),
      digitalSourceType: m.digitalSourceTypes.join(', '),
      generativeAi: m.generativeAi ? 'yes' : 'no',
      signatureValid: m.signatureValid ? 'yes' : 'no',
      fileUnchanged: m.fileUnchanged ? 'yes' : 'no',
      manifests: String(m.manifests),
    },
  };
}

function aigcLabels(tags: Tags): ClaimFinding[] {
  const out: ClaimFinding[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(tags)) {
    const name = tagName(key);
    const carrier = name.toUpperCase() === 'AIGC' || name === 'UserComment' || name === 'ImageDescription' || name === 'Description';
    if (!carrier || !value.includes('Label')) continue;
    const label = parseLabel(value);
    if (!label) continue;
    const id = JSON.stringify(label);
    if (seen.has(id)) continue;
    seen.add(id);
    const code = String(label.Label ?? '').trim();
    const meaning = LABEL_MEANING[code] ?? msg('findings.labelValue', { code });
    const producer = String(label.ContentProducer ?? '').trim() || '—';
    const produceId = String(label.ProduceID ?? '').trim() || '—';
    const values: Record<string, string> = { carrier: key };
    for (const f of ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2'] as const) {
      if (label[f] !== undefined && label[f] !== null) values[f] = cap(String(label[f] as string | number));
    }
    out.push({
      kind: 'aigc-label',
      ...said(msg('findings.aigcLabel', { key, code, meaning, producer, produceId })),
      values,
    });
  }
  return out;
}

/** The label object in a carrier's text: the object itself, or {"AIGC": object-or-JSON-text}; entities decoded. */
function parseLabel(text: string): AigcLabel | null {
  const parsed = parseJson(decodeEntities(text.trim()));
  if (!parsed || typeof parsed !== 'object') return null;
  const obj = parsed as Record<string, unknown>;
  const inner = 'AIGC' in obj ? obj.AIGC : obj;
  const label = typeof inner === 'string' ? parseJson(decodeEntities(inner)) : inner;
  if (!label || typeof label !== 'object' || !('Label' in label)) return null;
  return label as AigcLabel;
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}

/** XML's five named entities and numeric references: labels written by hand into XMP arrive encoded twice. */
function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

function firstOf(tags: Tags, keys: readonly string[]): [string, string] | undefined {
  for (const k of keys) {
    const v = tags[k]?.trim();
    if (v) return [k, v];
  }
  return undefined;
}

const stationOffset = (atMs: number): number => -new Date(atMs).getTimezoneOffset();

/**
 * ExifTool's date text `YYYY:MM:DD HH:MM:SS[.fff][±HH:MM|Z]` to epoch ms. Without a zone in the text
 * or an OffsetTime tag, the time is read in the station's zone (the buyer is usually in the same country).
 */
export function exifTimeToMs(text: string, offsetText: string | undefined, localOffset: (atMs: number) => number): { ms: number; zoned: boolean } | null {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Number(`0.${frac}`) * 1000 : 0);
  if (Number.isNaN(naive) || Number(y) < 1971) return null;
  const z = zone ?? offsetText?.trim();
  if (z) {
    const zm = /^(Z)|([+-])(\d{2}):?(\d{2})$/.exec(z);
    if (zm) {
      const minutes = zm[1] ? 0 : (zm[2] === '-' ? -1 : 1) * (Number(zm[3]) * 60 + Number(zm[4]));
      return { ms: naive - minutes * 60_000, zoned: true };
    }
  }
  return { ms: naive - localOffset(naive) * 60_000, zoned: false };
}

function formatSpan(minutes: number): Message {
  if (minutes < 120) return msg('units.minutes', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return msg('units.hours', { count: hours });
  return msg('units.days', { count: Math.round(hours / 24) });
}
