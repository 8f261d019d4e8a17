import { describe, expect, it } from 'vitest';
import { exportDetail } from '../../renderer/src/features/library/audit-detail.js';

describe('an audit entry’s detail on the clip page', () => {
  it('reads an export’s facts from the JSON the station records', () => {
    const sha = 'a'.repeat(64);
    expect(exportDetail(JSON.stringify({ preset: 'shopee', kind: 'fit', bytes: 12_345_678, sha256: sha }))).toEqual({ preset: 'shopee', kind: 'fit', bytes: 12_345_678, sha256: sha });
    expect(exportDetail(JSON.stringify({ preset: null, kind: 'original' }))).toEqual({ preset: null, kind: 'original' });
  });

  it('leaves anything else to be shown as text: notes, broken or hostile JSON', () => {
    for (const d of [null, '', 'customer called, parcel OK', '{not json', '{"kind":"<script>"}', '{"sha256":"zz"}', `{"preset":"${'x'.repeat(3000)}"}`, '[1,2]']) {
      expect(exportDetail(d), String(d).slice(0, 40)).toBeNull();
    }
  });
});
