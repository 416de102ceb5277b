import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database, DbHandle } from "@ktizo/db";
import { newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, recordAiRequest, type Services } from "@ktizo/services";
import { unzipSync } from "fflate";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestOrganization, createTestUser, testServices } from "../testing/index.ts";
import { attachmentHeaders, buildExport, getExportFile } from "./export.ts";
import { privacyExportJob } from "./jobs.ts";

const HOUR = 60 * 60 * 1000;
let handle: DbHandle;
let db: Database;
let services: Services;
const clock = fixedClock("2026-05-01T08:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  services = testServices(db, clock);
});
afterAll(() => handle.close());

describe("data export (P24, P27)", () => {
  it("builds a JSON file of every row about the user, once per 24 hours, behind an expiring link", async () => {
    const user = await createTestUser(db, { name: "Expo Person", email: "expo@example.test" });
    const other = await createTestUser(db, { name: "Someone Else", email: "else@example.test" });
    const { organizationId, owner } = await createTestOrganization(db, user, { name: "Expo Prints" });
    await db
      .insertInto("account")
      .values({
        id: newId("acc"),
        accountId: user.userId,
        providerId: "credential",
        userId: user.userId,
        password: "$2b$12$secrethash",
      })
      .execute();
    await db
      .insertInto("session")
      .values({
        id: newId("ses"),
        token: "tok_very_secret",
        userId: user.userId,
        expiresAt: new Date(clock.now().getTime() + HOUR),
        ipAddress: "198.51.100.4",
      })
      .execute();
    await db
      .insertInto("customer")
      .values({
        id: newId("cus"),
        organizationId,
        name: "Expo Person",
        email: "EXPO@example.test",
        addresses: "[]",
      })
      .execute();
    await db
      .insertInto("customer")
      .values({
        id: newId("cus"),
        organizationId,
        name: "Someone Else",
        email: "else@example.test",
        addresses: "[]",
      })
      .execute();

    const model = await services.storage.put({
      bytes: new TextEncoder().encode("solid cube"),
      contentType: "model/stl",
      fileName: "cube.stl",
    });
    await sql`insert into model_upload (id, user_id, storage_key, file_name, content_type, size_bytes, analysis)
      values (${newId("upl")}, ${user.userId}, ${model.key}, 'cube.stl', 'model/stl', 10, '{}'::jsonb)`.execute(
      db,
    );

    // An AI request they made is in their export (kinds of data and tokens, never content).
    await recordAiRequest(db, {
      organizationId,
      userId: user.userId,
      at: clock.now(),
      feature: "reply_draft",
      dataKinds: ["customer_message_text", "order_summary", "shop_name"],
      provider: "anthropic",
      model: "claude-test",
      inputTokens: 321,
      outputTokens: 54,
      tokensEstimated: false,
      outcome: "ok",
      errorKind: null,
    });

    const caller = callerFor(handle, owner, { clock, services });
    const first = await caller.privacy.exports.request();
    expect(first.status).toBe("pending");
    await expect(caller.privacy.exports.request()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });

    await privacyExportJob.run({}, { db, services, clock });
    const [ready] = await caller.privacy.exports.list();
    expect(ready).toMatchObject({ id: first.id, status: "ready" });
    expect(ready?.expiresAt?.getTime()).toBe(clock.now().getTime() + 7 * 24 * HOUR);

    const file = await getExportFile(db, services.storage, clock, user.userId, first.id);
    // A zip: export.json (who and what), one JSON file per table, and the user's own files.
    expect(file.contentType).toBe("application/zip");
    const bytes = new Uint8Array(await new Response(file.body).arrayBuffer());
    expect(bytes.length).toBe(file.size);
    // The system unzip tool accepts it, checksums included.
    const path0 = join(mkdtempSync(join(tmpdir(), "ktizo-export-")), "export.zip");
    writeFileSync(path0, bytes);
    expect(execFileSync("unzip", ["-t", path0]).toString()).toContain("No errors detected");
    const zip = new Map(
      Object.entries(unzipSync(bytes)).map(([name, content]) => [name, Buffer.from(content)]),
    );
    const manifest = JSON.parse(zip.get("export.json")?.toString("utf8") ?? "{}") as {
      format: string;
      user: unknown;
      tables: Record<string, string>;
      files: { path: string | null; fileName: string }[];
    };
    expect(manifest.format).toBe("ktizo-personal-data-export");
    expect(manifest.user).toEqual({ id: user.userId, email: "expo@example.test", name: "Expo Person" });
    const tables = [
      "user",
      "session",
      "account",
      "member",
      "customer",
      "privacy_request",
      "audit_log",
      "ai_request_log",
    ];
    for (const t of tables) {
      expect(manifest.tables[t]).toBe(`tables/${t}.json`);
      expect(zip.has(`tables/${t}.json`), t).toBe(true);
    }
    const customers = JSON.parse(zip.get("tables/customer.json")?.toString("utf8") ?? "null") as unknown[];
    expect(customers).toHaveLength(1);
    const aiRequests = JSON.parse(zip.get("tables/ai_request_log.json")?.toString("utf8") ?? "null");
    expect(aiRequests).toEqual([
      expect.objectContaining({
        feature: "reply_draft",
        inputTokens: 321,
        outputTokens: 54,
        tokensEstimated: false,
        model: "claude-test",
      }),
    ]);
    // The user's own files come with it.
    expect(manifest.files).toEqual([expect.objectContaining({ fileName: "cube.stl" })]);
    const path = manifest.files[0]?.path ?? "";
    expect(path).toMatch(/^files\/model_upload\/1-cube\.stl$/);
    expect(zip.get(path)?.toString("utf8")).toBe("solid cube");
    const text = [...zip.values()].map((b) => b.toString("utf8")).join("\n");
    expect(text).not.toContain("$2b$12$secrethash");
    expect(text).not.toContain("tok_very_secret");
    expect(text).not.toContain("else@example.test");
    expect(text).toContain("198.51.100.4");

    // The download: attachment only, the owner's only.
    const headers = attachmentHeaders(file);
    expect(headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="ktizo-data-export-2026-05-01\.zip"/,
    );
    await expect(getExportFile(db, services.storage, clock, other.userId, first.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    // A day later another export may be asked for; a week later the first link is dead and its file gone.
    clock.advance(24 * HOUR + 1);
    await caller.privacy.exports.request();
    clock.advance(7 * 24 * HOUR);
    await privacyExportJob.run({}, { db, services, clock });
    await expect(getExportFile(db, services.storage, clock, user.userId, first.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const statuses = (await caller.privacy.exports.list()).map((e) => e.status);
    expect(statuses).toEqual(["ready", "expired"]);
  });

  it("holds the connected Google account without its token, the cached mail and the Drive folders (issue 13)", async () => {
    const user = await createTestUser(db, { name: "Gmail Person", email: "gmail.person@example.test" });
    const { organizationId, owner: gmailOwner } = await createTestOrganization(db, user, {
      name: "Gmail Prints",
    });
    const accountId = newId("gac");
    await db
      .insertInto("googleAccount")
      .values({
        id: accountId,
        organizationId,
        userId: user.userId,
        email: "gp.workshop@gmail.test",
        scopes: "https://www.googleapis.com/auth/gmail.readonly",
        refreshTokenCiphertext: "v1.sealed-refresh-token-secret",
      })
      .execute();
    await db
      .insertInto("gmailMessage")
      .values({
        id: newId("gml"),
        organizationId,
        accountId,
        messageId: "m-export",
        threadId: "t-export",
        fromHeader: "buyer@acme.test",
        toHeader: "gp.workshop@gmail.test",
        subject: "PO 77",
        body: "Please print 12 clips",
        sentAt: clock.now(),
      })
      .execute();
    const job = await callerFor(handle, gmailOwner, { clock, services }).job.create({
      title: "Clips",
      newCustomer: { name: "Acme" },
    });
    await db
      .insertInto("driveFolder")
      .values({
        id: newId("drv"),
        organizationId,
        jobId: job.id,
        accountId,
        folderId: "fld-1",
        name: "JOB-1 · Acme",
      })
      .execute();
    const doc = await buildExport(db, user.userId, clock.now());
    expect(doc?.tables.google_account).toEqual([
      expect.objectContaining({ email: "gp.workshop@gmail.test", refreshTokenCiphertext: "[redacted]" }),
    ]);
    expect(JSON.stringify(doc)).not.toContain("sealed-refresh-token-secret");
    expect(doc?.tables.gmail_message).toEqual([expect.objectContaining({ body: "Please print 12 clips" })]);
    expect(doc?.tables.drive_folder).toEqual([expect.objectContaining({ name: "JOB-1 · Acme" })]);
  });

  it("names downloads safely", () => {
    const h = attachmentHeaders({ contentType: "application/json", fileName: 'ré"sumé\n.json', size: 3 });
    expect(h.get("Content-Disposition")).toBe(
      `attachment; filename="r__sum__.json"; filename*=UTF-8''r%C3%A9%22sum%C3%A9%0A.json`,
    );
    expect(h.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
