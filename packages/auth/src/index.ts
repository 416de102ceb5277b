export type Auth = unknown; // replaced by the better-auth instance type
