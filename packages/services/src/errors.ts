/** Input a service refused before doing anything: names the field and says why. */
export class ServiceInputError extends Error {
  override readonly name = "ServiceInputError";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A call to a provider failed (network, refusal, unexpected answer). */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${message}`, options);
  }
}

/** Turns a zod error into a ServiceInputError naming the first offending field. */
export function inputErrorFrom(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join(".") : "input";
  return new ServiceInputError(field, first?.message ?? "invalid");
}
