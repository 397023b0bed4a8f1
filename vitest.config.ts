import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/consumer/**", "test/consumer-types/**", "**/node_modules/**"],
    globalSetup: ["test/setup/build.ts"],
  },
});
