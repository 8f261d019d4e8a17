/**
 * A C2PA / Content Credentials manifest in a buyer's file, read offline with `@trustnxt/c2pa-ts`
 * (pure TypeScript: no binary to download, no network): who made the claim (its claim generator),
 * the actions it records, and whether any says the content came from a generative model (IPTC
 * digital source type trainedAlgorithmicMedia / compositeWithTrainedAlgorithmicMedia). Runs in the
 * decode child (photo-decode-child.ts): the manifest is hostile input like the rest of the file.
 *
 * The claim's signature and the file's hash are checked, not the signer against a trust list: the
 * station has none, so a manifest signed by anybody's certificate reads the same. The finding says so.
 */
import { BMFF, JPEG, PNG, type Asset } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ActionAssertion, ManifestStore, ValidationStatusCode } from '@trustnxt/c2pa-ts/manifest';

export interface C2paFacts {
  /** The active manifest's claim generator ("name version"), or '' when it names none. */
  claimGenerator: string;
  /** The actions the active manifest records (c2pa.created, c2pa.edited…), in order, at most 20. */
  actions: string[];
  /** IPTC digital source types the actions name. */
  digitalSourceTypes: string[];
  /** An action says the content was made by a generative model (trainedAlgorithmicMedia, or composited with it). */
  generativeAi: boolean;
  /** The claim's signature verified over the claim (not whether its certificate is trusted). */
  signatureValid: boolean;
  /** The claim's hard binding (the hash over the file's bytes outside the manifest) matches this file: unchanged since signing. */
  fileUnchanged: boolean;
  /** How many manifests the store holds (edits add one each). */
  manifests: number;
}

/** A manifest store larger than this is not parsed: real ones are kilobytes (a thumbnail at most a few hundred KB). */
export const C2PA_MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

const AI_SOURCE = /(?:^|\/)(?:trainedAlgorithmicMedia|compositeWithTrainedAlgorithmicMedia)$/;
const TEXT_CAP = 200;

function assetOf(buf: Uint8Array): Asset | null {
  if (JPEG.canRead(buf)) return new JPEG(buf);
  if (PNG.canRead(buf)) return new PNG(buf);
  if (BMFF.canRead(buf)) return new BMFF(buf);
  return null;
}

const clean = (s: string): string => [...s.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, TEXT_CAP).join('');

/**
 * @returns null when the file carries no manifest (or is a format the library does not read: WebP).
 * @throws Error when a manifest is there but cannot be read (malformed, too large).
 */
export async function readC2pa(buf: Uint8Array): Promise<C2paFacts | null> {
  const asset = assetOf(buf);
  if (!asset) return null;
  const jumbf = asset.getManifestJUMBF();
  if (!jumbf) return null;
  if (jumbf.byteLength > C2PA_MAX_MANIFEST_BYTES) throw new Error(`the C2PA manifest store is ${jumbf.byteLength} bytes, over the ${C2PA_MAX_MANIFEST_BYTES} read`);
  const store = ManifestStore.read(SuperBox.fromBuffer(jumbf as Uint8Array<ArrayBuffer>));
  const manifest = store.getActiveManifest();
  if (!manifest?.claim) throw new Error('the C2PA manifest store has no active manifest');
  const claim = manifest.claim;
  const actions: string[] = [];
  const sources = new Set<string>();
  for (const a of manifest.assertions?.assertions ?? []) {
    if (!(a instanceof ActionAssertion)) continue;
    for (const act of a.actions) {
      if (actions.length < 20) actions.push(clean(String(act.action)));
      if (act.digitalSourceType) sources.add(clean(String(act.digitalSourceType)));
    }
  }
  let signatureValid = false;
  try {
    const result = await store.validate(asset);
    signatureValid = result.statusEntries.some((e) => e.code === ValidationStatusCode.ClaimSignatureValidated);
  } catch {
    // A signature that cannot even be checked is not valid; the manifest's other facts still stand.
  }
  // Checked apart: the library's validate() stops before the file's hash when the signer is not in
  // its trust list, which is every signer here (the station has no trust list).
  let fileUnchanged = false;
  try {
    const bindings = manifest.assertions?.getHardBindings() ?? [];
    fileUnchanged = bindings.length > 0 && (await Promise.all(bindings.map((b) => b.validateAgainstAsset(asset)))).every((r) => r.isValid);
  } catch {
    // Unreadable binding: not shown as unchanged.
  }
  const digitalSourceTypes = [...sources].slice(0, 10);
  return {
    claimGenerator: clean([claim.claimGeneratorName, claim.claimGeneratorVersion].filter(Boolean).join(' ')),
    actions,
    digitalSourceTypes,
    generativeAi: digitalSourceTypes.some((s) => AI_SOURCE.test(s)),
    signatureValid,
    fileUnchanged,
    manifests: store.manifests.length,
  };
}
