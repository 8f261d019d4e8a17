/**
 * A file carrying a signed C2PA manifest, made offline by the test: a self-signed ES256 certificate
 * (@peculiar/x509, WebCrypto), a claim by the named generator with one `c2pa.created` action (its
 * digital source type naming a generative model, or a digital camera), a data hash binding it to
 * the file, signed with `@trustnxt/c2pa-ts`, the library the station reads it with.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import { ActionAssertion, ActionType, AssertionLabels, DataHashAssertion, ManifestStore } from '@trustnxt/c2pa-ts/manifest';

export const IPTC_AI = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const IPTC_CAMERA = 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture';

async function selfSignedSigner(): Promise<LocalSigner> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=PackWitness test signer, O=Test',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4'])],
  });
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return new LocalSigner(pkcs8, CoseAlgorithmIdentifier.ES256, cert);
}

/** Writes `input` (a JPEG or PNG) to `output` with a signed C2PA manifest. */
export async function withC2paManifest(input: string, output: string, opts: { generator: string; version?: string; digitalSourceType: string }): Promise<void> {
  const buf = readFileSync(input);
  const asset = JPEG.canRead(buf) ? new JPEG(buf) : new PNG(buf);
  const signer = await selfSignedSigner();
  const store = new ManifestStore();
  const manifest = store.createManifest({ assetFormat: JPEG.canRead(buf) ? 'image/jpeg' : 'image/png', instanceID: 'xmp:iid:packwitness-test', defaultHashAlgorithm: 'SHA-256', signer });
  manifest.claim!.claimGeneratorName = opts.generator;
  if (opts.version) manifest.claim!.claimGeneratorVersion = opts.version;
  const actions = new ActionAssertion();
  actions.label = AssertionLabels.actionsV2;
  actions.actions = [{ action: ActionType.C2paCreated, digitalSourceType: opts.digitalSourceType as never }];
  manifest.addAssertion(actions);
  const hash = DataHashAssertion.create('SHA-256');
  manifest.addAssertion(hash);
  await asset.ensureManifestSpace(store.measureSize());
  await hash.updateWithAsset(asset);
  await manifest.sign(signer);
  await asset.writeManifestJUMBF(store.getBytes());
  writeFileSync(output, await asset.getDataRange());
}
