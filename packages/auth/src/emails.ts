import type { MailService } from "@ktizo/services";

/** The account emails. Service messages: they are sent whatever the marketing preference (P19). */
export function accountEmails(mail: MailService) {
  const send = async (template: string, to: string, userId: string | null, subject: string, text: string) => {
    await mail.send({ to, subject, text, template, category: "service", userId });
  };
  return {
    verifyEmail: ({ userId, to, url }: { userId: string; to: string; url: string }) =>
      send(
        "verify-email",
        to,
        userId,
        "Confirm your email for Ktizo",
        `Welcome to Ktizo.\n\nConfirm your email address by opening this link:\n${url}\n\nIf you did not sign up, ignore this email.`,
      ),
    passwordReset: ({ userId, to, url }: { userId: string; to: string; url: string }) =>
      send(
        "password-reset",
        to,
        userId,
        "Reset your Ktizo password",
        `Someone asked to reset the password of your Ktizo account.\n\nChoose a new password here (the link works for one hour):\n${url}\n\nIf it was not you, ignore this email; your password stays as it is.`,
      ),
    signInLink: ({ userId, to, url }: { userId: string; to: string; url: string }) =>
      send(
        "sign-in-link",
        to,
        userId,
        "Your Ktizo sign-in link",
        `Someone asked for a link to sign in to your Ktizo account.\n\nSign in here (the link works once, for 15 minutes):\n${url}\n\nIf it was not you, ignore this email: nobody can use the link without your mailbox.`,
      ),
    existingAccount: ({ userId, to }: { userId: string; to: string }) =>
      send(
        "sign-up-existing-account",
        to,
        userId,
        "You already have a Ktizo account",
        "Someone tried to create a Ktizo account with this email address, which already has one.\n\nIf it was you, sign in, or reset your password from the sign-in page. If not, you can ignore this email.",
      ),
    changeEmail: ({
      userId,
      to,
      newEmail,
      url,
    }: {
      userId: string;
      to: string;
      newEmail: string;
      url: string;
    }) =>
      send(
        "change-email",
        to,
        userId,
        "Confirm the new email of your Ktizo account",
        `Someone asked to change the email of your Ktizo account to ${newEmail}.\n\nIf it was you, confirm here:\n${url}\n\nIf not, ignore this email and change your password.`,
      ),
  };
}
