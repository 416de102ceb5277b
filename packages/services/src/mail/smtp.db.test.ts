import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { type LoopbackSmtp, startLoopbackSmtp } from "../testing/smtp-server.ts";
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
    const row = await handle.db
      .selectFrom("outboxMessage")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
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
    const row = await handle.db
      .selectFrom("outboxMessage")
      .selectAll()
      .where("recipient", "=", "nobody@example.com")
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/550|No such mailbox/);
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
