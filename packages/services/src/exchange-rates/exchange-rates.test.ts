import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../errors.ts";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createFixedExchangeRates, FIXED_RATES } from "./fixed.ts";
import { createHttpExchangeRates, parseJsonRates } from "./http.ts";

const ECB_XML = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time='2026-12-04'>
      <Cube currency='USD' rate='1.0812'/>
      <Cube currency='JPY' rate='161.93'/>
      <Cube currency='GBP' rate='0.84713'/>
    </Cube>
  </Cube>
</gesmes:Envelope>`;

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("exchange rates", () => {
  it("the stand-in states its table's date and includes the euro", async () => {
    const rates = await createFixedExchangeRates().latest();
    expect(rates.date).toBe(FIXED_RATES.date);
    expect(rates.perEur.EUR).toBe(1);
    expect(rates.perEur.USD).toBeGreaterThan(0);
    expect(rates.source).toBe("fixed table");
  });

  it("reads the ECB's daily XML with one GET of the configured URL", async () => {
    server = await startLoopback(() => ({
      headers: { "content-type": "text/xml" },
      body: ECB_XML,
    }));
    const service = createHttpExchangeRates({ url: `${server.url}/stats/eurofxref/eurofxref-daily.xml` });
    const rates = await service.latest();
    expect(rates).toEqual({
      date: "2026-12-04",
      perEur: { EUR: 1, USD: 1.0812, JPY: 161.93, GBP: 0.84713 },
      source: server.url.replace("http://", ""),
    });
    expect(server.received).toHaveLength(1);
    const request = server.received[0];
    expect(request?.method).toBe("GET");
    expect(request?.path).toBe("/stats/eurofxref/eurofxref-daily.xml");
    expect(request?.headers.accept).toContain("application/xml");
    expect(request?.headers["user-agent"]).toBe("Ktizo exchange rates");
    expect(request?.body.byteLength).toBe(0);
  });

  it("rebases a JSON answer in another base currency on the euro", async () => {
    server = await startLoopback((r) =>
      r.url.searchParams.get("base") === "USD"
        ? { body: { base: "USD", date: "2026-12-05", rates: { EUR: 0.925, GBP: 0.7835 } } }
        : { status: 400, body: { error: "base" } },
    );
    const rates = await createHttpExchangeRates({ url: `${server.url}/latest?base=USD` }).latest();
    expect(rates.date).toBe("2026-12-05");
    expect(rates.perEur.EUR).toBe(1);
    expect(rates.perEur.USD).toBeCloseTo(1 / 0.925, 12);
    expect(rates.perEur.GBP).toBeCloseTo(0.7835 / 0.925, 12);
    expect(() => parseJsonRates({ base: "USD", date: "2026-12-05", rates: { GBP: 0.78 } })).toThrow(/no EUR/);
  });

  it("refuses errors, redirects and nonsense with a ProviderError", async () => {
    server = await startLoopback((r) =>
      r.path === "/down"
        ? { status: 503, body: "busy" }
        : r.path === "/moved"
          ? { status: 302, headers: { location: "http://example.invalid/" } }
          : r.path === "/huge"
            ? { body: `<Cube time='2026-12-04'>${" ".repeat(600 * 1024)}` }
            : { body: "<html>not rates</html>" },
    );
    await expect(createHttpExchangeRates({ url: `${server.url}/huge` }).latest()).rejects.toThrow(
      /too large/,
    );
    for (const path of ["/down", "/moved", "/html"]) {
      await expect(createHttpExchangeRates({ url: `${server.url}${path}` }).latest()).rejects.toBeInstanceOf(
        ProviderError,
      );
    }
    await expect(createHttpExchangeRates({ url: `${server.url}/down` }).latest()).rejects.toThrow(/HTTP 503/);
  });
});
