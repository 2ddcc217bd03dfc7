// Vite build of the console into console/dist, the directory the gateway's wrangler `assets` serve.
// index.html sits at the root (the single-page-application fallback); scripts and styles under /console/assets.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  publicDir: "public",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "console/assets",
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
