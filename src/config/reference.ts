// The config reference as Markdown, generated from the schema so the README never drifts
// from the defaults the code uses.
import { configSchema } from './schema.js';

type Node = {
  type?: string; enum?: readonly unknown[]; default?: unknown; description?: string;
  minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number;
  properties?: Record<string, Node>;
};

function range(node: Node): string {
  const low = node.minimum !== undefined ? `>= ${node.minimum}`
    : node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : '';
  const high = node.maximum !== undefined ? `<= ${node.maximum}`
    : node.exclusiveMaximum !== undefined ? `< ${node.exclusiveMaximum}` : '';
  return [low, high].filter((part) => part !== '').join(', ');
}

function kind(node: Node): string {
  if (node.enum !== undefined) {
    return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  }
  const limits = range(node);
  return limits === '' ? (node.type ?? '') : `${node.type} (${limits})`;
}

function rows(prefix: string, node: Node): string[] {
  const lines: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema') continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (child.properties !== undefined) {
      lines.push(...rows(path, child));
      continue;
    }
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    const text = (child.description ?? '').replaceAll('|', '\\|');
    lines.push(`| \`${path}\` | ${kind(child)} | ${fallback} | ${text} |`);
  }
  return lines;
}

/** A Markdown table of every config field: path, type, default, meaning. */
export function configReference(): string {
  const header = ['| field | type | default | meaning |', '|---|---|---|---|'];
  return [...header, ...rows('', configSchema as unknown as Node)].join('\n');
}
