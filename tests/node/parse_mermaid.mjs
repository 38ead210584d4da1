// Parse each file named on the command line with Mermaid's own parser; exit 1 on the first error.
import mermaid from "mermaid";
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  let text = readFileSync(file, "utf8");
  const fenced = text.match(/```mermaid\n([\s\S]*?)```/);
  if (fenced) text = fenced[1];
  await mermaid.parse(text);
}
console.log(`parsed ${process.argv.length - 2} diagrams`);
