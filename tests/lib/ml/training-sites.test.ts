import { execFileSync } from 'node:child_process';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { addModelZipText, modelZipText } from '@/lib/ml/persist';
import {
  describeTrainingSiteMatch,
  parseTrainingSitesCsv,
  sortTrainingSites,
  trainingSitesCsv,
  type TrainingSiteRow,
} from '@/lib/ml/training-sites';

const row = (over: Partial<TrainingSiteRow>): TrainingSiteRow => ({
  surface: 'MoS2-V',
  site: 'a',
  appSite: 'T_M-0',
  kind: 'T_M',
  xA: 0,
  yA: 0,
  eBindingEv: null,
  dbId: 'id',
  ...over,
});

const rows: TrainingSiteRow[] = [
  row({ site: 'Li "top", 1', appSite: 'T_M-0', xA: 1.58, yA: 0.9122, eBindingEv: -1.25, dbId: 'c1' }),
  row({ surface: '=MoS2', site: '-V near', appSite: 'H-10', kind: 'H', xA: -0.5, yA: 2, dbId: 'c2' }),
  row({ surface: 'WS2 ', site: 'h\nx', appSite: 'bridge-2', kind: 'bridge', eBindingEv: 0.3, dbId: 'c3' }),
];

describe('training-sites.csv', () => {
  it("is read by Python's csv module cell for cell (quotes, commas, line breaks, formula starts neutralised)", () => {
    const text = trainingSitesCsv(rows);
    const out = execFileSync(
      '/usr/bin/python3',
      ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'],
      { input: text, encoding: 'utf8' },
    );
    // Written out by hand: what a reader sees in each cell.
    expect(JSON.parse(out)).toEqual([
      ['surface', 'site', 'app_site', 'kind', 'x_A', 'y_A', 'E_b_eV', 'db_id'],
      ['MoS2-V', 'Li "top", 1', 'T_M-0', 'T_M', '1.58', '0.9122', '-1.25', 'c1'],
      ["'=MoS2", "'-V near", 'H-10', 'H', '-0.5', '2', '', 'c2'],
      ['WS2 ', 'h\nx', 'bridge-2', 'bridge', '0', '0', '0.3', 'c3'],
    ]);
  });

  it('reads back what it wrote, with the formula neutralisation undone', () => {
    expect(parseTrainingSitesCsv(trainingSitesCsv(rows))).toEqual(rows);
  });

  it('reads columns by name in any order and skips blank lines; a file without surface/site gives no rows', () => {
    expect(parseTrainingSitesCsv('site,surface\r\nb,S1\r\n\r\n')).toEqual([
      { surface: 'S1', site: 'b', appSite: '', kind: '', xA: Number.NaN, yA: Number.NaN, eBindingEv: null, dbId: '' },
    ]);
    expect(parseTrainingSitesCsv('a,b\n1,2\n')).toEqual([]);
    expect(parseTrainingSitesCsv('')).toEqual([]);
  });

  it('sorts surfaces by name, then sites in natural order', () => {
    const sorted = sortTrainingSites([
      row({ surface: 'B', site: 'H-10' }),
      row({ surface: 'B', site: 'H-2' }),
      row({ surface: 'A', site: 'z' }),
    ]);
    expect(sorted.map((r) => `${r.surface}/${r.site}`)).toEqual(['A/z', 'B/H-2', 'B/H-10']);
  });

  it('says how a match went', () => {
    const m = { total: 30, byId: 0, byName: 28, byAppSite: 1, unmatched: 1, csv: true };
    expect(describeTrainingSiteMatch(m)).toBe('29 of 30 found here (by name 28, by app site name 1)');
    expect(describeTrainingSiteMatch({ ...m, byName: 0, byAppSite: 0, unmatched: 30, csv: false })).toBe(
      'none of 30 found here; the zip has no training-sites.csv',
    );
    expect(describeTrainingSiteMatch({ ...m, byId: 30, byName: 0, byAppSite: 0, unmatched: 0, csv: false })).toBe(
      '30 of 30 found here (by id 30)',
    );
  });
});

describe('model zip entries', () => {
  it('adds a text entry and keeps every other entry byte for byte', () => {
    const zip = zipSync({ 'meta.json': strToU8('{"format":"epdi-model"}'), 'tfjs/weights.bin': new Uint8Array([1, 2, 3]) });
    expect(modelZipText(zip, 'training-sites.csv')).toBeNull();
    const out = addModelZipText(zip, 'training-sites.csv', 'surface,site\n');
    expect(modelZipText(out, 'training-sites.csv')).toBe('surface,site\n');
    const files = unzipSync(out);
    expect(files['tfjs/weights.bin']).toEqual(new Uint8Array([1, 2, 3]));
    expect(files['meta.json']).toEqual(strToU8('{"format":"epdi-model"}'));
    // The archive's own bytes up to its central directory are kept: the new entry comes after them.
    expect(out.subarray(0, 30)).toEqual(zip.subarray(0, 30));
    expect(() => addModelZipText(out, 'training-sites.csv', 'x')).toThrow(/already has an entry 'training-sites.csv'/);
  });
});
