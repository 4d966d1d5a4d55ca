import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, readLabelledCsv } from '../../../model/data/csv.ts';
import { labelledCsv, tempDir, writeGzip } from '../../helpers/dataset.ts';

const fields = (text: string): string[][] => [...parseCsv(text, 'test.csv')].map((r) => r.fields);

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(fields('a,b\n1,"x, ""y""\nz"\n0,plain\n')).toEqual([
      ['a', 'b'],
      ['1', 'x, "y"\nz'],
      ['0', 'plain'],
    ]);
  });

  it('accepts CRLF line ends and a last line without one', () => {
    expect(fields('a,b\r\n1,x')).toEqual([
      ['a', 'b'],
      ['1', 'x'],
    ]);
  });

  it('reports the line of a quote that never closes', () => {
    expect(() => fields('a,b\n1,ok\n0,"open\n')).toThrow(/line 3 never ends/);
  });

  it('round-trips what csvField writes', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'multi\nline', '', '<br />'];
    expect(fields(values.map(csvField).join(',') + '\n')).toEqual([values]);
  });
});

describe('readLabelledCsv', () => {
  const file = async (text: string, gzip = true): Promise<string> => {
    const path = join(await tempDir('csv'), 'train.csv.gz');
    if (gzip) await writeGzip(path, text);
    else await writeFile(path, text);
    return path;
  };

  it('reads labels and text', async () => {
    const path = await file(
      labelledCsv([
        [1, 'Great, "truly" great'],
        [0, 'Bad<br />bad'],
      ]),
    );
    expect(await readLabelledCsv(path)).toEqual([
      { label: 1, text: 'Great, "truly" great' },
      { label: 0, text: 'Bad<br />bad' },
    ]);
  });

  it.each([
    ['a missing column', 'label,review\n1,x\n', 'CSV_MISSING_COLUMN', /no "text" column/],
    ['a label other than 0/1', 'label,text\n1,x\n2,y\n', 'CSV_BAD_LABEL', /line 3 has label "2"/],
    ['a short row', 'label,text\n1\n', 'CSV_MALFORMED', /line 2 has 1 fields/],
    ['a header without rows', 'label,text\n', 'DATA_EMPTY', /no reviews/],
    ['nothing at all', '', 'DATA_EMPTY', /no header/],
  ])('refuses %s', async (_name, text, code, message) => {
    const error = await readLabelledCsv(await file(text)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) as unknown });
  });

  it('refuses an empty file, a truncated gzip and a missing file with what to do', async () => {
    const empty = await file('', false);
    await expect(readLabelledCsv(empty)).rejects.toMatchObject({
      code: 'DATA_EMPTY',
      message: expect.stringMatching(/data:fetch/) as unknown,
    });
    const truncated = await file('', false);
    await writeFile(truncated, gzipSync(labelledCsv([[1, 'x'.repeat(5000)]])).subarray(0, 40));
    await expect(readLabelledCsv(truncated)).rejects.toMatchObject({
      code: 'DATA_CORRUPT',
      message: expect.stringMatching(/not a complete gzip/) as unknown,
    });
    await expect(readLabelledCsv('/nonexistent/train.csv.gz')).rejects.toMatchObject({ code: 'DATA_MISSING' });
  });
});
