/**
 * HOW-TO-VERIFY.txt: the short, bilingual (zh-CN + en) instructions that travel inside every export
 * bundle. Whoever receives a bundle (a platform's reviewer, a court, the buyer) has no
 * docs/VERIFY.md and often no PackWitness; this says how to check it with PackWitness and without
 * (sha256sum + openssl), and where the fingerprint must come from: never from the bundle itself.
 *
 * It is an ordinary bundle file: listed with its size and SHA-256 in the signed manifest and in
 * SHA256SUMS, so `packwitness verify` never reports it as uncovered and nobody can swap in other
 * instructions unnoticed. The name is ASCII (`如何验证-…` does not fit the bundle's path alphabet).
 *
 * The shell commands are docs/VERIFY.md's five steps, verbatim (test/integration/verify-docs.test.ts
 * checks that and runs them from this file in a real bundle). Commands are the lines indented by four
 * spaces; prose is indented by three at most.
 *
 * Its sentences are the catalogue's `howToVerify.*` (shared/messages), Chinese then English; the file is
 * signed with each bundle, so test/unit/how-to-verify-bytes.test.ts pins its bytes: a wording change
 * is a deliberate one (bundles made before keep their own copy and verify as they are).
 *
 * UTF-8 with a byte-order mark and CRLF line ends: Windows Notepad before 2019 (still on many office
 * PCs) shows UTF-8 Chinese without a BOM as GBK mojibake and a file without CR on one line.
 */

import { msg, render, type Message } from '../../../shared/messages/index.js';

export const HOW_TO_VERIFY_FILE = 'HOW-TO-VERIFY.txt';

/** docs/VERIFY.md's commands, steps 1-5, exactly as written there. */
export const VERIFY_STEPS: readonly string[] = [
  `openssl pkey -pubin -in station.pub.pem -outform DER | sha256sum | grep -qi "^\${EXPECTED_FINGERPRINT:?set EXPECTED_FINGERPRINT first} " && echo "OK: station.pub.pem has the expected fingerprint" || { echo "FAILED: station.pub.pem is not the key with fingerprint $EXPECTED_FINGERPRINT"; false; }`,
  'openssl pkeyutl -verify -pubin -inkey station.pub.pem -rawin -in manifest.json -sigfile manifest.sig',
  `grep -q "\\"sha256\\": \\"$(sha256sum SHA256SUMS | cut -d ' ' -f 1)\\"" manifest.json && echo "OK: SHA256SUMS is the list in the signed manifest" || { echo "FAILED: SHA256SUMS is not the list the signed manifest names"; false; }`,
  'sha256sum -c SHA256SUMS',
  [
    'prev=""; broken=""; n=0',
    'while IFS= read -r line; do',
    '  if [ -n "$prev" ] && [ "${line#* prev=$prev }" = "$line" ]; then broken="$line"; break; fi',
    `  prev=$(printf '%s\\n' "$line" | sha256sum | cut -d ' ' -f 1); n=$((n + 1))`,
    'done < chain.txt',
    'if [ -n "$broken" ]; then echo "FAILED: the chain breaks at: ${broken%% segment=*}"; false; else echo "OK: $n chain entries link without a break; the last one\'s hash is $prev"; fi',
  ].join('\n'),
];

const STEP_TITLES: readonly Message[] = [msg('howToVerify.step1'), msg('howToVerify.step2'), msg('howToVerify.step3'), msg('howToVerify.step4'), msg('howToVerify.step5')];

/** `中文 / English`: a heading or a step's title, both languages on one line. */
const both = (m: Message): string => `${render(m, 'zh-CN')} / ${render(m, 'en')}`;

/** A paragraph in both languages, Chinese first, each of its lines indented by `indent`. */
const paragraph = (m: Message, indent = ''): string[] => [render(m, 'zh-CN'), render(m, 'en')].flatMap((t) => t.split('\n')).map((l) => indent + l);

/** A name a shell and a reader take as it is; anything else is written as a placeholder. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * The text, for the bundle folder named `bundleName` (its zip is `<bundleName>.zip`). Nothing from
 * the clip goes in (codes are the buyer's or the scanner's text): only the bundle's own file name,
 * and only when it is plain.
 */
export function howToVerifyText(bundleName: string): Buffer {
  const zip = PLAIN_NAME.test(bundleName) ? `${bundleName}.zip` : 'BUNDLE.zip';
  const cmd = (text: string): string[] => text.split('\n').map((l) => `    ${l}`);
  const lines = [
    both(msg('howToVerify.title')),
    '',
    ...paragraph(msg('howToVerify.intro')),
    '',
    `1. ${both(msg('howToVerify.fingerprintHeading'))}`,
    ...paragraph(msg('howToVerify.fingerprint'), '   '),
    '',
    `2. ${both(msg('howToVerify.withHeading'))}`,
    ...cmd(`packwitness verify ${zip} --expect-fingerprint FINGERPRINT`),
    ...paragraph(msg('howToVerify.withPackWitness'), '   '),
    '',
    `3. ${both(msg('howToVerify.withoutHeading'))}`,
    ...paragraph(msg('howToVerify.withoutPackWitness'), '   '),
    '',
    ...cmd(`EXPECTED_FINGERPRINT=PASTE-THE-64-HEX-DIGITS-HERE   # ${both(msg('howToVerify.fingerprintComment'))}`),
    '',
    ...VERIFY_STEPS.flatMap((step, i) => [`   (${i + 1}) ${both(STEP_TITLES[i]!)}:`, ...cmd(step), '']),
    ...paragraph(msg('howToVerify.passed')),
    '',
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
}

/**
 * The command blocks of a HOW-TO-VERIFY.txt (lines indented by four spaces, runs of them joined),
 * without their indent: what a reader copies into a terminal. Used by tests.
 */
export function howToVerifyCommands(text: string): string[] {
  const blocks: string[] = [];
  let cur: string[] | null = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.startsWith('    ')) (cur ??= []).push(raw.slice(4));
    else if (cur) {
      blocks.push(cur.join('\n'));
      cur = null;
    }
  }
  if (cur) blocks.push(cur.join('\n'));
  return blocks;
}
