/**
 * The GS1 check digit (mod 10, weights 3 and 1 from the right) that ends every EAN-8, UPC-A, EAN-13
 * and ITF-14 product code. Order and waybill numbers of the same lengths carry no such digit, so
 * only about 1 in 10 of them passes by chance: the check is what tells a product's barcode from a
 * 12-digit JD order or a 13-digit waybill that a length-only pattern cannot.
 */

/** GTIN lengths: EAN-8, UPC-A, EAN-13, ITF-14 (GTIN-14). */
const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

export function hasValidGs1CheckDigit(code: string): boolean {
  if (!GTIN_LENGTHS.has(code.length) || !/^\d+$/.test(code)) return false;
  let sum = 0;
  // The digit left of the check digit weighs 3, the next 1, and so on leftwards, whatever the length.
  for (let i = code.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (code.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10 === code.charCodeAt(code.length - 1) - 48;
}
