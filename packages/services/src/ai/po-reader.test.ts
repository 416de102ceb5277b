import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { amountToMinor, readPurchaseOrder } from "./po-reader.ts";
import type { PurchaseOrderExtraction } from "./types.ts";

const read = (file: string) =>
  readPurchaseOrder(readFileSync(new URL(`./purchase-orders/${file}`, import.meta.url), "utf8"));

const item = (
  description: string,
  quantity: number,
  material: string | null,
  unitPriceMinor: number | null,
) => ({
  description,
  quantity,
  material,
  unitPriceMinor,
});

/** Each purchase order in ./purchase-orders and everything the local reader must find in it. */
const EXPECTED: Record<string, Omit<PurchaseOrderExtraction, "source">> = {
  "01-email-table-usd.txt": {
    poNumber: "PO-88213",
    customerName: "Dana Whitfield",
    customerCompany: "Brightline Robotics Inc.",
    customerEmail: "dana.whitfield@brightline-robotics.example",
    customerPhone: "+1 (503) 555-0188",
    dueDate: "2026-06-12",
    currency: "USD",
    items: [
      item("Gripper finger, left (PETG)", 24, "PETG", 340),
      item("Gripper finger, right (PETG)", 24, "PETG", 340),
      item("Sensor bracket (ABS)", 6, "ABS", 1200),
    ],
    notes: null,
    rush: true,
  },
  "02-label-value-pipe-table-eur.txt": {
    poNumber: "4500012345",
    customerName: "Jonas Becker",
    customerCompany: "Feinwerk Müller GmbH",
    customerEmail: "j.becker@feinwerk-mueller.example",
    customerPhone: "+49 30 1234 5678",
    dueDate: "2026-03-20",
    currency: "EUR",
    items: [
      item("Housing cover", 50, "PA12", 480),
      item("Spacer 5 mm", 200, "PA12", 35),
      item("Cable guide", 40, "TPU", 110),
    ],
    notes: "Please pack each position separately and label it with the position number.",
    rush: false,
  },
  "03-free-text-gbp.txt": {
    poNumber: null,
    customerName: "Priya Natarajan",
    customerCompany: "Oakwood Joinery Ltd",
    customerEmail: null,
    customerPhone: "07700 900123",
    dueDate: "2026-07-03",
    currency: "GBP",
    items: [
      item("mounting brackets in black PETG", 40, "PETG", null),
      item("cable tidy clips in TPU", 12, "TPU", null),
    ],
    notes: null,
    rush: true,
  },
  "04-markdown-table-cad.txt": {
    poNumber: "MK-2026-0042",
    customerName: "Étienne Tremblay",
    customerCompany: "Maple Kinetics Corp.",
    customerEmail: "etienne@maplekinetics.example",
    customerPhone: "(514) 555-0142",
    dueDate: "2026-09-15",
    currency: "CAD",
    items: [
      item("Drone arm, carbon fibre nylon", 16, "Nylon", 1850),
      item("Battery tray", 8, "PETG", 725),
      item("Prop guard", 16, "TPU", 400),
    ],
    notes: "Expedite if possible; partial shipment OK.",
    rush: true,
  },
  "05-tab-table-jpy.txt": {
    poNumber: "SK-240517",
    customerName: "Yuki Tanaka",
    customerCompany: "Sakura Kobo K.K.",
    customerEmail: "tanaka@sakura-kobo.example",
    customerPhone: "+81 3-1234-5678",
    dueDate: "2026-06-30",
    currency: "JPY",
    items: [item("Camera mount", 30, null, 1200), item("Lens cap", 100, null, 150)],
    notes: "Rush order, needed for the trade show.",
    rush: true,
  },
  "06-scanned-no-text.txt": {
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
  },
  "07-quantity-lines-usd.txt": {
    poNumber: "7731",
    customerName: "Marcus Reed",
    customerCompany: "Reed Cycles LLC",
    customerEmail: "mreed@reedcycles.example",
    customerPhone: "415-555-0199",
    dueDate: "2026-10-07",
    currency: "USD",
    items: [
      item("Bottle cage adapter, PLA+", 50, "PLA+", 85),
      item("Chain guide (ASA)", 20, "ASA", 240),
      item("Saddle clamp spacer", 10, null, null),
    ],
    notes: null,
    rush: false,
  },
  "08-letter-eur.txt": {
    poNumber: "2026-PO-0915",
    customerName: "Sanne de Vries",
    customerCompany: "Studio Verde BV",
    customerEmail: null,
    customerPhone: "+31 20 555 0147",
    dueDate: "2026-08-14",
    currency: "EUR",
    items: [
      item("Replacement knob, matte black ABS", 6, "ABS", null),
      item("Lamp shade, white PETG, Ø 180 mm", 2, "PETG", null),
    ],
    notes: null,
    rush: false,
  },
  "09-erp-fixed-width-chf.txt": {
    poNumber: "PO-CH-7781",
    customerName: "Reto Brunner",
    customerCompany: "ALPENTECH AG",
    customerEmail: "reto.brunner@alpentech.example",
    customerPhone: "+41 44 555 01 23",
    dueDate: "2026-10-23",
    currency: "CHF",
    items: [
      item("Sensor housing, PA12", 120, "PA12", 640),
      item("Sensor lid, PA12", 120, "PA12", 210),
      item("Fixture jaw, PETG CF", 4, "PETG", 3800),
    ],
    notes: null,
    rush: true,
  },
  "10-web-form-aud.txt": {
    poNumber: "CS-5520",
    customerName: "Liam O'Connor",
    customerCompany: "Coastline Surf Co.",
    customerEmail: "liam@coastlinesurf.example",
    customerPhone: "0412 345 678",
    dueDate: "2026-09-01",
    currency: "AUD",
    items: [item("fin plugs in black TPU", 150, "TPU", null), item("leash loops in ASA", 150, "ASA", null)],
    notes: null,
    rush: true,
  },
  "11-university-pipe-table-usd.txt": {
    poNumber: "U-2026-33817",
    customerName: "Dr. Helen Park",
    customerCompany: "UNIVERSITY OF LAKESIDE",
    customerEmail: "hpark@lakeside.example",
    customerPhone: "608.555.0173 ext. 42",
    dueDate: "2026-03-20",
    currency: "USD",
    items: [
      item("Wind tunnel airfoil section, resin", 4, "resin", 14500),
      item("Test stand base plate, PETG", 1, "PETG", 6250),
    ],
    notes: null,
    rush: false,
  },
};

