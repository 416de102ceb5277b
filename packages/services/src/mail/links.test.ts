import { describe, expect, it } from "vitest";
import { absoluteLinkMail, relativeLinks, withAbsoluteLinks } from "./links.ts";
import type { MailMessage } from "./types.ts";

const message = (text: string, html?: string): MailMessage => ({
  to: "a@example.com",
  subject: "s",
  text,
  ...(html === undefined ? {} : { html }),
  template: "t",
  category: "service",
});

describe("absolute links in email", () => {
  it("turns paths in text and hrefs in HTML into links on the public URL", () => {
    const out = withAbsoluteLinks(
      message(
        "Your order: /orders/ord_1\nTrack it (/embed/order/ord_1?token=abc).\n/cart",
        "<a href=\"/orders/ord_1\">Open</a> <a href='/cart'>Cart</a>",
      ),
      "https://ktizo.example/",
    );
    expect(out.text).toBe(
      "Your order: https://ktizo.example/orders/ord_1\nTrack it (https://ktizo.example/embed/order/ord_1?token=abc).\nhttps://ktizo.example/cart",
    );
    expect(out.html).toBe(
      "<a href=\"https://ktizo.example/orders/ord_1\">Open</a> <a href='https://ktizo.example/cart'>Cart</a>",
    );
    expect(relativeLinks(out)).toEqual([]);
  });

  it("leaves absolute links, other hosts, fractions and words with slashes alone", () => {
    const text = "See https://ktizo.example/orders/x and //cdn.example/x. PLA / PETG, and/or 1/2 done.";
    expect(withAbsoluteLinks(message(text), "https://ktizo.example").text).toBe(text);
    expect(relativeLinks(message(text))).toEqual([]);
  });

  it("finds the relative links a message would carry", () => {
    expect(relativeLinks(message("Open /orders/a now", '<a href="/cart">x</a>'))).toEqual([
      "/orders/a",
      "/cart",
    ]);
  });

  it("wraps a mail service so everything it sends is absolute", async () => {
    const sent: MailMessage[] = [];
    const mail = absoluteLinkMail(
      {
        provider: "test",
        send: async (m) => {
          sent.push(m);
          return { id: "1" };
        },
      },
      "http://localhost:3000",
    );
    await mail.send(message("Reply here: /orders/ord_9"));
    expect(sent[0]?.text).toBe("Reply here: http://localhost:3000/orders/ord_9");
  });
});
