import { PageHeader } from "@ktizo/ui";
import type { ReactNode } from "react";
import { OrgShell, type OrgShellProps } from "~/components/org-shell";

/** A shop workspace page: the workspace frame, the page's h1 and its actions. */
export function ShopPage({
  shell,
  title,
  description,
  actions,
  children,
}: {
  shell: OrgShellProps;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <OrgShell organization={shell.organization} memberships={shell.memberships}>
      <PageHeader title={title} description={description} actions={actions} />
      <div className="space-y-6">{children}</div>
    </OrgShell>
  );
}
