import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip("forms browser test", browserUnavailableReason() ?? appsNotBuiltReason());

/**
 * One form of the workspace or the account pages, submitted with one value the server refuses: the
 * page must keep everything typed and show the server's error beside the refused field.
 */
interface FormCase {
  name: string;
  /** The page, or how to find it in the demo data. */
  path: (host: TestHost) => Promise<string> | string;
  /** The form's submit button (the form is the one holding it). */
  submit: string;
  /** Valid values typed into other fields, by label. */
  typed: [label: string, value: string][];
  /** The field the server refuses, and the value. */
  refused: [label: string, value: string];
}

const firstOf = async (host: TestHost, table: "customer" | "job") => {
  const shop = host.demo.shops[0]!;
  const row = await host.runtime.db
    .selectFrom(table)
    .select("id")
    .where("organizationId", "=", shop.organizationId)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  return row.id;
};

const WORKSPACE: FormCase[] = [
  {
    name: "add a printer",
    path: () => "/org/printers?new=1",
    submit: "Add printer",
    typed: [
      ["Name", "Voron 2.4"],
      ["Make", "LDO"],
      ["Model", "Voron 2.4 R2"],
    ],
    refused: ["Width X (mm)", "-20"],
  },
  {
    name: "add a material",
    path: () => "/org/materials?new=1",
    submit: "Add material",
    typed: [
      ["Name", "PLA Galaxy Black"],
      ["Colors", "black"],
    ],
    refused: ["Density (g/cm³)", "-1"],
  },
  {
    name: "create a customer",
    path: () => "/org/customers/new",
    submit: "Create customer",
    typed: [
      ["Name", "Ada Lovelace"],
      ["Company", "Analytical Engines Ltd"],
      ["Phone", "+44 20 7946 0000"],
      ["City", "London"],
    ],
    refused: ["Email", "not-an-email"],
  },
  {
    name: "edit a customer",
    path: async (host) => `/org/customers/${await firstOf(host, "customer")}`,
    submit: "Save customer",
    typed: [["Company", "Renamed Co"]],
    refused: ["Email", "still not an email"],
  },
  {
    name: "the shop profile",
    path: () => "/org/profile",
    submit: "Save profile",
    typed: [["Phone", "+1 503 555 0100"]],
    refused: ["Contact email", "nope"],
  },
  {
    name: "pricing",
    path: () => "/org/pricing",
    submit: "Save pricing",
    typed: [["Markup (%)", "25"]],
    refused: ["Rush multiplier", "-3"],
  },
  {
    name: "the widget",
    path: () => "/org/widget",
    submit: "Save widget settings",
    typed: [["Greeting", "Upload a part for an instant price"]],
    refused: ["Accent color", "blue-ish"],
  },
  {
    name: "invite a member",
    path: () => "/org/members",
    submit: "Send invitation",
    typed: [],
    refused: ["Email address", "not-an-email"],
  },
  {
    name: "job details",
    path: async (host) => `/org/jobs/${await firstOf(host, "job")}`,
    submit: "Save details",
    typed: [["Due date", "2031-05-04"]],
    refused: ["Title", ""],
  },
  {
    name: "schedule a job",
    path: () => "/org/schedule",
    submit: "Schedule job",
    typed: [],
    refused: ["Duration (minutes)", "-5"],
  },
  {
    name: "a new organization",
    path: () => "/org/new",
    submit: "Create organization",
    typed: [["Shop name", "Second Shop"]],
    refused: ["Web address (optional)", "Not a web address!"],
  },
];

const ACCOUNT: FormCase[] = [
  {
    name: "the account profile",
    path: () => "/account",
    submit: "Save profile",
    typed: [],
    refused: ["Full name", ""],
  },
  {
    name: "change email",
    path: () => "/account",
    submit: "Change email",
    typed: [],
    refused: ["New email address", "not-an-email"],
  },
  {
    name: "change password",
    path: () => "/account",
    submit: "Change password",
    typed: [["Current password", DEMO_USERS.northsideOwner.password]],
    refused: ["New password", "short"],
  },
];

describe.runIf(runnable)(
  "every workspace and account form keeps what was typed when the server refuses it",
  () => {
    let host: TestHost;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
      context = await browser.newContext();
      page = await context.newPage();
      await signIn(page, host.webUrl, DEMO_USERS.northsideOwner);
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await host?.close();
    });

    for (const form of [...WORKSPACE, ...ACCOUNT]) {
      it(`${form.name}: the refused value and the others stay, the error is beside its field`, async () => {
        const path = await form.path(host);
        await gotoHydrated(page, `${host.webUrl}${path}`);
        const scope = page
          .locator("form")
          .filter({ has: page.getByRole("button", { name: form.submit, exact: true }) });
        const field = (label: string) => scope.getByLabel(label, { exact: true });
        for (const [label, value] of form.typed) await field(label).fill(value);
        const [refusedLabel, refusedValue] = form.refused;
        await field(refusedLabel).fill(refusedValue);
        await scope.getByRole("button", { name: form.submit, exact: true }).click();

        await expect.poll(() => field(refusedLabel).getAttribute("aria-invalid")).toBe("true");
        const described = (await field(refusedLabel).getAttribute("aria-describedby")) ?? "";
        const messages = await Promise.all(
          described
            .split(/\s+/)
            .filter(Boolean)
            .map((id) => page.locator(`[id="${id}"][role="alert"]`).allTextContents()),
        );
        expect(messages.flat().join(" ").trim()).not.toBe("");
        // still on the form's page ("?index" is how Remix posts to an index route)
        const at = new URL(page.url());
        at.searchParams.delete("index");
        expect(`${at.pathname}${at.search}`).toBe(path);
        for (const [label, value] of [...form.typed, form.refused]) {
          expect(`${label}: ${await field(label).inputValue()}`).toBe(`${label}: ${value}`);
        }
      });
    }
  },
);
