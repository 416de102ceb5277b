/**
 * CSV (RFC 4180) with protection against formula injection: a cell that a spreadsheet would run as a
 * formula (starting with = + - @, or a tab or carriage return) is prefixed with a single quote. A plain
 * negative number or a phone number written with spaces ("+1 503 555 0142", "-12.5") is left as typed.
 */
export type CsvCell = string | number | boolean | Date | null | undefined;

// A negative decimal, or an international phone number written with spaces: a spreadsheet reads both as
// the value typed. ("+1-503-555" would be computed, so dashes keep the quote.)
const PLAIN_NUMBER = /^(?:-\d+(?:\.\d+)?|\+\d[\d ]*)$/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
