// Vite's `?raw` imports (used by unit tests to read docs) are strings.
declare module "*.md?raw" {
  const text: string;
  export default text;
}
