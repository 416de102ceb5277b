import type { ColumnType, JSONColumnType } from "kysely";
import type { CreatedAt, NullableTimestamp } from "./foundation.ts";

/** updated_at-like columns: database default on insert, set by code on update. */
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb with a database default: optional on insert (a JSON string), required JSON string on update. */
type Json<T extends object | null> = JSONColumnType<T, string | undefined, string>;
type Int = ColumnType<number, number | undefined, number>;

export type PrintTechnology = "fdm" | "resin" | "powder";
/** What a model file's numbers mean: millimetres, centimetres, metres or inches (issue 20). */
export type ModelScaleUnit = "mm" | "cm" | "m" | "in";
export type PrinterStatus = "available" | "maintenance" | "offline";
export type JobStatus =
  | "quote"
  | "approved"
  | "scheduled"
  | "printing"
  | "post_processing"
  | "ready"
  | "shipped"
  | "picked_up"
  | "completed"
  | "on_hold"
  | "cancelled";
export type JobPriority = "low" | "normal" | "high" | "urgent";
export type JobSource = "manual" | "walk_in" | "phone" | "email" | "marketplace" | "widget";
export type JobStockState = "none" | "reserved" | "consumed";
export type JobFileKind = "model" | "mockup" | "proof" | "photo" | "other";
export type StockMovementKind = "reserve" | "release" | "consume" | "adjust";

export interface ShippingOption {
  name: string;
  priceMinor: number;
  /** Business days in transit, when known. */
  days: number | null;
  /**
   * Countries the option delivers to (ISO 3166-1 alpha-2). Empty or absent: the shop's own country only
   * (pickup, domestic post). The marketplace filters shops and checks addresses with it.
   */
  countries?: string[];
}

export interface CustomerAddress {
  label: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  region: string | null;
  country: string;
}

