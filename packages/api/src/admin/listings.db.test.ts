import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTestMember, createTestOrganization, createTestUser } from "../testing/index.ts";
import { listOrganizations } from "./organizations.ts";
import { getOutboxMessage, listOutbox } from "./outbox.ts";
import { listOrganizationsInput, listOutboxInput } from "./schemas.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe("listOrganizations", () => {
  it("lists organizations newest first with country and member count, searched by name or slug", async () => {
    const db = handle.db;
    const owner = await createTestUser(db);
    const older = await createTestOrganization(db, owner, {
      name: "Older Works",
      slug: "older-works",
      country: "DE",
    });
    await db
      .updateTable("organization")
      .set({ createdAt: new Date("2025-01-01T00:00:00Z") })
      .where("id", "=", older.organizationId)
      .execute();
    const newer = await createTestOrganization(db, owner, {
      name: "Newer Works",
      slug: "newer-works",
      country: "FR",
    });
    await addTestMember(db, newer.organizationId, await createTestUser(db), "member");
    await createTestOrganization(db, owner, { name: "Unrelated", slug: "unrelated-shop" });

    const page = await listOrganizations(db, listOrganizationsInput.parse({ search: "works" }));
    expect(page.total).toBe(2);
    expect(page.items.map((o) => [o.name, o.slug, o.country, o.memberCount])).toEqual([
      ["Newer Works", "newer-works", "FR", 2],
      ["Older Works", "older-works", "DE", 1],
    ]);
    expect((await listOrganizations(db, listOrganizationsInput.parse({ search: "unrelated-" }))).total).toBe(
      1,
    );
    expect((await listOrganizations(db, listOrganizationsInput.parse({ search: "works%" }))).total).toBe(0);
    const paged = await listOrganizations(db, listOrganizationsInput.parse({ pageSize: 1, page: 3 }));
    expect(paged).toMatchObject({ total: 3, pageCount: 3, items: [{ name: "Older Works" }] });
  });
});

describe("outbox", () => {
  it("lists messages by channel and recipient without bodies, and shows one with its body", async () => {
    const db = handle.db;
    const base = {
      category: "service" as const,
      template: "verify-email",
      provider: "outbox",
      status: "stored" as const,
    };
    await db
      .insertInto("outboxMessage")
      .values([
        {
          ...base,
          channel: "email",
          recipient: "amy@example.test",
          subject: "Hi Amy",
          bodyText: "secret link 1",
        },
        {
          ...base,
          channel: "email",
          recipient: "bob@example.test",
          subject: "Hi Bob",
          bodyText: "secret link 2",
        },
        {
          ...base,
          channel: "sms",
          recipient: "+15550100",
          subject: null,
          bodyText: "code 123456",
          template: "sms-code",
        },
      ])
      .execute();

    const all = await listOutbox(db, listOutboxInput.parse({}));
    expect(all.total).toBe(3);
    for (const item of all.items) expect(Object.keys(item)).not.toContain("bodyText");
    const sms = await listOutbox(db, listOutboxInput.parse({ channel: "sms" }));
    expect(sms.items.map((m) => m.recipient)).toEqual(["+15550100"]);
    const amy = await listOutbox(db, listOutboxInput.parse({ recipient: "AMY@" }));
    expect(amy.items).toEqual([
      expect.objectContaining({
        recipient: "amy@example.test",
        subject: "Hi Amy",
        template: "verify-email",
        status: "stored",
      }),
    ]);

    const full = await getOutboxMessage(db, amy.items[0]!.id);
    expect(full).toMatchObject({ bodyText: "secret link 1", bodyHtml: null, error: null });
    await expect(getOutboxMessage(db, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(listOutboxInput.safeParse({ channel: "fax" }).success).toBe(false);
  });
});
