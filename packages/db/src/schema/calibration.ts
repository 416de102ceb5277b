import type { ColumnType } from "kysely";

type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

/** Whether a shop applies its fitted print-time correction to new quotes (issue 14, requirement 6). */
export interface ShopCalibrationTable {
  organizationId: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  updatedAt: Touched;
}

export interface CalibrationTables {
  shopCalibration: ShopCalibrationTable;
}