export interface ShopSettingsTable {
  organizationId: string;
  description: ColumnType<string, string | undefined, string>;
  contactEmail: string | null;
  timezone: ColumnType<string, string | undefined, string>;
  technologies: Json<PrintTechnology[]>;
  standardLeadDays: Int;
  rushLeadDays: number | null;
  shippingOptions: Json<ShippingOption[]>;
  listed: ColumnType<boolean, boolean | undefined, boolean>;
  /** The shop's pricing model (validated JSON); null until the shop saves one. */
  pricing: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  widget: Json<Record<string, unknown>>;
  /** The uploaded logo: public id (/logos/<id>), storage key and sniffed image type; all null without one. */
  logoId: string | null;
  logoStorageKey: string | null;
  logoContentType: string | null;
  nextJobNumber: Int;
  /** Opening hours per weekday (0 = Sunday): windows in minutes after midnight, shop time zone (0190). */
  workingHours: ColumnType<Record<string, Array<[number, number]>>, string | undefined, string>;
  /** The platform unlisted the shop (issue 16): why and when; while set the shop stays unlisted. */
  moderationHoldReason: ColumnType<string | null, string | null | undefined, string | null>;
  moderationHoldAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The platform checked the shop (its Stripe account takes charges, and an admin reviewed it). */
  verifiedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  verifiedBy: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface PrinterTable {
  id: string;
  organizationId: string;
  name: string;
  make: ColumnType<string, string | undefined, string>;
  model: ColumnType<string, string | undefined, string>;
  technology: PrintTechnology;
  buildWidthMm: number;
  buildDepthMm: number;
  buildHeightMm: number;
  layerHeightsMm: Json<number[]>;
  nozzleMm: number | null;
  hourlyRateMinor: number;
  /** The shop's slicer settings (@ktizo/slicer/settings), validated JSON; `{}`: Ktizo's defaults. */
  slicerSettings: Json<Record<string, unknown>>;
  /** Bumped on every change that affects slicing; each slice names the version it used. */
  slicerProfileVersion: Int;
  status: ColumnType<PrinterStatus, PrinterStatus | undefined, PrinterStatus>;
  /** May a started print run outside working hours (overnight, weekends)? (0190) */
  unattended: ColumnType<boolean, boolean | undefined, boolean>;
  notes: ColumnType<string, string | undefined, string>;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface MaterialTable {
  id: string;
  organizationId: string;
  name: string;
  kind: string;
  technology: PrintTechnology;
  colors: Json<string[]>;
  finishes: Json<string[]>;
  densityGramsPerCm3: number;
  costPerKgMinor: number;
  filamentDiameterMm: ColumnType<number, number | undefined, number>;
  printTemperatureC: number | null;
  bedTemperatureC: number | null;
  /** Both change only through stock_movement rows (a trigger applies them; 0081). */
  onHandG: ColumnType<number, undefined, never>;
  reservedG: ColumnType<number, undefined, never>;
  reorderThresholdG: Int;
  lowStockNotifiedAt: NullableTimestamp;
  /** Set when a material with history is removed: kept for the ledger and jobs, hidden everywhere else. */
  archivedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface PrinterMaterialTable {
  printerId: string;
  materialId: string;
  organizationId: string;
}

/** The channel a customer wants notifications on; "none" switches off marketing only (issue 13, req. 6). */
export type NotifyChannel = "email" | "sms" | "both" | "none";
export type SmsConsentSource = "staff" | "customer";

export interface CustomerTable {
  id: string;
  organizationId: string;
  userId: string | null;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  /** `phone` as E.164 (the one normalising helper); null when it is not a valid number. */
  phoneE164: ColumnType<string | null, string | null | undefined, string | null>;
  notifyChannel: ColumnType<NotifyChannel, NotifyChannel | undefined, NotifyChannel>;
  /** When the customer agreed to receive texts, how, and the staff member who recorded it. */
  smsConsentAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  smsConsentSource: ColumnType<
    SmsConsentSource | null,
    SmsConsentSource | null | undefined,
    SmsConsentSource | null
  >;
  smsConsentBy: ColumnType<string | null, string | null | undefined, string | null>;
  addresses: Json<CustomerAddress[]>;
  notes: ColumnType<string, string | undefined, string>;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface JobTable {
  id: string;
  organizationId: string;
  number: number;
  title: string;
  customerId: string;
  source: JobSource;
  orderId: string | null;
  status: JobStatus;
  heldFromStatus: JobStatus | null;
  priority: ColumnType<JobPriority, JobPriority | undefined, JobPriority>;
  rush: ColumnType<boolean, boolean | undefined, boolean>;
  dueAt: NullableTimestamp;
  printerId: string | null;
  scheduledStartAt: NullableTimestamp;
  scheduledEndAt: NullableTimestamp;
  stockState: ColumnType<JobStockState, JobStockState | undefined, JobStockState>;
  currency: string;
  totalMinor: Int;
  statusChangedAt: Touched;
  statusChangedBy: string | null;
  createdBy: string | null;
  overdueNotifiedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface JobItemTable {
  id: string;
  organizationId: string;
  jobId: string;
  position: number;
  description: string;
  fileId: string | null;
  quantity: number;
  materialId: string | null;
  color: string | null;
  unitPriceMinor: number;
  gramsPerUnit: Int;
  minutesPerUnit: Int;
  widthMm: number | null;
  depthMm: number | null;
  heightMm: number | null;
  /** A marketplace model's unit and scale as the customer chose them (issue 20); mm and 100 otherwise. */
  scaleUnit: ColumnType<ModelScaleUnit, ModelScaleUnit | undefined, ModelScaleUnit>;
  scalePercent: ColumnType<number, number | undefined, number>;
}

export interface JobStatusChangeTable {
  id: string;
  organizationId: string;
  jobId: string;
  fromStatus: JobStatus | null;
  toStatus: JobStatus;
  actorUserId: string | null;
  note: string | null;
  createdAt: CreatedAt;
}

export interface JobNoteTable {
  id: string;
  organizationId: string;
  jobId: string;
  authorUserId: string | null;
  body: string;
  createdAt: CreatedAt;
}

export interface JobFileTable {
  id: string;
  organizationId: string;
  jobId: string;
  kind: JobFileKind;
  storageKey: string;
  /** The uploader's file name, for display only; storage uses the generated key. */
  fileName: string;
  contentType: string;
  sizeBytes: number;
  analysis: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  uploadedBy: string | null;
  /** Shown to the customer on their order's page (a marketplace order's job): set by the shop. */
  sharedWithCustomer: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
}

export interface StockMovementTable {
  id: string;
  organizationId: string;
  materialId: string;
  kind: StockMovementKind;
  /** Signed for "adjust"; positive for reserve, release and consume. */
  grams: number;
  /** Filled in by the ledger's trigger (0081) from the material it updates. */
  onHandAfterG: ColumnType<number, number | undefined, never>;
  reservedAfterG: ColumnType<number, number | undefined, never>;
  reason: string | null;
  jobId: string | null;
  actorUserId: string | null;
  /** The job's reservation this row opens (reserve), closes (release) or draws on (consume). */
  reservationId: ColumnType<string | null, string | null | undefined, never>;
  /** The row's effect: a material's on_hand_g and reserved_g are the sums of these over its rows. */
  onHandDeltaG: number;
  reservedDeltaG: number;
  createdAt: CreatedAt;
}

export type StockReservationOutcome = "released" | "consumed";

/** Material a job holds while it is scheduled; ended exactly once (released or consumed). */
export interface StockReservationTable {
  id: string;
  organizationId: string;
  jobId: string;
  materialId: string;
  grams: number;
  createdAt: CreatedAt;
  endedAt: NullableTimestamp;
  outcome: StockReservationOutcome | null;
}

export interface NotificationTable {
  id: string;
  organizationId: string;
  /** null: for everyone in the organization. */
  userId: string | null;
  kind: string;
  title: string;
  body: ColumnType<string, string | undefined, string>;
  link: string | null;
  dedupeKey: string | null;
  readAt: NullableTimestamp;
  createdAt: CreatedAt;
}

export interface ShopTables {
  shopSettings: ShopSettingsTable;
  printer: PrinterTable;
  material: MaterialTable;
  printerMaterial: PrinterMaterialTable;
  customer: CustomerTable;
  job: JobTable;
  jobItem: JobItemTable;
  jobStatusChange: JobStatusChangeTable;
  jobNote: JobNoteTable;
  jobFile: JobFileTable;
  stockMovement: StockMovementTable;
  stockReservation: StockReservationTable;
  notification: NotificationTable;
}
