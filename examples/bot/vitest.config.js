// The bot's vitest setup: its own tests only.
export default { test: { include: ["test/*.vitest.test.js"] } };
