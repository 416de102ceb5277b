import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { outboxRow } from "../testing/outbox.ts";
import { type LoopbackSmtp, startLoopbackSmtp } from "../testing/smtp-server.ts";
import { createOutboxMail } from "./outbox.ts";
import { createSmtpMail } from "./smtp.ts";

let handle: DbHandle;
let smtp: LoopbackSmtp;

beforeAll(async () => {
  handle = await createTestDb();
  smtp = await startLoopbackSmtp({ reject: ["nobody@example.com"] });
});
afterAll(async () => {
  await smtp.close();
  await handle.close();
});

const message = {
  subject: "Your print job is ready",
  text: "Job J-42 finished printing.",
  template: "job-status",
  category: "service" as const,
  userId: "usr_1",
  organizationId: "org_1",
};

describe("SMTP mail against a loopback SMTP server", () => {
  it("delivers to the recipient and records the message as sent", async () => {
    const mail = createSmtpMail({ db: handle.db, smtpUrl: smtp.url, from: "Ktizo <no-reply@ktizo.test>" });
    const { id } = await mail.send({ ...message, to: "Shop@Example.com" });
    expect(smtp.received).toHaveLength(1);
    const delivered = smtp.received[0]!;
    expect(delivered.from).toBe("no-reply@ktizo.test");
    expect(delivered.recipients).toEqual(["Shop@example.com"]);
    expect(delivered.data).toContain("Subject: Your print job is ready");
    expect(delivered.data).toContain("Job J-42 finished printing.");
    const row = await outboxRow(handle.db, "id", id);
    expect(row).toMatchObject({
      channel: "email",
      provider: "smtp",
      status: "sent",
      recipient: "shop@example.com",
      template: "job-status",
      userId: "usr_1",
    });
    expect(row.providerMessageId).toMatch(/@/);
  });

  it("records a refused message as failed and throws", async () => {
    const mail = createSmtpMail({ db: handle.db, smtpUrl: smtp.url, from: "no-reply@ktizo.test" });
    const before = smtp.received.length;
    await expect(mail.send({ ...message, to: "nobody@example.com" })).rejects.toThrow(/smtp: sending failed/);
    expect(smtp.received.length).toBe(before);
    const row = await outboxRow(handle.db, "recipient", "nobody@example.com");
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/550|No such mailbox/);
  });

  it("sends attachments as MIME parts and keeps them in the outbox", async () => {
    const mail = createSmtpMail({ db: handle.db, smtpUrl: smtp.url, from: "no-reply@ktizo.test" });
    const pdf = new TextEncoder().encode("%PDF-1.7 invoice INV-2026-0001 %%EOF");
    const { id } = await mail.send({
      ...message,
      to: "buyer@example.com",
      attachments: [{ fileName: "INV-2026-0001.pdf", contentType: "application/pdf", content: pdf }],
    });
    const delivered = smtp.received.at(-1)!;
    expect(delivered.data).toMatch(/Content-Type: multipart\/mixed/);
    expect(delivered.data).toMatch(/Content-Type: application\/pdf; name=INV-2026-0001\.pdf/);
    expect(delivered.data).toMatch(/Content-Disposition: attachment; filename=INV-2026-0001\.pdf/);
    expect(delivered.data.replace(/\r\n/g, "")).toContain(Buffer.from(pdf).toString("base64"));
    const row = await handle.db
      .selectFrom("outboxMessage")
      .select("attachments")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.attachments).toEqual([
      {
        fileName: "INV-2026-0001.pdf",
        contentType: "application/pdf",
        sizeBytes: pdf.byteLength,
        contentBase64: Buffer.from(pdf).toString("base64"),
      },
    ]);
  });

  it("refuses an attachment with a path for a name, sending nothing", async () => {
    const mail = createSmtpMail({ db: handle.db, smtpUrl: smtp.url, from: "no-reply@ktizo.test" });
    const before = smtp.received.length;
    await expect(
      mail.send({
        ...message,
        to: "buyer@example.com",
        attachments: [{ fileName: "../etc/passwd", contentType: "text/plain", content: new Uint8Array(1) }],
      }),
    ).rejects.toBeInstanceOf(ServiceInputError);
    expect(smtp.received.length).toBe(before);
  });

  it("the local outbox stand-in keeps attachments too, and none as null", async () => {
    const mail = createOutboxMail(handle.db);
    const content = new Uint8Array([1, 2, 3]);
    const withFile = await mail.send({
      ...message,
      to: "outbox@example.com",
      attachments: [{ fileName: "a.pdf", contentType: "application/pdf", content }],
    });
    const without = await mail.send({ ...message, to: "outbox@example.com" });
    const rows = await handle.db
      .selectFrom("outboxMessage")
      .select(["id", "attachments"])
      .where("id", "in", [withFile.id, without.id])
      .execute();
    expect(rows.find((r) => r.id === withFile.id)?.attachments).toEqual([
      { fileName: "a.pdf", contentType: "application/pdf", sizeBytes: 3, contentBase64: "AQID" },
    ]);
    expect(rows.find((r) => r.id === without.id)?.attachments).toBeNull();
  });

  it("refuses a malformed address without sending or storing anything", async () => {
    const mail = createSmtpMail({ db: handle.db, smtpUrl: smtp.url, from: "no-reply@ktizo.test" });
    const before = smtp.received.length;
    await expect(mail.send({ ...message, to: "not-an-address" })).rejects.toBeInstanceOf(ServiceInputError);
    expect(smtp.received.length).toBe(before);
    const stored = await handle.db
      .selectFrom("outboxMessage")
      .select("id")
      .where("recipient", "=", "not-an-address")
      .execute();
    expect(stored).toEqual([]);
  });
});
