// ts-jest's own default (`npx ts-jest config:init`).
/** @type {import('ts-jest').JestConfigWithTsJest} */
module.exports = { preset: "ts-jest", testEnvironment: "node" };