describe("the local purchase-order reader", () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`reads ${file}`, () => {
      expect(read(file)).toEqual({ ...expected, source: "rules" });
    });
  }

  it("reads amounts in each currency's own digits and separators", () => {
    expect(amountToMinor("$1,234.50", "USD")).toBe(123450);
    expect(amountToMinor("1.234,50 €", "EUR")).toBe(123450);
    expect(amountToMinor("1 234,5", "EUR")).toBe(123450);
    expect(amountToMinor("CHF 1'172.00", "CHF")).toBe(117200);
    expect(amountToMinor("¥1,200", "JPY")).toBe(1200);
    expect(amountToMinor("1.200", "JPY")).toBe(1200);
    expect(amountToMinor("0,35", "EUR")).toBe(35);
    expect(amountToMinor("1.250", "KWD")).toBe(1250);
    expect(amountToMinor("n/a", "USD")).toBeNull();
  });

  it("tells a rush order from one that says there is no rush", () => {
    expect(readPurchaseOrder("Priority: high\n2 x Bracket").rush).toBe(true);
    expect(readPurchaseOrder("Priority: normal\n2 x Bracket").rush).toBe(false);
    expect(readPurchaseOrder("2 x Bracket. Not urgent at all.").rush).toBe(false);
    expect(readPurchaseOrder("URGENT: 2 x Bracket").rush).toBe(true);
  });
});
