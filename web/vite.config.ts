/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The gateway serves both the API (/api/...) and, once wired, this app at "/".
// In development Vite serves the app and forwards /api to the gateway started by `make run`.
const gateway = process.env.YIWANG_GATEWAY ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: { "/api": { target: gateway, changeOrigin: false } },
  },
  preview: { host: "127.0.0.1", port: 4173, proxy: { "/api": { target: gateway } } },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    // No inline <script> or data: URIs for a strict CSP (script-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // dist/.vite/manifest.json: the import graph scripts/size.mjs measures the first page from.
    manifest: true,
    rollupOptions: {
      output: {
        // React in a stable vendor chunk that caches across releases; each route is its own lazy chunk.
        manualChunks(id) {
          if (!id.includes("node_modules")) return undefined;
          if (/node_modules\/(echarts|zrender|echarts-for-react)\//.test(id)) return "echarts";
          if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return "react";
          // Ant Design is left to Rollup: components a lazy route alone uses stay in that route's chunk.
          return undefined;
        },
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
