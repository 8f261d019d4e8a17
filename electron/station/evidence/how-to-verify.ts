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
 * UTF-8 with a byte-order mark and CRLF line ends: Windows Notepad before 2019 (still on many office
 * PCs) shows UTF-8 Chinese without a BOM as GBK mojibake and a file without CR on one line.
 */

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

const STEP_TITLES = [
  '(1) 密钥是卖家工作站的 / the key is the station\'s:',
  '(2) 工作站签署了 manifest.json / the station signed manifest.json:',
  '(3) SHA256SUMS 是签名清单中的那份 / SHA256SUMS is the one the signed manifest names:',
  '(4) 每个文件都与清单一致 / every file is the one listed:',
  '(5) 录像链没有断开 / the chain of recorded segments has no break:',
];

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
    'PackWitness 打包见证 - 如何验证本证据包 / How to verify this evidence bundle',
    '',
    '本证据包来自一台打包录像工作站：视频、证据单（关键帧），以及证明视频就是工作站所录内容的签名文件。',
    'This bundle comes from a packing-video station: the video, the evidence sheet (key frames), and',
    'signed files that prove the video is what the station recorded.',
    '',
    '1. 指纹 / The fingerprint',
    '   请通过本证据包以外的渠道获得卖家工作站签名密钥的指纹（64 位十六进制）：',
    '   卖家工作站的状态面板、设置页和健康页都显示完整指纹；请卖家另行发送或读给您，',
    '   或使用卖家在纠纷前公布的指纹。切勿使用本证据包里的任何内容（证据单、manifest.json、',
    '   station.pub.pem）：任何人都能用自己的密钥做出一个自洽的证据包。',
    '   Get the fingerprint of the seller\'s station key (64 hex digits) from somewhere other than',
    '   this bundle: the seller\'s station shows it in full on its status panel, settings and health',
    '   page (have it sent or read out separately), or use one the seller published before the',
    '   dispute. Never take it from this bundle (its sheet, manifest.json, station.pub.pem): anyone',
    '   can make a bundle that agrees with itself using a key of their own.',
    '',
    '2. 使用 PackWitness / With PackWitness',
    ...cmd(`packwitness verify ${zip} --expect-fingerprint FINGERPRINT`),
    '   只有显示 VERIFIED（退出码 0）才算通过；退出码 3 表示签名密钥未经核对。',
    '   Only VERIFIED (exit code 0) passes; exit code 3 means the signing key was not checked.',
    '',
    '3. 不用 PackWitness / Without PackWitness (sha256sum + openssl 3: Linux, macOS, WSL, Git Bash)',
    '   解压后，在含有 manifest.json 的文件夹中打开终端，先设置指纹，再依次运行下面五步。',
    '   每步应显示 OK 或 "Signature Verified Successfully"；任何一步失败，证据包即未获证明。',
    '   Unzip, open a terminal in the folder holding manifest.json, set the fingerprint, then run the',
    '   five steps in order. Each must print OK or "Signature Verified Successfully"; if any step',
    '   fails, the bundle is not proven.',
    '',
    ...cmd('EXPECTED_FINGERPRINT=PASTE-THE-64-HEX-DIGITS-HERE   # 64 位十六进制指纹，不含空格 / no spaces'),
    '',
    ...VERIFY_STEPS.flatMap((step, i) => [`   ${STEP_TITLES[i]}`, ...cmd(step), '']),
    '全部通过后：视频、证据单和录像链与该工作站签名的内容逐字节一致。manifest.json 可用任何文本',
    '编辑器打开，其中写明订单号/运单号（clip.codes）、起止时间（UTC）和摄像头未录制的时段（clip.gaps）。',
    'If every step passes, the video, the sheets and the chain are byte for byte what that station',
    'signed. Open manifest.json in any text editor for the order and waybill codes (clip.codes), the',
    'start and end (UTC) and any stretch the camera did not record (clip.gaps).',
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
