// Jest for an ES-module bot: Jest's ESM mode (run with node --experimental-vm-modules), no transform.
export default { testMatch: ["**/test/*.jest.test.js"], transform: {} };
