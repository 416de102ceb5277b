import preset from "@ktizo/ui/tailwind-preset";
import type { Config } from "tailwindcss";

export default {
  presets: [preset],
  content: { relative: true, files: ["./app/**/*.{ts,tsx}", "../../packages/ui/src/**/*.{ts,tsx}"] },
} satisfies Config;
