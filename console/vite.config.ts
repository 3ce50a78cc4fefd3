import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The build lands inside the Python package (web/console_build), so a wheel serves the
// console with no Node on the server. Hashed file names let PyTake cache assets for a year.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../web/console_build",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8080", ws: true }, "/api": "http://127.0.0.1:8080" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
