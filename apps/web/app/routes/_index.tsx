import { buttonClass } from "@ktizo/ui";
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Ktizo · Instant 3D printing quotes from shops near you" },
  {
    name: "description",
    content: "Upload a 3D model, compare instant quotes from print shops, order and track it.",
  },
];

export default function Home() {
  return (
    <section className="py-12 text-center sm:py-20">
      <h1 className="text-4xl font-extrabold tracking-tight sm:text-5xl">
        Your 3D model, made by a real shop.
      </h1>
      <p className="mx-auto mt-5 max-w-2xl text-lg text-slate-600 dark:text-slate-400">
        Upload an STL, 3MF or OBJ file, see at once what it costs at the shops that can make it, order, pay
        and follow it to your door. Print shops run their whole business on Ktizo.
      </p>
      <div className="mt-8 flex justify-center gap-3">
        <Link to="/sign-up" className={buttonClass("primary", "px-5 py-2.5 text-base")}>
          Get started
        </Link>
        <Link to="/sign-in" className={buttonClass("secondary", "px-5 py-2.5 text-base")}>
          Sign in
        </Link>
      </div>
    </section>
  );
}
