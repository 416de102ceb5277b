import { job } from "@ktizo/api";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { requireOrSkip, signInOverHttp } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessWorld, type Caller, RESOURCE_ROUTES } from "./resource-routes.ts";

// Every resource route's access case (resource-routes.ts) on the production build: another shop's,
// customer's or nobody's object answers as the table says, the way the procedure access tests do it.

const runnable = requireOrSkip("resource route access tests", appsNotBuiltReason());

describe.runIf(runnable)("resource routes refuse what is not the caller's", () => {
  let host: TestHost;
  const cookies: Record<Caller, string> = { anonymous: "", attacker: "", victimMember: "" };
  let world: AccessWorld;
  beforeAll(async () => {
    host = await startTestHost();
    cookies.attacker = await signInOverHttp(
      host.webUrl,
      DEMO_USERS.resinOwner.email,
      DEMO_USERS.resinOwner.password,
    );
    cookies.victimMember = await signInOverHttp(
      host.webUrl,
      DEMO_USERS.northsideMember.email,
      DEMO_USERS.northsideMember.password,
    );
    const victim = host.demo.shops.find((s) => s.slug === "northside-print-lab");
    const victimJob = await host.runtime.db
      .selectFrom("job")
      .select("id")
      .where("organizationId", "=", victim?.organizationId ?? "")
      .executeTakeFirstOrThrow();
    const file = await job.attachJobFile(
      host.runtime.db,
      { storage: host.runtime.services.storage, analyze: (bytes) => host.runtime.analyzeModel(bytes) },
      {
        organizationId: victim?.organizationId ?? "",
        jobId: victimJob.id,
        actorUserId: victim?.ownerUserId ?? null,
        fileName: "secret.txt",
        contentType: "text/plain",
        bytes: new TextEncoder().encode("the victim's file"),
        kind: "other",
      },
      host.runtime.clock.now(),
    );
    world = { victimJobId: victimJob.id, victimFileId: file.id };
    // Each signed-in caller's first workspace page opens their only shop in the session.
    for (const cookie of [cookies.attacker, cookies.victimMember]) {
      await fetch(`${host.webUrl}/org`, { redirect: "manual", headers: { cookie } });
    }
  });
  afterAll(async () => {
    await host?.close();
  });

  for (const [file, entry] of Object.entries(RESOURCE_ROUTES)) {
    const refused = entry.refused;
    if (!refused) continue;
    it(`${file} (${entry.access}) refuses ${refused.as}`, async () => {
      const body = refused.body?.();
      const response = await fetch(`${host.webUrl}${refused.path(world)}`, {
        method: refused.method ?? "GET",
        redirect: "manual",
        headers: {
          origin: host.webUrl,
          ...(cookies[refused.as] ? { cookie: cookies[refused.as] } : {}),
          ...(refused.contentType ? { "content-type": refused.contentType } : {}),
        },
        body,
      });
      const text = await response.text();
      expect(response.status, text.slice(0, 200)).toBe(refused.status);
      if (refused.location) expect(response.headers.get("location") ?? "").toMatch(refused.location);
      expect(text).not.toContain("the victim's file");
    });
  }
});
