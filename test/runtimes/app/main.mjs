// Prints the fixture's result as JSON, for runtimes run from the command line.
import { run } from "./fixture.mjs";

console.log(JSON.stringify(await run()));
