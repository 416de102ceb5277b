/**
 * The Tailwind theme both apps share (the web app and the admin console): class-based dark mode, the
 * brand blue and the type face. Each app's `tailwind.config.ts` adds only what it scans.
 */
export default {
  darkMode: "class" as const,
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#eef6ff",
          100: "#d9ebff",
          200: "#bcdcff",
          300: "#8ec6ff",
          400: "#59a5ff",
          500: "#3381fc",
          600: "#1d62f1",
          700: "#154cde",
          800: "#183fb4",
          900: "#1a3a8d",
          950: "#142659",
        },
      },
      fontFamily: {
        sans: ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
      },
    },
  },
};
