import { PageHeader } from "@ktizo/ui";
import { Outlet } from "@remix-run/react";
import { SubNav } from "~/components/sub-nav";

const LINKS = [
  ["/account", "Profile & security"],
  ["/account/sessions", "Sessions"],
  ["/account/documents", "Estimates & invoices"],
  ["/account/privacy", "Privacy"],
] as const;

export default function AccountLayout() {
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Your account" description="Your profile, sign-in details and devices." />
      <SubNav label="Account" links={LINKS} />
      <Outlet />
    </div>
  );
}
