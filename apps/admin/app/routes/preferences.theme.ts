export { redirectHome as loader, themeAction as action } from "@ktizo/runtime/remix";
