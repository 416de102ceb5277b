import { buttonClass } from "@ktizo/ui";
import type { MetaFunction } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { ModelUploader } from "~/components/marketplace/model-uploader";

export const meta: MetaFunction = () => [
  { title: "Ktizo · Instant 3D printing quotes from shops near you" },
  {
    name: "description",
    content: "Upload a 3D model, compare instant quotes from print shops, order and track it.",
  },
];

export default function Home() {
  const [params] = useSearchParams();
  return (
    <section className="py-10 text-center sm:py-16">
      <h1 className="text-4xl font-extrabold tracking-tight sm:text-5xl">
        Your 3D model, made by a real shop.
      </h1>
      <p className="mx-auto mt-5 max-w-2xl text-lg text-slate-600 dark:text-slate-400">
        Upload an STL, 3MF or OBJ file, see at once what it costs at the shops that can make it, order, pay
        and follow it to your door. Print shops run their whole business on Ktizo.
      </p>
      <div className="mx-auto mt-8 max-w-2xl">
        <ModelUploader error={params.get("uploadError")} />
      </div>
      <form
        method="get"
        action="/shops"
        className="mx-auto mt-8 flex max-w-xl gap-2"
        aria-label="Search shops"
      >
        <label htmlFor="shop-search" className="sr-only">
          Search shops
        </label>
        <input
          id="shop-search"
          name="search"
          placeholder="Find a print shop by name or city"
          className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
        />
        <button type="submit" className={buttonClass("secondary")}>
          Search shops
        </button>
      </form>
      <p className="mt-4 text-sm">
        <Link to="/shops" className="text-brand-600 hover:underline">
          Browse all shops
        </Link>
      </p>
    </section>
  );
}
