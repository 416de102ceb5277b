export { redirectHome as loader, signOutAction as action } from "@ktizo/runtime/remix";
