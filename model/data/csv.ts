/**
 * Reads the dataset's gzipped CSV files (RFC 4180, as Python's csv.writer writes them:
 * fields with "," or '"' quoted, quotes doubled, "\n" line ends). Node-only.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ReelSenseError } from '../../common/errors.ts';

export interface LabelledReview {
  readonly label: 0 | 1;
  readonly text: string;
}

/** Splits CSV text into records; `line` is the 1-based line where each record starts. */
export function* parseCsv(text: string, source: string): Generator<{ fields: string[]; line: number }> {
  let pos = 0;
  let line = 1;
  const n = text.length;
  while (pos < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === 34 /* " */) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) {
            throw new ReelSenseError(
              'CSV_MALFORMED',
              `${source}: the quoted field that starts on line ${start} never ends.`,
            );
          }
          value += text.slice(from, quote);
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            from = quote + 2;
          } else {
            pos = quote + 1;
            break;
          }
        }
        for (const c of value) if (c === '\n') line++;
        field = value;
      } else {
        let end = pos;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13) break;
          end++;
        }
        field = text.slice(pos, end);
        pos = end;
      }
      fields.push(field);
      const c = text.charCodeAt(pos);
      if (c === 44 /* , */) {
        pos++;
        continue;
      }
      if (c === 13 /* \r */) pos++;
      if (pos < n && text.charCodeAt(pos) !== 10) {
        throw new ReelSenseError('CSV_MALFORMED', `${source}: line ${line} has text after a closing quote.`);
      }
      pos++;
      line++;
      break;
    }
    yield { fields, line: start };
  }
}

/** Reads and gunzips a `.csv.gz` file, with errors that say what to do. */
export async function readGzipText(path: string): Promise<string> {
  let compressed: Buffer;
  try {
    compressed = await readFile(path);
  } catch (cause) {
    throw new ReelSenseError('DATA_MISSING', `Cannot read ${path}: ${(cause as Error).message}.`, { cause });
  }
  if (compressed.length === 0) {
    throw new ReelSenseError(
      'DATA_EMPTY',
      `${path} is empty. Delete it and fetch the dataset again (npm run data:fetch).`,
    );
  }
  try {
    return gunzipSync(compressed).toString('utf8');
  } catch (cause) {
    throw new ReelSenseError(
      'DATA_CORRUPT',
      `${path} is not a complete gzip file (${(cause as Error).message}). Delete it and fetch the dataset again (npm run data:fetch).`,
      { cause },
    );
  }
}

function headerIndex(header: readonly string[], column: string, path: string): number {
  const index = header.indexOf(column);
  if (index < 0) {
    throw new ReelSenseError(
      'CSV_MISSING_COLUMN',
      `${path} has no "${column}" column (its header is "${header.join(',')}"). Expected the columns: label,text.`,
    );
  }
  return index;
}

/** Reads a `label,text` file: every label must be 0 or 1 and every row complete. */
export async function readLabelledCsv(path: string): Promise<LabelledReview[]> {
  return parseLabelledCsv(await readGzipText(path), path);
}

/** Parses the text of a `label,text` file; `path` names it in errors. */
export function parseLabelledCsv(text: string, path: string): LabelledReview[] {
  const records = parseCsv(text, path);
  const first = records.next();
  if (first.done === true) throw new ReelSenseError('DATA_EMPTY', `${path} has no header and no rows.`);
  const header = first.value.fields;
  const labelAt = headerIndex(header, 'label', path);
  const textAt = headerIndex(header, 'text', path);
  const rows: LabelledReview[] = [];
  for (const { fields, line } of records) {
    if (fields.length !== header.length) {
      throw new ReelSenseError(
        'CSV_MALFORMED',
        `${path}: line ${line} has ${fields.length} fields, expected ${header.length}.`,
      );
    }
    const label = fields[labelAt];
    if (label !== '0' && label !== '1') {
      throw new ReelSenseError(
        'CSV_BAD_LABEL',
        `${path}: line ${line} has label "${String(label)}"; labels must be 0 or 1.`,
      );
    }
    rows.push({ label: label === '1' ? 1 : 0, text: fields[textAt] ?? '' });
  }
  if (rows.length === 0) throw new ReelSenseError('DATA_EMPTY', `${path} has a header but no reviews.`);
  return rows;
}

/** Reads a `text` file (the unlabelled reviews). */
export async function readTextCsv(path: string): Promise<string[]> {
  return parseTextCsv(await readGzipText(path), path);
}

/** Parses the text of a `text` file; `path` names it in errors. */
export function parseTextCsv(text: string, path: string): string[] {
  const records = parseCsv(text, path);
  const first = records.next();
  if (first.done === true) throw new ReelSenseError('DATA_EMPTY', `${path} has no header and no rows.`);
  const textAt = headerIndex(first.value.fields, 'text', path);
  const texts: string[] = [];
  for (const { fields } of records) texts.push(fields[textAt] ?? '');
  if (texts.length === 0) throw new ReelSenseError('DATA_EMPTY', `${path} has a header but no reviews.`);
  return texts;
}

/** Writes one CSV field the way Python's csv.writer (QUOTE_MINIMAL) does. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
