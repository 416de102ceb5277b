export { describeSlicer, detectSlicer, SLICER_INSTALL_HINT, type SlicerInfo } from "./detect.ts";
