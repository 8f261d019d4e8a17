/**
 * Realistic order and waybill numbers for the hub benchmark (the carriers and platforms of
 * PRODUCT.md, in rough proportion to a Chinese merchant's mix). No `run`: a helper, not a benchmark.
 */
import { randomInt } from 'node:crypto';

export const digits = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
};

export const letters = (n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
};

const yymmdd = (ms: number): string => new Date(ms).toISOString().slice(2, 10).replace(/-/g, '');

/** SF / JD / YT waybills, the 12-15 digit ones of ZTO, STO and Yunda, EMS and a few foreign ones. */
export function waybill(): string {
  const r = randomInt(100);
  if (r < 25) return `SF${digits(13)}`;
  if (r < 40) return `JD${letters(2, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}${digits(11)}`;
  if (r < 55) return `YT${digits(13)}`;
  if (r < 85) return digits(12 + randomInt(4));
  if (r < 90) return `E${letters(1, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}${digits(9)}CN`;
  if (r < 95) return `TBA${digits(12)}`;
  return `1Z${letters(16)}`;
}

/** Taobao / Tmall (18-19 digits), Pinduoduo (YYMMDD-15 digits), JD, Amazon, Shopee, Shopify. */
export function orderNumber(atMs: number): string {
  const r = randomInt(100);
  if (r < 45) return digits(18 + randomInt(2));
  if (r < 70) return `${yymmdd(atMs)}-${digits(15)}`;
  if (r < 80) return digits(10 + randomInt(3));
  if (r < 88) return `${digits(3)}-${digits(7)}-${digits(7)}`;
  if (r < 94) return `${yymmdd(atMs)}${letters(8)}`;
  return `#${1000 + randomInt(900_000)}`;
}

/** A packing clip's codes: the order, its waybill, and now and then a second of either. */
export function clipCodes(atMs: number): Array<{ code: string; kind: 'order' | 'waybill' }> {
  const codes: Array<{ code: string; kind: 'order' | 'waybill' }> = [
    { code: orderNumber(atMs), kind: 'order' },
    { code: waybill(), kind: 'waybill' },
  ];
  if (randomInt(4) === 0) codes.push(randomInt(2) ? { code: orderNumber(atMs), kind: 'order' } : { code: waybill(), kind: 'waybill' });
  return codes;
}
