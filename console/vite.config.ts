import { fileURLToPath } from "node:url";
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
    rollupOptions: {
      // Two pages: the console, and GraphiQL (with its editor's workers) for integrators.
      input: {
        console: fileURLToPath(new URL("./index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("./graphiql.html", import.meta.url)),
        "service-worker": fileURLToPath(new URL("./src/service-worker.ts", import.meta.url)),
      },
      // The Service Worker keeps a fixed name at the root: its address is its identity, and its
      // scope is the folder it is served from.
      output: {
        entryFileNames: (chunk) => (chunk.name === "service-worker" ? "service-worker.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8080", ws: true }, "/api": "http://127.0.0.1:8080" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
