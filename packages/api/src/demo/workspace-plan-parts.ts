// The pieces the demo shops' plans are written with: a seeded job, a line item, local customers.

import type { JobStatus } from "@ktizo/db";

export const HOUR = 3_600_000;

export interface SeedJob {
  title: string;
  status: JobStatus;
  source: "manual" | "walk_in" | "phone" | "email";
  priority: "low" | "normal" | "high" | "urgent";
  createdHoursAgo: number;
  dueInHours: number;
  /** Where the print sits on the schedule, relative to now. */
  startInHours?: number;
  stepHours?: number;
  printer?: string;
  notes?: string[];
  items: {
    description: string;
    quantity: number;
    material: string;
    color: string;
    unitPriceMinor: number;
    gramsPerUnit: number;
    minutesPerUnit: number;
    sizeMm: { x: number; y: number; z: number };
  }[];
}

export const part = (
  description: string,
  material: string,
  quantity: number,
  unitPriceMinor: number,
  gramsPerUnit: number,
  minutesPerUnit: number,
  size: [number, number, number],
  color = "Black",
) => ({
  description,
  material,
  quantity,
  color,
  unitPriceMinor,
  gramsPerUnit,
  minutesPerUnit,
  sizeMm: { x: size[0], y: size[1], z: size[2] },
});

export const customersFor = (country: string, city: string) => [
  {
    name: "Priya Shah",
    company: "Shah Robotics",
    email: "priya@shahrobotics.example",
    phone: "+1 503 555 0101",
    addresses: [{ label: "Office", line1: "45 Foundry Way", city, postalCode: "10001", country }],
    notes: "Prefers matte black. Invoices to accounts@shahrobotics.example.",
  },
  {
    name: "Tom Becker",
    email: "tom.becker@example.net",
    phone: "+1 503 555 0119",
    notes: "Walk-in regular.",
  },
  {
    name: "Lena Fischer",
    company: "Atelier Fischer",
    email: "lena@atelierfischer.example",
    addresses: [{ label: "Studio", line1: "8 Canal St", city, postalCode: "10002", country }],
  },
  { name: "Marcus Lee", company: "Lee Drones", email: "marcus@leedrones.example", phone: "+1 503 555 0177" },
  { name: "Sofia Romero", email: "sofia.romero@example.org" },
  {
    name: "Hank Ito",
    company: "Ito Architecture",
    email: "hank@itoarch.example",
    notes: "Scale models, tight deadlines.",
  },
];
