import { GOOGLE_SCOPE_EXPLANATIONS } from "@ktizo/services";

/** The scopes Ktizo asks Google for and why, as the consent page shows them before the redirect. */
export function googleScopeExplanations() {
  return GOOGLE_SCOPE_EXPLANATIONS.map((s) => ({ ...s }));
}
