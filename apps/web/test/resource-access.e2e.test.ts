import { buildResourceWorld, RESOURCE_SECRET } from "@ktizo/api/testing";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { requireOrSkip, signInOverHttp } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessRequest, type AccessWorld, type Caller, RESOURCE_ROUTES } from "./resource-routes.ts";

// Every resource route's access case (resource-routes.ts) on the production build: a caller who must not
// get a REAL object of another shop or customer is refused as the table says, and a caller who may gets
// the same route's answer, the way the procedure access tests do it.

const runnable = requireOrSkip("resource route access tests", appsNotBuiltReason());

describe.runIf(runnable)("resource routes refuse what is not the caller's and serve who may", () => {
  let host: TestHost;
  const cookies: Record<Caller, string> = {
    anonymous: "",
    attacker: "",
    victimMember: "",
    victimOwner: "",
    victimCustomer: "",
  };
  let world: AccessWorld;

  const send = (request: AccessRequest) =>
    fetch(`${host.webUrl}${request.path(world)}`, {
      method: request.method ?? "GET",
      redirect: "manual",
      headers: {
        origin: host.webUrl,
        ...(cookies[request.as] ? { cookie: cookies[request.as] } : {}),
        ...(request.contentType ? { "content-type": request.contentType } : {}),
        ...(request.accept ? { accept: request.accept } : {}),
      },
      body: request.body?.(world),
    });

  beforeAll(async () => {
    host = await startTestHost();
    const signIn = (user: { email: string; password: string }) =>
      signInOverHttp(host.webUrl, user.email, user.password);
    cookies.attacker = await signIn(DEMO_USERS.resinOwner);
    cookies.victimMember = await signIn(DEMO_USERS.northsideMember);
    cookies.victimOwner = await signIn(DEMO_USERS.northsideOwner);
    cookies.victimCustomer = await signIn(DEMO_USERS.customer);
    const victim = host.demo.shops.find((s) => s.slug === "northside-print-lab");
    if (!victim) throw new Error("the demo seed has no Northside Print Lab");
    const { runtime } = host;
    const objects = await buildResourceWorld(runtime.db, runtime.services, runtime.clock, victim, {
      userId: host.demo.users.customer,
      name: DEMO_USERS.customer.name,
      email: DEMO_USERS.customer.email,
    });
    // The uploads go through the upload routes themselves.
    const stl = RESOURCE_ROUTES["quote.upload.ts"]?.allowed;
    const widget = RESOURCE_ROUTES["embed.upload.$slug.ts"]?.allowed;
    if (!stl || "elsewhere" in stl || !widget || "elsewhere" in widget) throw new Error("upload cases");
    world = {
      ...objects,
      customerUploadId: "",
      widgetUploadId: "",
      widgetSession: "",
      victimSlug: victim.slug,
    };
    const uploaded = (await (await send(stl)).json()) as { uploads: { id: string }[] };
    const fromWidget = (await (await send(widget)).json()) as {
      upload: { id: string };
      uploadSessionId: string;
    };
    world.customerUploadId = uploaded.uploads[0]?.id ?? "";
    world.widgetUploadId = fromWidget.upload.id;
    world.widgetSession = fromWidget.uploadSessionId;
    // Each signed-in caller's first workspace page opens their only shop in the session.
    for (const cookie of [cookies.attacker, cookies.victimMember, cookies.victimOwner]) {
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
      const response = await send(refused);
      const text = await response.text();
      expect(response.status, text.slice(0, 200)).toBe(refused.status);
      if (refused.location) expect(response.headers.get("location") ?? "").toMatch(refused.location);
      expect(text).not.toContain(RESOURCE_SECRET);
    });
  }

  for (const [file, entry] of Object.entries(RESOURCE_ROUTES)) {
    const allowed = entry.allowed;
    if ("elsewhere" in allowed) continue;
    it(`${file} serves ${allowed.as}`, async () => {
      const response = await send(allowed);
      const text = await response.text();
      expect(response.status, text.slice(0, 200)).toBe(allowed.status);
      if (allowed.location) expect(response.headers.get("location") ?? "").toMatch(allowed.location);
    });
  }

  it("an allowed download is the real object (the refused one existed)", async () => {
    const allowed = RESOURCE_ROUTES["org.jobs.$jobId.files.$fileId.ts"]?.allowed;
    if (!allowed || "elsewhere" in allowed) throw new Error("case missing");
    const response = await send(allowed);
    expect(await response.text()).toBe(RESOURCE_SECRET);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="secret.txt"/);
    expect(response.headers.get("x-content-type-options")).toMatch(/nosniff/);
  });
});
