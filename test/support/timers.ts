// How many timers the process holds: a call that settled must not leave one running.
export const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
