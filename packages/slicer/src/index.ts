export { classifyFailure, SLICE_ERROR_WORDING, type SliceErrorClass } from "./classify.ts";
export { describeSlicer, detectSlicer, SLICER_INSTALL_HINT, type SlicerInfo } from "./detect.ts";
export { type GcodeFigures, parseDuration, readGcodeFigures } from "./gcode.ts";
export { type SliceJobDeps, sliceUploadsJob } from "./job.ts";
export { type Mesh, parseMesh } from "./mesh.ts";
export {
  forMaterial,
  type MaterialForSlice,
  type PrinterForProfile,
  printerFromPreset,
  profileForPrinter,
  withMaterial,
} from "./printer-profile.ts";
export {
  DEFAULT_SPEEDS,
  type FffProfile,
  ProfileError,
  profileHash,
  type SlaProfile,
  type SlicerProfile,
  validateProfile,
  writeIni,
} from "./profile.ts";
export { DEFAULT_LIMITS, runSandboxed, type SandboxLimits, type SandboxResult } from "./sandbox.ts";
export {
  PRINTER_PRESETS,
  type PrinterPreset,
  type SlicerSettings,
  slicerSettingsSchema,
} from "./settings.ts";
export {
  type AvailableSlicer,
  checkBeforeSlicing,
  prepareSlice,
  type SliceFigures,
  type SliceOutcome,
  sliceMesh,
} from "./slice.ts";
export { writeBinaryStl } from "./stl.ts";
export {
  claimNextUpload,
  type SliceDeps,
  sliceUpload,
  sliceWaitingUploads,
  type UploadSliceReport,
} from "./worker.ts";
