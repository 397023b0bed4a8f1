// Figures for the README's Reliability section. A suite records a row; rows are written only when
// bench/reliability.mjs runs the suite (FIGURES_FILE set), so `npm test` writes nothing.
import { appendFileSync } from "node:fs";

export function recordFigure(section: string, row: Record<string, unknown>): void {
  const file = process.env.FIGURES_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ section, ...row })}\n`);
}
