import type { PurchaseOrderExtraction } from "./types.ts";

/**
 * The local purchase-order reader: no model, only the shapes purchase orders come in. It reads
 * label/value lines ("Required by: 12 May 2026"), tables (columns split by "|", tabs or runs of spaces,
 * found by their header row), quantity lines ("25 x Cable clip") and free text ("we need 40 of the
 * brackets … by Friday 3 July 2026 … this is urgent"), and the signature block for the contact,
 * company and phone. What it cannot find stays null: it never guesses.
 */

type Item = PurchaseOrderExtraction["items"][number];

const MATERIALS =
  /\b(PLA\+|PLA|PETG|ABS|ASA|TPU|nylon|PA ?12|PA ?11|PA ?6|PC|PEEK|resin|carbon[- ]fibre|carbon[- ]fiber)(?!\w)/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
/** A PO number names a digit somewhere: "Purchase order from Acme" has none. */
const NUMBER_VALUE = /((?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{2,})/i;
const PO_NUMBER = new RegExp(
  `\\b(?:P\\.?[ \\t]?O\\b\\.?|purchase[ \\t]+order)[ \\t]*(?:#|no\\.?|number|nr\\.?|ref(?:erence)?\\.?)?[ \\t]*[:#-]?[ \\t]*${NUMBER_VALUE.source}`,
  "i",
);
/** "our order number 2026-PO-0915": plain "order" only with the word number after it. */
const ORDER_NUMBER = new RegExp(
  `\\border[ \\t]*(?:#|no\\.|number|nr\\.?)[ \\t]*[:#-]?[ \\t]*${NUMBER_VALUE.source}`,
  "i",
);

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ISO_DATE = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/;
const NUMERIC_DATE = /\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b/;
const DAY_MONTH_YEAR = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`,
  "i",
);
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "i");

/** Labels whose value is the date the parts are needed by (not the order's own date). */
const DUE_LABEL =
  /^(?:due(?: date)?|delivery(?: date| by| required)?|deliver(?:y)? by|date required|required(?: by| date)?|need(?:ed)? by|ship(?:ping)? by|ship date|requested (?:delivery|ship) date|wanted by|in[- ]hands?(?: date| by)?|lieferdatum|liefertermin)$/i;
/** Words that put a date in free text in the due-date role. */
const DUE_WORDS =
  /\b(due|deliver(?:y|ed)?|need(?:ed)?|required|requested|ship(?:ped)?|by|before|deadline|no later than|in hands)\b/i;
const ORDER_DATE = /\b(?:order|po|invoice|issue|issued|document)\s+date\b|^date\b/i;

const CONTACT_LABEL =
  /^(?:contact(?: person| name)?|attn|attention|buyer|purchaser|ordered by|requested by|requester|requisitioner|from|name|your name|your contact|ansprechpartner)$/i;
const COMPANY_LABEL =
  /^(?:company|customer|client|bill to|billing|sold to|invoice to|buyer company|organi[sz]ation|firma|kunde)$/i;
const PHONE_LABEL = /^(?:phone|tel|telephone|mobile|mob|cell|ph|fon|telefon|direct|contact phone)$/i;
const EMAIL_LABEL = /^(?:e-?mail|email address)$/i;
const NOTES_LABEL = /^(?:notes?|comments?|remarks?|instructions?|special instructions|bemerkung(?:en)?)$/i;
const CURRENCY_LABEL = /^(?:currency|währung|waehrung)$/i;
const PO_LABEL =
  /^(?:p\.?\s?o\.?|purchase order|order)(?:\s*(?:#|no\.?|number|nr\.?|ref(?:erence)?\.?))?$|^(?:bestellnummer|bestellung nr\.?)$/i;

/** A legal form at the end of a name marks it as a company's ("Oakwood Joinery Ltd", "Alpentech AG"). */
const COMPANY_SUFFIX =
  /\s(?:Inc|INC|LLC|Llc|Ltd|LTD|Limited|LIMITED|GmbH|GMBH|AG|SA|SAS|SARL|S\.L|BV|B\.V|NV|N\.V|Oy|AB|AS|ApS|Pty(?: Ltd)?|PLC|plc|Corp|CORP|Corporation|Co|CO|Company|KG|UG|Srl|S\.r\.l|SpA|S\.p\.A|K\.K|KK)\.?$/;
/** Or an institution that orders parts ("University of Lakeside", "St. Mary's Hospital"). */
const INSTITUTION =
  /^(?:the\s+)?(?:university|college|institute|hospital)\b|\b(?:university|college|institute|hospital)$/i;
const SIGN_OFF =
  /(?:^|\s|\/)(?:regards|thanks?|thank you|cheers|best|sincerely|yours(?: sincerely| truly)?|grüßen?|grüße|groet(?:en)?|cordialement|saludos)[\s,!.]*$/i;

const RUSH =
  /\b(rush|urgent(?:ly)?|asap|a\.s\.a\.p|expedite[ds]?|express|as soon as possible|top priority|eilig|dringend)\b/i;
const NOT_RUSH = /\b(no rush|not urgent|no hurry|not a rush|standard (?:lead time|delivery))\b/i;
const RUSH_LABEL = /^(?:priority|rush|urgency|service level|lead time)$/i;

/** ISO 4217 codes and the symbols that name them; longer symbols first, so "CA$" is not read as "$". */
const CURRENCIES: Array<[RegExp, string]> = [
  [/\bCA\$|\bC\$|\bCAD\b/, "CAD"],
  [/\bA\$|\bAUD\b/, "AUD"],
  [/\bNZ\$|\bNZD\b/, "NZD"],
  [/€|\bEUR\b|\beuros?\b/i, "EUR"],
  [/£|\bGBP\b/i, "GBP"],
  [/¥|\bJPY\b|\byen\b/i, "JPY"],
  [/\bCHF\b|\bSFr\.?/i, "CHF"],
  [/\bSEK\b/, "SEK"],
  [/\bNOK\b/, "NOK"],
  [/\bDKK\b/, "DKK"],
  [/\bPLN\b|\bzł/i, "PLN"],
  [/\bUSD\b|US\$|\$/i, "USD"],
];
const CURRENCY_TOKEN =
  /(?:CA\$|C\$|A\$|NZ\$|US\$|[$€£¥]|\b(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|SEK|NOK|DKK|PLN)\b)/;
const AMOUNT = /(\d{1,3}(?:[ ,.'’]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?)/;
/** An amount with its currency on either side: "$1.20", "1,20 €", "EUR 12.00". */
const PRICE = new RegExp(
  `(?:${CURRENCY_TOKEN.source}\\s?${AMOUNT.source}|${AMOUNT.source}\\s?${CURRENCY_TOKEN.source})\\s*(?:each|ea\\.?|per\\s+(?:piece|unit|pc|part)|/\\s*(?:pc|pcs|unit|ea))?`,
  "i",
);

/** "10 x Bracket", "10 pcs Bracket", "- 3 units of Gear" */
const QTY_FIRST =
  /^\s*(?:[-*•]\s*|\d{1,3}[.)]\s+)?(\d{1,6})\s*(?:x|×|pcs?\.?|pieces?|units?|qty\.?|stk\.?|stück)\s+(?:of\s+)?(.+?)\s*$/i;
/** "Bracket x 10", "Bracket - qty: 10", "Bracket, quantity 10" */
const QTY_LAST =
  /^\s*(?:[-*•]\s*)?(.+?)\s*(?:[-,:]\s*)?(?:\bx|×|\bqty\.?:?|\bquantity:?)\s*(\d{1,6})\b(.*)$/i;
/** "Qty 6 – Replacement knob" */
const QTY_LABEL_FIRST =
  /^\s*(?:[-*•]\s*)?(?:qty|quantity)\.?:?\s*(\d{1,6})\s*(?:x|×|pcs\.?)?\s*[-–—:]?\s*(.+?)\s*$/i;
/** "… we need 40 of the mounting brackets in black PETG …", then "… and 150 leash loops …" */
const SENTENCE_ITEM = String.raw`\s+(\d{1,6})\s*(?:x\s+|×\s*|pcs\.?\s+|pieces\s+of\s+|units\s+of\s+|copies\s+of\s+|of\s+(?:the|our|your|those|these)\s+|more\s+)?([^.,;!?\n]+?)(?=\s+(?:by|before|for|at|@|please|and\s+\d)\b|\s+and\s+\d|[.,;!?]|$)`;
const QTY_IN_SENTENCE = new RegExp(
  `\\b(?:need|order(?:ing)?|want|require|like|print|do)(?:\\s+to\\s+order)?${SENTENCE_ITEM}`,
  "gi",
);
const QTY_AND = new RegExp(`\\b(?:and|also|plus)${SENTENCE_ITEM}`, "gi");

/** Words of a table's header row, by the column they name. */
const HEADER = {
  description:
    /^(?:item|items|part|part name|description|item description|product|article|artikel|bezeichnung|name|part description|component)$/i,
  quantity: /^(?:qty|qty\.|quantity|units|pcs|pieces|menge|anzahl|count|no\. of parts|order qty)$/i,
  price:
    /^(?:price|unit price|unit cost|rate|each|price each|price\/unit|unit|u\/price|einzelpreis|price per unit|cost)(?:\s*\(.*\))?$/i,
  total: /^(?:total|amount|line total|ext\.? price|extended|sum|gesamt|net amount|subtotal)(?:\s*\(.*\))?$/i,
  material: /^(?:material|mat\.?|werkstoff|filament)$/i,
  sku: /^(?:#|no\.?|line|pos\.?|position|sku|part no\.?|part number|item no\.?|item #|ref)$/i,
} as const;
type Column = keyof typeof HEADER;

const TABLE_END = /^\s*(?:sub-?total|total|tax|vat|shipping|freight|grand total|net|amount due|summe)\b/i;

/** The cells of a table row: split by "|", tabs, or runs of two or more spaces. */
function cells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  const parts = trimmed.includes("|") ? trimmed.split("|") : trimmed.split(/\t+|\s{2,}/);
  return parts.map((c) => c.trim());
}

function headerColumns(line: string): (Column | null)[] | null {
  const row = cells(line);
  if (row.length < 2) return null;
  const columns = row.map(
    (cell) =>
      (Object.keys(HEADER) as Column[]).find((column) =>
        HEADER[column].test(cell.replace(/[:*_]/g, "").trim()),
      ) ?? null,
  );
  // "Item | Description | Qty": the item column is a line number when a description column follows
  const named = row.findIndex((cell, i) => columns[i] === "description" && !/^items?$/i.test(cell));
  if (named >= 0) {
    for (const [i, column] of columns.entries())
      if (column === "description" && i !== named) columns[i] = "sku";
  }
  return columns.includes("description") && columns.includes("quantity") ? columns : null;
}

/** Fraction digits of a currency (ISO 4217), from the platform's own table. */
function digitsOf(currency: string | null): number {
  if (!currency) return 2;
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "1,234.50", "1.234,50", "1 234,50", "1'234.50", "¥1,200" → minor units of the currency. */
export function amountToMinor(raw: string, currency: string | null): number | null {
  const digits = digitsOf(currency);
  let text = raw.replace(/[^\d.,'’ ]/g, "").trim();
  if (!/\d/.test(text)) return null;
  text = text.replace(/[\s'’]/g, "");
  const lastDot = text.lastIndexOf(".");
  const lastComma = text.lastIndexOf(",");
  let decimalSep: "." | "," | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimalSep = lastDot > lastComma ? "." : ",";
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const after = text.length - text.lastIndexOf(sep) - 1;
    const repeated = text.split(sep).length > 2;
    // "1.200" in yen or "1,200" is a thousands group; "1,20" and "1.5" are decimals
    decimalSep = repeated || (after === 3 && digits !== 3) ? null : sep;
  }
  const [whole, fraction = ""] = decimalSep
    ? [text.slice(0, text.lastIndexOf(decimalSep)), text.slice(text.lastIndexOf(decimalSep) + 1)]
    : [text, ""];
  const wholeDigits = whole.replace(/[.,]/g, "") || "0";
  if (fraction.length > Math.max(digits, 2)) return null;
  const minor =
    Number(wholeDigits) * 10 ** digits + Math.round(Number(`0.${fraction || "0"}`) * 10 ** digits);
  return Number.isSafeInteger(minor) ? minor : null;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The first date in a piece of text, as YYYY-MM-DD. Numeric dates are day first ("15/04/2026") unless
 * the day cannot be first ("04/15/2026") or the order is in US dollars, where month first is the custom.
 */
function dateIn(text: string, monthFirst: boolean): string | null {
  const candidates: { at: number; value: string | null }[] = [];
  const isoMatch = ISO_DATE.exec(text);
  if (isoMatch)
    candidates.push({ at: isoMatch.index, value: iso(+isoMatch[1]!, +isoMatch[2]!, +isoMatch[3]!) });
  const numeric = NUMERIC_DATE.exec(text);
  if (numeric) {
    const a = +numeric[1]!;
    const b = +numeric[2]!;
    const year = numeric[3]!.length === 2 ? 2000 + +numeric[3]! : +numeric[3]!;
    const [month, day] = a > 12 ? [b, a] : b > 12 ? [a, b] : monthFirst ? [a, b] : [b, a];
    candidates.push({ at: numeric.index, value: iso(year, month, day) });
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) candidates.push({ at: dmy.index, value: iso(+dmy[3]!, monthIndex(dmy[2]!), +dmy[1]!) });
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) candidates.push({ at: mdy.index, value: iso(+mdy[3]!, monthIndex(mdy[1]!), +mdy[2]!) });
  const first = candidates.filter((c) => c.value).sort((x, y) => x.at - y.at)[0];
  return first?.value ?? null;
}

/** A phone number in text: at least 7 digits, with the usual separators; null for dates and amounts. */
function phoneIn(text: string): string | null {
  const match = /(\+?\(?\d[\d\s().\-/]{5,}\d)(?:\s*(?:ext\.?|x)\s*(\d{1,5}))?/.exec(text);
  if (!match) return null;
  const number = match[1]!.trim();
  const digits = number.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return null;
  if (ISO_DATE.test(number) || NUMERIC_DATE.test(number)) return null;
  return match[2] ? `${number} ext. ${match[2]}` : number;
}

/** A label/value line: "Label: value" (or a label, a tab and the value). */
function labelled(line: string): { label: string; value: string } | null {
  const match = /^\s*([A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß .#/()'-]{0,38}?)\s*(?::|\t+|\s{3,})\s*(.*)$/.exec(line);
  if (!match) return null;
  return { label: match[1]!.replace(/[.()]+$/, "").trim(), value: match[2]!.trim() };
}

function currencyIn(text: string): string | null {
  return CURRENCIES.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

function cleanDescription(raw: string): string {
  return raw
    .replace(PRICE, "")
    .replace(/\s*(?:@|at)\s*$/i, "")
    .replace(/\s*[@,;:-]\s*$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Items of a table starting at its header row; returns the items and the index after the table. */
function readTable(
  lines: string[],
  start: number,
  columns: (Column | null)[],
  currency: string | null,
): { items: Item[]; end: number } {
  const items: Item[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\|?\s*:?-{3,}/.test(line) || /^[\s=_-]+$/.test(line)) continue;
    if (!line.trim()) {
      if (items.length > 0) break;
      continue;
    }
    if (TABLE_END.test(line.replace(/^\s*\|\s*/, ""))) break;
    const row = cells(line);
    const at = (column: Column) => {
      const index = columns.indexOf(column);
      // a row missing an empty leading cell (a blank SKU) is shifted left: read it from the right
      const shift = row.length < columns.length ? columns.length - row.length : 0;
      const cell = index >= 0 ? row[index - (index >= shift ? shift : 0)] : undefined;
      return cell?.trim() ?? "";
    };
    const quantity = Number(at("quantity").replace(/[^\d]/g, ""));
    const description = cleanDescription(at("description"));
    if (!Number.isInteger(quantity) || quantity <= 0 || !description) {
      // a continuation line of the previous item's description
      const previous = items[items.length - 1];
      if (previous && row.length === 1 && !PRICE.test(line)) previous.description += ` ${line.trim()}`;
      continue;
    }
    const priceCell = at("price");
    const totalCell = at("total");
    let unitPriceMinor = priceCell ? amountToMinor(priceCell, currency) : null;
    if (unitPriceMinor === null && totalCell) {
      const total = amountToMinor(totalCell, currency);
      unitPriceMinor = total !== null && total % quantity === 0 ? total / quantity : null;
    }
    const material = at("material") || MATERIALS.exec(description)?.[1] || null;
    items.push({ description, quantity, material, unitPriceMinor });
  }
  return { items, end: i };
}

/** The company part of a value: "Brightline Robotics Inc., 400 Harbor Way" → "Brightline Robotics Inc." */
function companyOf(value: string): string | null {
  return value.split(/,(?!\s*(?:Inc|LLC|Ltd)\b)|\s{2,}/)[0]!.trim() || null;
}

/** Items in one line of free text: a quantity line, or the quantities its sentences name. */
function lineItems(line: string, currency: string | null): Item[] {
  const single =
    QTY_LABEL_FIRST.exec(line) ??
    QTY_FIRST.exec(line) ??
    (() => {
      const last = QTY_LAST.exec(line);
      return last ? [last[0], last[2]!, `${last[1]!} ${last[3] ?? ""}`] : null;
    })();
  const found: { quantity: number; raw: string }[] = [];
  if (single) found.push({ quantity: Number(single[1]), raw: single[2]! });
  else {
    const verbs = [...line.matchAll(QTY_IN_SENTENCE)];
    const more = verbs.length ? [...line.matchAll(QTY_AND)] : [];
    for (const match of [...verbs, ...more].sort((a, b) => a.index - b.index)) {
      found.push({ quantity: Number(match[1]), raw: match[2]! });
    }
  }
  const items: Item[] = [];
  for (const { quantity, raw } of found) {
    const description = cleanDescription(raw);
    if (quantity <= 0 || !description || /^\d+$/.test(description)) continue;
    const price = PRICE.exec(raw) ?? (found.length === 1 ? PRICE.exec(line) : null);
    items.push({
      description,
      quantity,
      material:
        MATERIALS.exec(description)?.[1] ?? (found.length === 1 ? (MATERIALS.exec(line)?.[1] ?? null) : null),
      unitPriceMinor: price
        ? amountToMinor(price[0].replace(/each|ea\.?|per\s+\w+|\/\s*\w+/gi, ""), currency)
        : null,
    });
  }
  return items;
}

/** Reads a purchase order's text into its fields; see the module comment. */
export function readPurchaseOrder(text: string): PurchaseOrderExtraction {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .split("\n")
    // Markdown: "**PO #:** 42", "# Purchase order"
    .map((line) => line.replace(/\*\*|__/g, "").replace(/^\s*#{1,6}\s+/, ""));
  const plain = lines.join("\n");
  const found: PurchaseOrderExtraction = {
    poNumber: null,
    customerName: null,
    customerCompany: null,
    customerEmail: null,
    customerPhone: null,
    dueDate: null,
    currency: null,
    items: [],
    notes: null,
    rush: false,
    source: "rules",
  };
  // a scanned page without its text layer: nothing to read, and nothing is made up
  if (!/\p{L}{3,}/u.test(plain)) return found;

  // currency first: prices and numeric dates depend on it
  const labelledCurrency = lines
    .map(labelled)
    .find((l) => l && CURRENCY_LABEL.test(l.label) && currencyIn(l.value));
  found.currency = labelledCurrency ? currencyIn(labelledCurrency.value) : currencyIn(plain);
  const monthFirst = found.currency === "USD" || /\+1[\s(-]/.test(plain);

  const notes: string[] = [];
  let rushSaid: boolean | null = null;
  const consumed = new Set<number>();

  // label/value lines
  for (const [index, line] of lines.entries()) {
    const pair = labelled(line);
    if (!pair) continue;
    const { label } = pair;
    // a label alone on its line ("Bill to:") takes the next non-empty line as its value
    let value = pair.value;
    if (!value)
      value =
        lines
          .slice(index + 1)
          .find((l) => l.trim())
          ?.trim() ?? "";
    if (!value) continue;
    if (PO_LABEL.test(label)) {
      found.poNumber ??= NUMBER_VALUE.exec(value)?.[1] ?? null;
    } else if (DUE_LABEL.test(label)) {
      found.dueDate ??= dateIn(value, monthFirst);
    } else if (CONTACT_LABEL.test(label) || COMPANY_LABEL.test(label)) {
      const company = companyOf(value);
      // "Buyer: Maple Kinetics Corp." names the company, "Buyer: Jo Smith" the person
      if (COMPANY_LABEL.test(label) || (company && COMPANY_SUFFIX.test(` ${company}`))) {
        found.customerCompany ??= company;
      } else {
        const name = value
          .replace(EMAIL, "")
          .replace(/[,;(<]+\s*[)>]?\s*$/, "")
          .trim();
        found.customerName ??= name || null;
      }
    } else if (PHONE_LABEL.test(label)) {
      found.customerPhone ??= phoneIn(value);
    } else if (EMAIL_LABEL.test(label)) {
      found.customerEmail ??= EMAIL.exec(value)?.[0]?.toLowerCase() ?? null;
    } else if (NOTES_LABEL.test(label) && pair.value) {
      notes.push(pair.value);
      consumed.add(index);
    } else if (RUSH_LABEL.test(label)) {
      rushSaid = NOT_RUSH.test(value) ? false : RUSH.test(value) || /^(?:yes|high|y)\b/i.test(value);
    }
  }

  // tables, then quantity lines and sentences outside them
  for (let i = 0; i < lines.length; i++) {
    const columns = headerColumns(lines[i]!);
    if (!columns) continue;
    const table = readTable(lines, i, columns, found.currency);
    found.items.push(...table.items);
    for (let j = i; j < table.end; j++) consumed.add(j);
    i = table.end - 1;
  }
  for (const [index, line] of lines.entries()) {
    if (consumed.has(index) || !line.trim() || EMAIL.test(line) || TABLE_END.test(line)) continue;
    if ((PO_NUMBER.test(line) || ORDER_NUMBER.test(line)) && !/\d\s*(?:x|×|pcs)\s/i.test(line)) continue;
    found.items.push(...lineItems(line, found.currency));
  }

  // free text: PO number, email, due date, phone, rush
  // the number the text names first: "order number 2026-PO-0915" is one number, not "PO-0915"
  const [numbered] = [PO_NUMBER.exec(plain), ORDER_NUMBER.exec(plain)]
    .filter((m) => m !== null)
    .sort((x, y) => x.index - y.index);
  found.poNumber ??= numbered?.[1] ?? null;
  found.customerEmail ??= EMAIL.exec(plain)?.[0]?.toLowerCase() ?? null;
  if (!found.dueDate) {
    for (const line of lines) {
      if (ORDER_DATE.test(line.trim()) || !DUE_WORDS.test(line)) continue;
      found.dueDate = dateIn(line, monthFirst);
      if (found.dueDate) break;
    }
  }
  if (!found.customerPhone) {
    const phoneLine = lines.find((l) => /\b(?:tel|phone|mobile|mob|cell|call)\b|☎|^\s*[TPM]\s*[:.]/i.test(l));
    const number = phoneLine?.replace(/^[^:+\d]*?(?:tel|phone|mobile|mob|cell)\.?\s*:?/i, "");
    found.customerPhone = number ? phoneIn(number) : null;
  }
  found.rush =
    rushSaid ?? (!NOT_RUSH.test(plain) && lines.some((l) => RUSH.test(l) && !/^\s*priority\s*:/i.test(l)));

  // the signature: after a sign-off, the contact's name, then maybe a title, the company and a phone
  const signOff = lines.findIndex((l) => l.trim().length <= 50 && SIGN_OFF.test(l.trim()));
  if (signOff >= 0) {
    const block = lines
      .slice(signOff + 1)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 5);
    const [name, ...rest] = block;
    if (name && /^[\p{L}][\p{L}.'’-]*(?:\s+[\p{L}][\p{L}.'’-]*){0,3}$/u.test(name))
      found.customerName ??= name;
    found.customerCompany ??=
      rest.find((l) => COMPANY_SUFFIX.test(` ${l}`) && !EMAIL.test(l) && !/\d/.test(l)) ?? null;
    const phone = rest.find((l) => !EMAIL.test(l) && phoneIn(l) && (l.match(/\p{L}/gu) ?? []).length <= 5);
    if (phone) found.customerPhone ??= phoneIn(phone);
  }
  if (!found.customerCompany) {
    // a letterhead or sender line, but not the shop's own name on the "To:" or "Vendor:" line
    for (const line of lines) {
      if (/^\s*(?:to|vendor|supplier|ship from)\b/i.test(line) || EMAIL.test(line)) continue;
      const name = cells(line)[0]?.replace(/^from\s*:?\s*/i, "") ?? "";
      if (name.split(/\s+/).length > 6 || /\d{3}/.test(name)) continue;
      if (COMPANY_SUFFIX.test(` ${name}`) || INSTITUTION.test(name)) {
        found.customerCompany = name;
        break;
      }
    }
  }
  found.notes = notes.length ? notes.join("\n").slice(0, 2000) : null;
  return found;
}
