/** Words shown on more than one page. */
export const PASSWORD_HINT =
  "At least 10 characters, and not a common password. A short sentence works well.";
